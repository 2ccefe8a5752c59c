/// <reference lib="dom" />
import { api } from '../api.js';
import { h, render, text, toast } from '../dom.js';
import type { Page } from '../main.js';

type Draft = Record<string, unknown> & { identifiers?: Array<{ type: string; value: string; valid?: boolean; status?: string }> };
type ReviewRecord = { ref: string; masterId: string | null; masterName: string | null; connector: string | null; stream: string | null; sourceId: string | null; lastChangedAt: string | null; draft: Draft | null; issues: Array<{ field?: string; code?: string; message?: string }> };
type Step = { comparison: string; left: string | null; right: string | null; label: string; level: number; matchWeight: number; tfAdjustment: number };
type Item = { id: number; score: number; status: string; records: ReviewRecord[]; explanation: { leftId?: string; rightId?: string; steps: Step[]; priorWeight: number; matchWeight: number; probability: number; rules: string[] } | null };

/** The fields shown side by side, in reading order; the single-valued ones can be chosen as the surviving value. */
const FIELDS: Array<{ key: string; label: string; single: boolean }> = [
  { key: 'prefix', label: 'Prefix', single: true },
  { key: 'firstName', label: 'First name', single: true },
  { key: 'middleName', label: 'Middle name', single: true },
  { key: 'lastName', label: 'Last name', single: true },
  { key: 'suffix', label: 'Suffix', single: true },
  { key: 'name', label: 'Name', single: true },
  { key: 'credentials', label: 'Credentials', single: false },
  { key: 'specialties', label: 'Specialties', single: false },
  { key: 'gender', label: 'Gender', single: true },
  { key: 'birthYear', label: 'Birth year', single: true },
  { key: 'status', label: 'Status', single: true },
  { key: 'identifiers', label: 'Identifiers', single: false },
  { key: 'addresses', label: 'Addresses', single: false },
  { key: 'contactPoints', label: 'Phones, emails', single: false },
];

function identifierBadges(draft: Draft | null): Node[] {
  return (draft?.identifiers ?? []).map((i) =>
    h('span', { class: `badge ${i.valid === false ? 'bad' : 'ok'}`, title: i.valid === false ? 'fails validation' : `valid (${i.status ?? 'unverified'})` }, `${i.type.toUpperCase()} ${i.value} ${i.valid === false ? '✗ invalid' : '✓'}`),
  );
}

