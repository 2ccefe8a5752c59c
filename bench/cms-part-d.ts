/**
 * CMS Part D prescriber x drug: a generated file in the public 2020+ layout (22 columns, quoted generic names with
 * commas, fractional fills, `*`/`#` suppression with blank metrics) streamed through the rx-file connector's read
 * and the `cms-part-d.prescriber-drug` mapping, with no store. The read runs in a child process so its peak RSS
 * is its own (target: at most 300 MB whatever the file size).
 *
 *   npx tsx bench/cms-part-d.ts                 100 MB
 *   npx tsx bench/cms-part-d.ts --mb 1024       1 GB (the size of a quarter of a real year)
 *   npx tsx bench/cms-part-d.ts --keep          keep the generated file (path printed)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { rxFileConnector } from '../connectors/rx-file/connector.js';
import { loadMappingFile } from '../src/mapping/index.js';

const self = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;
const HEADER =
  'Prscrbr_NPI,Prscrbr_Last_Org_Name,Prscrbr_First_Name,Prscrbr_City,Prscrbr_State_Abrvtn,Prscrbr_State_FIPS,Prscrbr_Type,Prscrbr_Type_Src,Brnd_Name,Gnrc_Name,Tot_Clms,Tot_30day_Fills,Tot_Day_Suply,Tot_Drug_Cst,Tot_Benes,GE65_Sprsn_Flag,GE65_Tot_Clms,GE65_Tot_30day_Fills,GE65_Tot_Drug_Cst,GE65_Tot_Day_Suply,GE65_Bene_Sprsn_Flag,GE65_Tot_Benes';
const DRUGS = [
  ['Eliquis', 'Apixaban'],
  ['Lisinopril-Hydrochlorothiazide', '"Lisinopril/Hydrochlorothiazide, Combination"'],
  ['Atorvastatin Calcium', 'Atorvastatin Calcium'],
  ['Amoxicillin-Clavulanate Potass', '"Amoxicillin/Potassium Clavulanate, Extended"'],
  ['Metformin Hcl Er', 'Metformin HCl'],
  ['Jardiance', 'Empagliflozin'],
];
const NAMES = ['Smith', 'Garcia', 'Nguyen', "O'Brien", 'Kowalski', 'Haddad', 'Okafor', 'Lindqvist'];
const CITIES = [['Boston', 'MA', '25'], ['Tucson', 'AZ', '04'], ['Denver', 'CO', '08'], ['Atlanta', 'GA', '13']];

function npi(n: number): string {
  const nine = `1${String(n % 1e8).padStart(8, '0')}`;
  let sum = 24;
  [...nine].reverse().forEach((c, i) => {
    let d = Number(c);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return `${nine}${(10 - (sum % 10)) % 10}`;
}

async function generate(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let rows = 0;
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let chunk = `${HEADER}\n`;
  while (written < bytes) {
    const p = Math.floor(rows / 4);
    const [brand, generic] = DRUGS[rows % DRUGS.length]!;
    const [city, state, fips] = CITIES[p % CITIES.length]!;
    const claims = 11 + Math.floor(rand() * rand() * 900);
    const fills = (claims * (1 + rand() * 1.6)).toFixed(1);
    const cost = (claims * (5 + rand() * 300)).toFixed(2);
    const benes = claims < 25 ? '' : String(Math.max(11, Math.floor(claims / 4)));
    const ge65 = claims < 40 ? `${rand() < 0.5 ? '*' : '#'},,,,,*,` : `,${Math.floor(claims * 0.8)},${(Number(fills) * 0.8).toFixed(1)},${(Number(cost) * 0.8).toFixed(2)},${Math.floor(claims * 24)},,${benes ? Math.max(11, Math.floor(Number(benes) / 2)) : ''}`;
    chunk += `${npi(p + 1)},${NAMES[p % NAMES.length]},${NAMES[(p + 3) % NAMES.length]},${city},${state},${fips},Internal Medicine,Claim-Specialty,${brand},${generic},${claims},${fills},${Math.floor(Number(fills) * 30)},${cost},${benes},${ge65}\n`;
    rows++;
    if (chunk.length > 1 << 20) {
      written += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return rows;
}

async function child(file: string): Promise<void> {
  const loaded = loadMappingFile(path.resolve('mappings/sources/cms-part-d.prescriber-drug.yaml'));
  if (!loaded.mapping) throw new Error(JSON.stringify(loaded.errors));
  const mapping = loaded.mapping;
  const config = rxFileConnector.configSchema.parse({ path: path.basename(file), layout: 'cms-part-d', stream: 'prescriber-drug' });
  const start = process.hrtime.bigint();
  let rows = 0;
  let facts = 0;
  let suppressed = 0;
  let rejected = 0;
  for await (const batch of rxFileConnector.read(config, { stream: 'prescriber-drug', batchSize: 1000, logger: pino({ level: 'silent' }), signal: new AbortController().signal, workspaceDir: path.dirname(file) })) {
    rejected += batch.rejected?.length ?? 0;
    for (const record of batch.records) {
      rows++;
      for (const d of mapping.apply(record.payload).drafts) {
        facts++;
        if (d.kind === 'rx_fact' && d.data.suppressed.length > 0) suppressed++;
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ rows, facts, suppressed, rejected, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!);
  const mbArg = args.indexOf('--mb');
  const mb = mbArg >= 0 ? Number(args[mbArg + 1]) : 100;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crosswalk-cms-bench-'));
  const file = path.join(dir, 'MUP_DPR_RY25_P04_V10_DY23_NPIBN.csv');
  const g0 = Date.now();
  const generated = await generate(file, mb * MB);
  const size = statSync(file).size;
  console.log(`generated ${(size / MB).toFixed(0)} MB, ${generated} rows in ${((Date.now() - g0) / 1000).toFixed(1)} s: ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file], { encoding: 'utf8', maxBuffer: 16 * MB });
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { rows: number; facts: number; suppressed: number; rejected: number; seconds: number; maxRssMb: number };
  const table = [
    ['file MB', (size / MB).toFixed(0)],
    ['rows', String(r.rows)],
    ['rx facts (rx + ge65)', String(r.facts)],
    ['facts with suppressed measures', String(r.suppressed)],
    ['rejected lines', String(r.rejected)],
    ['seconds (read + map)', r.seconds.toFixed(1)],
    ['rows / s', Math.round(r.rows / r.seconds).toLocaleString('en-US')],
    ['MB / s', (size / MB / r.seconds).toFixed(1)],
    ['peak RSS MB (target <= 300)', r.maxRssMb.toFixed(0)],
  ];
  const width = Math.max(...table.map(([k]) => k!.length));
  console.log(`\nCMS Part D prescriber x drug: rx-file read + mapping, no store (Node ${process.version}, ${os.cpus().length} cores)`);
  for (const [k, v] of table) console.log(`  ${k!.padEnd(width)}  ${v!.padStart(12)}`);
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

await main();
