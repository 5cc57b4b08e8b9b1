// Builds the dashboard snapshot from the store's counts at one instant (one read transaction) and the
// injected clock: what is open, what waits for review, what was high-risk lately, hits over time, alert
// delivery, the tlog's last checkpoint and the derive lag. Reads only; never decides anything.
import type { Clock } from '../../clock.js';
import type { HitRow, ReviewWaitRow, SessionRow, SqliteDashboardReader, BucketRow } from '../../store/sqlite/dashboard-reader.js';
import { HIGH_RISK_LEVELS, type AlertRouteHealth, type DashboardHit, type DashboardSnapshot } from './schema.js';

const HOUR_MS = 3_600_000;
/** Lists are short: the dashboard shows a glance, the queue and the sessions list have the rest. */
const OPEN_LIST = 50;
const FLAGGED_LIST = 20;
const RECENT_HITS = 50;
/** Per chart: the busiest keys, the rest summed as one "other" series. */
const TOP_SERIES = 8;
export const OTHER_SERIES = '(other)';
/** A hit frame stays small whatever was logged (the session page shows all of it). */
const COMMAND_MAX = 1000;
const NAME_MAX = 255;
const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s);

export interface SnapshotOptions {
  readonly clock: Clock;
  /** Rule id → title, for the hit lists and the charts (the store keeps ids only). */
  readonly ruleTitles?: ReadonlyMap<string, { readonly title: string }>;
  /** Alert delivery per route, once alerting exists in this server. */
  readonly alertHealth?: () => readonly AlertRouteHealth[];
  /** A checkpoint is stale when the tree grew and none came for this long (default 3 × the interval + 60 s). */
  readonly checkpointStaleSeconds?: number;
  /** Hit levels shown as high-risk (default high, critical). */
  readonly levels?: readonly string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();
const seconds = (ms: number): number => Math.max(0, Math.round(ms / 1000));

export const presentHit = (h: HitRow, titles?: SnapshotOptions['ruleTitles']): DashboardHit => ({
  id: h.id,
  eventId: h.eventId,
  rule: h.rule,
  title: titles?.get(h.rule)?.title ?? h.rule,
  level: h.level,
  host: cut(h.host, NAME_MAX),
  user: h.user === null ? null : cut(h.user, NAME_MAX),
  command: h.command === null ? null : cut(h.command, COMMAND_MAX),
  kind: h.kind,
  time: iso(h.time),
  seq: h.seq,
  sessionId: h.sessionId,
});

const brief = (s: SessionRow) => ({
  id: s.id,
  host: s.host,
  user: s.user,
  origin: s.origin,
  tty: s.tty,
  deviceType: s.deviceType,
  startedAt: iso(s.startedAt),
  lastActivity: iso(s.lastActivity),
  risk: { score: s.riskScore, level: s.riskLevel },
});

const waiting = (s: ReviewWaitRow, now: number) => ({
  ...brief(s),
  waitingSince: iso(s.waitingSince),
  waitingSeconds: seconds(now - s.waitingSince),
  dueAt: s.dueAt === null ? null : iso(s.dueAt),
  overdue: s.dueAt !== null && s.dueAt < now,
});

/** Rows of (key, bucket, n) → one count array per key, the busiest first, the tail folded into "other". */
export const seriesOf = (rows: readonly BucketRow[], buckets: number, title?: (key: string) => string | undefined): DashboardSnapshot['hits']['byRule'] => {
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    if (!Number.isInteger(r.bucket) || r.bucket < 0 || r.bucket >= buckets) continue;
    let counts = byKey.get(r.key);
    if (counts === undefined) byKey.set(r.key, (counts = new Array<number>(buckets).fill(0)));
    counts[r.bucket]! += r.n;
  }
  const all = [...byKey.entries()].map(([key, counts]) => ({ key, counts, total: counts.reduce((a, b) => a + b, 0) }));
  all.sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const top = all.slice(0, TOP_SERIES).map((s) => {
    const t = title?.(s.key);
    return t === undefined ? s : { ...s, title: t };
  });
  const rest = all.slice(TOP_SERIES);
  if (rest.length > 0) {
    const counts = new Array<number>(buckets).fill(0);
    for (const s of rest) s.counts.forEach((n, i) => (counts[i]! += n));
    top.push({ key: OTHER_SERIES, counts, total: counts.reduce((a, b) => a + b, 0), title: `${rest.length} more` });
  }
  return top;
};

