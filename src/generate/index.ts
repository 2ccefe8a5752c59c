/**
 * Synthetic physicians and organizations with ground truth, rendered as the files real sources deliver (Veeva CRM
 * account export, NPPES npidata extract, Xponent-style Rx file), for demos, tests and matching benchmarks.
 *
 *   const population = generatePopulation({ seed: 42, physicians: 1000 });
 *   for (const row of renderVeevaCrm(population, { coverage: 0.85, corruptionRate: 0.3 })) ...
 *   await writeSources({ population, outDir, sources: [{ source: 'nppes' }] });
 *
 * Same seed and options give byte-identical files (faker is only used, seeded, to build name and street pools).
 */
export * from './population.js';
export * from './corrupt.js';
export * from './sources/index.js';
export * from './write.js';
export { NICKNAMES, findNicknames, type NicknameEntry } from './nicknames.js';
export { computeSalesforceIdSuffix, makeSalesforceAccountId } from './identifiers.js';
export { Rng, hashSeed, rngFor } from './random.js';
