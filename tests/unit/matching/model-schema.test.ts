import { describe, expect, it } from 'vitest';
import { MatchModelError, parseModel, stringifyModel, loadModel } from '../../../src/matching/model-schema.js';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../../..');

describe('matching model YAML', () => {
  it('reports every error at once, each with its path', () => {
    const yaml = `
name: broken
prior: 2
thresholds: { match: 0.9, review: 0.95 }
blocking:
  - keys: [{ field: Last Name, fn: metaphone }]
comparisons:
  - name: first
    field: first_name
    levels:
      - { type: exact }
      - { type: jaro_winkler }
      - { type: else }
`;
    let error: unknown;
    try {
      parseModel(yaml, 'broken.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MatchModelError);
    const paths = (error as MatchModelError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['prior', 'blocking[0].keys[0].field', 'blocking[0].keys[0].fn', 'thresholds.review']));
    expect((error as MatchModelError).message).toContain('broken.yaml');
  });

  it('reports level-order problems of a schema-valid model all together', () => {
    const yaml = `
name: levels
prior: 0.001
thresholds: { match: 0.9, review: 0.5 }
blocking: [{ keys: [{ field: a }] }]
comparisons:
  - name: a
    field: a
    levels:
      - { type: exact }
      - { type: jaro_winkler }
      - { type: levenshtein }
`;
    try {
      parseModel(yaml);
      expect.unreachable();
    } catch (e) {
      const paths = (e as MatchModelError).issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining(['comparisons[0].levels[0]', 'comparisons[0].levels[1].threshold', 'comparisons[0].levels[2].max', 'comparisons[0].levels[2].type']),
      );
    }
  });

  it('loads the shipped physician, organization and febrl models', () => {
    for (const f of ['physician', 'organization', 'febrl']) {
      const model = loadModel(path.join(repo, 'mappings/matching', `${f}.yaml`));
      expect(model.name).toBe(f);
    }
  });

  it('writes a model back as YAML that parses to the same model', () => {
    const model = loadModel(path.join(repo, 'mappings/matching/physician.yaml'));
    const again = parseModel(stringifyModel(model));
    expect(again).toEqual(model);
  });
});
