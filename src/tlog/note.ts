// C2SP signed notes (c2sp.org/signed-note): signing a text with one or more keys, and opening a signed note
// against the keys a reader trusts. It never throws and never returns a note's text as trusted unless a
// known key's signature over it verified; a known key's bad signature rejects the whole note.
import { err, ok, type Result } from '../model/result.js';
import { isWellFormed } from './canonical-json.js';
import type { NoteSigner, NoteVerifier } from './note-keys.js';
import { concatBytes, decodeBase64, decodeUtf8, encodeBase64, findControlCharacter, isValidKeyName, readUint32, utf8, writeUint32 } from './note-text.js';

/** One signature line of a note: `— <name> <base64>`. */
export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  /** base64(4-byte key hash ‖ signature), exactly as on the line. */
  readonly base64: string;
}

/** A note taken apart but NOT verified: nothing in it may be acted on. */
export interface ParsedNote {
  /** The signed text, ending in a newline, without the blank line that separates it from the signatures. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note whose text at least one trusted key signed. */
export interface OpenedNote {
  readonly text: string;
  /** Signatures by the given verifiers that verified, one per key, in note order. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys the reader does not know (kept, e.g. other witnesses' cosignatures, never trusted). */
  readonly unverified: readonly NoteSignature[];
}

export const NOTE_ERROR_TYPES = [
  /** The bytes are not valid UTF-8. */
  'not-utf8',
  /** The string holds an unpaired UTF-16 surrogate, so it has no UTF-8 form. */
  'lone-surrogate',
  /** An ASCII control character other than newline. */
  'control-character',
  /** No blank line followed by a newline-terminated signature block. */
  'no-signatures',
  /** A line in the signature block that is not `— name base64`. */
  'bad-signature-line',
  /** A signature's key name is empty or holds white space or '+'. */
  'bad-key-name',
  /** A signature that is not canonical standard base64. */
  'bad-base64',
  /** A signature shorter than a key hash plus one byte. */
  'signature-too-short',
  /** More than MAX_NOTE_SIGNATURES signature lines. */
  'too-many-signatures',
  /** Two given verifiers share a name and key hash, so the signature cannot be attributed. */
  'ambiguous-verifier',
  /** A signature by a known key did not verify: the note is rejected as a whole. */
  'invalid-signature',
  /** The note is well formed, but no signature by a known key is on it. */
  'no-verified-signature',
  /** The text to sign does not end in a newline. */
  'text-not-newline-terminated',
  /** A signer with an invalid name, or one that failed to sign. */
  'bad-signer',
] as const;
export type NoteErrorType = (typeof NOTE_ERROR_TYPES)[number];

export interface NoteError {
  readonly type: NoteErrorType;
  readonly message: string;
  /** The key concerned, for invalid-signature, ambiguous-verifier and bad-signer. */
  readonly key?: { readonly name: string; readonly keyHash: number };
}

/** The spec asks readers to accept at least 16; golang.org/x/mod/sumdb/note stops at 100. */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';

/** Takes a signed note apart without verifying anything (for routing and display, never for trust). */
export function parseNote(note: string | Uint8Array): Result<ParsedNote, NoteError> {
  const decoded = typeof note === 'string' ? note : decodeUtf8(note);
  if (decoded === undefined) return err({ type: 'not-utf8', message: 'the note is not valid UTF-8' });
  const text = checkText(decoded);
  if (!text.ok) return text;
  const split = decoded.lastIndexOf('\n\n');
  const block = split < 0 ? '' : decoded.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    return err({ type: 'no-signatures', message: 'a signed note ends with a blank line and newline-terminated signature lines' });
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    return err({ type: 'too-many-signatures', message: `more than ${MAX_NOTE_SIGNATURES} signatures` });
  }
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const signature = parseSignatureLine(line);
    if (!signature.ok) return signature;
    signatures.push(signature.value);
  }
  return ok({ text: decoded.slice(0, split + 1), signatures });
}

