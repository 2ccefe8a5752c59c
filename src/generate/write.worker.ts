/**
 * Worker thread of writeSources: renders the physician blocks shard, shard + shards, ... and posts each block's
 * encoded text to the main thread, which writes blocks in order. At most two blocks are in flight; the main thread
 * posts 'ack' for each block it has written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderers, populationForJob, renderPhysicianBlock, type WorkerJob, type WorkerMessage } from './write.js';

const MAX_IN_FLIGHT = 2;

async function run(job: WorkerJob, port: NonNullable<typeof parentPort>): Promise<void> {
  const population = populationForJob(job);
  const renderers = createRenderers(population, job.sources);
  const encoder = new TextEncoder();
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    inFlight--;
    wake?.();
  });
  const blocks = Math.ceil(population.physicianCount / job.blockSize);
  for (let block = job.shard; block < blocks; block += job.shards) {
    while (inFlight >= MAX_IN_FLIGHT) {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    const from = block * job.blockSize;
    const parts = renderPhysicianBlock(population, renderers, from, Math.min(population.physicianCount, from + job.blockSize));
    const lines = parts.map((p) => encoder.encode(p.lines));
    const truth = parts.map((p) => encoder.encode(p.truth));
    const message: WorkerMessage = { block, lines, truth, rows: parts.map((p) => p.rows), records: parts.map((p) => p.records) };
    port.postMessage(message, [...lines, ...truth].map((a) => a.buffer as ArrayBuffer));
    inFlight++;
  }
  port.close();
}

if (parentPort) await run(workerData as WorkerJob, parentPort);
