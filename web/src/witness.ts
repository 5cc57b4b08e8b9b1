// The browser as a witness of the tlog (DESIGN §5, USER-JOURNEYS §5): opens the server's signed checkpoint
// with its verifier key, and checks that each new checkpoint extends the last one this browser verified
// (RFC 6962/9162 consistency proofs). Pure maths and parsing, no DOM and no fetch: the caller brings the
// texts and the storage. It must never throw on hostile input, and never trust a checkpoint it did not verify.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { proofVerifier } from '../../src/tlog/proof-check.ts';

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
const fail = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });

const HASH_SIZE = 32;
const ED25519_TYPE = 0x01;
const enc = new TextEncoder();

// ---- base64 and bytes ----------------------------------------------------------------------------

// Standard alphabet, padded, whole quads only: one spelling per value, as the signed-note spec requires.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Decodes canonical padded base64, else undefined. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return encodeBase64(out) === text ? out : undefined;
}

const concat = (...parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const readUint32 = (b: Uint8Array): number => (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;

// ---- RFC 6962 hashing and proofs -----------------------------------------------------------------

/** SHA-256(0x00 ‖ entry). */
export const leafHash = (entry: Uint8Array): Uint8Array => sha256(concat(Uint8Array.of(0x00), entry));
/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(concat(Uint8Array.of(0x01), left, right));

// Inclusion and consistency verification: the server's own code (src/tlog/proof-check.ts, pure), over
// a browser SHA-256.
export const { verifyConsistency, verifyInclusion } = proofVerifier(nodeHash);

// ---- C2SP signed notes, verifier keys, checkpoints -------------------------------------------------

export interface VerifierKey {
  readonly name: string;
  readonly keyHash: number;
  readonly publicKey: Uint8Array;
  /** The vkey text as given. */
  readonly text: string;
}

const validName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name);

/** SHA-256(name ‖ "\n" ‖ type ‖ key)[:4], big-endian: how a signature line names its key. */
export const keyHash = (name: string, type: number, publicKey: Uint8Array): number =>
  readUint32(sha256(concat(enc.encode(name), Uint8Array.of(0x0a, type), publicKey)));

/** A C2SP vkey `<name>+<hex key hash>+<base64(0x01 ‖ Ed25519 public key)>`; only Ed25519 keys are accepted. */
export function parseVerifierKey(text: string): Result<VerifierKey, string> {
  // The base64 key may itself contain '+': the name and the hash come first.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text.trim());
  if (m === null) return fail('a verifier key has three parts: name+hash+key');
  const [, name, hex, b64] = m as unknown as [string, string, string, string];
  if (!validName(name)) return fail('the key name is empty or has white space');
  if (!/^[0-9a-f]{8}$/.test(hex)) return fail('the key hash is not 8 lower-case hex digits');
  const raw = decodeBase64(b64);
  if (raw === undefined) return fail('the key is not canonical base64');
  if (raw.length !== 33 || raw[0] !== ED25519_TYPE) return fail('not an Ed25519 note key (type 0x01, 32 bytes)');
  const publicKey = raw.slice(1);
  const hash = Number.parseInt(hex, 16);
  if (keyHash(name, ED25519_TYPE, publicKey) !== hash) return fail('the key hash does not match the name and key');
  return ok({ name, keyHash: hash, publicKey, text: text.trim() });
}

export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  /** The signature bytes after the key hash. */
  readonly signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text: every line up to the blank line, each ending in "\n". */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

const SIG_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/;

/** Splits a signed note into its body and signature lines. Structure only: nothing is verified here. */
export function parseSignedNote(note: string): Result<SignedNote, string> {
  if (note.length > 1 << 20) return fail('the note is too large');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) return fail('the note has control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return fail('the note has no blank line before its signatures, or does not end in a newline');
  const body = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length === 0 || lines.length > 100) return fail('the note has no (or too many) signature lines');
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const m = SIG_LINE.exec(line);
    if (m === null) return fail('a signature line is malformed');
    const bytes = decodeBase64(m[2] as string);
    if (bytes === undefined || bytes.length < 5) return fail('a signature is not canonical base64 of at least 5 bytes');
    signatures.push({ name: m[1] as string, keyHash: readUint32(bytes), signature: bytes.slice(4) });
  }
  return ok({ body, signatures });
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The root hash as the note spells it (base64). */
  readonly root: string;
  /** The whole signed note, as served. */
  readonly note: string;
}

