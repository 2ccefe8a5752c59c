/**
 * X12 reading throughput and memory: Crosswalk's streaming reader against node-x12 (1.7.1, its streaming
 * `X12Parser` Transform), on generated 867 files of 50, 100 and 200 MB written to a temp folder.
 *
 * Each parse runs in a fresh child process so its peak RSS is its own. The readers:
 *   - crosswalk-segments   the tokenizer and envelope validation (counts, control numbers) with every element of every
 *                          segment read as a string from the tokenizer's view before the validator takes the segment:
 *                          what a program that parses segments to use them does, so the like-for-like comparison with
 *                          node-x12-events (which reads every element's value too). The element characters read are
 *                          counted by both; they differ only by node-x12's misreads (its ISA13 read as a number, and
 *                          segments glued to the previous read's leftover, see README.md)
 *   - crosswalk-envelope   `parseX12`: the same reading, every segment inside a transaction set handed out as a
 *                          standalone `X12Segment` object to keep (elements split, position) in an event object; the
 *                          envelope segments become events of their own, so its counts leave them out
 *   - crosswalk-typed      `readX12Transactions`: the full path, bytes -> segments -> envelope validation -> typed
 *                          867 sales lines and customers (identifiers validated, NDCs normalized)
 *   - node-x12             `createReadStream(file).pipe(new X12Parser())` consumed with `for await`, every segment
 *                          object consumed (how the figures in README.md were always taken)
 *   - node-x12-events      the same parser consumed through 'data' events: no await per segment, node-x12's
 *                          fastest ordinary use, so the baseline for crosswalk-segments and crosswalk-envelope
 *   - node-x12-typed       node-x12 ('data' events) as the parser under Crosswalk's envelope validation and 867
 *                          reader (each of its segments turned into an `X12Segment` and read through a view):
 *                          the same records as crosswalk-typed, the way a team using node-x12 would get them, so
 *                          the like-for-like comparison for the full path
 *
 * Wall-clock MB/s is what the ratios use (every reader in the same run, runs interleaved); CPU seconds are printed
 * too, and each run's ratio is also given in CPU seconds, because the machines these run on are shared and wall time
 * moves with other work.
 *
 *   npx tsx bench/x12-throughput.ts                  sizes 50,100,200 MB, 2 runs each, table (node-x12 with
 *                                                    `for await` only when named in --readers)
 *   npx tsx bench/x12-throughput.ts --sizes 200 --readers crosswalk-segments,node-x12-events
 *                                                    only the readers named
 *   npx tsx bench/x12-throughput.ts --sizes 20 --runs 3
 *   npx tsx bench/x12-throughput.ts --keep           keep the generated files (printed path)
 *   npx tsx bench/x12-throughput.ts --sizes 1 --passes 5
 *                                                    each process reads the file 5 times and the last pass is
 *                                                    reported: a warm process, as a long-running worker reads every
 *                                                    file after its first (the first pass is printed beside it)
 *   npx tsx bench/x12-throughput.ts --sizes 20 --runs 1 --readers crosswalk-typed --profile /tmp/x12-prof
 *                                                    a V8 CPU profile of each child run (<reader>-<size>mb-<run>.cpuprofile,
 *                                                    for Chrome DevTools); profiling slows the runs, so the figures are not comparable
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeX12 from 'node-x12';
import { readX12Transactions, TransactionDispatcher, type TransactionItem } from '../src/edi/transactions/index.js';
import { EnvelopeValidator, parseX12, readFileChunks, SegmentTokenizer, SegmentView, type EnvelopeSink, type SegmentSink, type X12Segment } from '../src/edi/x12/index.js';

const self = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;
/**
 * Node's default read size for files: every reader is handed chunks of this size. node-x12 reads the file with
 * `createReadStream`, as its README shows; Crosswalk's readers with `readFileChunks`, as the distributor-edi connector
 * and `crosswalk edi` do (1 MiB reads into two reused buffers, handed out 64 KiB at a time).
 */
const CHUNK = 64 * 1024;

/** What node-x12's parser hands out per segment (the fields read here). */
type NodeX12Segment = { tag: string; elements: Array<{ value: string }>; range: { start: { line: number } } };

type ChildResult = { reader: string; bytes: number; seconds: number; cpuSeconds: number; segments: number; records: number; chars: number; maxRssMb: number; errors: number; firstPassSeconds: number };

