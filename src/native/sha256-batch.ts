// SHA-256 of many short messages per call: the native helper (native/sha256-batch.c, built by
// `npm run build`) when it loaded, else node:crypto one message at a time. Both give the same
// digests (sha256-batch.test.ts); the native one is ~8× cheaper per hash and allocates nothing.
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
}

interface NativeModule {
  each(src: Uint8Array, offsets: Uint32Array, lengths: Uint32Array, count: number, out: Uint8Array): void;
  nodes(pairs: Uint8Array, count: number, out: Uint8Array): void;
}

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
});

/** Where `npm run build` puts the helper, seen from src/native (tests) and from dist/src/native (the build). */
const CANDIDATES = ['../../dist/native/sha256-batch.node', '../../native/sha256-batch.node'];

const load = (): Sha256Batch => {
  if (process.env.COUNTERSIGN_SHA256 === 'node-crypto') return nodeCryptoSha256Batch('COUNTERSIGN_SHA256=node-crypto');
  const path = CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((p) => existsSync(p));
  if (path === undefined) return nodeCryptoSha256Batch('the native helper is not built (npm run build builds it with the system C compiler)');
  try {
    const m = createRequire(import.meta.url)(path) as NativeModule;
    return { backend: 'native', each: m.each, nodes: m.nodes };
  } catch (e) {
    return nodeCryptoSha256Batch(`the native helper ${path} did not load: ${(e as Error).message}`);
  }
};

/** The process's batch hasher, loaded once. */
export const sha256Batch: Sha256Batch = load();
