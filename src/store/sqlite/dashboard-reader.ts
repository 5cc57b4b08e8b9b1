// SQL of the dashboard (src/api/dashboard/): counts and short lists over sessions, reviews, rule hits and
// the tlog, on its own read-only connection, synchronous (better-sqlite3) so that a snapshot can be read in
// one read transaction and the hit follower can catch a client up without a hit slipping in between.
// It never writes. Rule hits are followed by their SQLite rowid (the order they were stored in).
import type BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from './open.js';

/** One rule hit with what the dashboard shows of its event. */
export interface HitRow {
  /** rule_hits.rowid: the order hits were stored in; the stream's event id. */
  readonly id: number;
  readonly eventId: number;
  readonly rule: string;
  readonly level: string;
  readonly seq: number;
  readonly sessionId: number | null;
  readonly host: string;
  readonly time: number;
  readonly user: string | null;
  readonly command: string | null;
  readonly kind: string | null;
}

export interface SessionRow {
  readonly id: number;
  readonly host: string;
  readonly user: string | null;
  readonly origin: string | null;
  readonly tty: string | null;
  readonly deviceType: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly lastActivity: number;
  readonly riskScore: number;
  readonly riskLevel: string;
}

export interface ReviewWaitRow extends SessionRow {
  /** When the session started waiting: its end, or its start while it is open. */
  readonly waitingSince: number;
  readonly dueAt: number | null;
}

export interface ReviewCounts {
  readonly awaiting: number;
  readonly overdue: number;
  readonly flagged: number;
}

export interface BucketRow {
  readonly key: string;
  readonly bucket: number;
  readonly n: number;
}

export interface TlogRow {
  readonly treeSize: number;
  readonly checkpoint: { readonly size: number; readonly createdAt: number } | null;
}

export interface DeriveRow {
  /** The last record seq the derive stage has read; -1 before the first. */
  readonly cursor: number;
  readonly updatedAt: number | null;
}

const HIT_COLUMNS = `h.rowid AS id, h.event_id AS eventId, h.rule, h.level, h.seq, h.session_id AS sessionId, h.host, h.time,
  e.user AS user, e.command AS command, e.kind AS kind`;
const SESSION_COLUMNS = `s.id, s.host, s.user, s.origin, s.tty, s.device_type AS deviceType, s.started_at AS startedAt, s.ended_at AS endedAt,
  s.last_activity AS lastActivity, s.risk_score AS riskScore, s.risk_level AS riskLevel`;
/** Levels are passed as one JSON array parameter, so each statement is prepared once. */
const LEVEL_IN = 'h.level IN (SELECT value FROM json_each(@levels))';

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const hitRow = (r: Record<string, unknown>): HitRow => ({
  id: num(r['id']),
  eventId: num(r['eventId']),
  rule: String(r['rule']),
  level: String(r['level']),
  seq: num(r['seq']),
  sessionId: numOrNull(r['sessionId']),
  host: String(r['host']),
  time: num(r['time']),
  user: (r['user'] as string | null) ?? null,
  command: (r['command'] as string | null) ?? null,
  kind: (r['kind'] as string | null) ?? null,
});

const sessionRow = (r: Record<string, unknown>): SessionRow => ({
  id: num(r['id']),
  host: String(r['host']),
  user: (r['user'] as string | null) ?? null,
  origin: (r['origin'] as string | null) ?? null,
  tty: (r['tty'] as string | null) ?? null,
  deviceType: String(r['deviceType']),
  startedAt: num(r['startedAt']),
  endedAt: numOrNull(r['endedAt']),
  lastActivity: num(r['lastActivity']),
  riskScore: num(r['riskScore']),
  riskLevel: String(r['riskLevel']),
});

