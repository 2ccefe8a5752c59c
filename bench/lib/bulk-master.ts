/**
 * A large master store for the API benchmark, built in minutes instead of hours: a few thousand generated
 * physicians go through the real pipeline (sync, mapping, matching, survivorship), and those masters are then
 * cloned in SQL, inside the server, until the store holds the number asked for. Each clone gets a new master id,
 * a last and first name drawn from the generator's name pools (an organization gets a new leading word), a new
 * valid NPI, its own source records (new ids and source ids) and lineage pointing at them; everything else
 * (addresses, specialties, other identifiers, payload shape and size, drafts, field issues, history) is the
 * template's. Every table the API reads is filled the way the pipeline fills it: master_entity, golden_record,
 * golden_record_history, master_identifier, crosswalk, source_record, normalized_record; master_search (migration
 * 011) is rebuilt from the golden records by the same function its triggers call.
 *
 * Loading drops the secondary indexes of those tables, inserts with foreign-key and trigger checks off (PostgreSQL
 * `session_replication_role = replica`, where the role may set it), then rebuilds the indexes, the search rows and
 * the planner statistics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { pino } from 'pino';
import { runGenerate } from '../../src/cli/commands/generate.js';
import { makeNpi } from '../../src/generate/identifiers.js';
import { buildPools } from '../../src/generate/pools.js';
import { Rng } from '../../src/generate/random.js';
import { loadMappingCatalog } from '../../src/pipeline/load-mapping-catalog.js';
import { loadMasterRules, resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { syncStream } from '../../src/pipeline/sync-stream.js';
import type { Database } from '../../src/store/database.js';
import { newMasterId } from '../../src/store/master.repository.js';
import { migrate } from '../../src/store/migrate.js';
import { createRun } from '../../src/store/sync-run.repository.js';
import { loadWorkspace } from '../../src/workspace/workspace.js';

export type BulkMasterOptions = {
  /** Masters the store should hold when done. */
  masters: number;
  /** Generated physicians run through the pipeline to make the templates. */
  templatePhysicians: number;
  seed?: number;
  log?: (line: string) => void;
};

export type BenchStoreInfo = { masters: number; templates: number; sourceRecords: number; buildSeconds: number; builtAt: string };

const LOADED_TABLES = ['master_entity', 'golden_record', 'golden_record_history', 'master_identifier', 'crosswalk', 'source_record', 'normalized_record', 'master_search', 'master_search_term'];

/** What an earlier build left in this store, if it finished. */
export async function readBenchStoreInfo(db: Database): Promise<BenchStoreInfo | undefined> {
  const { rows } = await db.query<{ ok: boolean }>(`SELECT to_regclass('bench_store_info') IS NOT NULL AS ok`);
  if (!rows[0]?.ok) return undefined;
  const info = await db.query<{ masters: number; templates: number; source_records: number; build_seconds: number; built_at: Date }>('SELECT * FROM bench_store_info');
  const r = info.rows[0];
  return r ? { masters: r.masters, templates: r.templates, sourceRecords: r.source_records, buildSeconds: r.build_seconds, builtAt: r.built_at.toISOString() } : undefined;
}

/** Builds the store in an empty, freshly created schema or database (the caller makes it). */
export async function buildBenchStore(db: Database, options: BulkMasterOptions): Promise<BenchStoreInfo> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 11;
  const t0 = performance.now();
  await migrate(db);
  await buildTemplates(db, options.templatePhysicians, seed, log);
  const { rows: counted } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM golden_record');
  const templates = counted[0]!.n;
  const copies = Math.max(0, Math.ceil(options.masters / templates) - 1);
  log(`templates: ${templates} masters from ${options.templatePhysicians} generated physicians (${sec(t0)} s); cloning ${copies} times`);

  const client = await db.pool.connect();
  try {
    await cloneTemplates(client, db.kind, { copies, seed, log });
  } finally {
    client.release();
  }
  const { rows: sizes } = await db.query<{ masters: number; records: number }>(
    'SELECT (SELECT count(*) FROM golden_record)::int AS masters, (SELECT count(*) FROM source_record)::int AS records',
  );
  const info: BenchStoreInfo = { masters: sizes[0]!.masters, templates, sourceRecords: sizes[0]!.records, buildSeconds: Math.round((performance.now() - t0) / 1000), builtAt: new Date().toISOString() };
  await db.query('CREATE TABLE bench_store_info (masters int, templates int, source_records int, build_seconds int, built_at timestamptz)');
  await db.query('INSERT INTO bench_store_info VALUES ($1, $2, $3, $4, $5)', [info.masters, info.templates, info.sourceRecords, info.buildSeconds, info.builtAt]);
  log(`store: ${info.masters} masters, ${info.sourceRecords} source records, built in ${info.buildSeconds} s`);
  return info;
}

