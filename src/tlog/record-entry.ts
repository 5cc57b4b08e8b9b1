// The canonical bytes (RFC 8785) of a record's tlog entry, made on the ingest hot path without a
// general canonicalizer: the keys are written in their canonical order and every value is a string,
// null or an integer, whose JSON.stringify form is the RFC 8785 form. record-entry.test.ts holds it
// equal to canonicalize() for arbitrary inputs. Must never change the bytes of an existing entry type.
import type { RecordEntry } from '../model/entry-types.js';
import { leafHash } from './hash.js';

/** The parts of a record entry that depend only on the sender: computed once per connection on the hot path. */
export interface RecordEntryParts {
  /** Up to and including `"rawSha256":"`. */
  readonly head: string;
  /** From `,"transport":` to the end. */
  readonly tail: string;
}

/** RFC 8785 order of RecordEntry's keys (UTF-16 code unit order): peer, peerIdentity, rawSha256, receivedAt, transport, type, v. */
export const recordEntryParts = (c: { readonly transport: string; readonly peer: string; readonly peerIdentity: string | null }): RecordEntryParts => ({
  head: `{"peer":${JSON.stringify(c.peer)},"peerIdentity":${c.peerIdentity === null ? 'null' : JSON.stringify(c.peerIdentity)},"rawSha256":"`,
  tail: `,"transport":${JSON.stringify(c.transport)},"type":"record.receive","v":1}`,
});

/** The entry from its sender's parts, the SHA-256 (lower-case hex) and the receive time. */
export const recordEntryFromParts = (p: RecordEntryParts, rawSha256: string, receivedAt: number): string =>
  `${p.head}${rawSha256}","receivedAt":${JSON.stringify(receivedAt)}${p.tail}`;

export const recordEntryJson = (e: Omit<RecordEntry, 'type' | 'v'>): string => recordEntryFromParts(recordEntryParts(e), e.rawSha256, e.receivedAt);

/** The leaf hash of a record's entry: SHA-256(0x00 ‖ canonical entry bytes). */
export const recordLeafHash = (e: Omit<RecordEntry, 'type' | 'v'>): Uint8Array => leafHash(Buffer.from(recordEntryJson(e), 'utf8'));
