import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendLeaves, EMPTY_FRONTIER } from './frontier.js';
import { verifyInclusion } from './proof-verify.js';
import { inclusionProof } from './proofs.js';
import { completeNodes, memoryTileStore, testLeaves } from './testing.js';
import { tileHashReader } from './tile-reader.js';
import { rootFromLeafHashes } from './tree.js';
import {
  type TileId,
  entryBundlePath,
  formatTileIndex,
  parseTilePath,
  partialTiles,
  tileAt,
  tilePath,
  tileSlot,
  tileUpdates,
  tileWidth,
  tilesRewrittenByAppend,
} from './tiles.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('C2SP tlog-tiles paths', () => {
  it('writes <N> as the spec does: index 1234067 is x001/x234/067', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(7)).toBe('007');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
    expect(formatTileIndex(2 ** 45)).toBe('x035/x184/x372/x088/832');
  });

  it('writes tile and entry-bundle paths, with .p/<W> only for partial tiles', () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 1, index: 1234067, width: 112 })).toBe('tile/1/x001/x234/067.p/112');
    expect(tilePath({ level: 2, index: 0, width: 1 })).toBe('tile/2/000.p/1');
    expect(entryBundlePath(1234067, 256)).toBe('tile/entries/x001/x234/067');
    expect(entryBundlePath(273, 112)).toBe('tile/entries/273.p/112');
  });

  it('reads back every path it writes', () => {
    const tile = fc.record({ level: fc.integer({ min: 0, max: 63 }), index: fc.maxSafeInteger().map((n) => Math.abs(n)), width: fc.integer({ min: 1, max: 256 }) });
    fc.assert(
      fc.property(tile, (t: TileId) => {
        expect(parseTilePath(tilePath(t))).toEqual({ ok: true, value: { kind: 'hashes', tile: t } });
        expect(parseTilePath(entryBundlePath(t.index, t.width))).toEqual({ ok: true, value: { kind: 'entries', index: t.index, width: t.width } });
      }),
    );
  });

  it.each([
    ['tile/0/1', 'not-a-tile-path'],
    ['tile/0/x1/000', 'not-a-tile-path'],
    ['tile/0/000/', 'not-a-tile-path'],
    ['tile/0/001.p/', 'not-a-tile-path'],
    ['/tile/0/000', 'not-a-tile-path'],
    ['tile/0/x000/001', 'bad-index'],
    ['tile/01/000', 'bad-level'],
    ['tile/64/000', 'bad-level'],
    ['tile/-1/000', 'bad-level'],
    ['tile/0/000.p/0', 'bad-width'],
    ['tile/0/000.p/256', 'bad-width'],
    ['tile/0/000.p/07', 'bad-width'],
    ['tile/entries/000.p/300', 'bad-width'],
  ])('refuses %s (%s)', (path, kind) => {
    expect(parseTilePath(path)).toMatchObject({ ok: false, error: { kind } });
  });
});

