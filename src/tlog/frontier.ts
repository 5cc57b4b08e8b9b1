// The right edge ("frontier", the compact range [0, size)) of the tree: one hash per set bit of the size.
// It appends leaf hashes one at a time, gives the root in O(log n) memory, and is what the appender persists.
// Immutable: appending returns a new frontier, so a rolled-back transaction can never leave a half-appended one.
import { type Result, ok } from '../model/result.js';
import { isCount, popCount } from './bits.js';
import { HASH_SIZE, emptyRoot, nodeHash } from './hash.js';
import { type HashReader, type NodeHash, frontierNodes } from './nodes.js';
import { type ProofError, proofError } from './proof-error.js';
import { foldRight, readNodes } from './tree.js';

export interface Frontier {
  readonly size: number;
  /** The hashes of frontierNodes(size), largest (leftmost) subtree first. */
  readonly hashes: readonly Uint8Array[];
}

export interface Appended {
  readonly frontier: Frontier;
  /**
   * Every node the appends completed, bottom-up per leaf: each leaf itself (level 0) and each parent it
   * finished. The appender keeps those at tile levels (0, 8, 16, …) — see tileUpdates.
   */
  readonly completed: readonly NodeHash[];
}

export const EMPTY_FRONTIER: Frontier = Object.freeze({ size: 0, hashes: Object.freeze([]) });

const FORMAT_VERSION = 1;
const HEADER = 1 + 8; // version byte, then the size as a big-endian uint64

export function appendLeaves(frontier: Frontier, leafHashes: readonly Uint8Array[]): Result<Appended, ProofError> {
  if (!Number.isSafeInteger(frontier.size + leafHashes.length)) return proofError('bad-size', 'the tree would outgrow 2^53 - 1 leaves');
  const stack = frontier.hashes.slice();
  const completed: NodeHash[] = [];
  let size = frontier.size;
  for (const leaf of leafHashes) {
    if (leaf.length !== HASH_SIZE) return proofError('hash-length', `leaf hash at index ${size} is ${leaf.length} bytes, not ${HASH_SIZE}`);
    let hash = leaf;
    let level = 0;
    let index = size;
    completed.push({ level, index, hash });
    // Each trailing one bit of the old size is a finished subtree of the same height waiting on its left.
    for (let carry = size; carry % 2 === 1; carry = Math.floor(carry / 2)) {
      hash = nodeHash(stack.pop() as Uint8Array, hash);
      level += 1;
      index = Math.floor(index / 2);
      completed.push({ level, index, hash });
    }
    stack.push(hash);
    size += 1;
  }
  return ok({ frontier: Object.freeze({ size, hashes: Object.freeze(stack) }), completed });
}

/** The root of the tree the frontier describes (the empty-tree hash for size 0). */
export const frontierRoot = (frontier: Frontier): Uint8Array =>
  frontier.hashes.length === 0 ? emptyRoot() : foldRight(frontier.hashes);

/** Rebuilds a frontier from the hashes of frontierNodes(size), checking there is one 32-byte hash per node. */
export function frontierFromHashes(size: number, hashes: readonly Uint8Array[]): Result<Frontier, ProofError> {
  if (!isCount(size)) return proofError('bad-size', `tree size ${size} is not a non-negative safe integer`);
  const want = popCount(size);
  if (hashes.length !== want) return proofError('proof-length', `a frontier of size ${size} has ${want} hashes, got ${hashes.length}`);
  if (hashes.some((h) => h.length !== HASH_SIZE)) return proofError('hash-length', `frontier hashes must be ${HASH_SIZE} bytes`);
  return ok(Object.freeze({ size, hashes: Object.freeze(hashes.map((h) => h.slice())) }));
}

/** Rebuilds the frontier of a stored tree of this size from its subtree hashes (e.g. read from tiles). */
export function frontierFromReader(size: number, read: HashReader): Result<Frontier, ProofError> {
  if (!isCount(size)) return proofError('bad-size', `tree size ${size} is not a non-negative safe integer`);
  const hashes = readNodes(frontierNodes(size), read);
  return hashes.ok ? frontierFromHashes(size, hashes.value) : hashes;
}

/** Bytes to persist: a version byte, the size as a big-endian uint64, then the hashes in order. */
export function encodeFrontier(frontier: Frontier): Uint8Array {
  const out = new Uint8Array(HEADER + HASH_SIZE * frontier.hashes.length);
  const view = new DataView(out.buffer);
  out[0] = FORMAT_VERSION;
  view.setBigUint64(1, BigInt(frontier.size));
  frontier.hashes.forEach((h, i) => out.set(h, HEADER + HASH_SIZE * i));
  return out;
}

export function decodeFrontier(bytes: Uint8Array): Result<Frontier, ProofError> {
  if (bytes.length < HEADER || bytes[0] !== FORMAT_VERSION) return proofError('bad-encoding', 'not a version 1 frontier');
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(1);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) return proofError('bad-encoding', `frontier size ${size} is beyond 2^53 - 1`);
  const body = bytes.length - HEADER;
  if (body % HASH_SIZE !== 0) return proofError('bad-encoding', `frontier body of ${body} bytes is not whole hashes`);
  const hashes: Uint8Array[] = [];
  for (let at = HEADER; at < bytes.length; at += HASH_SIZE) hashes.push(bytes.slice(at, at + HASH_SIZE));
  const frontier = frontierFromHashes(Number(size), hashes);
  return frontier.ok ? frontier : proofError('bad-encoding', frontier.error.message);
}
