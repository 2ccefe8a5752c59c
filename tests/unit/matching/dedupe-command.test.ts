import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerDedupeCommand, runDedupeCommand } from '../../../src/cli/commands/dedupe.js';
import { parseCsv } from '../../../src/matching/csv-io.js';
import { parseModel } from '../../../src/matching/model-schema.js';
import { createRandom } from '../../../src/matching/random.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dedupe-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GIVEN = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'susan', 'thomas', 'karen', 'daniel', 'nancy', 'paul', 'lisa'];
const SUR = ['nguyen', 'okafor', 'lindqvist', 'brennan', 'castillo', 'haddad', 'kowalski', 'moreau', 'tanaka', 'fitzgerald', 'abernathy', 'delacroix', 'ramirez', 'sutherland'];
const STREETS = ['elm street', 'oak avenue', 'wattle place', 'banksia road', 'river lane', 'hill crescent'];
const CITIES = ['springfield', 'riverton', 'lakeside', 'fairview', 'hillcrest', 'brookfield', 'mapleton'];

/** A small FEBRL-shaped file: 150 people, 60 of them duplicated once with a typo or a swap. */
function writeFixture(): string {
  const rand = createRandom(3);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const lines = ['rec_id, given_name, surname, street_number, address_1, suburb, postcode, state, date_of_birth, soc_sec_id'];
  for (let i = 0; i < 150; i++) {
    const p = [pick(GIVEN), pick(SUR), String(1 + Math.floor(rand() * 200)), pick(STREETS), pick(CITIES), String(2000 + Math.floor(rand() * 900)), pick(['nsw', 'vic', 'qld']), `19${String(40 + Math.floor(rand() * 50))}0${1 + Math.floor(rand() * 9)}1${Math.floor(rand() * 9)}`, String(1000000 + Math.floor(rand() * 8999999))];
    lines.push([`rec-${i}-org`, ...p].join(', '));
    if (i < 60) {
      const d = [...p];
      if (i % 3 === 0) d[0] = `${(d[0] as string).slice(0, -1)}x`;
      else if (i % 3 === 1) [d[0], d[1]] = [d[1] as string, d[0] as string];
      else d[8] = '';
      lines.push([`rec-${i}-dup-0`, ...d].join(', '));
    }
  }
  const file = path.join(dir, 'people.csv');
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

describe('crosswalk dedupe', () => {
  it('clusters a small CSV end to end with an inferred model and writes clusters, pairs and the model', () => {
    const input = writeFixture();
    const out = path.join(dir, 'clusters.csv');
    const pairs = path.join(dir, 'pairs.csv');
    let printed = '';
    const summary = runDedupeCommand({ in: [input], out, pairs, printConfig: true, write: (t) => (printed += t) });
    expect(summary.records).toBe(210);
    const clusters = parseCsv(readFileSync(out, 'utf8'));
    expect(clusters.columns).toEqual(['id', 'cluster_id', 'cluster_size']);
    expect(clusters.rows).toHaveLength(210);
    const clusterOf = new Map(clusters.rows.map((r) => [r.id, r.cluster_id]));
    let together = 0;
    for (let i = 0; i < 60; i++) if (clusterOf.get(`rec-${i}-org`) === clusterOf.get(`rec-${i}-dup-0`)) together++;
    expect(together).toBeGreaterThanOrEqual(57);
    const wrong = clusters.rows.filter((r) => r.cluster_id?.split('-')[1] !== r.id?.split('-')[1]);
    expect(wrong.length).toBeLessThanOrEqual(2);
    const scored = parseCsv(readFileSync(pairs, 'utf8'));
    expect(scored.columns).toEqual(expect.arrayContaining(['left_id', 'right_id', 'match_weight', 'match_probability', 'decision', 'given_name_level', 'given_name_weight']));
    const model = parseModel(printed);
    expect(model.comparisons.every((c) => c.levels.slice(1).every((l) => l.bayes_factor !== undefined || (l.m !== undefined && l.u !== undefined)))).toBe(true);
  });

  it('registers a commander command that links two files with a source column', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const rows = readFileSync(writeFixture(), 'utf8').trim().split(/\r?\n/);
    const header = rows[0] as string;
    writeFileSync(a, [header, ...rows.slice(1).filter((r) => r.includes('-org'))].join('\n'));
    writeFileSync(b, [header, ...rows.slice(1).filter((r) => r.includes('-dup-'))].join('\n'));
    const out = path.join(dir, 'linked.csv');
    const program = new Command().exitOverride();
    registerDedupeCommand(program);
    await program.parseAsync(['node', 'crosswalk', 'dedupe', '--in', a, '--in', b, '--link-only', '--id-column', 'rec_id', '--out', out]);
    const clusters = parseCsv(readFileSync(out, 'utf8'));
    expect(clusters.columns).toEqual(['source', 'id', 'cluster_id', 'cluster_size']);
    expect(new Set(clusters.rows.map((r) => r.source))).toEqual(new Set(['a.csv', 'b.csv']));
    const linked = clusters.rows.filter((r) => r.source === 'b.csv' && r.cluster_id?.startsWith('a.csv:'));
    expect(linked.length).toBeGreaterThanOrEqual(55);
  });
});
