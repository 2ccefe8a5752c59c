import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openHub, type Hub } from '../../hub.js';
import { eraseSubject } from '../../privacy/erase.js';
import { exportSubject } from '../../privacy/export.js';
import { encryptSecret, generateSecretKey, loadSecretKeyring, SECRET_KEY_ENV } from '../../secrets/secret-box.js';
import { action, formatTable } from '../output.js';

async function withHub<T>(fn: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await openHub(loadSettings());
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

function whoami(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** `crosswalk privacy export|erase` (data subject requests) and `crosswalk secrets encrypt|generate-key`. */
export function registerPrivacyCommands(program: Command): void {
  const privacy = program.command('privacy').description('Data subject requests: export everything held about a physician, or erase it for good.');

  privacy
    .command('export <key>')
    .description('Everything held about a physician (master id or identifier: NPI, DEA, ME ...) across every source, with lineage, as JSON. The request is recorded in the audit log.')
    .option('--actor <name>', 'who asks (recorded in the audit log)', whoami())
    .option('--reason <text>', 'why, e.g. the request number', '')
    .option('--out <file>', 'write the JSON here (readable by you only) instead of printing it')
    .action(
      action((key: string, options: { actor: string; reason: string; out?: string }) =>
        withHub(async (hub) => {
          const doc = await exportSubject(hub.db, { key, actor: options.actor, reason: options.reason });
          const json = `${JSON.stringify(doc, null, 2)}\n`;
          if (!options.out) return void process.stdout.write(json);
          await writeFile(options.out, json, { mode: 0o600 });
          console.error(`wrote ${options.out}: ${doc.sourceRecords.length} source record(s) of ${doc.subject.masterIds.length} master id(s) (privacy request #${doc.requestId})`);
        }),
      ),
    );

  privacy
    .command('erase <key>')
    .description(
      'Erase a physician (master id or identifier) from every table: records, drafts, golden records and history, identifiers, facts, reviews, decisions, merges, pins, outbox, quarantine, audit values. Keeps keyed-hash tombstones so a later sync cannot bring them back. Needs CROSSWALK_PRIVACY_KEY.',
    )
    .requiredOption('--actor <name>', 'who erases (recorded in the audit log)')
    .requiredOption('--reason <text>', 'why, e.g. the request number (recorded in the audit log)')
    .option('--dry-run', 'count what would go, change nothing')
    .option('--json', 'print the report as JSON')
    .action(
      action((key: string, options: { actor: string; reason: string; dryRun?: boolean; json?: boolean }) =>
        withHub(async (hub) => {
          const report = await eraseSubject(hub.db, {
            key,
            actor: options.actor,
            reason: options.reason,
            dryRun: options.dryRun === true,
            survivorship: {
              hcp: hub.masterRules.hcp.survivorship,
              hco: hub.masterRules.hco.survivorship,
              referenceOnly: new Set(hub.workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id)),
            },
          });
          if (options.json) return void console.log(JSON.stringify(report, null, 2));
          console.log(`${report.dryRun ? 'DRY RUN (nothing changed): would erase' : 'erased'} ${report.masterIds.join(', ')} (privacy request #${report.requestId})`);
          console.log(formatTable(Object.entries(report.deleted).filter(([, n]) => n > 0).map(([table, rows]) => ({ table, rows }))));
          console.log(`${report.tombstones.length} tombstone(s) keep the person out of later syncs; ${report.redactedAuditEntries} audit entr(ies) lost their values (the entries stay).`);
          if (report.recomputedMasters.length) console.log(`recomputed golden records of ${report.recomputedMasters.join(', ')} (they shared a removed record)`);
          if (report.mentionedBy.length) {
            console.log(`kept ${report.mentionedBy.length} record(s) of other masters that mention the person (review them): ${report.mentionedBy.map((m) => `record ${m.sourceRecordId} (${m.masterId})`).join(', ')}`);
          }
          if (report.auditEntriesStillMentioning) console.log(`WARNING: ${report.auditEntriesStillMentioning} append-only audit entr(ies) outside the physician audit values still mention the person.`);
          console.log('Not erased here: database backups, log archives, and the source systems themselves (ask them to delete too).');
        }),
      ),
    );

  const secrets = program.command('secrets').description('Connector credentials encrypted at rest in crosswalk.yaml (AES-256-GCM, key in CROSSWALK_SECRET_KEY).');
  secrets
    .command('encrypt')
    .description('Encrypt a secret read from standard input (never from the command line, which shell history keeps) and print the enc:v1: value to paste into crosswalk.yaml.')
    .action(
      action(async () => {
        const key = loadSecretKeyring().current;
        if (!key) throw new ConfigError('secrets.key_missing', `${SECRET_KEY_ENV} is not set: make a key with \`crosswalk secrets generate-key\` and set it here and wherever the hub runs.`);
        if (process.stdin.isTTY) console.error('Type or paste the secret, then Ctrl-D:');
        const plaintext = await readStdin();
        if (!plaintext) throw new ConfigError('secrets.empty', 'Nothing to encrypt: pipe the secret in, e.g. `printf %s "$SECRET" | crosswalk secrets encrypt`.');
        console.log(encryptSecret(plaintext, key));
      }),
    );
  secrets
    .command('generate-key')
    .description('Print a new random 32-byte key in base64, for CROSSWALK_SECRET_KEY or CROSSWALK_PRIVACY_KEY.')
    .action(
      action(async () => {
        console.log(generateSecretKey());
      }),
    );
}
