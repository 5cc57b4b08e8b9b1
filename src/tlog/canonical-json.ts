// RFC 8785 (JCS) canonical JSON: the one byte form of a tlog entry, so its leaf hash is reproducible anywhere.
// It never throws on bad data (non-finite numbers, lone surrogates, values JSON cannot hold come back as a
// Result) and never silently drops or rewrites a value that JSON.stringify would (undefined, toJSON, Map).
import { err, ok, type Result } from '../model/result.js';

export const CANONICAL_JSON_ERROR_TYPES = [
  /** NaN or ±Infinity: I-JSON has no spelling for them. */
  'non-finite-number',
  /** A string (value or member name) holding an unpaired UTF-16 surrogate: not valid Unicode. */
  'lone-surrogate',
  /** undefined, a function, a symbol, a bigint, a class instance, an array hole, a symbol-keyed member. */
  'unsupported-value',
  /** An object or array that contains itself. */
  'cycle',
  /** Nested deeper than MAX_DEPTH: refused rather than overflowing the stack. */
  'too-deep',
] as const;
export type CanonicalJsonErrorType = (typeof CANONICAL_JSON_ERROR_TYPES)[number];

export interface CanonicalJsonError {
  readonly type: CanonicalJsonErrorType;
  readonly message: string;
  /** JSON Pointer (RFC 6901) to the offending value; '' is the root. */
  readonly path: string;
}

export const MAX_DEPTH = 1000;

// Any high surrogate not followed by a low one, or any low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string is well-formed UTF-16 (every surrogate paired), i.e. encodable as UTF-8 without loss. */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

class Refusal {
  constructor(
    readonly type: CanonicalJsonErrorType,
    readonly message: string,
  ) {}
}

/** The RFC 8785 text of a JSON value: sorted members, ECMAScript number and string spellings, no whitespace. */
export function canonicalize(value: unknown): Result<string, CanonicalJsonError> {
  const path: string[] = [];
  const open = new Set<object>();
  const out: string[] = [];
  // Refusals travel as a sentinel value, not an exception, so nothing escapes this function.
  const refusal = write(value, out, path, open, 0);
  if (refusal !== undefined) {
    return err({ type: refusal.type, message: refusal.message, path: pointer(path) });
  }
  return ok(out.join(''));
}

/** canonicalize, encoded as UTF-8: the bytes a leaf hash is taken over. */
export function canonicalBytes(value: unknown): Result<Uint8Array, CanonicalJsonError> {
  const text = canonicalize(value);
  if (!text.ok) return text;
  return ok(new TextEncoder().encode(text.value));
}

function write(value: unknown, out: string[], path: string[], open: Set<object>, depth: number): Refusal | undefined {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) return new Refusal('lone-surrogate', 'string holds an unpaired UTF-16 surrogate');
      // ECMAScript's QuoteJSONString is exactly RFC 8785 §3.2.2.2 for well-formed strings.
      out.push(JSON.stringify(value));
      return undefined;
    case 'number':
      if (!Number.isFinite(value)) return new Refusal('non-finite-number', `${String(value)} has no JSON form`);
      // Number::toString is the serialization RFC 8785 §3.2.2.3 names; it writes -0 as "0".
      out.push(String(value));
      return undefined;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return undefined;
    case 'object':
      if (value === null) {
        out.push('null');
        return undefined;
      }
      return writeContainer(value, out, path, open, depth);
    default:
      return new Refusal('unsupported-value', `a ${typeof value} has no JSON form`);
  }
}

function writeContainer(value: object, out: string[], path: string[], open: Set<object>, depth: number): Refusal | undefined {
  if (depth >= MAX_DEPTH) return new Refusal('too-deep', `nested deeper than ${MAX_DEPTH}`);
  if (open.has(value)) return new Refusal('cycle', 'the value contains itself');
  const isArray = Array.isArray(value);
  if (!isArray) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return new Refusal('unsupported-value', 'only plain objects and arrays have a JSON form');
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      return new Refusal('unsupported-value', 'symbol-keyed members have no JSON form');
    }
  }
  open.add(value);
  const refusal = isArray
    ? writeArray(value as readonly unknown[], out, path, open, depth)
    : writeObject(value as Readonly<Record<string, unknown>>, out, path, open, depth);
  open.delete(value);
  return refusal;
}

function writeArray(items: readonly unknown[], out: string[], path: string[], open: Set<object>, depth: number): Refusal | undefined {
  out.push('[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(',');
    path.push(String(i));
    if (!(i in items)) return new Refusal('unsupported-value', 'array hole');
    const refusal = write(items[i], out, path, open, depth + 1);
    if (refusal !== undefined) return refusal;
    path.pop();
  }
  out.push(']');
  return undefined;
}

function writeObject(
  members: Readonly<Record<string, unknown>>,
  out: string[],
  path: string[],
  open: Set<object>,
  depth: number,
): Refusal | undefined {
  // The default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
  const names = Object.keys(members).sort();
  out.push('{');
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    path.push(name);
    if (!isWellFormed(name)) return new Refusal('lone-surrogate', 'member name holds an unpaired UTF-16 surrogate');
    if (i > 0) out.push(',');
    out.push(JSON.stringify(name), ':');
    const refusal = write(members[name], out, path, open, depth + 1);
    if (refusal !== undefined) return refusal;
    path.pop();
  }
  out.push('}');
  return undefined;
}

function pointer(path: readonly string[]): string {
  return path.map((segment) => '/' + segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
