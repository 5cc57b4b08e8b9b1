// Timestamps of BSD-style syslog as devices really send them: `Mmm dd hh:mm:ss[.frac]`, with a year
// (`Mmm dd yyyy hh:mm:ss`, `yyyy Mmm dd hh:mm:ss`), rsyslog's RFC 3339 form, Cisco clock marks (`*`,
// `.`) and zone abbreviations; plus year/zone inference. Must never throw and never read Date.now().
import type { Envelope } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { COLON, DASH, DIGIT_0, DIGIT_9, DOT, readDigits, SP } from './bytes.js';
import { civilMs, daysInMonth, monthFromBytes, utcYearOf } from './calendar.js';
import { iso, parseIsoTimestamp } from './iso-time.js';
import { zoneAbbreviationOffset, zonedToUtc } from './zone-time.js';

type TimeQuality = NonNullable<Envelope['timeQuality']>;

/** Output of the last scanTimestamp call (single-threaded; read right away by the caller). */
export const ts = {
  pos: 0,
  /** -1 when the timestamp carried no year. */
  year: -1,
  month: 0,
  day: 0,
  /** Wall-clock hh:mm:ss.mmm as ms since midnight. */
  dayMs: 0,
  /** Minutes east of UTC, NaN when the sender gave no (known) zone. */
  offsetMin: Number.NaN,
  /** Cisco `*` (clock never synchronised) or `.` (synchronisation lost) before the date. */
  unsynchronised: false,
  /** The RFC 3339 form was used: `localMs` already holds the full wall clock. */
  isoLocalMs: Number.NaN,
};

const STAR = 0x2a;
const PERCENT = 0x25;

