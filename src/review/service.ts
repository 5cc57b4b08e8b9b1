// The review service: keeps each session's review state current under the policy, answers the queue
// and a session's review, and takes review actions. Every action (view, replay, comment, approve, flag,
// resolve — and approvals given by a policy allowlist) is a tlog entry written with its index row in
// one transaction (pipeline/action-log.ts), so `verify` can hold the review tables to the log.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CsError, CS_ERR } from '../errors.js';
import type { ActionLog } from '../pipeline/action-log.js';
import type { QueueFilter, SqliteReviewStore } from '../store/sqlite/review-store.js';
import { decide, type Decision, type SessionFacts } from './decide.js';
import { permissions, type Permissions, type Reviewer } from './permissions.js';
import { EVERY_REVIEWER, RISK_LEVELS, riskRank, type Policy, type Requirement } from './policy.js';
import { POLICY_ACTOR, reviewStatus, type ReviewAction, type ReviewActionKind, type ReviewStatus } from './state.js';

/** A user's repeated views of one session within this window are one `review.view` entry. */
export const VIEW_DEDUP_MS = 60_000;
export const MAX_BODY = 10_000;
/** Sessions decided again per transaction by refresh(). */
const REFRESH_BITE = 50;

export interface ReviewServiceDeps {
  readonly store: SqliteReviewStore;
  readonly actions: ActionLog;
  /** The tlog leaf hash of a record seq. */
  readonly leafHash: (seq: number) => Uint8Array | undefined;
  readonly policy: Policy;
  /** The policy's text (or a fingerprint of it): when it changes, every session is decided again. */
  readonly policyText: string;
  /** A Countersign user's role, or null when there is no such (enabled) user. */
  readonly roleOf: (name: string) => string | null;
  readonly clock: Clock;
}

export interface ReviewSummary {
  readonly state: string;
  readonly policy: string | null;
  readonly required: readonly Requirement[];
  readonly approvals: number;
  readonly needed: number;
  readonly dueAt: number | null;
  readonly overdue: boolean;
  readonly changedSinceApproval: boolean;
}

export interface SessionReview {
  readonly status: ReviewStatus;
  readonly decision: Decision;
  readonly digest: string;
  readonly dueAt: number | null;
  readonly overdue: boolean;
  readonly you: Permissions;
  readonly actions: readonly ReviewAction[];
}

export interface ActInput {
  readonly digest?: string;
  readonly eventId?: number | null;
  readonly body?: string;
}

const conflict = (code: `CS_ERR_${string}`, msg: string) => new CsError(code, 409, msg);
const forbidden = (code: `CS_ERR_${string}`, msg: string) => new CsError(code, 403, msg);

export class ReviewService {
  constructor(private readonly d: ReviewServiceDeps) {
    const fp = createHash('sha256').update(d.policyText).digest('hex');
    if (d.store.meta('review_policy') !== fp) {
      d.store.transaction(() => {
        d.store.clearReviews();
        d.store.setMeta('review_policy', fp, d.clock.now());
      });
    }
  }

  private inGroup = (user: string, group: string): boolean => {
    const role = this.d.roleOf(user);
    if (role === null) return false;
    if (group === EVERY_REVIEWER) return role === 'reviewer' || role === 'admin';
    return this.d.policy.groups.get(group)?.has(user) === true;
  };

  private facts(id: number): SessionFacts | null {
    const s = this.d.store.session(id);
    if (s === undefined) return null;
    return {
      id: Number(s.id),
      host: s.host,
      user: s.user,
      deviceType: s.device_type,
      riskLevel: s.risk_level,
      status: s.status === 'open' ? 'open' : 'closed',
      startedAt: Number(s.started_at),
      endedAt: s.ended_at === null ? null : Number(s.ended_at),
      commands: this.d.store.commands(id),
    };
  }

  /** DESIGN §4: SHA-256 over the ordered leaf hashes of the session's records (hex). */
  digest(id: number): string {
    const h = createHash('sha256');
    for (const seq of this.d.store.eventSeqs(id)) {
      const leaf = this.d.leafHash(seq);
      if (leaf === undefined) throw new Error(`record ${seq} of session ${id} has no tlog leaf`);
      h.update(leaf);
    }
    return h.digest('hex');
  }

