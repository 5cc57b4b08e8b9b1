// Access control for the whole HTTP API: every route declares who may call it (`config.access`), or it
// fails to register; each request is then checked once, here, before its handler: session cookie, CSRF
// token on state changes, role, password change and second factor. Plus security headers and rate limits.
// Handlers never decide who may call them; request-user.ts gives them who is asking.
import { createHash, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { CS_ERR } from '../errors.js';
import { ACCESS_LEVELS, roleSatisfies, type Access } from '../model/account.js';
import type { AuthDeps } from './deps.js';
import { authRoutes } from './routes.js';
import { attachSession } from './request-user.js';
import { SESSION_COOKIE } from './sessions.js';
import { mayAct, type AuthUser } from './users.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; see docs/accounts.md for the levels. */
    access?: Access;
    /** Refuse users whose role must enrol TOTP and has not (403 CS_ERR_TOTP_REQUIRED). Default: true on reviewer and admin routes. */
    needsTotp?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user: set on every route that is not public, null on public ones. */
    user: AuthUser | null;
  }
}

export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
  readonly needsTotp: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
const DEFAULT_WRITES_PER_MINUTE = 600;

const needsTotp = (access: Access, flag: boolean | undefined): boolean => flag ?? (access === 'reviewer' || access === 'admin');

/** An app whatever its logger type (buildApi's is pino's Logger). */
type App<L extends FastifyBaseLogger = FastifyBaseLogger> = FastifyInstance<Server, IncomingMessage, ServerResponse, L>;

const routeTables = new WeakMap<object, DeclaredRoute[]>();

/** Every route registered on `app` with its declared access (HEAD routes Fastify adds included). */
export const declaredRoutes = <L extends FastifyBaseLogger>(app: App<L>): readonly DeclaredRoute[] => routeTables.get(app) ?? [];

/**
 * Makes registering a route without `config.access` an error. Installed synchronously on the root
 * instance before any route, so it sees every route, however and wherever it is added.
 */
const requireAccessDeclared = <L extends FastifyBaseLogger>(app: App<L>): void => {
  const table: DeclaredRoute[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (r) => {
    const access = r.config?.access;
    const methods = [r.method].flat();
    if (access === undefined || !(ACCESS_LEVELS as readonly string[]).includes(access)) {
      throw new Error(`route ${methods.join(',')} ${r.url} declares no access: give it config: { access: ${ACCESS_LEVELS.map((a) => `'${a}'`).join(' | ')} }`);
    }
    for (const method of methods) table.push({ method, url: r.url, access, needsTotp: needsTotp(access, r.config?.needsTotp) });
  });
};

/** Equal strings, in time that depends on neither. */
const sameSecret = (given: string, expected: string): boolean => {
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(given), h(expected));
};

const limited = (reply: FastifyReply, r: { isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }): void => {
  if (r.isAllowed || r.isExceeded !== true) return;
  const seconds = Math.max(1, r.ttlInSeconds ?? 60);
  reply.header('retry-after', String(seconds));
  throw CS_ERR.rateLimited(seconds);
};

export interface AuthPluginOptions {
  /** Level for sign-in and sign-out lines (the service's log level; the API's own logger is at warn). */
  readonly logLevel: string;
}

const plugin = (deps: AuthDeps, opts: AuthPluginOptions): FastifyPluginAsync => {
  const p: FastifyPluginAsync = async (app) => {
    await app.register(fastifyCookie);
    await app.register(fastifyHelmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // Over plain HTTP, HSTS means nothing (browsers ignore it) and would mislead.
      strictTransportSecurity: deps.secureCookies ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    });
    // Limiters are called from the hooks below (not attached per route), so their order is ours.
    await app.register(fastifyRateLimit, { global: false });
    const writes = app.createRateLimit({ max: deps.writesPerMinute ?? DEFAULT_WRITES_PER_MINUTE, timeWindow: 60_000 });
    const logins = app.createRateLimit({ max: deps.config.loginAttemptsPerMinute, timeWindow: 60_000 });

    app.decorateRequest('user', null);
    app.addHook('onRequest', async (req, reply) => {
      const access = req.routeOptions.config.access;
      if (access === undefined) return; // no route matched: the not-found handler answers
      const write = !SAFE_METHODS.has(req.method);
      if (write) limited(reply, await writes(req));
      if (access === 'public') return;

      const s = deps.sessions.resolve(req.cookies[SESSION_COOKIE]);
      const user = s === null ? null : deps.accounts.authUser(s.user);
      if (s === null || user === null) throw CS_ERR.unauthenticated();
      req.user = user;
      attachSession(req, s);
      if (write) {
        const given = req.headers[CSRF_HEADER];
        if (typeof given !== 'string' || !sameSecret(given, s.csrf)) throw CS_ERR.csrf();
      }
      if (access === 'signed-in') return; // sign-out, /me, password change, TOTP enrolment
      if (user.mustChangePassword) throw CS_ERR.passwordChangeRequired();
      if (!roleSatisfies(user.role, access)) throw CS_ERR.forbidden(`this needs the ${access} role; you are ${user.role}`);
      if (needsTotp(access, req.routeOptions.config.needsTotp) && !mayAct(user)) throw CS_ERR.totpRequired();
    });

    await app.register(authRoutes(deps, { logins: async (req, reply) => limited(reply, await logins(req)), logLevel: opts.logLevel }));
  };
  // Not encapsulated (what fastify-plugin does): the hooks, the `user` decoration and the security
  // headers must apply to every route of the app, not only to routes inside this plugin.
  Object.defineProperty(p, Symbol.for('skip-override'), { value: true });
  return p;
};

/**
 * Installs access control on a new app. Call it first, before any route: it makes every later route
 * declare its access, decorates `request.user`, checks each request, and serves /api/v1/auth/*.
 */
export const installAuth = <L extends FastifyBaseLogger>(app: App<L>, deps: AuthDeps, opts: AuthPluginOptions): void => {
  requireAccessDeclared(app);
  void app.register(plugin(deps, opts));
};

export { requireActingUser, sessionOf, signedInUser } from './request-user.js';
