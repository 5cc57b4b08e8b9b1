// SQL of the alert stage (src/alerts/port.ts): follows rule_hits by rowid with a cursor in meta, keeps the
// outbox and per-route totals. On its own connection on the main thread; it never writes rule_hits.
// rule_hits has no AUTOINCREMENT, so SQLite may give a hit written again (the deriver drops an adopted
// orphan's hits and writes them anew) a rowid at or below the cursor: the cursor keeps the identity of
// the hit it stands on, and when that hit changed the recent hits are read again, skipping those taken.
import type BetterSqlite3 from 'better-sqlite3';
import { isHitLevel, type HitLevel } from '../../model/risk.js';
import type { AlertDetails, AlertStore, NewOutboxRow, OutboxRow, OutboxState, RouteTotals } from '../../alerts/port.js';
import type { AlertHit, AlertKind } from '../../alerts/types.js';

const CURSOR_KEY = 'alerts_cursor';
/** Taken hits remembered at least, whatever their age: the floor of a re-read. */
const SEEN_KEEP = 1000;
const OPEN_STATES = "('pending','held','folding')";

interface Cursor {
  readonly rowid: number;
  /** The hit at rowid when the cursor moved there; absent for a cursor that stands on no hit. */
  readonly event?: number;
  readonly rule?: string;
}

interface HitDbRow {
  rowid: number;
  event_id: number;
  rule: string;
  seq: number;
  session_id: number | null;
  host: string;
  level: string;
  time: number;
  user: string | null;
  command: string | null;
}

interface OutboxDbRow {
  id: number;
  route: string;
  kind: string;
  dedup_key: string | null;
  parent_id: number | null;
  rule: string | null;
  host: string | null;
  session_id: number | null;
  level: string;
  count: number;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  window_end: number | null;
  created_at: number;
  released_at: number | null;
  delivered_at: number | null;
  payload: string;
}

const level = (s: string): HitLevel => (isHitLevel(s) ? s : 'informational');

const toRow = (r: OutboxDbRow): OutboxRow => ({
  id: r.id,
  route: r.route,
  kind: r.kind as AlertKind,
  dedupKey: r.dedup_key,
  parentId: r.parent_id,
  rule: r.rule,
  host: r.host,
  sessionId: r.session_id,
  level: level(r.level),
  count: r.count,
  state: r.state as OutboxState,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  windowEnd: r.window_end,
  createdAt: r.created_at,
  releasedAt: r.released_at,
  deliveredAt: r.delivered_at,
  details: JSON.parse(r.payload) as AlertDetails,
});

export class SqliteAlertStore implements AlertStore {
  private readonly st;
  private readonly tx: BetterSqlite3.Transaction<(fn: () => void) => void>;

