// The one closed list of reasons a proof, root or frontier cannot be made or does not check out.
// Callers branch on `kind`; `message` is for people. Nothing in tlog/ throws for these: they are returned as data.

export const PROOF_ERRORS = [
  'bad-size', // a size or index is not a non-negative safe integer
  'index-out-of-range', // leaf index >= tree size
  'sizes-out-of-order', // consistency from a larger tree to a smaller one
  'empty-tree', // consistency from size 0: nothing to prove (every tree extends the empty one)
  'hash-length', // a hash that is not 32 bytes
  'proof-length', // the proof has the wrong number of hashes for these sizes
  'root-mismatch', // the proof leads to a different (new) root
  'old-root-mismatch', // consistency: the proof does not lead to the old root
  'missing-hash', // generation: the hash reader has no hash for a node that should be stored
  'bad-encoding', // a persisted frontier that does not decode
] as const;
export type ProofErrorKind = (typeof PROOF_ERRORS)[number];

export interface ProofError {
  readonly kind: ProofErrorKind;
  readonly message: string;
  /** For 'missing-hash': the node that could not be read. */
  readonly node?: { readonly level: number; readonly index: number };
}

export const proofError = (kind: ProofErrorKind, message: string, node?: ProofError['node']): { readonly ok: false; readonly error: ProofError } => ({
  ok: false,
  error: node === undefined ? { kind, message } : { kind, message, node },
});
