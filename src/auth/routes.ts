// /api/v1/auth/*: sign-in and sign-out, who am I, TOTP enrolment and password change (docs/review-api.md).
// Sign-in answers the same for an unknown name, a wrong password and a disabled or locked account, in
// the same time. Sign-ins, sign-outs and failures are logged; a successful sign-in is also a tlog entry.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CS_ERR } from '../errors.js';
import type { AuthDeps } from './deps.js';
import { MAX_FAILURES, LOCK_MS } from './login-throttle.js';
import { sessionOf, signedInUser } from './request-user.js';
import { loginBody, passwordBody, problem, totpEnableBody } from './schema.js';
import { SESSION_COOKIE } from './sessions.js';
import { userView } from './users.js';

export interface AuthRoutesOptions {
  /** The per-client-address sign-in limiter (429 with retry-after when spent). */
  readonly logins: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  readonly logLevel: string;
}

const SIGNED_IN = { access: 'signed-in' } as const;

/**
 * Sign-in is public, so the CSRF token cannot guard it: refuse what a cross-site page can send — a form
 * post (not JSON; JSON from another origin needs CORS, which this server never grants) or any request
 * whose Origin is another site.
 */
const refuseCrossSite = async (req: FastifyRequest): Promise<void> => {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw CS_ERR.csrf();
  const origin = req.headers.origin;
  if (origin === undefined) return;
  try {
    const o = new URL(origin);
    // Through URL both sides, so a default port written on one side and not the other still matches.
    if (o.host !== new URL(`${o.protocol}//${req.headers.host ?? ''}`).host) throw CS_ERR.csrf();
  } catch {
    throw CS_ERR.csrf(); // 'null' (a sandboxed or file: page), no Host, and garbage alike
  }
};

export const authRoutes = (deps: AuthDeps, opts: AuthRoutesOptions) => async (app: FastifyInstance) => {
  const { accounts, sessions, throttle } = deps;
  const authLog = (req: FastifyRequest) => req.log.child({ component: 'auth' }, { level: opts.logLevel });
  const cookie = { httpOnly: true, sameSite: 'strict', path: '/', secure: deps.secureCookies } as const;
  const view = (id: number) => {
    const a = accounts.byId(id);
    if (a === null) throw CS_ERR.unauthenticated();
    return userView(a);
  };

  app.post('/api/v1/auth/login', { config: { access: 'public' }, onRequest: [opts.logins, refuseCrossSite] }, async (req, reply) => {
    const b = loginBody.safeParse(req.body);
    if (!b.success) throw CS_ERR.badRequest(problem(b.error));
    const { name, password, totp } = b.data;
    const log = authLog(req);
    const failed = (why: string): void => {
      log.warn({ name, ip: req.ip, why }, 'sign-in failed');
      if (throttle.failed(name)) log.warn({ name, ip: req.ip, failures: MAX_FAILURES, lockedMinutes: LOCK_MS / 60_000 }, 'sign-in: account locked after repeated failures');
    };
    if (throttle.isLocked(name)) {
      await accounts.wasteCheck(password);
      log.warn({ name, ip: req.ip }, 'sign-in refused: account locked after repeated failures');
      throw CS_ERR.authFailed();
    }
    const user = await accounts.authenticate(name, password);
    if (user === null) {
      failed('unknown name, wrong password or disabled account');
      throw CS_ERR.authFailed();
    }
    if (user.totpEnabled) {
      if (totp === undefined || totp === '') {
        log.info({ name, ip: req.ip }, 'sign-in: password right, TOTP code needed');
        throw CS_ERR.totpNeeded();
      }
      if (!accounts.checkTotp(user, totp)) {
        failed('wrong or reused TOTP code');
        throw CS_ERR.totpNeeded();
      }
    }
    throttle.succeeded(name);
    accounts.recordLogin(user.name, req.ip);
    const s = sessions.start(user.id);
    log.info({ user: user.name, ip: req.ip }, 'signed in');
    reply.setCookie(SESSION_COOKIE, s.token, cookie).header('cache-control', 'no-store');
    return { user: view(user.id), csrf: s.csrf };
  });

  app.post('/api/v1/auth/logout', { config: SIGNED_IN }, async (req, reply) => {
    sessions.end(sessionOf(req).tokenHash);
    authLog(req).info({ user: signedInUser(req).name, ip: req.ip }, 'signed out');
    return reply.clearCookie(SESSION_COOKIE, cookie).status(204).send();
  });

  app.get('/api/v1/auth/me', { config: SIGNED_IN }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return { user: view(signedInUser(req).id), csrf: sessionOf(req).csrf };
  });

  app.post('/api/v1/auth/totp/setup', { config: SIGNED_IN }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return accounts.startTotp(signedInUser(req).id);
  });

  app.post('/api/v1/auth/totp/enable', { config: SIGNED_IN }, async (req) => {
    const b = totpEnableBody.safeParse(req.body);
    if (!b.success) throw CS_ERR.badRequest(problem(b.error));
    const u = signedInUser(req);
    const account = accounts.enableTotp(u.id, b.data.code);
    authLog(req).info({ user: u.name, ip: req.ip }, 'TOTP enrolled');
    return { user: userView(account) };
  });

  app.post('/api/v1/auth/password', { config: SIGNED_IN }, async (req, reply) => {
    const b = passwordBody.safeParse(req.body);
    if (!b.success) throw CS_ERR.badRequest(problem(b.error));
    const u = signedInUser(req);
    try {
      await accounts.changePassword(u.id, b.data.current, b.data.next, sessionOf(req).tokenHash);
    } catch (e) {
      // Guessing the current password from a borrowed session counts like failed sign-ins.
      if ((e as { code?: string }).code === 'CS_ERR_PASSWORD_WRONG') throttle.failed(u.name);
      throw e;
    }
    authLog(req).info({ user: u.name, ip: req.ip }, 'password changed');
    return reply.status(204).send();
  });
};
