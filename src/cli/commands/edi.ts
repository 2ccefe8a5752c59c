import type { Command } from 'commander';
import { buildAcknowledgements } from '../../edi/ack/index.js';
import { readX12Transactions } from '../../edi/transactions/index.js';
import { formatIssue, formatPosition, readFileChunks, type InterchangeResult, type SetHeader, type X12Issue } from '../../edi/x12/index.js';
import { ConfigError } from '../../errors.js';
import { action } from '../output.js';

type ParseOptions = { json?: boolean; maxSegmentLength?: string };

/**
 * `crosswalk edi parse <file>` shows an X12 file's structure (interchanges, groups, sets with type, status, segment
 * and record counts) and every validation issue with its byte offset, segment number and line;
 * `crosswalk edi ack <file>` prints the 997/999 acknowledgement(s) the distributor-edi connector would send.
 */
export function registerEdiCommand(program: Command): void {
  const edi = program.command('edi').description('read distributor EDI (ASC X12 867, 852, 844) files');

  edi
    .command('parse')
    .description('print the structure of an X12 file and every validation issue with its position')
    .argument('<file>', 'the X12 file')
    .option('--json', 'print JSON instead of text')
    .option('--max-segment-length <bytes>', 'longest segment accepted', '65536')
    .action(
      action(async (file: string, options: ParseOptions) => {
        const report = await inspectFile(file, options);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          process.stdout.write(formatReport(report));
        }
        if (report.errors > 0) process.exitCode = 1;
      }),
    );

  edi
    .command('ack')
    .description('print the 997 (004010) or 999 (005010) acknowledgement for each functional group of an X12 file')
    .argument('<file>', 'the X12 file')
    .option('--max-segment-length <bytes>', 'longest segment accepted', '65536')
    .action(
      action(async (file: string, options: ParseOptions) => {
        const report = await inspectFile(file, options);
        const acks = buildAcknowledgements(report.interchanges);
        if (acks.length === 0) throw new ConfigError('edi.no_groups', `${file} holds no readable functional group to acknowledge: run \`crosswalk edi parse ${file}\` to see why.`);
        for (const ack of acks) process.stdout.write(ack.text);
      }),
    );
}

type SetCounts = Record<string, number>;

const setKey = (set: SetHeader): string => `${set.interchangeIndex}.${set.groupIndex}.${set.index}`;

export type EdiFileReport = {
  file: string;
  bytes: number;
  interchanges: InterchangeResult[];
  fileIssues: X12Issue[];
  /** Records read per set, keyed `interchange.group.set`. */
  records: Record<string, SetCounts>;
  errors: number;
  warnings: number;
};

async function inspectFile(file: string, options: ParseOptions): Promise<EdiFileReport> {
  const maxSegmentLength = Number(options.maxSegmentLength ?? 65536);
  if (!Number.isInteger(maxSegmentLength) || maxSegmentLength < 106) throw new ConfigError('edi.max_segment_length', '--max-segment-length must be a whole number of bytes, at least 106.');
  const interchanges: InterchangeResult[] = [];
  const fileIssues: X12Issue[] = [];
  const records: Record<string, SetCounts> = {};
  let bytes = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of readFileChunks(file)) {
      bytes += chunk.length;
      yield chunk;
    }
  }
  // The records of a set come together: its counts are looked up once per set, not once per record.
  let lastSet: SetHeader | undefined;
  let counts: SetCounts = {};
  try {
    for await (const items of readX12Transactions(counted(), { maxSegmentLength })) {
      for (const item of items) {
        if (item.kind === 'interchange-end') interchanges.push(item.result);
        else if (item.kind === 'issue' && item.issue.scope === 'file') fileIssues.push(item.issue);
        else if (item.kind === 'customer' || item.kind === 'sales-line' || item.kind === 'inventory' || item.kind === 'chargeback-line') {
          const set = item.context.set;
          if (set !== lastSet) {
            lastSet = set;
            counts = records[setKey(set)] ??= {};
          }
          counts[item.kind] = (counts[item.kind] ?? 0) + 1;
        }
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new ConfigError('edi.file_missing', `${file} does not exist.`);
    throw error;
  }
  const all = [...fileIssues, ...interchanges.flatMap((i) => [...i.issues, ...i.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])])];
  return { file, bytes, interchanges, fileIssues, records, errors: all.filter((i) => i.severity === 'error').length, warnings: all.filter((i) => i.severity === 'warning').length };
}

function formatReport(report: EdiFileReport): string {
  const lines: string[] = [`${report.file}: ${report.bytes} bytes, ${report.interchanges.length} interchange(s), ${report.errors} error(s), ${report.warnings} warning(s)`];
  for (const issue of report.fileIssues) lines.push(`  ${formatIssue(issue)}`);
  for (const ic of report.interchanges) {
    const h = ic.header;
    const seps = `element "${h.separators.element}" component "${h.separators.component}" segment "${h.separators.segment === '\n' ? '\\n' : h.separators.segment}"`;
    lines.push(`interchange ${h.controlNumber} ${h.senderQualifier}:${h.senderId} -> ${h.receiverQualifier}:${h.receiverId} ISA12 ${h.version} (${seps}) ${ic.status} at ${formatPosition(h.position)}`);
    for (const issue of ic.issues) lines.push(`  ${formatIssue(issue)}`);
    for (const g of ic.groups) {
      lines.push(`  group ${g.header.functionalId || '(none)'} ${g.header.controlNumber || '(none)'} ${g.header.version} ${g.sets.length} set(s) ${g.status}`);
      for (const issue of g.issues) lines.push(`    ${formatIssue(issue)}`);
      for (const s of g.sets) {
        const counts = report.records[setKey(s.header)] ?? {};
        const countText = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'no records';
        lines.push(`    set ${s.header.type} ${s.header.controlNumber} ${s.segmentCount} segments ${s.status}: ${countText}`);
        for (const issue of s.issues) lines.push(`      ${formatIssue(issue)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
