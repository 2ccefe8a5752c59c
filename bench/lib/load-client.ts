/**
 * The load generator of bench/api-load.ts, in a process of its own so that its work does not run on the API
 * server's event loop. Reads its plan (a JSON file named by the first argument), runs each scenario's requests
 * against the server, cycling through the scenario's paths in a shuffled order, and prints one JSON line per
 * scenario on stdout.
 *
 * Two load tools, both closed loop (every client sends its next request when the last one is answered), both
 * timing a request from its write to its answer:
 *   - wrk (Debian's package; C, one thread here): what api-load.ts uses when it is installed. It takes a few per cent
 *     of a core at the rates measured, which on a 2-core machine is CPU the server and PostgreSQL keep.
 *   - autocannon (npm; JavaScript): 12-30 % of a core at the same rates.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export type LoadTool = 'wrk' | 'autocannon';

export type LoadPlan = {
  url: string;
  key: string;
  connections: number;
  duration: number;
  warmup: number;
  tool: LoadTool;
  scenarios: Array<{ name: string; paths: string[] }>;
};

export type ScenarioResult = { scenario: string; requests: number; rps: number; p50: number; p90: number; p99: number; max: number; failed: number };

type Figures = Omit<ScenarioResult, 'scenario'>;

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;

async function runAutocannon(paths: string[], duration: number): Promise<Figures> {
  let next = 0;
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration,
    headers: { authorization: `Bearer ${plan.key}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  });
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

const wrkScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-wrk.lua');

async function runWrk(paths: string[], duration: number): Promise<Figures> {
  const pathsFile = path.join(tmpdir(), `crosswalk-load-paths-${process.pid}.txt`);
  writeFileSync(pathsFile, `${paths.join('\n')}\n`);
  try {
    const child = spawn('wrk', ['-t', '1', '-c', String(plan.connections), '-d', `${duration}s`, '--timeout', '10s', '-s', wrkScript, plan.url], {
      env: { ...process.env, CW_PATHS: pathsFile, CW_KEY: plan.key },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (code !== 0 || !line) throw new Error(`wrk exited with ${code}: ${out}`);
    const r = JSON.parse(line) as { requests: number; microseconds: number; p50: number; p90: number; p99: number; max: number; failed: number };
    const ms = (us: number) => Math.round(us / 100) / 10;
    return { requests: r.requests, rps: Math.round(r.requests / (r.microseconds / 1e6)), p50: ms(r.p50), p90: ms(r.p90), p99: ms(r.p99), max: ms(r.max), failed: r.failed };
  } finally {
    rmSync(pathsFile, { force: true });
  }
}

const run = plan.tool === 'wrk' ? runWrk : runAutocannon;
for (const scenario of plan.scenarios) {
  // Let a request arrive before the measurement starts: the parent samples the server's CPU between the lines.
  if (plan.warmup > 0) await run(scenario.paths, plan.warmup);
  process.stdout.write(`${JSON.stringify({ start: scenario.name })}\n`);
  const figures = await run(scenario.paths, plan.duration);
  process.stdout.write(`${JSON.stringify({ result: { scenario: scenario.name, ...figures } satisfies ScenarioResult })}\n`);
}
