/**
 * Incremental matching latency: index N synthetic physician records (default 1,000,000), then match 2,000 probe
 * records one at a time (half of them noisy copies of indexed records) and print p50 / p95 / p99 / max latency.
 *
 *   npx tsx bench/match-one.ts [N]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher } from '../src/matching/matcher.js';
import { loadModel } from '../src/matching/model-schema.js';
import { loadNicknames } from '../src/matching/nicknames.js';
import { createRandom } from '../src/matching/random.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? 1_000_000);
const PROBES = 2_000;
const rand = createRandom(11);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const given = [...loadNicknames().keys()];
const syllables = ['an', 'ber', 'cal', 'dor', 'ew', 'fitz', 'gar', 'hol', 'in', 'jen', 'kow', 'lan', 'mor', 'nak', 'o', 'per', 'quin', 'ros', 'sch', 'tan', 'ul', 'vi', 'wat', 'yam', 'zel', 'son', 'ski', 'ley', 'ton', 'ez'];
const surname = (): string => pick(syllables) + pick(syllables) + (rand() < 0.5 ? pick(syllables) : '');
const surnames = Array.from({ length: 60_000 }, surname);
const states = ['ca', 'tx', 'ny', 'fl', 'il', 'pa', 'oh', 'ga', 'nc', 'mi', 'nj', 'va', 'wa', 'az', 'ma'];
const streets = ['main st', 'oak ave', 'elm st', 'park rd', 'maple dr', 'cedar ln', 'pine st', 'lake blvd', 'hill rd', 'river way'];

function person(i: number): Record<string, string> {
  const zip = String(10000 + Math.floor(rand() * 89999));
  return {
    id: String(i),
    first_name: pick(given),
    last_name: pick(surnames),
    middle_name: rand() < 0.5 ? String.fromCharCode(97 + Math.floor(rand() * 26)) : '',
    line1: `${1 + Math.floor(rand() * 9999)} ${pick(streets)}`,
    city: `city${zip.slice(0, 3)}`,
    state: pick(states),
    zip,
    phone: rand() < 0.6 ? String(2000000000 + Math.floor(rand() * 7999999999)) : '',
    specialty: pick(['cardiology', 'oncology', 'family medicine', 'pediatrics', 'internal medicine', 'neurology']),
  };
}

function typo(s: string): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(rand() * (s.length - 2));
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

const model = loadModel(path.join(repoRoot, 'mappings/matching/physician.yaml'));
const t0 = performance.now();
const records = Array.from({ length: N }, (_, i) => person(i));
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const matcher = createMatcher(model, records);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const indexRssMb = process.memoryUsage().rss / 1024 / 1024;
const probes = Array.from({ length: PROBES }, (_, k) => {
  if (k % 2 === 0) return person(N + k);
  const r = records[Math.floor(rand() * N)] as Record<string, string>;
  return { ...r, id: '', last_name: typo(r.last_name as string), phone: '' };
});
// Warm-up, then timed.
for (const p of probes.slice(0, 200)) matcher.matchRecord(p, { explain: false });
const times: number[] = [];
let found = 0;
for (const p of probes) {
  const s = performance.now();
  const res = matcher.matchRecord(p, { limit: 5 });
  times.push(performance.now() - s);
  if (res.length > 0) found++;
}
times.sort((a, b) => a - b);
const q = (p: number): string => (times[Math.min(times.length - 1, Math.floor(p * times.length))] as number).toFixed(2);
console.log(
  `records indexed: ${N} (generate ${((t1 - t0) / 1000).toFixed(1)} s, index ${((t2 - t1) / 1000).toFixed(1)} s wall, ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; RSS after indexing ${indexRssMb.toFixed(0)} MB)`,
);
console.log(`probes: ${PROBES}, with candidates: ${found}`);
console.log(`latency ms: p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${q(1)}`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
