// Proof verification on the server: tlog/proof-check.ts over node:crypto's SHA-256 (tlog/hash.ts).
import { nodeHash } from './hash.js';
import { proofVerifier } from './proof-check.js';

export const { verifyInclusion, verifyConsistency } = proofVerifier(nodeHash);
