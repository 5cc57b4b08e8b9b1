// The API as `countersign serve` builds it (src/pipeline/service.ts), in-process over a data directory,
// for tests that walk its routes with inject(). When the server gains a dependency (a new resource),
// give it here too, so the access matrix (test/e2e/access-matrix.test.ts) walks its routes.
import { pino, type Logger } from 'pino';
import { buildApi } from '../../src/api/server.js';
import type { AuthDeps } from '../../src/auth/deps.js';
import { loadOrCreateLogKey } from '../../src/pipeline/log-key.js';
import { openSessionReader, openTlogStore } from '../../src/store/index.js';
import { systemClock, type Clock } from '../../src/clock.js';
import type { DashboardDeps } from '../../src/api/dashboard/routes.js';
import { ActionLog } from '../../src/pipeline/action-log.js';
import { loadReviewPolicy, reviewDepsOver } from '../../src/review/deps.js';
import { openSqlite } from '../../src/store/sqlite/open.js';

/** A pino logger whose JSON lines land in `lines` (to assert what was logged). */
export const captureLog = (level = 'info'): { log: Logger; lines: Record<string, unknown>[] } => {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
};

export type TestApp = ReturnType<typeof buildTestApi>;

/**
 * `dashboard`: options of the dashboard routes. Its event streams end after a second here by default (the
 * browser reconnects), so that inject(), which waits for the end of a response, can walk them too.
 */
export const buildTestApi = (dataDir: string, auth: AuthDeps, o: { log?: Logger; clock?: Clock; dashboard?: Partial<DashboardDeps> } = {}) => {
  const tlog = openTlogStore(dataDir);
  const sessions = openSessionReader(dataDir);
  const reviewDb = openSqlite(dataDir);
  const review = reviewDepsOver(reviewDb, { policy: loadReviewPolicy(undefined), actions: new ActionLog(reviewDb, systemClock), accounts: auth.accounts, clock: systemClock });
  const app = buildApi({
    log: o.log ?? pino({ level: 'silent' }),
    health: () => ({ status: 'ok', problems: [] }),
    metricsText: () => '# no metrics in tests\n',
    auth,
    review,
    sessions,
    tlog: () => tlog,
    dashboard: { dataDir, clock: o.clock ?? systemClock, ...o.dashboard, stream: { maxStreamMs: 1000, ...o.dashboard?.stream } },
    verifierKey: loadOrCreateLogKey(dataDir).verifierKey,
    version: 'test',
  });
  app.addHook('onClose', async () => {
    await sessions.close();
    tlog.close();
    reviewDb.close();
  });
  return app;
};
