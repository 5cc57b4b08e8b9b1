import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readerFromNodes } from './nodes.js';
import { verifyConsistency, verifyInclusion } from './proof-verify.js';
import { assembleProof, consistencyPlan, consistencyProof, inclusionPlan, inclusionProof, planNodes } from './proofs.js';
import { completeNodes, memoryHashReader, referenceConsistency, referencePath, testLeaves } from './testing.js';
import { rootFromLeafHashes } from './tree.js';

interface RefVectors {
  leaf_hashes_hex: string[];
  inclusion_proofs: { leaf_index_0based: number; tree_size: number; proof: string[] }[];
  consistency_proofs: { size1: number; size2: number; proof: string[] }[];
}
const vectors = JSON.parse(readFileSync(new URL('./testdata/transparency-dev-merkle/rfc6962_reference_vectors.json', import.meta.url), 'utf8')) as RefVectors;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const refLeaves = vectors.leaf_hashes_hex.map((h) => new Uint8Array(Buffer.from(h, 'hex')));

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const flip = (proof: readonly Uint8Array[], at: number, bit: number): Uint8Array[] =>
  proof.map((h, i) => {
    if (i !== at) return h;
    const copy = h.slice();
    copy[bit % 32] = (copy[bit % 32] ?? 0) ^ (1 << bit % 8);
    return copy;
  });
const hexes = (proof: readonly Uint8Array[]) => proof.map(hex);

describe('proof generation against the RFC 6962 reference vectors', () => {
  // The reader holds only the 8-leaf tree's complete nodes, so a smaller tree's proof must not read past its size.
  const read = memoryHashReader(refLeaves);

  it.each(vectors.inclusion_proofs)('inclusion of leaf $leaf_index_0based in size $tree_size', (v) => {
    expect(hexes(unwrap(inclusionProof(v.leaf_index_0based, v.tree_size, read)))).toEqual(v.proof);
  });

  it.each(vectors.consistency_proofs)('consistency from size $size1 to $size2', (v) => {
    expect(hexes(unwrap(consistencyProof(v.size1, v.size2, read)))).toEqual(v.proof);
  });
});

