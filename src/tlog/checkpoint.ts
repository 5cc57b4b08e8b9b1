// The body of a C2SP checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, root hash, extension lines.
// Exactly one spelling per checkpoint is accepted, so a checkpoint's bytes are a function of its values; this file
// never checks signatures (note.ts does) and never decides whether a tree head is consistent (proofs.ts does).
import { err, ok, type Result } from '../model/result.js';
import { isWellFormed } from './canonical-json.js';
import { openNote, type NoteError, type NoteSignature } from './note.js';
import type { NoteVerifier } from './note-keys.js';
import { decodeBase64, encodeBase64, findControlCharacter } from './note-text.js';

export interface Checkpoint {
  /** The log's identity, e.g. `countersign.example.com/log`. Non-empty, one line. */
  readonly origin: string;
  /** Number of entries (leaves) in the tree. */
  readonly size: number;
  /** RFC 6962 root hash of the tree at `size` (SHA-256, 32 bytes). */
  readonly rootHash: Uint8Array;
  /** Opaque extra lines, each non-empty. NOT RECOMMENDED by the spec; Countersign writes none. */
  readonly extensions: readonly string[];
}

export const CHECKPOINT_ERROR_TYPES = [
  /** Not newline-terminated, fewer than three lines, an empty line, or a string with an unpaired surrogate. */
  'malformed',
  /** An ASCII control character other than newline. */
  'control-character',
  /** The origin line is empty or starts or ends with white space. */
  'bad-origin',
  /** The size is not ASCII decimal without leading zeros. */
  'bad-size',
  /** The size is above 2^53 − 1, beyond what this code represents exactly. */
  'size-too-large',
  /** The root hash is not canonical padded standard base64 of 32 bytes. */
  'bad-root-hash',
] as const;
export type CheckpointErrorType = (typeof CHECKPOINT_ERROR_TYPES)[number];

export interface CheckpointError {
  readonly type: CheckpointErrorType;
  readonly message: string;
}

export const ROOT_HASH_SIZE = 32;

const SIZE = /^(?:0|[1-9][0-9]*)$/;
const EDGE_SPACE = /^\p{White_Space}|\p{White_Space}$/u;

/** The note text of a checkpoint. Refuses values that parseCheckpoint would refuse, so format∘parse is the identity. */
export function formatCheckpoint(checkpoint: Checkpoint): Result<string, CheckpointError> {
  const { origin, size, rootHash, extensions } = checkpoint;
  if (origin.includes('\n')) return err({ type: 'bad-origin', message: 'the origin is one line' });
  if (!Number.isSafeInteger(size) || size < 0) return err({ type: 'bad-size', message: 'the size is a non-negative integer up to 2^53 − 1' });
  if (rootHash.length !== ROOT_HASH_SIZE) return err({ type: 'bad-root-hash', message: `the root hash is ${ROOT_HASH_SIZE} bytes` });
  const text = [origin, String(size), encodeBase64(rootHash), ...extensions].join('\n') + '\n';
  const parsed = parseCheckpoint(text);
  if (!parsed.ok) return parsed;
  if (parsed.value.extensions.length !== extensions.length) return err({ type: 'malformed', message: 'an extension line holds a newline' });
  return ok(text);
}

/** Reads a checkpoint's note text (the part before the blank line), strictly. */
export function parseCheckpoint(text: string): Result<Checkpoint, CheckpointError> {
  if (!isWellFormed(text)) return err({ type: 'malformed', message: 'the text holds an unpaired UTF-16 surrogate' });
  const control = findControlCharacter(text);
  if (control >= 0) return err({ type: 'control-character', message: `control character at offset ${control}` });
  if (!text.endsWith('\n')) return err({ type: 'malformed', message: 'a checkpoint ends with a newline' });
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return err({ type: 'malformed', message: 'a checkpoint has at least three lines' });
  const [origin, sizeText, hashText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '' || EDGE_SPACE.test(origin)) return err({ type: 'bad-origin', message: 'the origin is non-empty, without white space at either end' });
  if (!SIZE.test(sizeText)) return err({ type: 'bad-size', message: 'the size is ASCII decimal without leading zeros' });
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return err({ type: 'size-too-large', message: 'the size is above 2^53 − 1' });
  const rootHash = decodeBase64(hashText);
  if (rootHash === undefined || rootHash.length !== ROOT_HASH_SIZE) {
    return err({ type: 'bad-root-hash', message: `the root hash is canonical base64 of ${ROOT_HASH_SIZE} bytes` });
  }
  if (extensions.some((line) => line === '')) return err({ type: 'malformed', message: 'extension lines are non-empty' });
  return ok({ origin, size, rootHash, extensions });
}

export const OPEN_CHECKPOINT_ERROR_TYPES = ['note', 'checkpoint', 'not-signed-by-log'] as const;

export type OpenCheckpointError =
  | { readonly type: 'note'; readonly message: string; readonly cause: NoteError }
  | { readonly type: 'checkpoint'; readonly message: string; readonly cause: CheckpointError }
  | { readonly type: 'not-signed-by-log'; readonly message: string };

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The exact note text that was signed (what a cosignature covers). */
  readonly text: string;
  readonly logSignature: NoteSignature;
  /** Verified signatures by the given witnesses (cosignature verifiers). */
  readonly cosignatures: readonly NoteSignature[];
  /** Signatures by keys not given: kept, not trusted. */
  readonly unverified: readonly NoteSignature[];
}

/**
 * Opens a signed checkpoint: the log key's signature must be on it and verify, as must every signature by a
 * given witness; the text must be a well-formed checkpoint.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  log: NoteVerifier,
  witnesses: readonly NoteVerifier[] = [],
): Result<OpenedCheckpoint, OpenCheckpointError> {
  const opened = openNote(note, [log, ...witnesses]);
  if (!opened.ok) return err({ type: 'note', message: opened.error.message, cause: opened.error });
  const logSignature = opened.value.verified.find((s) => s.name === log.name && s.keyHash === log.keyHash >>> 0);
  if (logSignature === undefined) return err({ type: 'not-signed-by-log', message: `no signature by the log key ${log.name}` });
  const checkpoint = parseCheckpoint(opened.value.text);
  if (!checkpoint.ok) return err({ type: 'checkpoint', message: checkpoint.error.message, cause: checkpoint.error });
  return ok({
    checkpoint: checkpoint.value,
    text: opened.value.text,
    logSignature,
    cosignatures: opened.value.verified.filter((s) => s !== logSignature),
    unverified: opened.value.unverified,
  });
}
