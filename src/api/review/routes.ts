// The review API (docs/review-api.md): the queue, a session's review, and the review actions. Input is
// schema-checked; who may do what is decided by review/permissions.ts inside the service, so no entry
// point can approve a session its caller acted in.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CS_ERR } from '../../errors.js';
import type { Reviewer } from '../../review/permissions.js';
import { RISK_LEVELS } from '../../review/policy.js';
import type { ReviewService, SessionReview } from '../../review/service.js';
import { REVIEW_STATES, type ReviewAction } from '../../review/state.js';
import { sessionFromRow } from '../../store/sqlite/session-reader.js';
import { presentSession } from '../sessions/presenter.js';
import type { RiskHit } from '../../model/risk.js';

export interface ReviewRouteDeps {
  readonly reviews: ReviewService;
  /** The signed-in caller as a reviewer (role, identities, whether they may act). */
  readonly reviewerOf: (req: FastifyRequest) => Reviewer;
  /** The rule hits of sessions (with titles), for the risk shown in the queue. */
  readonly hitsOf?: (sessionIds: readonly number[]) => Promise<Map<number, RiskHit[]>>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const problem = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
const parse = <T extends z.ZodType>(schema: T, v: unknown): z.output<T> => {
  const r = schema.safeParse(v);
  if (!r.success) throw CS_ERR.badRequest(problem(r.error));
  return r.data;
};

const idParam = z.strictObject({ id: z.string().regex(/^-?\d{1,15}$/, 'a session id is a number').transform(Number) });
const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const queueQuerySchema = z.strictObject({
  state: z.enum([...REVIEW_STATES, 'all']).default('all'),
  risk: z.enum(RISK_LEVELS).optional(),
  host: z.string().min(1).max(255).optional(),
  deviceType: z.string().min(1).max(64).optional(),
  user: z.string().min(1).max(255).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  q: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const commentBody = z.strictObject({ eventId: z.number().int().nullable().optional(), body: z.string().max(10_000) });
const approveBody = z.strictObject({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'the session digest (64 hex digits) you reviewed') });
const textBody = z.strictObject({ body: z.string().max(10_000) });

export const presentAction = (a: ReviewAction) => ({ seq: a.seq, action: a.action, user: a.user, at: iso(a.at), eventId: a.eventId, body: a.body, digest: a.digest });

export const presentReview = (r: SessionReview) => ({
  state: r.status.state,
  policy: r.decision.policy,
  why: r.decision.why,
  required: r.status.required,
  approvals: r.status.approvals.map((a) => ({ user: a.user, at: iso(a.at), digest: a.digest, current: a.current, seq: a.seq })),
  approvedByPolicy: r.status.approvedByPolicy,
  digest: r.digest,
  changedSinceApproval: r.status.changedSinceApproval,
  dueAt: iso(r.dueAt),
  overdue: r.overdue,
  you: r.you,
});

const reviewer = { config: { access: 'reviewer' } } as const;
const viewer = { config: { access: 'viewer' } } as const;

export const reviewRoutes = (deps: ReviewRouteDeps) => async (app: FastifyInstance) => {
  const { reviews } = deps;

  app.get('/api/v1/queue', viewer, async (req) => {
    const q = parse(queueQuerySchema, req.query);
    const { counts, rows } = reviews.queue(q);
    const hits = (await deps.hitsOf?.(rows.map((r) => Number(r.session.id)))) ?? new Map<number, RiskHit[]>();
    return {
      counts,
      sessions: rows.map((r) => ({ session: presentSession(sessionFromRow(r.session, hits.get(Number(r.session.id)))), review: { ...r.review, dueAt: iso(r.review.dueAt) } })),
    };
  });

  app.get('/api/v1/sessions/:id/review', viewer, async (req) => {
    const { id } = parse(idParam, req.params);
    const r = reviews.review(id, deps.reviewerOf(req));
    if (r === null) throw CS_ERR.notFound(`no session ${id}`);
    return { review: presentReview(r), actions: r.actions.map(presentAction) };
  });

  const action = (kind: 'comment' | 'approve' | 'flag' | 'resolve', schema: z.ZodType) =>
    app.post(`/api/v1/sessions/:id/${kind === 'comment' ? 'comments' : kind}`, reviewer, async (req, reply) => {
      const { id } = parse(idParam, req.params);
      const body = parse(schema, req.body ?? {}) as { eventId?: number | null; body?: string; digest?: string };
      const r = reviews.act(id, deps.reviewerOf(req), kind, body);
      req.log.info({ session: id, action: kind, user: r.action.user, seq: r.action.seq }, 'review action');
      return reply.status(201).send({ action: presentAction(r.action), review: presentReview(r.review) });
    });
  action('comment', commentBody);
  action('approve', approveBody);
  action('flag', textBody);
  action('resolve', textBody);
};
