// Client-side routing on the History API: the page addresses are /login, /, /sessions/<id>, /dashboard and /wall (the server
// answers each with index.html). No router library: one hook reads the location, navigate() changes it.
import { useSyncExternalStore } from 'react';

export type Route =
  | { readonly page: 'login' }
  | { readonly page: 'queue' }
  | { readonly page: 'session'; readonly id: string }
  | { readonly page: 'dashboard' }
  | { readonly page: 'wall' }
  | { readonly page: 'not-found' };

export const parseRoute = (pathname: string): Route => {
  if (pathname === '/' || pathname === '') return { page: 'queue' };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/dashboard') return { page: 'dashboard' };
  if (pathname === '/wall') return { page: 'wall' };
  const m = /^\/sessions\/([^/]+)\/?$/.exec(pathname);
  if (m !== null) return { page: 'session', id: decodeURIComponent(m[1] as string) };
  return { page: 'not-found' };
};

const listeners = new Set<() => void>();
const notify = (): void => {
  for (const f of listeners) f();
};
window.addEventListener('popstate', notify);

const subscribe = (f: () => void): (() => void) => {
  listeners.add(f);
  return () => listeners.delete(f);
};
const snapshot = (): string => `${window.location.pathname}${window.location.search}`;

/** The current path and query; re-renders on navigate() and on back/forward. */
export const useLocation = (): { pathname: string; search: URLSearchParams } => {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams };
};

/** Goes to a same-origin path. Paths are built by the UI, never taken from log content. */
export const navigate = (path: string, opts: { replace?: boolean } = {}): void => {
  if (!path.startsWith('/') || path.startsWith('//')) return;
  if (path === snapshot()) return;
  if (opts.replace === true) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  notify();
};

export const sessionPath = (id: number | string): string => `/sessions/${encodeURIComponent(String(id))}`;
