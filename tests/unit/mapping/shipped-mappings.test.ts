import { describe, expect, it } from 'vitest';
import { applyMapping, loadMappings, type LoadedMapping } from '../../../src/mapping/index.js';

const { mappings } = loadMappings();
function mappingFor(connector: string, stream: string): LoadedMapping {
  const mapping = mappings.find((m) => m.connector === connector && m.stream === stream);
  if (!mapping) throw new Error(`no mapping for ${connector}.${stream}`);
  return mapping;
}

const VEEVA_PHYSICIAN = {
  Id: '0015g00000AbCdEAAV',
  IsPersonAccount: 'true',
  Salutation: 'Dr.',
  FirstName: 'MARIA',
  Middle_vod__c: 'l.',
  LastName: 'Garcia MD',
  Suffix_vod__c: '',
  Credentials_vod__c: 'M.D.',
  Name: 'Maria Garcia',
  NPI_vod__c: '1558598797',
  ME__c: '03612345678',
  Specialty_1_vod__c: 'Cardiology',
  Gender_vod__c: 'F',
  PersonEmail: 'Maria.Garcia@Example.org',
  Phone: '(617) 253-1000',
  PersonDoNotCall: 'true',
  PersonHasOptedOutOfEmail: 'false',
  PDRP_Opt_Out_vod__c: 'true',
  PDRP_Opt_Out_Date_vod__c: '2023-02-14',
  Primary_Parent_vod__c: '0015g00000XyZaBAAV',
  Address_Line_1__c: '55 fruit street',
  Address_line_2_vod__c: 'suite 300',
  City_vod__c: 'Boston',
  State_vod__c: 'MA',
  Zip_vod__c: '2114',
  Zip_4_vod__c: '2696',
  DEA_vod__c: 'BG5789574',
  License_vod__c: '212345',
  SystemModstamp: '2024-03-02T10:15:00.000Z',
};

describe('veeva-crm.accounts', () => {
  const mapping = mappingFor('veeva-crm', 'accounts');

  it('maps a person account end to end into a physician with identifiers, address, contacts, consents and parent', () => {
    const result = applyMapping(mapping, VEEVA_PHYSICIAN);
    expect(result.sourceId).toBe('0015g00000AbCdEAAV');
    expect(result.sourceUpdatedAt).toBe('2024-03-02T10:15:00.000Z');
    expect(result.drafts).toHaveLength(1);
    const draft = result.drafts[0];
    expect(draft?.kind).toBe('hcp');
    expect(draft?.data).toMatchObject({
      prefix: 'DR',
      firstName: 'Maria',
      middleName: 'L',
      lastName: 'Garcia',
      credentials: ['MD'],
      gender: 'F',
      specialties: ['Cardiovascular Disease'],
      identifiers: [
        { type: 'npi', value: '1558598797' },
        { type: 'me', value: '03612345678' },
        { type: 'dea', value: 'BG5789574' },
        { type: 'state_license', issuer: 'MA', value: '212345' },
        { type: 'salesforce_id', issuer: 'veeva-crm', value: '0015g00000AbCdEAAV' },
      ],
      addresses: [
        {
          type: 'practice',
          primary: true,
          line1: '55 FRUIT ST',
          line2: 'STE 300',
          city: 'BOSTON',
          state: 'MA',
          zip5: '02114',
          zip4: '2696',
          raw: { line1: '55 fruit street', city: 'Boston' },
        },
      ],
      contactPoints: [
        { kind: 'phone', value: '+16172531000', primary: true },
        { kind: 'email', value: 'maria.garcia@example.org' },
      ],
      consents: [
        { channel: 'phone', status: 'opted_out', source: 'veeva-crm' },
        { channel: 'pdrp', status: 'opted_out', date: '2023-02-14' },
      ],
      affiliations: [{ primary: true, organization: { identifier: { type: 'salesforce_id', value: '0015g00000XyZaBAAV' } } }],
    });
    // The zero a spreadsheet dropped from the ZIP is restored, and said so.
    expect(result.issues.map((i) => i.code)).toEqual(['warn.us_address']);
  });

  it('maps a business account into an organization', () => {
    const result = applyMapping(mapping, {
      ...Object.fromEntries(Object.keys(VEEVA_PHYSICIAN).map((k) => [k, ''])),
      Id: '0015g00000XyZaBAAV',
      IsPersonAccount: 'false',
      Name: 'Massachusetts  General Hospital',
      NPI_vod__c: '1497758544',
      Address_Line_1__c: '55 Fruit St',
      City_vod__c: 'Boston',
      State_vod__c: 'MA',
      Zip_vod__c: '02114',
    });
    expect(result.drafts).toEqual([
      expect.objectContaining({
        kind: 'hco',
        data: expect.objectContaining({ name: 'Massachusetts General Hospital', identifiers: [expect.objectContaining({ type: 'npi' }), expect.objectContaining({ type: 'salesforce_id' })] }),
      }),
    ]);
  });
});

