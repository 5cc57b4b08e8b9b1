// The dashboard's HTTP shapes: the query of GET /api/v1/dashboard and of its event stream, the snapshot it
// answers, and the `hit` an event stream frame carries. Every string that came from a device, host or person
// (host, user, command, origin) is hostile: the UI renders it as text only (web/src/components/hostile.tsx).
import { z } from 'zod';
import { alertRouteHealthSchema } from '../../alerts/health.js';

/** Hits at these levels are "high-risk": they go to the stream and the high-risk lists. */
export const HIGH_RISK_LEVELS = ['high', 'critical'] as const;

export const MAX_HOURS = 168;

export const snapshotQuerySchema = z.strictObject({
  /** The span of the hit charts, in hours (hourly buckets). */
  hours: z.coerce.number().int().min(1).max(MAX_HOURS).default(24),
});

export const streamQuerySchema = z.strictObject({
  hours: z.coerce.number().int().min(1).max(MAX_HOURS).default(24),
  /** Follow hits stored after this one (the snapshot's stream.lastHitId); Last-Event-ID wins when both are given. */
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

const iso = z.string();
const riskSchema = z.object({ score: z.number().int(), level: z.string() });

export const dashboardHitSchema = z.object({
  /** The hit's place in the store's order: the SSE event id; resume after it with Last-Event-ID. */
  id: z.number().int(),
  eventId: z.number().int(),
  rule: z.string(),
  title: z.string(),
  level: z.string(),
  host: z.string(),
  user: z.string().nullable(),
  /** Cut to 1000 characters (the session page has all of it). */
  command: z.string().nullable(),
  kind: z.string().nullable(),
  time: iso,
  seq: z.number().int(),
  sessionId: z.number().int().nullable(),
});
export type DashboardHit = z.infer<typeof dashboardHitSchema>;

const sessionBrief = z.object({
  id: z.number().int(),
  host: z.string(),
  user: z.string().nullable(),
  origin: z.string().nullable(),
  tty: z.string().nullable(),
  deviceType: z.string(),
  startedAt: iso,
  lastActivity: iso,
  risk: riskSchema,
});

const waitingSession = sessionBrief.extend({
  waitingSince: iso,
  waitingSeconds: z.number().int(),
  dueAt: iso.nullable(),
  overdue: z.boolean(),
});

const series = z.object({ key: z.string(), title: z.string().optional(), total: z.number().int(), counts: z.array(z.number().int()) });

export type { AlertRouteHealth } from '../../alerts/health.js';

export const dashboardSnapshotSchema = z.object({
  generatedAt: iso,
  openSessions: z.object({ count: z.number().int(), sessions: z.array(sessionBrief) }),
  review: z.object({
    awaiting: z.number().int(),
    overdue: z.number().int(),
    flagged: z.number().int(),
    oldest: waitingSession.nullable(),
    flaggedSessions: z.array(waitingSession),
  }),
  highRisk: z.object({
    levels: z.array(z.string()),
    lastHour: z.number().int(),
    last24h: z.number().int(),
    /** Newest stored first; left out of the stream's snapshot events (the stream sends each hit itself). */
    recent: z.array(dashboardHitSchema).optional(),
  }),
  hits: z.object({
    hours: z.number().int(),
    bucketSeconds: z.number().int(),
    /** Start of the first bucket; bucket i covers from + i·bucketSeconds. The last one is the current hour. */
    from: iso,
    byRule: z.array(series),
    byHost: z.array(series),
  }),
  /** Alert delivery per route; null until alerting is wired into this server. */
  alerts: z.object({ routes: z.array(alertRouteHealthSchema) }).nullable(),
  tlog: z.object({
    treeSize: z.number().int(),
    checkpoint: z
      .object({
        size: z.number().int(),
        createdAt: iso,
        ageSeconds: z.number().int(),
        /** Entries appended since: signed at the next checkpoint. */
        unsigned: z.number().int(),
        /** The tree grew and no checkpoint came for longer than the dashboard's limit. */
        stale: z.boolean(),
      })
      .nullable(),
  }),
  derive: z.object({ cursor: z.number().int(), lagRecords: z.number().int(), updatedAt: iso.nullable() }),
  stream: z.object({ lastHitId: z.number().int() }),
});
export type DashboardSnapshot = z.infer<typeof dashboardSnapshotSchema>;
