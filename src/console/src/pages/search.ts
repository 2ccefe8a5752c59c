/// <reference lib="dom" />
import { api } from '../api.js';
import { h, render } from '../dom.js';
import type { Page } from '../main.js';

type Hit = { id: string; entityType: string; displayName: string | null; city: string | null; state: string | null; specialties: string[]; identifiers: Array<{ type: string; value: string }> };

export async function showSearch(page: Page): Promise<void> {
  const field = (name: string, label: string, attrs: Record<string, string> = {}) => {
    const input = h('input', { id: `s-${name}`, name, ...attrs });
    return { input, label: h('label', { for: `s-${name}` }, label, input) };
  };
  const q = field('q', 'Name, NPI, DEA, HIN or master id', { size: '32', type: 'search' });
  const city = field('city', 'City');
  const state = field('state', 'State', { size: '3', maxlength: '2' });
  const specialty = field('specialty', 'Specialty');
  const results = h('div', { 'aria-live': 'polite' });
  let offset = 0;
  const run = async () => {
    const params = new URLSearchParams({ limit: '25', offset: String(offset) });
    for (const [k, f] of Object.entries({ q, city, state, specialty })) if (f.input.value.trim()) params.set(k, f.input.value.trim());
    try {
      const res = await api<{ hits: Hit[]; hasMore: boolean; fuzzy: boolean }>('GET', `/api/masters?${params}`);
      results.replaceChildren(
        h('p', { class: 'muted' }, `${res.hits.length ? `${offset + 1}–${offset + res.hits.length}` : 'No'} results${res.fuzzy ? ' (fuzzy name search)' : ' (name prefix search)'}`),
        h(
          'table',
          { 'aria-label': 'Search results' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'City, state'), h('th', {}, 'Specialties'), h('th', {}, 'Identifiers'))),
          h(
            'tbody',
            {},
            res.hits.map((hit) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: `#/masters/${hit.id}` }, hit.displayName ?? hit.id)),
                h('td', {}, hit.entityType),
                h('td', {}, [hit.city, hit.state].filter(Boolean).join(', ')),
                h('td', {}, hit.specialties.join(', ')),
                h('td', {}, hit.identifiers.map((i) => h('span', { class: 'badge' }, `${i.type.toUpperCase()} ${i.value}`))),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', disabled: offset === 0, onclick: () => ((offset = Math.max(0, offset - 25)), void run()) }, 'Previous page'),
          h('button', { type: 'button', disabled: !res.hasMore, onclick: () => ((offset += 25), void run()) }, 'Next page'),
        ),
      );
    } catch (e) {
      results.replaceChildren(h('p', { class: 'error', role: 'alert' }, (e as Error).message));
    }
  };
  render(
    page.main,
    h('h1', {}, 'Search the master'),
    h('form', { class: 'inline', role: 'search', onsubmit: (ev: Event) => (ev.preventDefault(), (offset = 0), void run()) }, q.label, city.label, state.label, specialty.label, h('button', { class: 'primary', type: 'submit' }, 'Search')),
    results,
  );
  if (page.params[0]) {
    q.input.value = page.params[0];
    await run();
  }
}
