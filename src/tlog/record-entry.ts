// The canonical bytes (RFC 8785) of a record's tlog entry, made on the ingest hot path without a
// general canonicalizer: the keys are written in their canonical order and every value is a string,
// null or an integer, whose JSON.stringify form is the RFC 8785 form. record-entry.test.ts holds it
// equal to canonicalize() for arbitrary inputs. Must never change the bytes of an existing entry type.
import type { RecordEntry } from '../model/entry-types.js';
import { leafHash } from './hash.js';

/** RFC 8785 order of RecordEntry's keys (UTF-16 code unit order): peer, peerIdentity, rawSha256, receivedAt, transport, type, v. */
export const recordEntryJson = (e: Omit<RecordEntry, 'type' | 'v'>): string =>
  `{"peer":${JSON.stringify(e.peer)},"peerIdentity":${e.peerIdentity === null ? 'null' : JSON.stringify(e.peerIdentity)},"rawSha256":"${e.rawSha256}","receivedAt":${JSON.stringify(e.receivedAt)},"transport":${JSON.stringify(e.transport)},"type":"record.receive","v":1}`;

/** The leaf hash of a record's entry: SHA-256(0x00 ‖ canonical entry bytes). */
export const recordLeafHash = (e: Omit<RecordEntry, 'type' | 'v'>): Uint8Array => leafHash(Buffer.from(recordEntryJson(e), 'utf8'));
