// The one way the UI talks to the server: same-origin fetch with the session cookie, the CSRF header on
// every state-changing request, and errors as ApiError { status, code, message } (docs/review-api.md).
// It never follows a URL that came from log content.
import type { DashboardSnapshot, Me, QueueAnswer, QueueFilters, RecordProof, ReviewAnswer, ReviewAction, Review, SessionDetail, User } from './api-types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export const setCsrf = (token: string | null): void => {
  csrf = token;
};

/** Called whenever the server says the browser session is gone (401 on anything but login). */
export const onUnauthenticated = (f: () => void): (() => void) => {
  unauthenticatedListeners.add(f);
  return () => unauthenticatedListeners.delete(f);
};

const errorOf = async (res: Response): Promise<ApiError> => {
  let code = 'CS_ERR_HTTP';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
};

export async function request(method: string, path: string, body?: unknown, opts: { quietAuth?: boolean } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf !== null) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (e) {
    throw new ApiError(0, 'CS_ERR_NETWORK', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) {
    const e = await errorOf(res);
    if (res.status === 401 && opts.quietAuth !== true && e.code !== 'CS_ERR_TOTP_NEEDED') for (const f of unauthenticatedListeners) f();
    throw e;
  }
  return res;
}

const json = async <T,>(method: string, path: string, body?: unknown, opts?: { quietAuth?: boolean }): Promise<T> => {
  const res = await request(method, path, body, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
};

const qs = (params: Readonly<Record<string, string | undefined>>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
};

const sid = (id: number | string): string => encodeURIComponent(String(id));

export const api = {
  me: () => json<Me>('GET', '/api/v1/auth/me', undefined, { quietAuth: true }),
  login: (name: string, password: string, totp?: string) =>
    json<Me>('POST', '/api/v1/auth/login', { name, password, ...(totp !== undefined && totp !== '' ? { totp } : {}) }, { quietAuth: true }),
  logout: () => json<void>('POST', '/api/v1/auth/logout', undefined, { quietAuth: true }),
  totpSetup: () => json<{ secret: string; uri: string }>('POST', '/api/v1/auth/totp/setup'),
  totpEnable: (code: string) => json<{ user: User }>('POST', '/api/v1/auth/totp/enable', { code }),
  changePassword: (current: string, next: string) => json<void>('POST', '/api/v1/auth/password', { current, next }),

  queue: (f: QueueFilters) => json<QueueAnswer>('GET', `/api/v1/queue${qs({ ...f })}`),
  session: (id: number | string) => json<SessionDetail>('GET', `/api/v1/sessions/${sid(id)}`),
  review: (id: number | string) => json<ReviewAnswer>('GET', `/api/v1/sessions/${sid(id)}/review`),
  comment: (id: number | string, eventId: number | null, body: string) => json<{ action: ReviewAction }>('POST', `/api/v1/sessions/${sid(id)}/comments`, { eventId, body }),
  approve: (id: number | string, digest: string) => json<{ action: ReviewAction; review: Review }>('POST', `/api/v1/sessions/${sid(id)}/approve`, { digest }),
  flag: (id: number | string, body: string) => json<{ action: ReviewAction; review: Review }>('POST', `/api/v1/sessions/${sid(id)}/flag`, { body }),
  resolve: (id: number | string, body: string) => json<{ action: ReviewAction; review: Review }>('POST', `/api/v1/sessions/${sid(id)}/resolve`, { body }),
  /** The asciicast text, or null when the session has no recording (404). */
  recording: async (id: number | string): Promise<string | null> => {
    try {
      return await (await request('GET', `/api/v1/sessions/${sid(id)}/recording`)).text();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
  recordProof: (seq: number) => json<RecordProof>('GET', `/log/proof/record/${encodeURIComponent(String(seq))}`),
  logKey: () => json<{ vkey: string }>('GET', '/api/v1/log/key'),
  dashboard: (hours?: number) => json<DashboardSnapshot>('GET', `/api/v1/dashboard${qs({ hours: hours === undefined ? undefined : String(hours) })}`),
  /** The dashboard's event stream (for an EventSource): hits stored after `after`, charts over `hours`. */
  dashboardStreamUrl: (after: number, hours?: number) => `/api/v1/dashboard/stream${qs({ after: String(after), hours: hours === undefined ? undefined : String(hours) })}`,
};

/** A human sentence for an error, for the places that show one. */
export const describeError = (e: unknown): string => {
  if (e instanceof ApiError) return e.code === 'CS_ERR_HTTP' || e.code === 'CS_ERR_NETWORK' ? e.message : `${e.message} (${e.code})`;
  return e instanceof Error ? e.message : String(e);
};