/** `chars`: characters in every element of every segment read (ids included), the same for readers that read the same. */
type Counts = { segments: number; records: number; errors: number; chars: number };

/**
 * Reads the file `passes` times in this process and reports the last pass: with one pass a cold process, as the
 * first file a worker reads; with more, a warm one, as a long-running worker reads every later file.
 */
async function child(reader: string, file: string, passes: number): Promise<void> {
  const bytes = statSync(file).size;
  let result: ChildResult | undefined;
  for (let pass = 1; pass <= passes; pass++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const counts = await readOnce(reader, file);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    result = { reader, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, ...counts, maxRssMb: process.resourceUsage().maxRSS / 1024, firstPassSeconds: result?.firstPassSeconds ?? seconds };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function readOnce(reader: string, file: string): Promise<Counts> {
  let segments = 0;
  let records = 0;
  let errors = 0;
  let chars = 0;
  if (reader === 'crosswalk-segments') {
    // Every element of every segment (envelope segments too) read as a string from the tokenizer's view, before the
    // validator sees the segment: what a consumer of parsed segments does with node-x12's segment objects below.
    const events: EnvelopeSink = { segment: () => undefined, event: (e) => void (e.kind === 'issue' && e.issue.severity === 'error' && errors++) };
    const validator = new EnvelopeValidator().feeding(events);
    const sink: SegmentSink = {
      segment(view) {
        segments++;
        const count = view.count;
        for (let n = 0; n < count; n++) chars += view.raw(n).length;
        validator.segment(view);
      },
      issue: (issue) => validator.issue(issue),
    };
    const tokenizer = new SegmentTokenizer();
    for await (const chunk of readFileChunks(file, { chunkSize: CHUNK })) tokenizer.scan(chunk, sink);
    tokenizer.finish(sink);
    validator.finish(events);
  } else if (reader === 'crosswalk-envelope') {
    for await (const events of parseX12(readFileChunks(file, { chunkSize: CHUNK }))) {
      for (const e of events) {
        if (e.kind === 'segment') {
          segments++;
          for (const element of e.segment.elements) chars += element.length;
        } else if (e.kind === 'issue' && e.issue.severity === 'error') errors++;
      }
    }
  } else if (reader === 'crosswalk-typed') {
    for await (const items of readX12Transactions(readFileChunks(file, { chunkSize: CHUNK }))) {
      for (const item of items) {
        if (item.kind === 'sales-line' || item.kind === 'customer') records++;
        else if (item.kind === 'set-end') segments += item.result.segmentCount;
        else if (item.kind === 'issue' && item.issue.severity === 'error') errors++;
      }
    }
  } else if (reader === 'node-x12-typed') {
    // node-x12's segments go through Crosswalk's quickest path for segment objects: each is pointed at by a view, so
    // the validator and the 867 reader take it as they take the tokenizer's segments (no event per segment).
    const parser = new nodeX12.X12Parser();
    const dispatcher = new TransactionDispatcher();
    const validator = new EnvelopeValidator().feeding(dispatcher);
    const view = new SegmentView();
    const out: TransactionItem[] = [];
    dispatcher.collect(out);
    const count = (): void => {
      for (const item of out) {
        if (item.kind === 'sales-line' || item.kind === 'customer') records++;
        else if (item.kind === 'issue' && item.issue.severity === 'error') errors++;
      }
      out.length = 0;
    };
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
      stream.on('data', (found: NodeX12Segment) => {
        segments++;
        const elements = [found.tag];
        for (const element of found.elements) elements.push(element.value);
        const segment: X12Segment = { id: found.tag, elements, position: { offset: 0, segment: segments, line: found.range.start.line + 1 }, length: 0 };
        // node-x12 keeps the separators to itself: the generated files use `*`, `~` and ISA16's component separator.
        if (found.tag === 'ISA') segment.separators = { element: '*', component: elements[16] ?? '>', segment: '~' };
        view.setSegment(segment);
        validator.segment(view);
        if (out.length > 0) count();
      });
      stream.on('end', () => {
        validator.finish(dispatcher);
        count();
        resolve();
      });
      stream.on('error', reject);
    });
  } else if (reader === 'node-x12-events') {
    const parser = new nodeX12.X12Parser();
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
      stream.on('data', (segment: NodeX12Segment) => {
        segments++;
        chars += segment.tag.length;
        for (const element of segment.elements) chars += element.value.length;
        if (segment.elements.length === 0) errors++;
      });
      stream.on('end', resolve);
      stream.on('error', reject);
    });
  } else {
    const parser = new nodeX12.X12Parser();
    const stream = createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
    for await (const segment of stream as AsyncIterable<NodeX12Segment>) {
      segments++;
      chars += segment.tag.length;
      for (const element of segment.elements) chars += element.value.length;
      if (segment.elements.length === 0) errors++;
    }
  }
  return { segments, records, errors, chars };
}

