// GET /api/v1/sessions and /api/v1/sessions/:id: the same shapes as `countersign sessions --json`.
// Query and path are validated by schema; responses are built by the presenter from the stored rows.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CS_ERR } from '../../errors.js';
import type { SessionQuery } from '../../store/sqlite/session-reader.js';
import type { SessionDetail, SessionView } from '../../model/session-view.js';
import { presentEvent, presentSession } from './presenter.js';
import { sessionAsciicast } from './recording.js';
import { sessionListQuerySchema } from './schema.js';
import type { ReviewRouteDeps } from '../review/routes.js';
import type { RiskHit } from '../../model/risk.js';

export interface SessionSource {
  list(q: SessionQuery): Promise<SessionView[]>;
  get(id: number): Promise<SessionDetail | null>;
  /** Rule hits (with titles) by session. */
  hitsOf?(sessionIds: readonly number[]): Promise<Map<number, RiskHit[]>>;
}

/** Reading sessions is for signed-in viewers and up (docs/review-api.md). */
const VIEWER = { config: { access: 'viewer' } } as const;

const idParam = z.strictObject({ id: z.string().regex(/^-?\d{1,15}$/, 'a session id is a number') });

const problem = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');

/** With `review`, reading a session or its recording is recorded (review.view / review.replay entries). */
export const sessionRoutes = (sessions: SessionSource, review?: ReviewRouteDeps) => async (app: FastifyInstance) => {
  const audit = (req: Parameters<ReviewRouteDeps['reviewerOf']>[0], id: number, kind: 'view' | 'replay'): void => {
    if (review !== undefined) review.reviews.recordView(id, review.reviewerOf(req), kind);
  };
  app.get('/api/v1/sessions', VIEWER, async (req) => {
    const q = sessionListQuerySchema.safeParse(req.query);
    if (!q.success) throw CS_ERR.badRequest(problem(q.error));
    const { limit, host, user, status } = q.data;
    const rows = await sessions.list({ limit, ...(host !== undefined ? { host } : {}), ...(user !== undefined ? { user } : {}), ...(status !== undefined ? { status } : {}) });
    return { sessions: rows.map(presentSession) };
  });
  app.get('/api/v1/sessions/:id', VIEWER, async (req) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw CS_ERR.badRequest(problem(p.error));
    const d = await sessions.get(Number(p.data.id));
    if (d === null) throw CS_ERR.notFound(`no session ${p.data.id}`);
    audit(req, d.session.id, 'view');
    return { session: presentSession(d.session), events: d.events.map(presentEvent) };
  });
  app.get('/api/v1/sessions/:id/recording', VIEWER, async (req, reply) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw CS_ERR.badRequest(problem(p.error));
    const d = await sessions.get(Number(p.data.id));
    if (d === null) throw CS_ERR.notFound(`no session ${p.data.id}`);
    const cast = sessionAsciicast(d);
    if (cast === null) throw CS_ERR.notFound(`session ${p.data.id} has no terminal recording`);
    audit(req, d.session.id, 'replay');
    // Recorded terminal output is hostile: served as a download for a player, never as a page.
    return reply.header('content-type', 'application/x-asciicast; charset=utf-8').header('content-disposition', `attachment; filename="session-${p.data.id}.cast"`).header('x-content-type-options', 'nosniff').send(cast);
  });
};
