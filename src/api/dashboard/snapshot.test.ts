// The dashboard snapshot over a real store: the real sshd/sudo/su capture imported, its sessions decided
// under the built-in review policy, then counted at fixed instants. The numbers below are what that capture
// holds (5 sessions, 1 still open; 9 rule hits, 1 of them high); the HTTP route is checked on the same store.
import { rmSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, sessionFor, testAuth, type TestAuth } from '../../../test/helpers/auth.js';
import { buildTestApi, type TestApp } from '../../../test/helpers/api.js';
import { FakeClock } from '../../clock.js';
import { ActionLog } from '../../pipeline/action-log.js';
import { loadReviewPolicy } from '../../review/deps.js';
import { ReviewService } from '../../review/service.js';
import { openDashboardReader, type SqliteDashboardReader } from '../../store/sqlite/dashboard-reader.js';
import { openSqlite } from '../../store/sqlite/open.js';
import { SqliteReviewStore } from '../../store/sqlite/review-store.js';
import { SqliteTlogStore } from '../../store/sqlite/tlog-store.js';
import { dashboardSnapshotSchema, type DashboardSnapshot } from './schema.js';
import { dashboardSnapshot, OTHER_SERIES, seriesOf } from './snapshot.js';
import { importRealCapture } from '../../../test/helpers/real-capture.js';

/** The capture was made on 2026-11-29 around 20:43 UTC; "now" is the next morning. */
const MORNING = Date.parse('2026-11-30T08:00:00Z');
const H = 3_600_000;

let dir: string;
let db: BetterSqlite3.Database;
let reader: SqliteDashboardReader;
let reviews: ReviewService;
const clock = new FakeClock(MORNING);
const snap = (hours = 24): DashboardSnapshot => dashboardSnapshotSchema.parse(dashboardSnapshot(reader, { clock }, { hours })) as DashboardSnapshot;
const sessionOf = (user: string): number => Number(db.prepare('SELECT id FROM sessions WHERE user = ? ORDER BY id LIMIT 1').pluck().get(user));

beforeAll(async () => {
  dir = await importRealCapture('dashboard');
  db = openSqlite(dir);
  const tlog = new SqliteTlogStore(db);
  const policy = loadReviewPolicy(undefined);
  reviews = new ReviewService({
    store: new SqliteReviewStore(db),
    actions: new ActionLog(db, clock),
    leafHash: (s) => tlog.leafHash(s),
    policy: policy.policy,
    policyText: policy.text,
    roleOf: (n) => (n === 'rita' ? 'reviewer' : null),
    clock,
  });
  reviews.refresh();
  reader = openDashboardReader(dir);
}, 60_000);

