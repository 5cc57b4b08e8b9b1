// SQL of the review side: review state rows, review actions (the index of their tlog entries), the
// queue query, and the session facts the policy decides on. Synchronous (better-sqlite3), main thread.
import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { ReviewAction, ReviewActionKind } from '../../review/state.js';
import type { ReviewsTable, SessionsTable } from '../schema.js';

export interface QueueFilter {
  readonly state?: string;
  /** At least this risk rank (0 none … 5 critical); ranks come from the caller. */
  readonly minRiskLevels?: readonly string[];
  readonly host?: string;
  readonly deviceType?: string;
  readonly user?: string;
  readonly from?: number;
  readonly to?: number;
  readonly q?: string;
  readonly limit: number;
}

export interface QueueRow {
  readonly session: Selectable<SessionsTable>;
  readonly review: Selectable<ReviewsTable>;
}

export interface ReviewRow {
  readonly session_id: number;
  readonly state: string;
  readonly policy: string | null;
  readonly required: string;
  readonly event_count: number;
  readonly risk_score: number;
  readonly risk_level: string;
  readonly due_at: number | null;
  readonly changed_since_approval: number;
  readonly updated_at: number;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SqliteReviewStore {
  private readonly st;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.st = {
      session: db.prepare('SELECT * FROM sessions WHERE id = ?'),
      commands: db.prepare("SELECT command FROM events WHERE session_id = ? AND kind IN ('command','privilege') AND command IS NOT NULL ORDER BY time, seq, id").pluck(),
      actors: db.prepare('SELECT DISTINCT user FROM events WHERE session_id = ? AND user IS NOT NULL').pluck(),
      seqs: db.prepare('SELECT data FROM events WHERE session_id = ?').pluck(),
      stale: db.prepare(
        'SELECT s.id FROM sessions s LEFT JOIN reviews r ON r.session_id = s.id WHERE r.session_id IS NULL OR r.event_count <> s.event_count OR r.risk_score <> s.risk_score OR r.risk_level <> s.risk_level ORDER BY s.id LIMIT ?',
      ).pluck(),
      actions: db.prepare('SELECT seq, action, user_name, at, digest, event_count, event_id, body FROM review_actions WHERE session_id = ? ORDER BY seq'),
      insertAction: db.prepare(
        'INSERT INTO review_actions (seq, session_id, action, user_name, at, digest, event_count, event_id, body) VALUES (@seq, @session_id, @action, @user_name, @at, @digest, @event_count, @event_id, @body)',
      ),
      upsert: db.prepare(
        `INSERT INTO reviews (session_id, state, policy, required, event_count, risk_score, risk_level, due_at, changed_since_approval, updated_at)
         VALUES (@session_id, @state, @policy, @required, @event_count, @risk_score, @risk_level, @due_at, @changed_since_approval, @updated_at)
         ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, policy = excluded.policy, required = excluded.required,
           event_count = excluded.event_count, risk_score = excluded.risk_score, risk_level = excluded.risk_level, due_at = excluded.due_at,
           changed_since_approval = excluded.changed_since_approval, updated_at = excluded.updated_at`,
      ),
      review: db.prepare('SELECT * FROM reviews WHERE session_id = ?'),
      clear: db.prepare('DELETE FROM reviews'),
      counts: db.prepare(
        "SELECT state, count(*) AS n, sum(CASE WHEN state = 'needs_review' AND due_at IS NOT NULL AND due_at < ? THEN 1 ELSE 0 END) AS overdue FROM reviews GROUP BY state",
      ),
      eventInSession: db.prepare('SELECT 1 FROM events WHERE id = ? AND session_id = ?').pluck(),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
      lastViewBy: db.prepare("SELECT max(at) FROM review_actions WHERE session_id = ? AND user_name = ? AND action = ?").pluck(),
    };
  }

  session(id: number): Selectable<SessionsTable> | undefined {
    return this.st.session.get(id) as Selectable<SessionsTable> | undefined;
  }

  commands(id: number): string[] {
    return this.st.commands.all(id) as string[];
  }

  actors(id: number): string[] {
    return this.st.actors.all(id) as string[];
  }

  /** Every record seq the session's events were read from, ascending, each once. */
  eventSeqs(id: number): number[] {
    const out = new Set<number>();
    for (const d of this.st.seqs.all(id) as string[]) {
      const e = JSON.parse(d) as { seq: number; seqs?: number[] };
      out.add(e.seq);
      for (const s of e.seqs ?? []) out.add(s);
    }
    return [...out].sort((a, b) => a - b);
  }

