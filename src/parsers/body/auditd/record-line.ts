// Reads the text of audit records into typed fields, whatever carried them: a raw audit.log line, the
// same line forwarded over syslog (audispd / audisp-syslog, any tag), the kernel's printk form
// (`audit: type=1105 audit(…): …`), or journald's text form (`USER_START pid=…`). One message may hold
// several records (Wazuh's agent joins an event's records on one line). Plain left-to-right scanning:
// every loop advances, nothing backtracks, so it stays linear on any input. Never throws.
import { typeNameOf } from './record-types.js';

/** One `key=value` as logged: `quoted` when it was `"…"` (a literal string, never hex). */
export interface FieldValue {
  readonly text: string;
  readonly quoted: boolean;
}

export interface AuditRecord {
  /** Record type name: 'SYSCALL', 'USER_LOGIN', … (numeric printk types are translated). */
  readonly type: string;
  /** `node=` of the record, where auditd's name_format or audisp-remote added one. */
  readonly node?: string | undefined;
  /** The audit timestamp, ms since the epoch (absent in journald's text form). */
  readonly time?: number;
  /** The audit serial, as logged. */
  readonly serial?: string;
  /** `SECONDS.FRACTION:SERIAL`: the event id, unique per host across reboots (the serial alone is not). */
  readonly id?: string;
  /** The record's fields, the user message's (`msg='…'`) merged in after them (first spelling wins). */
  readonly fields: ReadonlyMap<string, FieldValue>;
  /** log_format=ENRICHED: the fields after the 0x1D separator (AUID="alice", UID="root", …). */
  readonly enriched: ReadonlyMap<string, FieldValue>;
}

interface Header {
  readonly node: string | undefined;
  readonly type: string;
  readonly time: number;
  readonly serial: string;
  readonly id: string;
  /** Offset after `):` (or `)`). */
  readonly end: number;
}

const GS = 0x1d; // the ENRICHED separator
const MAX_NAME = 256;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09;

function digitsEnd(s: string, p: number, max: number): number {
  let q = p;
  while (q < s.length && q - p <= max && isDigit(s.charCodeAt(q))) q++;
  return q === p || q - p > max ? -1 : q;
}

/** A run of visible non-space characters at p (at most MAX_NAME), ending at a space; -1 if none. */
function tokenEnd(s: string, p: number): number {
  let q = p;
  while (q < s.length && q - p <= MAX_NAME) {
    const c = s.charCodeAt(q);
    if (c <= 0x20 || c === 0x7f || c === GS) break;
    q++;
  }
  return q === p || q - p > MAX_NAME || q >= s.length || s.charCodeAt(q) !== 0x20 ? -1 : q;
}

/**
 * `[node=N ]type=T msg=audit(SEC.FRAC:SERIAL):` at p, or the kernel's `type=NNNN audit(…):`.
 * Bounded: reads at most a few hundred characters.
 */
export function readHeader(s: string, p: number): Header | undefined {
  let node: string | undefined;
  if (s.startsWith('node=', p)) {
    const q = tokenEnd(s, p + 5);
    if (q < 0) return undefined;
    node = s.slice(p + 5, q);
    p = q + 1;
    while (p < s.length && s.charCodeAt(p) === 0x20) p++;
  }
  if (!s.startsWith('type=', p)) return undefined;
  const typeEnd = tokenEnd(s, p + 5);
  if (typeEnd < 0) return undefined;
  const rawType = s.slice(p + 5, typeEnd);
  p = typeEnd + 1;
  if (s.startsWith('msg=audit(', p)) p += 10;
  else if (s.startsWith('audit(', p)) p += 6;
  else return undefined;
  const idStart = p;
  const secEnd = digitsEnd(s, p, 12);
  if (secEnd < 0 || s.charCodeAt(secEnd) !== 0x2e) return undefined;
  const fracEnd = digitsEnd(s, secEnd + 1, 9);
  if (fracEnd < 0 || s.charCodeAt(fracEnd) !== 0x3a) return undefined;
  const serialEnd = digitsEnd(s, fracEnd + 1, 20);
  if (serialEnd < 0 || s.charCodeAt(serialEnd) !== 0x29) return undefined;
  let end = serialEnd + 1;
  if (s.charCodeAt(end) === 0x3a) end++;
  const seconds = Number(s.slice(idStart, secEnd));
  // The kernel prints milliseconds; read any width as a decimal fraction, truncated to ms.
  const frac = (s.slice(secEnd + 1, fracEnd) + '000').slice(0, 3);
  const type = typeNameOf(rawType);
  return {
    node,
    type,
    time: seconds * 1000 + Number(frac),
    serial: s.slice(fracEnd + 1, serialEnd),
    id: s.slice(idStart, serialEnd),
    end,
  };
}

/** Where the record text starts: after a printk timestamp `[  12.345678] ` and an `audit: ` prefix. */
function skipPrefixes(s: string): number {
  let p = 0;
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  if (s.charCodeAt(p) === 0x5b) {
    // `[ 4633324.069180] ` as dmesg / the kernel's printk time prefix writes it
    let q = p + 1;
    while (q < s.length && q - p < 24 && (s.charCodeAt(q) === 0x20 || isDigit(s.charCodeAt(q)) || s.charCodeAt(q) === 0x2e)) q++;
    if (s.charCodeAt(q) === 0x5d && s.charCodeAt(q + 1) === 0x20) p = q + 2;
  }
  if (s.startsWith('audit: ', p)) p += 7;
  return p;
}