afterAll(() => {
  reader?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard snapshot on the real sshd/sudo/su capture', () => {
  it('counts the open session, the sessions awaiting review and the oldest of them', () => {
    const s = snap();
    expect(s.generatedAt).toBe('2026-11-30T08:00:00.000Z');
    expect(s.openSessions.count).toBe(1);
    // alice's second login (her first is closed) is still open.
    const open = Number(db.prepare("SELECT id FROM sessions WHERE user = 'cs-alice' ORDER BY id DESC LIMIT 1").pluck().get());
    expect(s.openSessions.sessions).toEqual([expect.objectContaining({ id: open, host: 'cs-linux-host', user: 'cs-alice', risk: { score: 0, level: 'none' } })]);
    // The built-in policy: a session with a hit (alice's sudo: low, bob's su: high, carol's refused sudo: medium)
    // needs one reviewer; the two without a hit (dave's, alice's open one) are not sampled.
    expect(s.review).toMatchObject({ awaiting: 3, overdue: 0, flagged: 0, flaggedSessions: [] });
    // Waiting longest: the one that ended first (bob's, at 20:43:18.720).
    expect(s.review.oldest).toMatchObject({ id: sessionOf('cs-bob'), user: 'cs-bob', waitingSince: '2026-11-29T20:43:18.720Z', overdue: false, dueAt: '2026-11-30T20:43:18.720Z' });
    expect(s.review.oldest!.waitingSeconds).toBe(Math.round((MORNING - Date.parse('2026-11-29T20:43:18.720Z')) / 1000));
  });

  it('lists the high-risk hit of the last 24 h with its event, and none in the last hour', () => {
    const s = snap();
    expect(s.highRisk).toMatchObject({ levels: ['high', 'critical'], lastHour: 0, last24h: 1 });
    expect(s.highRisk.recent).toEqual([
      expect.objectContaining({ rule: 'interactive-root-shell', title: 'interactive-root-shell', level: 'high', host: 'cs-linux-host', user: 'cs-bob', command: '/bin/bash', kind: 'privilege', sessionId: sessionOf('cs-bob'), time: '2026-11-29T20:43:16.582Z' }),
    ]);
    expect(s.stream.lastHitId).toBe(9);
    // A day later it has left the window.
    clock.set(MORNING + 24 * H);
    try {
      expect(snap().highRisk).toMatchObject({ lastHour: 0, last24h: 0, recent: [] });
    } finally {
      clock.set(MORNING);
    }
  });

  it('counts hits per rule and per host in hourly buckets, in the bucket of 20:00 UTC', () => {
    const s = snap(24);
    expect(s.hits).toMatchObject({ hours: 24, bucketSeconds: 3600, from: '2026-11-29T09:00:00.000Z' });
    const at20 = 11; // 09:00 + 11 h
    const only = (n: number) => Array.from({ length: 24 }, (_, i) => (i === at20 ? n : 0));
    expect(s.hits.byRule).toEqual([
      { key: 'su-sudo-to-root', total: 5, counts: only(5) },
      { key: 'privilege-failed', total: 3, counts: only(3) },
      { key: 'interactive-root-shell', total: 1, counts: only(1) },
    ]);
    expect(s.hits.byHost).toEqual([{ key: 'cs-linux-host', total: 9, counts: only(9) }]);
    // ?hours=1: only the current hour, which has no hit.
    expect(snap(1).hits).toMatchObject({ hours: 1, from: '2026-11-30T08:00:00.000Z', byRule: [], byHost: [] });
  });

  it('says how old the last checkpoint is, that it covers the tree, and that derive has no lag', () => {
    const s = snap();
    const c = db.prepare('SELECT size, created_at FROM tlog_checkpoints ORDER BY id DESC LIMIT 1').get() as { size: number; created_at: number };
    expect(s.tlog.treeSize).toBe(133);
    expect(s.tlog.checkpoint).toEqual({ size: 133, createdAt: new Date(c.created_at).toISOString(), ageSeconds: Math.max(0, Math.round((MORNING - c.created_at) / 1000)), unsigned: 0, stale: false });
    expect(s.derive).toMatchObject({ cursor: 132, lagRecords: 0 });
    expect(s.alerts).toBeNull();
  });

  it('counts a flagged session, and overdue reviews once past their due time', () => {
    reviews.act(sessionOf('cs-carol'), { name: 'rita', role: 'reviewer', identities: [], mayAct: true }, 'flag', { body: 'why three refused sudo attempts?' });
    const s = snap();
    expect(s.review).toMatchObject({ awaiting: 2, flagged: 1, overdue: 0 });
    expect(s.review.flaggedSessions.map((f) => f.user)).toEqual(['cs-carol']);
    clock.set(Date.parse('2026-12-01T00:00:00Z'));
    try {
      const later = snap();
      expect(later.review).toMatchObject({ awaiting: 2, overdue: 2, flagged: 1 });
      expect(later.review.oldest).toMatchObject({ user: 'cs-bob', overdue: true });
    } finally {
      clock.set(MORNING);
    }
  });

  it('reports unsigned entries and a stale checkpoint when the tree grew and no checkpoint came', () => {
    const c = db.prepare('SELECT created_at FROM tlog_checkpoints ORDER BY id DESC LIMIT 1').pluck().get() as number;
    // The flag above appended a review entry to the tree after the import's checkpoint.
    clock.set(c + 30_000);
    try {
      expect(snap().tlog.checkpoint).toMatchObject({ unsigned: 1, stale: false });
      clock.set(c + 10 * 60_000);
      expect(snap().tlog.checkpoint).toMatchObject({ unsigned: 1, stale: true, ageSeconds: 600 });
    } finally {
      clock.set(MORNING);
    }
  });

  it('carries alert delivery per route as the alert router reports it', () => {
    const route = { route: 'chat', sink: 'webhook' as const, delivered: 4, pending: 2, held: 1, failed: 1, lastError: 'HTTP 502', lastErrorAt: '2026-11-30T07:59:00.000Z', lastDeliveredAt: '2026-11-30T07:58:00.000Z', oldestPendingAt: '2026-11-30T07:57:00.000Z' };
    const s = dashboardSnapshotSchema.parse(dashboardSnapshot(reader, { clock, alertHealth: () => [route] }, { hours: 24 }));
    expect(s.alerts).toEqual({ routes: [route] });
  });

  it('keeps the busiest series and folds the rest into one', () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ key: `r${i}`, bucket: i % 3, n: i + 1 }));
    const series = seriesOf(rows, 3);
    expect(series.map((x) => x.key)).toEqual(['r10', 'r9', 'r8', 'r7', 'r6', 'r5', 'r4', 'r3', OTHER_SERIES]);
    expect(series.at(-1)).toEqual({ key: OTHER_SERIES, title: '3 more', total: 1 + 2 + 3, counts: [1, 2, 3] });
  });
});

describe('GET /api/v1/dashboard', () => {
  let t: TestAuth;
  let app: TestApp;

  beforeAll(async () => {
    t = await testAuth(dir);
    await addTestUser(t, 'val', 'viewer');
    app = buildTestApi(dir, t.auth, { clock });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    t?.db.close();
  });

  it('answers a signed-in viewer with the snapshot, and nobody else', async () => {
    expect((await app.inject({ url: '/api/v1/dashboard' })).statusCode).toBe(401);
    const r = await app.inject({ url: '/api/v1/dashboard', headers: sessionFor(t, 'val').headers({ csrf: false }) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const s = dashboardSnapshotSchema.parse(r.json());
    expect(s.openSessions.count).toBe(1);
    expect(s.highRisk.last24h).toBe(1);
    expect(s.review.flagged).toBe(1);
    expect(s.hits.byRule[0]).toMatchObject({ key: 'su-sudo-to-root', total: 5 });
  });

  it('takes ?hours= from 1 to 168 and refuses anything else', async () => {
    const h = sessionFor(t, 'val').headers({ csrf: false });
    expect(dashboardSnapshotSchema.parse((await app.inject({ url: '/api/v1/dashboard?hours=48', headers: h })).json()).hits.byRule[0]!.counts).toHaveLength(48);
    for (const bad of ['hours=0', 'hours=169', 'hours=abc', 'nope=1']) {
      const r = await app.inject({ url: `/api/v1/dashboard?${bad}`, headers: h });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json()).toMatchObject({ code: 'CS_ERR_BAD_REQUEST' });
    }
  });
});
