// Signing in to the real API (buildApi over a real store, in-process, inject): the cookie and its flags,
// security headers, rate limits and the account lockout, TOTP (required, replay refused), the first
// admin's forced password change, sign-out, a disabled user's cookie, cross-site sign-in attempts, and
// what is logged. Time is a FakeClock; nothing here waits.
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteTlogStore } from '../../src/store/sqlite/tlog-store.js';
import { buildTestApi, captureLog, type TestApp } from '../helpers/api.js';
import { addTestUser, sessionFor, signInApp, testAuth, totpCode, type TestAuth } from '../helpers/auth.js';
import { tempDir } from './helpers/countersign.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const open: { app: TestApp; t: TestAuth }[] = [];
afterEach(async () => {
  for (const { app, t } of open.splice(0)) {
    await app.close();
    t.db.close();
  }
});

const setup = async (o: Parameters<typeof testAuth>[1] = {}) => {
  const dir = tempDir('signin');
  const t = await testAuth(dir, o);
  const { log, lines } = captureLog();
  const app = buildTestApi(dir, t.auth, { log });
  // A reviewer-level action, as review routes will be: TOTP is required for reviewers by default.
  app.post('/test/act', { config: { access: 'reviewer' } }, async () => ({ acted: true }));
  await app.ready();
  open.push({ app, t });
  const login = (body: unknown, headers: Record<string, string> = {}, remoteAddress?: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers }, ...(remoteAddress !== undefined ? { remoteAddress } : {}) });
  return { app, t, lines, login };
};

