// The hot path of the store: appends a batch of records in one IMMEDIATE transaction, assigning
// gap-free seqs under the write lock, packed as entry bundles of up to BUNDLE_MAX records per row.
// Statements are written once with Kysely and run prepared.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { BUNDLE_MAX, BundleEncoder, type BundleColumns } from '../record-bundle.js';
import { blockOf } from '../record-block.js';
import type { AppendResult, ConnRef, CounterDelta, NewRecord, RecordBlock, RecordWriter } from '../types.js';
import type { Database } from '../schema.js';
import { recordLeafHash } from '../../tlog/record-entry.js';
import { decodeBundle } from '../record-bundle.js';
import { HASH_SIZE } from '../../tlog/hash.js';
import { SqliteTlogAppender } from './tlog-appender.js';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** A record's leaf, from the fields its entry commits to (the same computation `verify` repeats). */
export const leafOf = (receivedAt: number, c: { transport: string; peer: string; peerIdentity: string | null }, rawSha256: Uint8Array): Uint8Array =>
  recordLeafHash({ receivedAt, transport: c.transport, peer: c.peer, peerIdentity: c.peerIdentity, rawSha256: hex(rawSha256) });

/** The leaves of a block that came without them (computed from what each entry commits to). */
const leavesOf = (b: RecordBlock): Uint8Array => {
  const out = new Uint8Array(b.count * HASH_SIZE);
  for (let i = 0; i < b.count; i++) out.set(leafOf(b.receivedAt[i]!, b.conns[b.conn[i]!]!, b.sha256.subarray(i * 32, i * 32 + 32)), i * HASH_SIZE);
  return out;
};

export class SqliteRecordWriter implements RecordWriter {
  private readonly insertBundle: BetterSqlite3.Statement;
  private readonly insertUnparsed: BetterSqlite3.Statement;
  private readonly insertConn: BetterSqlite3.Statement;
  private readonly nextSeq: BetterSqlite3.Statement;
  private readonly addCounter: BetterSqlite3.Statement;
  private readonly encoder = new BundleEncoder();
  /** ConnRef.key → connections.id, for connections this writer has already recorded. */
  private readonly connIds = new Map<number, number>();
  /** Keys first recorded in the transaction under way: forgotten again if it rolls back. */
  private readonly connIdsInTx: number[] = [];
  private readonly tx: BetterSqlite3.Transaction<(block: RecordBlock, counters: readonly CounterDelta[]) => AppendResult>;
  private readonly tlog: SqliteTlogAppender;

