// Table types of the index store, as Kysely sees them. Column names are snake_case and portable:
// the same definitions serve the SQLite backend now and the PostgreSQL one later. The records row
// is kept narrow on purpose (each column costs on the hot path): per-connection facts live in
// `connections`, PRI is one number, and rarely present envelope fields share one JSON column.
import type { Generated } from 'kysely';

export interface RecordsTable {
  /** Leaf index in the tlog: 0, 1, 2 … with no gaps, assigned inside the write transaction. */
  seq: number;
  received_at: number;
  conn_id: number;
  raw: Uint8Array;
  raw_sha256: Uint8Array;
  /** Envelope format; NULL when unparsed. */
  format: string | null;
  unparsed_reason: string | null;
  /** facility × 8 + severity, as on the wire; NULL when the format has none. */
  pri: number | null;
  time: number | null;
  time_quality: string | null;
  hostname: string | null;
  app: string | null;
  procid: string | null;
  msg: string | null;
  /** JSON of the rarer envelope fields (msgid, structuredData, deviceSeq, extra); NULL when none. */
  more: string | null;
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
  records: RecordsTable;
  connections: ConnectionsTable;
  ingest_counters: IngestCountersTable;
  meta: MetaTable;
}
