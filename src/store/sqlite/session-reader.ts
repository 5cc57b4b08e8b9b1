// Read side of sessions and events for the CLI and the API. Safe while the server writes (WAL).
import type { Kysely } from 'kysely';
import type { Event } from '../../model/event.js';
import type { CloseReason, Link, Session, SessionStatus } from '../../model/session.js';
import type { SessionDetail, SessionEvent } from '../../model/session-view.js';
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

export const sessionFromRow = (r: Selectable<SessionsTable>): Session => ({
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
});

export class SqliteSessionReader {
  constructor(private readonly k: Kysely<Database>) {}

  async list(q: SessionQuery): Promise<Session[]> {
    let sel = this.k.selectFrom('sessions').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(q.limit);
    if (q.host !== undefined) sel = sel.where('host', '=', q.host);
    if (q.user !== undefined) sel = sel.where('user', '=', q.user);
    if (q.status !== undefined) sel = sel.where('status', '=', q.status);
    if (q.startedBefore !== undefined) sel = sel.where('started_at', '<', q.startedBefore);
    return (await sel.execute()).map(sessionFromRow);
  }

  async get(id: number): Promise<SessionDetail | null> {
    const row = await this.k.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const rows = await this.k.selectFrom('events').selectAll().where('session_id', '=', id).execute();
    const events = rows.map((r) => ({ r, e: JSON.parse(r.data) as Event }));
    // Timeline order: when it happened, then arrival.
    events.sort((a, b) => a.e.time - b.e.time || Number(a.r.seq) - Number(b.r.seq) || Number(a.r.id) - Number(b.r.id));
    const raw = await this.rawTexts(events.map((x) => Number(x.r.seq)));
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
      event: e,
    }));
    return { session: sessionFromRow(row), events: out };
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
