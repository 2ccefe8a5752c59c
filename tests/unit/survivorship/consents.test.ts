import { describe, expect, it } from 'vitest';
import type { Consent } from '../../../src/model/consent.js';
import { computeGoldenAttributes, goldenToEntity } from '../../../src/survivorship/index.js';
import { config, hcp, permutations } from './members.js';

const CONFIG = config('entity: hcp\nsources: [nppes, veeva-crm, xponent]\nattributes:\n  consents: { rules: [most_restrictive, most_recent] }\n');

const pdrp = (status: Consent['status'], date?: string): Consent => ({ channel: 'pdrp', status, ...(date ? { date } : {}) });

describe('most restrictive consents', () => {
  it('the opt-out of any member wins over a newer opt-in from a more trusted source and names the member that carried it', () => {
    const members = [hcp(1, 'xponent', 1, { consents: [pdrp('opted_out', '2020-05-01')] }), hcp(2, 'nppes', 20, { consents: [pdrp('opted_in', '2024-12-01')] })];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).consents;
    expect(golden?.value).toEqual([pdrp('opted_out', '2020-05-01')]);
    expect(golden?.items?.[0]?.lineage).toMatchObject({ sourceRecordId: 1, connector: 'xponent', rule: 'most_restrictive' });
    expect(golden?.competing).toEqual([{ value: pdrp('opted_in', '2024-12-01'), lineage: expect.objectContaining({ sourceRecordId: 2, rule: 'most_restrictive' }) }]);
  });

  it('the opt-out stays when members come and go, as long as the member that carried it stays', () => {
    const optOut = hcp(3, 'veeva-crm', 2, { consents: [pdrp('opted_out')] });
    const optIn = hcp(4, 'nppes', 30, { consents: [pdrp('opted_in'), { channel: 'email', status: 'opted_in' }] });
    const unknown = hcp(5, 'xponent', 31, { consents: [pdrp('unknown')] });
    const status = (members: ReturnType<typeof hcp>[]) => goldenToEntity(computeGoldenAttributes('hcp', members, CONFIG), 'hcp').consents.find((c) => c.channel === 'pdrp')?.status;
    expect(status([optOut])).toBe('opted_out');
    expect(status([optOut, optIn])).toBe('opted_out');
    expect(status([optOut, optIn, unknown])).toBe('opted_out');
    expect(status([optOut, unknown])).toBe('opted_out');
    for (const order of permutations([optOut, optIn, unknown])) expect(status(order)).toBe('opted_out');
  });

  it('decides each channel on its own', () => {
    const members = [
      hcp(1, 'veeva-crm', 1, { consents: [{ channel: 'email', status: 'opted_out' }, { channel: 'visit', status: 'opted_in' }] }),
      hcp(2, 'nppes', 2, { consents: [{ channel: 'email', status: 'opted_in' }, { channel: 'visit', status: 'unknown' }] }),
    ];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).consents;
    expect(golden?.value).toEqual([
      { channel: 'email', status: 'opted_out' },
      { channel: 'visit', status: 'opted_in' },
    ]);
  });

  it('shows the newest copy when several members opted out and lists every one of them', () => {
    const members = [hcp(1, 'veeva-crm', 1, { consents: [pdrp('opted_out', '2019-01-01')] }), hcp(2, 'xponent', 9, { consents: [pdrp('opted_out', '2023-01-01')] })];
    const item = computeGoldenAttributes('hcp', members, CONFIG).consents?.items?.[0];
    expect(item?.value).toEqual(pdrp('opted_out', '2023-01-01'));
    expect(item?.lineage).toMatchObject({ sourceRecordId: 2, rule: 'agreement' });
    expect(item?.carriedBy.map((l) => l.sourceRecordId)).toEqual([1, 2]);
  });
});
