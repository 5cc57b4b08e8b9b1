// The hot path of the store: appends a batch of records in one IMMEDIATE transaction, assigning
// gap-free seqs under the write lock. Statements are written once with Kysely and run prepared;
// nothing here allocates per record beyond the bound parameters.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AppendResult, CounterDelta, NewRecord, RecordWriter } from '../types.js';
import type { Database, RecordsTable } from '../schema.js';

/** Rows per multi-row INSERT; 21 columns × 64 rows stays far below SQLite's parameter limit. */
const ROWS_PER_STATEMENT = 64;

const COLUMNS: readonly (keyof RecordsTable)[] = [
  'seq', 'received_at', 'transport', 'peer', 'peer_identity', 'raw', 'raw_sha256', 'format', 'unparsed_reason',
  'facility', 'severity', 'time', 'time_quality', 'hostname', 'app', 'procid', 'msgid', 'device_seq', 'sd', 'extra', 'msg',
];

const placeholderRow = (): RecordsTable => Object.fromEntries(COLUMNS.map((c) => [c, null])) as unknown as RecordsTable;

const bindRow = (params: unknown[], at: number, seq: number, r: NewRecord): void => {
  const e = r.envelope;
  params[at] = seq;
  params[at + 1] = r.receivedAt;
  params[at + 2] = r.transport;
  params[at + 3] = r.peer;
  params[at + 4] = r.peerIdentity;
  params[at + 5] = r.raw;
  params[at + 6] = r.rawSha256;
  params[at + 7] = e?.format ?? null;
  params[at + 8] = r.unparsedReason;
  params[at + 9] = e?.facility ?? null;
  params[at + 10] = e?.severity ?? null;
  params[at + 11] = e?.time ?? null;
  params[at + 12] = e?.timeQuality ?? null;
  params[at + 13] = e?.hostname ?? null;
  params[at + 14] = e?.app ?? null;
  params[at + 15] = e?.procid ?? null;
  params[at + 16] = e?.msgid ?? null;
  params[at + 17] = e?.deviceSeq ?? null;
  params[at + 18] = e?.structuredData !== undefined && e.structuredData.length > 0 ? JSON.stringify(e.structuredData) : null;
  params[at + 19] = e?.extra !== undefined ? JSON.stringify(e.extra) : null;
  params[at + 20] = e?.msg ?? null;
};

export class SqliteRecordWriter implements RecordWriter {
  private readonly insertMany: BetterSqlite3.Statement;
  private readonly insertOne: BetterSqlite3.Statement;
  private readonly maxSeq: BetterSqlite3.Statement;
  private readonly addCounter: BetterSqlite3.Statement;
  private readonly manyParams: unknown[] = new Array(COLUMNS.length * ROWS_PER_STATEMENT);
  private readonly oneParams: unknown[] = new Array(COLUMNS.length);
  private readonly tx: BetterSqlite3.Transaction<(records: readonly NewRecord[], counters: readonly CounterDelta[]) => AppendResult>;

  constructor(private readonly db: BetterSqlite3.Database, k: Kysely<Database>) {
    const many = k.insertInto('records').values(Array.from({ length: ROWS_PER_STATEMENT }, placeholderRow)).compile();
    const one = k.insertInto('records').values(placeholderRow()).compile();
    const counter = k
      .insertInto('ingest_counters')
      .values({ transport: '', reason: '', count: 0 })
      .onConflict((oc) => oc.columns(['transport', 'reason']).doUpdateSet((eb) => ({ count: eb('ingest_counters.count', '+', eb.ref('excluded.count')) })))
      .compile();
    this.insertMany = db.prepare(many.sql);
    this.insertOne = db.prepare(one.sql);
    this.addCounter = db.prepare(counter.sql);
    this.maxSeq = db.prepare('SELECT max(seq) AS m FROM records').pluck();
    this.tx = db.transaction((records: readonly NewRecord[], counters: readonly CounterDelta[]) => {
      const last = this.maxSeq.get() as number | null;
      const firstSeq = last === null ? 0 : last + 1;
      let i = 0;
      const n = records.length;
      for (; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
        for (let j = 0; j < ROWS_PER_STATEMENT; j++) bindRow(this.manyParams, j * COLUMNS.length, firstSeq + i + j, records[i + j]!);
        this.insertMany.run(this.manyParams);
      }
      for (; i < n; i++) {
        bindRow(this.oneParams, 0, firstSeq + i, records[i]!);
        this.insertOne.run(this.oneParams);
      }
      for (const c of counters) if (c.count !== 0) this.addCounter.run(c.transport, c.reason, c.count);
      return { firstSeq, count: n };
    });
  }

  /** Synchronous core, for callers on the writer thread that want no promise per batch. */
  appendSync(records: readonly NewRecord[], counters: readonly CounterDelta[] = []): AppendResult {
    return this.tx.immediate(records, counters);
  }

  append(records: readonly NewRecord[], counters: readonly CounterDelta[] = []): Promise<AppendResult> {
    return Promise.resolve(this.appendSync(records, counters));
  }

  close(): void {
    this.db.close();
  }
}
