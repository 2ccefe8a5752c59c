import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  formatSurvivorshipConfigIssues,
  loadSurvivorshipConfig,
  parseSurvivorshipConfig,
  requireSurvivorshipConfig,
  resolveAttributePlan,
} from '../../../src/survivorship/index.js';

describe('survivorship config', () => {
  it('loads the shipped physician and organization files without a single issue', () => {
    const physician = loadSurvivorshipConfig('mappings/survivorship/physician.yaml');
    const organization = loadSurvivorshipConfig('mappings/survivorship/organization.yaml');
    expect(physician.ok ? [] : physician.errors).toEqual([]);
    expect(organization.ok ? [] : organization.errors).toEqual([]);
    expect(physician.ok && physician.config.entity).toBe('hcp');
    expect(organization.ok && organization.config.entity).toBe('hco');
  });

  it('reports every error of a file at once, each with its path and line', () => {
    const result = parseSurvivorshipConfig(
      [
        'entity: hcp',
        'sources: [nppes, nppes]',
        'default: { rules: [most_recnet] }',
        'attributes:',
        '  fristName: { rules: [source_ranking] }',
        '  lastName: { rules: [union] }',
        '  identifiers: { rules: [source_ranking] }',
        '  consents: { rules: [most_recent] }',
        '  middleName: { rules: [most_complete], primary: [most_recent] }',
      ].join('\n'),
      'physician.yaml',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.code, e.line])).toEqual([
      ['sources[1]', 'list.duplicate', 2],
      ['default.rules[0]', 'schema.invalid_value', 3],
      ['attributes.fristName', 'attribute.unknown', 5],
      ['attributes.lastName.rules[0]', 'schema.invalid_value', 6],
      ['attributes.identifiers.rules[0]', 'schema.invalid_value', 7],
      ['attributes.consents.rules[0]', 'schema.invalid_value', 8],
      ['attributes.middleName.primary', 'schema.misplaced_key', 9],
    ]);
    expect(result.errors.find((e) => e.path === 'attributes.fristName')?.hint).toBe('did you mean `firstName`?');
    expect(result.errors.find((e) => e.path === 'default.rules[0]')?.hint).toBe('did you mean `most_recent`?');
    expect(formatSurvivorshipConfigIssues(result.errors)).toContain('physician.yaml:5:3  attributes.fristName');
  });

  it('still checks the attributes when the entity is missing', () => {
    const result = parseSurvivorshipConfig('sources: [nppes]\nattributes:\n  firstName: { rules: [unoin] }\n', 'x.yaml');
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths.sort()).toEqual(['attributes.firstName.rules[0]', 'entity']);
  });

  it('rejects rules that follow union on a code list and organization attributes on a physician', () => {
    const result = parseSurvivorshipConfig('entity: hcp\nsources: [nppes]\nattributes:\n  credentials: { rules: [union, most_recent] }\n  name: { rules: [most_recent] }\n', 'x.yaml');
    expect(result.ok ? [] : result.errors.map((e) => [e.path, e.code])).toEqual([
      ['attributes.credentials.rules', 'rule.union_alone'],
      ['attributes.name', 'attribute.unknown'],
    ]);
  });

  it('reports a YAML syntax error with its line instead of throwing', () => {
    const result = parseSurvivorshipConfig('entity: hcp\nsources: [nppes\n', 'x.yaml');
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.errors[0]?.code).toBe('yaml.syntax');
  });

  it('throws a config error carrying every issue when a worker requires a broken file', () => {
    expect(() => requireSurvivorshipConfig('mappings/survivorship/missing.yaml')).toThrow(ConfigError);
    try {
      requireSurvivorshipConfig('mappings/survivorship/missing.yaml');
    } catch (error) {
      expect((error as ConfigError).failureType).toBe('config');
      expect((error as { issues: unknown[] }).issues).toHaveLength(1);
    }
  });

  it('fills unlisted attributes from the defaults: union for lists, most restrictive for consents', () => {
    const result = parseSurvivorshipConfig('entity: hcp\nsources: [nppes, veeva-crm]\ndefault: { rules: [most_recent] }\n', 'x.yaml');
    if (!result.ok) throw new Error('expected a valid config');
    expect(resolveAttributePlan(result.config, 'firstName')).toMatchObject({ rules: ['most_recent'], ranking: ['nppes', 'veeva-crm'] });
    expect(resolveAttributePlan(result.config, 'identifiers')).toMatchObject({ rules: ['union'], primary: ['validated_wins', 'most_recent'], singleValuedTypes: ['npi', 'me'] });
    expect(resolveAttributePlan(result.config, 'consents')).toMatchObject({ rules: ['most_restrictive', 'most_recent'] });
    expect(resolveAttributePlan(result.config, 'name')).toBeUndefined();
  });
});
