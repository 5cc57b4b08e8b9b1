import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendLeaves, EMPTY_FRONTIER, type Frontier, frontierRoot } from './frontier.js';
import { appendLeafBlock, type PairHasher, pairHasher, tileUpdatesOfRuns } from './frontier-block.js';
import { hashesEqual } from './hash.js';
import { completeNodes, testLeaves } from './testing.js';
import { tileUpdates } from './tiles.js';
import { rootFromLeafHashes } from './tree.js';
import { sha256Batch } from '../native/sha256-batch.js';

const block = (leaves: readonly Uint8Array[]): Uint8Array => {
  const b = new Uint8Array(leaves.length * 32);
  leaves.forEach((l, i) => b.set(l, i * 32));
  return b;
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const nativePairs: PairHasher = (pairs, count, out) => sha256Batch.nodes(pairs, count, out);

describe('appendLeafBlock (level by level)', () => {
  for (const [name, hasher] of [
    ['nodeHash', pairHasher],
    ['the batch hasher', nativePairs],
  ] as const) {
    it(`gives appendLeaves' frontier, runs and tile writes for any batches (${name})`, () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 8 }), (batches) => {
          const total = batches.reduce((a, b) => a + b, 0);
          const leaves = testLeaves(total);
          const levels = completeNodes(leaves);
          let a: Frontier = EMPTY_FRONTIER;
          let b: Frontier = EMPTY_FRONTIER;
          let at = 0;
          for (const k of batches) {
            const slice = leaves.slice(at, at + k);
            const ra = appendLeaves(a, slice);
            const rb = appendLeafBlock(b, block(slice), hasher);
            if (!ra.ok || !rb.ok) throw new Error('append failed');
            expect(rb.value.frontier.size).toBe(ra.value.frontier.size);
            expect(rb.value.frontier.hashes.map(hex)).toEqual(ra.value.frontier.hashes.map(hex));
            // Every run holds exactly the nodes its level gained, with their real hashes.
            for (const run of rb.value.runs) {
              const n = run.hashes.length / 32;
              expect(run.firstIndex).toBe(Math.floor(at / 2 ** run.level));
              expect(n).toBe(Math.floor((at + k) / 2 ** run.level) - run.firstIndex);
              for (let i = 0; i < n; i++) expect(hex(run.hashes.subarray(i * 32, i * 32 + 32))).toBe(hex(levels[run.level]![run.firstIndex + i]!));
            }
            const want = tileUpdates(ra.value.completed).map((u) => ({ ...u, hashes: hex(u.hashes) }));
            expect(tileUpdatesOfRuns(rb.value.runs).map((u) => ({ ...u, hashes: hex(u.hashes) }))).toEqual(want);
            a = ra.value.frontier;
            b = rb.value.frontier;
            at += k;
          }
          expect(hashesEqual(frontierRoot(b), rootFromLeafHashes(leaves))).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('appends 70 000 leaves in one block to the same root (tile levels 0, 1 and 2 written)', () => {
    const leaves = testLeaves(70_000);
    const r = appendLeafBlock(EMPTY_FRONTIER, block(leaves), nativePairs);
    if (!r.ok) throw new Error(r.error.message);
    expect(hex(frontierRoot(r.value.frontier))).toBe(hex(rootFromLeafHashes(leaves)));
    expect(new Set(tileUpdatesOfRuns(r.value.runs).map((u) => u.tile.level))).toEqual(new Set([0, 1, 2]));
  });

  it('refuses a block that is not whole hashes', () => {
    const r = appendLeafBlock(EMPTY_FRONTIER, new Uint8Array(33));
    expect(r.ok).toBe(false);
  });
});
