import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashesEqual } from './hash.js';
import { completeNodes, memoryTileStore, referenceConsistency, referencePath, testLeaves } from './testing.js';
import { consistencyPlan, consistencyProof, inclusionPlan, inclusionProof, planNodes } from './proofs.js';
import { tileHashReader, tileKey, tilesForNodes } from './tile-reader.js';
import type { TileId } from './tiles.js';
import { frontierFromReader, frontierRoot } from './frontier.js';
import { rootFromLeafHashes, rootFromReader } from './tree.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hexes = (proof: readonly Uint8Array[]) => proof.map(hex);
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const batches = fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 });

describe('hashes read from tiles', () => {
  it('are every complete node of the tree, and nothing beyond it', () => {
    fc.assert(
      fc.property(batches, fc.nat(), (bs, pick) => {
        const n = bs.reduce((a, b) => a + b, 0);
        const leaves = testLeaves(n);
        const { readTile } = memoryTileStore(leaves, bs);
        const size = 1 + (pick % n); // an older checkpoint served from the newer, wider tiles
        const read = tileHashReader(size, readTile);
        const levels = completeNodes(leaves.slice(0, size));
        levels.forEach((row, level) => row.forEach((h, index) => expect(hashesEqual(read(level, index) ?? new Uint8Array(), h)).toBe(true)));
        levels.forEach((row, level) => expect(read(level, row.length)).toBeUndefined());
        expect(read(-1, 0)).toBeUndefined();
        expect(read(0, 0.5)).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });

  it('give the same proofs as the recursive definitions, for random sizes up to 2000', () => {
    fc.assert(
      fc.property(batches, fc.nat(), fc.nat(), (bs, a, b) => {
        const leaves = testLeaves(bs.reduce((x, y) => x + y, 0));
        const { readTile } = memoryTileStore(leaves, bs);
        const size2 = 1 + (a % leaves.length);
        const size1 = 1 + (b % size2);
        const read = tileHashReader(size2, readTile);
        const tree = leaves.slice(0, size2);
        expect(hexes(unwrap(inclusionProof(size1 - 1, size2, read)))).toEqual(hexes(referencePath(size1 - 1, tree)));
        expect(hexes(unwrap(consistencyProof(size1, size2, read)))).toEqual(hexes(referenceConsistency(size1, tree)));
        expect(hex(unwrap(rootFromReader(size2, read)))).toBe(hex(rootFromLeafHashes(tree)));
        expect(hex(frontierRoot(unwrap(frontierFromReader(size2, read))))).toBe(hex(rootFromLeafHashes(tree)));
      }),
      { numRuns: 60 },
    );
  });

  it('come from exactly the tiles tilesForNodes names, each fetched once', () => {
    fc.assert(
      fc.property(batches, fc.nat(), fc.nat(), (bs, a, b) => {
        const leaves = testLeaves(bs.reduce((x, y) => x + y, 0));
        const store = memoryTileStore(leaves, bs);
        const size2 = 1 + (a % leaves.length);
        const size1 = 1 + (b % size2);
        const fetched: TileId[] = [];
        const read = tileHashReader(size2, (tile) => {
          fetched.push(tile);
          return store.readTile(tile);
        });
        const plans = [unwrap(inclusionPlan(size1 - 1, size2)), unwrap(consistencyPlan(size1, size2))];
        const want = tilesForNodes(plans.flatMap(planNodes), size2);
        unwrap(inclusionProof(size1 - 1, size2, read));
        unwrap(consistencyProof(size1, size2, read));
        expect(new Set(fetched.map(tileKey)).size).toBe(fetched.length);
        expect(fetched.map(tileKey).sort()).toEqual(want.map(tileKey).sort());
      }),
      { numRuns: 40 },
    );
  });

  it('are missing, not invented, when a tile is absent or too short', () => {
    const leaves = testLeaves(600);
    const { readTile } = memoryTileStore(leaves);
    const noLevel1 = tileHashReader(600, (t) => (t.level === 1 ? undefined : readTile(t)));
    expect(noLevel1(8, 0)).toBeUndefined();
    expect(noLevel1(7, 0)).toBeDefined();
    const short = tileHashReader(600, (t) => readTile(t)?.subarray(0, 32 * 10));
    expect(short(0, 9)).toBeDefined();
    expect(short(0, 10)).toBeUndefined();
    expect(inclusionProof(300, 600, short)).toMatchObject({ ok: false, error: { kind: 'missing-hash' } });
    const torn = tileHashReader(600, (t) => readTile(t)?.subarray(0, 33));
    expect(torn(0, 0)).toBeUndefined();
  });
});
