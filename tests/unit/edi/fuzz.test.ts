import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAcknowledgements } from '../../../src/edi/ack/index.js';
import { readX12Transactions, type TransactionItem } from '../../../src/edi/transactions/index.js';
import { chunked, fixture, summarize } from './helpers.js';

/**
 * Property-based fuzzing. Inputs are bounded in size, and the reader does linear work per byte by construction
 * (indexOf scans, a bounded ISA search, oversized segments skipped rather than gathered), so no input can hang:
 * these tests assert behaviour, never time.
 */

const FIXTURE_NAMES = ['867-basic.x12', '867-caret-element.x12', '867-caret-terminator.x12', '867-cencora-pipe.x12', '852-inventory.x12', '844-chargeback.x12', 'two-interchanges.x12', '867-005010.x12'];
const FIXTURE_BYTES = FIXTURE_NAMES.map((n) => fixture(n));

async function readItems(chunks: Buffer[], maxSegmentLength = 4096): Promise<TransactionItem[]> {
  const out: TransactionItem[] = [];
  for await (const items of readX12Transactions(chunks, { maxSegmentLength })) out.push(...items);
  return out;
}

/** What must not depend on chunking: every record and every envelope result, serialized. */
function fingerprint(items: TransactionItem[]): string {
  return JSON.stringify(items.filter((i) => i.kind !== 'segment'));
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }) }),
  fc.record({ kind: fc.constant('insertSeparator' as const), at: fc.nat(), sep: fc.constantFrom('~', '*', '^', '|', '>', ':', '\n', '\r\n', 'ISA*', 'SE*', 'GE*1*1~', 'IEA*1*000000101~', 'ST*867*0009~') }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  let buf = Buffer.from(input);
  for (const m of mutations) {
    const at = buf.length === 0 ? 0 : m.at % buf.length;
    switch (m.kind) {
      case 'replace':
        if (buf.length > 0) buf[at] = m.byte;
        break;
      case 'delete':
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.length)]);
        break;
      case 'insert':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
        break;
      case 'insertSeparator':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.sep), buf.subarray(at)]);
        break;
      case 'duplicate':
        buf = Buffer.concat([buf.subarray(0, at + m.length), buf.subarray(at)]);
        break;
      case 'truncate':
        buf = buf.subarray(0, at);
        break;
    }
  }
  return buf;
}

const mutatedFile = fc.tuple(fc.integer({ min: 0, max: FIXTURE_BYTES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([i, ms]) => mutate(FIXTURE_BYTES[i]!, ms));

function checkInvariants(items: TransactionItem[]): void {
  for (const item of items) {
    if (item.kind === 'issue') {
      expect(typeof item.issue.code).toBe('string');
      expect(typeof item.issue.message).toBe('string');
      if (item.issue.position) expect(item.issue.position.offset).toBeGreaterThanOrEqual(0);
    }
  }
  const interchanges = items.flatMap((i) => (i.kind === 'interchange-end' ? [i.result] : []));
  for (const ack of buildAcknowledgements(interchanges)) {
    expect(ack.text.startsWith('ISA')).toBe(true);
    expect(ack.text.length).toBeGreaterThan(106);
  }
}

describe('fuzzing the X12 reader', () => {
  it('never throws on random bytes, and reports what it skipped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        checkInvariants(await readItems([Buffer.from(bytes)]));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random text that starts like an ISA', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), fc.constantFrom('*', '|', '^', '\u0000', '~'), async (tail, sep) => {
        const text = `ISA${sep}${tail}`;
        checkInvariants(await readItems([Buffer.from(text)]));
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on mutated valid files, and its acknowledgements always read back as valid X12', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedFile, async (buf) => {
        const items = await readItems([buf]);
        checkInvariants(items);
        const interchanges = items.flatMap((i) => (i.kind === 'interchange-end' ? [i.result] : []));
        for (const ack of buildAcknowledgements(interchanges)) {
          const back = await summarize(ack.text);
          expect(back.interchanges).toHaveLength(1);
          expect(back.interchanges[0]!.groups.every((g) => g.sets.every((s) => s.status === 'accepted'))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same records and results however the bytes are cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedFile, fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }), async (buf, sizes) => {
        const whole = fingerprint(await readItems([buf]));
        expect(fingerprint(await readItems(chunked(buf, sizes)))).toBe(whole);
      }),
      { numRuns: 700 },
    );
  });

  it('keeps memory bounded on a file that is one endless segment', async () => {
    // 4 MB with no terminator after the ISA, fed in 64 KB chunks, maximum segment 4 KB: one too-long segment.
    const isa = fixture('867-basic.x12').subarray(0, 106);
    const body = Buffer.alloc(4 * 1024 * 1024, 'A');
    const items = await readItems(chunked(Buffer.concat([isa, body]), [65536]), 4096);
    const issues = items.flatMap((i) => (i.kind === 'issue' ? [i.issue.code] : []));
    expect(issues).toContain('segment.outside_set');
    expect(items.filter((i) => i.kind === 'interchange-end')).toHaveLength(1);
  });
});
