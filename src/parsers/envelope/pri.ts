// The `<PRI>` prefix shared by RFC 5424 and RFC 3164, plus the ParseError constructor the parsers use.
// Must accept only what RFC 5424 §6.2.1 allows (0..191, no leading zeros) and never throw.
import { err } from '../../model/result.js';
import type { UnparsedReason } from '../../model/record.js';
import type { ParseError } from './types.js';
import { DIGIT_0, DIGIT_9, GT, LT } from './bytes.js';

export function fail(type: UnparsedReason, message: string): { readonly ok: false; readonly error: ParseError } {
  return err({ type, message });
}

/**
 * Reads `<PRIVAL>` at offset 0. Returns `prival | (offsetAfterGt << 8)`, or -1 when the prefix is
 * malformed: missing digits or `>`, a sign, more than 3 digits, a value above 191, or a leading zero
 * ("Otherwise, leading zeros MUST NOT be used", RFC 5424 §6.2.1). Packed to avoid a result object.
 */
export function readPri(b: Uint8Array, end: number): number {
  if (end < 3 || b[0] !== LT) return -1;
  let v = 0;
  let p = 1;
  while (p < end && p <= 4) {
    const c = b[p]!;
    if (c === GT) break;
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    if (p > 1 && v === 0) return -1; // leading zero
    v = v * 10 + (c - DIGIT_0);
    p++;
  }
  if (p === 1 || p > 4 || p >= end || b[p] !== GT || v > 191) return -1;
  return v | ((p + 1) << 8);
}
