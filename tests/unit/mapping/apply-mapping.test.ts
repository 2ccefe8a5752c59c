import { describe, expect, it } from 'vitest';
import { applyMapping, createLookupTable } from '../../../src/mapping/index.js';
import { compileYaml } from './helpers.js';

const PHYSICIAN_MAPPING = `
source: { connector: crm, stream: accounts }
id: Id
updatedAt: { from: Modified, transforms: [datetime] }
entities:
  - kind: hcp
    key: hcp
    when: { field: IsPerson, equals: true }
    fields:
      firstName: { from: First, transforms: [name_part] }
      lastName: { from: Last, transforms: [name_part] }
      birthYear: { from: Born, transforms: [year] }
      identifiers:
        - type: npi
          value: { from: NPI, transforms: [npi] }
        - type: salesforce_id
          issuer: crm
          value: "{Id}"
      affiliations:
        - primary: true
          organization:
            identifier: { type: salesforce_id, value: "{ParentId}" }
  - kind: hco
    key: parent
    when: { all: [{ not: { field: IsPerson, equals: true } }, { field: Type, in: [Hospital, Clinic] }] }
    fields:
      name: "{Name}"
      type: { from: Type, transforms: [lower] }
`;

describe('applyMapping', () => {
  const mapping = compileYaml(PHYSICIAN_MAPPING);

  it('nulls a bad NPI with its reason while the rest of the record maps', () => {
    const result = applyMapping(mapping, { Id: 'A1', IsPerson: 'true', First: 'jane', Last: 'DOE', NPI: '1234567890', Born: '1971' });
    expect(result.sourceId).toBe('A1');
    expect(result.drafts).toHaveLength(1);
    const data = result.drafts[0]?.data as { firstName?: string; lastName?: string; birthYear?: number; identifiers: { type: string }[] };
    expect(data).toMatchObject({ firstName: 'Jane', lastName: 'Doe', birthYear: 1971 });
    expect(data.identifiers.map((i) => i.type)).toEqual(['salesforce_id']);
    expect(result.issues).toEqual([expect.objectContaining({ field: 'identifiers[npi].value', code: 'npi.check_digit' })]);
  });

  it('drops list items whose source values are empty, constants and all', () => {
    const result = applyMapping(mapping, { Id: 'A1', IsPerson: 'true', Last: 'Doe' });
    const data = result.drafts[0]?.data as { identifiers: unknown[]; affiliations: unknown[] };
    expect(data.identifiers).toEqual([expect.objectContaining({ type: 'salesforce_id', value: 'A1', issuer: 'crm' })]);
    expect(data.affiliations).toEqual([]);
    expect(result.issues).toEqual([]);
  });

  it('maps several entities from one row only when their conditions hold', () => {
    const person = applyMapping(mapping, { Id: 'A1', IsPerson: 'Y', Last: 'Doe', ParentId: 'H9', Type: 'Hospital' });
    expect(person.drafts.map((d) => d.key)).toEqual(['hcp']);
    expect(person.drafts[0]?.data).toMatchObject({ affiliations: [{ primary: true, organization: { identifier: { type: 'salesforce_id', value: 'H9' } } }] });

    const hospital = applyMapping(mapping, { Id: 'H9', IsPerson: 'false', Name: 'General Hospital', Type: 'Hospital' });
    expect(hospital.drafts).toEqual([expect.objectContaining({ kind: 'hco', key: 'parent', data: expect.objectContaining({ name: 'General Hospital', type: 'hospital' }) })]);

    const other = applyMapping(mapping, { Id: 'X1', IsPerson: 'false', Name: 'Payer', Type: 'Insurer' });
    expect(other.drafts).toEqual([]);
  });

  it('records the source update time and reports a row without an id', () => {
    expect(applyMapping(mapping, { Id: 'A1', IsPerson: 'true', Modified: '2024-05-01T12:00:00Z' }).sourceUpdatedAt).toBe('2024-05-01T12:00:00.000Z');
    expect(applyMapping(mapping, { IsPerson: 'true' }).issues).toContainEqual(expect.objectContaining({ field: 'id', code: 'id.missing' }));
  });

  it('turns a value the canonical schema refuses into an issue, never an exception', () => {
    const result = applyMapping(mapping, { Id: 'A1', IsPerson: 'true', Born: '1820' });
    expect(result.drafts).toHaveLength(1);
    expect(result.drafts[0]?.data).not.toHaveProperty('birthYear');
    expect(result.issues).toContainEqual(expect.objectContaining({ field: 'birthYear', code: 'schema.too_small' }));
  });

  it('drops a draft that cannot be repaired, with an issue', () => {
    const rx = compileYaml(`
source: { connector: rx, stream: weekly }
id: "{Prescriber}:{Product}:{Week}"
entities:
  - kind: rx_fact
    key: rx
    fields:
      prescriber.vendorId: "{Prescriber}"
      product.name: "{Product}"
      period: { end: { from: Week, transforms: [{ date: YYYYMMDD }] }, grain: week }
      measures.trx: { from: TRX, transforms: [number] }
`);
    const ok = applyMapping(rx, { Prescriber: 'P1', Product: 'Drug', Week: '20240503', TRX: '7' });
    expect(ok.sourceId).toBe('P1:Drug:20240503');
    expect(ok.drafts[0]?.data).toMatchObject({ period: { end: '2024-05-03', grain: 'week' }, measures: { trx: 7 } });
    const bad = applyMapping(rx, { Prescriber: 'P1', Product: 'Drug', Week: 'soon', TRX: '7' });
    expect(bad.drafts).toEqual([]);
    expect(bad.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['date.format', 'draft.invalid']));
  });

  it('keeps suppressed measures as null and lists them', () => {
    const cms = compileYaml(`
source: { connector: cms, stream: partd }
id: "{NPI}:{Drug}"
entities:
  - kind: rx_fact
    fields:
      prescriber.npi: "{NPI}"
      product.name: "{Drug}"
      period: { end: "2022-12-31", grain: year }
      measures:
        claims: { from: Claims, transforms: [suppressed, number] }
        beneficiaries: { from: Benes, transforms: [{ suppressed: { flagField: BeneFlag } }, number] }
`);
    const result = applyMapping(cms, { NPI: '1234567893', Drug: 'X', Claims: '*', Benes: '', BeneFlag: '#' });
    expect(result.drafts[0]?.data).toMatchObject({ measures: { claims: null, beneficiaries: null }, suppressed: ['claims', 'beneficiaries'] });
  });

  it('supports several from fields, joins, templates and conditional values', () => {
    const m = compileYaml(
      `
source: { connector: t, stream: s }
id: Id
entities:
  - kind: hcp
    fields:
      firstName: { from: [Nickname, First] }
      preferredName: "{First} {Middle} {Last}"
      status: { const: inactive, when: { field: Deactivated, present: true } }
      specialties:
        - { from: Spec1, transforms: [{ lookup: codes }] }
        - { from: Spec2, transforms: [{ lookup: codes }] }
      addresses:
        - raw: { zip: { from: [Zip, Zip4], join: "-" } }
`,
      [createLookupTable('codes', { IM: 'Internal Medicine', CD: 'Cardiovascular Disease' })],
    );
    const result = applyMapping(m, { Id: '1', First: 'Robert', Last: 'Smith', Spec1: 'cd', Spec2: 'CD', Zip: '02116', Zip4: '1234', Deactivated: '2020-01-01' });
    expect(result.drafts[0]?.data).toMatchObject({
      firstName: 'Robert',
      preferredName: 'Robert Smith',
      status: 'inactive',
      specialties: ['Cardiovascular Disease'],
      addresses: [{ raw: { zip: '02116-1234' } }],
    });
    expect(applyMapping(m, { Id: '1' }).drafts[0]?.data).toMatchObject({ status: 'active', specialties: [], addresses: [] });
  });
});