export type CheckpointProblem = 'malformed' | 'unsigned' | 'bad-signature';
export interface NoteFailure {
  readonly kind: CheckpointProblem;
  readonly message: string;
}

/** Verifies the signature of `key` on a signed note. Signatures by other keys (cosigners) are ignored, as the spec says. */
export function verifyNote(note: string, key: VerifierKey): Result<SignedNote, NoteFailure> {
  const parsed = parseSignedNote(note);
  if (!parsed.ok) return fail({ kind: 'malformed', message: parsed.error });
  const mine = parsed.value.signatures.filter((s) => s.name === key.name && s.keyHash === key.keyHash);
  if (mine.length === 0) return fail({ kind: 'unsigned', message: `no signature by ${key.name} on the note` });
  const message = enc.encode(parsed.value.body);
  const good = mine.some((s) => {
    if (s.signature.length !== 64) return false;
    try {
      return ed25519.verify(s.signature, message, key.publicKey);
    } catch {
      return false;
    }
  });
  return good ? parsed : fail({ kind: 'bad-signature', message: `the signature by ${key.name} does not verify` });
}

/** Parses a C2SP checkpoint note and verifies the signature of `key` on it. */
export function openCheckpoint(note: string, key: VerifierKey): Result<Checkpoint, NoteFailure> {
  const parsed = verifyNote(note, key);
  if (!parsed.ok) return parsed;
  const lines = parsed.value.body.split('\n');
  const [origin, sizeText, root] = lines as [string, string | undefined, string | undefined];
  if (origin.length === 0 || sizeText === undefined || root === undefined) return fail({ kind: 'malformed', message: 'a checkpoint has an origin, a size and a root hash line' });
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return fail({ kind: 'malformed', message: 'the tree size is not a decimal number' });
  const rootHash = decodeBase64(root);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) return fail({ kind: 'malformed', message: 'the root hash is not base64 of 32 bytes' });
  return ok({ origin, size: Number(sizeText), rootHash, root, note });
}

// ---- the witness's decision ----------------------------------------------------------------------

/** What this browser keeps per log origin: the last checkpoint it verified. */
export interface StoredCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: string;
  readonly vkey: string;
  /** When this browser first saw a checkpoint of this size (ms since the epoch). */
  readonly seenAt: number;
}

export type Alarm =
  | { readonly kind: 'rollback'; readonly message: string }
  | { readonly kind: 'split-view'; readonly message: string }
  | { readonly kind: 'inconsistent'; readonly message: string }
  | { readonly kind: 'bad-checkpoint'; readonly message: string }
  | { readonly kind: 'key-changed'; readonly message: string };

export type WitnessOutcome =
  /** Verified; `stored` is what to keep from now on (the same as before when nothing changed). */
  | { readonly status: 'ok'; readonly checkpoint: Checkpoint; readonly previous: StoredCheckpoint | null; readonly stored: StoredCheckpoint }
  /** Something is wrong: keep the previous checkpoint, show both. */
  | { readonly status: 'alarm'; readonly alarm: Alarm; readonly checkpoint: Checkpoint | null; readonly previous: StoredCheckpoint | null }
  /** Could not ask (network, HTTP error): nothing is concluded. */
  | { readonly status: 'unavailable'; readonly message: string; readonly previous: StoredCheckpoint | null };

export interface WitnessIo {
  /** GET a text resource; rejects on network or HTTP error. */
  readonly getText: (path: string) => Promise<string>;
  readonly getJson: (path: string) => Promise<unknown>;
  readonly load: (origin: string) => StoredCheckpoint | null;
  readonly save: (stored: StoredCheckpoint) => void;
  readonly now: () => number;
}

/** An HTTP answer other than 2xx, as WitnessIo implementations reject with it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sizeRoot = (size: number, root: string): string => `size ${size}, root ${root}`;

/**
 * One witness round: fetch the key and the checkpoint, verify, compare with what this browser saw last, and
 * (only when everything checks) remember the new one. Never throws.
 */
