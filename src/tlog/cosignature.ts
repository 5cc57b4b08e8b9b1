// Witness cosignatures over checkpoints (c2sp.org/tlog-cosignature, Ed25519 cosignature/v1, key type 0x04):
// a timestamped Ed25519 signature over "cosignature/v1\ntime <t>\n" + the checkpoint text. This file signs and
// checks cosignatures; it never reads the clock (the timestamp is given) and never judges consistency.
import { err, ok, type Result } from '../model/result.js';
import { parseCheckpoint } from './checkpoint.js';
import type { NoteSignature } from './note.js';
import { decodeSignerKey, decodeVerifierKey, ed25519PrivateKey, ed25519PublicKey, ed25519Sign, ed25519Verify, encodeVerifierKey, publicKeyFromSeed, SIGNATURE_TYPES, type KeyError, type NoteVerifier } from './note-keys.js';
import { concatBytes, decodeBase64, decodeUtf8, encodeBase64, readUint32, utf8, writeUint32 } from './note-text.js';

export const COSIGNATURE_ERROR_TYPES = [
  /** The cosigned text is not a well-formed checkpoint. */
  'bad-checkpoint',
  /** The timestamp is not an integer number of seconds in [0, 2^53 − 1]. */
  'bad-timestamp',
  /** The signature line is by another key (name or key hash differs). */
  'wrong-key',
  /** Not canonical base64 of key hash ‖ 8-byte timestamp ‖ 64-byte signature. */
  'malformed',
  /** The Ed25519 signature does not verify. */
  'invalid-signature',
] as const;
export type CosignatureErrorType = (typeof COSIGNATURE_ERROR_TYPES)[number];
export interface CosignatureError {
  readonly type: CosignatureErrorType;
  readonly message: string;
}

/** A witness key that cosigns checkpoints. */
export interface Cosigner {
  readonly name: string;
  readonly keyHash: number;
  /** The public `name+hash+base64(0x04 ‖ key)` string to give to whoever checks this witness. */
  readonly verifierKey: string;
  /** The signature line (as a NoteSignature) for the checkpoint text at `timestamp` (POSIX seconds). */
  cosign(checkpointText: string, timestamp: number): Result<NoteSignature, CosignatureError>;
}

/** Checks one witness's cosignatures. It is a NoteVerifier too, so it can be given to openNote / openCheckpoint. */
export interface CosignatureVerifier extends NoteVerifier {
  readonly publicKey: Uint8Array;
}

const TIMESTAMP_SIZE = 8;
const SIGNATURE_SIZE = 64;
const COSIGNATURE_SIZE = 4 + TIMESTAMP_SIZE + SIGNATURE_SIZE;