describe('nppes.npidata', () => {
  const mapping = mappingFor('nppes', 'npidata');
  const blank = {
    'Replacement NPI': '',
    'Provider Last Name (Legal Name)': '',
    'Provider First Name': '',
    'Provider Middle Name': '',
    'Provider Name Prefix Text': '',
    'Provider Name Suffix Text': '',
    'Provider Credential Text': '',
    'Provider Second Line Business Practice Location Address': '',
    'NPI Deactivation Date': '',
    'Provider Gender Code': '',
    'Provider License Number_1': '',
    'Provider License Number State Code_1': '',
    'Healthcare Provider Primary Taxonomy Switch_1': 'Y',
  };

  it('maps an organization row (entity type 2) into an hco', () => {
    const result = applyMapping(mapping, {
      ...blank,
      NPI: '1003000126',
      'Entity Type Code': '2',
      'Provider Organization Name (Legal Business Name)': 'SPRINGFIELD COMMUNITY HOSPITAL',
      'Provider First Line Business Practice Location Address': '100 MEDICAL CENTER DRIVE',
      'Provider Business Practice Location Address City Name': 'SPRINGFIELD',
      'Provider Business Practice Location Address State Name': 'IL',
      'Provider Business Practice Location Address Postal Code': '627011234',
      'Provider Business Practice Location Address Telephone Number': '2175441234',
      'Provider Enumeration Date': '05/23/2005',
      'Last Update Date': '07/08/2021',
      'Healthcare Provider Taxonomy Code_1': '282N00000X',
    });
    expect(result.sourceId).toBe('1003000126');
    expect(result.sourceUpdatedAt).toBe('2021-07-08T00:00:00.000Z');
    expect(result.drafts).toHaveLength(1);
    expect(result.drafts[0]).toMatchObject({
      kind: 'hco',
      data: {
        name: 'SPRINGFIELD COMMUNITY HOSPITAL',
        type: 'hospital',
        status: 'active',
        identifiers: [{ type: 'npi', value: '1003000126', validFrom: '2005-05-23' }],
        addresses: [{ line1: '100 MEDICAL CENTER DR', city: 'SPRINGFIELD', state: 'IL', zip5: '62701', zip4: '1234', phone: '+12175441234' }],
      },
    });
    expect(result.issues).toEqual([]);
  });

  it('maps an individual row (entity type 1) into an hcp with its taxonomy as a specialty and its license', () => {
    const result = applyMapping(mapping, {
      ...blank,
      NPI: '1234567893',
      'Entity Type Code': '1',
      'Provider Organization Name (Legal Business Name)': '',
      'Provider Last Name (Legal Name)': 'SMITH',
      'Provider First Name': 'JOHN',
      'Provider Credential Text': 'M.D.',
      'Provider Gender Code': 'M',
      'Provider First Line Business Practice Location Address': '1 MAIN ST',
      'Provider Business Practice Location Address City Name': 'SPRINGFIELD',
      'Provider Business Practice Location Address State Name': 'IL',
      'Provider Business Practice Location Address Postal Code': '62701',
      'Provider Business Practice Location Address Telephone Number': '',
      'Provider Enumeration Date': '05/23/2005',
      'Last Update Date': '07/08/2021',
      'NPI Deactivation Date': '01/02/2022',
      'Healthcare Provider Taxonomy Code_1': '207RE0101X',
      'Provider License Number_1': '036-123456',
      'Provider License Number State Code_1': 'IL',
    });
    expect(result.drafts[0]).toMatchObject({
      kind: 'hcp',
      data: {
        firstName: 'John',
        lastName: 'Smith',
        credentials: ['MD'],
        gender: 'M',
        status: 'inactive',
        specialties: ['Endocrinology, Diabetes & Metabolism'],
        identifiers: [
          { type: 'npi', value: '1234567893', validTo: '2022-01-02' },
          { type: 'state_license', issuer: 'IL', value: '036-123456' },
        ],
      },
    });
  });
});

