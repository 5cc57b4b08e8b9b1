// C2SP tlog-tiles coordinates: which tile holds which hash, tile and entry-bundle paths, partial tiles at the
// right edge, and which tiles an append rewrites. Pure arithmetic on sizes and indices: must never hash or store.
// Tile level k stores the hashes of tree level 8k; tree levels in between are recomputed from them (tile-reader.ts).
import { type Result, ok, err } from '../model/result.js';
import { HASH_SIZE } from './hash.js';
import type { NodeHash, NodeId } from './nodes.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT; // 256 hashes, 8192 bytes when full
/** The spec's bound on `<L>`; a tree of at most 2^53 leaves uses levels 0 to 6. */
export const MAX_TILE_LEVEL = 63;

/** A tile at tile level `level` (tree level 8·level), `index` within it, holding `width` hashes (256 = full). */
export interface TileId {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}

/** Where a tree node's hash lives: `count` consecutive stored hashes from `offset` in the tile, folded up. */
export interface TileSlot {
  readonly level: number; // tile level
  readonly index: number; // tile index
  readonly offset: number;
  readonly count: number; // 2^(tree level mod 8): 1 when the node's hash is stored as is
}

/** How many hashes tile level `level` holds for a tree of `size` leaves: the complete nodes at tree level 8·level. */
export const storedHashCount = (level: number, size: number): number => Math.floor(size / TILE_WIDTH ** level);

/** The width of tile (level, index) in a tree of this size: 256 when full, 1–255 when partial, 0 when it does not exist. */
export function tileWidth(level: number, index: number, size: number): number {
  const remaining = storedHashCount(level, size) - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, remaining));
}

/** The tile, with its width at this size, or undefined when the tree has no such tile yet. */
export function tileAt(level: number, index: number, size: number): TileId | undefined {
  const width = tileWidth(level, index, size);
  return width === 0 ? undefined : { level, index, width };
}

/** The tile that holds (or, for tree levels between multiples of 8, lets one recompute) node (level, index). */
export function tileSlot(node: NodeId): TileSlot {
  const level = Math.floor(node.level / TILE_HEIGHT);
  const count = 2 ** (node.level % TILE_HEIGHT);
  const first = node.index * count; // index of the node's leftmost descendant at tree level 8·level
  return { level, index: Math.floor(first / TILE_WIDTH), offset: first % TILE_WIDTH, count };
}

/** The partial tiles at the right edge of a tree of this size (at most one per level), lowest level first. */
export function partialTiles(size: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0; storedHashCount(level, size) > 0; level++) {
    const width = storedHashCount(level, size) % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(storedHashCount(level, size) / TILE_WIDTH), width });
  }
  return tiles;
}

/** Every tile that growing the tree from oldSize to newSize writes to, with its width at newSize, lowest level first. */
export function tilesRewrittenByAppend(oldSize: number, newSize: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0; storedHashCount(level, newSize) > 0; level++) {
    const before = storedHashCount(level, oldSize);
    const after = storedHashCount(level, newSize);
    if (after <= before) continue;
    for (let index = Math.floor(before / TILE_WIDTH); index <= Math.floor((after - 1) / TILE_WIDTH); index++) {
      tiles.push({ level, index, width: tileWidth(level, index, newSize) });
    }
  }
  return tiles;
}

/** New hashes for one tile: write `hashes` (whole 32-byte hashes) at slot `offset`; the tile is then `tile.width` wide. */
export interface TileUpdate {
  readonly tile: TileId;
  readonly offset: number;
  readonly hashes: Uint8Array;
}

/**
 * Groups the nodes an append completed (frontier.ts `completed`) into tile writes: the ones at tree levels
 * 0, 8, 16, … are the stored hashes; the rest are dropped, as tiles recompute them.
 */
export function tileUpdates(completed: readonly NodeHash[]): TileUpdate[] {
  const groups = new Map<string, NodeHash[]>();
  for (const node of completed) {
    if (node.level % TILE_HEIGHT !== 0) continue;
    const slot = tileSlot(node);
    const key = `${slot.level}/${slot.index}`;
    const group = groups.get(key) ?? [];
    group.push(node);
    groups.set(key, group);
  }
  const updates: TileUpdate[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.index - b.index);
    const first = tileSlot(group[0] as NodeHash);
    const hashes = new Uint8Array(HASH_SIZE * group.length);
    group.forEach((n, i) => hashes.set(n.hash, HASH_SIZE * i));
    updates.push({ tile: { level: first.level, index: first.index, width: first.offset + group.length }, offset: first.offset, hashes });
  }
  return updates.sort((a, b) => a.tile.level - b.tile.level || a.tile.index - b.tile.index);
}

/** `<N>` of a tile path: zero-padded 3-digit elements, all but the last prefixed with x (1234067 → x001/x234/067). */
export function formatTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

const widthSuffix = (width: number): string => (width < TILE_WIDTH ? `.p/${width}` : '');

/** `tile/<L>/<N>[.p/<W>]` */
export const tilePath = (tile: TileId): string => `tile/${tile.level}/${formatTileIndex(tile.index)}${widthSuffix(tile.width)}`;

/** `tile/entries/<N>[.p/<W>]`: the entries whose leaf hashes are level-0 tile N. */
export const entryBundlePath = (index: number, width: number): string => `tile/entries/${formatTileIndex(index)}${widthSuffix(width)}`;

export type TilePath =
  | { readonly kind: 'hashes'; readonly tile: TileId }
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

export const TILE_PATH_ERRORS = ['not-a-tile-path', 'bad-level', 'bad-index', 'bad-width'] as const;
export interface TilePathError {
  readonly kind: (typeof TILE_PATH_ERRORS)[number];
  readonly message: string;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const PATH = /^tile\/(entries|[^/]+)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([^/]+))?$/;

/** Reads a tile or entry-bundle path back, strictly (no leading zeros, no empty or full-width `.p`). */
export function parseTilePath(path: string): Result<TilePath, TilePathError> {
  const m = PATH.exec(path);
  if (m === null) return err({ kind: 'not-a-tile-path', message: `${JSON.stringify(path)} is not tile/<L>/<N>[.p/<W>]` });
  const [, levelText = '', indexText = '', widthText] = m;
  const index = Number(indexText.replaceAll('x', '').replaceAll('/', ''));
  if (!Number.isSafeInteger(index) || (indexText.includes('/') && indexText.startsWith('x000'))) {
    return err({ kind: 'bad-index', message: `tile index ${indexText} is not in canonical form` });
  }
  let width: number = TILE_WIDTH;
  if (widthText !== undefined) {
    width = Number(widthText);
    if (!DECIMAL.test(widthText) || width < 1 || width >= TILE_WIDTH) return err({ kind: 'bad-width', message: `partial width ${widthText} is not 1–255` });
  }
  if (levelText === 'entries') return ok({ kind: 'entries', index, width });
  const level = Number(levelText);
  if (!DECIMAL.test(levelText) || level > MAX_TILE_LEVEL) return err({ kind: 'bad-level', message: `tile level ${levelText} is not 0–63` });
  return ok({ kind: 'hashes', tile: { level, index, width } });
}
