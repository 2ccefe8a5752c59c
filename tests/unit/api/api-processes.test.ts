import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiProcesses, type ApiProcesses } from '../../../src/api/processes.js';

const entry = path.resolve('tests/fixtures/api-process/pid-server.ts');
const logger = pino({ level: 'silent' });
let running: ApiProcesses | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/**
 * The pid of the process that answered, on a new connection each time; undefined when the connection failed (one
 * handed to a process as it was killed is reset) or went unanswered for a second.
 */
function pidAt(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(Number(body)));
    });
    req.on('timeout', () => req.destroy()).on('error', () => resolve(undefined)).end();
  });
}

async function pidsAnswering(url: string, requests: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < requests; i++) {
    const pid = await pidAt(url);
    if (pid !== undefined) pids.add(pid);
  }
  return pids;
}

describe('API served by several processes', () => {
  it('shares one port between the processes, connections going to each in turn', async () => {
    running = await startApiProcesses({ count: 2, entry, execArgv: ['--import', 'tsx'], logger });
    const pids = await pidsAnswering(running.url, 6);
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('starts a process that died again, and the port keeps answering meanwhile', async () => {
    running = await startApiProcesses({ count: 2, entry, execArgv: ['--import', 'tsx'], logger });
    const before = await pidsAnswering(running.url, 4);
    const victim = [...before][0]!;
    process.kill(victim, 'SIGKILL');
    // The survivor answers while the dead one is replaced; then two processes answer again, one of them new.
    let after = new Set<number>();
    for (let attempt = 0; attempt < 100 && after.size < 2; attempt++) {
      after = await pidsAnswering(running.url, 4);
      if (after.size < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after.size).toBe(2);
    expect(after.has(victim)).toBe(false);
  });

  it('keeps starting a dead process again while its starts fail, until one succeeds', async () => {
    const flag = path.join(mkdtempSync(path.join(tmpdir(), 'cw-api-proc-')), 'fail-once');
    running = await startApiProcesses({ count: 2, entry, execArgv: ['--import', 'tsx'], env: { API_PROCESS_FAIL_ONCE: flag }, logger });
    const before = await pidsAnswering(running.url, 4);
    writeFileSync(flag, '');
    process.kill([...before][0]!, 'SIGKILL');
    // The first start after the death fails (and removes the flag); the one after it, a second later, serves.
    let after = new Set<number>();
    for (let attempt = 0; attempt < 100 && after.size < 2; attempt++) {
      after = await pidsAnswering(running.url, 4);
      if (after.size < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(flag)).toBe(false);
    expect(after.size).toBe(2);
  });

  it('fails with the reason a process gave when it cannot start', async () => {
    await expect(startApiProcesses({ count: 2, entry, execArgv: ['--import', 'tsx'], env: { API_PROCESS_FAIL: 'the store is unreachable' }, logger })).rejects.toThrow(
      /the store is unreachable/,
    );
  });
});
