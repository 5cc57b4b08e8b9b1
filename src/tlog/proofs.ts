// Inclusion and consistency proof generation (RFC 9162 §2.1.3.1, §2.1.4.1) over stored subtree hashes.
// A proof is planned first (which perfect subtrees, pure arithmetic), then assembled from a HashReader, so a
// synchronous or an asynchronous store can serve it. Must never read storage itself or touch a leaf it need not.
import { type Result, ok } from '../model/result.js';
import { isCount, splitPoint } from './bits.js';
import { type HashReader, type NodeId, rangeNodes } from './nodes.js';
import { type ProofError, proofError } from './proof-error.js';
import { foldRight, readNodes } from './tree.js';

/**
 * One entry per proof hash, in proof order: the perfect subtrees whose hashes, folded right to left, give it.
 * Most entries are one node; the one on the tree's right border, MTH(D[k:n]) with n not a power of two past k,
 * is several, because that range is not (yet) a complete subtree and so is never stored.
 */
export type ProofPlan = readonly (readonly NodeId[])[];

const badCount = (name: string, n: number) => proofError('bad-size', `${name} ${n} is not a non-negative safe integer`);

/** PATH(index, D[0:size]): the sibling of each subtree on the way from the leaf to the root, leaf end first. */
export function inclusionPlan(index: number, size: number): Result<ProofPlan, ProofError> {
  if (!isCount(index)) return badCount('leaf index', index);
  if (!isCount(size)) return badCount('tree size', size);
  if (index >= size) return proofError('index-out-of-range', `leaf index ${index} is not in a tree of size ${size}`);
  const topDown: NodeId[][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) {
      topDown.push(rangeNodes(mid, hi));
      hi = mid;
    } else {
      topDown.push(rangeNodes(lo, mid));
      lo = mid;
    }
  }
  return ok(topDown.reverse());
}

/**
 * PROOF(size1, D[0:size2]) = SUBPROOF(size1, D[0:size2], true). Equal sizes need no hashes; a proof from
 * size 0 is refused ('empty-tree'), as the verifier refuses it: every tree trivially extends the empty one.
 */
export function consistencyPlan(size1: number, size2: number): Result<ProofPlan, ProofError> {
  if (!isCount(size1)) return badCount('old size', size1);
  if (!isCount(size2)) return badCount('new size', size2);
  if (size1 > size2) return proofError('sizes-out-of-order', `old size ${size1} is larger than new size ${size2}`);
  if (size1 === 0) return proofError('empty-tree', 'no consistency proof from the empty tree: every tree extends it');
  const topDown: NodeId[][] = [];
  let lo = 0;
  let hi = size2;
  let whole = true; // SUBPROOF's b: still on the old tree's own root path, whose root the verifier already has
  while (hi !== size1) {
    const mid = lo + splitPoint(hi - lo);
    if (size1 <= mid) {
      topDown.push(rangeNodes(mid, hi));
      hi = mid;
    } else {
      topDown.push(rangeNodes(lo, mid));
      lo = mid;
      whole = false;
    }
  }
  if (!whole) topDown.push(rangeNodes(lo, hi));
  return ok(topDown.reverse());
}

/** Every node a plan reads, in order (with repeats removed), for a store that fetches in one batch. */
export function planNodes(plan: ProofPlan): NodeId[] {
  const seen = new Set<string>();
  const nodes: NodeId[] = [];
  for (const node of plan.flat()) {
    const key = `${node.level}/${node.index}`;
    if (!seen.has(key)) nodes.push(node);
    seen.add(key);
  }
  return nodes;
}

/** Turns a plan into proof hashes; a node the reader lacks is a 'missing-hash' error naming it. */
export function assembleProof(plan: ProofPlan, read: HashReader): Result<Uint8Array[], ProofError> {
  const proof: Uint8Array[] = [];
  for (const entry of plan) {
    const hashes = readNodes(entry, read);
    if (!hashes.ok) return hashes;
    proof.push(foldRight(hashes.value));
  }
  return ok(proof);
}

export function inclusionProof(index: number, size: number, read: HashReader): Result<Uint8Array[], ProofError> {
  const plan = inclusionPlan(index, size);
  return plan.ok ? assembleProof(plan.value, read) : plan;
}

export function consistencyProof(size1: number, size2: number, read: HashReader): Result<Uint8Array[], ProofError> {
  const plan = consistencyPlan(size1, size2);
  return plan.ok ? assembleProof(plan.value, read) : plan;
}
