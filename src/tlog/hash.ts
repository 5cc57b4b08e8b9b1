// RFC 6962 / RFC 9162 §2.1 hashing with SHA-256: the leaf and node hash functions and the empty-tree root.
// Pure: bytes in, 32 bytes out. Must never use anything of node beyond node:crypto's SHA-256.
import { hash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// One-shot crypto.hash over one buffer is about twice as fast as createHash().update()…, and appends hash a lot.
const sha256 = (bytes: Uint8Array): Uint8Array => {
  const digest = hash('sha256', bytes, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
};

const prefixed = (prefix: number, ...parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

// Scratch buffers: crypto.hash reads its input before returning, so one buffer serves every call and
// the hot path (two hashes per appended record) allocates only the digests.
const NODE_INPUT = new Uint8Array(1 + 2 * HASH_SIZE);
NODE_INPUT[0] = NODE_PREFIX;
let leafInput = new Uint8Array(1024);

/** SHA-256(0x00 ‖ entry): the hash of one entry as a leaf of the tree. */
export const leafHash = (entry: Uint8Array): Uint8Array => {
  if (entry.length + 1 > leafInput.length) leafInput = new Uint8Array(Math.max(entry.length + 1, leafInput.length * 2));
  leafInput[0] = LEAF_PREFIX;
  leafInput.set(entry, 1);
  return sha256(leafInput.subarray(0, entry.length + 1));
};

/** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node. */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) return sha256(prefixed(NODE_PREFIX, left, right));
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_SIZE);
  return sha256(NODE_INPUT);
};

/** SHA-256 of nothing: the root of the empty tree. A fresh copy each call, as Uint8Arrays cannot be frozen. */
export const emptyRoot = (): Uint8Array => sha256(new Uint8Array(0));

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
