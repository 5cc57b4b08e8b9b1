// Timestamps of BSD-style syslog as devices really send them: `Mmm dd hh:mm:ss[.frac]`, with a year
// (`Mmm dd yyyy hh:mm:ss`, `yyyy Mmm dd hh:mm:ss`), rsyslog's RFC 3339 form, Cisco clock marks (`*`,
// `.`) and zone abbreviations (`UTC+1`, `UTC+07:30` too); plus year/zone inference. A timestamp ends at
// SP, the end, or a TAB (log files such as tac_plus accounting: `Oct 19 10:12:13\t…`, ctime(3)
// `Thu Jul 13 13:35:28 1995\t…`, `2020-07-17 17:41:26 +0000\t…`; the last two forms are read only with
// that TAB). Must never throw and never read Date.now().
import type { Envelope } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { COLON, DASH, DIGIT_0, DIGIT_9, DOT, readDigits, SP, TAB } from './bytes.js';
import { scanTag } from './bsd-tokens.js';
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

/** Output of the last zoneShift call: minutes east of UTC. */
let shiftMin = 0;

const STAR = 0x2a;
const PERCENT = 0x25;
const PLUS = 0x2b;

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
 * A numeric offset at `q` (the sign): `+1`, `-5`, `+07`, `+07:30`, `+0730`, hours 0..23 and minutes
 * 0..59. Returns the offset past it (sets `shiftMin`), or -1.
 */
function zoneShift(b: Uint8Array, q: number, end: number): number {
  const sign = b[q] === PLUS ? 1 : b[q] === DASH ? -1 : 0;
  if (sign === 0) return -1;
  let r = q + 1;
  let v = 0;
  while (r < end && r - q <= 4 && isDigitAt(b, r)) v = v * 10 + (b[r++]! - DIGIT_0);
  const n = r - q - 1;
  let h: number;
  let m = 0;
  if (n === 1 || n === 2) {
    h = v;
    // `+07:30`, but not the `:` that ends a Cisco timestamp (`UTC+1: %…`).
    if (n === 2 && b[r] === COLON && isDigitAt(b, r + 1) && isDigitAt(b, r + 2) && !isDigitAt(b, r + 3)) {
      m = (b[r + 1]! - DIGIT_0) * 10 + (b[r + 2]! - DIGIT_0);
      r += 3;
    }
  } else if (n === 4) {
    h = Math.floor(v / 100);
    m = v % 100;
  } else {
    return -1;
  }
  if (h > 23 || m > 59) return -1;
  shiftMin = sign * (h * 60 + m);
  return r;
}

/**
 * Does the `:` at `q` end a timestamp: followed by SP, the end, or (as some IOS builds send it,
 * `02:07:13.198:%CLEAR-5-COUNTERS: …`) directly by a `%FAC-SEV-MNEMONIC:` tag?
 */
function stampColon(b: Uint8Array, q: number, end: number): boolean {
  const n = q + 1;
  return n === end || b[n] === SP || (b[n] === PERCENT && scanTag(b, n, end));
}

const isUtcName = (abbr: string): boolean => {
  const u = abbr.toUpperCase();
  return u === 'UTC' || u === 'GMT' || u === 'UT';
};