function isLetter(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/** `hh:mm:ss` at p → ms since midnight, -1 if not that shape, -2 if that shape with impossible values. */
function clock(b: Uint8Array, p: number, end: number): number {
  const h = readDigits(b, p, 2, end);
  const m = readDigits(b, p + 3, 2, end);
  const s = readDigits(b, p + 6, 2, end);
  if (h < 0 || m < 0 || s < 0 || b[p + 2] !== COLON || b[p + 5] !== COLON) return -1;
  if (h > 23 || m > 59 || s > 59) return -2;
  return h * 3_600_000 + m * 60_000 + s * 1000;
}

/**
 * After the seconds: optional `.frac`, optional zone abbreviation, optional `:` (Cisco and ASA end the
 * timestamp with a colon). A zone is a 1..6-letter word followed by `:` that is either a known
 * abbreviation or followed by a Cisco `%FAC-SEV-MNEMONIC` (so `Nov 26 10:00:00 sshd: x` keeps its tag).
 * Returns 1, or -1 if something other than SP / end follows.
 */
function tail(b: Uint8Array, p: number, end: number): number {
  if (b[p] === DOT) {
    const start = ++p;
    let ms = 0;
    while (p < end && b[p]! >= DIGIT_0 && b[p]! <= DIGIT_9) {
      if (p - start < 3) ms = ms * 10 + (b[p]! - DIGIT_0);
      p++;
    }
    const n = p - start;
    if (n === 0 || n > 9) return -1;
    ts.dayMs += n === 1 ? ms * 100 : n === 2 ? ms * 10 : ms;
  }
  if (b[p] === SP && isLetter(b[p + 1])) {
    let q = p + 1;
    while (q < end && q - p <= 7 && isLetter(b[q])) q++;
    if (q - p - 1 <= 6 && b[q] === COLON && (q + 1 === end || b[q + 1] === SP)) {
      let abbr = '';
      for (let i = p + 1; i < q; i++) abbr += String.fromCharCode(b[i]!);
      const off = zoneAbbreviationOffset(abbr);
      if (off !== undefined || b[q + 2] === PERCENT) {
        ts.offsetMin = off ?? Number.NaN;
        p = q;
      }
    }
  }
  if (b[p] === COLON && (p + 1 === end || b[p + 1] === SP)) p++;
  if (p < end && b[p] !== SP) return -1;
  ts.pos = p;
  return 1;
}

/**
 * Recognises a timestamp at `p`. Returns 1 (fills `ts`), 0 when the bytes are not a timestamp at all
 * (e.g. `May 5 people`), or -1 when they clearly are one but hold impossible values (`Nov 31`, `25:00:00`).
 */
export function scanTimestamp(b: Uint8Array, p: number, end: number): number {
  ts.year = -1;
  ts.offsetMin = Number.NaN;
  ts.unsynchronised = false;
  ts.isoLocalMs = Number.NaN;
  const c0 = b[p];
  if (c0 === STAR || c0 === DOT) {
    ts.unsynchronised = true;
    p++;
  }
  if (p + 14 > end) return 0;
  let month = monthFromBytes(b[p]!, b[p + 1]!, b[p + 2]!);
  let q: number;
  if (month !== 0) {
    if (b[p + 3] !== SP) return 0;
    q = p + 4;
  } else {
    const y = readDigits(b, p, 4, end);
    if (y < 0 || ts.unsynchronised) return 0;
    if (b[p + 4] === DASH) {
      // RFC 3339 as rsyslog writes it after a BSD PRI (RSYSLOG_ForwardFormat / RSYSLOG_FileFormat),
      // or with a space for T as macOS syslog output has it (`2020-03-23 06:47:42.801612-0700`).
      if (b[p + 7] !== DASH || (b[p + 10] !== 0x54 && b[p + 10] !== SP)) return 0;
      if (!parseIsoTimestamp(b, p, end, false)) return -1;
      ts.isoLocalMs = iso.localMs;
      ts.offsetMin = iso.offsetMin;
      ts.year = 0; // "has a year" for the quality rules; the year itself is inside isoLocalMs
      if (iso.pos < end && b[iso.pos] !== SP) return -1;
      ts.pos = iso.pos;
      return 1;
    }
    // `yyyy Mmm dd hh:mm:ss` (syslog-ng with $YEAR, OSSEC archives).
    if (b[p + 4] !== SP) return 0;
    month = monthFromBytes(b[p + 5]!, b[p + 6]!, b[p + 7]!);
    if (month === 0 || b[p + 8] !== SP) return 0;
    ts.year = y;
    q = p + 9;
  }
  if (b[q] === SP) q++; // space-padded day: `Mar  6`
  if (!isDigitAt(b, q)) return 0;
  let day = b[q++]! - DIGIT_0;
  if (isDigitAt(b, q)) day = day * 10 + (b[q++]! - DIGIT_0);
  if (b[q] !== SP) return 0;
  q++;
  if (ts.year < 0 && isDigitAt(b, q + 3) && b[q + 4] === SP && b[q + 2] !== COLON) {
    const y = readDigits(b, q, 4, end);
    if (y < 0) return 0;
    ts.year = y;
    q += 5;
    if (b[q] === SP) q++;
  }
  const dayMs = clock(b, q, end);
  if (dayMs === -1) return 0;
  if (dayMs === -2 || day < 1 || day > daysInMonth(ts.year < 0 ? 2000 : ts.year, month)) return -1;
  ts.month = month;
  ts.day = day;
  ts.dayMs = dayMs;
  return tail(b, q + 8, end);
}

function isDigitAt(b: Uint8Array, p: number): boolean {
  const c = b[p];
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

const HALF_YEAR_MS = 182 * 86_400_000;
let cachedYear = 0;
let cachedYearStart = 1;
let cachedYearEnd = 0;

function receiveYear(receivedAt: number): number {
  if (receivedAt >= cachedYearStart && receivedAt < cachedYearEnd) return cachedYear;
  const y = utcYearOf(receivedAt);
  cachedYear = y;
  cachedYearStart = civilMs(y, 1, 1, 0, 0, 0, 0);
  cachedYearEnd = civilMs(y + 1, 1, 1, 0, 0, 0, 0);
  return y;
}

function instant(y: number, zone: string): number {
  const local = civilMs(y, ts.month, ts.day, 0, 0, 0, 0) + ts.dayMs;
  return Number.isNaN(ts.offsetMin) ? zonedToUtc(zone, local) : local - ts.offsetMin * 60_000;
}

/** Output of resolveTimestamp: how much of the time the sender stated. */
export const resolved: { quality: TimeQuality | undefined } = { quality: undefined };

/**
 * Turns the last scanned timestamp into ms UTC. A missing year is the one that puts the time nearest
 * `ctx.receivedAt` (a December line received on 1 January is last year's); a missing zone is
 * `ctx.timezone`. Returns NaN when no nearby year has that date (29 Feb) or receivedAt is unusable.
 */
export function resolveTimestamp(ctx: ParseContext): number {
  const zone = ctx.timezone || 'UTC';
  const zoneGiven = !Number.isNaN(ts.offsetMin);
  let t: number;
  if (!Number.isNaN(ts.isoLocalMs)) {
    t = zoneGiven ? ts.isoLocalMs - ts.offsetMin * 60_000 : zonedToUtc(zone, ts.isoLocalMs);
  } else if (ts.year >= 0) {
    t = instant(ts.year, zone);
  } else {
    const recv = ctx.receivedAt;
    if (!Number.isFinite(recv)) {
      resolved.quality = undefined;
      return Number.NaN;
    }
    const ry = receiveYear(recv);
    t = Number.NaN;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const y = i === 0 ? ry : i === 1 ? ry - 1 : ry + 1;
      if (ts.day > daysInMonth(y, ts.month)) continue;
      const cand = instant(y, zone);
      const d = Math.abs(cand - recv);
      if (d < best) {
        best = d;
        t = cand;
      }
      if (i === 0 && d <= HALF_YEAR_MS) break; // any other year is at least half a year further away
    }
  }
  const yearGiven = ts.year >= 0;
  resolved.quality = Number.isNaN(t)
    ? undefined
    : ts.unsynchronised
      ? 'unsynchronised'
      : yearGiven
        ? zoneGiven ? 'exact' : 'inferred-zone'
        : zoneGiven ? 'inferred-year' : 'inferred-year-zone';
  return t;
}
