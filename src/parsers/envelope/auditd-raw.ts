// One raw audit.log record: `[node=NAME ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): fields...`.
// The envelope keeps the whole record as msg; field parsing belongs to the audit layer, not here.
// Must never throw, and must not claim audit records wrapped in a syslog header (those are 3164/5424).
import type { Envelope } from '../../model/record.js';
import { ok, type Result } from '../../model/result.js';
import type { EnvelopeParser, ParseContext, ParseError } from './types.js';
import { asBuffer, ascii, COLON, contentEnd, DIGIT_0, DIGIT_9, DOT, SP, utf8 } from './bytes.js';
import { fail } from './pri.js';

const TYPE_EQ = [0x74, 0x79, 0x70, 0x65, 0x3d] as const; // "type="
const NODE_EQ = [0x6e, 0x6f, 0x64, 0x65, 0x3d] as const; // "node="
const MSG_AUDIT = [0x6d, 0x73, 0x67, 0x3d, 0x61, 0x75, 0x64, 0x69, 0x74, 0x28] as const; // "msg=audit("
const RPAREN = 0x29;

function startsWith(b: Uint8Array, p: number, lit: readonly number[]): boolean {
  if (p + lit.length > b.length) return false;
  for (let i = 0; i < lit.length; i++) if (b[p + i] !== lit[i]) return false;
  return true;
}

function detect(frame: Uint8Array): boolean {
  return startsWith(frame, 0, TYPE_EQ) || startsWith(frame, 0, NODE_EQ);
}

/** Offset after a run of 1..max digits at p, or -1. */
function digitsEnd(b: Uint8Array, p: number, end: number, max: number): number {
  let q = p;
  while (q < end && b[q]! >= DIGIT_0 && b[q]! <= DIGIT_9) q++;
  return q === p || q - p > max ? -1 : q;
}

function bad(message: string): { readonly ok: false; readonly error: ParseError } {
  return fail('bad-audit-record', message);
}

function parse(frame: Uint8Array, _ctx: ParseContext): Result<Envelope, ParseError> {
  const b = asBuffer(frame);
  const end = contentEnd(b);
  if (end === 0) return fail('empty', 'empty frame');
  let p = 0;
  let hostname: string | undefined;
  if (startsWith(b, 0, NODE_EQ)) {
    // `node=` is added by auditd's name_format / by audisp-remote; its value is the sending host.
    let q = 5;
    while (q < end && b[q]! > SP && b[q]! < 0x7f) q++;
    if (q === 5 || q >= end || b[q] !== SP) return bad('bad node= prefix');
    hostname = ascii(b, 5, q);
    p = q + 1;
  }
  if (!startsWith(b, p, TYPE_EQ)) return bad('expected type=');
  const typeStart = p + 5;
  let q = typeStart;
  while (q < end && b[q]! > SP && b[q]! < 0x7f) q++;
  if (q === typeStart || q >= end || b[q] !== SP) return bad('bad type=');
  const type = ascii(b, typeStart, q);
  p = q + 1;
  if (!startsWith(b, p, MSG_AUDIT)) return bad('expected msg=audit(');
  p += MSG_AUDIT.length;
  const secEnd = digitsEnd(b, p, end, 12);
  if (secEnd < 0 || b[secEnd] !== DOT) return bad('bad audit timestamp');
  const fracEnd = digitsEnd(b, secEnd + 1, end, 9);
  if (fracEnd < 0 || b[fracEnd] !== COLON) return bad('bad audit timestamp');
  const serialEnd = digitsEnd(b, fracEnd + 1, end, 20);
  if (serialEnd < 0 || b[serialEnd] !== RPAREN || b[serialEnd + 1] !== COLON) return bad('bad audit serial');

  let seconds = 0;
  for (let i = p; i < secEnd; i++) seconds = seconds * 10 + (b[i]! - DIGIT_0);
  // The kernel prints milliseconds (3 digits); read any width as a decimal fraction, truncated to ms.
  let ms = 0;
  for (let i = secEnd + 1; i < secEnd + 4; i++) ms = ms * 10 + (i < fracEnd ? b[i]! - DIGIT_0 : 0);

  return ok({
    format: 'auditd',
    facility: undefined,
    severity: undefined,
    time: seconds * 1000 + ms,
    timeQuality: 'exact',
    hostname,
    app: undefined,
    procid: undefined,
    msgid: undefined,
    structuredData: undefined,
    deviceSeq: undefined,
    msg: utf8(b, 0, end),
    extra: { type, serial: ascii(b, fracEnd + 1, serialEnd) },
  });
}

export const auditd: EnvelopeParser = { id: 'auditd', detect, parse };
