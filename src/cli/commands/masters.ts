import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openHub, type Hub } from '../../hub.js';
import { getGoldenRecord } from '../../store/master.repository.js';
import { findMasters, listMasterMembers, masterHistory } from '../../store/master.queries.js';
import { getReviewItem, listReviewItems } from '../../store/review.repository.js';
import { explainAttribute } from '../../survivorship/explain.js';
import { mergeMasters, unmergeMaster } from '../../survivorship/merge.js';
import { decideReviewItem, type ReviewDecision } from '../../survivorship/review-decisions.js';
import { action, formatTable } from '../output.js';

async function withHub(fn: (hub: Hub) => Promise<void>): Promise<void> {
  const hub = await openHub(loadSettings());
  try {
    await fn(hub);
  } finally {
    await hub.close();
  }
}

const survivorshipOf = (hub: Hub) => ({
  hcp: hub.masterRules.hcp.survivorship,
  hco: hub.masterRules.hco.survivorship,
  referenceOnly: new Set(hub.workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id)),
});

export function registerMasterCommands(program: Command): void {
  program
    .command('golden <key>')
    .description('Show a golden record by master id (a retired id redirects) or identifier (NPI, DEA, HIN ...): every value with its source and rule, the values it beat, its member records and its history.')
    .option('--json', 'print JSON')
    .action(
      action((key: string, options: { json?: boolean }) =>
        withHub(async (hub) => {
          const found = await findMasters(hub.db, key);
          if (found.length === 0) throw new ConfigError('golden.not_found', `No master record with id or identifier ${key}.`);
          for (const f of found) {
            const golden = (await getGoldenRecord(hub.db, f.id))!;
            const members = await listMasterMembers(hub.db, f.id);
            const history = await masterHistory(hub.db, f.id);
            if (options.json) {
              console.log(JSON.stringify({ ...golden, redirectedFrom: f.redirectedFrom, members, history }, null, 2));
              continue;
            }
            console.log(`${golden.masterId} (${golden.entityType}, ${golden.status}, version ${golden.version})${f.redirectedFrom ? `  <- ${f.redirectedFrom} was merged into it` : ''}`);
            const rows = Object.keys(golden.attributes).map((name) => {
              const e = explainAttribute(golden.attributes, name)!;
              return { attribute: name, value: e.display.slice(0, 60), from: e.from, rule: e.ruleLabel, beat: e.competitors.map((c) => `${c.display} (${c.from})`).join('; ').slice(0, 80) };
            });
            console.log(formatTable(rows));
            console.log(`\nmembers:\n${formatTable(members.map((m) => ({ record: m.sourceRecordId, source: `${m.connector}.${m.stream}`, 'source id': m.sourceId, 'linked by': m.linkedBy, why: m.reason.slice(0, 70) })))}`);
            console.log(`\nhistory:\n${formatTable(history.map((h) => ({ at: h.at, event: h.kind, detail: h.detail, by: h.actor ?? '' })))}\n`);
          }
        }),
      ),
    );

  program
    .command('merge <winner> <loser>')
    .description('Merge two masters: the loser retires and redirects to the winner; nothing is deleted.')
    .requiredOption('--actor <name>', 'who decides (recorded in the audit log)')
    .option('--reason <text>', 'why', '')
    .action(
      action((winnerId: string, loserId: string, options: { actor: string; reason: string }) =>
        withHub(async (hub) => {
          const result = await mergeMasters(hub.db, survivorshipOf(hub), { winnerId, loserId, actor: options.actor, reason: options.reason });
          console.log(result.status === 'merged' ? `merged ${loserId} into ${winnerId} (merge #${result.mergeEventId}, ${result.movedMembers.length} records moved)` : `${loserId} was already merged into ${winnerId}`);
        }),
      ),
    );

  program
    .command('unmerge <retired-id>')
    .description('Undo the latest merge of a retired master: its records go back to it and both golden records are recomputed.')
    .requiredOption('--actor <name>', 'who decides (recorded in the audit log)')
    .option('--reason <text>', 'why', '')
    .action(
      action((retiredId: string, options: { actor: string; reason: string }) =>
        withHub(async (hub) => {
          const result = await unmergeMaster(hub.db, survivorshipOf(hub), { retiredId, actor: options.actor, reason: options.reason });
          console.log(result.status === 'unmerged' ? `restored ${result.restoredId} from ${result.winnerId} (${result.restoredMembers.length} records)` : `${retiredId} is not merged`);
        }),
      ),
    );

  const review = program.command('review').description('The review queue: pairs the matcher was unsure about.');
  review
    .command('list')
    .description('Pending pairs, likeliest duplicates first.')
    .option('--status <status>', 'pending, deferred or resolved', 'pending')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--json', 'print JSON with explanations')
    .action(
      action((options: { status: 'pending' | 'deferred' | 'resolved'; limit: number; json?: boolean }) =>
        withHub(async (hub) => {
          const items = await listReviewItems(hub.db, { status: options.status, limit: options.limit });
          if (options.json) console.log(JSON.stringify(items, null, 2));
          else console.log(formatTable(items.map((i) => ({ id: i.id, type: i.entityType, score: i.score.toFixed(3), records: i.memberRefs.join(' ~ '), masters: i.masterIds.join(' ~ ') }))));
        }),
      ),
    );
  review
    .command('show <id>')
    .description('One pair with the waterfall of its score: every comparison, the level it reached and its weight.')
    .action(
      action((id: string) =>
        withHub(async (hub) => {
          const item = await getReviewItem(hub.db, Number(id));
          if (!item) throw new ConfigError('review.not_found', `No review item ${id}.`);
          console.log(`review item ${item.id}: ${item.memberRefs.join(' ~ ')} (masters ${item.masterIds.join(' ~ ')}), probability ${item.score.toFixed(4)}, ${item.status}`);
          if (item.explanation) {
            console.log(formatTable(item.explanation.steps.map((s) => ({ comparison: s.comparison, left: s.left ?? '', right: s.right ?? '', level: s.label, weight: (s.matchWeight + s.tfAdjustment).toFixed(2) }))));
            console.log(`total match weight ${item.explanation.matchWeight.toFixed(2)} (prior ${item.explanation.priorWeight.toFixed(2)})${item.explanation.rules.length ? `, rules: ${item.explanation.rules.join(', ')}` : ''}`);
          }
        }),
      ),
    );
  review
    .command('decide <id> <decision>')
    .description('Answer a review item: merge, not_duplicate or defer.')
    .requiredOption('--actor <name>', 'who decides (recorded in the audit log)')
    .option('--reason <text>', 'why')
    .option('--winner <masterId>', 'with merge: the master that survives')
    .action(
      action((id: string, decision: string, options: { actor: string; reason?: string; winner?: string }) =>
        withHub(async (hub) => {
          if (!['merge', 'not_duplicate', 'defer'].includes(decision)) throw new ConfigError('review.decision', `Decision must be merge, not_duplicate or defer, not ${decision}.`);
          const result = await decideReviewItem(hub.db, survivorshipOf(hub), { id: Number(id), decision: decision as ReviewDecision, actor: options.actor, reason: options.reason, winnerId: options.winner });
          console.log(`review item ${id}: ${result.status}${result.masterId ? ` (${result.masterId})` : ''}`);
        }),
      ),
    );
}
