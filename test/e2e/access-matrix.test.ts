// Every route of the real API, called by nobody, a viewer, a reviewer and an admin: below the access the
// route declares the answer is 401/403, at or above it never is; a state change without the session's
// CSRF token (none, or another session's) is 403 CS_ERR_CSRF. The routes are the ones the app itself
// registered (declaredRoutes), so a route added later is walked without editing this file — as long as
// test/helpers/api.ts gives the app what it needs to register it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredRoutes, type DeclaredRoute } from '../../src/auth/plugin.js';
import { runImport } from '../../src/cli/import.js';
import { ACCESS_LEVELS, type Access } from '../../src/model/account.js';
import { openSessionReader } from '../../src/store/index.js';
import { buildTestApi, type TestApp } from '../helpers/api.js';
import { addTestUser, sessionFor, testAuth, type SignedIn, type TestAuth } from '../helpers/auth.js';
import { REPO, tempDir } from './helpers/countersign.js';

const FIXTURE = join(REPO, 'test/fixtures/real/linux-sessions/debian12-ssh-sudo-su-snoopy-tlog.rfc5424.log');
const CALLERS = ['nobody', 'viewer', 'reviewer', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
const RANK: Record<Caller, number> = { nobody: 0, viewer: 1, reviewer: 2, admin: 3 };
const NEEDS: Record<Access, number> = { public: 0, 'signed-in': 1, viewer: 1, reviewer: 2, admin: 3 };
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

describe('access matrix: every route × every role', () => {
  let app: TestApp;
  let t: TestAuth;
  let routes: readonly DeclaredRoute[];
  let sessionId: number;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('matrix');
    await runImport([FIXTURE], { data: dir, format: 'auto' });
    const reader = openSessionReader(dir);
    const first = (await reader.list({ limit: 1 }))[0];
    await reader.close();
    if (first === undefined) throw new Error('the fixture made no session');
    sessionId = first.id;
    // Limits out of the way: this file sends hundreds of requests from one address on purpose.
    t = await testAuth(dir, { auth: { loginAttemptsPerMinute: 100_000 }, writesPerMinute: 100_000 });
    await addTestUser(t, 'viewer', 'viewer');
    await addTestUser(t, 'reviewer', 'reviewer');
    await addTestUser(t, 'admin', 'admin');
    app = buildTestApi(dir, t.auth);
    // Probes at every level, so each level is enforced here even before real routes use it.
    for (const access of ACCESS_LEVELS) {
      app.get(`/test/probe/${access}`, { config: { access } }, async () => ({ ok: true }));
      app.post(`/test/probe/${access}`, { config: { access } }, async () => ({ ok: true }));
    }
    await app.ready();
    routes = declaredRoutes(app);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    t?.db.close();
  });

  /** A fresh session per request: some routes (sign-out, password) end or change the one they are given. */
  const signedIn = (who: Caller): SignedIn | null => (who === 'nobody' ? null : sessionFor(t, who));

  const urlOf = (r: DeclaredRoute): string =>
    r.url.replace(/:[A-Za-z_]+/g, String(sessionId)).replace(/\*$/, '0/000');

  const call = async (r: DeclaredRoute, s: SignedIn | null, csrf: boolean | string = true) => {
    const write = !SAFE.has(r.method);
    const headers = s === null ? {} : s.headers({ csrf: write ? csrf : false });
    return app.inject({ method: r.method as 'GET', url: urlOf(r), headers, ...(write ? { payload: {} } : {}) });
  };

  it('knows the routes: auth, sessions, the log, health; every GET has a HEAD with the same access', () => {
    const has = (method: string, url: string) => routes.some((r) => r.method === method && r.url === url);
    for (const [m, u] of [
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/auth/me'],
      ['POST', '/api/v1/auth/totp/setup'],
      ['POST', '/api/v1/auth/totp/enable'],
      ['POST', '/api/v1/auth/password'],
      ['GET', '/api/v1/sessions/:id'],
      ['GET', '/api/v1/queue'],
      ['GET', '/api/v1/sessions/:id/review'],
      ['POST', '/api/v1/sessions/:id/comments'],
      ['POST', '/api/v1/sessions/:id/approve'],
      ['POST', '/api/v1/sessions/:id/flag'],
      ['POST', '/api/v1/sessions/:id/resolve'],
      ['GET', '/log/checkpoint'],
      ['GET', '/api/v1/log/key'],
      ['GET', '/healthz'],
      ['GET', '/metrics'],
    ] as const)
      expect(has(m, u), `${m} ${u}`).toBe(true);
    for (const g of routes.filter((r) => r.method === 'GET')) {
      const head = routes.find((r) => r.method === 'HEAD' && r.url === g.url);
      if (head !== undefined) expect(head.access, `HEAD ${g.url}`).toBe(g.access);
    }
    expect(routes.filter((r) => r.method === 'HEAD').length).toBeGreaterThan(5);
    expect(routes.find((r) => r.url === '/api/v1/sessions/:id')!.access).toBe('viewer');
    expect(routes.find((r) => r.url === '/healthz')!.access).toBe('public');
    for (const a of ['comments', 'approve', 'flag', 'resolve']) expect(routes.find((r) => r.url === `/api/v1/sessions/:id/${a}`)!.access).toBe('reviewer');
    // Nothing under the API or the log is public but sign-in and the API's description.
    const publicData = routes.filter((r) => r.access === 'public' && /^\/(api|log)\//.test(r.url) && !['/api/v1/auth/login', '/api/v1/openapi.json'].includes(r.url));
    expect(publicData).toEqual([]);
  });

  it('answers 401/403 below each route’s access and neither at or above it', async () => {
    const problems: string[] = [];
    for (const r of routes) {
      for (const who of CALLERS) {
        const res = await call(r, signedIn(who));
        const denied = res.statusCode === 401 || res.statusCode === 403;
        const label = `${who} ${r.method} ${urlOf(r)} (access ${r.access}) → ${res.statusCode} ${res.body.slice(0, 120)}`;
        if (RANK[who] < NEEDS[r.access]) {
          const want = who === 'nobody' ? 401 : 403;
          if (res.statusCode !== want) problems.push(`expected ${want}: ${label}`);
          else if (r.method !== 'HEAD') {
            const code = (res.json() as { code: string }).code;
            if (code !== (who === 'nobody' ? 'CS_ERR_UNAUTHENTICATED' : 'CS_ERR_FORBIDDEN')) problems.push(`wrong code: ${label}`);
          }
        } else if (denied) problems.push(`expected neither 401 nor 403: ${label}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('refuses every state change without the session’s own CSRF token', async () => {
    const writes = routes.filter((r) => !SAFE.has(r.method) && r.access !== 'public');
    expect(writes.length).toBeGreaterThanOrEqual(8); // sign-out, password, TOTP setup and enable, the probes
    const problems: string[] = [];
    for (const r of writes) {
      for (const who of CALLERS.filter((c) => c !== 'nobody')) {
        for (const [how, csrf] of [
          ['no CSRF header', false],
          ['CSRF of another session', sessionFor(t, who).csrf],
          ['empty CSRF header', ''],
        ] as const) {
          const res = await call(r, signedIn(who), csrf);
          const code = res.statusCode === 403 ? (res.json() as { code: string }).code : null;
          if (code !== 'CS_ERR_CSRF') problems.push(`${who} ${r.method} ${urlOf(r)} with ${how} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('refuses to register a route that declares no access', async () => {
    const other = buildTestApi(dir, t.auth);
    expect(() => other.get('/undeclared', async () => 'x')).toThrow(/declares no access/);
    void other.register(async (scope) => {
      scope.post('/api/v1/nested-undeclared', async () => 'x');
    });
    await expect(other.ready()).rejects.toThrow(/POST \/api\/v1\/nested-undeclared declares no access/);
    await other.close().catch(() => undefined);
  });
});