/**
 * Opens a signed note: every signature by one of `verifiers` (matched on name and key hash) must verify and at
 * least one must be there; signatures by other keys are returned as unverified. Repeated identical lines count once.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): Result<OpenedNote, NoteError> {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const { text, signatures } = parsed.value;
  const message = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const verifiedKeys = new Set<string>();
  const unverifiedLines = new Set<string>();
  for (const signature of signatures) {
    const key = { name: signature.name, keyHash: signature.keyHash };
    const known = verifiers.filter((v) => v.name === signature.name && v.keyHash >>> 0 === signature.keyHash);
    if (known.length === 0) {
      const line = formatSignatureLine(signature);
      if (!unverifiedLines.has(line)) unverified.push(signature);
      unverifiedLines.add(line);
      continue;
    }
    if (known.length > 1) return err({ type: 'ambiguous-verifier', message: `${describe(signature)} matches more than one verifier`, key });
    const bytes = decodeBase64(signature.base64) as Uint8Array; // parseNote checked it
    let good: boolean;
    try {
      good = (known[0] as NoteVerifier).verify(message, bytes.subarray(4));
    } catch {
      good = false;
    }
    if (!good) return err({ type: 'invalid-signature', message: `the signature by ${describe(signature)} does not verify`, key });
    const id = `${signature.name}+${signature.keyHash}`;
    if (!verifiedKeys.has(id)) verified.push(signature);
    verifiedKeys.add(id);
  }
  if (verified.length === 0) {
    return err({ type: 'no-verified-signature', message: 'no signature on the note is by a trusted key' });
  }
  return ok({ text, verified, unverified });
}

/**
 * Signs `text` (which must end in a newline) with each signer and returns the signed note. Signatures in
 * `existing` (say, the log's, when a witness adds its cosignature) are kept first, except any by a key that signs anew.
 */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): Result<string, NoteError> {
  const checked = checkText(text);
  if (!checked.ok) return checked;
  if (!text.endsWith('\n')) return err({ type: 'text-not-newline-terminated', message: 'a note text ends with a newline' });
  const message = utf8(text);
  const fresh: NoteSignature[] = [];
  const signing = new Set<string>();
  for (const signer of signers) {
    const key = { name: signer.name, keyHash: signer.keyHash >>> 0 };
    if (!isValidKeyName(signer.name)) return err({ type: 'bad-signer', message: 'a key name is non-empty, without white space or "+"', key });
    const id = `${key.name}+${key.keyHash}`;
    if (signing.has(id)) continue;
    signing.add(id);
    let signature: Uint8Array;
    try {
      signature = signer.sign(message);
    } catch {
      return err({ type: 'bad-signer', message: `${signer.name} failed to sign`, key });
    }
    fresh.push({ ...key, base64: encodeBase64(concatBytes(writeUint32(key.keyHash), signature)) });
  }
  const kept: NoteSignature[] = [];
  for (const signature of existing) {
    const line = formatSignatureLine(signature);
    const reparsed = parseSignatureLine(line);
    if (!reparsed.ok || reparsed.value.keyHash !== signature.keyHash >>> 0) {
      return err({ type: 'bad-signature-line', message: `the existing signature by ${describe(signature)} is malformed` });
    }
    if (!signing.has(`${signature.name}+${signature.keyHash >>> 0}`)) kept.push(signature);
  }
  const all = [...kept, ...fresh];
  if (all.length === 0) return err({ type: 'no-signatures', message: 'a signed note needs at least one signature' });
  if (all.length > MAX_NOTE_SIGNATURES) return err({ type: 'too-many-signatures', message: `more than ${MAX_NOTE_SIGNATURES} signatures` });
  return ok(text + '\n' + all.map((s) => formatSignatureLine(s) + '\n').join(''));
}

/** `— <name> <base64>`, without the newline. */
export function formatSignatureLine(signature: NoteSignature): string {
  return `${SIGNATURE_PREFIX}${signature.name} ${signature.base64}`;
}

/** Reads one signature line (without its newline). */
export function parseSignatureLine(line: string): Result<NoteSignature, NoteError> {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    return err({ type: 'bad-signature-line', message: 'a signature line starts with an em dash and a space' });
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return err({ type: 'bad-signature-line', message: 'a signature line is "— name base64"' });
  const name = rest.slice(0, space);
  const base64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) return err({ type: 'bad-key-name', message: 'a key name is non-empty, without white space or "+"' });
  const bytes = decodeBase64(base64);
  if (bytes === undefined) return err({ type: 'bad-base64', message: `the signature by ${name} is not canonical base64` });
  if (bytes.length < 5) return err({ type: 'signature-too-short', message: `the signature by ${name} is shorter than a key hash and one byte` });
  return ok({ name, keyHash: readUint32(bytes), base64 });
}

function checkText(text: string): Result<string, NoteError> {
  if (!isWellFormed(text)) return err({ type: 'lone-surrogate', message: 'the note holds an unpaired UTF-16 surrogate' });
  const at = findControlCharacter(text);
  if (at >= 0) {
    return err({ type: 'control-character', message: `control character U+${text.charCodeAt(at).toString(16).padStart(4, '0')} at offset ${at}` });
  }
  return ok(text);
}

function describe(signature: { readonly name: string; readonly keyHash: number }): string {
  return `${signature.name}+${(signature.keyHash >>> 0).toString(16).padStart(8, '0')}`;
}
