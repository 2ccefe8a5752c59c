import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { openHub } from '../../hub.js';
import { computeSegments, formatSegmentsCsv, listSegments, listUnresolvedPrescribers, type SegmentOptions } from '../../rx/index.js';
import { action, formatTable } from '../output.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(name: string) {
  return (value: string): string => {
    if (!ISO_DATE.test(value)) throw new Error(`${name}: "${value}" is not a date; write YYYY-MM-DD.`);
    return value;
  };
}

function parseMarket(value: string): { name: string; products: string[] } {
  const [name, list] = value.split('=', 2);
  const products = (list ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (!name?.trim() || products.length === 0) throw new Error(`--market: write name=PRODUCT A,PRODUCT B (got "${value}").`);
  return { name: name.trim(), products };
}

export function registerRxCommands(program: Command): void {
  const rx = program.command('rx').description('Rx data: prescribers waiting for resolution, physician segments (deciles, key accounts).');

  rx.command('unresolved')
    .description('Prescribers whose Rx facts match no physician yet, highest TRx first. They never create a physician.')
    .option('--connector <id>', 'only this Rx feed')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .action(
      action(async (options: { connector?: string; limit: number; json?: boolean }) => {
        const hub = await openHub(loadSettings());
        try {
          const result = await listUnresolvedPrescribers(hub.db, options);
          if (options.json) {
            console.log(JSON.stringify(result, null, 2));
            return;
          }
          console.log(`${result.total} prescriber(s) wait for a physician${result.total > result.prescribers.length ? ` (the first ${result.prescribers.length} shown)` : ''}.`);
          if (result.prescribers.length === 0) return;
          console.log(
            formatTable(
              result.prescribers.map((p) => ({
                feed: p.connector,
                key: p.prescriberKey,
                npi: p.npi ?? '',
                me: p.me ?? '',
                name: p.name ?? '',
                facts: p.facts,
                products: p.products,
                trx: p.trx,
                nrx: p.nrx,
                periods: p.firstPeriod === p.lastPeriod ? (p.firstPeriod ?? '') : `${p.firstPeriod} .. ${p.lastPeriod}`,
              })),
            ),
          );
          console.log('\nThey attach on the next match run once a CRM or NPPES record with the same NPI (or a matching name, ME number) arrives.');
        } finally {
          await hub.close();
        }
      }),
    );

  rx.command('segments')
    .description('Recompute physician deciles (1-10 by TRx share) and 80/20 key accounts from Rx facts, per product or market; optionally export them for the CRM.')
    .option('--product <name>', 'only this product (default: every product)')
    .option('--market <name=products>', 'segment a market: a name and its products, e.g. "anticoagulants=ELIQUIS,XARELTO"', parseMarket)
    .option('--from <date>', 'only facts whose period ends on or after this date (YYYY-MM-DD)', parseDate('--from'))
    .option('--to <date>', 'only facts whose period ends on or before this date (YYYY-MM-DD)', parseDate('--to'))
    .option('--feed <connector>', 'only the facts of this Rx feed (feeds covering the same prescriptions would add up)')
    .option('--list', 'list the physicians of each product with their decile')
    .option('--limit <n>', 'with --list: how many', (v) => Number(v), 50)
    .option('--export <file>', 'write a CSV for the CRM: master_id, salesforce_id, product, decile, key_account')
    .option('--include-pdrp', 'with --export: keep PDRP opt-outs (flagged); by default they are left out, as exports reach representatives')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { product?: string; market?: { name: string; products: string[] }; from?: string; to?: string; feed?: string; list?: boolean; limit: number; export?: string; includePdrp?: boolean; json?: boolean }) => {
        if (options.product && options.market) throw new Error('Give --product or --market, not both.');
        const hub = await openHub(loadSettings());
        try {
          const segmentOptions: SegmentOptions = {};
          if (options.product) segmentOptions.product = options.product;
          if (options.market) segmentOptions.market = options.market;
          if (options.from) segmentOptions.periodFrom = options.from;
          if (options.to) segmentOptions.periodTo = options.to;
          if (options.feed) segmentOptions.connector = options.feed;
          const report = await computeSegments(hub.db, segmentOptions);
          const filter = { scope: report.scope, ...(options.market ? { product: options.market.name } : options.product ? { product: options.product } : {}) };
          if (options.json) {
            console.log(JSON.stringify({ report, segments: options.list ? await listSegments(hub.db, { ...filter, limit: options.limit }) : undefined }, null, 2));
          } else {
            console.log(report.products.length === 0 ? 'No Rx facts credited to a physician (see `crosswalk rx unresolved`).' : formatTable(report.products.map((p) => ({ [report.scope]: p.product, physicians: p.physicians, trx: p.trx, 'key accounts': p.keyAccounts, 'pdrp opted out': p.pdrpOptedOut }))));
            if (options.list) {
              const rows = await listSegments(hub.db, { ...filter, limit: options.limit });
              console.log(`\n${formatTable(rows.map((r) => ({ master: r.masterId, name: r.displayName ?? '', [report.scope]: r.product, decile: r.decile, trx: r.trx, share: `${(r.share * 100).toFixed(1)}%`, key: r.keyAccount ? 'yes' : '', pdrp: r.pdrpOptedOut ? 'opted out' : '' })))}`);
            }
          }
          if (options.export) {
            const rows = await listSegments(hub.db, filter);
            await writeFile(options.export, formatSegmentsCsv(rows, { includePdrp: options.includePdrp === true }));
            const left = options.includePdrp ? 0 : rows.filter((r) => r.pdrpOptedOut).length;
            console.error(`wrote ${rows.length - left} line(s) to ${options.export}${left ? `; ${left} PDRP opt-out(s) left out (--include-pdrp keeps them, flagged)` : ''}`);
          }
        } finally {
          await hub.close();
        }
      }),
    );
}