export async function witness(io: WitnessIo): Promise<WitnessOutcome> {
  let keyText: string;
  let note: string;
  try {
    const k = (await io.getJson('/api/v1/log/key')) as { vkey?: unknown } | null;
    if (typeof k?.vkey !== 'string') return { status: 'unavailable', message: 'the server gave no log key', previous: null };
    keyText = k.vkey;
    note = await io.getText('/log/checkpoint');
  } catch (e) {
    return { status: 'unavailable', message: e instanceof Error ? e.message : String(e), previous: null };
  }
  const key = parseVerifierKey(keyText);
  if (!key.ok) return { status: 'alarm', alarm: { kind: 'bad-checkpoint', message: `the log key is not usable: ${key.error}` }, checkpoint: null, previous: null };
  const opened = openCheckpoint(note, key.value);
  if (!opened.ok) return { status: 'alarm', alarm: { kind: 'bad-checkpoint', message: `the checkpoint does not verify: ${opened.error.message}` }, checkpoint: null, previous: null };
  const cp = opened.value;
  const previous = io.load(cp.origin);
  const fresh: StoredCheckpoint = { origin: cp.origin, size: cp.size, root: cp.root, vkey: key.value.text, seenAt: io.now() };
  const alarm = (a: Alarm): WitnessOutcome => ({ status: 'alarm', alarm: a, checkpoint: cp, previous });
  const accept = (stored: StoredCheckpoint): WitnessOutcome => {
    if (stored !== previous) io.save(stored);
    return { status: 'ok', checkpoint: cp, previous, stored };
  };

  if (previous === null) return accept(fresh);
  if (previous.vkey !== fresh.vkey)
    return alarm({ kind: 'key-changed', message: `the log is now signed by ${key.value.name}'s key ${fresh.vkey}, not the key ${previous.vkey} this browser knew` });
  if (cp.size < previous.size)
    return alarm({ kind: 'rollback', message: `the log shrank: this browser saw ${sizeRoot(previous.size, previous.root)}; the server now shows ${sizeRoot(cp.size, cp.root)}` });
  if (cp.size === previous.size) {
    if (cp.root === previous.root) return accept(previous);
    return alarm({ kind: 'split-view', message: `two different trees of size ${cp.size}: this browser saw root ${previous.root}; the server now shows root ${cp.root}` });
  }
  if (previous.size === 0) return accept(fresh); // every tree extends the empty one
  const oldRoot = decodeBase64(previous.root);
  if (oldRoot === undefined) return accept(fresh); // our own storage is damaged: nothing to compare with
  let proof: Uint8Array[];
  try {
    const p = (await io.getJson(`/log/proof/consistency?from=${previous.size}&to=${cp.size}`)) as { proof?: unknown } | null;
    const list = Array.isArray(p?.proof) ? (p.proof as unknown[]) : null;
    const decoded = list?.map((h) => (typeof h === 'string' ? decodeBase64(h) : undefined));
    if (decoded === undefined || decoded.some((h) => h === undefined))
      return alarm({ kind: 'inconsistent', message: `the server gave no usable consistency proof from ${sizeRoot(previous.size, previous.root)} to ${sizeRoot(cp.size, cp.root)}` });
    proof = decoded as Uint8Array[];
  } catch (e) {
    // A server that will not prove its growth is as suspicious as a wrong proof; a network blip, an expired
    // sign-in or an overloaded server (401, 429, 5xx) is not.
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof HttpError && (e.status === 400 || e.status === 404))
      return alarm({ kind: 'inconsistent', message: `the server refused a consistency proof from size ${previous.size} to ${cp.size}: ${message}` });
    return { status: 'unavailable', message, previous };
  }
  const v = verifyConsistency(previous.size, cp.size, proof, oldRoot, cp.rootHash);
  if (!v.ok)
    return alarm({ kind: 'inconsistent', message: `the consistency proof from size ${previous.size} to size ${cp.size} fails: ${v.error.message}` });
  return accept(fresh);
}