const lastEntry = (t: TestAuth): Record<string, unknown> => {
  const s = new SqliteTlogStore(t.db);
  return JSON.parse(Buffer.from(s.recordRaw(s.tree().size - 1)!).toString('utf8')) as Record<string, unknown>;
};

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie (Secure only over TLS), returns the user and a CSRF token, logs it', async () => {
    const { t, login, lines } = await setup();
    const u = await addTestUser(t, 'vera', 'viewer');
    const r = await login({ name: 'vera', password: u.password });
    expect(r.statusCode).toBe(200);
    const cookie = [r.headers['set-cookie']].flat()[0]!;
    expect(cookie).toMatch(/^cs_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const body = r.json() as { user: unknown; csrf: string };
    expect(body.user).toEqual({ name: 'vera', role: 'viewer', totpEnabled: false, totpRequired: false, mustChangePassword: false, identities: [] });
    expect(body.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(lines.some((l) => l.msg === 'signed in' && l.user === 'vera' && l.level === 30)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(u.password);
    expect(lastEntry(t)).toMatchObject({ type: 'auth.login', actor: 'vera', user: 'vera' });
  });

  it('marks the cookie Secure and sends HSTS when served over TLS', async () => {
    const { t, login, app } = await setup({ secureCookies: true });
    const u = await addTestUser(t, 'vera', 'viewer');
    const r = await login({ name: 'vera', password: u.password });
    expect([r.headers['set-cookie']].flat()[0]).toMatch(/; Secure/);
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect((await app.inject({ url: '/healthz' })).headers['strict-transport-security']).toBeDefined();
  });

  it('puts the security headers on every reply: a page, an API error, a 404', async () => {
    const { app } = await setup();
    for (const url of ['/', '/api/v1/sessions', '/no/such/thing', '/healthz']) {
      const r = await app.inject({ url });
      const csp = String(r.headers['content-security-policy']).split(';').map((d) => d.trim());
      expect(csp, url).toEqual(CSP.split('; '));
      expect(r.headers['x-frame-options'], url).toBe('DENY');
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['referrer-policy'], url).toBe('no-referrer');
      expect(r.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('says the same for an unknown name, a wrong password and a disabled user', async () => {
    const { t, login, lines } = await setup();
    const u = await addTestUser(t, 'vera', 'viewer');
    const answers = [await login({ name: 'nobody', password: u.password }), await login({ name: 'vera', password: 'wrong password!' })];
    t.auth.accounts.disable('test', 'vera');
    answers.push(await login({ name: 'vera', password: u.password }));
    for (const r of answers) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ code: 'CS_ERR_AUTH', message: 'wrong name or password' });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect(lines.filter((l) => l.msg === 'sign-in failed' && l.level === 40).map((l) => l.name)).toEqual(['nobody', 'vera', 'vera']);
  });

  it('limits sign-in attempts per client address (429 with retry-after), not per server', async () => {
    const { t, login } = await setup({ auth: { loginAttemptsPerMinute: 3 } });
    const u = await addTestUser(t, 'vera', 'viewer');
    for (let i = 0; i < 3; i++) expect((await login({ name: 'vera', password: 'wrong password!' })).statusCode).toBe(401);
    const r = await login({ name: 'vera', password: u.password });
    expect(r.statusCode).toBe(429);
    expect(r.json()).toMatchObject({ code: 'CS_ERR_RATE_LIMITED' });
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login({ name: 'vera', password: u.password }, {}, '192.0.2.7')).statusCode).toBe(200);
  });

  it('locks an account for 15 minutes after 10 failures, with the usual answer, and says so in the log', async () => {
    const { t, login, lines } = await setup({ auth: { loginAttemptsPerMinute: 1000 } });
    const u = await addTestUser(t, 'vera', 'viewer');
    for (let i = 0; i < 10; i++) expect((await login({ name: 'vera', password: `wrong password ${i}` })).statusCode).toBe(401);
    const locked = await login({ name: 'vera', password: u.password });
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toEqual({ code: 'CS_ERR_AUTH', message: 'wrong name or password' });
    expect(lines.some((l) => l.msg === 'sign-in: account locked after repeated failures' && l.level === 40 && l.name === 'vera')).toBe(true);
    expect(lines.some((l) => l.msg === 'sign-in refused: account locked after repeated failures')).toBe(true);
    // Another account is not affected; the lock ends after 15 minutes.
    const w = await addTestUser(t, 'walt', 'viewer');
    expect((await login({ name: 'walt', password: w.password })).statusCode).toBe(200);
    t.clock.advance(14 * 60_000);
    expect((await login({ name: 'vera', password: u.password })).statusCode).toBe(401);
    t.clock.advance(60_000);
    expect((await login({ name: 'vera', password: u.password })).statusCode).toBe(200);
  });

  it('refuses a cross-site sign-in: a form post, or another Origin', async () => {
    const { t, app, login } = await setup();
    const u = await addTestUser(t, 'vera', 'viewer');
    const form = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: `name=vera&password=${u.password}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(403);
    expect(form.json()).toMatchObject({ code: 'CS_ERR_CSRF' });
    const plain = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: JSON.stringify({ name: 'vera', password: u.password }), headers: { 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(403);
    expect((await login({ name: 'vera', password: u.password }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await login({ name: 'vera', password: u.password }, { origin: 'null' })).statusCode).toBe(403);
    expect((await login({ name: 'vera', password: 'wrong password!' }, { origin: 'http://localhost.evil.example', host: 'localhost' })).statusCode).toBe(403);
    expect((await login({ name: 'vera', password: u.password }, { origin: 'http://cs.example:8080', host: 'cs.example:8080' })).statusCode).toBe(200);
    expect((await login({ name: 'vera', password: u.password }, { origin: 'http://cs.example', host: 'cs.example:80' })).statusCode).toBe(200);
  });
});

describe('signed in', () => {
  it('signs out: 204, the cookie cleared, and the old cookie no longer works', async () => {
    const { t, app, lines } = await setup();
    const u = await addTestUser(t, 'vera', 'viewer');
    const s = await signInApp(app, u);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: s.headers() })).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers() });
    expect(out.statusCode).toBe(204);
    expect([out.headers['set-cookie']].flat()[0]).toMatch(/^cs_session=;.*Expires=Thu, 01 Jan 1970/);
    const again = await app.inject({ url: '/api/v1/auth/me', headers: s.headers() });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: 'CS_ERR_UNAUTHENTICATED' });
    expect(lines.some((l) => l.msg === 'signed out' && l.user === 'vera')).toBe(true);
  });

  it("stops a disabled user's cookie at once, and a role change takes effect on the next request", async () => {
    const { t, app } = await setup();
    const u = await addTestUser(t, 'rita', 'reviewer');
    const s = await signInApp(app, u, t.clock);
    expect((await app.inject({ method: 'POST', url: '/test/act', headers: s.headers() })).statusCode).toBe(200);
    t.auth.accounts.setRole('cli:root', 'rita', 'viewer');
    expect((await app.inject({ method: 'POST', url: '/test/act', headers: s.headers() })).json()).toMatchObject({ code: 'CS_ERR_FORBIDDEN' });
    expect((await app.inject({ url: '/api/v1/sessions', headers: s.headers() })).statusCode).toBe(200);
    t.auth.accounts.disable('cli:root', 'rita');
    const r = await app.inject({ url: '/api/v1/sessions', headers: s.headers() });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'CS_ERR_UNAUTHENTICATED' });
  });

  it('serves the log verifier key to viewers, and /metrics only to them when auth.publicMetrics is off', async () => {
    const { t, app } = await setup({ auth: { publicMetrics: false } });
    const u = await addTestUser(t, 'vera', 'viewer');
    const s = await signInApp(app, u);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: s.headers() })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/log/key' })).statusCode).toBe(401);
    const key = (await app.inject({ url: '/api/v1/log/key', headers: s.headers() })).json() as { vkey: string };
    expect(key.vkey).toMatch(/^countersign\/[^+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/);
    const open = await setup();
    expect((await open.app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('ends a session after the idle limit', async () => {
    const { t, app } = await setup({ auth: { sessionIdleMinutes: 30 } });
    const u = await addTestUser(t, 'vera', 'viewer');
    const s = await signInApp(app, u);
    t.clock.advance(29 * 60_000);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: s.headers() })).statusCode).toBe(200);
    t.clock.advance(30 * 60_000);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: s.headers() })).statusCode).toBe(401);
  });
});

describe('TOTP', () => {
  it('asks an enrolled user for the code, and refuses a code already used', async () => {
    const { t, login } = await setup();
    const u = await addTestUser(t, 'rita', 'reviewer');
    const noCode = await login({ name: 'rita', password: u.password });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json()).toMatchObject({ code: 'CS_ERR_TOTP_NEEDED' });
    const wrongPassword = await login({ name: 'rita', password: 'wrong password!', totp: totpCode(u, t.clock) });
    expect(wrongPassword.json()).toMatchObject({ code: 'CS_ERR_AUTH' });
    const code = totpCode(u, t.clock);
    expect((await login({ name: 'rita', password: u.password, totp: code })).statusCode).toBe(200);
    const replay = await login({ name: 'rita', password: u.password, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'CS_ERR_TOTP_NEEDED' });
    t.clock.advance(30_000);
    expect((await login({ name: 'rita', password: u.password, totp: totpCode(u, t.clock) })).statusCode).toBe(200);
  });

  it('lets a reviewer without TOTP read and enrol, but not act until enrolled', async () => {
    const { t, app } = await setup();
    const u = await addTestUser(t, 'rita', 'reviewer', { totp: false });
    const s = await signInApp(app, u);
    const me = (await app.inject({ url: '/api/v1/auth/me', headers: s.headers() })).json() as { user: { totpRequired: boolean; totpEnabled: boolean }; csrf: string };
    expect(me.user).toMatchObject({ totpRequired: true, totpEnabled: false });
    expect(me.csrf).toBe(s.csrf);
    expect((await app.inject({ url: '/api/v1/sessions', headers: s.headers() })).statusCode).toBe(200);
    const act = await app.inject({ method: 'POST', url: '/test/act', headers: s.headers() });
    expect(act.statusCode).toBe(403);
    expect(act.json()).toMatchObject({ code: 'CS_ERR_TOTP_REQUIRED' });

    const setupRes = await app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: s.headers() });
    expect(setupRes.statusCode).toBe(200);
    const { secret, uri } = setupRes.json() as { secret: string; uri: string };
    expect(uri).toBe(`otpauth://totp/Countersign:rita?secret=${secret}&issuer=Countersign`);
    const enrolled = { ...u, totpSecret: secret };
    const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: s.headers(), payload: { code: '000000' === totpCode(enrolled, t.clock) ? '111111' : '000000' } });
    expect(bad.json()).toMatchObject({ code: 'CS_ERR_TOTP_INVALID' });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: s.headers(), payload: { code: totpCode(enrolled, t.clock) } });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { user: { totpEnabled: boolean } }).user.totpEnabled).toBe(true);
    expect(lastEntry(t)).toMatchObject({ type: 'user.totp', actor: 'rita', change: 'enrolled' });
    expect((await app.inject({ method: 'POST', url: '/test/act', headers: s.headers() })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: s.headers() })).json()).toMatchObject({ code: 'CS_ERR_TOTP_ENROLLED' });
  });
});