/**
 * The snapshot at the clock's now. `withRecent: false` leaves out the list of recent high-risk hits (the
 * event stream's periodic snapshots: the stream sends each hit by itself).
 */
export const dashboardSnapshot = (reader: SqliteDashboardReader, o: SnapshotOptions, q: { hours: number; withRecent?: boolean }): DashboardSnapshot => {
  const now = o.clock.now();
  const levels = o.levels ?? HIGH_RISK_LEVELS;
  const staleMs = (o.checkpointStaleSeconds ?? 90) * 1000;
  // Hourly buckets ending with the current (partial) hour.
  const buckets = q.hours;
  const from = Math.floor(now / HOUR_MS) * HOUR_MS - (buckets - 1) * HOUR_MS;
  const to = from + buckets * HOUR_MS;
  const title = (key: string) => o.ruleTitles?.get(key)?.title;
  const s = reader.consistent(() => {
    const lastHitId = reader.maxHitId();
    return {
      lastHitId,
      open: reader.openSessions(OPEN_LIST),
      counts: reader.reviewCounts(now),
      oldest: reader.oldestAwaiting(),
      flagged: reader.flagged(FLAGGED_LIST),
      lastHour: reader.countSince(now - HOUR_MS, levels, lastHitId),
      last24h: reader.countSince(now - 24 * HOUR_MS, levels, lastHitId),
      recent: q.withRecent === false ? null : reader.hitsSince(now - 24 * HOUR_MS, levels, RECENT_HITS, lastHitId),
      byRule: reader.hitBuckets('rule', from, to, HOUR_MS),
      byHost: reader.hitBuckets('host', from, to, HOUR_MS),
      tlog: reader.tlog(),
      derive: reader.derive(),
    };
  });
  let alerts: DashboardSnapshot['alerts'] = null;
  if (o.alertHealth !== undefined) alerts = { routes: [...o.alertHealth()] };
  const c = s.tlog.checkpoint;
  const unsigned = c === null ? s.tlog.treeSize : Math.max(0, s.tlog.treeSize - c.size);
  return {
    generatedAt: iso(now),
    openSessions: { count: s.open.count, sessions: s.open.rows.map(brief) },
    review: {
      awaiting: s.counts.awaiting,
      overdue: s.counts.overdue,
      flagged: s.counts.flagged,
      oldest: s.oldest === null ? null : waiting(s.oldest, now),
      flaggedSessions: s.flagged.map((f) => waiting(f, now)),
    },
    highRisk: {
      levels: [...levels],
      lastHour: s.lastHour,
      last24h: s.last24h,
      ...(s.recent === null ? {} : { recent: s.recent.map((h) => presentHit(h, o.ruleTitles)) }),
    },
    hits: { hours: buckets, bucketSeconds: HOUR_MS / 1000, from: iso(from), byRule: seriesOf(s.byRule, buckets, title), byHost: seriesOf(s.byHost, buckets) },
    alerts,
    tlog: {
      treeSize: s.tlog.treeSize,
      checkpoint:
        c === null
          ? null
          : { size: c.size, createdAt: iso(c.createdAt), ageSeconds: seconds(now - c.createdAt), unsigned, stale: unsigned > 0 && now - c.createdAt > staleMs },
    },
    derive: {
      cursor: s.derive.cursor,
      // Records are seq 0 … treeSize-1; the cursor is the last one derived.
      lagRecords: Math.max(0, s.tlog.treeSize - 1 - s.derive.cursor),
      updatedAt: s.derive.updatedAt === null ? null : iso(s.derive.updatedAt),
    },
    stream: { lastHitId: s.lastHitId },
  };
};