/**
 * Writes an 867 file of about `targetBytes`: sets of 200 PTD loops, each a ship-to with three ids and three lines. No two
 * lines in a row share an invoice date, so a reader that remembers the last date it read gains nothing here.
 */
async function generate(file: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: CHUNK });
  let written = 0;
  const write = async (text: string): Promise<void> => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const isa = 'ISA*00*          *00*          *ZZ*CARDINALHLTH   *ZZ*ACMEPHARMA     *240305*1015*U*00401*000000001*0*P*>~\n';
  await write(isa);
  await write('GS*PT*CARDINALHLTH*ACMEPHARMA*20240305*1015*1*X*004010~\n');
  const ndcs = ['00002143380', '50242004062', '60575411201', '00071015523'];
  let sets = 0;
  while (written < targetBytes - 200_000) {
    sets++;
    const control = String(sets).padStart(4, '0');
    const parts: string[] = [`ST*867*${control}~\n`, `BPT*00*RPT-${sets}*20240301*SS~\n`, 'DTM*090*20240201~\n', 'DTM*091*20240229~\n', 'N1*DS*CARDINAL HEALTH*11*FW7654329~\n'];
    let lines = 0;
    for (let p = 0; p < 200; p++) {
      const n = sets * 1000 + p;
      parts.push('PTD*SS***CT*10051480081~\n', `N1*ST*PHARMACY NUMBER ${n}*11*BC2345672~\n`, `N3*${n} MAIN STREET~\n`, 'N4*COLUMBUS*OH*43215~\n', `REF*HI*H${String(n).padStart(8, '0').slice(-8)}~\n`);
      for (let l = 0; l < 3; l++) {
        lines++;
        parts.push(`QTY*32*${(n + l) % 7 === 0 ? -2 : 10 + l}*EA~\n`, `LIN**N4*${ndcs[(n + l) % ndcs.length]}~\n`, 'UIT*EA*125.50~\n', `AMT*1*${(1255 + l).toFixed(2)}~\n`, `REF*IN*INV-${n}-${l}~\n`, `DTM*003*202402${String(1 + ((n * 3 + l) % 28)).padStart(2, '0')}~\n`);
      }
    }
    parts.push(`CTT*${lines}~\n`);
    const segmentCount = parts.length + 1;
    parts.push(`SE*${segmentCount}*${control}~\n`);
    await write(parts.join(''));
  }
  await write(`GE*${sets}*1~\n`);
  await write('IEA*1*000000001~\n');
  out.end();
  await once(out, 'finish');
  return written;
}

function runChild(reader: string, file: string, profileName?: string): ChildResult {
  const profileDir = arg('--profile');
  const profile = profileDir !== undefined && profileName !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${profileName}.cpuprofile`] : [];
  const result = spawnSync(process.execPath, [...profile, ...process.execArgv, self, '--child', reader, file, '--passes', arg('--passes') ?? '1'], { encoding: 'utf8', maxBuffer: 10 * MB });
  if (result.status !== 0) throw new Error(`${reader} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() as string) as ChildResult;
}

