/// <reference lib="dom" />
import { api, setCsrf, type Me } from './api.js';
import { h, render, toast } from './dom.js';
import { showAudit } from './pages/audit.js';
import { showConnectors } from './pages/connectors.js';
import { showGolden } from './pages/golden.js';
import { showReview } from './pages/review.js';
import { showSearch } from './pages/search.js';

export type Page = { main: HTMLElement; me: Me; params: string[]; stop: (fn: () => void) => void };

const app = document.getElementById('app')!;
let me: Me | undefined;
let cleanups: Array<() => void> = [];

const NAV: Array<[string, string]> = [
  ['#/review', 'Review queue'],
  ['#/search', 'Search'],
  ['#/connectors', 'Connectors & runs'],
  ['#/audit', 'Audit log'],
];

function showLogin(message?: string): void {
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const res = await api<{ user: { name: string; role: Me['role'] }; csrfToken: string }>('POST', '/api/auth/login', { name: name.value, password: password.value });
          setCsrf(res.csrfToken);
          me = { ...res.user, csrfToken: res.csrfToken };
          route();
        } catch (e) {
          error.textContent = (e as Error).message;
          password.select();
        }
      },
    },
    h('h1', {}, 'Crosswalk console'),
    h('label', { for: 'login-name' }, 'User name', name),
    h('label', { for: 'login-password' }, 'Password', password),
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
    error,
  );
  app.replaceChildren(h('main', { id: 'main' }, form));
  name.focus();
}

async function signOut(): Promise<void> {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  me = undefined;
  setCsrf(undefined);
  showLogin('Signed out.');
}

function route(): void {
  for (const fn of cleanups) fn();
  cleanups = [];
  if (!me) return showLogin();
  const hash = location.hash || '#/review';
  const [, section = 'review', ...params] = hash.split('/');
  const main = h('main', { id: 'main' });
  const nav = h(
    'nav',
    { 'aria-label': 'Main' },
    NAV.map(([href, label]) => h('a', { href, 'aria-current': hash.startsWith(href) ? 'page' : null }, label)),
  );
  const header = h(
    'header',
    { class: 'bar' },
    h('strong', {}, 'Crosswalk'),
    nav,
    h('span', { class: 'who' }, h('span', {}, `${me.name} (${me.role})`), h('a', { href: '/docs' }, 'API docs'), h('button', { type: 'button', onclick: () => void signOut() }, 'Sign out')),
  );
  app.replaceChildren(header, main, h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' }));
  const page: Page = { main, me, params: params.map(decodeURIComponent), stop: (fn) => cleanups.push(fn) };
  const show = { review: showReview, masters: showGolden, search: showSearch, connectors: showConnectors, audit: showAudit }[section] ?? showReview;
  show(page).catch((e: Error) => {
    render(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, e.message));
    toast(e.message, 'error');
  });
}

window.addEventListener('hashchange', route);
window.addEventListener('crosswalk:signed-out', () => {
  me = undefined;
  showLogin('Your session ended: sign in again.');
});

api<Me>('GET', '/api/auth/me')
  .then((who) => {
    me = who;
    setCsrf(who.csrfToken);
    route();
  })
  .catch(() => showLogin());
