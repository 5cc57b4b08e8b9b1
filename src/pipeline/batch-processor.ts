// Turns a sealed batch of frames into a block of records ready to store: the envelope parse (the
// SHA-256 and leaf were taken when the batch was sealed); the frames stay where they are. The one place where a frame that does not parse becomes
// an `unparsed` record with a reason.
import type { Envelope, Transport, UnparsedReason } from '../model/record.js';
import { parseEnvelope } from '../parsers/envelope/index.js';
import { FRAME_INCOMPLETE, FRAME_TOO_LONG } from '../sources/framing/types.js';
import type { RecordBlock } from '../store/types.js';
import type { SealedBatch } from './frame-batch.js';

/** Counts of one batch, by transport: what the metrics and the commit reply carry. */
export interface BatchStats {
  /** `${transport}\t${kind or reason}` → count; kind is 'parsed', reason is an UnparsedReason. */
  readonly counts: Record<string, number>;
}

export const statKey = (transport: Transport, what: 'parsed' | UnparsedReason): string => `${transport}\t${what}`;

export const processBatch = (batch: SealedBatch, timezone: string): { block: RecordBlock; stats: BatchStats } => {
  const n = batch.count;
  const envelopes: (Envelope | null)[] = new Array(n);
  const unparsed: (UnparsedReason | null)[] = new Array(n);
  const counts: Record<string, number> = {};
  const buf = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  // One context, its time set per frame (parsers read it, never keep it), and the stats keys made once
  // per sender and outcome: no object or string per record.
  const ctx = { receivedAt: 0, timezone };
  const keys = new Map<string, string>();
  const keyOf = (transport: Transport, what: 'parsed' | UnparsedReason): string => {
    const k = transport + what;
    let key = keys.get(k);
    if (key === undefined) keys.set(k, (key = statKey(transport, what)));
    return key;
  };
  let parsedKeyConn: number = -1;
  let parsedKey = '';
  for (let i = 0; i < n; i++) {
    const ci = batch.conn[i]!;
    const conn = batch.conns[ci]!;
    const flag = batch.flags[i]!;
    let envelope: Envelope | null = null;
    let reason: UnparsedReason | null = null;
    if (flag === FRAME_TOO_LONG) reason = 'frame-too-long';
    else if (flag === FRAME_INCOMPLETE) reason = 'incomplete-frame';
    else {
      const off = batch.offsets[i]!;
      const raw = buf.subarray(off, off + batch.lengths[i]!);
      ctx.receivedAt = conn.referenceTime ?? batch.receivedAt[i]!;
      const r = parseEnvelope(raw, ctx, conn.formatHint ?? 'auto');
      if (r.ok) {
        envelope = r.value;
        if (envelope.hostname === undefined && conn.defaultHost !== undefined) envelope = { ...envelope, hostname: conn.defaultHost };
      } else reason = r.error.type;
    }
    envelopes[i] = envelope;
    unparsed[i] = reason;
    let key: string;
    if (reason === null) {
      if (ci !== parsedKeyConn) {
        parsedKeyConn = ci;
        parsedKey = keyOf(conn.transport, 'parsed');
      }
      key = parsedKey;
    } else key = keyOf(conn.transport, reason);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { block: { ...batch, envelopes, unparsed }, stats: { counts } };
};
