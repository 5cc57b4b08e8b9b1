// Appending a block of leaves level by level: the same tree as appendLeaves (frontier.ts), computed
// so that every level's new interior nodes are hashed in one call (a PairHasher: the native batch
// helper on the ingest path) and handed back as contiguous runs, which is what tiles store.
// Pure: the hashing is passed in; without one it is nodeHash, pair by pair.
import { type Result, ok } from '../model/result.js';
import { HASH_SIZE, nodeHash } from './hash.js';
import type { Frontier } from './frontier.js';
import { type ProofError, proofError } from './proof-error.js';
import { TILE_HEIGHT, TILE_WIDTH, type TileUpdate } from './tiles.js';

/** out[32i, 32i+32) = nodeHash(pairs[64i, 64i+32), pairs[64i+32, 64i+64)), for i < count. */
export type PairHasher = (pairs: Uint8Array, count: number, out: Uint8Array) => void;

export const pairHasher: PairHasher = (pairs, count, out) => {
  for (let i = 0; i < count; i++) out.set(nodeHash(pairs.subarray(i * 64, i * 64 + 32), pairs.subarray(i * 64 + 32, i * 64 + 64)), i * HASH_SIZE);
};

/** The nodes of one tree level an append completed: indexes firstIndex, firstIndex + 1, …, hashes 32 bytes each. */
export interface LevelRun {
  readonly level: number;
  readonly firstIndex: number;
  readonly hashes: Uint8Array;
}

export interface BlockAppended {
  readonly frontier: Frontier;
  /** One run per tree level that gained nodes, level 0 (the leaves) first. */
  readonly runs: readonly LevelRun[];
}

/** Appends leaves (32 bytes each, back to back) to the frontier; the result equals appendLeaves'. */
export function appendLeafBlock(frontier: Frontier, leaves: Uint8Array, hashPairs: PairHasher = pairHasher): Result<BlockAppended, ProofError> {
  if (leaves.length % HASH_SIZE !== 0) return proofError('hash-length', `the leaf block is ${leaves.length} bytes, not whole ${HASH_SIZE}-byte hashes`);
  const n = leaves.length / HASH_SIZE;
  const size = frontier.size;
  if (!Number.isSafeInteger(size + n)) return proofError('bad-size', 'the tree would outgrow 2^53 - 1 leaves');
  const newSize = size + n;
  // The old frontier by level: the node of a set bit L of size is (L, (size >> L) - 1), largest first in hashes.
  const old = new Map<number, Uint8Array>();
  {
    let i = 0;
    for (let level = 52; level >= 0; level--) if (Math.floor(size / 2 ** level) % 2 === 1) old.set(level, frontier.hashes[i++]!);
  }
  const runs: LevelRun[] = [];
  let cur = leaves;
  let before = size; // complete nodes at this level before the append
  let after = newSize; // and after
  for (let level = 0; after > before; level++) {
    runs.push({ level, firstIndex: before, hashes: cur });
    const parents = Math.floor(after / 2) - Math.floor(before / 2);
    if (parents === 0) break;
    // Children of the new parents, left to right: the old frontier node first when `before` is odd.
    const pairs = new Uint8Array(parents * 2 * HASH_SIZE);
    if (before % 2 === 1) {
      pairs.set(old.get(level)!, 0);
      pairs.set(cur.subarray(0, (2 * parents - 1) * HASH_SIZE), HASH_SIZE);
    } else pairs.set(cur.subarray(0, 2 * parents * HASH_SIZE), 0);
    const next = new Uint8Array(parents * HASH_SIZE);
    hashPairs(pairs, parents, next);
    cur = next;
    before = Math.floor(before / 2);
    after = Math.floor(after / 2);
  }
  // The new frontier: for each set bit L of newSize, node (L, (newSize >> L) - 1), largest first.
  const hashes: Uint8Array[] = [];
  for (let level = 52; level >= 0; level--) {
    const count = Math.floor(newSize / 2 ** level);
    if (count % 2 === 0) continue;
    const index = count - 1;
    const run = runs[level];
    if (run !== undefined && index >= run.firstIndex) {
      const at = (index - run.firstIndex) * HASH_SIZE;
      hashes.push(run.hashes.slice(at, at + HASH_SIZE));
    } else hashes.push(old.get(level)!);
  }
  return ok({ frontier: Object.freeze({ size: newSize, hashes: Object.freeze(hashes) }), runs });
}

/** The tile writes of an append's runs: tree levels 0, 8, 16, … are stored, cut at tile edges. */
export function tileUpdatesOfRuns(runs: readonly LevelRun[]): TileUpdate[] {
  const updates: TileUpdate[] = [];
  for (const run of runs) {
    if (run.level % TILE_HEIGHT !== 0) continue;
    const level = run.level / TILE_HEIGHT;
    const count = run.hashes.length / HASH_SIZE;
    for (let k = 0; k < count; ) {
      const index = run.firstIndex + k;
      const offset = index % TILE_WIDTH;
      const take = Math.min(count - k, TILE_WIDTH - offset);
      updates.push({ tile: { level, index: Math.floor(index / TILE_WIDTH), width: offset + take }, offset, hashes: run.hashes.subarray(k * HASH_SIZE, (k + take) * HASH_SIZE) });
      k += take;
    }
  }
  return updates;
}