function waterfall(item: Item): HTMLElement {
  const e = item.explanation;
  if (!e) return h('p', { class: 'muted' }, 'No explanation stored for this pair.');
  const max = Math.max(1, ...e.steps.map((s) => Math.abs(s.matchWeight + s.tfAdjustment)));
  // The matcher scored the pair in its own order (the incoming record first, under a probe id, then the candidate);
  // show each value under the record it belongs to.
  const swapped = e.rightId === item.records[0]?.ref || e.leftId === item.records[1]?.ref;
  const first = (s: Step) => (swapped ? s.right : s.left);
  const second = (s: Step) => (swapped ? s.left : s.right);
  return h(
    'table',
    { class: 'waterfall', 'aria-label': 'Score waterfall' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Comparison'), h('th', {}, 'Record 1'), h('th', {}, 'Record 2'), h('th', {}, 'Level'), h('th', { class: 'num' }, 'Weight'), h('th', {}, ''))),
    h(
      'tbody',
      {},
      h('tr', {}, h('td', {}, 'prior'), h('td', {}), h('td', {}), h('td', {}), h('td', { class: 'num' }, e.priorWeight.toFixed(2)), h('td', {})),
      e.steps.map((s) => {
        const w = s.matchWeight + s.tfAdjustment;
        return h(
          'tr',
          {},
          h('td', {}, s.comparison),
          h('td', {}, first(s) ?? '—'),
          h('td', {}, second(s) ?? '—'),
          h('td', {}, s.label),
          h('td', { class: 'num' }, `${w >= 0 ? '+' : ''}${w.toFixed(2)}`),
          h('td', {}, h('span', { class: `bar ${w >= 0 ? 'pos' : 'neg'}`, style: `width:${Math.round((Math.abs(w) / max) * 120)}px`, 'aria-hidden': 'true' })),
        );
      }),
      h('tr', {}, h('th', {}, 'total'), h('td', {}), h('td', {}), h('td', {}, e.rules.join(', ')), h('th', { class: 'num' }, e.matchWeight.toFixed(2)), h('th', {}, `probability ${(e.probability * 100).toFixed(1)} %`)),
    ),
  );
}

export async function showReview(page: Page): Promise<void> {
  const { items } = await api<{ items: Item[] }>('GET', '/api/review?limit=50');
  let index = Math.max(0, items.findIndex((i) => String(i.id) === page.params[0]));
  const canDecide = page.me.role !== 'viewer';
  const list = h('ul', { class: 'queue', 'aria-label': 'Pending pairs' });
  const detail = h('section', { 'aria-label': 'Pair' });

  const decide = async (decision: 'merge' | 'not_duplicate' | 'defer', values?: Record<string, unknown>) => {
    const item = items[index];
    if (!item || !canDecide) return;
    try {
      const res = await api<{ status: string; masterId?: string }>('POST', `/api/review/${item.id}/decision`, { decision, ...(values && Object.keys(values).length ? { values } : {}) });
      toast(decision === 'merge' ? `Merged into ${res.masterId}` : decision === 'defer' ? 'Skipped (deferred)' : 'Marked not a duplicate');
      items.splice(index, 1);
      index = Math.min(index, items.length - 1);
      draw();
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  };

  const draw = () => {
    list.replaceChildren(
      ...items.map((item, n) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/review/${item.id}`, 'aria-current': n === index ? 'true' : 'false', onclick: (ev: Event) => (ev.preventDefault(), (index = n), draw()) },
            `${(item.score * 100).toFixed(0)} % · ${item.records.map((r) => text(r.draft?.lastName ?? r.draft?.name)).join(' / ')}`,
          ),
        ),
      ),
    );
    const item = items[index];
    if (!item) {
      detail.replaceChildren(h('p', {}, 'Nothing left to review. 🎉'));
      return;
    }
    const chosen = new Map<string, number>();
    const rows = FIELDS.filter((f) => item.records.some((r) => r.draft?.[f.key] !== undefined && text(r.draft?.[f.key]) !== '')).map((f) => {
      const values = item.records.map((r) => text(r.draft?.[f.key]));
      const differs = new Set(values).size > 1;
      return h(
        'tr',
        { class: differs ? 'diff' : '' },
        h('th', { scope: 'row' }, f.label),
        item.records.map((r, n) =>
          h(
            'td',
            {},
            f.single && differs && canDecide
              ? h(
                  'label',
                  { class: 'choice' },
                  h('input', { type: 'radio', name: `pick-${f.key}`, value: String(n), checked: n === 0, onchange: () => chosen.set(f.key, n), 'aria-label': `Keep ${f.label} from record ${n + 1}: ${values[n]}` }),
                  values[n] || '—',
                )
              : f.key === 'identifiers'
                ? identifierBadges(r.draft)
                : values[n] || '—',
          ),
        ),
      );
    });
    const mergeNow = () => {
      const values: Record<string, unknown> = {};
      for (const [key, n] of chosen) if (n !== 0) values[key] = item.records[n]?.draft?.[key];
      void decide('merge', values);
    };
    detail.replaceChildren(
      h('h2', {}, `Pair ${item.id}: ${(item.score * 100).toFixed(1)} % likely the same`),
      h(
        'table',
        { 'aria-label': 'Records side by side' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Field'),
            item.records.map((r, n) =>
              h('th', {}, `Record ${n + 1}: ${r.connector}/${r.stream} ${r.sourceId}`, h('br'), r.masterId ? h('a', { href: `#/masters/${r.masterId}` }, r.masterName ?? r.masterId) : h('span', { class: 'muted' }, 'no master')),
            ),
          ),
        ),
        h('tbody', {}, rows, h('tr', {}, h('th', { scope: 'row' }, 'Field issues'), item.records.map((r) => h('td', {}, r.issues.length ? r.issues.map((i) => h('span', { class: 'badge bad', title: i.message ?? '' }, `${i.field}: ${i.code}`)) : h('span', { class: 'muted' }, 'none'))))),
      ),
      canDecide
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'primary', onclick: mergeNow }, 'Merge ', h('kbd', {}, 'm')),
            h('button', { type: 'button', class: 'danger', onclick: () => void decide('not_duplicate') }, 'Not a duplicate ', h('kbd', {}, 'n')),
            h('button', { type: 'button', onclick: () => void decide('defer') }, 'Skip ', h('kbd', {}, 's')),
            h('span', { class: 'muted' }, 'Next / previous: ', h('kbd', {}, 'j'), ' ', h('kbd', {}, 'k'), '. In differing rows, pick the value that survives.'),
          )
        : h('p', { class: 'muted' }, 'Viewers can look; stewards decide.'),
      h('h2', {}, 'Why this score'),
      waterfall(item),
    );
    (detail as HTMLElement & { mergeNow?: () => void }).mergeNow = mergeNow;
  };

  const onKey = (ev: KeyboardEvent) => {
    const target = ev.target as HTMLElement;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'radio') || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return;
    if (ev.key === 'j' && index < items.length - 1) {
      index += 1;
      draw();
    } else if (ev.key === 'k' && index > 0) {
      index -= 1;
      draw();
    }
    else if (ev.key === 'm') (detail as HTMLElement & { mergeNow?: () => void }).mergeNow?.();
    else if (ev.key === 'n') void decide('not_duplicate');
    else if (ev.key === 's') void decide('defer');
  };
  document.addEventListener('keydown', onKey);
  page.stop(() => document.removeEventListener('keydown', onKey));
  render(page.main, h('h1', {}, `Review queue (${items.length} pending)`), h('div', { class: 'layout' }, list, detail));
  draw();
}
