// Test helpers: the RFC 9162 §2.1 recursive definitions (PATH, PROOF) written straight from the text over a
// whole leaf list, and in-memory stores (every complete node; C2SP tiles). For tests and tools that hold every
// leaf; must never be used by the server to answer a proof, which reads O(log n) stored hashes instead.
import { splitPoint } from './bits.js';
import { leafHash, nodeHash } from './hash.js';
import { appendLeaves, EMPTY_FRONTIER } from './frontier.js';
import type { HashReader } from './nodes.js';
import { tileKey, type TileReader } from './tile-reader.js';
import { tileUpdates } from './tiles.js';
import { rootFromLeafHashes } from './tree.js';

const mth = (d: readonly Uint8Array[]): Uint8Array => rootFromLeafHashes(d);

/** PATH(m, D[n]), the audit path of leaf m. */
export function referencePath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  const n = d.length;
  if (n <= 1) return [];
  const k = splitPoint(n);
  return m < k ? [...referencePath(m, d.slice(0, k)), mth(d.slice(k))] : [...referencePath(m - k, d.slice(k)), mth(d.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n. */
export const referenceConsistency = (m: number, d: readonly Uint8Array[]): Uint8Array[] => subproof(m, d, true);

function subproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [mth(d)];
  const k = splitPoint(n);
  return m <= k ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))] : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

/** n distinct leaf hashes: leaf i hashes the 4 bytes of i, so any two test trees share their common prefix. */
export function testLeaves(n: number, salt = 0): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < n; i++) leaves.push(leafHash(Uint8Array.of(salt, i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255)));
  return leaves;
}

/** Every complete node of the tree over these leaves, level by level: the dumbest possible store. */
export function completeNodes(leaves: readonly Uint8Array[]): Uint8Array[][] {
  const levels: Uint8Array[][] = [leaves.slice()];
  for (let row = leaves; row.length > 1; ) {
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < row.length; i += 2) up.push(nodeHash(row[i] as Uint8Array, row[i + 1] as Uint8Array));
    levels.push(up);
    row = up;
  }
  return levels;
}

export function memoryHashReader(leaves: readonly Uint8Array[]): HashReader {
  const levels = completeNodes(leaves);
  return (level, index) => levels[level]?.[index];
}

/**
 * A tile store filled the way the appender will fill one: leaves appended in batches of the given sizes, each
 * batch's tileUpdates written into the right-edge tiles. Returns the reader and the number of writes per tile.
 */
export function memoryTileStore(leaves: readonly Uint8Array[], batches: readonly number[] = [leaves.length]): { readTile: TileReader; tiles: Map<string, Uint8Array> } {
  const tiles = new Map<string, Uint8Array>();
  let frontier = EMPTY_FRONTIER;
  let at = 0;
  for (const batch of [...batches, leaves.length]) {
    const take = Math.min(batch, leaves.length - at);
    if (take <= 0) continue;
    const appended = appendLeaves(frontier, leaves.slice(at, at + take));
    if (!appended.ok) throw new Error(appended.error.message);
    frontier = appended.value.frontier;
    at += take;
    for (const u of tileUpdates(appended.value.completed)) {
      const key = tileKey(u.tile);
      const old = tiles.get(key) ?? new Uint8Array(0);
      if (old.length !== u.offset * 32) throw new Error(`tile ${key} has ${old.length / 32} hashes, update writes at ${u.offset}`);
      const next = new Uint8Array(old.length + u.hashes.length);
      next.set(old);
      next.set(u.hashes, old.length);
      tiles.set(key, next);
    }
  }
  return { readTile: (tile) => tiles.get(tileKey(tile)), tiles };
}
