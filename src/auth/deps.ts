// What the HTTP layer needs for accounts and access, built once per process over one SQLite connection
// (its own, on the main thread: the ActionLog writes account entries beside the writer thread, WAL).
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { ActionLog } from '../pipeline/action-log.js';
import { SqliteUserStore } from '../store/sqlite/user-store.js';
import { LoginThrottle } from './login-throttle.js';
import { BrowserSessions } from './sessions.js';
import { Accounts } from './users.js';

export type AuthConfig = Config['auth'];

export interface AuthDeps {
  readonly accounts: Accounts;
  readonly sessions: BrowserSessions;
  /** The per-account failed sign-in brake. */
  readonly throttle: LoginThrottle;
  readonly config: AuthConfig;
  /** Served over TLS: cookies get `Secure`, replies get HSTS. */
  readonly secureCookies: boolean;
  /** State-changing requests allowed per client address per minute, all routes together (default 600). */
  readonly writesPerMinute?: number;
}

export interface AuthDepsOptions {
  readonly config: AuthConfig;
  readonly clock: Clock;
  readonly secureCookies: boolean;
  /** Share the process's ActionLog on this connection, if it has one; else one is made. */
  readonly actions?: ActionLog;
  readonly writesPerMinute?: number;
}

/** AuthDeps over an open, migrated store connection (openSqlite + prepareStore). */
export const authDepsOver = (db: BetterSqlite3.Database, o: AuthDepsOptions): AuthDeps => {
  const store = new SqliteUserStore(db);
  const actions = o.actions ?? new ActionLog(db, o.clock);
  return {
    accounts: new Accounts({ store, actions, clock: o.clock, requireTotpFor: o.config.requireTotpFor }),
    sessions: new BrowserSessions(store, o.clock, { idleMs: o.config.sessionIdleMinutes * 60_000, maxMs: o.config.sessionMaxHours * 3_600_000 }),
    throttle: new LoginThrottle(o.clock),
    config: o.config,
    secureCookies: o.secureCookies,
    ...(o.writesPerMinute !== undefined ? { writesPerMinute: o.writesPerMinute } : {}),
  };
};
