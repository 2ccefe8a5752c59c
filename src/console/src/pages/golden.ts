/// <reference lib="dom" />
import { api } from '../api.js';
import { fmtDate, h, render, toast } from '../dom.js';
import type { Page } from '../main.js';

type Explained = { value: unknown; display: string; from: string; ruleLabel: string; rule: string; at: string; pinnedBy?: string };
type Attribute = Explained & { attribute: string; competitors: Explained[]; pinned: boolean; items?: Array<Explained & { primary?: boolean; carriedBy: string[] }> };
type Golden = {
  id: string;
  entityType: string;
  status: string;
  displayName: string | null;
  redirectedFrom?: string;
  version: number;
  computedAt: string;
  attributes: Attribute[];
  members: Array<{ ref: string; linkedBy: string; reason: string; linkedAt: string; record: { connector: string; stream: string; sourceId: string; payload: unknown; issues: Array<{ field?: string; code?: string }> } | null }>;
  history: Array<{ at: string; kind: string; detail: string; actor?: string }>;
  merges: Array<{ id: number; winnerId: string; loserId: string; actor: string; reason: string; mergedAt: string; undoneAt: string | null }>;
};

export async function showGolden(page: Page): Promise<void> {
  const id = page.params[0] ?? '';
  const golden = await api<Golden>('GET', `/api/masters/${encodeURIComponent(id)}`);
  const steward = page.me.role !== 'viewer';
  const reload = () => void showGolden(page);
  const act = async (method: string, url: string, body: unknown, done: string) => {
    try {
      await api(method, url, body);
      toast(done);
      reload();
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  };
  const pin = (a: Attribute, value: unknown) => act('PUT', `/api/masters/${golden.id}/pins/${a.attribute}`, { value, reason: 'chosen in the console' }, `${a.attribute} pinned`);

  render(
    page.main,
    h('h1', {}, golden.displayName ?? golden.id),
    h(
      'p',
      { class: 'muted' },
      `${golden.id} · ${golden.entityType} · ${golden.status} · version ${golden.version} · computed ${fmtDate(golden.computedAt)}`,
      golden.redirectedFrom ? ` · ${golden.redirectedFrom} was merged into it` : '',
    ),
    h('h2', {}, 'Values and where they came from'),
    h(
      'table',
      { 'aria-label': 'Golden values with their lineage' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Attribute'), h('th', {}, 'Value'), h('th', {}, 'Winning source'), h('th', {}, 'Rule'), h('th', {}, 'Competing values'), steward ? h('th', {}, 'Steward') : null)),
      h(
        'tbody',
        {},
        golden.attributes.map((a) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, a.attribute),
            h('td', {}, a.items ? h('ul', {}, a.items.map((i) => h('li', {}, i.display, i.primary ? h('span', { class: 'badge' }, 'primary') : null, h('span', { class: 'muted' }, ` (${i.carriedBy.join(', ') || i.from})`)))) : a.display, a.pinned ? h('span', { class: 'badge pin' }, `pinned by ${a.pinnedBy}`) : null),
            h('td', {}, a.from),
            h('td', {}, a.ruleLabel),
            h(
              'td',
              {},
              a.competitors.length
                ? h(
                    'ul',
                    {},
                    a.competitors.map((c) => h('li', {}, `${c.display} `, h('span', { class: 'muted' }, `(${c.from})`), steward && c.value !== undefined && c.rule !== 'steward_pin_rejected' ? h('button', { type: 'button', onclick: () => void pin(a, c.value), 'aria-label': `Pin ${a.attribute} to ${c.display}` }, 'Pin this') : null)),
                  )
                : h('span', { class: 'muted' }, '—'),
            ),
            steward ? h('td', {}, a.pinned ? h('button', { type: 'button', onclick: () => void act('DELETE', `/api/masters/${golden.id}/pins/${a.attribute}`, undefined, `${a.attribute} unpinned`) }, 'Unpin') : h('button', { type: 'button', onclick: () => void pin(a, a.value), 'aria-label': `Pin the current ${a.attribute}` }, 'Pin')) : null,
          ),
        ),
      ),
    ),
    h('h2', {}, `Member source records (${golden.members.length})`),
    h(
      'table',
      { 'aria-label': 'Member source records' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Source'), h('th', {}, 'Source id'), h('th', {}, 'Linked'), h('th', {}, 'Why'), h('th', {}, 'Payload as received'))),
      h(
        'tbody',
        {},
        golden.members.map((m) =>
          h(
            'tr',
            {},
            h('td', {}, m.record ? `${m.record.connector}/${m.record.stream}` : m.ref),
            h('td', {}, m.record?.sourceId ?? ''),
            h('td', {}, `${m.linkedBy}, ${fmtDate(m.linkedAt)}`),
            h('td', {}, m.reason, m.record?.issues.map((i) => h('span', { class: 'badge bad' }, `${i.field}: ${i.code}`))),
            h('td', {}, h('details', {}, h('summary', {}, 'show'), h('pre', {}, JSON.stringify(m.record?.payload, null, 2)))),
          ),
        ),
      ),
    ),
    h('h2', {}, 'Merges'),
    golden.merges.length
      ? h(
          'table',
          { 'aria-label': 'Merges' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Merge'), h('th', {}, 'Who, when'), h('th', {}, 'Why'), h('th', {}, ''))),
          h(
            'tbody',
            {},
            golden.merges.map((m) =>
              h(
                'tr',
                {},
                h('td', {}, `#${m.id}: ${m.loserId} into ${m.winnerId}`),
                h('td', {}, `${m.actor}, ${fmtDate(m.mergedAt)}`),
                h('td', {}, m.reason),
                h('td', {}, m.undoneAt ? h('span', { class: 'muted' }, `undone ${fmtDate(m.undoneAt)}`) : steward ? h('button', { type: 'button', class: 'danger', onclick: () => void act('POST', `/api/masters/${m.loserId}/unmerge`, { mergeEventId: m.id, reason: 'undone in the console' }, `Unmerged ${m.loserId}`) }, 'Unmerge') : null),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'Never merged.'),
    h('h2', {}, 'History'),
    h('table', { 'aria-label': 'History' }, h('tbody', {}, golden.history.map((e) => h('tr', {}, h('td', {}, fmtDate(e.at)), h('td', {}, e.kind), h('td', {}, e.detail), h('td', {}, e.actor ?? ''))))),
    h('p', {}, h('a', { href: `#/audit/${golden.id}` }, 'Audit entries of this record')),
  );
}
