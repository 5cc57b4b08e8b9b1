import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashesEqual } from './hash.js';
import { frontierNodes, rangeNodes } from './nodes.js';
import { memoryHashReader, testLeaves } from './testing.js';
import { rootFromLeafHashes, rootFromReader } from './tree.js';

const vectors = JSON.parse(readFileSync(new URL('./testdata/transparency-dev-merkle/rfc6962_reference_vectors.json', import.meta.url), 'utf8')) as {
  leaf_hashes_hex: string[];
  root_hashes_by_tree_size_hex: Record<string, string>;
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const leaves = vectors.leaf_hashes_hex.map((h) => new Uint8Array(Buffer.from(h, 'hex')));

describe('Merkle Tree Hash', () => {
  it.each(Object.entries(vectors.root_hashes_by_tree_size_hex))('is the reference root for size %s', (size, want) => {
    expect(hex(rootFromLeafHashes(leaves.slice(0, Number(size))))).toBe(want);
  });

  it.each(Object.entries(vectors.root_hashes_by_tree_size_hex))('reads the reference root for size %s from stored subtrees', (size, want) => {
    const root = rootFromReader(Number(size), memoryHashReader(leaves));
    expect(root.ok && hex(root.value)).toBe(want);
  });

  it('reads the root of every earlier size from the nodes of a larger tree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.nat(), (n, pick) => {
        const all = testLeaves(n);
        const size = pick % (n + 1);
        const root = rootFromReader(size, memoryHashReader(all));
        expect(root.ok && hashesEqual(root.value, rootFromLeafHashes(all.slice(0, size)))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('names the node a reader lacks, and refuses a size that is not a count', () => {
    const missing = rootFromReader(6, (level, index) => (level === 1 && index === 2 ? undefined : new Uint8Array(32)));
    expect(missing).toEqual({ ok: false, error: expect.objectContaining({ kind: 'missing-hash', node: { level: 1, index: 2 } }) });
    expect(rootFromReader(-1, () => undefined)).toMatchObject({ ok: false, error: { kind: 'bad-size' } });
    expect(rootFromReader(1.5, () => undefined)).toMatchObject({ ok: false, error: { kind: 'bad-size' } });
  });
});

describe('subtree ranges', () => {
  it('covers a size with one perfect subtree per set bit, largest first', () => {
    expect(frontierNodes(0)).toEqual([]);
    expect(frontierNodes(13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(frontierNodes(2 ** 40 + 3)).toEqual([
      { level: 40, index: 0 },
      { level: 1, index: 2 ** 39 },
      { level: 0, index: 2 ** 40 + 2 },
    ]);
  });

  it('covers any range exactly with aligned perfect subtrees', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e6 }), fc.nat({ max: 1e6 }), (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        let at = start;
        for (const node of rangeNodes(start, end)) {
          expect(node.index * 2 ** node.level).toBe(at);
          at += 2 ** node.level;
        }
        expect(at).toBe(end);
      }),
    );
  });
});