describe('xponent.rx', () => {
  it('maps a row into an Rx fact keyed on the prescriber and a physician draft of the prescriber', () => {
    const result = applyMapping(mappingFor('xponent', 'rx'), {
      PRESCRIBER_ID: '100200300',
      ME_NUMBER: '03612345678',
      NPI: '',
      LAST_NAME: 'GARCIA',
      FIRST_NAME: 'MARIA',
      MIDDLE_NAME: 'L',
      SPECIALTY: 'CD',
      ADDRESS: '55 FRUIT ST STE 300',
      CITY: 'BOSTON',
      STATE: 'MA',
      ZIP: '02114',
      PRODUCT: 'CARDIOVEX 20MG',
      PERIOD_END: '20240503',
      TRX: '12',
      NRX: '5',
      UNITS: '360',
      DOLLARS: '1234.56',
    });
    expect(result.sourceId).toBe('100200300:CARDIOVEX 20MG:20240503');
    expect(result.drafts.map((d) => `${d.kind}:${d.key}`)).toEqual(['rx_fact:rx', 'hcp:prescriber']);
    expect(result.drafts[0]?.data).toMatchObject({
      prescriber: { vendorId: '100200300', me: '03612345678' },
      product: { name: 'CARDIOVEX 20MG' },
      period: { end: '2024-05-03', grain: 'week' },
      measures: { trx: 12, nrx: 5, units: 360, dollars: 1234.56 },
    });
    expect(result.drafts[1]?.data).toMatchObject({
      lastName: 'Garcia',
      specialties: ['Cardiovascular Disease'],
      identifiers: [{ type: 'vendor_prescriber_id', issuer: 'xponent', value: '100200300' }, { type: 'me' }],
    });
    expect(result.issues).toEqual([]);
  });
});

describe('salesforce.accounts', () => {
  it('maps a plain Salesforce person account, splitting the billing street lines', () => {
    const result = applyMapping(mappingFor('salesforce', 'accounts'), {
      Id: '0015g00000AbCdEAAV',
      IsPersonAccount: 'true',
      FirstName: 'Ann',
      LastName: 'Lee',
      PersonEmail: 'ann.lee@example.org',
      Phone: '617-253-1000',
      BillingStreet: '1 Main Street\nSuite 5',
      BillingCity: 'Cambridge',
      BillingState: 'Massachusetts',
      BillingPostalCode: '02139',
      NPI__c: '1497758544',
      SystemModstamp: '2024-01-01T00:00:00.000Z',
    });
    expect(result.drafts[0]).toMatchObject({
      kind: 'hcp',
      data: {
        firstName: 'Ann',
        identifiers: [{ type: 'npi' }, { type: 'salesforce_id', issuer: 'salesforce' }],
        addresses: [{ type: 'billing', line1: '1 MAIN ST', line2: 'STE 5', state: 'MA', zip5: '02139' }],
      },
    });
  });
});
