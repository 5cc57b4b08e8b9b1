// The derive side of the SQLite store: reads records after the derive cursor and writes what the body
// parsers, the sessionizer and the rules made of them (events, session rows with their risk, rule hits,
// per-parser counters, the cursor) in one transaction, so a crash leaves the derived tables exactly as
// far as the cursor says.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Session } from '../../model/session.js';
import type { Attribution, SessionSnapshot } from '../../sessions/sessionizer.js';
import { decodeBundle } from '../record-bundle.js';
import type { Database } from '../schema.js';
import type { DerivedBatch, DerivedStore, DeriveInputRecord } from '../types.js';

const CURSOR_KEY = 'derive_cursor';

/** "10.0.0.5:514" / "[::1]:514" → the address; anything else as it is. */
const peerHost = (peer: string): string => {
  const m = /^\[?([0-9A-Fa-f:.]+?)\]?:\d+$/.exec(peer);
  return m?.[1] ?? peer;
};

export class SqliteDerivedStore implements DerivedStore {
  private readonly bundlesAfter: BetterSqlite3.Statement;
  private readonly connPeer: BetterSqlite3.Statement;
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly attachEvent: BetterSqlite3.Statement;
  private readonly upsertSession: BetterSqlite3.Statement;
  private readonly addCounter: BetterSqlite3.Statement;
  private readonly setMeta: BetterSqlite3.Statement;
  private readonly dropHits: BetterSqlite3.Statement;
  private readonly insertHit: BetterSqlite3.Statement;
  private readonly setRisk: BetterSqlite3.Statement;
  private readonly hitLevels: BetterSqlite3.Statement;
  private readonly peers = new Map<number, string>();
  private readonly tx: BetterSqlite3.Transaction<(b: DerivedBatch) => void>;

