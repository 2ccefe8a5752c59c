/// <reference lib="dom" />
/** The API client: the session cookie goes by itself; changes carry the CSRF token received at sign-in. */
let csrfToken: string | undefined;

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function setCsrf(token: string | undefined): void {
  csrfToken = token;
}

export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) {
    if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event('crosswalk:signed-out'));
    throw new ApiFailure(res.status, json.error?.code ?? 'http', json.error?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export type Me = { name: string; role: 'admin' | 'steward' | 'viewer'; csrfToken?: string };
