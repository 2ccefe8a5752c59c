import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../pipeline/engine.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * bull-board, BullMQ's dashboard, at /admin/queues: every queue, its jobs, their data, progress and errors,
 * with retry and clean buttons. It can change the queues, so it must sit behind auth once there is auth.
 * Registered in its own encapsulated context (it brings its own static files and views).
 */
export async function bullBoardPlugin(app: FastifyInstance, options: { engine: Engine }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: [new BullMQAdapter(options.engine.sync.queue), new BullMQAdapter(options.engine.match.queue)],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Crosswalk queues' } },
  });
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
