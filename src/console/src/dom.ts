/// <reference lib="dom" />
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

/** Builds an element: attributes (`on*` are listeners, booleans toggle), then children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of the main region and moves focus to its first heading (for screen readers and keyboards). */
export function render(root: HTMLElement, ...children: Child[]): void {
  root.replaceChildren();
  append(root, children);
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join('; ');
  const v = value as Record<string, unknown>;
  if (typeof v.type === 'string' && typeof v.value === 'string') return `${v.type} ${v.value}`;
  if ('line1' in v || 'zip5' in v) return [v.line1, v.line2, v.city, v.state, v.zip5].filter(Boolean).join(', ');
  if (typeof v.kind === 'string' && typeof v.value === 'string') return `${v.kind} ${v.value}`;
  return JSON.stringify(value);
}

/** A short-lived message in the live region (announced by screen readers). */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const region = document.getElementById('toast');
  if (!region) return;
  region.className = `toast ${kind}`;
  region.textContent = message;
  window.setTimeout(() => {
    if (region.textContent === message) region.textContent = '';
  }, 5000);
}
