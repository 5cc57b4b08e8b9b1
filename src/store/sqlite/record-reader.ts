// Read side of the SQLite store, for the API and the CLI. Safe while another process writes (WAL).
import type { Kysely, Selectable } from 'kysely';
import type { Envelope, EnvelopeFormat, SdElement, StoredRecord, Transport, UnparsedReason } from '../../model/record.js';
import type { Database, RecordsTable } from '../schema.js';
import type { RecordQuery, RecordReader, StoreStats } from '../types.js';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export const rowToRecord = (r: Selectable<RecordsTable>): StoredRecord => {
  let envelope: Envelope | null = null;
  if (r.format !== null) {
    const e: { -readonly [K in keyof Envelope]: Envelope[K] } = { format: r.format as EnvelopeFormat, msg: r.msg ?? '' };
    if (r.facility !== null) e.facility = r.facility;
    if (r.severity !== null) e.severity = r.severity;
    if (r.time !== null) e.time = r.time;
    if (r.time_quality !== null) e.timeQuality = r.time_quality as NonNullable<Envelope['timeQuality']>;
    e.hostname = opt(r.hostname);
    e.app = opt(r.app);
    e.procid = opt(r.procid);
    e.msgid = opt(r.msgid);
    if (r.device_seq !== null) e.deviceSeq = r.device_seq;
    if (r.sd !== null) e.structuredData = JSON.parse(r.sd) as SdElement[];
    if (r.extra !== null) e.extra = JSON.parse(r.extra) as Record<string, string>;
    for (const k of Object.keys(e) as (keyof Envelope)[]) if (e[k] === undefined) delete e[k];
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
    let sel = this.k.selectFrom('records').selectAll().orderBy('seq', 'desc').limit(q.limit);
    if (q.beforeSeq !== undefined) sel = sel.where('seq', '<', q.beforeSeq);
    if (q.kind === 'parsed') sel = sel.where('unparsed_reason', 'is', null);
    if (q.kind === 'unparsed') sel = sel.where('unparsed_reason', 'is not', null);
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