/** The bytes a cosignature/v1 signs: header line, time line, then the checkpoint text. */
export function cosignatureMessage(checkpointText: string, timestamp: number): Uint8Array {
  return utf8(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

/** A cosigner from its `PRIVATE+KEY+name+hash+base64(0x04 ‖ seed)` string. Plain 0x01 log keys are refused. */
export function cosigner(skey: string): Result<Cosigner, KeyError> {
  const decoded = decodeSignerKey(skey);
  if (!decoded.ok) return decoded;
  const { name, keyHash, type, key: seed } = decoded.value;
  if (type !== SIGNATURE_TYPES.cosignatureV1) return err({ type: 'unsupported-type', message: 'a witness key has type 0x04' });
  const privateKey = ed25519PrivateKey(seed);
  if (!privateKey.ok) return privateKey;
  const publicKey = publicKeyFromSeed(seed);
  if (!publicKey.ok) return publicKey;
  const verifierKey = encodeVerifierKey(name, type, publicKey.value);
  if (!verifierKey.ok) return verifierKey;
  const keyObject = privateKey.value;
  return ok({
    name,
    keyHash,
    verifierKey: verifierKey.value,
    cosign(checkpointText, timestamp) {
      if (!isTimestamp(timestamp)) return err({ type: 'bad-timestamp', message: 'the timestamp is whole seconds in [0, 2^53 − 1]' });
      const checkpoint = parseCheckpoint(checkpointText);
      if (!checkpoint.ok) return err({ type: 'bad-checkpoint', message: checkpoint.error.message });
      const signature = ed25519Sign(keyObject, cosignatureMessage(checkpointText, timestamp));
      const bytes = concatBytes(writeUint32(keyHash), encodeTimestamp(timestamp), signature);
      return ok({ name, keyHash, base64: encodeBase64(bytes) });
    },
  });
}

/** A cosignature verifier from a witness's `name+hash+base64(0x04 ‖ key)` string. Plain 0x01 keys are refused. */
export function cosignatureVerifier(vkey: string): Result<CosignatureVerifier, KeyError> {
  const decoded = decodeVerifierKey(vkey);
  if (!decoded.ok) return decoded;
  const { name, keyHash, type, key } = decoded.value;
  if (type !== SIGNATURE_TYPES.cosignatureV1) return err({ type: 'unsupported-type', message: 'a witness key has type 0x04' });
  const publicKey = ed25519PublicKey(key);
  if (!publicKey.ok) return publicKey;
  const keyObject = publicKey.value;
  return ok({
    name,
    keyHash,
    publicKey: key,
    // As a NoteVerifier: `message` is the note text, `signature` is timestamp ‖ Ed25519 signature.
    verify(message, signature) {
      if (signature.length !== TIMESTAMP_SIZE + SIGNATURE_SIZE) return false;
      const timestamp = decodeTimestamp(signature);
      const text = decodeUtf8(message);
      if (timestamp === undefined || text === undefined || !parseCheckpoint(text).ok) return false;
      return ed25519Verify(keyObject, cosignatureMessage(text, timestamp), signature.subarray(TIMESTAMP_SIZE));
    },
  });
}

/** Checks one cosignature line over a checkpoint text and returns the time it claims. */
export function verifyCosignature(
  checkpointText: string,
  signature: NoteSignature,
  verifier: CosignatureVerifier,
): Result<{ readonly timestamp: number }, CosignatureError> {
  if (signature.name !== verifier.name || signature.keyHash >>> 0 !== verifier.keyHash >>> 0) {
    return err({ type: 'wrong-key', message: `the cosignature is by ${signature.name}, not by ${verifier.name}` });
  }
  if (!parseCheckpoint(checkpointText).ok) return err({ type: 'bad-checkpoint', message: 'the cosigned text is not a checkpoint' });
  const timestamp = cosignatureTimestamp(signature);
  if (!timestamp.ok) return timestamp;
  const bytes = decodeBase64(signature.base64) as Uint8Array; // cosignatureTimestamp checked it
  if (!verifier.verify(utf8(checkpointText), bytes.subarray(4))) {
    return err({ type: 'invalid-signature', message: `the cosignature by ${signature.name} does not verify` });
  }
  return ok({ timestamp: timestamp.value });
}

/** The timestamp (POSIX seconds) a cosignature/v1 line claims, without verifying it. */
export function cosignatureTimestamp(signature: NoteSignature): Result<number, CosignatureError> {
  const bytes = decodeBase64(signature.base64);
  if (bytes === undefined || bytes.length !== COSIGNATURE_SIZE || readUint32(bytes) !== signature.keyHash >>> 0) {
    return err({ type: 'malformed', message: 'a cosignature is base64 of key hash ‖ 8-byte timestamp ‖ 64-byte signature' });
  }
  const timestamp = decodeTimestamp(bytes.subarray(4));
  if (timestamp === undefined) return err({ type: 'bad-timestamp', message: 'the timestamp is above 2^53 − 1 seconds' });
  return ok(timestamp);
}

function isTimestamp(t: number): boolean {
  return Number.isSafeInteger(t) && t >= 0;
}

function encodeTimestamp(t: number): Uint8Array {
  const out = new Uint8Array(TIMESTAMP_SIZE);
  new DataView(out.buffer).setBigUint64(0, BigInt(t));
  return out;
}

function decodeTimestamp(bytes: Uint8Array): number | undefined {
  const t = new DataView(bytes.buffer, bytes.byteOffset, TIMESTAMP_SIZE).getBigUint64(0);
  return t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : undefined;
}
