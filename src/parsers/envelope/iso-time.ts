// RFC 3339 timestamps as RFC 5424 §6.2.3 defines them (strict) and as rsyslog's high-precision
// formats write them after a BSD PRI (lenient: more fraction digits, optional offset, `+hhmm`).
// Must never allocate per call (results go to the shared `iso` cursor) and never throw.
import { civilMs, daysInMonth } from './calendar.js';
import { COLON, DASH, DIGIT_0, DIGIT_9, DOT, readDigits, SP } from './bytes.js';

/** Output of the last parseIsoTimestamp call (single-threaded, read immediately by the caller). */
export const iso = {
  /** Offset just past the timestamp. */
  pos: 0,
  /** Wall-clock fields read as UTC, in ms. */
  localMs: 0,
  /** Minutes east of UTC, or NaN when the timestamp had no offset (lenient mode only). */
  offsetMin: Number.NaN,
};

const T_UPPER = 0x54;
const Z_UPPER = 0x5a;
const PLUS = 0x2b;

/**
 * Parses `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)` at `p`. Strict (RFC 5424): 1..6 fraction digits,
 * uppercase T and Z, offset required, seconds 00..59 (leap seconds "MUST NOT be used").
 * Lenient (RFC 3164 with rsyslog timestamps): 1..9 fraction digits, offset optional, `±hhmm` allowed,
 * a space instead of `T`.
 * Returns true and fills `iso`, or false if the bytes are not a valid timestamp.
 */
export function parseIsoTimestamp(b: Uint8Array, p: number, end: number, strict: boolean): boolean {
  if (p + 19 > end) return false;
  const y = readDigits(b, p, 4, end);
  if (y < 0 || b[p + 4] !== DASH) return false;
  const mo = readDigits(b, p + 5, 2, end);
  if (mo < 1 || mo > 12 || b[p + 7] !== DASH) return false;
  const d = readDigits(b, p + 8, 2, end);
  if (d < 1 || d > daysInMonth(y, mo)) return false;
  // Lenient mode also takes a space for T: macOS `log show --style syslog` and some appliances write it.
  if (b[p + 10] !== T_UPPER && (strict || b[p + 10] !== SP)) return false;
  const h = readDigits(b, p + 11, 2, end);
  if (h < 0 || h > 23 || b[p + 13] !== COLON) return false;
  const mi = readDigits(b, p + 14, 2, end);
  if (mi < 0 || mi > 59 || b[p + 16] !== COLON) return false;
  const s = readDigits(b, p + 17, 2, end);
  if (s < 0 || s > 59) return false;
  let q = p + 19;
  let ms = 0;
  if (q < end && b[q] === DOT) {
    q++;
    const fracStart = q;
    while (q < end && b[q]! >= DIGIT_0 && b[q]! <= DIGIT_9) {
      // Keep milliseconds only: Envelope.time is integer ms, finer digits are truncated, not rounded.
      if (q - fracStart < 3) ms = ms * 10 + (b[q]! - DIGIT_0);
      q++;
    }
    const n = q - fracStart;
    if (n === 0 || n > (strict ? 6 : 9)) return false;
    if (n === 1) ms *= 100;
    else if (n === 2) ms *= 10;
  }
  let offsetMin = Number.NaN;
  const c = b[q];
  if (c === Z_UPPER) {
    offsetMin = 0;
    q++;
  } else if (c === PLUS || c === DASH) {
    const oh = readDigits(b, q + 1, 2, end);
    if (oh < 0 || oh > 23) return false;
    let om: number;
    if (b[q + 3] === COLON) {
      om = readDigits(b, q + 4, 2, end);
      q += 6;
    } else if (!strict) {
      om = readDigits(b, q + 3, 2, end);
      q += 5;
    } else {
      return false;
    }
    if (om < 0 || om > 59) return false;
    offsetMin = (c === PLUS ? 1 : -1) * (oh * 60 + om);
  } else if (strict) {
    return false;
  }
  iso.pos = q;
  iso.localMs = civilMs(y, mo, d, h, mi, s, ms);
  iso.offsetMin = offsetMin;
  return true;
}
