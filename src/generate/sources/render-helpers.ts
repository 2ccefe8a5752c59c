/** Small pieces the three renderers share: presence draws and the draft built from a true entity. */
import type { RecordDraft } from '../corrupt.js';
import type { Organization, Physician } from '../population.js';
import { hashPair, hashSeed } from '../random.js';

/**
 * Whether an entity is in a source: a pure function of (source seed, kind, index), so a renderer can ask about
 * another entity (is this physician's parent organization in the file?).
 */
export class Presence {
  private readonly keys: Readonly<Record<'hcp' | 'hco', number>>;

  constructor(
    seed: number,
    private readonly coverage: number,
  ) {
    this.keys = { hcp: hashSeed(seed, 'presence', 'hcp'), hco: hashSeed(seed, 'presence', 'hco') };
  }

  has(kind: 'hcp' | 'hco', index: number): boolean {
    return this.coverage >= 1 || hashPair(this.keys[kind], index) / 4294967296 < this.coverage;
  }
}

/** Per-entity PRNG keys of a source, hashed once. */
export function rowKeys(seed: number, source: string): Readonly<Record<'hcp' | 'hco', number>> {
  return { hcp: hashSeed(seed, source, 'hcp'), hco: hashSeed(seed, source, 'hco') };
}

export function physicianDraft(p: Physician): RecordDraft {
  return {
    firstName: p.firstName,
    middleName: p.middleName,
    lastName: p.lastName,
    suffix: p.suffix,
    credentials: p.credentials,
    name: '',
    npi: p.npi,
    line1: p.address.line1,
    line2: p.address.line2,
    city: p.address.city,
    state: p.address.state,
    zip: p.address.zip,
    zip4: p.address.zip4,
    phone: p.phone,
  };
}

export function organizationDraft(o: Organization): RecordDraft {
  return {
    firstName: '',
    middleName: '',
    lastName: '',
    suffix: '',
    credentials: '',
    name: o.name,
    npi: o.npi,
    line1: o.address.line1,
    line2: o.address.line2,
    city: o.address.city,
    state: o.address.state,
    zip: o.address.zip,
    zip4: o.address.zip4,
    phone: o.phone,
  };
}