/** The real pipeline on generated files: the masters every clone is copied from. */
async function buildTemplates(db: Database, physicians: number, seed: number, log: (line: string) => void): Promise<void> {
  const logger = pino({ level: 'silent' });
  const tmp = mkdtempSync(path.join(tmpdir(), 'crosswalk-bench-templates-'));
  try {
    const sourcesDir = path.join(tmp, 'sources');
    await runGenerate({ physicians, sources: ['veeva-crm', 'nppes'], corruption: 0.3, seed, weeks: 1, out: sourcesDir, truthOut: path.join(tmp, 'truth') });
    const workspace = loadWorkspace(path.resolve('examples/demo'));
    workspace.connectors = workspace.connectors.filter((c) => c.id === 'veeva-crm' || c.id === 'nppes');
    for (const c of workspace.connectors) (c.config as { path: string }).path = path.join(sourcesDir, path.basename((c.config as { path: string }).path));
    const mappings = loadMappingCatalog(workspace.mappingsDir);
    const masterRules = loadMasterRules(workspace.matchingDir, workspace.survivorshipDir);
    for (const c of workspace.connectors) {
      for (const s of c.streams) {
        const run = await createRun(db, { connector: c.id, stream: s.name, trigger: 'bench' });
        await syncStream({ db, workspace, mappings, logger }, { runId: run.id, connectorId: c.id, stream: s.name, batchSize: 5000 });
      }
    }
    for (const type of ['hco', 'hcp'] as const) await resolveMasters(db, masterRules, type);
    log(`pipeline: ${physicians} generated physicians synced and resolved`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function cloneTemplates(client: pg.PoolClient, kind: Database['kind'], options: { copies: number; seed: number; log: (line: string) => void }): Promise<void> {
  const { copies, seed, log } = options;
  const t0 = performance.now();
  // The templates: each master with the names and NPI its clones replace, and the source records it owns.
  await client.query(`CREATE TABLE bench_template AS
    SELECT m.id, m.entity_type, m.status, m.replaced_by, g.display_name,
           CASE WHEN m.entity_type = 'hcp' THEN g.attributes->'lastName'->>'value' ELSE substring(g.display_name FROM '^[A-Za-z]{3,}') END AS last,
           CASE WHEN m.entity_type = 'hcp' THEN g.attributes->'firstName'->>'value' END AS first,
           (SELECT min(i.value) FROM master_identifier i WHERE i.master_id = m.id AND i.type = 'npi') AS npi
      FROM master_entity m JOIN golden_record g ON g.master_id = m.id`);
  await client.query(`CREATE TABLE bench_template_source AS
    SELECT DISTINCT ON (c.source_record_id) c.source_record_id AS id, c.master_id FROM crosswalk c ORDER BY c.source_record_id, c.master_id`);
  const { rows: templates } = await client.query<{ id: string; entity_type: 'hcp' | 'hco' }>('SELECT id, entity_type FROM bench_template ORDER BY id');
  const { rows: maxId } = await client.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM source_record');
  // Clone k's source records are template id + k * stride: known in advance, so lineage can point at them.
  const stride = 10 ** String(maxId[0]!.n + 1).length;

  // Each clone's new master id, names and NPI, drawn here from the generator's pools and sent in batches.
  await client.query('CREATE UNLOGGED TABLE bench_clone (k int, template text, id text, last text, first text, npi text)');
  const pools = buildPools(seed);
  const firstNames = [...pools.maleFirstNames, ...pools.femaleFirstNames];
  const rng = new Rng(seed ^ 0x5eed);
  const batch: { k: number[]; template: string[]; id: string[]; last: string[]; first: string[]; npi: string[] } = { k: [], template: [], id: [], last: [], first: [], npi: [] };
  const flush = async () => {
    if (batch.k.length === 0) return;
    await client.query('INSERT INTO bench_clone SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])', [batch.k, batch.template, batch.id, batch.last, batch.first, batch.npi]);
    for (const list of Object.values(batch)) list.length = 0;
  };
  let npiIndex = 10_000_000;
  for (let k = 1; k <= copies; k++) {
    for (const t of templates) {
      batch.k.push(k);
      batch.template.push(t.id);
      batch.id.push(newMasterId(t.entity_type));
      batch.last.push(rng.pick(pools.lastNames));
      batch.first.push(rng.pick(firstNames));
      batch.npi.push(makeNpi(seed, t.entity_type, npiIndex++));
      if (batch.k.length >= 20_000) await flush();
    }
  }
  await flush();
  await client.query('CREATE INDEX ON bench_clone (k, template)');
  await client.query('ANALYZE bench_clone');
  log(`clone plan: ${copies * templates.length} masters (${sec(t0)} s)`);

  // Replaces whole JSON string values ("Smith" -> "Jones", in the template's and in upper case) and the lineage's
  // source record ids: never a fragment of a key or of another value.
  await client.query(`CREATE FUNCTION bench_swap(doc text, olds text[], news text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
      FOR i IN 1 .. coalesce(array_length(olds, 1), 0) LOOP
        IF olds[i] IS NOT NULL AND news[i] IS NOT NULL AND olds[i] <> news[i] THEN doc := replace(doc, olds[i], news[i]); END IF;
      END LOOP;
      RETURN doc;
    END $$`);
  // Per clone: the replacements of its master's documents and of each source record's.
  await client.query(`CREATE TABLE bench_swaps AS
    SELECT c.k, c.template, c.id, c.npi,
           CASE WHEN t.entity_type = 'hcp' THEN replace(replace(t.display_name, coalesce(t.last, ''), CASE WHEN t.last IS NULL THEN '' ELSE c.last END),
                                                         coalesce(t.first, ''), CASE WHEN t.first IS NULL THEN '' ELSE c.first END)
                ELSE regexp_replace(t.display_name, '^[A-Za-z]{3,}', c.last) END AS display_name,
           ARRAY['"' || t.last || '"', '"' || upper(t.last) || '"', '"' || t.first || '"', '"' || upper(t.first) || '"', '"' || t.npi || '"',
                 '"' || t.display_name || '"', '"' || upper(t.display_name) || '"'] AS olds,
           ARRAY['"' || c.last || '"', '"' || upper(c.last) || '"', '"' || c.first || '"', '"' || upper(c.first) || '"', '"' || c.npi || '"',
                 '"' || regexp_replace(t.display_name, '^[A-Za-z]{3,}', c.last) || '"', '"' || upper(regexp_replace(t.display_name, '^[A-Za-z]{3,}', c.last)) || '"'] AS news
      FROM bench_clone c JOIN bench_template t ON t.id = c.template`);
  await client.query('CREATE INDEX ON bench_swaps (k, template)');
  await client.query('ANALYZE bench_swaps');

  const fastLoad = kind === 'postgres' && (await client.query<{ ok: boolean }>(`SELECT rolsuper AS ok FROM pg_roles WHERE rolname = current_user`)).rows[0]?.ok === true;
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY ($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))`,
    [LOADED_TABLES],
  );
  for (const index of indexes) await client.query(`DROP INDEX ${quote(index.name)}`);
  if (fastLoad) await client.query(`SET session_replication_role = replica`);
  await client.query('SET synchronous_commit = off');

  const chunk = Math.max(1, Math.floor(50_000 / templates.length));
  for (let k0 = 1; k0 <= copies; k0 += chunk) {
    const k1 = Math.min(copies, k0 + chunk - 1);
    const range = [k0, k1, stride];
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO master_entity (id, entity_type, status, replaced_by)
       SELECT c.id, t.entity_type, t.status, r.id
         FROM bench_clone c JOIN bench_template t ON t.id = c.template
         LEFT JOIN bench_clone r ON r.k = c.k AND r.template = t.replaced_by
        WHERE c.k BETWEEN $1 AND $2`,
      [k0, k1],
    );
    await client.query(
      `INSERT INTO source_record (id, connector, stream, source_id, content_hash, payload, deleted, version, source_updated_at, first_seen_at, last_changed_at, last_run_id)
       SELECT s.id + w.k * $3, s.connector, s.stream, s.source_id || '-' || w.k, md5(s.content_hash || w.k), bench_swap(s.payload::text, w.olds, w.news)::jsonb,
              s.deleted, s.version, s.source_updated_at, s.first_seen_at, s.last_changed_at, s.last_run_id
         FROM source_record s JOIN bench_template_source ts ON ts.id = s.id
         JOIN bench_swaps w ON w.template = ts.master_id AND w.k BETWEEN $1 AND $2`,
      range,
    );
    await client.query(
      `INSERT INTO normalized_record (source_record_id, source_version, mapping_checksum, drafts, issues, normalized_at)
       SELECT n.source_record_id + w.k * $3, n.source_version, n.mapping_checksum, bench_swap(n.drafts::text, w.olds, w.news)::jsonb, n.issues, n.normalized_at
         FROM normalized_record n JOIN bench_template_source ts ON ts.id = n.source_record_id
         JOIN bench_swaps w ON w.template = ts.master_id AND w.k BETWEEN $1 AND $2`,
      range,
    );
    await client.query(
      `INSERT INTO crosswalk (source_record_id, draft_key, master_id, linked_at, linked_by, reason)
       SELECT x.source_record_id + c.k * $3, x.draft_key, c.id, x.linked_at, x.linked_by, x.reason
         FROM crosswalk x JOIN bench_clone c ON c.template = x.master_id AND c.k BETWEEN $1 AND $2`,
      range,
    );
    await client.query(
      `INSERT INTO golden_record (master_id, entity_type, version, attributes, display_name, computed_at)
       SELECT w.id, g.entity_type, g.version,
              bench_swap(g.attributes::text, w.olds || s.olds, w.news || s.news)::jsonb, w.display_name, g.computed_at
         FROM golden_record g JOIN bench_swaps w ON w.template = g.master_id AND w.k BETWEEN $1 AND $2
         CROSS JOIN LATERAL (SELECT array_agg('"sourceRecordId": ' || ts.id || '}') AS olds, array_agg('"sourceRecordId": ' || (ts.id + w.k * $3) || '}') AS news
                               FROM bench_template_source ts WHERE ts.master_id = g.master_id) s`,
      range,
    );
    await client.query(
      `INSERT INTO golden_record_history (master_id, version, attributes, cause, computed_at)
       SELECT c.id, h.version, g.attributes, h.cause, h.computed_at
         FROM golden_record_history h JOIN bench_clone c ON c.template = h.master_id AND c.k BETWEEN $1 AND $2
         JOIN golden_record g ON g.master_id = c.id`,
      [k0, k1],
    );
    await client.query(
      `INSERT INTO master_identifier (master_id, type, value, issuer)
       SELECT c.id, i.type, CASE WHEN i.type = 'npi' AND i.value = t.npi THEN c.npi ELSE i.value END, i.issuer
         FROM master_identifier i JOIN bench_clone c ON c.template = i.master_id AND c.k BETWEEN $1 AND $2
         JOIN bench_template t ON t.id = i.master_id
       ON CONFLICT DO NOTHING`,
      [k0, k1],
    );
    await client.query('COMMIT');
    log(`cloned ${k1} of ${copies} (${sec(t0)} s)`);
  }
  await client.query(`SELECT setval(pg_get_serial_sequence('source_record', 'id'), (SELECT max(id) FROM source_record))`);
  if (fastLoad) await client.query(`SET session_replication_role = DEFAULT`);
  for (const index of indexes.filter((i) => !i.def.includes('master_search'))) {
    await client.query(index.def);
    log(`index ${index.name} (${sec(t0)} s)`);
  }
  if (fastLoad) {
    // The search rows, by the function migration 011's triggers call (they were off while loading), in chunks.
    const { rows: ids } = await client.query<{ id: string }>('SELECT master_id AS id FROM golden_record EXCEPT SELECT master_id FROM master_search');
    for (let i = 0; i < ids.length; i += 50_000) {
      await client.query('SELECT master_search_refresh($1::text[])', [ids.slice(i, i + 50_000).map((r) => r.id)]);
    }
    log(`search rows (${sec(t0)} s)`);
  }
  for (const index of indexes.filter((i) => i.def.includes('master_search'))) {
    await client.query(index.def);
    log(`index ${index.name} (${sec(t0)} s)`);
  }
  await client.query('DROP TABLE bench_clone, bench_swaps, bench_template, bench_template_source');
  await client.query('DROP FUNCTION bench_swap(text, text[], text[])');
  // Visibility map and statistics: index-only scans and plans that know the tables' sizes.
  for (const table of LOADED_TABLES) await client.query(`VACUUM ANALYZE ${quote(table)}`);
  log(`vacuum analyze (${sec(t0)} s)`);
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sec(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(0);
}