describe('the first admin', () => {
  it('must change the one-time password before anything but the auth routes; other sessions end', async () => {
    const { t, app, login } = await setup();
    const once = (await t.auth.accounts.ensureFirstAdmin())!;
    const r = await login({ name: 'admin', password: once });
    expect(r.statusCode).toBe(200);
    const { csrf, user } = r.json() as { csrf: string; user: { mustChangePassword: boolean; totpRequired: boolean } };
    expect(user).toMatchObject({ mustChangePassword: true, totpRequired: true });
    const cookie = [r.headers['set-cookie']].flat()[0]!.split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': csrf };
    const other = sessionFor(t, 'admin');

    const blocked = await app.inject({ url: '/api/v1/sessions', headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'CS_ERR_PASSWORD_CHANGE_REQUIRED' });
    expect((await app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz', headers })).statusCode).toBe(200);

    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie }, payload: { current: once, next: 'a brand new admin password' } });
    expect(noCsrf.json()).toMatchObject({ code: 'CS_ERR_CSRF' });
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { current: 'not the password', next: 'a brand new admin password' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'CS_ERR_PASSWORD_WRONG' });
    const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { current: once, next: 'short' } });
    expect(weak.json()).toMatchObject({ code: 'CS_ERR_PASSWORD_WEAK' });
    const changed = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { current: once, next: 'a brand new admin password' } });
    expect(changed.statusCode).toBe(204);
    expect(lastEntry(t)).toEqual({ type: 'user.password', v: 1, at: t.clock.now(), actor: 'admin', user: 'admin', change: 'changed' });

    expect((await app.inject({ url: '/api/v1/sessions', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: other.headers() })).statusCode).toBe(401);
    // An admin must still enrol TOTP before acting.
    expect((await app.inject({ method: 'POST', url: '/test/act', headers })).json()).toMatchObject({ code: 'CS_ERR_TOTP_REQUIRED' });
    expect((await login({ name: 'admin', password: once })).statusCode).toBe(401);
    expect((await login({ name: 'admin', password: 'a brand new admin password' })).statusCode).toBe(200);
  });
});
