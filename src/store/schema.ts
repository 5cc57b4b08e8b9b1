// Table types of the index store, as Kysely sees them. Column names are snake_case and portable:
// the same definitions serve the SQLite backend now and the PostgreSQL one later.
import type { Generated } from 'kysely';

export interface RecordsTable {
  /** Leaf index in the tlog: 0, 1, 2 … with no gaps, assigned inside the write transaction. */
  seq: number;
  received_at: number;
  transport: string;
  peer: string;
  peer_identity: string | null;
  raw: Uint8Array;
  raw_sha256: Uint8Array;
  format: string | null;
  unparsed_reason: string | null;
  facility: number | null;
  severity: number | null;
  time: number | null;
  time_quality: string | null;
  hostname: string | null;
  app: string | null;
  procid: string | null;
  msgid: string | null;
  device_seq: number | null;
  sd: string | null;
  extra: string | null;
  msg: string | null;
}

/** Receptions counted without a stored record (UDP dropped under overload, refused connections …). */
export interface IngestCountersTable {
  transport: string;
  reason: string;
  count: number;
}

export interface MetaTable {
  key: string;
  value: string;
  updated_at: Generated<number>;
}

export interface Database {
  records: RecordsTable;
  ingest_counters: IngestCountersTable;
  meta: MetaTable;
}
