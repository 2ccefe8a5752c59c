import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeError } from '../../errors.js';
import { SCHEDULER_PREFIX, syncDeduplicationId } from '../../pipeline/queue-names.js';
import { listRuns } from '../../store/sync-run.repository.js';
import { findConnector, type ConnectorInstance } from '../../workspace/workspace.js';
import { loadConnectorOverrides, setConnectorEnabled, type ConnectorOverride } from '../queries/connector-overrides.js';
import { actorOf } from '../plugins/auth.js';
import { ApiError } from '../plugins/error-handler.js';
import { RunSchema } from './runs.js';
import { errors, ReasonSchema, type ApiContext } from './shared.js';

const SECRET_KEY = /pass(word)?|secret|token|private|credential|api[-_]?key|client[-_]?key|auth/i;

/** A connector's configuration with every secret masked: keys that look secret, and passwords inside URLs. */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (SECRET_KEY.test(key) && typeof value !== 'object') return '********';
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskSecrets(v, k)]));
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/\s]*:[^@/\s]*@/i.test(value)) return value.replace(/(\/\/[^:/\s]*:)[^@/\s]*@/, '$1********@');
  return value;
}

const ScheduleSchema = z.union([z.object({ cron: z.string(), tz: z.string() }), z.object({ everyMinutes: z.number() })]);
const ConnectorSchema = z.object({
  id: z.string(),
  type: z.string(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  enabledBy: z.object({ source: z.enum(['workspace', 'console']), by: z.string().optional(), at: z.string().optional() }),
  masters: z.enum(['create', 'resolve']),
  schedule: ScheduleSchema.nullable(),
  streams: z.array(z.object({ name: z.string(), description: z.string().nullable(), nextRunAt: z.string().nullable(), lastRun: RunSchema.nullable() })),
  config: z.unknown().describe('secrets masked'),
});

/** Connectors of the workspace: configuration (secrets masked), test connection, enable/disable, schedule, run now. */
export const connectorRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub, engine }) => {
  const tags = ['connectors'];
  const describeConnector = async (c: ConnectorInstance, overrides: Map<string, ConnectorOverride>, nextRuns: Map<string, string>) => {
    const runs = await listRuns(hub.db, { connector: c.id, limit: 50 });
    const o = overrides.get(c.id);
    return {
      id: c.id,
      type: c.type,
      description: c.description ?? null,
      enabled: c.enabled,
      enabledBy: o ? { source: 'console' as const, by: o.updatedBy, at: o.updatedAt } : { source: 'workspace' as const },
      masters: c.masters,
      schedule: c.schedule ?? null,
      streams: c.streams.map((s) => ({
        name: s.name,
        description: s.description ?? null,
        nextRunAt: nextRuns.get(`${SCHEDULER_PREFIX}${syncDeduplicationId(c.id, s.name)}`) ?? null,
        lastRun: runs.find((r) => r.stream === s.name) ?? null,
      })),
      config: maskSecrets(c.config),
    };
  };
  const nextRunTimes = async (): Promise<Map<string, string>> => {
    try {
      const schedulers = await engine.sync.queue.getJobSchedulers(0, -1);
      return new Map(schedulers.filter((s) => s.next).map((s) => [s.key, new Date(s.next!).toISOString()]));
    } catch {
      return new Map(); // the queue backend is down: the rest of the page is still worth showing
    }
  };

  app.get(
    '/api/connectors',
    { config: { access: 'viewer' }, schema: { tags, summary: 'Connectors with their status, schedule and last runs', response: { 200: z.object({ connectors: z.array(ConnectorSchema) }), ...errors() } } },
    async () => {
      const [overrides, next] = await Promise.all([loadConnectorOverrides(hub.db), nextRunTimes()]);
      const connectors = [];
      for (const c of hub.workspace.connectors) connectors.push(await describeConnector(c, overrides, next));
      return { connectors };
    },
  );

  app.get(
    '/api/connectors/:id',
    { config: { access: 'viewer' }, schema: { tags, summary: 'One connector', params: z.object({ id: z.string() }), response: { 200: ConnectorSchema, ...errors(404) } } },
    async (request) => describeConnector(findConnector(hub.workspace, request.params.id), await loadConnectorOverrides(hub.db), await nextRunTimes()),
  );

  app.post(
    '/api/connectors/:id/check',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Test the connection (the connector's check)",
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ ok: z.boolean(), code: z.string().optional(), message: z.string(), seconds: z.number() }), ...errors(404) },
      },
    },
    async (request) => {
      const c = findConnector(hub.workspace, request.params.id);
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          c.definition.check(c.config, { workspaceDir: hub.workspace.dir }),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000))),
        ]);
        const seconds = (performance.now() - started) / 1000;
        return result.ok ? { ok: true, message: result.message ?? 'Connected.', seconds } : { ok: false, code: result.code, message: result.message, seconds };
      } catch (error) {
        const e = describeError(error);
        return { ok: false, code: e.code, message: e.message, seconds: (performance.now() - started) / 1000 };
      } finally {
        clearTimeout(timer);
      }
    },
  );

  for (const enabled of [true, false]) {
    app.post(
      `/api/connectors/:id/${enabled ? 'enable' : 'disable'}`,
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: `${enabled ? 'Enable' : 'Disable'} a connector (kept in the store; wins over crosswalk.yaml; schedules follow)`,
          params: z.object({ id: z.string() }),
          body: z.object({ reason: ReasonSchema }).default({}),
          response: { 200: ConnectorSchema, ...errors(404) },
        },
      },
      async (request) => {
        const c = findConnector(hub.workspace, request.params.id);
        await setConnectorEnabled(hub.db, c.id, enabled, actorOf(request), c.enabled, request.body?.reason);
        c.enabled = enabled;
        await engine.sync.applySchedules(hub.workspace);
        return describeConnector(c, await loadConnectorOverrides(hub.db), await nextRunTimes());
      },
    );
  }

  app.post(
    '/api/connectors/:id/sync',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Run now: a manual run of every stream of a connector, or of one; answers at once',
        params: z.object({ id: z.string() }),
        body: z
          .object({
            stream: z.string().min(1).optional(),
            since: z.iso.date().or(z.iso.datetime()).optional().describe('backfill: records changed since this date, instead of from the checkpoint'),
          })
          .default({}),
        response: { 202: z.object({ runs: z.array(RunSchema.extend({ joined: z.boolean() })) }), ...errors(400, 404, 422) },
      },
    },
    async (request, reply) => {
      const connector = findConnector(hub.workspace, request.params.id);
      const body = request.body ?? {};
      if (!connector.enabled) throw new ApiError(422, 'connector.disabled', `Connector "${connector.id}" is disabled: enable it first.`);
      if (body.stream && !connector.streams.some((s) => s.name === body.stream)) {
        throw new ApiError(404, 'stream.not_found', `Connector "${connector.id}" has no stream "${body.stream}"; it has: ${connector.streams.map((s) => s.name).join(', ')}.`);
      }
      const streams = body.stream ? [body.stream] : connector.streams.map((s) => s.name);
      const runs = [];
      for (const stream of streams) {
        const { run, joined } = await engine.sync.request({ connectorId: connector.id, stream, trigger: `api (${actorOf(request)})`, since: body.since });
        runs.push({ ...run, joined });
      }
      return reply.status(202).send({ runs });
    },
  );
};
