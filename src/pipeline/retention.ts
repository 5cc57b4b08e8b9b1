// Retention (DESIGN §5, data minimisation): erases the payload of old records — their bytes, envelope and
// the events read from them — while keeping what their tlog leaves commit to (receipt, sender, SHA-256),
// and appends the erasure itself as an entry (an internal record, type retention.prune) in the same
// transaction. `verify` then reports those records as pruned, and any other erased record as tampered.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { newConnKey } from '../ids.js';
import { canonicalize } from '../tlog/index.js';
import { BundleEncoder, decodeBundle, type BundleRecord } from '../store/record-bundle.js';
import { kyselyOver, openSqlite } from '../store/sqlite/open.js';
import { SqliteRecordWriter } from '../store/sqlite/record-writer.js';

export interface PrunePolicy {
  /** Records from before this time (ms; the envelope's time, else the receive time) are pruned. */
  readonly before: number;
  /** Only records of this host (envelope hostname), when given. */
  readonly host?: string;
  /** Only records that arrived over this transport (udp, tcp, tls, relp, file), when given. */
  readonly source?: string;
}

export interface PruneEntry {
  readonly type: 'retention.prune';
  readonly v: 1;
  readonly at: number;
  readonly before: number;
  readonly host: string | null;
  readonly source: string | null;
  /** Inclusive seq ranges erased. */
  readonly ranges: readonly (readonly [number, number])[];
  readonly count: number;
}

export interface PruneResult {
  readonly count: number;
  readonly ranges: readonly (readonly [number, number])[];
  /** The seq of the retention.prune entry; null when nothing matched. */
  readonly entrySeq: number | null;
}

const toRanges = (seqs: readonly number[]): [number, number][] => {
  const out: [number, number][] = [];
  for (const s of seqs) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === s - 1) last[1] = s;
    else out.push([s, s]);
  }
  return out;
};

export const pruneRecords = (dataDir: string, policy: PrunePolicy, clock: Clock): PruneResult => {
  const db = openSqlite(dataDir);
  const writer = new SqliteRecordWriter(db, kyselyOver(db));
  try {
    const encoder = new BundleEncoder();
    const bundles = db.prepare('SELECT first_seq, data FROM record_bundles ORDER BY first_seq').all() as { first_seq: number; data: Uint8Array }[];
    const update = db.prepare('UPDATE record_bundles SET data = ? WHERE first_seq = ?');
    const markUnparsed = db.prepare("INSERT INTO unparsed_records (seq, reason) VALUES (?, 'pruned') ON CONFLICT (seq) DO UPDATE SET reason = 'pruned'");
    const dropEvents = db.prepare('DELETE FROM events WHERE seq = ? RETURNING session_id').pluck();
    const transportOf = db.prepare('SELECT transport FROM connections WHERE id = ?').pluck();
    const transports = new Map<number, string>();
    const sourceOk = (connId: number): boolean => {
      if (policy.source === undefined) return true;
      let t = transports.get(connId);
      if (t === undefined) transports.set(connId, (t = (transportOf.get(connId) as string | undefined) ?? '?'));
      return t === policy.source;
    };
    const seqs: number[] = [];
    const sessions = new Set<number>();
    const run = db.transaction(() => {
      for (const b of bundles) {
        const recs = decodeBundle(b.data);
        let changed = false;
        const rows: BundleRecord[] = recs.map((r, i) => {
          const seq = b.first_seq + i;
          // Age is when it happened (the envelope's time), else when it arrived: an imported file's lines are as old as they say.
          const old = (r.envelope?.time ?? r.receivedAt) < policy.before && r.unparsedReason !== 'pruned' && r.envelope?.format !== 'countersign';
          const hostOk = policy.host === undefined || r.envelope?.hostname === policy.host;
          if (!old || !hostOk || !sourceOk(r.connId)) return r;
          changed = true;
          seqs.push(seq);
          markUnparsed.run(seq);
          for (const sid of dropEvents.all(seq) as (number | null)[]) if (sid !== null) sessions.add(sid);
          return { receivedAt: r.receivedAt, connId: r.connId, raw: new Uint8Array(0), rawSha256: r.rawSha256, envelope: null, unparsedReason: 'pruned' };
        });
        if (changed) {
          const data = encoder.encode(rows, 0, rows.length);
          update.run(Buffer.from(data), b.first_seq);
        }
      }
      // Sessions that lost events: their counts follow what is left; a session with nothing left goes.
      for (const sid of sessions) {
        const n = db.prepare('SELECT count(*) FROM events WHERE session_id = ?').pluck().get(sid) as number;
        if (n === 0) db.prepare('DELETE FROM sessions WHERE id = ?').run(sid);
        else {
          const c = db
            .prepare(
              "SELECT sum(CASE WHEN command IS NOT NULL AND kind IN ('command','privilege') THEN 1 ELSE 0 END) AS commands, sum(CASE WHEN kind IN ('privilege','privilege_failed') THEN 1 ELSE 0 END) AS privileges, sum(CASE WHEN link = 'weak' THEN 1 ELSE 0 END) AS weak FROM events WHERE session_id = ?",
            )
            .get(sid) as { commands: number; privileges: number; weak: number };
          db.prepare('UPDATE sessions SET event_count = ?, command_count = ?, privilege_count = ?, weak_count = ? WHERE id = ?').run(n, c.commands, c.privileges, c.weak, sid);
        }
      }
      if (seqs.length === 0) return null;
      const entry: PruneEntry = { type: 'retention.prune', v: 1, at: clock.now(), before: policy.before, host: policy.host ?? null, source: policy.source ?? null, ranges: toRanges(seqs), count: seqs.length };
      const json = canonicalize(entry);
      if (!json.ok) throw new Error(json.error.message);
      const raw = Buffer.from(json.value, 'utf8');
      const r = writer.appendSync([
        {
          receivedAt: clock.now(),
          conn: { key: newConnKey(), transport: 'internal', peer: 'countersign', peerIdentity: null },
          raw,
          rawSha256: createHash('sha256').update(raw).digest(),
          envelope: { format: 'countersign', app: 'countersign', msgid: entry.type, msg: json.value },
          unparsedReason: null,
        },
      ]);
      return r.firstSeq;
    });
    const entrySeq = run.immediate();
    return { count: seqs.length, ranges: toRanges(seqs), entrySeq };
  } finally {
    db.close();
  }
};

