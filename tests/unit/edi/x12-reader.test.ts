import { describe, expect, it } from 'vitest';
import { SegmentTokenizer, type X12Segment } from '../../../src/edi/x12/index.js';
import { allIssues, fixture, ISA, SIMPLE_867, summarize, x12 } from './helpers.js';

function tokenize(text: string | Buffer, chunk?: number, maxSegmentLength?: number): { segments: X12Segment[]; issues: string[] } {
  const t = new SegmentTokenizer(maxSegmentLength ? { maxSegmentLength } : {});
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const tokens = [];
  if (chunk) for (let i = 0; i < buf.length; i += chunk) tokens.push(...t.push(buf.subarray(i, i + chunk)));
  else tokens.push(...t.push(buf));
  tokens.push(...t.end());
  return {
    segments: tokens.flatMap((k) => (k.kind === 'segment' ? [k.segment] : [])),
    issues: tokens.flatMap((k) => (k.kind === 'issue' ? [k.issue.code] : [])),
  };
}

describe('the X12 segment reader', () => {
  it('reads the separators from the ISA instead of assuming * and ~', async () => {
    for (const [name, element, component, segment] of [
      ['867-basic.x12', '*', '>', '~'],
      ['867-caret-element.x12', '^', ':', '~'],
      ['867-caret-terminator.x12', '*', '>', '^'],
      ['867-cencora-pipe.x12', '|', '>', '~'],
    ] as const) {
      const summary = await summarize(fixture(name));
      expect(summary.interchanges[0]?.header.separators, name).toMatchObject({ element, component, segment });
      expect(summary.interchanges[0]?.groups[0]?.sets[0]?.status, name).toBe('accepted');
    }
  });

  it('gives the same segments whatever the chunk boundaries', () => {
    const text = fixture('867-cencora-pipe.x12');
    const whole = tokenize(text);
    for (const chunk of [1, 2, 3, 5, 64, 105, 106, 107]) expect(tokenize(text, chunk)).toEqual(whole);
  });

  it('skips a UTF-8 BOM, CRLF and indentation and reports the BOM as a warning at byte 0', () => {
    const { segments, issues } = tokenize(fixture('867-cencora-pipe.x12'));
    expect(issues).toEqual(['file.bom']);
    expect(segments[0]?.position).toEqual({ offset: 3, segment: 1, line: 1 });
    const st = segments.find((s) => s.id === 'ST');
    // Indented by two spaces on line 3: the offset is that of "ST", after the indentation.
    expect(st?.position.line).toBe(3);
    expect(fixture('867-cencora-pipe.x12').subarray(st!.position.offset, st!.position.offset + 2).toString()).toBe('ST');
    expect(segments.every((s) => !s.elements.some((e) => e.includes('\r') || e.includes('\n')))).toBe(true);
  });

  it('gives exact byte offsets, segment ordinals and lines', () => {
    const text = `${ISA()}\nGS*PT*S*R*20240305*1015*1*X*004010~\n\n  ST*867*0001~`;
    const { segments } = tokenize(text);
    expect(segments.map((s) => [s.id, s.position.offset, s.position.segment, s.position.line])).toEqual([
      ['ISA', 0, 1, 1],
      ['GS', 107, 2, 2],
      ['ST', 146, 3, 4],
    ]);
  });

  it('skips a stray terminator at the end with a warning and does not count it as a segment', () => {
    const { segments, issues } = tokenize(fixture('867-caret-terminator.x12'));
    expect(issues).toEqual(['segment.empty']);
    expect(segments.at(-1)?.id).toBe('IEA');
  });

  it('reads a last segment without a terminator, with a warning', () => {
    const { segments, issues } = tokenize(`${ISA()}GS*PT*S*R*20240305*1015*1*X*004010~IEA*1*000000001`);
    expect(segments.at(-1)?.elements).toEqual(['IEA', '1', '000000001']);
    expect(issues).toEqual(['segment.unterminated']);
  });

  it('reads an ISA whose ids were not padded by counting its elements, with a warning', () => {
    const isa = 'ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*240305*1015*U*00401*000000001*0*P*>~';
    const { segments, issues } = tokenize(`${isa}GS*PT*S*R*20240305*1015*1*X*004010~`);
    expect(issues).toEqual(['isa.length']);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS']);
    expect(segments[0]?.separators).toMatchObject({ element: '*', component: '>', segment: '~' });
  });

  it('skips bytes before the first ISA and reports them once', () => {
    const { segments, issues } = tokenize(`garbage line\nmore~~\n${ISA()}GS*PT*S*R*1*1*1*X*004010~`, 5);
    expect(issues).toEqual(['isa.missing']);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS']);
  });

  it('drops a segment longer than the maximum without gathering it, and goes on after it', () => {
    const long = `N1*ST*${'X'.repeat(5000)}`;
    const { segments } = tokenize(`${ISA()}ST*867*0001~${long}~SE*3*0001~`, 64, 1000);
    const n1 = segments.find((s) => s.id === 'N1');
    expect(n1).toMatchObject({ tooLong: true, elements: ['N1'] });
    expect(n1?.length).toBeGreaterThan(1000);
    expect(segments.at(-1)?.id).toBe('SE');
  });

  it('refuses an ISA whose terminator is a letter, and looks for the next ISA', () => {
    const bad = ISA('*', '>', 'X');
    const { segments, issues } = tokenize(`${bad}GS*PT~${ISA()}GS*PT*S*R*1*1*2*X*004010~`);
    expect(issues[0]).toBe('isa.unreadable');
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS']);
    expect(segments[1]?.elements[6]).toBe('2');
  });
});