export class SqliteDashboardReader {
  private readonly st;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.st = {
      openCount: db.prepare("SELECT count(*) FROM sessions WHERE status = 'open'").pluck(),
      open: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.status = 'open' ORDER BY s.risk_score DESC, s.started_at ASC, s.id ASC LIMIT ?`),
      reviewCounts: db.prepare(
        `SELECT sum(CASE WHEN state = 'needs_review' THEN 1 ELSE 0 END) AS awaiting,
           sum(CASE WHEN state = 'needs_review' AND due_at IS NOT NULL AND due_at < ? THEN 1 ELSE 0 END) AS overdue,
           sum(CASE WHEN state = 'flagged' THEN 1 ELSE 0 END) AS flagged
         FROM reviews`,
      ),
      oldestAwaiting: db.prepare(
        `SELECT ${SESSION_COLUMNS}, coalesce(s.ended_at, s.started_at) AS waitingSince, r.due_at AS dueAt
         FROM reviews r JOIN sessions s ON s.id = r.session_id WHERE r.state = 'needs_review'
         ORDER BY waitingSince ASC, s.id ASC LIMIT 1`,
      ),
      flagged: db.prepare(
        `SELECT ${SESSION_COLUMNS}, coalesce(s.ended_at, s.started_at) AS waitingSince, r.due_at AS dueAt
         FROM reviews r JOIN sessions s ON s.id = r.session_id WHERE r.state = 'flagged'
         ORDER BY r.updated_at DESC, s.id DESC LIMIT ?`,
      ),
      hitsSince: db.prepare(
        `SELECT ${HIT_COLUMNS} FROM rule_hits h LEFT JOIN events e ON e.id = h.event_id
         WHERE h.time >= @since AND h.rowid <= @upTo AND ${LEVEL_IN} ORDER BY h.rowid DESC LIMIT @limit`,
      ),
      countSince: db.prepare(`SELECT count(*) FROM rule_hits h WHERE h.time >= @since AND h.rowid <= @upTo AND ${LEVEL_IN}`).pluck(),
      maxHitId: db.prepare('SELECT coalesce(max(rowid), 0) FROM rule_hits').pluck(),
      hitsAfter: db.prepare(
        `SELECT ${HIT_COLUMNS} FROM rule_hits h LEFT JOIN events e ON e.id = h.event_id
         WHERE h.rowid > @after AND h.rowid <= @upTo AND ${LEVEL_IN} ORDER BY h.rowid ASC LIMIT @limit`,
      ),
      newestAfter: db.prepare(
        `SELECT ${HIT_COLUMNS} FROM rule_hits h LEFT JOIN events e ON e.id = h.event_id
         WHERE h.rowid > @after AND h.rowid <= @upTo AND ${LEVEL_IN} ORDER BY h.rowid DESC LIMIT @limit`,
      ),
      countAfter: db.prepare(`SELECT count(*) FROM rule_hits h WHERE h.rowid > @after AND h.rowid <= @upTo AND ${LEVEL_IN}`).pluck(),
      byRule: db.prepare('SELECT rule AS key, CAST((time - @from) / @bucket AS INTEGER) AS bucket, count(*) AS n FROM rule_hits WHERE time >= @from AND time < @to GROUP BY key, bucket'),
      byHost: db.prepare('SELECT host AS key, CAST((time - @from) / @bucket AS INTEGER) AS bucket, count(*) AS n FROM rule_hits WHERE time >= @from AND time < @to GROUP BY key, bucket'),
      treeSize: db.prepare('SELECT size FROM tlog_state WHERE id = 1').pluck(),
      checkpoint: db.prepare('SELECT size, created_at AS createdAt FROM tlog_checkpoints ORDER BY id DESC LIMIT 1'),
      cursor: db.prepare("SELECT value, updated_at AS updatedAt FROM meta WHERE key = 'derive_cursor'"),
    };
  }

  /** Runs `fn` in one read transaction: every read in it sees the same state of the store. */
  consistent<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  openSessions(limit: number): { count: number; rows: SessionRow[] } {
    return {
      count: num(this.st.openCount.get()),
      rows: (this.st.open.all(limit) as Record<string, unknown>[]).map(sessionRow),
    };
  }

  reviewCounts(now: number): ReviewCounts {
    const r = this.st.reviewCounts.get(now) as { awaiting: number | null; overdue: number | null; flagged: number | null };
    return { awaiting: num(r.awaiting ?? 0), overdue: num(r.overdue ?? 0), flagged: num(r.flagged ?? 0) };
  }

  /** The session that has waited longest for review (its end, or its start while open). */
  oldestAwaiting(): ReviewWaitRow | null {
    const r = this.st.oldestAwaiting.get() as Record<string, unknown> | undefined;
    return r === undefined ? null : { ...sessionRow(r), waitingSince: num(r['waitingSince']), dueAt: numOrNull(r['dueAt']) };
  }

  /** Flagged sessions, most recently changed first. */
  flagged(limit: number): ReviewWaitRow[] {
    return (this.st.flagged.all(limit) as Record<string, unknown>[]).map((r) => ({ ...sessionRow(r), waitingSince: num(r['waitingSince']), dueAt: numOrNull(r['dueAt']) }));
  }

  /** The id of the newest stored hit (0 when there is none). */
  maxHitId(): number {
    return num(this.st.maxHitId.get());
  }

  /** Hits at these levels whose event time is at or after `since`, stored no later than hit `upTo`, newest stored first. */
  hitsSince(since: number, levels: readonly string[], limit: number, upTo = Number.MAX_SAFE_INTEGER): HitRow[] {
    return (this.st.hitsSince.all({ since, upTo, levels: JSON.stringify(levels), limit }) as Record<string, unknown>[]).map(hitRow);
  }

  countSince(since: number, levels: readonly string[], upTo = Number.MAX_SAFE_INTEGER): number {
    return num(this.st.countSince.get({ since, upTo, levels: JSON.stringify(levels) }));
  }

  /** Hits at these levels stored after hit `after` (and no later than `upTo`), oldest first, at most `limit`. */
  hitsAfter(after: number, levels: readonly string[], limit: number, upTo = Number.MAX_SAFE_INTEGER): HitRow[] {
    return (this.st.hitsAfter.all({ after, upTo, levels: JSON.stringify(levels), limit }) as Record<string, unknown>[]).map(hitRow);
  }

  /**
   * The newest `limit` hits at these levels in (after, upTo], oldest first, and how many older ones in that
   * range were left out: a client that was away long is caught up with what is recent, and told of the gap.
   */
  newestAfter(after: number, levels: readonly string[], limit: number, upTo: number): { rows: HitRow[]; skipped: number } {
    const p = { after, upTo, levels: JSON.stringify(levels) };
    const rows = (this.st.newestAfter.all({ ...p, limit }) as Record<string, unknown>[]).map(hitRow).reverse();
    const total = rows.length < limit ? rows.length : num(this.st.countAfter.get(p));
    return { rows, skipped: total - rows.length };
  }

  /**
   * Hits per rule or per host in buckets of `bucketMs` from `from` (inclusive) to `to` (exclusive), by the
   * time of their events: one row per key and non-empty bucket (bucket 0 starts at `from`).
   */
  hitBuckets(by: 'rule' | 'host', from: number, to: number, bucketMs: number): BucketRow[] {
    const st = by === 'rule' ? this.st.byRule : this.st.byHost;
    return (st.all({ from, to, bucket: bucketMs }) as Record<string, unknown>[]).map((r) => ({ key: String(r['key']), bucket: num(r['bucket']), n: num(r['n']) }));
  }

  tlog(): TlogRow {
    const size = this.st.treeSize.get() as number | undefined;
    const c = this.st.checkpoint.get() as { size: number; createdAt: number } | undefined;
    return { treeSize: num(size ?? 0), checkpoint: c === undefined ? null : { size: num(c.size), createdAt: num(c.createdAt) } };
  }

  derive(): DeriveRow {
    const r = this.st.cursor.get() as { value: string; updatedAt: number } | undefined;
    return r === undefined ? { cursor: -1, updatedAt: null } : { cursor: Number(r.value), updatedAt: num(r.updatedAt) };
  }

  close(): void {
    this.db.close();
  }
}

/** The dashboard's own read-only connection to the store of `dataDir`. */
export const openDashboardReader = (dataDir: string): SqliteDashboardReader => new SqliteDashboardReader(openSqlite(dataDir, { readonly: true }));