  constructor(private readonly db: BetterSqlite3.Database) {
    const p = (sql: string): BetterSqlite3.Statement => db.prepare(sql);
    this.st = {
      meta: p('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: p('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
      topHit: p('SELECT rowid, event_id, rule FROM rule_hits ORDER BY rowid DESC LIMIT 1'),
      hitAt: p('SELECT event_id, rule FROM rule_hits WHERE rowid = ?'),
      hitsAfter: p(
        `SELECT h.rowid AS rowid, h.event_id, h.rule, h.seq, h.session_id, h.host, h.level, h.time, e.user, e.command
         FROM rule_hits h LEFT JOIN events e ON e.id = h.event_id WHERE h.rowid > ? ORDER BY h.rowid LIMIT ?`,
      ),
      oldestSeen: p('SELECT min(hit_rowid) FROM alert_seen').pluck(),
      seen: p('INSERT INTO alert_seen (event_id, rule, hit_rowid, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (event_id, rule) DO NOTHING'),
      waiting: p("SELECT EXISTS (SELECT 1 FROM alert_outbox WHERE state = 'folding' AND window_end <= ?) OR EXISTS (SELECT 1 FROM alert_outbox WHERE state = 'held')").pluck(),
      openAlert: p("SELECT * FROM alert_outbox WHERE route = ? AND dedup_key = ? AND window_end > ? AND kind = 'alert' ORDER BY id DESC LIMIT 1"),
      followupOf: p("SELECT * FROM alert_outbox WHERE parent_id = ? AND kind = 'followup' LIMIT 1"),
      insert: p(
        `INSERT INTO alert_outbox (route, kind, dedup_key, parent_id, rule, host, session_id, level, count, state, attempts, next_attempt_at, window_end, created_at, released_at, payload)
         VALUES (@route, @kind, @dedup_key, @parent_id, @rule, @host, @session_id, @level, @count, @state, 0, @next_attempt_at, @window_end, @created_at, @released_at, @payload)`,
      ),
      addToCount: p('UPDATE alert_outbox SET count = count + ? WHERE id = ?'),
      releasedSince: p('SELECT count(*) FROM alert_outbox WHERE route = ? AND released_at >= ?').pluck(),
      release: p("UPDATE alert_outbox SET state = 'pending', released_at = ?, next_attempt_at = ? WHERE id = ?"),
      hold: p("UPDATE alert_outbox SET state = 'held' WHERE id = ?"),
      closedWindows: p("SELECT * FROM alert_outbox WHERE state = 'folding' AND window_end <= ? ORDER BY id"),
      held: p("SELECT * FROM alert_outbox WHERE state = 'held' AND route = ? ORDER BY id"),
      summarize: p("UPDATE alert_outbox SET state = 'summarized', parent_id = ?, delivered_at = ? WHERE id = ? AND state = 'held'"),
      due: p("SELECT * FROM alert_outbox WHERE state = 'pending' AND route = ? ORDER BY id LIMIT ?"),
      delivered: p("UPDATE alert_outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, next_attempt_at = NULL WHERE id = ?"),
      retry: p('UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?'),
      fail: p("UPDATE alert_outbox SET state = 'failed', attempts = attempts + 1, next_attempt_at = NULL, last_error = ? WHERE id = ?"),
      unrouted: p(`SELECT route, count(*) AS n FROM alert_outbox WHERE state IN ${OPEN_STATES} GROUP BY route`),
      failRoute: p(`UPDATE alert_outbox SET state = 'failed', next_attempt_at = NULL, last_error = ? WHERE route = ? AND state IN ${OPEN_STATES}`),
      routeDelivered: p(
        `INSERT INTO alert_routes (route, delivered, failed, last_success_at) VALUES (?, 1, 0, ?)
         ON CONFLICT (route) DO UPDATE SET delivered = delivered + 1, last_success_at = excluded.last_success_at`,
      ),
      routeError: p(
        `INSERT INTO alert_routes (route, delivered, failed, last_error, last_error_at) VALUES (?, 0, ?, ?, ?)
         ON CONFLICT (route) DO UPDATE SET failed = failed + excluded.failed, last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
      ),
      routeOf: p('SELECT route FROM alert_outbox WHERE id = ?').pluck(),
      routes: p('SELECT route, delivered, failed, last_success_at, last_error, last_error_at FROM alert_routes'),
      open: p(
        `SELECT route, count(*) AS pending, sum(state = 'held') AS held, min(created_at) AS oldest
         FROM alert_outbox WHERE state IN ${OPEN_STATES} GROUP BY route`,
      ),
      pruneOutbox: p("DELETE FROM alert_outbox WHERE state IN ('delivered','summarized') AND delivered_at < ?"),
      pruneSeen: p(`DELETE FROM alert_seen WHERE seen_at < ? AND hit_rowid <= (SELECT hit_rowid FROM alert_seen ORDER BY hit_rowid DESC LIMIT 1 OFFSET ${SEEN_KEEP})`),
    };
    this.tx = db.transaction((fn: () => void) => fn());
    this.ensureCursor();
  }

  /**
   * A store that never ran alerts starts at the hits it holds now: hits derived before alerting existed
   * (or before this version) are history, not news. Every later hit is taken, also while the router is stopped.
   */
  private ensureCursor(): void {
    if (this.st.meta.get(CURSOR_KEY) !== undefined) return;
    const top = this.st.topHit.get() as { rowid: number } | undefined;
    this.writeCursor({ rowid: top?.rowid ?? 0 }, 0);
  }

  private readCursor(): Cursor {
    const v = this.st.meta.get(CURSOR_KEY) as string | undefined;
    return v === undefined ? { rowid: 0 } : (JSON.parse(v) as Cursor);
  }

  private writeCursor(c: Cursor, now: number): void {
    this.st.setMeta.run(CURSOR_KEY, JSON.stringify(c), now);
  }

  transaction(fn: () => void): void {
    this.tx.immediate(fn);
  }

  hasNewHits(): boolean {
    const c = this.readCursor();
    const top = this.st.topHit.get() as { rowid: number; event_id: number; rule: string } | undefined;
    if (top === undefined) return false;
    if (top.rowid > c.rowid) return true;
    if (c.event === undefined) return false;
    const at = this.st.hitAt.get(c.rowid) as { event_id: number; rule: string } | undefined;
    return at === undefined || at.event_id !== c.event || at.rule !== c.rule;
  }

  hasWaiting(now: number): boolean {
    return this.st.waiting.get(now) === 1;
  }

  takeHits(limit: number, now: number): { hits: AlertHit[]; more: boolean } {
    const c = this.readCursor();
    let from = c.rowid;
    if (c.event !== undefined) {
      const at = this.st.hitAt.get(c.rowid) as { event_id: number; rule: string } | undefined;
      if (at === undefined || at.event_id !== c.event || at.rule !== c.rule) {
        const oldest = this.st.oldestSeen.get() as number | null;
        from = Math.min(from, (oldest ?? 1) - 1);
      }
    }
    const rows = this.st.hitsAfter.all(from, limit) as HitDbRow[];
    const out: AlertHit[] = [];
    for (const r of rows) {
      if (this.st.seen.run(r.event_id, r.rule, r.rowid, now).changes !== 1) continue;
      out.push({ eventId: r.event_id, rule: r.rule, seq: r.seq, sessionId: r.session_id, host: r.host, level: r.level, time: r.time, user: r.user, command: r.command });
    }
    const last = rows.at(-1);
    if (last !== undefined) this.writeCursor({ rowid: last.rowid, event: last.event_id, rule: last.rule }, now);
    else if (from !== c.rowid) {
      // Read again and nothing after `from`: stand on the newest hit there is.
      const top = this.st.topHit.get() as { rowid: number; event_id: number; rule: string } | undefined;
      this.writeCursor(top === undefined ? { rowid: 0 } : { rowid: top.rowid, event: top.event_id, rule: top.rule }, now);
    }
    return { hits: out, more: rows.length === limit };
  }

  openAlert(route: string, dedupKey: string, now: number): OutboxRow | undefined {
    const r = this.st.openAlert.get(route, dedupKey, now) as OutboxDbRow | undefined;
    return r === undefined ? undefined : toRow(r);
  }

  followupOf(parentId: number): OutboxRow | undefined {
    const r = this.st.followupOf.get(parentId) as OutboxDbRow | undefined;
    return r === undefined ? undefined : toRow(r);
  }

  insert(row: NewOutboxRow): number {
    const pending = row.state === 'pending';
    const r = this.st.insert.run({
      route: row.route,
      kind: row.kind,
      dedup_key: row.dedupKey,
      parent_id: row.parentId,
      rule: row.rule,
      host: row.host,
      session_id: row.sessionId,
      level: row.level,
      count: row.count,
      state: row.state,
      next_attempt_at: pending ? row.now : null,
      window_end: row.windowEnd,
      created_at: row.now,
      released_at: pending ? row.now : null,
      payload: JSON.stringify(row.details),
    });
    return Number(r.lastInsertRowid);
  }

  addToCount(id: number, by: number): void {
    this.st.addToCount.run(by, id);
  }

  releasedSince(route: string, since: number): number {
    return this.st.releasedSince.get(route, since) as number;
  }

  release(id: number, now: number): void {
    this.st.release.run(now, now, id);
  }

  hold(id: number): void {
    this.st.hold.run(id);
  }

  closedWindows(now: number): OutboxRow[] {
    return (this.st.closedWindows.all(now) as OutboxDbRow[]).map(toRow);
  }

  held(route: string): OutboxRow[] {
    return (this.st.held.all(route) as OutboxDbRow[]).map(toRow);
  }

  summarize(ids: readonly number[], summaryId: number, now: number): void {
    for (const id of ids) this.st.summarize.run(summaryId, now, id);
  }

  due(route: string, now: number, limit: number): OutboxRow[] {
    const out: OutboxRow[] = [];
    for (const r of this.st.due.all(route, limit) as OutboxDbRow[]) {
      if ((r.next_attempt_at ?? 0) > now) break;
      out.push(toRow(r));
    }
    return out;
  }

  delivered(id: number, now: number): void {
    this.tx.immediate(() => {
      this.st.delivered.run(now, id);
      this.st.routeDelivered.run(this.st.routeOf.get(id), now);
    });
  }

  retry(id: number, now: number, nextAttemptAt: number, error: string): void {
    this.tx.immediate(() => {
      this.st.retry.run(nextAttemptAt, error, id);
      this.st.routeError.run(this.st.routeOf.get(id), 0, error, now);
    });
  }

  fail(id: number, now: number, reason: string): void {
    this.tx.immediate(() => {
      this.st.fail.run(reason, id);
      this.st.routeError.run(this.st.routeOf.get(id), 1, reason, now);
    });
  }

  failUnrouted(routes: readonly string[], now: number, reason: string): number {
    const known = new Set(routes);
    let n = 0;
    this.tx.immediate(() => {
      for (const r of this.st.unrouted.all() as { route: string; n: number }[]) {
        if (known.has(r.route)) continue;
        this.st.failRoute.run(reason, r.route);
        this.st.routeError.run(r.route, r.n, reason, now);
        n += r.n;
      }
    });
    return n;
  }

  totals(): RouteTotals[] {
    const open = new Map((this.st.open.all() as { route: string; pending: number; held: number; oldest: number }[]).map((r) => [r.route, r]));
    const out = new Map<string, RouteTotals>();
    type RouteRow = { route: string; delivered: number; failed: number; last_success_at: number | null; last_error: string | null; last_error_at: number | null };
    for (const r of this.st.routes.all() as RouteRow[]) {
      const o = open.get(r.route);
      out.set(r.route, {
        route: r.route,
        delivered: r.delivered,
        failed: r.failed,
        pending: o?.pending ?? 0,
        held: o?.held ?? 0,
        lastSuccessAt: r.last_success_at,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at,
        oldestPendingAt: o?.oldest ?? null,
      });
    }
    for (const [route, o] of open) {
      if (!out.has(route)) {
        out.set(route, { route, delivered: 0, failed: 0, pending: o.pending, held: o.held, lastSuccessAt: null, lastError: null, lastErrorAt: null, oldestPendingAt: o.oldest });
      }
    }
    return [...out.values()];
  }

  prune(before: number): void {
    this.tx.immediate(() => {
      this.st.pruneOutbox.run(before);
      this.st.pruneSeen.run(before);
    });
  }

  close(): void {
    this.db.close();
  }
}
