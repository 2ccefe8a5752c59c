/**
 * The load generator of bench/api-load.ts, in a process of its own so that autocannon's work does not run on the
 * API server's event loop. Reads its plan (a JSON file named by the first argument), runs each scenario's
 * requests against the server, cycling through the scenario's paths in a shuffled order, and prints one JSON line
 * per scenario on stdout.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export type LoadPlan = {
  url: string;
  key: string;
  connections: number;
  duration: number;
  warmup: number;
  scenarios: Array<{ name: string; paths: string[] }>;
};

export type ScenarioResult = { scenario: string; requests: number; rps: number; p50: number; p90: number; p99: number; max: number; failed: number };

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;

async function run(paths: string[], duration: number) {
  let next = 0;
  return autocannon({
    url: plan.url,
    connections: plan.connections,
    duration,
    headers: { authorization: `Bearer ${plan.key}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  });
}

for (const scenario of plan.scenarios) {
  // Let a request arrive before the measurement starts: the parent samples the server's CPU between the lines.
  if (plan.warmup > 0) await run(scenario.paths, plan.warmup);
  process.stdout.write(`${JSON.stringify({ start: scenario.name })}\n`);
  const result = await run(scenario.paths, plan.duration);
  const line: ScenarioResult = {
    scenario: scenario.name,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    failed: result.non2xx + result.errors + result.timeouts,
  };
  process.stdout.write(`${JSON.stringify({ result: line })}\n`);
}
