import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePopulation, writeSources, type SourceSpec } from '../../../src/generate/index.js';

const dirs: string[] = [];
const SOURCES: SourceSpec[] = [{ source: 'veeva-crm' }, { source: 'nppes' }, { source: 'xponent', options: { weeks: 2 } }];

async function generate(seed: number, physicians: number, workers = 0): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-generate-'));
  dirs.push(dir);
  await writeSources({ population: generatePopulation({ seed, physicians, organizations: 40 }), outDir: dir, sources: SOURCES, workers });
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('generator determinism', () => {
  it('writes byte-identical files for the same seed and different files for another seed', async () => {
    const a = await generate(42, 300);
    const b = await generate(42, 300);
    const c = await generate(43, 300);
    expect(Object.keys(a)).toEqual(['nppes.npidata.csv', 'truth.csv', 'veeva-crm.accounts.csv', 'xponent.rx.txt']);
    expect(b).toEqual(a);
    for (const name of Object.keys(a)) expect(c[name]).not.toEqual(a[name]);
  });

  it('writes the same bytes with worker threads as on one thread', async () => {
    const single = await generate(5, 9_000);
    const threaded = await generate(5, 9_000, 2);
    for (const name of Object.keys(single)) expect(threaded[name] === single[name], name).toBe(true);
  });
});
