// GET /api/v1/sessions and /api/v1/sessions/:id: the same shapes as `countersign sessions --json`.
// Query and path are validated by schema; responses are built by the presenter from the stored rows.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CS_ERR } from '../../errors.js';
import type { SessionQuery } from '../../store/sqlite/session-reader.js';
import type { SessionDetail } from '../../model/session-view.js';
import type { Session } from '../../model/session.js';
import { presentEvent, presentSession } from './presenter.js';
import { sessionAsciicast } from './recording.js';
import { sessionListQuerySchema } from './schema.js';

export interface SessionSource {
  list(q: SessionQuery): Promise<Session[]>;
  get(id: number): Promise<SessionDetail | null>;
}

const idParam = z.strictObject({ id: z.string().regex(/^-?\d{1,15}$/, 'a session id is a number') });

const problem = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');

export const sessionRoutes = (sessions: SessionSource) => async (app: FastifyInstance) => {
  app.get('/api/v1/sessions', async (req) => {
    const q = sessionListQuerySchema.safeParse(req.query);
    if (!q.success) throw CS_ERR.badRequest(problem(q.error));
    const { limit, host, user, status } = q.data;
    const rows = await sessions.list({ limit, ...(host !== undefined ? { host } : {}), ...(user !== undefined ? { user } : {}), ...(status !== undefined ? { status } : {}) });
    return { sessions: rows.map(presentSession) };
  });
  app.get('/api/v1/sessions/:id', async (req) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw CS_ERR.badRequest(problem(p.error));
    const d = await sessions.get(Number(p.data.id));
    if (d === null) throw CS_ERR.notFound(`no session ${p.data.id}`);
    return { session: presentSession(d.session), events: d.events.map(presentEvent) };
  });
  app.get('/api/v1/sessions/:id/recording', async (req, reply) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) throw CS_ERR.badRequest(problem(p.error));
    const d = await sessions.get(Number(p.data.id));
    if (d === null) throw CS_ERR.notFound(`no session ${p.data.id}`);
    const cast = sessionAsciicast(d);
    if (cast === null) throw CS_ERR.notFound(`session ${p.data.id} has no terminal recording`);
    // Recorded terminal output is hostile: served as a download for a player, never as a page.
    return reply.header('content-type', 'application/x-asciicast; charset=utf-8').header('content-disposition', `attachment; filename="session-${p.data.id}.cast"`).header('x-content-type-options', 'nosniff').send(cast);
  });
};
