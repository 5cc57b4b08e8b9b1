// Table types of the index store, as Kysely sees them. Column names are snake_case and portable:
// the same definitions serve the SQLite backend now and the PostgreSQL one later. Records are kept
// as entry bundles (record-bundle.ts): one row holds up to 256 consecutive records, because a row per
// record made SQLite the bottleneck of ingest (measured: ~3 µs of a ~4.6 µs per-record budget).
import type { Generated } from 'kysely';

export interface RecordBundlesTable {
  /** seq of the bundle's first record; its records are first_seq … first_seq + count - 1. */
  first_seq: number;
  count: number;
  /** The packed records (record-bundle.ts). */
  data: Uint8Array;
}

/** The few records no parser read, indexed so they can be listed without unpacking every bundle. */
export interface UnparsedRecordsTable {
  seq: number;
  reason: string;
}

/** One sender as one writer saw it: a TCP/TLS connection, a UDP source address, an imported file. */
export interface ConnectionsTable {
  id: Generated<number>;
  transport: string;
  peer: string;
  /** Subject of the verified TLS client certificate; NULL: the sender is not authenticated. */
  peer_identity: string | null;
  first_seen: number;
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
  record_bundles: RecordBundlesTable;
  unparsed_records: UnparsedRecordsTable;
  connections: ConnectionsTable;
  ingest_counters: IngestCountersTable;
  meta: MetaTable;
}
