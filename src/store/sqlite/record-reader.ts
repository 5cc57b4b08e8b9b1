// Read side of the SQLite store, for the API and the CLI. Safe while another process writes (WAL).
import type { Kysely } from 'kysely';
import type { Envelope, EnvelopeFormat, StoredRecord, Transport, UnparsedReason } from '../../model/record.js';
import type { Database } from '../schema.js';
import type { RecordQuery, RecordReader, StoreStats } from '../types.js';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

interface Row {
  seq: number;
  received_at: number;
  raw: Uint8Array;
  raw_sha256: Uint8Array;
  format: string | null;
  unparsed_reason: string | null;
  pri: number | null;
  time: number | null;
  time_quality: string | null;
  hostname: string | null;
  app: string | null;
  procid: string | null;
  msg: string | null;
  more: string | null;
  transport: string;
  peer: string;
  peer_identity: string | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const rowToRecord = (r: Row): StoredRecord => {
  let envelope: Envelope | null = null;
  if (r.format !== null) {
    const e: Mutable<Envelope> = { format: r.format as EnvelopeFormat, msg: r.msg ?? '' };
    if (r.pri !== null) {
      e.facility = r.pri >> 3;
      e.severity = r.pri & 7;
    }
    if (r.time !== null) e.time = r.time;
    if (r.time_quality !== null) e.timeQuality = r.time_quality as NonNullable<Envelope['timeQuality']>;
    if (r.hostname !== null) e.hostname = r.hostname;
    if (r.app !== null) e.app = r.app;
    if (r.procid !== null) e.procid = r.procid;
    if (r.more !== null) {
      const m = JSON.parse(r.more) as Partial<Mutable<Envelope>>;
      for (const k of ['msgid', 'structuredData', 'deviceSeq', 'extra', 'facility', 'severity'] as const) if (m[k] !== undefined) (e as Record<string, unknown>)[k] = m[k];
    }
    envelope = e;
  }
  return {
    seq: r.seq,
    receivedAt: r.received_at,
    transport: r.transport as Transport,
    peer: r.peer,
    peerIdentity: r.peer_identity,
    raw: r.raw,
    rawSha256: toHex(r.raw_sha256),
    kind: r.unparsed_reason === null ? 'parsed' : 'unparsed',
    unparsedReason: r.unparsed_reason as UnparsedReason | null,
    envelope,
  };
};

export class SqliteRecordReader implements RecordReader {
  constructor(private readonly k: Kysely<Database>) {}

  async latest(q: RecordQuery): Promise<StoredRecord[]> {
    let sel = this.k
      .selectFrom('records')
      .innerJoin('connections', 'connections.id', 'records.conn_id')
      .select([
        'records.seq', 'records.received_at', 'records.raw', 'records.raw_sha256', 'records.format', 'records.unparsed_reason',
        'records.pri', 'records.time', 'records.time_quality', 'records.hostname', 'records.app', 'records.procid', 'records.msg',
        'records.more', 'connections.transport', 'connections.peer', 'connections.peer_identity',
      ])
      .orderBy('records.seq', 'desc')
      .limit(q.limit);
    if (q.beforeSeq !== undefined) sel = sel.where('records.seq', '<', q.beforeSeq);
    if (q.kind === 'parsed') sel = sel.where('records.unparsed_reason', 'is', null);
    if (q.kind === 'unparsed') sel = sel.where('records.unparsed_reason', 'is not', null);
    const rows = await sel.execute();
    return rows.reverse().map(rowToRecord);
  }

  async stats(): Promise<StoreStats> {
    const total = await this.k
      .selectFrom('records')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('last')])
      .executeTakeFirstOrThrow();
    const unparsed = await this.k
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('unparsed_reason', 'is not', null)
      .executeTakeFirstOrThrow();
    const counters = await this.k.selectFrom('ingest_counters').selectAll().orderBy('transport').orderBy('reason').execute();
    return { records: Number(total.n), unparsed: Number(unparsed.n), lastSeq: total.last ?? null, counters };
  }

  async close(): Promise<void> {
    await this.k.destroy();
  }
}
