import { describe, expect, it } from 'vitest';
import { buildAcknowledgements } from '../../../src/edi/ack/index.js';
import { fixture, readAll, summarize } from './helpers.js';
import type { InterchangeResult } from '../../../src/edi/x12/index.js';

const NOW = new Date(Date.UTC(2024, 2, 6, 9, 30));

/** Interchange results after the transaction readers added their issues (what the connector acknowledges). */
async function results(name: string): Promise<InterchangeResult[]> {
  const items = await readAll(fixture(name));
  return items.flatMap((i) => (i.kind === 'interchange-end' ? [i.result] : []));
}

const segmentsOf = (text: string, t = '~'): string[] => text.split(t).map((s) => s.trim()).filter(Boolean);

describe('functional acknowledgements', () => {
  it('accepts a clean 004010 group with a 997 addressed back to the sender', async () => {
    const [ack] = buildAcknowledgements(await results('867-basic.x12'), { now: NOW });
    const segs = segmentsOf(ack!.text);
    expect(segs[0]).toBe('ISA*00*          *00*          *ZZ*ACMEPHARMA     *ZZ*CARDINALHLTH   *240306*0930*U*00401*000000101*0*P*>');
    expect(segs.slice(1)).toEqual([
      'GS*FA*ACMEPHARMA*CARDINALHLTH*20240306*0930*1011*X*004010',
      'ST*997*0001',
      'AK1*PT*1001',
      'AK2*867*0001',
      'AK5*A',
      'AK9*A*1*1*1',
      'SE*6*0001',
      'GE*1*1011',
      'IEA*1*000000101',
    ]);
    expect(ack!.types).toEqual(['997']);
  });

  it('rejects the set with the wrong SE count (AK5 R 4) and partially accepts the group (AK9 P)', async () => {
    const [ack] = buildAcknowledgements(await results('867-wrong-se-count.x12'), { now: NOW });
    const segs = segmentsOf(ack!.text);
    expect(segs).toContain('AK5*R*4');
    expect(segs).toContain('AK5*A');
    expect(segs).toContain('AK9*P*2*2*1');
  });

  it('lists segment and element errors in AK3/AK4 and accepts with errors (AK5 E)', async () => {
    const [ack] = buildAcknowledgements(await results('867-segment-errors.x12'), { now: NOW });
    const segs = segmentsOf(ack!.text);
    const from = segs.indexOf('AK2*867*0001');
    expect(segs.slice(from, from + 4)).toEqual(['AK2*867*0001', 'AK3*QTY*16**8', 'AK4*2**6*TEN', 'AK5*E*5']);
    expect(segs).toContain('AK5*R*1'); // the 810 is not a set this connector reads
  });

  it('answers a 005010 group with a 999 using IK3/IK4/IK5', async () => {
    const [ack] = buildAcknowledgements(await results('867-005010.x12'), { now: NOW });
    const segs = segmentsOf(ack!.text);
    expect(segs[0]).toContain('*^*00501*');
    expect(segs).toEqual(expect.arrayContaining(['ST*999*0001*005010X231A1', 'AK1*PT*1301*005010', 'IK5*A', 'AK9*A*1*1*1']));
    expect(ack!.types).toEqual(['999']);
  });

  it('writes with the separators of the received interchange', async () => {
    const [ack] = buildAcknowledgements(await results('867-cencora-pipe.x12'), { now: NOW });
    expect(ack!.text.slice(0, 4)).toBe('ISA|');
    expect(ack!.text.slice(103, 106)).toBe('|>~');
    const [caret] = buildAcknowledgements(await results('867-caret-terminator.x12'), { now: NOW });
    expect(caret!.text[105]).toBe('^');
  });

  it('produces acknowledgements our own reader accepts, with correct counts and control numbers', async () => {
    for (const name of ['867-basic.x12', '867-wrong-se-count.x12', '867-segment-errors.x12', '867-005010.x12', 'two-interchanges.x12', '867-caret-terminator.x12']) {
      for (const ack of buildAcknowledgements(await results(name), { now: NOW })) {
        const summary = await summarize(ack.text);
        expect(summary.interchanges, name).toHaveLength(1);
        expect(summary.interchanges[0]!.status, name).toBe('accepted');
        expect(summary.interchanges[0]!.groups[0]!.sets[0]!.issues, name).toEqual([]);
      }
    }
  });

  it('acknowledges each interchange of a file separately', async () => {
    const acks = buildAcknowledgements(await results('two-interchanges.x12'), { now: NOW });
    expect(acks.map((a) => a.interchangeControlNumber)).toEqual(['000001101', '000001201']);
  });

  it('never lets a separator from a bad value into the acknowledgement', async () => {
    const text = fixture('867-segment-errors.x12').toString().replace('QTY*32*TEN*EA', 'QTY*32*T>N*EA');
    const items = await readAll(text);
    const [ack] = buildAcknowledgements(items.flatMap((i) => (i.kind === 'interchange-end' ? [i.result] : [])), { now: NOW });
    expect(segmentsOf(ack!.text)).toContain('AK4*2**6*T N');
  });
});
