import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROOF_ERRORS } from './proof-error.js';
import { verifyConsistency, verifyInclusion } from './proof-verify.js';

const dir = new URL('./testdata/transparency-dev-merkle/', import.meta.url);
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** Every probe file under a folder of transparency-dev's proofgen output, named by its path. */
function probes<T>(sub: string): [string, T][] {
  const out: [string, T][] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(new URL(rel, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${rel}${e.name}/`);
      else if (e.name.endsWith('.json')) out.push([`${rel}${e.name}`, JSON.parse(readFileSync(new URL(`${rel}${e.name}`, dir), 'utf8')) as T]);
    }
  };
  walk(sub);
  return out.sort(([a], [b]) => a.localeCompare(b));
}

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  wantErr: boolean;
}
interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  wantErr: boolean;
}

const inclusion = probes<InclusionProbe>('inclusion/');
const consistency = probes<ConsistencyProbe>('consistency/');

describe('transparency-dev inclusion probes', () => {
  it('has them all', () => expect(inclusion.length).toBe(98));

  it.each(inclusion)('%s', (_, p) => {
    const r = verifyInclusion(b64(p.leafHash), p.leafIdx, p.treeSize, (p.proof ?? []).map(b64), b64(p.root));
    expect(r.ok).toBe(!p.wantErr);
    if (!r.ok) expect(PROOF_ERRORS).toContain(r.error.kind);
  });
});

describe('transparency-dev consistency probes', () => {
  it('has them all', () => expect(consistency.length).toBe(98));

  it.each(consistency)('%s', (_, p) => {
    const r = verifyConsistency(p.size1, p.size2, (p.proof ?? []).map(b64), b64(p.root1), b64(p.root2));
    expect(r.ok).toBe(!p.wantErr);
    if (!r.ok) expect(PROOF_ERRORS).toContain(r.error.kind);
  });
});

describe('RFC 6962 reference proofs', () => {
  const v = JSON.parse(readFileSync(new URL('rfc6962_reference_vectors.json', dir), 'utf8')) as {
    inclusion_proofs: { leaf_index_0based: number; tree_size: number; leaf_hash: string; root: string; proof: string[] }[];
    consistency_proofs: { size1: number; size2: number; root1: string; root2: string; proof: string[] }[];
  };
  const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

  it.each(v.inclusion_proofs)('verifies inclusion of leaf $leaf_index_0based in size $tree_size', (p) => {
    expect(verifyInclusion(h(p.leaf_hash), p.leaf_index_0based, p.tree_size, p.proof.map(h), h(p.root))).toEqual({ ok: true, value: true });
  });

  it.each(v.consistency_proofs)('verifies consistency from size $size1 to $size2', (p) => {
    expect(verifyConsistency(p.size1, p.size2, p.proof.map(h), h(p.root1), h(p.root2))).toEqual({ ok: true, value: true });
  });

  it('says why a proof fails', () => {
    const p = v.consistency_proofs[2]; // 6 → 8
    const q = v.inclusion_proofs[2]; // leaf 5 of 8
    if (p === undefined || q === undefined) throw new Error('vectors missing');
    const kind = (r: { ok: boolean; error?: { kind: string } }) => (r.ok ? 'ok' : r.error?.kind);
    expect(kind(verifyConsistency(p.size1, p.size2, p.proof.map(h), h(p.root2), h(p.root2)))).toBe('old-root-mismatch');
    expect(kind(verifyConsistency(p.size1, p.size2, p.proof.map(h), h(p.root1), h(p.root1)))).toBe('root-mismatch');
    expect(kind(verifyConsistency(p.size1, p.size2, p.proof.slice(1).map(h), h(p.root1), h(p.root2)))).toBe('proof-length');
    expect(kind(verifyConsistency(p.size1, p.size2, [...p.proof, p.root1].map(h), h(p.root1), h(p.root2)))).toBe('proof-length');
    expect(kind(verifyConsistency(p.size2, p.size1, p.proof.map(h), h(p.root1), h(p.root2)))).toBe('sizes-out-of-order');
    expect(kind(verifyConsistency(0, p.size2, [], h(p.root1), h(p.root2)))).toBe('empty-tree');
    expect(kind(verifyConsistency(p.size1, p.size2, [...p.proof.slice(1).map(h), new Uint8Array(31)], h(p.root1), h(p.root2)))).toBe('hash-length');
    expect(kind(verifyInclusion(h(q.leaf_hash), q.leaf_index_0based, q.tree_size, q.proof.map(h), h(q.leaf_hash)))).toBe('root-mismatch');
    expect(kind(verifyInclusion(h(q.leaf_hash), 8, 8, q.proof.map(h), h(q.root)))).toBe('index-out-of-range');
    expect(kind(verifyInclusion(h(q.leaf_hash), q.leaf_index_0based, 2 ** 53, q.proof.map(h), h(q.root)))).toBe('bad-size');
    expect(kind(verifyInclusion(h(q.leaf_hash), q.leaf_index_0based, q.tree_size, q.proof.slice(1).map(h), h(q.root)))).toBe('proof-length');
  });
});

describe('hostile input', () => {
  const count = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.double(), fc.constantFrom(2 ** 53, 2 ** 64, Number.NaN, Infinity));
  const bytes = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }));

  it('never throws, always answers with a listed reason', () => {
    fc.assert(
      fc.property(count, count, fc.array(bytes, { maxLength: 12 }), bytes, bytes, (a, b, proof, x, y) => {
        for (const r of [verifyInclusion(x, a, b, proof, y), verifyConsistency(a, b, proof, x, y)]) {
          if (!r.ok) expect(PROOF_ERRORS).toContain(r.error.kind);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