  constructor(
    private readonly db: BetterSqlite3.Database,
    k: Kysely<Database>,
  ) {
    this.bundlesAfter = db.prepare('SELECT first_seq, count, data FROM record_bundles WHERE first_seq + count > ? ORDER BY first_seq LIMIT ?');
    this.connPeer = db.prepare('SELECT peer FROM connections WHERE id = ?').pluck();
    this.insertEvent = db.prepare(
      k
        .insertInto('events')
        .values({ id: 0, seq: 0, time: 0, host: '', kind: '', user: null, target_user: null, effective_user: null, command: null, parser: '', session_id: null, link: null, why: null, data: '' })
        .compile().sql,
    );
    this.attachEvent = db.prepare(
      k.updateTable('events').set({ session_id: 0, link: '', why: '', effective_user: '' }).where('id', '=', 0).compile().sql,
    );
    const sessionCols = {
      id: 0, host: '', user: null, origin: null, origin_port: null, auth: null, tty: null, started_at: 0, ended_at: null, last_activity: 0,
      status: '', close_reason: null, event_count: 0, command_count: 0, privilege_count: 0, weak_count: 0, device_type: '', state: null,
    } as const;
    this.upsertSession = db.prepare(
      k
        .insertInto('sessions')
        .values(sessionCols)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const c of Object.keys(sessionCols)) if (c !== 'id') set[c] = eb.ref(`excluded.${c}` as 'excluded.host');
            return set as never;
          }),
        )
        .compile().sql,
    );
    this.addCounter = db.prepare(
      k
        .insertInto('body_counters')
        .values({ parser: '', outcome: '', count: 0 })
        .onConflict((oc) => oc.columns(['parser', 'outcome']).doUpdateSet((eb) => ({ count: eb('body_counters.count', '+', eb.ref('excluded.count')) })))
        .compile().sql,
    );
    this.setMeta = db.prepare(
      k
        .insertInto('meta')
        .values({ key: '', value: '', updated_at: 0 })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
        .compile().sql,
    );
    this.dropHits = db.prepare(k.deleteFrom('rule_hits').where('event_id', '=', 0).compile().sql);
    this.insertHit = db.prepare(
      k
        .insertInto('rule_hits')
        .values({ event_id: 0, rule: '', seq: 0, session_id: null, host: '', level: '', time: 0 })
        .onConflict((oc) =>
          oc.columns(['event_id', 'rule']).doUpdateSet((eb) => ({
            seq: eb.ref('excluded.seq'),
            session_id: eb.ref('excluded.session_id'),
            host: eb.ref('excluded.host'),
            level: eb.ref('excluded.level'),
            time: eb.ref('excluded.time'),
          })),
        )
        .compile().sql,
    );
    this.setRisk = db.prepare(k.updateTable('sessions').set({ risk_score: 0, risk_level: '' }).where('id', '=', 0).compile().sql);
    this.hitLevels = db.prepare(k.selectFrom('rule_hits').select(['rule', 'level']).distinct().where('session_id', '=', 0).compile().sql);
    this.tx = db.transaction((b: DerivedBatch) => this.writeTx(b));
  }

  cursor(): number {
    const v = this.db.prepare("SELECT value FROM meta WHERE key = ?").pluck().get(CURSOR_KEY) as string | undefined;
    return v === undefined ? -1 : Number(v);
  }

  nextEventId(): number {
    return ((this.db.prepare('SELECT max(id) FROM events').pluck().get() as number | null) ?? 0) + 1;
  }

  snapshots(): SessionSnapshot[] {
    const rows = this.db.prepare('SELECT state FROM sessions WHERE state IS NOT NULL').pluck().all() as string[];
    return rows.map((r) => JSON.parse(r) as SessionSnapshot);
  }

  /** Up to `limit` records with seq > afterSeq, oldest first (whole bundles; the caller may get a few more). */
  readAfter(afterSeq: number, limit: number): DeriveInputRecord[] {
    const out: DeriveInputRecord[] = [];
    // Bundles holding a seq > afterSeq (their last seq, first_seq + count - 1, is at least afterSeq + 1): a
    // bundle the cursor ends exactly must not take the one slot of a one-bundle read, or the step finds nothing.
    const bundles = this.bundlesAfter.all(afterSeq + 1, Math.max(1, Math.ceil(limit / 256))) as { first_seq: number; count: number; data: Uint8Array }[];
    for (const b of bundles) {
      const recs = decodeBundle(b.data);
      for (let i = 0; i < recs.length; i++) {
        const seq = b.first_seq + i;
        if (seq <= afterSeq) continue;
        const r = recs[i]!;
        out.push({ seq, receivedAt: r.receivedAt, peer: this.peer(r.connId), envelope: r.envelope });
      }
    }
    return out;
  }

  private peer(connId: number): string {
    let p = this.peers.get(connId);
    if (p === undefined) {
      p = peerHost((this.connPeer.get(connId) as string | undefined) ?? 'unknown');
      this.peers.set(connId, p);
    }
    return p;
  }

  ruleLevels(sessionIds: readonly number[]): Map<number, { rule: string; level: string }[]> {
    const out = new Map<number, { rule: string; level: string }[]>();
    for (const id of sessionIds) out.set(id, this.hitLevels.all(id) as { rule: string; level: string }[]);
    return out;
  }

  write(batch: DerivedBatch): void {
    this.tx.immediate(batch);
  }

  private writeTx(b: DerivedBatch): void {
    // An event's attribution usually comes in the same batch: written with its row, not as an UPDATE.
    const fresh = new Map<number, Attribution>();
    const ids = new Set<number>();
    for (const { id } of b.events) ids.add(id);
    const later: Attribution[] = [];
    for (const a of b.attributions) {
      if (ids.has(a.eventId)) fresh.set(a.eventId, a);
      else later.push(a);
    }
    for (const { id, event: e } of b.events) {
      const a = fresh.get(id);
      this.insertEvent.run(id, e.seq, e.time, e.host, e.kind, e.user ?? null, e.targetUser ?? null, a?.effectiveUser ?? null, e.command ?? null, e.parser, a?.sessionId ?? null, a?.link ?? null, a?.why ?? null, JSON.stringify(e));
    }
    for (const a of later) this.attachEvent.run(a.sessionId, a.link, a.why, a.effectiveUser, a.eventId);
    for (const id of b.rematched) this.dropHits.run(id);
    for (const h of b.hits) this.insertHit.run(h.eventId, h.rule, h.seq, h.sessionId, h.host, h.level, h.time);
    for (const { session: s, snapshot } of b.sessions) this.upsertSession.run(...sessionRow(s, snapshot));
    // After the session rows: a session's first hit may come in the batch that creates its row.
    for (const r of b.risks) this.setRisk.run(r.score, r.level, r.sessionId);
    for (const [key, n] of b.counters) {
      const tab = key.indexOf('\t');
      this.addCounter.run(key.slice(0, tab), key.slice(tab + 1), n);
    }
    this.setMeta.run(CURSOR_KEY, String(b.cursor), b.now);
  }

  close(): void {
    this.db.close();
  }
}

const sessionRow = (s: Session, snapshot: SessionSnapshot | undefined): unknown[] => [
  s.id,
  s.host,
  s.user,
  s.origin,
  s.originPort,
  s.auth === null ? null : JSON.stringify(s.auth),
  s.tty,
  s.startedAt,
  s.endedAt,
  s.lastActivity,
  s.status,
  s.closeReason,
  s.eventCount,
  s.commandCount,
  s.privilegeCount,
  s.weakCount,
  s.deviceType,
  snapshot === undefined ? null : JSON.stringify(snapshot),
];

