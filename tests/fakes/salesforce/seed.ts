import { computeNpiCheckDigit } from '../../../src/model/identifiers/npi.js';
import type { FakeSalesforceOrg } from './fake-org.js';

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chris', 'Karen'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', "O'Brien", 'Moore', 'Jackson'];
const SPECIALTY = ['Cardiology', 'Oncology', 'Internal Medicine', 'Family Medicine', 'Endocrinology', 'Neurology'];
const CITY: Array<[string, string, string]> = [['Boston', 'MA', '02115'], ['Chicago', 'IL', '60611'], ['Houston', 'TX', '77030'], ['Phoenix', 'AZ', '85004'], ['Denver', 'CO', '80202']];
const ORG = ['General Hospital', 'Medical Center', 'Cardiology Associates', 'Community Clinic', 'Regional Health'];

function npi(index: number): string {
  const first9 = `1${String(10_000_000 + index).padStart(8, '0')}`;
  return first9 + computeNpiCheckDigit(first9);
}

export type SeedResult = { personIds: string[]; businessIds: string[]; addressIds: string[]; childAccountIds: string[] };

/**
 * Fills the fake org with a Veeva-like book: business accounts (hospitals, clinics), person accounts (physicians)
 * pointing to them through Primary_Parent_vod__c, optionally an Address_vod__c per account and a
 * Child_Account_vod__c per physician. Ten records share each SystemModstamp second, as bulk loads do, so the
 * `ORDER BY SystemModstamp, Id` tie-break matters. Deterministic: same counts, same records.
 */
export function seedVeevaOrg(org: FakeSalesforceOrg, options: { accounts: number; personShare?: number; addresses?: boolean; affiliations?: boolean }): SeedResult {
  const businessCount = Math.max(1, Math.round(options.accounts * (1 - (options.personShare ?? 0.8))));
  const result: SeedResult = { personIds: [], businessIds: [], addressIds: [], childAccountIds: [] };
  let n = 0;
  const stamp = () => {
    if (n++ % 10 === 0) org.tick();
    return org.now();
  };
  for (let i = 0; i < businessCount; i++) {
    const [city, state, zip] = CITY[i % CITY.length]!;
    const row = org.insert('Account', { IsPersonAccount: false, Name: `${city} ${ORG[i % ORG.length]} ${i}`, Phone: `(617) 555-${String(1000 + (i % 9000))}`, NPI_vod__c: i % 3 === 0 ? npi(5_000_000 + i) : null, NET_External_Id__c: `NET-O-${i}` }, stamp());
    result.businessIds.push(row.Id);
    if (options.addresses) result.addressIds.push(org.insert('Address_vod__c', { Account_vod__c: row.Id, Name: `${100 + i} Main St`, City_vod__c: city, State_vod__c: state, Zip_vod__c: zip, Primary_vod__c: true }, stamp()).Id);
  }
  for (let i = 0; i < options.accounts - businessCount; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const [city, state, zip] = CITY[i % CITY.length]!;
    const parent = result.businessIds[i % result.businessIds.length]!;
    const row = org.insert(
      'Account',
      {
        IsPersonAccount: true,
        Name: `${first} ${last}`,
        FirstName: first,
        LastName: last,
        Salutation: 'Dr.',
        Credentials_vod__c: i % 4 === 0 ? 'DO' : 'MD',
        NPI_vod__c: npi(i),
        Specialty_1_vod__c: SPECIALTY[i % SPECIALTY.length],
        Gender_vod__c: i % 2 === 0 ? 'M' : 'F',
        PersonEmail: `${first}.${last}${i}@example.org`.toLowerCase().replace("'", ''),
        PersonHasOptedOutOfEmail: i % 20 === 0,
        PersonDoNotCall: i % 50 === 0,
        PDRP_Opt_Out_vod__c: i % 33 === 0,
        PDRP_Opt_Out_Date_vod__c: i % 33 === 0 ? '2023-06-01' : null,
        Primary_Parent_vod__c: parent,
        NET_External_Id__c: `NET-P-${i}`,
      },
      stamp(),
    );
    result.personIds.push(row.Id);
    if (options.addresses) {
      result.addressIds.push(org.insert('Address_vod__c', { Account_vod__c: row.Id, Name: `${10 + (i % 900)} Elm Ave`, Address_line_2_vod__c: i % 5 === 0 ? 'Suite 200' : null, City_vod__c: city, State_vod__c: state, Zip_vod__c: zip, Primary_vod__c: true, License_vod__c: `ME${60000 + i}`, DEA_vod__c: null }, stamp()).Id);
    }
    if (options.affiliations) result.childAccountIds.push(org.insert('Child_Account_vod__c', { Name: `${first} ${last} @ ${parent}`, Parent_Account_vod__c: parent, Child_Account_vod__c: row.Id }, stamp()).Id);
  }
  return result;
}
