/// <reference lib="dom" />
import { api } from '../api.js';
import { fmtDate, h, render } from '../dom.js';
import type { Page } from '../main.js';

type Entry = { id: number; at: string; actor: string; action: string; entityType: string | null; entityId: string | null; reason: string | null; before: unknown; after: unknown };

export async function showAudit(page: Page): Promise<void> {
  const actor = h('input', { id: 'a-actor', name: 'actor' });
  const entity = h('input', { id: 'a-entity', name: 'entityId', value: page.params[0] ?? '' });
  const results = h('div', { 'aria-live': 'polite' });
  const run = async () => {
    const params = new URLSearchParams({ limit: '100' });
    if (actor.value.trim()) params.set('actor', actor.value.trim());
    if (entity.value.trim()) params.set('entityId', entity.value.trim());
    const { entries } = await api<{ entries: Entry[] }>('GET', `/api/audit?${params}`);
    results.replaceChildren(
      h(
        'table',
        { 'aria-label': 'Audit entries' },
        h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Who'), h('th', {}, 'What'), h('th', {}, 'Entity'), h('th', {}, 'Why'), h('th', {}, 'Before / after'))),
        h(
          'tbody',
          {},
          entries.map((e) =>
            h(
              'tr',
              {},
              h('td', {}, fmtDate(e.at)),
              h('td', {}, e.actor),
              h('td', {}, e.action),
              h('td', {}, e.entityType === 'hcp' || e.entityType === 'hco' ? h('a', { href: `#/masters/${e.entityId}` }, e.entityId ?? '') : `${e.entityType ?? ''} ${e.entityId ?? ''}`),
              h('td', {}, e.reason ?? ''),
              h('td', {}, h('details', {}, h('summary', {}, 'show'), h('pre', {}, JSON.stringify({ before: e.before, after: e.after }, null, 2)))),
            ),
          ),
        ),
      ),
    );
  };
  render(
    page.main,
    h('h1', {}, 'Audit log'),
    h('form', { class: 'inline', onsubmit: (ev: Event) => (ev.preventDefault(), void run()) }, h('label', { for: 'a-actor' }, 'Actor', actor), h('label', { for: 'a-entity' }, 'Entity id', entity), h('button', { class: 'primary', type: 'submit' }, 'Filter')),
    results,
  );
  await run();
}