  constructor(private readonly db: BetterSqlite3.Database, k: Kysely<Database>) {
    this.insertBundle = db.prepare(k.insertInto('record_bundles').values({ first_seq: 0, count: 0, data: new Uint8Array() }).compile().sql);
    this.insertUnparsed = db.prepare(k.insertInto('unparsed_records').values({ seq: 0, reason: '' }).compile().sql);
    this.insertConn = db.prepare(k.insertInto('connections').values({ transport: '', peer: '', peer_identity: null, first_seen: 0 }).compile().sql);
    this.addCounter = db.prepare(
      k
        .insertInto('ingest_counters')
        .values({ transport: '', reason: '', count: 0 })
        .onConflict((oc) => oc.columns(['transport', 'reason']).doUpdateSet((eb) => ({ count: eb('ingest_counters.count', '+', eb.ref('excluded.count')) })))
        .compile().sql,
    );
    // The last bundle by its key (an index lookup): max(first_seq + count) would read every bundle, per batch.
    this.nextSeq = db.prepare(k.selectFrom('record_bundles').select((eb) => eb('first_seq', '+', eb.ref('count')).as('n')).orderBy('first_seq', 'desc').limit(sql.lit(1)).compile().sql).pluck();
    this.tlog = new SqliteTlogAppender(db);
    this.tx = db.transaction((block: RecordBlock, counters: readonly CounterDelta[]) => {
      const firstSeq = (this.nextSeq.get() as number | null) ?? 0;
      const n = block.count;
      // The store's connection id of each sender (first seen at its first record here), then of each record.
      const ids = new Uint32Array(block.conns.length);
      const seen = new Uint8Array(block.conns.length);
      const connIds = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const k = block.conn[i]!;
        if (seen[k] === 0) {
          ids[k] = this.connId(block.conns[k]!, block.receivedAt[i]!);
          seen[k] = 1;
        }
        connIds[i] = ids[k]!;
        const reason = block.unparsed[i]!;
        if (reason !== null) this.insertUnparsed.run(firstSeq + i, reason);
      }
      this.tlog.append(firstSeq, block.leaf ?? leavesOf(block));
      const cols: BundleColumns = { ...block, connIds };
      for (let i = 0; i < n; i += BUNDLE_MAX) {
        const to = Math.min(n, i + BUNDLE_MAX);
        this.insertBundle.run(firstSeq + i, to - i, this.encoder.encodeColumns(cols, i, to));
      }
      for (const c of counters) if (c.count !== 0) this.addCounter.run(c.transport, c.reason, c.count);
      return { firstSeq, count: n };
    });
  }

  private connId(c: ConnRef, at: number): number {
    let id = this.connIds.get(c.key);
    if (id === undefined) {
      id = Number(this.insertConn.run(c.transport, c.peer, c.peerIdentity, at).lastInsertRowid);
      this.connIds.set(c.key, id);
      this.connIdsInTx.push(c.key);
    }
    return id;
  }

  /** Synchronous, for callers that hold record objects (internal records, tests). */
  appendSync(records: readonly NewRecord[], counters: readonly CounterDelta[] = []): AppendResult {
    return this.appendBlockSync(blockOf(records), counters);
  }

  /** The hot path: a block of records in one transaction, synchronously (the writer thread wants no promise per batch). */
  appendBlockSync(block: RecordBlock, counters: readonly CounterDelta[] = []): AppendResult {
    this.connIdsInTx.length = 0;
    try {
      const r = this.tx.immediate(block, counters);
      this.tlog.committed();
      return r;
    } catch (e) {
      for (const k of this.connIdsInTx) this.connIds.delete(k);
      this.tlog.rolledBack();
      throw e;
    }
  }

  /**
   * A store written before the tlog existed (or by an older version) holds records the tree lacks:
   * their leaves are computed from what is stored and appended, in order, before anything new.
   */
  catchUpTree(): number {
    const next = (this.nextSeq.get() as number | null) ?? 0;
    let from = this.tlog.size;
    if (from >= next) return 0;
    const bundles = this.db.prepare('SELECT first_seq, count, data FROM record_bundles WHERE first_seq + count > ? ORDER BY first_seq LIMIT 64');
    const conn = this.db.prepare('SELECT transport, peer, peer_identity AS peerIdentity FROM connections WHERE id = ?');
    const conns = new Map<number, { transport: string; peer: string; peerIdentity: string | null }>();
    const start = from;
    while (from < next) {
      const rows = bundles.all(from - 1) as { first_seq: number; count: number; data: Uint8Array }[];
      if (rows.length === 0) break;
      const list: Uint8Array[] = [];
      for (const b of rows) {
        decodeBundle(b.data).forEach((r, i) => {
          if (b.first_seq + i < from) return;
          let c = conns.get(r.connId);
          if (c === undefined) conns.set(r.connId, (c = conn.get(r.connId) as { transport: string; peer: string; peerIdentity: string | null }));
          list.push(leafOf(r.receivedAt, c, r.rawSha256));
        });
      }
      const leaves = new Uint8Array(list.length * HASH_SIZE);
      list.forEach((l, i) => leaves.set(l, i * HASH_SIZE));
      try {
        this.db.transaction(() => this.tlog.append(from, leaves)).immediate();
        this.tlog.committed();
      } catch (e) {
        this.tlog.rolledBack();
        throw e;
      }
      from += list.length;
    }
    return from - start;
  }

  append(records: readonly NewRecord[], counters: readonly CounterDelta[] = []): Promise<AppendResult> {
    return Promise.resolve(this.appendSync(records, counters));
  }

  close(): void {
    this.db.close();
  }
}
