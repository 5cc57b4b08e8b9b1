// The store port. Everything outside store/ talks to these interfaces; only store/<backend>/ knows SQL dialects.
// A record counts as stored only once append() has resolved: its transaction committed.
import type { Event } from '../model/event.js';
import type { Envelope, StoredRecord, Transport, UnparsedReason } from '../model/record.js';
import type { Session } from '../model/session.js';
import type { Attribution, SessionSnapshot } from '../sessions/sessionizer.js';

/** Who sent a record: one TCP/TLS connection, one UDP sender, one imported file. */
export interface ConnRef {
  /** Unique within the writing process; the writer maps it to a `connections` row. */
  readonly key: number;
  readonly transport: Transport;
  readonly peer: string;
  readonly peerIdentity: string | null;
}

export interface NewRecord {
  readonly receivedAt: number;
  readonly conn: ConnRef;
  readonly raw: Uint8Array;
  readonly rawSha256: Uint8Array;
  /** The record's tlog leaf hash (tlog/record-entry.ts); computed by the writer when absent. */
  readonly leafHash?: Uint8Array;
  readonly envelope: Envelope | null;
  readonly unparsedReason: UnparsedReason | null;
}

/**
 * Records as columns: how the ingest batch reaches the writer (pipeline/batch-processor.ts), with no
 * object per record. Record i's raw bytes are bytes[offsets[i], offsets[i] + lengths[i]).
 */
export interface RecordBlock {
  readonly count: number;
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
  readonly receivedAt: Float64Array;
  /** Per record, its sender as an index into conns. */
  readonly conn: Uint32Array;
  readonly conns: readonly ConnRef[];
  /** SHA-256 of each record's raw bytes, 32 bytes each. */
  readonly sha256: Uint8Array;
  /** Each record's tlog leaf hash, 32 bytes each (tlog/record-entry.ts); computed by the writer when absent. */
  readonly leaf?: Uint8Array;
  readonly envelopes: readonly (Envelope | null)[];
  readonly unparsed: readonly (UnparsedReason | null)[];
}

export interface CounterDelta {
  readonly transport: string;
  readonly reason: string;
  readonly count: number;
}

export interface AppendResult {
  /** seq of the first appended record; the batch holds firstSeq … firstSeq + count - 1. */
  readonly firstSeq: number;
  readonly count: number;
}

/** The write side: one writer at a time appends; used from the ingest writer thread and from import. */
export interface RecordWriter {
  append(records: readonly NewRecord[], counters?: readonly CounterDelta[]): Promise<AppendResult>;
  close(): void;
}

export interface RecordQuery {
  readonly limit: number;
  /** Only records with seq < beforeSeq (paging backwards). */
  readonly beforeSeq?: number;
  readonly kind?: 'parsed' | 'unparsed';
}

export interface StoreStats {
  readonly records: number;
  readonly unparsed: number;
  readonly lastSeq: number | null;
  readonly counters: readonly CounterDelta[];
}

/** The read side: safe to use while another process writes. */
export interface RecordReader {
  latest(query: RecordQuery): Promise<StoredRecord[]>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** A stored record as the derive stage reads it back. */
export interface DeriveInputRecord {
  readonly seq: number;
  readonly receivedAt: number;
  /** The sender's address (no port): the host of records whose envelope names none. */
  readonly peer: string;
  readonly envelope: Envelope | null;
}

/** One rule matching one event (table rule_hits). */
export interface RuleHitRow {
  readonly eventId: number;
  readonly rule: string;
  /** The event's record seq. */
  readonly seq: number;
  /** The event's session when it was matched; null: none (yet). */
  readonly sessionId: number | null;
  readonly host: string;
  /** The rule's level: informational … critical. */
  readonly level: string;
  readonly time: number;
}

/** A session's risk (rules/risk.ts), kept on its row. */
export interface SessionRiskRow {
  readonly sessionId: number;
  readonly score: number;
  readonly level: string;
}

/** What one derive step writes, in one transaction. */
export interface DerivedBatch {
  readonly events: readonly { readonly id: number; readonly event: Event }[];
  readonly attributions: readonly Attribution[];
  /** Events matched again now that their session is known (an orphan adopted): their earlier hits are dropped first. */
  readonly rematched: readonly number[];
  /** Rule hits of this batch's events and of the rematched ones. */
  readonly hits: readonly RuleHitRow[];
  /** Risk of the sessions whose hits changed; written after the session rows. */
  readonly risks: readonly SessionRiskRow[];
  /** Changed sessions; the snapshot while the sessionizer still holds them (resume state), else undefined. */
  readonly sessions: readonly { readonly session: Session; readonly snapshot: SessionSnapshot | undefined }[];
  /** "parser\toutcome" → records. */
  readonly counters: ReadonlyMap<string, number>;
  /** The last record seq this batch accounts for. */
  readonly cursor: number;
  readonly now: number;
}

/** The derive stage's port: one deriver per store at a time (derive-lock.ts). */
export interface DerivedStore {
  /** The last record seq derived; -1 when none. */
  cursor(): number;
  nextEventId(): number;
  snapshots(): SessionSnapshot[];
  readAfter(afterSeq: number, limit: number): DeriveInputRecord[];
  /** Each (rule, level) each of these sessions has hit with so far. */
  ruleLevels(sessionIds: readonly number[]): Map<number, { readonly rule: string; readonly level: string }[]>;
  write(batch: DerivedBatch): void;
  close(): void;
}