/**
 * After the seconds: optional `.frac`, optional zone abbreviation, optional `:` (Cisco and ASA end the
 * timestamp with a colon). A zone is a 1..6-letter word, optionally with a numeric offset (`UTC+1`,
 * `UTC+07:30`: Cisco `clock timezone` names), followed by `:` that is either a known abbreviation (an
 * offset counts only after UTC / GMT / UT) or followed by a Cisco `%FAC-SEV-MNEMONIC` (so
 * `Nov 26 10:00:00 sshd: x` keeps its tag; an unknown name falls back to the configured zone).
 * Returns 1, or -1 if something other than SP / TAB / end follows.
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
    const nameEnd = q;
    let shifted = false;
    if (q - p - 1 <= 6 && (b[q] === PLUS || b[q] === DASH)) {
      const r = zoneShift(b, q, end);
      if (r > 0) {
        shifted = true;
        q = r;
      }
    }
    if (nameEnd - p - 1 <= 6 && b[q] === COLON && stampColon(b, q, end)) {
      let abbr = '';
      for (let i = p + 1; i < nameEnd; i++) abbr += String.fromCharCode(b[i]!);
      const off = shifted ? (isUtcName(abbr) ? shiftMin : undefined) : zoneAbbreviationOffset(abbr);
      if (off !== undefined || b[q + 1] === PERCENT || b[q + 2] === PERCENT) {
        ts.offsetMin = off ?? Number.NaN;
        p = q;
      }
    }
  }
  let glued = false; // `…198:%CLEAR-5-COUNTERS:`: the tag follows the colon directly
  if (b[p] === COLON && stampColon(b, p, end)) glued = b[++p] === PERCENT;
  if (p < end && b[p] !== SP && b[p] !== TAB && !glued) return -1;
  ts.pos = p;
  return 1;
}

/** Day-of-week names as ctime(3) writes them. */
function isWeekday(c0: number | undefined, c1: number | undefined, c2: number | undefined): boolean {
  if (c0 === undefined || c1 === undefined || c2 === undefined) return false;
  switch (((c0 | 0x20) << 16) | ((c1 | 0x20) << 8) | (c2 | 0x20)) {
    case 0x6d6f6e: // mon
    case 0x747565: // tue
    case 0x776564: // wed
    case 0x746875: // thu
    case 0x667269: // fri
    case 0x736174: // sat
    case 0x73756e: // sun
      return true;
    default:
      return false;
  }
}

/**
 * ctime(3) `Www Mmm dd hh:mm:ss yyyy` at `p` (the weekday), read only when a TAB follows (tac_plus
 * writes it so; in free text the shape is too rare a header to guess at). Same returns as scanTimestamp.
 */
function ctimeStamp(b: Uint8Array, p: number, end: number): number {
  const month = monthFromBytes(b[p + 4]!, b[p + 5]!, b[p + 6]!);
  if (month === 0 || b[p + 7] !== SP) return 0;
  let q = p + 8;
  if (b[q] === SP) q++;
  if (!isDigitAt(b, q)) return 0;
  let day = b[q++]! - DIGIT_0;
  if (isDigitAt(b, q)) day = day * 10 + (b[q++]! - DIGIT_0);
  if (b[q] !== SP) return 0;
  q++;
  const dayMs = clock(b, q, end);
  if (dayMs === -1 || b[q + 8] !== SP) return 0;
  const y = readDigits(b, q + 9, 4, end);
  if (y < 0 || b[q + 13] !== TAB) return 0;
  if (dayMs === -2 || day < 1 || day > daysInMonth(y, month)) return -1;
  ts.year = y;
  ts.month = month;
  ts.day = day;
  ts.dayMs = dayMs;
  ts.pos = q + 13;
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
  if (!ts.unsynchronised && b[p + 3] === SP && isWeekday(b[p], b[p + 1], b[p + 2])) return ctimeStamp(b, p, end);
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
      let e = iso.pos;
      // `2020-07-17 17:41:26 +0000\t…` (strftime `%F %T %z`, Marc Huber's tac_plus): the zone after a
      // space is read only when a TAB follows it; with a space it stays message text, as it always was.
      if (Number.isNaN(iso.offsetMin) && b[e] === SP && (b[e + 1] === PLUS || b[e + 1] === DASH)) {
        const r = zoneShift(b, e + 1, end);
        if (r > 0 && b[r] === TAB) {
          ts.offsetMin = shiftMin;
          e = r;
        }
      }
      if (e < end && b[e] !== SP && b[e] !== TAB) return -1;
      ts.pos = e;
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