describe('the envelope validator', () => {
  it('rejects only the set whose SE01 is wrong and keeps the other set of the group', async () => {
    const summary = await summarize(fixture('867-wrong-se-count.x12'));
    const group = summary.interchanges[0]!.groups[0]!;
    expect(group.sets.map((s) => s.status)).toEqual(['rejected', 'accepted']);
    const issue = group.sets[0]!.issues[0]!;
    expect(issue).toMatchObject({ code: 'se.count_mismatch', severity: 'error', scope: 'set', segmentId: 'SE', positionInSet: 41 });
    expect(issue.position?.line).toBe(43);
    expect(group.status).toBe('accepted_with_errors');
  });

  it('checks SE02, GE01/GE02 and IEA01/IEA02 against their headers', async () => {
    let text = x12([SIMPLE_867, SIMPLE_867]);
    text = text.replace('SE*9*0002~', 'SE*9*9999~').replace('GE*2*1~', 'GE*3*7~').replace('IEA*1*000000001~', 'IEA*2*000000002~');
    const summary = await summarize(text);
    const codes = allIssues(summary).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['se.control_mismatch', 'ge.count_mismatch', 'ge.control_mismatch', 'iea.count_mismatch', 'iea.control_mismatch']));
    const sets = summary.interchanges[0]!.groups[0]!.sets;
    expect(sets.map((s) => s.status)).toEqual(['accepted', 'rejected']);
  });

  it('detects a missing IEA without costing the complete sets', async () => {
    const summary = await summarize(fixture('867-missing-iea.x12'));
    const ic = summary.interchanges[0]!;
    expect(ic.issues.map((i) => i.code)).toEqual(['iea.missing']);
    expect(ic.groups[0]!.sets[0]!.status).toBe('accepted');
  });

  it('detects a missing SE and GE when the next header or the end of the file arrives', async () => {
    const text = x12([SIMPLE_867]).replace('SE*9*0001~\n', '').replace('GE*1*1~\n', '');
    const summary = await summarize(text);
    const set = summary.interchanges[0]!.groups[0]!.sets[0]!;
    expect(set.status).toBe('rejected');
    expect(set.issues.map((i) => i.code)).toEqual(['se.missing']);
    expect(summary.interchanges[0]!.groups[0]!.issues.map((i) => i.code)).toEqual(['ge.missing']);
  });

  it('reads two interchanges with different separators in one file', async () => {
    const summary = await summarize(fixture('two-interchanges.x12'), [13]);
    expect(summary.interchanges.map((i) => [i.header.controlNumber, i.header.separators.element, i.status])).toEqual([
      ['000001101', '*', 'accepted'],
      ['000001201', '|', 'accepted'],
    ]);
    expect(summary.interchanges[1]!.groups[0]!.sets[0]!.header.type).toBe('852');
  });

  it('warns about a non-standard ISA12 and reads the interchange all the same', async () => {
    const summary = await summarize(fixture('867-caret-element.x12'));
    expect(summary.interchanges[0]!.issues).toEqual([expect.objectContaining({ code: 'isa.version', severity: 'warning' })]);
    expect(summary.interchanges[0]!.groups[0]!.sets[0]!.status).toBe('accepted');
  });

  it('rejects the set holding an oversized segment with a clear error', async () => {
    const body = [...SIMPLE_867, ['N2', 'Y'.repeat(3000)]];
    const summary = await summarize(x12([body, SIMPLE_867]), [100], 1000);
    const sets = summary.interchanges[0]!.groups[0]!.sets;
    expect(sets.map((s) => s.status)).toEqual(['rejected', 'accepted']);
    expect(sets[0]!.issues[0]).toMatchObject({ code: 'segment.too_long', positionInSet: 9 });
    expect(sets[0]!.issues[0]!.message).toMatch(/longer than the maximum segment length/);
  });

  it('reports segments outside any set and any interchange with their positions', async () => {
    const text = x12([SIMPLE_867]).replace('GE*1*1~', 'REF*XX*1~\nGE*1*1~') + 'ST*867*0009~\n';
    const codes = allIssues(await summarize(text)).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['segment.outside_set', 'segment.outside_interchange']));
  });

  it('treats a file with no ISA as having no interchange', async () => {
    const summary = await summarize(fixture('not-x12.txt'));
    expect(summary.interchanges).toEqual([]);
    expect(summary.fileIssues.map((i) => i.code)).toEqual(['isa.missing']);
  });
});