/** Each Crosswalk reader against the node-x12 use that does the same job (and the typed path against bare parsing). */
const COMPARISONS: Array<[string, string]> = [
  ['crosswalk-segments', 'node-x12-events'],
  ['crosswalk-segments', 'node-x12'],
  ['crosswalk-envelope', 'node-x12-events'],
  ['crosswalk-envelope', 'node-x12'],
  ['crosswalk-typed', 'node-x12-typed'],
  ['crosswalk-typed', 'node-x12-events'],
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    await child(arg('--child') as string, process.argv[process.argv.indexOf('--child') + 2] as string, Number(arg('--passes') ?? '1'));
    return;
  }
  const sizes = (arg('--sizes') ?? '50,100,200').split(',').map(Number);
  const runs = Number(arg('--runs') ?? '2');
  const readers = (arg('--readers') ?? 'crosswalk-segments,crosswalk-envelope,crosswalk-typed,node-x12-events,node-x12-typed').split(',');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'x12-bench-'));
  const rows: Array<Record<string, string>> = [];
  const ratioLines: string[] = [];
  try {
    for (const size of sizes) {
      const file = path.join(dir, `867-${size}mb.x12`);
      const t0 = Date.now();
      const bytes = await generate(file, size * MB);
      process.stderr.write(`generated ${file} (${(bytes / MB).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      // Runs alternate between readers so that load from other work on the machine falls on all of them alike.
      const results = new Map<string, ChildResult[]>(readers.map((r) => [r, []]));
      for (let r = 0; r < runs; r++) {
        for (const reader of readers) {
          const res = runChild(reader, file, `${reader}-${size}mb-${r + 1}`);
          results.get(reader)!.push(res);
          const first = res.firstPassSeconds !== res.seconds ? ` (first pass ${(res.bytes / MB / res.firstPassSeconds).toFixed(1)} MB/s)` : '';
          process.stderr.write(`  ${reader} run ${r + 1}: ${(res.bytes / MB / res.seconds).toFixed(1)} MB/s (${res.cpuSeconds.toFixed(2)} s CPU), peak RSS ${res.maxRssMb.toFixed(0)} MB${first}\n`);
        }
      }
      for (const reader of readers) {
        const list = results.get(reader)!;
        const speeds = list.map((x) => x.bytes / MB / x.seconds).sort((a, b) => a - b);
        const best = list.reduce((a, b) => (a.seconds < b.seconds ? a : b));
        rows.push({
          size: `${size} MB`,
          reader,
          'MB/s (best)': speeds[speeds.length - 1]!.toFixed(1),
          'MB/s (median)': speeds[Math.floor(speeds.length / 2)]!.toFixed(1),
          'seconds (best)': best.seconds.toFixed(2),
          'CPU s (best)': Math.min(...list.map((x) => x.cpuSeconds)).toFixed(2),
          'peak RSS MB (max)': Math.max(...list.map((x) => x.maxRssMb)).toFixed(0),
          segments: String(best.segments),
          'element chars': best.chars ? String(best.chars) : '',
          'typed records': best.records ? String(best.records) : '',
          errors: String(best.errors),
        });
      }
      // Ratios within each run: the readers of one run shared the machine's load, so these move less than MB/s.
      for (let r = 0; r < runs; r++) {
        const speed = (reader: string): number | undefined => {
          const res = results.get(reader)?.[r];
          return res ? res.bytes / MB / res.seconds : undefined;
        };
        const cpu = (reader: string): number | undefined => results.get(reader)?.[r]?.cpuSeconds;
        const parts: string[] = [];
        for (const [ours, theirs] of COMPARISONS) {
          const mine = speed(ours);
          const base = speed(theirs);
          const cpuOurs = cpu(ours);
          const baseCpu = cpu(theirs);
          // Wall-clock ratio, then the ratio of CPU seconds (what the wall ratio would be on an idle machine).
          if (mine !== undefined && base !== undefined && cpuOurs !== undefined && baseCpu !== undefined) parts.push(`${ours}/${theirs} ${(mine / base).toFixed(1)}x (CPU ${(baseCpu / cpuOurs).toFixed(1)}x)`);
        }
        if (parts.length > 0) ratioLines.push(`${size} MB run ${r + 1}: ${parts.join(', ')}`);
      }
      if (!process.argv.includes('--keep')) rmSync(file, { force: true });
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
  for (const line of ratioLines) process.stdout.write(`${line}\n`);
  for (const size of sizes) {
    const median = (reader: string): number | undefined => {
      const row = rows.find((r) => r.size === `${size} MB` && r.reader === reader);
      return row ? Number(row['MB/s (median)']) : undefined;
    };
    for (const [ours, theirs] of COMPARISONS) {
      const mine = median(ours);
      const base = median(theirs);
      if (mine && base) process.stdout.write(`${size} MB (median throughput): ${ours} ${(mine / base).toFixed(1)}x ${theirs}\n`);
    }
  }
}

function printTable(rows: Array<Record<string, string>>): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => r[c] ?? ''))}\n`);
}

await main();
