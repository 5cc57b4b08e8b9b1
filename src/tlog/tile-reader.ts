// A HashReader over stored C2SP tiles: a node at tree level 8k is read as is from tile level k; a node at a
// level in between is recomputed from the 2..128 stored hashes under it, all in one tile. Pure: tiles come in
// through the TileReader port, and the reader must never answer for a node not complete at the tree size given.
import { HASH_SIZE, nodeHash } from './hash.js';
import { type HashReader, type NodeId, isComplete } from './nodes.js';
import { type TileId, tileAt, tileSlot } from './tiles.js';

/**
 * The port the store implements: the bytes of tile (level, index), or undefined when it has none. `tile.width`
 * is the width the tree size being served needs; a store that keeps only the newest, wider version of a
 * right-edge tile may return that, since hashes already in a tile never change.
 */
export type TileReader = (tile: TileId) => Uint8Array | undefined;

export const tileKey = (tile: { readonly level: number; readonly index: number }): string => `${tile.level}/${tile.index}`;

/** Reads node hashes of the tree of `size` leaves from its tiles; each tile is fetched at most once per reader. */
export function tileHashReader(size: number, readTile: TileReader): HashReader {
  const cache = new Map<string, Uint8Array | undefined>();
  const tileBytes = (tile: TileId): Uint8Array | undefined => {
    const key = tileKey(tile);
    if (!cache.has(key)) cache.set(key, readTile(tile));
    return cache.get(key);
  };
  return (level, index) => {
    const node = { level, index };
    if (!Number.isSafeInteger(level) || !Number.isSafeInteger(index) || level < 0 || index < 0 || !isComplete(node, size)) return undefined;
    const slot = tileSlot(node);
    const tile = tileAt(slot.level, slot.index, size);
    const bytes = tile === undefined ? undefined : tileBytes(tile);
    if (bytes === undefined || bytes.length % HASH_SIZE !== 0 || bytes.length < (slot.offset + slot.count) * HASH_SIZE) return undefined;
    let row: Uint8Array[] = [];
    for (let i = slot.offset; i < slot.offset + slot.count; i++) row.push(bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    while (row.length > 1) {
      const up: Uint8Array[] = [];
      for (let i = 0; i < row.length; i += 2) up.push(nodeHash(row[i] as Uint8Array, row[i + 1] as Uint8Array));
      row = up;
    }
    return row[0];
  };
}

/** The tiles (with their widths at `size`) that reading these nodes needs, for a store that fetches in one batch. */
export function tilesForNodes(nodes: readonly NodeId[], size: number): TileId[] {
  const tiles = new Map<string, TileId>();
  for (const node of nodes) {
    const slot = tileSlot(node);
    const tile = tileAt(slot.level, slot.index, size);
    if (tile !== undefined) tiles.set(tileKey(tile), tile);
  }
  return [...tiles.values()];
}
