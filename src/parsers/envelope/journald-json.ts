// One line of `journalctl -o json`: a flat JSON object whose values are strings, arrays of byte numbers
// (binary or non-UTF-8 values), arrays of those (fields set more than once) or null (over-long fields).
// Must keep binary MESSAGEs (decoded lossily), keep the other scalar fields as flat strings, never throw.
import type { Envelope } from '../../model/record.js';
import { ok, type Result } from '../../model/result.js';
import type { EnvelopeParser, ParseContext, ParseError } from './types.js';
import { asBuffer, contentEnd, SP } from './bytes.js';
import { fail } from './pri.js';

const LBRACE = 0x7b;

function detect(frame: Uint8Array): boolean {
  let p = 0;
  while (p < frame.length && (frame[p] === SP || frame[p] === 0x09)) p++;
  return frame[p] === LBRACE;
}

/** journald field names are [A-Z0-9_]; anything else (e.g. `__proto__`) is not a journal field. */
function isFieldName(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) return false;
  }
  return true;
}

/** journalctl writes a binary value as an array of byte values: decode it as UTF-8 with U+FFFD. */
function bytesToString(v: readonly unknown[]): string | undefined {
  const bytes = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 255) return undefined;
    bytes[i] = x;
  }
  return Buffer.from(bytes.buffer, 0, bytes.length).toString('utf8');
}

/** A single value as a string: string, number, boolean or byte array; undefined otherwise. */
function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return bytesToString(v);
  return undefined;
}

function intIn(v: string | undefined, max: number): number | undefined {
  if (v === undefined || v.length === 0 || v.length > 3) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

function parse(frame: Uint8Array, _ctx: ParseContext): Result<Envelope, ParseError> {
  const b = asBuffer(frame);
  const end = contentEnd(b);
  if (end === 0) return fail('empty', 'empty frame');
  let obj: unknown;
  try {
    obj = JSON.parse(b.toString('utf8', 0, end));
  } catch {
    return fail('bad-json', 'not valid JSON');
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail('bad-json', 'not a JSON object');
  const rec = obj as Record<string, unknown>;
  // Any JSON object is not a journal entry: journalctl always writes upper-case field names.
  if (!Object.keys(rec).some(isFieldName)) return fail('no-envelope', 'JSON object without journal fields');

  const rawMessage = rec.MESSAGE;
  let msg = scalar(rawMessage);
  if (msg === undefined && Array.isArray(rawMessage)) {
    // MESSAGE set more than once: keep every value, one per line.
    const parts: string[] = [];
    for (const v of rawMessage) {
      const s = scalar(v);
      if (s !== undefined) parts.push(s);
    }
    msg = parts.join('\n');
  }

  const hostname = scalar(rec._HOSTNAME);
  const identifier = scalar(rec.SYSLOG_IDENTIFIER);
  const appKey = identifier !== undefined ? 'SYSLOG_IDENTIFIER' : '_COMM';
  const app = identifier ?? scalar(rec._COMM);
  // _PID is attached by journald itself (trusted); SYSLOG_PID is what the client claimed.
  const trustedPid = scalar(rec._PID);
  const pidKey = trustedPid !== undefined ? '_PID' : 'SYSLOG_PID';
  const procid = trustedPid ?? scalar(rec.SYSLOG_PID);
  const severity = intIn(scalar(rec.PRIORITY), 7);
  const facility = intIn(scalar(rec.SYSLOG_FACILITY), 23);
  const realtime = scalar(rec.__REALTIME_TIMESTAMP);
  const us = realtime !== undefined && /^\d{1,17}$/.test(realtime) ? Number(realtime) : Number.NaN;
  const time = Number.isFinite(us) ? Math.floor(us / 1000) : undefined;

  // Everything else that is a single value stays, as a string. Fields folded into the envelope are
  // left out, except __REALTIME_TIMESTAMP whose microseconds `time` (ms) cannot hold. __CURSOR is only
  // a position in one machine's journal files and is dropped.
  const extra: Record<string, string> = {};
  for (const key of Object.keys(rec)) {
    if (key === 'MESSAGE' || key === '__CURSOR' || key === '_HOSTNAME' || key === 'PRIORITY' || key === 'SYSLOG_FACILITY') continue;
    if ((key === appKey && app !== undefined) || (key === pidKey && procid !== undefined)) continue;
    if (!isFieldName(key)) continue;
    const s = scalar(rec[key]);
    if (s !== undefined) extra[key] = s;
  }

  return ok({
    format: 'journald',
    facility,
    severity,
    time,
    timeQuality: time === undefined ? undefined : 'exact',
    hostname,
    app,
    procid,
    msgid: undefined,
    structuredData: undefined,
    deviceSeq: undefined,
    msg: msg ?? '',
    extra,
  });
}

export const journald: EnvelopeParser = { id: 'journald', detect, parse };
