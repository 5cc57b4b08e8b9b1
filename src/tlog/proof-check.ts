// Inclusion and consistency proof verification (RFC 9162 §2.1.3.2, §2.1.4.2): what a witness, an auditor's
// `verify` or the web UI runs against hashes it was sent. Pure and isomorphic: the interior-node hash is
// given (node:crypto on the server, tlog/proof-verify.ts; a browser SHA-256 in web/src/witness.ts), so
// this file imports nothing of node. It must never throw on hostile input, and it answers with a typed
// reason (proof-error.ts) rather than a bare false.
import { type Result, ok } from '../model/result.js';
import { isCount, isPowerOfTwo } from './bits.js';
import { type ProofError, proofError } from './proof-error.js';

const VERIFIED = ok(true as const);
const HASH_SIZE = 32;

/** SHA-256(0x01 ‖ left ‖ right), however the caller computes it. */
export type NodeHash = (left: Uint8Array, right: Uint8Array) => Uint8Array;

const hashesEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
};

const badCount = (name: string, n: number) => proofError('bad-size', `${name} ${n} is not a non-negative safe integer`);
const odd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

function badHashLength(named: Readonly<Record<string, Uint8Array>>, proof: readonly Uint8Array[]) {
  for (const [name, h] of Object.entries(named)) {
    if (h.length !== HASH_SIZE) return proofError('hash-length', `${name} is ${h.length} bytes, not ${HASH_SIZE}`);
  }
  const i = proof.findIndex((h) => h.length !== HASH_SIZE);
  return i < 0 ? undefined : proofError('hash-length', `proof hash ${i} is ${proof[i]?.length} bytes, not ${HASH_SIZE}`);
}

/** The two verifiers over the given interior-node hash. */
export const proofVerifier = (nodeHash: NodeHash) => {
  /** Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`. */
  function verifyInclusion(
    leafHash: Uint8Array,
    index: number,
    size: number,
    proof: readonly Uint8Array[],
    root: Uint8Array,
  ): Result<true, ProofError> {
    if (!isCount(index)) return badCount('leaf index', index);
    if (!isCount(size)) return badCount('tree size', size);
    if (index >= size) return proofError('index-out-of-range', `leaf index ${index} is not in a tree of size ${size}`);
    const bad = badHashLength({ 'leaf hash': leafHash, root }, proof);
    if (bad) return bad;

    // fn walks the leaf's path up, sn the last leaf's; where they meet, the path runs along the right border.
    let fn = index;
    let sn = size - 1;
    let r = leafHash;
    for (const p of proof) {
      if (sn === 0) return proofError('proof-length', `proof has more than the hashes a tree of size ${size} needs`);
      if (odd(fn) || fn === sn) {
        r = nodeHash(p, r);
        while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
      } else {
        r = nodeHash(r, p);
      }
      [fn, sn] = [half(fn), half(sn)];
    }
    if (sn !== 0) return proofError('proof-length', `proof has fewer than the hashes leaf ${index} of a tree of size ${size} needs`);
    return hashesEqual(r, root) ? VERIFIED : proofError('root-mismatch', 'the inclusion proof leads to a different root');
  }

  /**
   * Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with root `root1`.
   * Size 0 is refused ('empty-tree'), as in transparency-dev's vectors: every tree trivially extends the empty one,
   * so a caller that holds no earlier checkpoint should not ask. Equal sizes need an empty proof and equal roots.
   */
  function verifyConsistency(
    size1: number,
    size2: number,
    proof: readonly Uint8Array[],
    root1: Uint8Array,
    root2: Uint8Array,
  ): Result<true, ProofError> {
    if (!isCount(size1)) return badCount('old size', size1);
    if (!isCount(size2)) return badCount('new size', size2);
    if (size1 > size2) return proofError('sizes-out-of-order', `old size ${size1} is larger than new size ${size2}`);
    if (size1 === 0) return proofError('empty-tree', 'no consistency proof from the empty tree: every tree extends it');
    if (size1 === size2) {
      if (proof.length !== 0) return proofError('proof-length', 'trees of the same size need an empty consistency proof');
      return hashesEqual(root1, root2) ? VERIFIED : proofError('root-mismatch', `two different roots for size ${size1}`);
    }
    if (proof.length === 0) return proofError('proof-length', `an empty proof cannot take size ${size1} to ${size2}`);
    const bad = badHashLength({ 'old root': root1, 'new root': root2 }, proof);
    if (bad) return bad;

    // When the old tree is a perfect subtree its root is the proof's unstated first hash.
    let fn = size1 - 1;
    let sn = size2 - 1;
    const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
    while (odd(fn)) [fn, sn] = [half(fn), half(sn)];
    let fr = path[0] as Uint8Array;
    let sr = fr;
    for (const c of path.slice(1)) {
      if (sn === 0) return proofError('proof-length', `proof has more than the hashes sizes ${size1} to ${size2} need`);
      if (odd(fn) || fn === sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
      } else {
        sr = nodeHash(sr, c);
      }
      [fn, sn] = [half(fn), half(sn)];
    }
    if (sn !== 0) return proofError('proof-length', `proof has fewer than the hashes sizes ${size1} to ${size2} need`);
    if (!hashesEqual(fr, root1)) return proofError('old-root-mismatch', `the proof does not lead to the root of size ${size1}`);
    return hashesEqual(sr, root2) ? VERIFIED : proofError('root-mismatch', `the proof does not lead to the root of size ${size2}`);
  }

  return { verifyInclusion, verifyConsistency };
};
