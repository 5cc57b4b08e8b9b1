// RFC 5424 envelope parser: `<PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
// STRUCTURED-DATA [SP MSG]`, read straight off the bytes; decodes only field substrings.
// Must follow the RFC's ABNF (bad input is a typed ParseError, never a guess) and never throw.
import type { Envelope, SdElement } from '../../model/record.js';
import { ok, type Result } from '../../model/result.js';
import type { EnvelopeParser, ParseContext, ParseError } from './types.js';
import {
  asBuffer, ascii, BACKSLASH, contentEnd, DASH, DIGIT_0, DIGIT_9, EQUALS, LBRACKET, LT, QUOTE, RBRACKET, SP,
  utf8, type FrameBuffer,
} from './bytes.js';
import { fail, readPri } from './pri.js';
import { iso, parseIsoTimestamp } from './iso-time.js';

/** Shared scan cursor: one parse at a time on the single JS thread, so no per-field result objects. */
const cur = { pos: 0 };

/**
 * Cheap ownership test: `<PRI>1 `. Only VERSION 1 exists; a BSD line such as `<13>5 files deleted`
 * must stay with the 3164 parser. `parse` itself accepts any VERSION 1..999 as the ABNF allows.
 */
function detect(frame: Uint8Array): boolean {
  if (frame[0] !== LT) return false;
  for (let p = 2; p <= 5 && p + 2 < frame.length; p++) {
    if (frame[p] === 0x3e) return frame[p + 1] === 0x31 && frame[p + 2] === SP;
  }
  return false;
}

/**
 * One header field of PRINTUSASCII (0x21..0x7E), 1..max bytes, then SP. Returns the field start, or
 * -1 when it is empty, too long, has a non-printable byte or lacks the SP. Advances `cur.pos` past SP.
 */
function headerField(b: Uint8Array, p: number, end: number, max: number): number {
  const start = p;
  const limit = Math.min(end, p + max + 1);
  while (p < limit) {
    const c = b[p]!;
    if (c === SP) break;
    if (c < 0x21 || c > 0x7e) return -1;
    p++;
  }
  if (p === start || p - start > max || p >= end || b[p] !== SP) return -1;
  cur.pos = p + 1;
  return start;
}

/** Decoded header field, undefined for NILVALUE `-`. */
function nilable(b: FrameBuffer, start: number, endExclusiveSp: number): string | undefined {
  return endExclusiveSp - start === 1 && b[start] === DASH ? undefined : ascii(b, start, endExclusiveSp);
}

/** SD-NAME (SD-ID and PARAM-NAME): 1..32 PRINTUSASCII except `=`, SP, `]`, `"`. Returns its end or -1. */
function sdName(b: Uint8Array, p: number, end: number): number {
  const start = p;
  while (p < end) {
    const c = b[p]!;
    if (c <= SP || c > 0x7e || c === EQUALS || c === RBRACKET || c === QUOTE) break;
    p++;
  }
  return p === start || p - start > 32 ? -1 : p;
}

/**
 * PARAM-VALUE with the three escapes of §6.3.3 (`\"`, `\\`, `\]`). A backslash before any other
 * character is kept together with that character, as the RFC requires. Called only when the value
 * contains a backslash, which is rare; escape characters are ASCII so slicing between them is safe.
 */
function unescapeValue(b: FrameBuffer, start: number, end: number): string {
  let out = '';
  let seg = start;
  for (let p = start; p < end; p++) {
    if (b[p] !== BACKSLASH || p + 1 >= end) continue;
    const n = b[p + 1];
    if (n === QUOTE || n === BACKSLASH || n === RBRACKET) {
      out += utf8(b, seg, p);
      seg = p + 1; // keep the escaped character itself
      p++;
    }
  }
  return out + utf8(b, seg, end);
}

const SD_ERROR = 'bad STRUCTURED-DATA';

/** STRUCTURED-DATA elements from `p` (at `[`); sets `cur.pos` after the last `]`, or returns a ParseError. */
function structuredData(b: FrameBuffer, p: number, end: number): SdElement[] | ParseError {
  const elements: SdElement[] = [];
  while (p < end && b[p] === LBRACKET) {
    const idEnd = sdName(b, p + 1, end);
    if (idEnd < 0) return { type: 'bad-structured-data', message: `${SD_ERROR}: bad SD-ID at byte ${p + 1}` };
    const id = ascii(b, p + 1, idEnd);
    for (const e of elements) {
      // "The same SD-ID MUST NOT exist more than once in a message" (§6.3.2).
      if (e.id === id) return { type: 'bad-structured-data', message: `${SD_ERROR}: duplicate SD-ID "${id}"` };
    }
    const params: (readonly [string, string])[] = [];
    p = idEnd;
    for (;;) {
      if (p >= end) return { type: 'bad-structured-data', message: `${SD_ERROR}: unterminated element` };
      if (b[p] === RBRACKET) {
        p++;
        break;
      }
      if (b[p] !== SP) return { type: 'bad-structured-data', message: `${SD_ERROR}: expected SP or ] at byte ${p}` };
      const nameEnd = sdName(b, p + 1, end);
      if (nameEnd < 0 || b[nameEnd] !== EQUALS || b[nameEnd + 1] !== QUOTE) {
        return { type: 'bad-structured-data', message: `${SD_ERROR}: bad SD-PARAM at byte ${p + 1}` };
      }
      const name = ascii(b, p + 1, nameEnd);
      const vStart = nameEnd + 2;
      let q = vStart;
      let escaped = false;
      for (;;) {
        if (q >= end) return { type: 'bad-structured-data', message: `${SD_ERROR}: unterminated PARAM-VALUE` };
        const c = b[q]!;
        if (c === QUOTE) break;
        if (c === RBRACKET) {
          // §6.3.3: `]` MUST be escaped inside PARAM-VALUE.
          return { type: 'bad-structured-data', message: `${SD_ERROR}: unescaped ] at byte ${q}` };
        }
        if (c === BACKSLASH) {
          escaped = true;
          const n = b[q + 1];
          if (n === QUOTE || n === BACKSLASH || n === RBRACKET) q++;
        }
        q++;
      }
      params.push([name, escaped ? unescapeValue(b, vStart, q) : utf8(b, vStart, q)]);
      p = q + 1;
    }
    elements.push({ id, params });
  }
  cur.pos = p;
  return elements;
}