describe('C2SP tlog-tiles layout', () => {
  it('lays out the spec example of size 70,000: 273 full level-0 tiles, partial widths 112, 17 and 1', () => {
    const size = 70000;
    expect(tileWidth(0, 272, size)).toBe(256);
    expect(tileAt(0, 274, size)).toBeUndefined();
    expect(tileWidth(1, 0, size)).toBe(256);
    expect(partialTiles(size)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  it('lays out size 256 as one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tileAt(0, 0, 256)).toEqual({ level: 0, index: 0, width: 256 });
    expect(partialTiles(256)).toEqual([{ level: 1, index: 0, width: 1 }]);
    expect(partialTiles(0)).toEqual([]);
  });

  it('finds the tile holding a node, and the run of stored hashes below an in-between level', () => {
    expect(tileSlot({ level: 0, index: 70000 })).toEqual({ level: 0, index: 273, offset: 112, count: 1 });
    expect(tileSlot({ level: 8, index: 273 })).toEqual({ level: 1, index: 1, offset: 17, count: 1 });
    expect(tileSlot({ level: 3, index: 33 })).toEqual({ level: 0, index: 1, offset: 8, count: 8 });
    expect(tileSlot({ level: 15, index: 1 })).toEqual({ level: 1, index: 0, offset: 128, count: 128 });
  });

  it('rewrites exactly the tiles whose width an append changes', () => {
    const start = fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 2 ** 26 }));
    const grow = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 70000 }));
    fc.assert(
      fc.property(start, grow, (before, added) => {
        const after = before + added;
        const want: TileId[] = [];
        for (let level = 0; level < 5; level++) {
          const first = Math.floor(before / 256 ** (level + 1)); // tiles left of this one are full in both
          for (let index = first; tileWidth(level, index, after) > 0; index++) {
            if (tileWidth(level, index, after) !== tileWidth(level, index, before)) want.push({ level, index, width: tileWidth(level, index, after) });
          }
        }
        expect(tilesRewrittenByAppend(before, after)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('fills tiles with the level 0, 8, 16 hashes, whatever the batches', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }), (batches) => {
        const n = batches.reduce((x, y) => x + y, 0);
        const leaves = testLeaves(n);
        const { tiles } = memoryTileStore(leaves, batches);
        const levels = completeNodes(leaves);
        const want = new Map<string, string>();
        for (const tileLevel of [0, 1]) {
          const row = levels[8 * tileLevel] ?? [];
          for (let index = 0; index * 256 < row.length; index++) want.set(`${tileLevel}/${index}`, row.slice(index * 256, index * 256 + 256).map(hex).join(''));
        }
        expect(new Map([...tiles].map(([k, v]) => [k, hex(v)]))).toEqual(want);
      }),
      { numRuns: 30 },
    );
  });

  it('groups an append into one write per rewritten tile, at the slot after the old width', () => {
    const leaves = testLeaves(70000);
    const first = appendLeaves(EMPTY_FRONTIER, leaves.slice(0, 65530));
    if (!first.ok) throw new Error(first.error.message);
    const second = appendLeaves(first.value.frontier, leaves.slice(65530));
    if (!second.ok) throw new Error(second.error.message);
    const updates = tileUpdates(second.value.completed);
    expect(updates.map((u) => u.tile)).toEqual(tilesRewrittenByAppend(65530, 70000));
    expect(updates.map((u) => [u.offset, u.hashes.length / 32])).toEqual([
      [250, 6], // level 0 tile 255: 65530 % 256 = 250, filled to 256
      ...Array.from({ length: 17 }, () => [0, 256]), // level 0 tiles 256..272
      [0, 112], // level 0 tile 273 (partial)
      [255, 1], // level 1 tile 0 completes with its 256th hash
      [0, 17], // level 1 tile 1 (partial)
      [0, 1], // level 2 tile 0: the first level-16 hash
    ]);
    expect(hex(updates.at(-1)?.hashes ?? new Uint8Array())).toBe(hex(rootFromLeafHashes(leaves.slice(0, 65536))));

    // The same tiles, written by a store, serve hashes at and between levels 8 and 16, and proofs that verify.
    const { readTile } = memoryTileStore(leaves, [65530]);
    const read = tileHashReader(70000, readTile);
    expect(hex(read(16, 0) ?? new Uint8Array())).toBe(hex(rootFromLeafHashes(leaves.slice(0, 65536))));
    expect(hex(read(15, 1) ?? new Uint8Array())).toBe(hex(rootFromLeafHashes(leaves.slice(32768, 65536))));
    const root = rootFromLeafHashes(leaves);
    for (const index of [0, 65535, 65536, 69999]) {
      const proof = inclusionProof(index, 70000, read);
      expect(proof.ok && verifyInclusion(leaves[index] as Uint8Array, index, 70000, proof.value, root).ok).toBe(true);
    }
  });
});