  /** Sessions whose review row is missing or older than the session (events or risk changed). */
  stale(limit: number): number[] {
    return (this.st.stale.all(limit) as number[]).map(Number);
  }

  actions(sessionId: number): ReviewAction[] {
    return (this.st.actions.all(sessionId) as { seq: number; action: string; user_name: string; at: number; digest: string | null; event_count: number | null; event_id: number | null; body: string | null }[]).map((r) => ({
      seq: Number(r.seq),
      action: r.action as ReviewActionKind,
      user: r.user_name,
      at: Number(r.at),
      digest: r.digest,
      eventCount: r.event_count,
      eventId: r.event_id === null ? null : Number(r.event_id),
      body: r.body,
    }));
  }

  insertAction(seq: number, sessionId: number, a: Omit<ReviewAction, 'seq'>): void {
    this.st.insertAction.run({ seq, session_id: sessionId, action: a.action, user_name: a.user, at: a.at, digest: a.digest, event_count: a.eventCount, event_id: a.eventId, body: a.body });
  }

  lastAction(sessionId: number, user: string, action: ReviewActionKind): number | null {
    const v = this.st.lastViewBy.get(sessionId, user, action) as number | null;
    return v === null ? null : Number(v);
  }

  upsertReview(r: ReviewRow): void {
    this.st.upsert.run(r);
  }

  review(sessionId: number): Selectable<ReviewsTable> | undefined {
    return this.st.review.get(sessionId) as Selectable<ReviewsTable> | undefined;
  }

  eventInSession(eventId: number, sessionId: number): boolean {
    return this.st.eventInSession.get(eventId, sessionId) !== undefined;
  }

  meta(key: string): string | null {
    return (this.st.meta.get(key) as string | undefined) ?? null;
  }

  setMeta(key: string, value: string, at: number): void {
    this.st.setMeta.run(key, value, at);
  }

  /** After a policy change every session is decided again. */
  clearReviews(): void {
    this.st.clear.run();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  counts(now: number): { byState: Record<string, number>; overdue: number } {
    const byState: Record<string, number> = {};
    let overdue = 0;
    for (const r of this.st.counts.all(now) as { state: string; n: number; overdue: number }[]) {
      byState[r.state] = r.n;
      overdue += r.overdue ?? 0;
    }
    return { byState, overdue };
  }

  queue(f: QueueFilter, now: number): QueueRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.state !== undefined && f.state !== 'all') (where.push('r.state = ?'), args.push(f.state));
    if (f.minRiskLevels !== undefined) (where.push(`s.risk_level IN (${f.minRiskLevels.map(() => '?').join(',')})`), args.push(...f.minRiskLevels));
    if (f.host !== undefined) (where.push('s.host = ?'), args.push(f.host));
    if (f.deviceType !== undefined) (where.push('s.device_type = ?'), args.push(f.deviceType));
    if (f.user !== undefined) (where.push('s.user = ?'), args.push(f.user));
    if (f.from !== undefined) (where.push('s.started_at >= ?'), args.push(f.from));
    if (f.to !== undefined) (where.push('s.started_at <= ?'), args.push(f.to));
    if (f.q !== undefined && f.q !== '')
      (where.push("EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id AND e.command LIKE ? ESCAPE '\\')"), args.push(`%${likeEscape(f.q)}%`));
    const sql = `SELECT s.*, r.session_id AS r_session_id, r.state AS r_state, r.policy AS r_policy, r.required AS r_required,
        r.event_count AS r_event_count, r.risk_score AS r_risk_score, r.risk_level AS r_risk_level, r.due_at AS r_due_at,
        r.changed_since_approval AS r_changed_since_approval, r.updated_at AS r_updated_at
      FROM sessions s JOIN reviews r ON r.session_id = s.id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY CASE r.state WHEN 'needs_review' THEN 0 WHEN 'flagged' THEN 1 ELSE 2 END,
        CASE WHEN r.state = 'needs_review' AND r.due_at IS NOT NULL AND r.due_at < ? THEN 0 ELSE 1 END,
        CASE WHEN r.state IN ('needs_review', 'flagged') THEN s.risk_score ELSE 0 END DESC,
        s.started_at DESC, s.id DESC
      LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, now, f.limit) as Record<string, unknown>[];
    return rows.map((row) => {
      const review: Record<string, unknown> = {};
      const session: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        if (k.startsWith('r_')) review[k.slice(2)] = v;
        else session[k] = v;
      }
      return { session: session as unknown as Selectable<SessionsTable>, review: review as unknown as Selectable<ReviewsTable> };
    });
  }
}
