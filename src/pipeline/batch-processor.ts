// Turns a sealed batch of frames into records ready to store: the envelope parse (the SHA-256 was
// taken when the frame entered the batch). The one place where a frame that does not parse becomes
// an `unparsed` record with a reason.
import type { Envelope, Transport, UnparsedReason } from '../model/record.js';
import { parseEnvelope } from '../parsers/envelope/index.js';
import { FRAME_INCOMPLETE, FRAME_TOO_LONG } from '../sources/framing/types.js';
import type { NewRecord } from '../store/types.js';
import type { SealedBatch } from './frame-batch.js';

/** Counts of one batch, by transport: what the metrics and the commit reply carry. */
export interface BatchStats {
  /** `${transport}\t${kind or reason}` → count; kind is 'parsed', reason is an UnparsedReason. */
  readonly counts: Record<string, number>;
}

export const statKey = (transport: Transport, what: 'parsed' | UnparsedReason): string => `${transport}\t${what}`;

export const processBatch = (batch: SealedBatch, timezone: string): { records: NewRecord[]; stats: BatchStats } => {
  const records: NewRecord[] = new Array(batch.count);
  const counts: Record<string, number> = {};
  const buf = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const sha = Buffer.from(batch.sha256.buffer, batch.sha256.byteOffset, batch.sha256.byteLength);
  const leaf = Buffer.from(batch.leaf.buffer, batch.leaf.byteOffset, batch.leaf.byteLength);
  for (let i = 0; i < batch.count; i++) {
    const off = batch.offsets[i]!;
    const raw = buf.subarray(off, off + batch.lengths[i]!);
    const conn = batch.conns[batch.conn[i]!]!;
    const receivedAt = batch.receivedAt[i]!;
    const flag = batch.flags[i]!;
    let envelope: Envelope | null = null;
    let reason: UnparsedReason | null = null;
    if (flag === FRAME_TOO_LONG) reason = 'frame-too-long';
    else if (flag === FRAME_INCOMPLETE) reason = 'incomplete-frame';
    else {
      const r = parseEnvelope(raw, { receivedAt: conn.referenceTime ?? receivedAt, timezone }, conn.formatHint ?? 'auto');
      if (r.ok) {
        envelope = r.value;
        if (envelope.hostname === undefined && conn.defaultHost !== undefined) envelope = { ...envelope, hostname: conn.defaultHost };
      } else reason = r.error.type;
    }
    const key = statKey(conn.transport, reason ?? 'parsed');
    counts[key] = (counts[key] ?? 0) + 1;
    records[i] = { receivedAt, conn, raw, rawSha256: sha.subarray(i * 32, i * 32 + 32), leafHash: leaf.subarray(i * 32, i * 32 + 32), envelope, unparsedReason: reason };
  }
  return { records, stats: { counts } };
};
