// The HTTP face of the service: health and metrics today; the review UI and API join as scoped
// plugins. Errors reach clients as { code, message } only; details go to the diagnostics log.
import { openApiDocument } from './openapi.js';
import { logRoutes } from './log/routes.js';
import type { SqliteTlogStore } from '../store/sqlite/tlog-store.js';
import { sessionRoutes, type SessionSource } from './sessions/routes.js';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { CsError } from '../errors.js';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly string[];
  readonly [key: string]: unknown;
}

export interface ApiDeps {
  readonly log: Logger;
  readonly health: () => HealthReport;
  readonly metricsText: () => string;
  readonly sessions?: SessionSource;
  readonly tlog?: () => SqliteTlogStore;
  readonly version?: string;
}

export const buildApi = (deps: ApiDeps) => {
  // Per-request lines are info level; the API logs only warnings and errors, so an operator's log is
  // not a copy of the scrape traffic.
  const app = Fastify({ loggerInstance: deps.log.child({ component: 'api' }, { level: 'warn' }) });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof CsError) return reply.status(err.status).send({ code: err.code, message: err.message });
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return reply.status(status).send({ code: 'CS_ERR_BAD_REQUEST', message: (err as Error).message });
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ code: 'CS_ERR_INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ code: 'CS_ERR_NOT_FOUND', message: 'no such resource' }));
  app.get('/healthz', async (_req, reply) => {
    const h = deps.health();
    return reply.status(h.status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send(h);
  });
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').header('cache-control', 'no-store').send(deps.metricsText()),
  );
  if (deps.tlog !== undefined) void app.register(logRoutes(deps.tlog));
  if (deps.sessions !== undefined) {
    void app.register(sessionRoutes(deps.sessions));
    const doc = openApiDocument(deps.version ?? '0.0.0');
    app.get('/api/v1/openapi.json', async () => doc);
  }
  return app;
};
