import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMappingErrors, loadMappings } from '../../../src/mapping/index.js';

const INVALID_DIR = resolve('tests/fixtures/mappings/invalid');

describe('loadMappings', () => {
  const { mappings, errors } = loadMappings({ dir: INVALID_DIR });
  const inTypos = errors.filter((e) => e.file.endsWith('typos.yaml'));

  it('reports every error of a file at once, each with file, line, path and hint', () => {
    expect(inTypos.length).toBeGreaterThanOrEqual(7);
    for (const error of inTypos) {
      expect(error.line).toBeGreaterThan(0);
      expect(error.column).toBeGreaterThan(0);
      expect(error.path).not.toBe('');
    }
    expect(inTypos).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'transform.unknown', path: 'entities[0].fields.identifiers[0].value.transforms[0]', line: 15, hint: 'did you mean `npi`?' }),
        expect.objectContaining({ code: 'field.unknown', path: 'entities[0].fields.firstname', line: 10, hint: 'did you mean `firstName`?' }),
        expect.objectContaining({ code: 'schema.unknown_key', path: 'entities[0].when.eqauls', line: 8, hint: 'did you mean `equals`?' }),
        expect.objectContaining({ code: 'const.invalid', path: 'entities[0].fields.identifiers[0].type', hint: 'did you mean `npi`?' }),
        expect.objectContaining({ code: 'transform.config', path: 'entities[0].fields.specialties[0].transforms[0].lookup.table', hint: 'did you mean `specialty-codes`?' }),
        expect.objectContaining({ code: 'transform.args', path: 'entities[0].fields.identifiers[1].value.transforms[0].dea.lastName' }),
        expect.objectContaining({ code: 'schema.invalid_value', path: 'entities[1].kind', line: 18, hint: 'did you mean `hcp`?' }),
      ]),
    );
  });

  it('reports YAML syntax errors with their line, and duplicate (connector, stream) pairs across files', () => {
    expect(errors).toContainEqual(expect.objectContaining({ code: 'yaml.syntax', file: expect.stringContaining('broken-syntax.yaml'), line: expect.any(Number) }));
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'mapping.duplicate_source', file: expect.stringContaining('valid.yaml'), message: expect.stringContaining('duplicate-source.yaml') }),
    );
  });

  it('still loads the files that are valid', () => {
    expect(mappings.map((m) => `${m.connector}.${m.stream}`)).toEqual(['demo.accounts']);
  });

  it('formats errors as file:line:column blocks with hints', () => {
    const text = formatMappingErrors(inTypos);
    expect(text).toMatch(/typos\.yaml:15:\d+ {2}entities\[0\]\.fields\.identifiers\[0\]\.value\.transforms\[0\]\n {2}unknown transform `nip` \[transform\.unknown\]\n {2}hint: did you mean `npi`\?/);
    expect(text).toMatch(/\d+ errors in 1 file$/);
  });

  it('says so when the folder does not exist', () => {
    expect(loadMappings({ dir: resolve('tests/fixtures/mappings/nope') }).errors).toEqual([expect.objectContaining({ code: 'dir.missing' })]);
  });
});

describe('the shipped mappings', () => {
  it('every mapping in mappings/sources loads clean', async () => {
    const { mappings, errors } = loadMappings();
    expect(formatMappingErrors(errors)).toBe('all mappings are valid');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(resolve('mappings/sources')).filter((f) => f.endsWith('.yaml'));
    // One mapping per file, named after it: <connector>.<stream>.yaml.
    expect(mappings.map((m) => `${m.connector}.${m.stream}.yaml`).sort()).toEqual(files.sort());
  });
});

describe('the format documentation', () => {
  it('its complete example compiles and maps a row', async () => {
    const { readFileSync } = await import('node:fs');
    const { compileYaml } = await import('./helpers.js');
    const readme = readFileSync(resolve('mappings/sources/README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const mapping = compileYaml(example);
    const result = mapping.apply({ Id: '0015g00000AbCdEAAV', IsPersonAccount: 'true', LastName: 'Lee MD', NPI_vod__c: '1234567893' });
    expect(result.drafts[0]?.data).toMatchObject({ lastName: 'Lee', credentials: ['MD'], identifiers: [{ type: 'npi', value: '1234567893' }] });
  });
});
