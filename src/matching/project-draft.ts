import type { Address, Identifier, Organization, Physician } from '../model/index.js';

/**
 * The flat record a matching model compares, made from a canonical draft or golden entity. Field names are the
 * ones `mappings/matching/physician.yaml` and `organization.yaml` use; only valid identifiers are offered to
 * the identifier rules, so a mistyped NPI never forces or forbids a merge.
 */
export type MatchRecord = Record<string, string>;

export function projectPhysician(p: Physician, id: string): MatchRecord {
  const address = primaryAddress(p.addresses);
  return compact({
    id,
    first_name: p.firstName,
    middle_name: p.middleName,
    last_name: p.lastName,
    suffix: p.suffix,
    npi: identifier(p.identifiers, 'npi'),
    dea: identifier(p.identifiers, 'dea'),
    me_number: identifier(p.identifiers, 'me'),
    state_license: identifier(p.identifiers, 'state_license'),
    salesforce_id: identifier(p.identifiers, 'salesforce_id'),
    birth_year: p.birthYear === undefined ? undefined : String(p.birthYear),
    specialty: p.specialties[0],
    line1: address?.line1,
    city: address?.city,
    state: address?.state,
    zip: address?.zip5,
    phone: p.contactPoints.find((c) => c.kind === 'phone')?.value ?? address?.phone,
    email: p.contactPoints.find((c) => c.kind === 'email')?.value,
  });
}

export function projectOrganization(o: Organization, id: string): MatchRecord {
  const address = primaryAddress(o.addresses);
  return compact({
    id,
    name: o.name,
    hin: identifier(o.identifiers, 'hin'),
    dea: identifier(o.identifiers, 'dea'),
    gln: identifier(o.identifiers, 'gln'),
    npi: identifier(o.identifiers, 'npi'),
    salesforce_id: identifier(o.identifiers, 'salesforce_id'),
    line1: address?.line1,
    city: address?.city,
    state: address?.state,
    zip: address?.zip5,
    phone: o.contactPoints.find((c) => c.kind === 'phone')?.value ?? address?.phone,
  });
}

function identifier(ids: Identifier[], type: Identifier['type']): string | undefined {
  return ids.find((i) => i.type === type && i.valid !== false && !i.old)?.value;
}

function primaryAddress(addresses: Address[]): Address | undefined {
  return addresses.find((a) => a.primary) ?? addresses[0];
}

function compact(record: Record<string, string | undefined>): MatchRecord {
  const out: MatchRecord = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** The projection for either entity type. */
export function projectDraft(entityType: 'hcp' | 'hco', draft: Physician | Organization, id: string): MatchRecord {
  return entityType === 'hcp' ? projectPhysician(draft as Physician, id) : projectOrganization(draft as Organization, id);
}