  /** Decides (again) the sessions whose events or risk changed since; returns how many. */
  refresh(limit = 2000): number {
    const ids = this.d.store.stale(limit);
    // A few dozen per transaction: one commit (fsync) per bite, and the write lock is never held long
    // against the writer thread.
    for (let i = 0; i < ids.length; i += REFRESH_BITE) this.d.store.transaction(() => ids.slice(i, i + REFRESH_BITE).forEach((id) => this.evaluate(id)));
    return ids.length;
  }

  private evaluate(id: number): { decision: Decision; status: ReviewStatus } | null {
    const f = this.facts(id);
    const s = this.d.store.session(id);
    if (f === null || s === undefined) return null;
    const decision = decide(this.d.policy, f);
    const cur = { eventCount: s.event_count };
    let status = reviewStatus(decision.required, this.d.store.actions(id), cur, this.inGroup);
    return this.d.store.transaction(() => {
      if (decision.autoApprove !== null && status.state === 'needs_review') {
        // Approved by the policy itself: recorded as an approval entry, never silently.
        this.append(id, `${POLICY_ACTOR}${decision.policy}/${decision.autoApprove}`, 'approve', { digest: this.digest(id), eventCount: s.event_count, eventId: null, body: decision.why });
        status = reviewStatus(decision.required, this.d.store.actions(id), cur, this.inGroup);
      }
      this.d.store.upsertReview({
        session_id: id,
        state: status.state,
        policy: decision.policy,
        required: JSON.stringify(decision.required),
        event_count: s.event_count,
        risk_score: s.risk_score,
        risk_level: s.risk_level,
        due_at: decision.dueAt,
        changed_since_approval: status.changedSinceApproval ? 1 : 0,
        updated_at: this.d.clock.now(),
      });
      return { decision, status };
    });
  }

  private append(sessionId: number, actor: string, action: ReviewActionKind, x: { digest: string | null; eventCount: number | null; eventId: number | null; body: string | null }): ReviewAction {
    const at = this.d.clock.now();
    const entry = { type: `review.${action}`, v: 1 as const, at, actor, session: sessionId, digest: x.digest, eventCount: x.eventCount, eventId: x.eventId, body: x.body };
    let seq = -1;
    this.d.actions.append(entry, (s) => {
      seq = s;
      this.d.store.insertAction(s, sessionId, { action, user: actor, at, digest: x.digest, eventCount: x.eventCount, eventId: x.eventId, body: x.body });
    });
    return { seq, action, user: actor, at, ...x };
  }

  queue(f: Omit<QueueFilter, 'minRiskLevels'> & { readonly risk?: string }): { counts: Record<string, number>; rows: { session: ReturnType<SqliteReviewStore['queue']>[number]['session']; review: ReviewSummary }[] } {
    this.refresh();
    const now = this.d.clock.now();
    const minRiskLevels = f.risk === undefined ? undefined : RISK_LEVELS.filter((l) => riskRank(l) >= riskRank(f.risk!));
    const rows = this.d.store.queue({ ...f, ...(minRiskLevels !== undefined ? { minRiskLevels } : {}) }, now).map(({ session, review }) => {
      const required = JSON.parse(review.required) as Requirement[];
      const status = reviewStatus(required, this.d.store.actions(Number(session.id)), { eventCount: session.event_count }, this.inGroup);
      const dueAt = review.due_at === null ? null : Number(review.due_at);
      return {
        session,
        review: {
          state: review.state,
          policy: review.policy,
          required,
          approvals: status.approvalCount,
          needed: status.needed,
          dueAt,
          overdue: review.state === 'needs_review' && dueAt !== null && dueAt < now,
          changedSinceApproval: review.changed_since_approval === 1,
        },
      };
    });
    const c = this.d.store.counts(now);
    const counts = { needs_review: 0, flagged: 0, approved: 0, not_required: 0, ...c.byState, overdue: c.overdue } as Record<string, number>;
    counts['total'] = (counts['needs_review'] ?? 0) + (counts['flagged'] ?? 0) + (counts['approved'] ?? 0) + (counts['not_required'] ?? 0);
    return { counts, rows };
  }

