// Names for the tree's nodes: a perfect subtree is (level, index), covering leaves [index·2^level, (index+1)·2^level).
// Also the hash-reader port through which stored hashes come in. Pure coordinates: must never hash or read storage.
import { bitLength, trailingZeros } from './bits.js';

export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export interface NodeHash extends NodeId {
  readonly hash: Uint8Array;
}

/**
 * The port the store implements: the hash of the complete (perfect) subtree (level, index), or undefined when
 * it is not stored. Only ever asked for nodes complete in the tree size being served; the reader must never
 * invent a hash for a node whose leaves are not all in the tree.
 */
export type HashReader = (level: number, index: number) => Uint8Array | undefined;

/** First leaf index covered by a node. */
export const nodeStart = (node: NodeId): number => node.index * 2 ** node.level;

/** One past the last leaf index covered by a node. */
export const nodeEnd = (node: NodeId): number => (node.index + 1) * 2 ** node.level;

/** True when every leaf under the node is in a tree of this size, so its hash never changes again. */
export const isComplete = (node: NodeId, size: number): boolean => nodeEnd(node) <= size;

/**
 * The perfect subtrees that exactly cover leaves [start, end), left to right, each as large as alignment allows.
 * For the ranges the RFC 6962 recursion produces (start a multiple of a power of two >= end - start) the sizes
 * strictly decrease, and folding their hashes right to left with nodeHash gives MTH(D[start:end]).
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    const fits = bitLength(end - at) - 1; // largest power of two that fits before end
    const level = at === 0 ? fits : Math.min(fits, trailingZeros(at));
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

/** The perfect subtrees whose hashes make up the right edge ("frontier") of a tree of this size, largest first. */
export const frontierNodes = (size: number): NodeId[] => rangeNodes(0, size);

/** A HashReader over hashes already fetched in one batch (how an asynchronous store serves a ProofPlan). */
export function readerFromNodes(nodes: readonly NodeHash[]): HashReader {
  const byKey = new Map<string, Uint8Array>();
  for (const n of nodes) byKey.set(`${n.level}/${n.index}`, n.hash);
  return (level, index) => byKey.get(`${level}/${index}`);
}
