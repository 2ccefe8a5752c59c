/// <reference lib="dom" />
import { api } from '../api.js';
import { fmtDate, h, render, toast } from '../dom.js';
import type { Page } from '../main.js';

type Run = { id: number; connector: string; stream: string; status: string; trigger: string; counts: Record<string, number>; error: { code: string; message: string; failureType: string } | null; createdAt: string; startedAt: string | null; finishedAt: string | null };
type Connector = { id: string; type: string; description: string | null; enabled: boolean; enabledBy: { source: string; by?: string }; schedule: { cron?: string; tz?: string; everyMinutes?: number } | null; streams: Array<{ name: string; nextRunAt: string | null; lastRun: Run | null }> };

function progress(run: Run): Node {
  const p = run.counts.progress;
  if (run.status !== 'running' && run.status !== 'queued') return h('span', {}, run.status);
  if (p === undefined) return h('span', {}, `${run.status}: ${run.counts.read ?? 0} read`);
  const pct = Math.round(p * 100);
  return h('span', {}, h('span', { class: 'progress', role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': `run ${run.id}` }, h('span', { style: `width:${pct}%` })), ` ${pct} %`);
}

export async function showConnectors(page: Page): Promise<void> {
  const admin = page.me.role === 'admin';
  const connectorsBox = h('div');
  const runsBox = h('div', { 'aria-live': 'polite' });
  const act = async (method: string, url: string, done: (r: unknown) => string) => {
    try {
      toast(done(await api(method, url, {})));
      await refresh();
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  };
  const refresh = async () => {
    const [{ connectors }, { runs }] = await Promise.all([api<{ connectors: Connector[] }>('GET', '/api/connectors'), api<{ runs: Run[] }>('GET', '/api/runs?limit=30')]);
    connectorsBox.replaceChildren(
      h(
        'table',
        { 'aria-label': 'Connectors' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Connector'), h('th', {}, 'Status'), h('th', {}, 'Schedule'), h('th', {}, 'Streams: last run, next run'), admin ? h('th', {}, 'Actions') : null)),
        h(
          'tbody',
          {},
          connectors.map((c) =>
            h(
              'tr',
              {},
              h('td', {}, h('strong', {}, c.id), h('br'), h('span', { class: 'muted' }, `${c.type}${c.description ? ` · ${c.description}` : ''}`)),
              h('td', {}, h('span', { class: `badge ${c.enabled ? 'ok' : 'bad'}` }, c.enabled ? 'enabled' : 'disabled'), c.enabledBy.source === 'console' ? h('span', { class: 'muted' }, ` by ${c.enabledBy.by}`) : null),
              h('td', {}, c.schedule ? (c.schedule.cron ? `${c.schedule.cron} (${c.schedule.tz})` : `every ${c.schedule.everyMinutes} min`) : 'manual'),
              h('td', {}, c.streams.map((s) => h('div', {}, `${s.name}: `, s.lastRun ? [progress(s.lastRun), s.lastRun.error ? h('span', { class: 'error' }, ` ${s.lastRun.error.message}`) : null] : 'never run', s.nextRunAt ? h('span', { class: 'muted' }, ` · next ${fmtDate(s.nextRunAt)}`) : null))),
              admin
                ? h(
                    'td',
                    {},
                    h('button', { type: 'button', onclick: () => void act('POST', `/api/connectors/${c.id}/sync`, () => `${c.id}: run queued`), disabled: !c.enabled }, 'Run now'),
                    ' ',
                    h('button', { type: 'button', onclick: () => void act('POST', `/api/connectors/${c.id}/check`, (r) => `${c.id}: ${(r as { ok: boolean; message: string }).ok ? 'connection OK' : 'connection failed'}: ${(r as { message: string }).message}`) }, 'Test connection'),
                    ' ',
                    h('button', { type: 'button', onclick: () => void act('POST', `/api/connectors/${c.id}/${c.enabled ? 'disable' : 'enable'}`, () => `${c.id} ${c.enabled ? 'disabled' : 'enabled'}`) }, c.enabled ? 'Disable' : 'Enable'),
                  )
                : null,
            ),
          ),
        ),
      ),
    );
    runsBox.replaceChildren(
      h(
        'table',
        { 'aria-label': 'Recent runs' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Run'), h('th', {}, 'Stream'), h('th', {}, 'Status, progress'), h('th', { class: 'num' }, 'Read'), h('th', { class: 'num' }, 'New'), h('th', { class: 'num' }, 'Changed'), h('th', { class: 'num' }, 'Quarantined'), h('th', {}, 'Started'), h('th', {}, 'Last error'), admin ? h('th', {}, '') : null)),
        h(
          'tbody',
          {},
          runs.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, `#${r.id}`),
              h('td', {}, `${r.connector}.${r.stream}`),
              h('td', {}, progress(r)),
              h('td', { class: 'num' }, r.counts.read ?? 0),
              h('td', { class: 'num' }, r.counts.new ?? 0),
              h('td', { class: 'num' }, r.counts.changed ?? 0),
              h('td', { class: 'num' }, r.counts.quarantined ?? 0),
              h('td', {}, fmtDate(r.startedAt ?? r.createdAt)),
              h('td', {}, r.error ? h('span', { class: 'error', title: r.error.code }, r.error.message) : ''),
              admin ? h('td', {}, r.status === 'failed' ? h('button', { type: 'button', onclick: () => void act('POST', `/api/runs/${r.id}/retry`, () => `run ${r.id} queued again`) }, 'Retry') : null) : null,
            ),
          ),
        ),
      ),
    );
  };
  render(page.main, h('h1', {}, 'Connectors and runs'), connectorsBox, h('h2', {}, 'Recent runs (refreshed every 2 s)'), runsBox);
  await refresh();
  const timer = window.setInterval(() => void refresh().catch(() => undefined), 2000);
  page.stop(() => window.clearInterval(timer));
}