  /** The session's review as `reviewer` sees it; null when there is no such session. */
  review(id: number, reviewer: Reviewer): SessionReview | null {
    const e = this.evaluate(id);
    const s = this.d.store.session(id);
    if (e === null || s === undefined) return null;
    const digest = this.digest(id);
    const actions = this.d.store.actions(id);
    const status = reviewStatus(e.decision.required, actions, { eventCount: s.event_count, digest }, this.inGroup);
    const now = this.d.clock.now();
    const you = permissions(reviewer, { users: [...new Set([...(s.user !== null ? [s.user] : []), ...this.d.store.actors(id)])], deviceType: s.device_type }, status);
    return { status, decision: e.decision, digest, dueAt: e.decision.dueAt, overdue: status.state === 'needs_review' && e.decision.dueAt !== null && e.decision.dueAt < now, you, actions };
  }

  /** Records that `reviewer` looked at (or replayed) the session: the auditors are audited. */
  recordView(id: number, reviewer: Reviewer, kind: 'view' | 'replay'): void {
    const last = this.d.store.lastAction(id, reviewer.name, kind);
    if (last !== null && this.d.clock.now() - last < VIEW_DEDUP_MS) return;
    this.append(id, reviewer.name, kind, { digest: null, eventCount: null, eventId: null, body: null });
  }

  /** comment | approve | flag | resolve, after every check; returns the action and the new review. */
  act(id: number, reviewer: Reviewer, kind: 'comment' | 'approve' | 'flag' | 'resolve', input: ActInput): { action: ReviewAction; review: SessionReview } {
    const r = this.review(id, reviewer);
    if (r === null) throw CS_ERR.notFound(`no session ${id}`);
    const body = input.body?.trim() ?? '';
    if (body.length > MAX_BODY) throw CS_ERR.badRequest(`a comment is at most ${MAX_BODY} characters`);
    const you = r.you;
    if (!you.canComment) throw forbidden(reviewer.mayAct ? 'CS_ERR_FORBIDDEN' : 'CS_ERR_TOTP_REQUIRED', you.whyNot ?? 'not allowed');
    const s = this.d.store.session(id)!;
    let eventId: number | null = null;
    if (kind === 'comment') {
      if (body === '') throw CS_ERR.badRequest('a comment needs some text');
      if (input.eventId !== undefined && input.eventId !== null) {
        if (!this.d.store.eventInSession(input.eventId, id)) throw CS_ERR.badRequest(`event ${input.eventId} is not part of session ${id}`);
        eventId = input.eventId;
      }
    } else if (kind === 'approve') {
      if (!you.canApprove) {
        const own = you.whyNot?.startsWith('you acted') === true;
        const twice = you.whyNot?.startsWith('you have already') === true;
        throw own ? forbidden('CS_ERR_OWN_SESSION', you.whyNot!) : twice ? conflict('CS_ERR_ALREADY_APPROVED', you.whyNot!) : conflict('CS_ERR_FLAGGED', you.whyNot ?? 'not allowed');
      }
      if (input.digest === undefined || input.digest !== r.digest)
        throw conflict('CS_ERR_DIGEST_CHANGED', 'the session changed since you loaded it (its digest differs): reload and review what is new');
    } else if (kind === 'flag') {
      if (body === '') throw CS_ERR.badRequest('say what needs discussing: a flag needs a comment');
    } else if (kind === 'resolve') {
      if (!r.status.flagOpen) throw conflict('CS_ERR_NOT_FLAGGED', 'the session is not flagged');
      if (!you.canResolve) throw forbidden('CS_ERR_OWN_SESSION', 'you acted in this session; someone else must resolve its discussion');
      if (body === '') throw CS_ERR.badRequest('say how it was resolved: a resolution needs a comment');
    }
    const action = this.append(id, reviewer.name, kind, {
      digest: kind === 'approve' ? r.digest : null,
      eventCount: kind === 'approve' || kind === 'flag' || kind === 'resolve' ? s.event_count : null,
      eventId,
      body: body === '' ? null : body,
    });
    return { action, review: this.review(id, reviewer)! };
  }
}
