// SHA-256 of many short messages per call: the native helper (native/sha256-batch.c, built by
// `npm run build`) when it loaded, else node:crypto one message at a time. Both give the same
// digests (sha256-batch.test.ts); the native one is ~8× cheaper per hash and allocates nothing.
// recordLeaves hashes record entries from their parts; its fallback here is the reference.
// COUNTERSIGN_SHA256=node-crypto forces the fallback (to compare, or to rule the helper out).
import { hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Sha256Batch {
  /** 'native' or 'node:crypto'. */
  readonly backend: 'native' | 'node:crypto';
  /** Why the native helper is not in use (absent when it is). */
  readonly reason?: string;
  /** out[32i, 32i+32) = SHA-256(src[offsets[i], offsets[i] + lengths[i])), for i < count. */
  each(src: Uint8Array, offsets: Uint32Array, lengths: Uint32Array, count: number, out: Uint8Array): void;
  /** out[32i, 32i+32) = SHA-256(0x01 ‖ pairs[64i, 64i+64)): RFC 6962 interior nodes, for i < count. */
  nodes(pairs: Uint8Array, count: number, out: Uint8Array): void;
  /** out[32i, 32i+32) = the tlog leaf of record i's entry (see RecordLeafParts), for i < p.count. */
  recordLeaves(p: RecordLeafParts, out: Uint8Array): void;
}

/**
 * A batch of record entries (tlog/record-entry.ts) in parts, so no entry is ever built: record i's leaf
 * is SHA-256(0x00 ‖ head ‖ hex(sha256[32i, 32i+32)) ‖ `","receivedAt":` ‖ time ‖ tail), where head and
 * tail are its sender's (parts at partOffsets[4c], length [4c+1], and [4c+2], length [4c+3], c = conn[i])
 * and time is its receive time as JSON (times at timeOffsets[i], length timeLengths[i]).
 */
export interface RecordLeafParts {
  readonly count: number;
  readonly sha256: Uint8Array;
  readonly conn: Uint32Array;
  readonly parts: Uint8Array;
  readonly partOffsets: Uint32Array;
  readonly times: Uint8Array;
  readonly timeOffsets: Uint32Array;
  readonly timeLengths: Uint32Array;
}

interface NativeModule {
  each(src: Uint8Array, offsets: Uint32Array, lengths: Uint32Array, count: number, out: Uint8Array): void;
  nodes(pairs: Uint8Array, count: number, out: Uint8Array): void;
  recordLeaves(...a: [Uint8Array, Uint32Array, Uint8Array, Uint32Array, Uint8Array, Uint32Array, Uint32Array, number, Uint8Array]): void;
}

const MID = Buffer.from('","receivedAt":', 'latin1');

const NODE_INPUT = new Uint8Array(65);
NODE_INPUT[0] = 0x01;

/** node:crypto, one call per message. Checks its arguments as the native helper does. */
export const nodeCryptoSha256Batch = (reason?: string): Sha256Batch => ({
  backend: 'node:crypto',
  ...(reason === undefined ? {} : { reason }),
  each(src, offsets, lengths, count, out) {
    if (count > offsets.length || count > lengths.length || count * 32 > out.length) throw new RangeError('count exceeds offsets, lengths or out');
    for (let i = 0; i < count; i++) {
      const o = offsets[i]!;
      const end = o + lengths[i]!;
      if (end > src.length) throw new RangeError('a message lies outside src');
      out.set(hash('sha256', src.subarray(o, end), 'buffer'), i * 32);
    }
  },
  nodes(pairs, count, out) {
    if (count * 64 > pairs.length || count * 32 > out.length) throw new RangeError('count exceeds pairs or out');
    for (let i = 0; i < count; i++) {
      NODE_INPUT.set(pairs.subarray(i * 64, i * 64 + 64), 1);
      out.set(hash('sha256', NODE_INPUT, 'buffer'), i * 32);
    }
  },
  recordLeaves(p, out) {
    const n = p.count;
    if (n * 32 > p.sha256.length || n > p.conn.length || n > p.timeOffsets.length || n > p.timeLengths.length || n * 32 > out.length) {
      throw new RangeError('count exceeds sha, conn, timeOffsets, timeLengths or out');
    }
    const slice = (b: Uint8Array, at: number, len: number): Uint8Array => {
      if (at + len > b.length) throw new RangeError('a head, tail or time lies outside parts or times');
      return b.subarray(at, at + len);
    };
    for (let i = 0; i < n; i++) {
      const c = p.conn[i]!;
      if (4 * c + 3 >= p.partOffsets.length) throw new RangeError("a record's sender lies outside partOffsets");
      const o = p.partOffsets;
      const entry = Buffer.concat([
        Uint8Array.of(0),
        slice(p.parts, o[4 * c]!, o[4 * c + 1]!),
        Buffer.from(Buffer.from(p.sha256.subarray(i * 32, i * 32 + 32)).toString('hex'), 'latin1'),
        MID,
        slice(p.times, p.timeOffsets[i]!, p.timeLengths[i]!),
        slice(p.parts, o[4 * c + 2]!, o[4 * c + 3]!),
      ]);
      out.set(hash('sha256', entry, 'buffer'), i * 32);
    }
  },
});

/** Where `npm run build` puts the helper, seen from src/native (tests) and from dist/src/native (the build). */
const CANDIDATES = ['../../dist/native/sha256-batch.node', '../../native/sha256-batch.node'];

const load = (): Sha256Batch => {
  if (process.env.COUNTERSIGN_SHA256 === 'node-crypto') return nodeCryptoSha256Batch('COUNTERSIGN_SHA256=node-crypto');
  const path = CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((p) => existsSync(p));
  if (path === undefined) return nodeCryptoSha256Batch('the native helper is not built (npm run build builds it with the system C compiler)');
  try {
    const m = createRequire(import.meta.url)(path) as NativeModule;
    return {
      backend: 'native',
      each: m.each,
      nodes: m.nodes,
      recordLeaves: (p, out) => m.recordLeaves(p.sha256, p.conn, p.parts, p.partOffsets, p.times, p.timeOffsets, p.timeLengths, p.count, out),
    };
  } catch (e) {
    return nodeCryptoSha256Batch(`the native helper ${path} did not load: ${(e as Error).message}`);
  }
};

/** The process's batch hasher, loaded once. */
export const sha256Batch: Sha256Batch = load();
