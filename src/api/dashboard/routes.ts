// GET /api/v1/dashboard (a snapshot) and GET /api/v1/dashboard/stream (server-sent events: `hit` for each
// new high-risk rule hit, `snapshot` of the counters on a timer, a heartbeat comment, `retry:`, resume
// with Last-Event-ID). Viewer access, like reading sessions. The store is read on the dashboard's own
// read-only connection; nothing here writes but the review refresh the queue also does.
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { CS_ERR } from '../../errors.js';
import { openDashboardReader, type SqliteDashboardReader } from '../../store/sqlite/dashboard-reader.js';
import { HIGH_RISK_LEVELS, snapshotQuerySchema, streamQuerySchema, type AlertRouteHealth } from './schema.js';
import { dashboardSnapshot, presentHit, type SnapshotOptions } from './snapshot.js';
import { DEFAULT_STREAM_OPTIONS, DashboardStream, type StreamOptions } from './stream.js';

export interface DashboardDeps {
  /** The store the dashboard reads (its own read-only connection), unless `reader` is given. */
  readonly dataDir: string;
  readonly reader?: SqliteDashboardReader;
  readonly clock: Clock;
  /** Decides the review state of sessions that changed (what the queue does before it answers). */
  readonly refreshReviews?: () => void;
  readonly ruleTitles?: SnapshotOptions['ruleTitles'];
  /** Alert delivery per route (src/alerts/), when this server sends alerts. */
  readonly alertHealth?: () => readonly AlertRouteHealth[];
  /** tlog.checkpointIntervalSeconds: a checkpoint older than 3 intervals + 60 s while the tree grew is stale. */
  readonly checkpointIntervalSeconds?: number;
  readonly stream?: Partial<StreamOptions>;
  /** Called with the stream once it exists (tests look at its stats). */
  readonly onStream?: (s: DashboardStream) => void;
}

const VIEWER = { config: { access: 'viewer' } } as const;

const problem = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');
const parse = <T extends z.ZodType>(schema: T, v: unknown): z.output<T> => {
  const r = schema.safeParse(v);
  if (!r.success) throw CS_ERR.badRequest(problem(r.error));
  return r.data;
};

/** Last-Event-ID as the browser resends it: our ids are hit rowids; anything else is ignored. */
const lastEventId = (req: FastifyRequest): number | null => {
  const v = req.headers['last-event-id'];
  return typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : null;
};

export const dashboardRoutes = (deps: DashboardDeps) => async (app: FastifyInstance) => {
  const reader = deps.reader ?? openDashboardReader(deps.dataDir);
  const levels = HIGH_RISK_LEVELS;
  const snap: SnapshotOptions = {
    clock: deps.clock,
    levels,
    ...(deps.ruleTitles !== undefined ? { ruleTitles: deps.ruleTitles } : {}),
    ...(deps.alertHealth !== undefined ? { alertHealth: deps.alertHealth } : {}),
    checkpointStaleSeconds: (deps.checkpointIntervalSeconds ?? 10) * 3 + 60,
  };
  const refresh = (): void => {
    try {
      deps.refreshReviews?.();
    } catch (e) {
      app.log.error({ err: String((e as Error)?.message ?? e) }, 'dashboard: refreshing review states failed');
    }
  };
  const stream = new DashboardStream(
    {
      reader,
      levels,
      presentHit: (h) => presentHit(h, deps.ruleTitles),
      snapshot: (hours) => dashboardSnapshot(reader, snap, { hours, withRecent: false }),
    },
    { ...DEFAULT_STREAM_OPTIONS, ...deps.stream },
    app.log,
  );
  deps.onStream?.(stream);
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => stream.close());
  app.addHook('onClose', async () => {
    if (deps.reader === undefined) reader.close();
  });

  app.get('/api/v1/dashboard', VIEWER, async (req, reply) => {
    const q = parse(snapshotQuerySchema, req.query);
    refresh();
    return reply.header('cache-control', 'no-store').send(dashboardSnapshot(reader, snap, { hours: q.hours }));
  });

  app.get('/api/v1/dashboard/stream', VIEWER, async (req: FastifyRequest, reply: FastifyReply) => {
    const q = parse(streamQuerySchema, req.query);
    const headers = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' };
    // HEAD (Fastify adds it beside GET): the headers, no stream.
    if (req.method === 'HEAD') return reply.headers(headers).send();
    reply.hijack();
    const res = reply.raw;
    // The headers set so far (security headers from the auth plugin) plus the stream's own.
    res.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...headers, connection: 'keep-alive' });
    res.flushHeaders();
    // Frames go out as written (no Nagle delay); inject()'s fake socket has no such option.
    const socket = req.raw.socket as { setNoDelay?: (on: boolean) => unknown } | null;
    socket?.setNoDelay?.(true);
    stream.attach(res, { after: lastEventId(req) ?? q.after ?? null, hours: q.hours });
  });
};