/** True if the message starts like an audit record (cheap: used by `claims`). */
export function looksLikeRecord(msg: string): boolean {
  return readHeader(msg, skipPrefixes(msg)) !== undefined;
}

/** journald's text form: `USER_START pid=…`, `SYSCALL arch=…` (no id: journald keeps it in _AUDIT_ID). */
export function readBareType(msg: string): { type: string; end: number } | undefined {
  const p = skipPrefixes(msg);
  let q = p;
  while (q < msg.length && q - p <= 40) {
    const c = msg.charCodeAt(q);
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f || isDigit(c))) break;
    q++;
  }
  if (q - p < 3 || q - p > 40 || msg.charCodeAt(q) !== 0x20) return undefined;
  return { type: msg.slice(p, q), end: q + 1 };
}

interface Sink {
  readonly fields: Map<string, FieldValue>;
  readonly enriched: Map<string, FieldValue>;
}

const put = (m: Map<string, FieldValue>, k: string, v: FieldValue): void => {
  if (!m.has(k)) m.set(k, v);
};

/**
 * Reads `key=value` pairs from p until the end or the next record header; returns where it stopped.
 * Values: `"…"` (literal), `'…'` (a user message: its pairs are read into the same record), or a bare
 * token (a number, `?`, `(null)`, or hex-encoded text). Words without `=` (`user`, `tty`, `auditd start,`) are skipped.
 */
function readFields(s: string, p: number, end: number, sink: Sink, nested: boolean): { end: number; next?: Header } {
  let enriched = false;
  while (p < end) {
    const c = s.charCodeAt(p);
    if (isSpace(c) || c === 0x0a || c === 0x0d) {
      p++;
      continue;
    }
    if (c === GS) {
      enriched = true;
      p++;
      continue;
    }
    if (!nested && (c === 0x74 || c === 0x6e)) {
      const next = readHeader(s, p);
      if (next !== undefined) return { end: p, next }; // the next record
    }
    let k = p;
    while (k < end) {
      const d = s.charCodeAt(k);
      if (d === 0x3d || isSpace(d) || d === GS) break;
      k++;
    }
    if (k >= end || s.charCodeAt(k) !== 0x3d) {
      p = k; // a bare word
      continue;
    }
    // Old libaudit wrote `(hostname=?, addr=?, terminal=cron res=success)`: drop the punctuation.
    const key = s.charCodeAt(p) === 0x28 ? s.slice(p + 1, k) : s.slice(p, k);
    let v = k + 1;
    const q = s.charCodeAt(v);
    if (q === 0x22) {
      let close = s.indexOf('"', v + 1);
      if (close < 0 || close > end) close = end;
      if (key !== '') put(enriched ? sink.enriched : sink.fields, key, { text: s.slice(v + 1, close), quoted: true });
      p = close + 1;
      continue;
    }
    if (q === 0x27 && !nested) {
      let close = s.indexOf("'", v + 1);
      if (close < 0 || close > end) close = end;
      readFields(s, v + 1, close, sink, true);
      p = close + 1;
      continue;
    }
    while (v < end) {
      const d = s.charCodeAt(v);
      if (isSpace(d) || d === GS || d === 0x0a) break;
      v++;
    }
    let text = s.slice(k + 1, v);
    if (text.endsWith(',') || (text.endsWith(')') && !text.startsWith('('))) text = text.slice(0, -1);
    if (key !== '') put(enriched ? sink.enriched : sink.fields, key, { text, quoted: false });
    p = v;
  }
  return { end: p };
}

export type ReadResult =
  | { readonly kind: 'records'; readonly records: readonly AuditRecord[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed'; readonly message: string };

/** Every record in a message that starts with an audit record header (after optional prefixes). */
export function readRecords(msg: string): ReadResult {
  let p = skipPrefixes(msg);
  let header = readHeader(msg, p);
  if (header === undefined) {
    if (msg.startsWith('type=', p) || msg.startsWith('node=', p)) return { kind: 'malformed', message: 'audit record with an unreadable type=/msg=audit(…) header' };
    return { kind: 'none' };
  }
  const records: AuditRecord[] = [];
  while (header !== undefined) {
    const sink: Sink = { fields: new Map(), enriched: new Map() };
    const read = readFields(msg, header.end, msg.length, sink, false);
    const h = header;
    records.push({ type: h.type, node: h.node, time: h.time, serial: h.serial, id: h.id, fields: sink.fields, enriched: sink.enriched });
    header = read.next;
  }
  return { kind: 'records', records };
}

/** journald's text form, the id taken from the journal's own field where the envelope kept it. */
export function readBareRecord(msg: string, serial: string | undefined): AuditRecord | undefined {
  const bare = readBareType(msg);
  if (bare === undefined) return undefined;
  const sink: Sink = { fields: new Map(), enriched: new Map() };
  readFields(msg, bare.end, msg.length, sink, false);
  return { type: typeNameOf(bare.type), ...(serial !== undefined ? { serial } : {}), fields: sink.fields, enriched: sink.enriched };
}
