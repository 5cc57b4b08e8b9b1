// The Merkle Tree Hash (RFC 9162 §2.1.1): the root of n leaves, from all leaf hashes or from stored subtree hashes.
// Pure: hashes in, hash out. Must never read storage itself; stored hashes come in through a HashReader.
import { type Result, ok } from '../model/result.js';
import { isCount, splitPoint } from './bits.js';
import { emptyRoot, nodeHash } from './hash.js';
import { type HashReader, type NodeId, frontierNodes } from './nodes.js';
import { type ProofError, proofError } from './proof-error.js';

/** MTH(D[0:n]) as the RFC defines it: split at the largest power of two below n, recurse, hash the two halves. */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot();
  return mth(leafHashes, 0, leafHashes.length);
}

function mth(leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return leaves[start] as Uint8Array;
  const k = splitPoint(n);
  return nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end));
}

/**
 * Folds the hashes of adjacent perfect subtrees, largest first, right to left into the hash of the range
 * they cover. This is how a right edge (frontier) becomes a root. `hashes` must not be empty.
 */
export function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1] as Uint8Array;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Uint8Array, acc);
  return acc;
}

/** Reads every node through the reader; the first one missing is a 'missing-hash' error naming it. */
export function readNodes(nodes: readonly NodeId[], read: HashReader): Result<Uint8Array[], ProofError> {
  const hashes: Uint8Array[] = [];
  for (const node of nodes) {
    const hash = read(node.level, node.index);
    if (hash === undefined) return proofError('missing-hash', `no stored hash for node ${node.level}/${node.index}`, node);
    hashes.push(hash);
  }
  return ok(hashes);
}

/** The root of the tree at any size up to the stored one, from O(log size) stored subtree hashes. */
export function rootFromReader(size: number, read: HashReader): Result<Uint8Array, ProofError> {
  if (!isCount(size)) return proofError('bad-size', `tree size ${size} is not a non-negative safe integer`);
  if (size === 0) return ok(emptyRoot());
  const hashes = readNodes(frontierNodes(size), read);
  return hashes.ok ? ok(foldRight(hashes.value)) : hashes;
}
