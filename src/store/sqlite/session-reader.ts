// Read side of sessions and events for the CLI and the API. Safe while the server writes (WAL).
import type { Kysely } from 'kysely';
import type { Event } from '../../model/event.js';
import { isHitLevel, isRiskLevel, type RiskHit } from '../../model/risk.js';
import type { CloseReason, Link, SessionStatus } from '../../model/session.js';
import type { SessionDetail, SessionEvent, SessionView } from '../../model/session-view.js';
import { decodeBundle } from '../record-bundle.js';
import type { Selectable } from 'kysely';
import type { Database, SessionsTable } from '../schema.js';

export interface SessionQuery {
  readonly host?: string;
  readonly user?: string;
  readonly status?: SessionStatus;
  /** Newest first; at most this many. */
  readonly limit: number;
  /** Only sessions that started before this time (paging). */
  readonly startedBefore?: number;
}

/** Rule id → its title, for the hits a session lists (rules/rule-set.ts catalogue()). The store keeps only ids. */
export type RuleTitles = ReadonlyMap<string, { readonly title: string }>;

/**
 * A session row with its risk: score and level as the derive stage keeps them on the row, and the
 * hits when the caller read them (hitsOf); without them the list of hits is empty.
 */
export const sessionFromRow = (r: Selectable<SessionsTable>, hits: readonly RiskHit[] = []): SessionView => ({
  id: Number(r.id),
  host: r.host,
  user: r.user,
  origin: r.origin,
  originPort: r.origin_port,
  auth: r.auth === null ? null : JSON.parse(r.auth),
  tty: r.tty,
  startedAt: Number(r.started_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  lastActivity: Number(r.last_activity),
  status: r.status as SessionStatus,
  closeReason: r.close_reason as CloseReason | null,
  eventCount: r.event_count,
  commandCount: r.command_count,
  privilegeCount: r.privilege_count,
  weakCount: r.weak_count,
  deviceType: r.device_type,
  risk: { score: Number(r.risk_score), level: isRiskLevel(r.risk_level) ? r.risk_level : 'none', hits },
});

interface HitRow {
  readonly eventId: number;
  readonly sessionId: number;
  readonly rule: string;
  readonly seq: number;
  readonly level: string;
}

export class SqliteSessionReader {
  constructor(
    private readonly k: Kysely<Database>,
    private readonly titles: RuleTitles = new Map(),
  ) {}

  async list(q: SessionQuery): Promise<SessionView[]> {
    let sel = this.k.selectFrom('sessions').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(q.limit);
    if (q.host !== undefined) sel = sel.where('host', '=', q.host);
    if (q.user !== undefined) sel = sel.where('user', '=', q.user);
    if (q.status !== undefined) sel = sel.where('status', '=', q.status);
    if (q.startedBefore !== undefined) sel = sel.where('started_at', '<', q.startedBefore);
    const rows = await sel.execute();
    const hits = await this.hitsOf(rows.map((r) => Number(r.id)));
    return rows.map((r) => sessionFromRow(r, hits.get(Number(r.id))));
  }

  /** Each session's hits, one per rule and record, in record order (titles from the loaded rules, else the id). */
  async hitsOf(sessionIds: readonly number[]): Promise<Map<number, RiskHit[]>> {
    return this.riskHits(await this.hitRows(sessionIds));
  }

  /**
   * Hits of events that belong to no session (a commit nobody can be tied to, a device restart), newest
   * first: they raise no session's risk, so they are listed here to be seen.
   */
  async hitsOutsideSessions(limit: number): Promise<{ rule: string; seq: number; host: string; level: string; time: number; title: string }[]> {
    const rows = await this.k
      .selectFrom('rule_hits')
      .select(['rule', 'seq', 'host', 'level', 'time'])
      .where('session_id', 'is', null)
      .orderBy('time', 'desc')
      .orderBy('seq', 'desc')
      .orderBy('rule')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ rule: r.rule, seq: Number(r.seq), host: r.host, level: r.level, time: Number(r.time), title: this.titles.get(r.rule)?.title ?? r.rule }));
  }

  private async hitRows(sessionIds: readonly number[]): Promise<HitRow[]> {
    const out: HitRow[] = [];
    // Bounded IN lists: SQLite caps the parameters of one statement.
    for (let i = 0; i < sessionIds.length; i += 500) {
      const ids = sessionIds.slice(i, i + 500);
      const rows = await this.k
        .selectFrom('rule_hits')
        .select(['event_id', 'session_id', 'rule', 'seq', 'level'])
        .where('session_id', 'in', ids)
        .orderBy('seq')
        .orderBy('rule')
        .execute();
      for (const r of rows) out.push({ eventId: Number(r.event_id), sessionId: Number(r.session_id), rule: r.rule, seq: Number(r.seq), level: r.level });
    }
    return out;
  }

  private riskHits(rows: readonly HitRow[]): Map<number, RiskHit[]> {
    const out = new Map<number, RiskHit[]>();
    const seen = new Set<string>();
    for (const r of rows) {
      if (!isHitLevel(r.level)) continue;
      // Two events of one record hitting one rule are one hit: the reviewer goes to the record.
      const key = `${r.sessionId}\t${r.seq}\t${r.rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const hit: RiskHit = { rule: r.rule, seq: r.seq, level: r.level, title: this.titles.get(r.rule)?.title ?? r.rule };
      const list = out.get(r.sessionId);
      if (list === undefined) out.set(r.sessionId, [hit]);
      else list.push(hit);
    }
    return out;
  }

  async get(id: number): Promise<SessionDetail | null> {
    const row = await this.k.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const rows = await this.k.selectFrom('events').selectAll().where('session_id', '=', id).execute();
    const events = rows.map((r) => ({ r, e: JSON.parse(r.data) as Event }));
    // Timeline order: when it happened, then arrival.
    events.sort((a, b) => a.e.time - b.e.time || Number(a.r.seq) - Number(b.r.seq) || Number(a.r.id) - Number(b.r.id));
    const raw = await this.rawTexts(events.map((x) => Number(x.r.seq)));
    const hitRows = await this.hitRows([id]);
    const rulesOf = new Map<number, string[]>();
    for (const h of hitRows) {
      const list = rulesOf.get(h.eventId);
      if (list === undefined) rulesOf.set(h.eventId, [h.rule]);
      else list.push(h.rule);
    }
    const out: SessionEvent[] = events.map(({ r, e }) => ({
      id: Number(r.id),
      seq: Number(r.seq),
      time: e.time,
      kind: e.kind,
      action: e.action ?? null,
      user: e.user ?? null,
      targetUser: e.targetUser ?? null,
      effectiveUser: r.effective_user,
      command: e.command ?? null,
      cwd: e.cwd ?? null,
      tty: e.tty ?? e.hints.tty ?? null,
      remote: e.remote ?? null,
      reason: e.reason ?? null,
      parser: e.parser,
      link: r.link as Link | null,
      why: r.why,
      raw: raw.get(Number(r.seq)) ?? '',
      hits: rulesOf.get(Number(r.id)) ?? [],
      event: e,
    }));
    return { session: sessionFromRow(row, this.riskHits(hitRows).get(id)), events: out };
  }

  /** The received text of these records (one bundle read per bundle touched). */
  private async rawTexts(seqs: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const sorted = [...new Set(seqs)].sort((a, b) => a - b);
    let i = 0;
    while (i < sorted.length) {
      const b = await this.k.selectFrom('record_bundles').selectAll().where('first_seq', '<=', sorted[i]!).orderBy('first_seq', 'desc').limit(1).executeTakeFirst();
      if (b === undefined) {
        i++;
        continue;
      }
      const first = Number(b.first_seq);
      const recs = decodeBundle(b.data);
      while (i < sorted.length && sorted[i]! < first + b.count) {
        const r = recs[sorted[i]! - first];
        if (r !== undefined) out.set(sorted[i]!, Buffer.from(r.raw).toString('utf8'));
        i++;
      }
      if (i < sorted.length && sorted[i]! < first) i++;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.k.destroy();
  }
}
