// Signing in from tests. In-process apps (buildApi + inject): make AuthDeps over a data directory, add
// users (with TOTP when their role needs it) and sign in through POST /api/v1/auth/login, keeping the
// cookie and CSRF token. Servers in their own process (`countersign serve`): add a user with the CLI
// beside the running server and sign in over HTTP. Never weaker than the real thing: same routes.
import type BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { FakeClock, type Clock } from '../../src/clock.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { authDepsOver, type AuthDeps } from '../../src/auth/deps.js';
import { base32Decode } from '../../src/auth/base32.js';
import { SESSION_COOKIE } from '../../src/auth/sessions.js';
import { totpAt } from '../../src/auth/totp.js';
import type { Role } from '../../src/model/account.js';
import { prepareStore } from '../../src/store/index.js';
import { openSqlite } from '../../src/store/sqlite/open.js';
import { runCli } from '../e2e/helpers/countersign.js';

/** A fixed start for FakeClocks, in the middle of a TOTP step. */
export const T0 = Date.UTC(2026, 10, 29, 12, 0, 10);

export interface TestAuth {
  readonly auth: AuthDeps;
  readonly db: BetterSqlite3.Database;
  readonly clock: FakeClock;
}

/** AuthDeps over a (migrated) data directory with a FakeClock; `auth` overrides config.auth options. */
export const testAuth = async (
  dataDir: string,
  o: { auth?: ConfigInput['auth']; clock?: FakeClock; writesPerMinute?: number; secureCookies?: boolean } = {},
): Promise<TestAuth> => {
  await prepareStore(dataDir);
  const db = openSqlite(dataDir);
  const clock = o.clock ?? new FakeClock(T0);
  const config = configSchema.parse({ auth: o.auth ?? {} }).auth;
  return { auth: authDepsOver(db, { config, clock, secureCookies: o.secureCookies ?? false, ...(o.writesPerMinute !== undefined ? { writesPerMinute: o.writesPerMinute } : {}) }), db, clock };
};

export interface TestUser {
  readonly name: string;
  readonly role: Role;
  readonly password: string;
  /** base32, when enrolled. */
  readonly totpSecret: string | null;
}

/** The TOTP code of `u` at `clock`'s time, `stepOffset` steps later. */
export const totpCode = (u: TestUser, clock: Clock, stepOffset = 0): string => {
  if (u.totpSecret === null) throw new Error(`${u.name} has no TOTP`);
  return totpAt(base32Decode(u.totpSecret)!, clock.now() + stepOffset * 30_000);
};

/**
 * Adds a user with a known password; enrols TOTP when asked or when the role requires it (as the UI
 * would: setup, then enable with a code). The enabling code's step is used up: sign in a step later.
 */
export const addTestUser = async (t: TestAuth, name: string, role: Role, o: { totp?: boolean } = {}): Promise<TestUser> => {
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const { account } = await t.auth.accounts.add('test', { name, role, password });
  const enrol = o.totp ?? account.totpRequired;
  if (!enrol) return { name, role, password, totpSecret: null };
  const { secret } = t.auth.accounts.startTotp(account.id);
  t.auth.accounts.enableTotp(account.id, totpAt(base32Decode(secret)!, t.clock.now()));
  t.clock.advance(30_000);
  return { name, role, password, totpSecret: secret };
};

export interface SignedIn {
  readonly cookie: string;
  readonly csrf: string;
  /** Headers for a request: the cookie, and the CSRF token unless `csrf: false`. */
  headers(o?: { csrf?: boolean | string }): Record<string, string>;
}

const session = (token: string, csrf: string): SignedIn => {
  const cookie = `${SESSION_COOKIE}=${token}`;
  return {
    cookie,
    csrf,
    headers: (o = {}) => {
      const h: Record<string, string> = { cookie };
      if (o.csrf !== false) h['x-csrf-token'] = typeof o.csrf === 'string' ? o.csrf : csrf;
      return h;
    },
  };
};

const tokenFrom = (setCookie: string | string[] | undefined): string => {
  const line = [setCookie ?? []].flat().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (line === undefined) throw new Error('no session cookie set');
  return line.slice(SESSION_COOKIE.length + 1).split(';')[0]!;
};

/** Signs in through POST /api/v1/auth/login of an in-process app (inject). Throws on anything but 200. */
export const signInApp = async (app: Pick<FastifyInstance, 'inject'>, u: TestUser, clock?: Clock): Promise<SignedIn> => {
  const body: Record<string, string> = { name: u.name, password: u.password };
  if (u.totpSecret !== null) {
    if (clock === undefined) throw new Error('a clock is needed for the TOTP code');
    body.totp = totpCode(u, clock);
  }
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${u.name} failed: ${r.statusCode} ${r.body}`);
  return session(tokenFrom(r.headers['set-cookie']), (r.json() as { csrf: string }).csrf);
};

/** A session opened directly in the store (no argon2, no rate limit): for tests that need many. */
export const sessionFor = (t: TestAuth, name: string): SignedIn => {
  const a = t.auth.accounts.get(name);
  if (a === null) throw new Error(`no user ${name}`);
  const s = t.auth.sessions.start(a.id);
  return session(s.token, s.csrf);
};

export interface ServerSession extends SignedIn {
  /** fetch() with the session (and the CSRF token on state changes). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * For a running `countersign serve` (built CLI): adds a user with `countersign user add` beside it
 * (viewer by default: enough to read, no TOTP by default config), then signs in over HTTP.
 */
export const signInToServer = async (server: { url(path: string): string; dataDir: string }, o: { role?: Role; name?: string } = {}): Promise<ServerSession> => {
  const name = o.name ?? `e2e-${o.role ?? 'viewer'}`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const r = runCli(['user', 'add', name, '--role', o.role ?? 'viewer', '--password-stdin', '--data', server.dataDir], `${password}\n`);
  if (r.status !== 0) throw new Error(`countersign user add failed (${r.status}): ${r.stderr}`);
  const res = await fetch(server.url('/api/v1/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const s = session(tokenFrom(res.headers.getSetCookie()), ((await res.json()) as { csrf: string }).csrf);
  return {
    ...s,
    fetch: (path, init = {}) => {
      const write = init.method !== undefined && !['GET', 'HEAD', 'OPTIONS'].includes(init.method.toUpperCase());
      return fetch(server.url(path), { ...init, headers: { ...s.headers({ csrf: write }), ...(init.headers as Record<string, string> | undefined) } });
    },
  };
};
