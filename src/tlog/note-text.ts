// The small, strict text rules that C2SP signed notes, checkpoints and key strings share: canonical base64,
// key names, the characters a note may hold. Pure and total: nothing here throws or allocates beyond its answer,
// and nothing here is lenient, because two spellings of one value would give two signatures for one statement.
import { isWellFormed } from './canonical-json.js';

// Standard alphabet (RFC 4648 §4), padded, whole quads only.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 of the bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard padded base64, or undefined when the text is not the one canonical spelling of some bytes
 * (wrong alphabet, missing padding, whitespace, or non-zero bits in the last character).
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}

const WHITE_SPACE = /\p{White_Space}/u;

/** A key name: non-empty, well-formed, no Unicode white space (Go's unicode.IsSpace) and no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && isWellFormed(name) && !WHITE_SPACE.test(name) && !name.includes('+');
}

// ASCII control characters other than newline: forbidden anywhere in a signed note.
const CONTROL = /[\u0000-\u0009\u000B-\u001F]/;

/** Index of the first control character other than newline, or -1. */
export function findControlCharacter(text: string): number {
  const match = CONTROL.exec(text);
  return match === null ? -1 : match.index;
}

/** Eight lowercase hex digits, as key hashes are written in key strings. */
export function formatKeyHash(hash: number): string {
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Big-endian uint32 at the start of the bytes (key hashes lead every signature). */
export function readUint32(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset] ?? 0) * 0x1000000 + ((bytes[offset + 1] ?? 0) << 16) + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0)) >>> 0;
}

export function writeUint32(hash: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, hash >>> 0);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8Encoder = new TextEncoder();
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Decodes UTF-8, or undefined when the bytes are not valid UTF-8. A leading BOM is kept as U+FEFF. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
