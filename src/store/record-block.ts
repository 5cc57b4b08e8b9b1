// Record objects packed as a RecordBlock, the writer's one input form. The ingest path builds blocks
// directly (pipeline/batch-processor.ts); this serves the callers that hold objects (internal records,
// tree catch-up, tests).
import type { ConnRef, NewRecord, RecordBlock } from './types.js';

/** Record objects as a block (for the few callers that hold objects: internal records, tests). */
export const blockOf = (records: readonly NewRecord[]): RecordBlock => {
  const n = records.length;
  const conns: ConnRef[] = [];
  const index = new Map<ConnRef, number>();
  const conn = new Uint32Array(n);
  const offsets = new Uint32Array(n);
  const lengths = new Uint32Array(n);
  const bytes = new Uint8Array(records.reduce((k, r) => k + r.raw.length, 0));
  const sha256 = new Uint8Array(n * 32);
  const withLeaf = records.every((r) => r.leafHash !== undefined);
  const leaf = withLeaf ? new Uint8Array(n * 32) : undefined;
  let at = 0;
  records.forEach((r, i) => {
    let k = index.get(r.conn);
    if (k === undefined) index.set(r.conn, (k = conns.push(r.conn) - 1));
    conn[i] = k;
    bytes.set(r.raw, at);
    offsets[i] = at;
    lengths[i] = r.raw.length;
    at += r.raw.length;
    sha256.set(r.rawSha256, i * 32);
    if (leaf !== undefined) leaf.set(r.leafHash!, i * 32);
  });
  return {
    count: n,
    bytes,
    offsets,
    lengths,
    receivedAt: Float64Array.from(records, (r) => r.receivedAt),
    conn,
    conns,
    sha256,
    ...(leaf === undefined ? {} : { leaf }),
    envelopes: records.map((r) => r.envelope),
    unparsed: records.map((r) => r.unparsedReason),
  };
};
