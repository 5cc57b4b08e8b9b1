// Ed25519 keys for C2SP signed notes: generating them, and reading and writing the key strings
// `name+hash+base64(type‖public key)` (verifier) and `PRIVATE+KEY+name+hash+base64(type‖seed)` (signer).
// It never accepts a key string whose hash does not match its name and key, and never throws on a bad string.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '../model/result.js';
import { concatBytes, decodeBase64, encodeBase64, formatKeyHash, isValidKeyName, readUint32, utf8 } from './note-text.js';

/** Signature type bytes assigned by c2sp.org/signed-note that Countersign uses. */
export const SIGNATURE_TYPES = {
  /** Plain Ed25519 over the note text: the log's checkpoint signature. */
  ed25519: 0x01,
  /** Timestamped Ed25519 witness cosignature (c2sp.org/tlog-cosignature, cosignature/v1). */
  cosignatureV1: 0x04,
} as const;
export type Ed25519SignatureType = (typeof SIGNATURE_TYPES)[keyof typeof SIGNATURE_TYPES];

/** Checks signatures by one key; what `openNote` is given. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyHash: number;
  /** Whether `signature` (the signature bytes after the 4-byte key hash) is this key's over `message` (the note text as UTF-8). */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs note texts with one key; what `signNote` is given. */
export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  /** The signature bytes (without the key hash) over `message` (the note text as UTF-8). */
  sign(message: Uint8Array): Uint8Array;
}

export const KEY_ERROR_TYPES = [
  /** Not `[PRIVATE+KEY+]name+hash+base64`, the hash is not 8 lowercase hex digits, or the base64 is not canonical. */
  'malformed',
  /** Empty, or holds white space or '+'. */
  'bad-name',
  /** The hash written in the string is not SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]. */
  'bad-key-hash',
  /** A signature type this code does not read (only 0x01 and 0x04, Ed25519). */
  'unsupported-type',
  /** Key material of the wrong length, or that the crypto library refuses. */
  'bad-key',
] as const;
export type KeyErrorType = (typeof KEY_ERROR_TYPES)[number];
export interface KeyError {
  readonly type: KeyErrorType;
  readonly message: string;
}

/** A key string taken apart and checked: the key is the public key (verifier) or the seed (signer), without the type byte. */
export interface DecodedKey {
  readonly name: string;
  readonly keyHash: number;
  readonly type: number;
  readonly key: Uint8Array;
}

export interface KeyPair {
  /** `PRIVATE+KEY+…`: secret; whoever holds it can sign as this key. */
  readonly signerKey: string;
  /** `name+hash+…`: public; give it to verifiers. */
  readonly verifierKey: string;
}

const ED25519_KEY_SIZE = 32;
const HASH_HEX = /^[0-9a-f]{8}$/;
// DER prefixes that wrap a raw Ed25519 seed (PKCS#8) and a raw public key (SPKI) for node:crypto.
const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** The key hash (key ID) c2sp.org/signed-note recommends: SHA-256(name ‖ 0x0A ‖ type ‖ public key), first 4 bytes big-endian. */
export function computeKeyHash(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(utf8(name)).update(Uint8Array.of(0x0a, type)).update(publicKey).digest();
  return readUint32(digest);
}

/** Takes a verifier key string apart and checks its name, type (0x01 or 0x04) and hash. */
export function decodeVerifierKey(vkey: string): Result<DecodedKey, KeyError> {
  const parts = chop(vkey, 2);
  if (parts.length !== 3) return err({ type: 'malformed', message: 'a verifier key is name+hash+base64' });
  const [name, hashHex, keyBase64] = parts as [string, string, string];
  return decodeParts(name, hashHex, keyBase64, 'public');
}

/** Takes a signer key string apart, derives its public key and checks the hash against it. */
export function decodeSignerKey(skey: string): Result<DecodedKey, KeyError> {
  const parts = chop(skey, 4);
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') {
    return err({ type: 'malformed', message: 'a signer key is PRIVATE+KEY+name+hash+base64' });
  }
  const [, , name, hashHex, keyBase64] = parts as [string, string, string, string, string];
  return decodeParts(name, hashHex, keyBase64, 'seed');
}

