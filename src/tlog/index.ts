// The tlog's Merkle-tree mathematics: hashing, roots, the appendable frontier, proofs and their verification,
// and the C2SP tile layout. Pure throughout; storage comes in only through the HashReader and TileReader ports.
export { HASH_SIZE, emptyRoot, hashesEqual, leafHash, nodeHash } from './hash.js';
export { type HashReader, type NodeHash, type NodeId, frontierNodes, isComplete, nodeEnd, nodeStart, rangeNodes, readerFromNodes } from './nodes.js';
export { PROOF_ERRORS, type ProofError, type ProofErrorKind } from './proof-error.js';
export { foldRight, readNodes, rootFromLeafHashes, rootFromReader } from './tree.js';
export {
  EMPTY_FRONTIER,
  type Appended,
  type Frontier,
  appendLeaves,
  decodeFrontier,
  encodeFrontier,
  frontierFromHashes,
  frontierFromReader,
  frontierRoot,
} from './frontier.js';
export { type ProofPlan, assembleProof, consistencyPlan, consistencyProof, inclusionPlan, inclusionProof, planNodes } from './proofs.js';
export { verifyConsistency, verifyInclusion } from './proof-verify.js';
export {
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_PATH_ERRORS,
  TILE_WIDTH,
  type TileId,
  type TilePath,
  type TilePathError,
  type TileSlot,
  type TileUpdate,
  entryBundlePath,
  formatTileIndex,
  parseTilePath,
  partialTiles,
  storedHashCount,
  tileAt,
  tilePath,
  tileSlot,
  tileUpdates,
  tileWidth,
  tilesRewrittenByAppend,
} from './tiles.js';
export { type TileReader, tileHashReader, tileKey, tilesForNodes } from './tile-reader.js';
export { CANONICAL_JSON_ERROR_TYPES, type CanonicalJsonError, canonicalBytes, canonicalize } from './canonical-json.js';
export { KEY_ERROR_TYPES, SIGNATURE_TYPES, type KeyError, type KeyPair, type NoteSigner, type NoteVerifier, computeKeyHash, decodeSignerKey, decodeVerifierKey, ed25519Signer, ed25519Verifier, encodeVerifierKey, generateKey } from './note-keys.js';
export { MAX_NOTE_SIGNATURES, NOTE_ERROR_TYPES, type NoteError, type NoteSignature, type OpenedNote, formatSignatureLine, openNote, parseNote, signNote } from './note.js';
export { CHECKPOINT_ERROR_TYPES, ROOT_HASH_SIZE, type Checkpoint, type CheckpointError, type OpenedCheckpoint, formatCheckpoint, openCheckpoint, parseCheckpoint } from './checkpoint.js';
export { COSIGNATURE_ERROR_TYPES, type Cosigner, type CosignatureVerifier, cosignatureTimestamp, cosignatureVerifier, cosigner, verifyCosignature } from './cosignature.js';
export { recordEntryJson, recordLeafHash } from './record-entry.js';
