import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendLeaves, decodeFrontier, EMPTY_FRONTIER, encodeFrontier, type Frontier, frontierFromHashes, frontierFromReader, frontierRoot } from './frontier.js';
import { emptyRoot, hashesEqual } from './hash.js';
import { isComplete } from './nodes.js';
import { completeNodes, memoryHashReader, testLeaves } from './testing.js';
import { rootFromLeafHashes } from './tree.js';

function appendAll(frontier: Frontier, leaves: readonly Uint8Array[]) {
  const r = appendLeaves(frontier, leaves);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('frontier (compact range [0, size))', () => {
  it('has the recursive root after every single append, up to 300 leaves', () => {
    const leaves = testLeaves(300);
    let frontier = EMPTY_FRONTIER;
    expect(frontierRoot(frontier)).toEqual(emptyRoot());
    for (let n = 1; n <= leaves.length; n++) {
      frontier = appendAll(frontier, leaves.slice(n - 1, n)).frontier;
      expect(frontier.size).toBe(n);
      expect(hashesEqual(frontierRoot(frontier), rootFromLeafHashes(leaves.slice(0, n)))).toBe(true);
    }
  });

  it('gives the recursive root whatever the batches, for random sizes up to 2000', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const leaves = testLeaves(Math.min(2000, batches.reduce((a, b) => a + b, 0)));
        let frontier = EMPTY_FRONTIER;
        let at = 0;
        for (const b of batches) {
          const take = leaves.slice(at, at + b);
          frontier = appendAll(frontier, take).frontier;
          at += take.length;
          expect(hashesEqual(frontierRoot(frontier), rootFromLeafHashes(leaves.slice(0, at)))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reports exactly the nodes each batch completed, with their hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 700 }), (before, added) => {
        const leaves = testLeaves(before + added);
        const old = appendAll(EMPTY_FRONTIER, leaves.slice(0, before)).frontier;
        const { completed } = appendAll(old, leaves.slice(before));
        const levels = completeNodes(leaves);
        const want = levels.flatMap((row, level) =>
          row.map((_, index) => ({ level, index })).filter((n) => isComplete(n, before + added) && !isComplete(n, before)),
        );
        const key = (n: { level: number; index: number }) => `${n.level}/${n.index}`;
        expect(completed.map(key).sort()).toEqual(want.map(key).sort());
        for (const n of completed) expect(hashesEqual(n.hash, levels[n.level]?.[n.index] ?? new Uint8Array())).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('never changes the frontier it appended to (a rolled-back batch leaves it as it was)', () => {
    const leaves = testLeaves(7);
    const old = appendAll(EMPTY_FRONTIER, leaves.slice(0, 5)).frontier;
    const copy = encodeFrontier(old);
    appendAll(old, leaves.slice(5));
    expect(encodeFrontier(old)).toEqual(copy);
    expect(Object.isFrozen(old.hashes)).toBe(true);
  });

  it('round-trips through its persisted bytes and is rebuilt from stored subtree hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), (n) => {
        const leaves = testLeaves(n);
        const frontier = appendAll(EMPTY_FRONTIER, leaves).frontier;
        const bytes = encodeFrontier(frontier);
        expect(bytes.length).toBe(9 + 32 * frontier.hashes.length);
        expect(decodeFrontier(bytes)).toEqual({ ok: true, value: frontier });
        expect(frontierFromReader(n, memoryHashReader(leaves))).toEqual({ ok: true, value: frontier });
      }),
      { numRuns: 40 },
    );
  });

  it('refuses persisted bytes that do not describe a frontier', () => {
    const frontier = appendAll(EMPTY_FRONTIER, testLeaves(6)).frontier; // 6 = 0b110: two hashes
    const bytes = encodeFrontier(frontier);
    const kind = (b: Uint8Array) => {
      const r = decodeFrontier(b);
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(kind(new Uint8Array(0))).toBe('bad-encoding');
    expect(kind(Uint8Array.of(2, ...bytes.subarray(1)))).toBe('bad-encoding'); // unknown version
    expect(kind(bytes.subarray(0, bytes.length - 1))).toBe('bad-encoding'); // torn hash
    expect(kind(bytes.subarray(0, bytes.length - 32))).toBe('bad-encoding'); // one hash short for size 6
    const huge = bytes.slice();
    huge.fill(0xff, 1, 9);
    expect(kind(huge)).toBe('bad-encoding');
    expect(frontierFromHashes(6, [new Uint8Array(32), new Uint8Array(31)])).toMatchObject({ ok: false, error: { kind: 'hash-length' } });
  });

  it('refuses a leaf hash that is not 32 bytes, appending nothing', () => {
    const r = appendLeaves(EMPTY_FRONTIER, [...testLeaves(2), new Uint8Array(31)]);
    expect(r).toMatchObject({ ok: false, error: { kind: 'hash-length' } });
  });
});
