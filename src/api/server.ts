// The HTTP face of the service: health and metrics today; the review UI and API join as scoped
// plugins. Errors reach clients as { code, message } only; details go to the diagnostics log.
// Access control is installed before anything else: every route must declare `config.access`.
import { openApiDocument } from './openapi.js';
import { logRoutes } from './log/routes.js';
import type { SqliteTlogStore } from '../store/sqlite/tlog-store.js';
import { sessionRoutes, type SessionSource } from './sessions/routes.js';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { CsError } from '../errors.js';
import type { AuthDeps } from '../auth/deps.js';
import { installAuth } from '../auth/plugin.js';
import type { Access } from '../model/account.js';
import { reviewRoutes, type ReviewRouteDeps } from './review/routes.js';
import { webRoutes } from './web/static.js';
import { dashboardRoutes, type DashboardDeps } from './dashboard/routes.js';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly string[];
  readonly [key: string]: unknown;
}

export interface ApiDeps {
  readonly log: Logger;
  readonly health: () => HealthReport;
  readonly metricsText: () => string;
  /** Accounts, browser sessions and the auth settings (src/auth/deps.ts). */
  readonly auth: AuthDeps;
  readonly sessions?: SessionSource;
  /** The review queue, session reviews and review actions (src/review/). */
  readonly review?: ReviewRouteDeps;
  readonly tlog?: () => SqliteTlogStore;
  /** The dashboard and its event stream (src/api/dashboard/). */
  readonly dashboard?: DashboardDeps;
  /** The log's note verifier key (C2SP vkey), served at /api/v1/log/key. */
  readonly verifierKey?: string;
  readonly version?: string;
  /** Serve over HTTPS with this key and certificate (PEM). */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

const PUBLIC = { access: 'public' } as const;
const VIEWER = { access: 'viewer' } as const;

export const buildApi = (deps: ApiDeps) => {
  // Per-request lines are info level; the API logs only warnings and errors, so an operator's log is
  // not a copy of the scrape traffic.
  const loggerInstance = deps.log.child({ component: 'api' }, { level: 'warn' });
  // Over HTTPS the server is an https.Server; the routes and hooks are the same either way.
  const plain = () => Fastify({ loggerInstance });
  const app: ReturnType<typeof plain> =
    deps.https === undefined ? plain() : (Fastify({ loggerInstance, https: { key: deps.https.key, cert: deps.https.cert } }) as unknown as ReturnType<typeof plain>);
  installAuth(app, deps.auth, { logLevel: deps.log.level });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof CsError) return reply.status(err.status).send({ code: err.code, message: err.message });
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return reply.status(status).send({ code: 'CS_ERR_BAD_REQUEST', message: (err as Error).message });
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ code: 'CS_ERR_INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ code: 'CS_ERR_NOT_FOUND', message: 'no such resource' }));
  app.get('/healthz', { config: PUBLIC }, async (_req, reply) => {
    const h = deps.health();
    return reply.status(h.status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send(h);
  });
  // Counts only, never log content: public for Prometheus unless auth.publicMetrics is off.
  const metricsAccess: Access = deps.auth.config.publicMetrics ? 'public' : 'viewer';
  app.get('/metrics', { config: { access: metricsAccess } }, async (_req, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').header('cache-control', 'no-store').send(deps.metricsText()),
  );
  if (deps.tlog !== undefined) void app.register(logRoutes(deps.tlog));
  const vkey = deps.verifierKey;
  if (vkey !== undefined) app.get('/api/v1/log/key', { config: VIEWER }, async () => ({ vkey }));
  const sessions = deps.sessions;
  if (deps.review !== undefined)
    void app.register(reviewRoutes(sessions?.hitsOf === undefined ? deps.review : { ...deps.review, hitsOf: (ids) => sessions.hitsOf!(ids) }));
  if (deps.sessions !== undefined) {
    void app.register(sessionRoutes(deps.sessions, deps.review));
    const doc = openApiDocument(deps.version ?? '0.0.0');
    app.get('/api/v1/openapi.json', { config: PUBLIC }, async () => doc);
  }
  if (deps.dashboard !== undefined) void app.register(dashboardRoutes({ ...(deps.review !== undefined ? { refreshReviews: () => void deps.review!.reviews.refresh() } : {}), ...deps.dashboard }));
  // The web UI (built into dist/web): public files; everything it shows comes from the routes above.
  void app.register(webRoutes());
  return app;
};