describe('proof generation against the recursive definitions (random sizes up to 2000)', () => {
  const size = fc.integer({ min: 1, max: 2000 });

  it('makes every inclusion proof verify, and fail once a byte of it is flipped', () => {
    fc.assert(
      fc.property(size, fc.nat(), (n, seed) => {
        const leaves = testLeaves(n);
        const read = memoryHashReader(leaves);
        const root = rootFromLeafHashes(leaves);
        for (let index = 0; index < n; index++) {
          const proof = unwrap(inclusionProof(index, n, read));
          expect(verifyInclusion(leaves[index] as Uint8Array, index, n, proof, root)).toEqual({ ok: true, value: true });
          if (proof.length > 0) {
            const bad = flip(proof, (seed + index) % proof.length, seed + index);
            expect(verifyInclusion(leaves[index] as Uint8Array, index, n, bad, root).ok).toBe(false);
          }
        }
        const sample = seed % n;
        expect(hexes(unwrap(inclusionProof(sample, n, read)))).toEqual(hexes(referencePath(sample, leaves)));
      }),
      { numRuns: 12 },
    );
  });

  it('equals PATH(m, D[n]) for random leaves of random trees', () => {
    fc.assert(
      fc.property(size, fc.nat(), (n, pick) => {
        const leaves = testLeaves(n);
        const index = pick % n;
        expect(hexes(unwrap(inclusionProof(index, n, memoryHashReader(leaves))))).toEqual(hexes(referencePath(index, leaves)));
      }),
      { numRuns: 60 },
    );
  });

  it('makes every consistency proof between random m <= n equal PROOF(m, D[n]) and verify, and fail on a wrong root', () => {
    fc.assert(
      fc.property(size, fc.nat(), fc.nat(), (n, pick, seed) => {
        const leaves = testLeaves(n);
        const m = 1 + (pick % n);
        const root1 = rootFromLeafHashes(leaves.slice(0, m));
        const root2 = rootFromLeafHashes(leaves);
        const proof = unwrap(consistencyProof(m, n, memoryHashReader(leaves)));
        expect(hexes(proof)).toEqual(hexes(referenceConsistency(m, leaves)));
        expect(verifyConsistency(m, n, proof, root1, root2)).toEqual({ ok: true, value: true });
        // A forked log: the same first m leaves, then different ones.
        const forked = rootFromLeafHashes([...leaves.slice(0, m), ...testLeaves(n - m, 1)]);
        if (m < n) expect(verifyConsistency(m, n, proof, root1, forked)).toMatchObject({ ok: false, error: { kind: 'root-mismatch' } });
        const otherOld = rootFromLeafHashes(testLeaves(m, 2));
        expect(verifyConsistency(m, n, proof, otherOld, root2).ok).toBe(false);
        if (proof.length > 0) expect(verifyConsistency(m, n, flip(proof, seed % proof.length, seed), root1, root2).ok).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('reads only complete nodes of the requested size, so a larger store serves an older tree', () => {
    fc.assert(
      fc.property(size, fc.nat(), fc.nat(), (n, a, b) => {
        const size2 = 1 + (a % n);
        const size1 = 1 + (b % size2);
        for (const plan of [inclusionPlan(size1 - 1, size2), consistencyPlan(size1, size2)]) {
          for (const node of planNodes(unwrap(plan))) expect((node.index + 1) * 2 ** node.level).toBeLessThanOrEqual(size2);
        }
      }),
    );
  });
});

describe('proof plans for stores that read in one batch', () => {
  it('assembles the same proof from a batch of fetched nodes, reading O(log n) of them', () => {
    const leaves = testLeaves(1000);
    const levels = completeNodes(leaves);
    const plan = unwrap(consistencyPlan(300, 1000));
    const nodes = planNodes(plan);
    expect(nodes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1000)));
    const fetched = nodes.map((n) => ({ ...n, hash: levels[n.level]?.[n.index] ?? new Uint8Array() }));
    const proof = unwrap(assembleProof(plan, readerFromNodes(fetched)));
    expect(hexes(proof)).toEqual(hexes(referenceConsistency(300, leaves)));
  });

  it('names the first node the store lacks', () => {
    const r = inclusionProof(5, 8, (level, index) => (level === 1 && index === 3 ? undefined : new Uint8Array(32)));
    expect(r).toMatchObject({ ok: false, error: { kind: 'missing-hash', node: { level: 1, index: 3 } } });
  });

  it('refuses impossible requests with a typed reason', () => {
    const kind = (r: { ok: boolean; error?: { kind: string } }) => (r.ok ? 'ok' : r.error?.kind);
    const none = () => undefined;
    expect(kind(inclusionProof(3, 3, none))).toBe('index-out-of-range');
    expect(kind(inclusionProof(0, 0, none))).toBe('index-out-of-range');
    expect(kind(inclusionProof(-1, 3, none))).toBe('bad-size');
    expect(kind(inclusionProof(0, Number.NaN, none))).toBe('bad-size');
    expect(kind(consistencyProof(4, 3, none))).toBe('sizes-out-of-order');
    expect(kind(consistencyProof(0, 3, none))).toBe('empty-tree');
    expect(kind(consistencyProof(2 ** 60, 2 ** 61, none))).toBe('bad-size');
    expect(consistencyProof(5, 5, none)).toEqual({ ok: true, value: [] });
    expect(inclusionProof(0, 1, none)).toEqual({ ok: true, value: [] });
  });

  it('plans proofs for trees far beyond 2^32 leaves without 32-bit truncation', () => {
    const size = 2 ** 45 + 12345;
    const plan = unwrap(inclusionPlan(2 ** 44 + 7, size));
    // The leaf plus every subtree the path names must cover the whole tree exactly once.
    let covered = 1;
    for (const entry of plan) for (const node of entry) covered += 2 ** node.level;
    expect(covered).toBe(size);
    expect(plan.length).toBe(46);
  });
});