function parse(frame: Uint8Array, _ctx: ParseContext): Result<Envelope, ParseError> {
  const b = asBuffer(frame);
  const end = contentEnd(b);
  if (end === 0) return fail('empty', 'empty frame');
  const pri = readPri(b, end);
  if (pri < 0) return fail('bad-pri', 'PRI must be <0..191> without leading zeros');
  let p = pri >> 8;

  // VERSION = NONZERO-DIGIT 0*2DIGIT, then SP.
  const v0 = b[p];
  if (v0 === undefined || v0 < 0x31 || v0 > DIGIT_9) return fail('bad-version', `bad VERSION at byte ${p}`);
  let q = p + 1;
  while (q < end && q - p < 4 && b[q]! >= DIGIT_0 && b[q]! <= DIGIT_9) q++;
  if (q - p > 3 || q >= end || b[q] !== SP) return fail('bad-version', `bad VERSION at byte ${p}`);
  p = q + 1;

  // TIMESTAMP = NILVALUE / FULL-DATE "T" FULL-TIME, then SP.
  let time: number | undefined;
  if (b[p] === DASH) {
    p++;
  } else {
    if (!parseIsoTimestamp(b, p, end, true)) return fail('bad-timestamp', `bad TIMESTAMP at byte ${p}`);
    time = iso.localMs - iso.offsetMin * 60_000;
    p = iso.pos;
  }
  if (p >= end || b[p] !== SP) return fail('bad-timestamp', `expected SP after TIMESTAMP at byte ${p}`);
  p++;

  const hostStart = headerField(b, p, end, 255);
  if (hostStart < 0) return fail('bad-header', `bad HOSTNAME at byte ${p}`);
  const hostname = nilable(b, hostStart, cur.pos - 1);
  p = cur.pos;
  const appStart = headerField(b, p, end, 48);
  if (appStart < 0) return fail('bad-header', `bad APP-NAME at byte ${p}`);
  const app = nilable(b, appStart, cur.pos - 1);
  p = cur.pos;
  const procStart = headerField(b, p, end, 128);
  if (procStart < 0) return fail('bad-header', `bad PROCID at byte ${p}`);
  const procid = nilable(b, procStart, cur.pos - 1);
  p = cur.pos;
  const msgidStart = headerField(b, p, end, 32);
  if (msgidStart < 0) return fail('bad-header', `bad MSGID at byte ${p}`);
  const msgid = nilable(b, msgidStart, cur.pos - 1);
  p = cur.pos;

  let structured: SdElement[] | undefined;
  if (b[p] === DASH) {
    p++;
  } else if (b[p] === LBRACKET) {
    const sd = structuredData(b, p, end);
    if (!Array.isArray(sd)) return { ok: false, error: sd };
    structured = sd;
    p = cur.pos;
  } else {
    return fail('bad-structured-data', `expected STRUCTURED-DATA at byte ${p}`);
  }
  if (p < end) {
    if (b[p] !== SP) return fail('bad-structured-data', `expected SP after STRUCTURED-DATA at byte ${p}`);
    p++;
  }
  // MSG-UTF8 starts with a BOM that only announces the encoding: strip it from the text (the raw
  // bytes keep it). MSG-ANY bytes that are not UTF-8 decode with U+FFFD rather than failing.
  if (b[p] === 0xef && b[p + 1] === 0xbb && b[p + 2] === 0xbf) p += 3;

  return ok({
    format: 'rfc5424',
    facility: (pri & 0xff) >> 3,
    severity: pri & 7,
    time,
    timeQuality: time === undefined ? undefined : 'exact',
    hostname,
    app,
    procid,
    msgid,
    structuredData: structured,
    deviceSeq: undefined,
    msg: utf8(b, p, end),
    extra: undefined,
  });
}

export const rfc5424: EnvelopeParser = { id: 'rfc5424', detect, parse };