/** Splits at the first `cuts` '+' signs only: the base64 at the end may hold '+' of its own. */
function chop(text: string, cuts: number): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let i = 0; i < cuts; i++) {
    const at = rest.indexOf('+');
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function decodeParts(name: string, hashHex: string, keyBase64: string, kind: 'public' | 'seed'): Result<DecodedKey, KeyError> {
  if (!isValidKeyName(name)) return err({ type: 'bad-name', message: 'a key name is non-empty, without white space or "+"' });
  if (!HASH_HEX.test(hashHex)) return err({ type: 'malformed', message: 'the key hash is 8 lowercase hex digits' });
  const typed = decodeBase64(keyBase64);
  if (typed === undefined || typed.length < 2) return err({ type: 'malformed', message: 'the key is not canonical base64 of type ‖ key' });
  const type = typed[0] as number;
  const key = typed.subarray(1);
  if (type !== SIGNATURE_TYPES.ed25519 && type !== SIGNATURE_TYPES.cosignatureV1) {
    return err({ type: 'unsupported-type', message: `signature type 0x${type.toString(16).padStart(2, '0')} is not an Ed25519 type (0x01, 0x04)` });
  }
  if (key.length !== ED25519_KEY_SIZE) return err({ type: 'bad-key', message: `an Ed25519 key is ${ED25519_KEY_SIZE} bytes, not ${key.length}` });
  let publicKey = key;
  if (kind === 'seed') {
    const derived = publicKeyFromSeed(key);
    if (!derived.ok) return derived;
    publicKey = derived.value;
  }
  const keyHash = Number.parseInt(hashHex, 16);
  if (computeKeyHash(name, type, publicKey) !== keyHash) {
    return err({ type: 'bad-key-hash', message: `key hash ${hashHex} does not match the name and key` });
  }
  return ok({ name, keyHash, type, key: new Uint8Array(key) });
}

/** The verifier key string for a public key. */
export function encodeVerifierKey(name: string, type: number, publicKey: Uint8Array): Result<string, KeyError> {
  if (!isValidKeyName(name)) return err({ type: 'bad-name', message: 'a key name is non-empty, without white space or "+"' });
  const hash = computeKeyHash(name, type, publicKey);
  return ok(`${name}+${formatKeyHash(hash)}+${encodeBase64(concatBytes(Uint8Array.of(type), publicKey))}`);
}

/** The signer key string for an Ed25519 seed (its hash is over the derived public key). */
export function encodeSignerKey(name: string, type: Ed25519SignatureType, seed: Uint8Array): Result<string, KeyError> {
  if (!isValidKeyName(name)) return err({ type: 'bad-name', message: 'a key name is non-empty, without white space or "+"' });
  const publicKey = publicKeyFromSeed(seed);
  if (!publicKey.ok) return publicKey;
  const hash = computeKeyHash(name, type, publicKey.value);
  return ok(`PRIVATE+KEY+${name}+${formatKeyHash(hash)}+${encodeBase64(concatBytes(Uint8Array.of(type), seed))}`);
}

/**
 * A new Ed25519 key pair as key strings. `type` is 0x01 for a log key (the default) or 0x04 for a witness
 * (cosigner) key. `seed` is for tests only: real keys come from the system's random source.
 */
export function generateKey(name: string, options: { type?: Ed25519SignatureType; seed?: Uint8Array } = {}): Result<KeyPair, KeyError> {
  const type = options.type ?? SIGNATURE_TYPES.ed25519;
  if (!isValidKeyName(name)) return err({ type: 'bad-name', message: 'a key name is non-empty, without white space or "+"' });
  let seed = options.seed;
  if (seed === undefined) {
    const der = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
    seed = new Uint8Array(der.subarray(der.length - ED25519_KEY_SIZE));
  }
  if (seed.length !== ED25519_KEY_SIZE) return err({ type: 'bad-key', message: `an Ed25519 seed is ${ED25519_KEY_SIZE} bytes` });
  const signerKey = encodeSignerKey(name, type, seed);
  if (!signerKey.ok) return signerKey;
  const publicKey = publicKeyFromSeed(seed);
  if (!publicKey.ok) return publicKey;
  const verifierKey = encodeVerifierKey(name, type, publicKey.value);
  if (!verifierKey.ok) return verifierKey;
  return ok({ signerKey: signerKey.value, verifierKey: verifierKey.value });
}

/** A plain Ed25519 (type 0x01) note verifier from its key string. */
export function ed25519Verifier(vkey: string): Result<NoteVerifier & { readonly publicKey: Uint8Array }, KeyError> {
  const decoded = decodeVerifierKey(vkey);
  if (!decoded.ok) return decoded;
  const { name, keyHash, type, key } = decoded.value;
  if (type !== SIGNATURE_TYPES.ed25519) {
    return err({ type: 'unsupported-type', message: `signature type 0x${type.toString(16).padStart(2, '0')} is not plain Ed25519 (0x01)` });
  }
  const publicKey = ed25519PublicKey(key);
  if (!publicKey.ok) return publicKey;
  const keyObject = publicKey.value;
  return ok({ name, keyHash, publicKey: key, verify: (message, signature) => ed25519Verify(keyObject, message, signature) });
}

/** A plain Ed25519 (type 0x01) note signer from its key string, with the verifier key that goes with it. */
export function ed25519Signer(skey: string): Result<NoteSigner & { readonly verifierKey: string }, KeyError> {
  const decoded = decodeSignerKey(skey);
  if (!decoded.ok) return decoded;
  const { name, keyHash, type, key } = decoded.value;
  if (type !== SIGNATURE_TYPES.ed25519) {
    return err({ type: 'unsupported-type', message: `signature type 0x${type.toString(16).padStart(2, '0')} is not plain Ed25519 (0x01)` });
  }
  const privateKey = ed25519PrivateKey(key);
  if (!privateKey.ok) return privateKey;
  const publicKey = publicKeyFromSeed(key);
  if (!publicKey.ok) return publicKey;
  const verifierKey = encodeVerifierKey(name, type, publicKey.value);
  if (!verifierKey.ok) return verifierKey;
  const keyObject = privateKey.value;
  return ok({ name, keyHash, verifierKey: verifierKey.value, sign: (message) => ed25519Sign(keyObject, message) });
}

// The low-level Ed25519 operations, shared with cosignature.ts. node:crypto throws on keys it refuses;
// those throws stop here and become KeyErrors.

export function ed25519PrivateKey(seed: Uint8Array): Result<KeyObject, KeyError> {
  try {
    return ok(createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_ED25519_PREFIX, seed)), format: 'der', type: 'pkcs8' }));
  } catch {
    return err({ type: 'bad-key', message: 'the Ed25519 seed was refused' });
  }
}

export function ed25519PublicKey(publicKey: Uint8Array): Result<KeyObject, KeyError> {
  try {
    return ok(createPublicKey({ key: Buffer.from(concatBytes(SPKI_ED25519_PREFIX, publicKey)), format: 'der', type: 'spki' }));
  } catch {
    return err({ type: 'bad-key', message: 'the Ed25519 public key was refused' });
  }
}

export function publicKeyFromSeed(seed: Uint8Array): Result<Uint8Array, KeyError> {
  if (seed.length !== ED25519_KEY_SIZE) return err({ type: 'bad-key', message: `an Ed25519 seed is ${ED25519_KEY_SIZE} bytes` });
  const privateKey = ed25519PrivateKey(seed);
  if (!privateKey.ok) return privateKey;
  const spki = createPublicKey(privateKey.value).export({ format: 'der', type: 'spki' });
  return ok(new Uint8Array(spki.subarray(spki.length - ED25519_KEY_SIZE)));
}

export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

export function ed25519Verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
