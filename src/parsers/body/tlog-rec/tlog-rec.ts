// tlog's recording messages (its JSON log format, doc/log_format.md) → one 'tty_io' event per message,
// carrying the chunk; recording.ts reassembles a recording from its chunks. Reads tlog's syslog lines and
// journald entries (TLOG_* fields). Never throws; only JSON.parse and plain field checks.
import type { Event, SessionHints, TtyChunk } from '../../../model/event.js';
import type { Result } from '../../../model/result.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';

const ID = 'tlog-rec';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

/** tlog's syslog ident is `tlog`; journald gets the program name, with a `-` when it is a login shell. */
const PROGRAMS: readonly string[] = ['tlog-rec-session', 'tlog-rec', 'tlog'];

/** The audit session id meaning "none" (tlog logs it when the process has no audit session). */
const NO_AUDIT_SESSION = 4294967295;

/** One tlog message, decoded and checked: the chunk plus the fields every message of a recording repeats. */
export interface TlogMessage {
  readonly ver: string;
  readonly host: string;
  readonly user: string;
  /** Terminal type; also in chunk.term when the timing states the window size. */
  readonly term: string;
  readonly session: number;
  /** Wall-clock time of the message, seconds since the epoch (format 2.3). */
  readonly time?: number;
  readonly chunk: TtyChunk;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function bytes(v: unknown): readonly number[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return undefined;
  for (const b of v) if (!isUint(b) || b > 255) return undefined;
  return v as number[];
}

/** The first `=WxH` of a timing string (tlog starts every message with one), without replaying it. */
export function firstWindow(timing: string): { width: number; height: number } | undefined {
  const eq = timing.indexOf('=');
  if (eq === -1) return undefined;
  let p = eq + 1;
  let w = 0;
  let h = 0;
  const start = p;
  while (p < timing.length && timing.charCodeAt(p) >= 0x30 && timing.charCodeAt(p) <= 0x39 && p - start < 6) w = w * 10 + timing.charCodeAt(p++) - 0x30;
  if (p === start || timing[p] !== 'x') return undefined;
  const hs = ++p;
  while (p < timing.length && timing.charCodeAt(p) >= 0x30 && timing.charCodeAt(p) <= 0x39 && p - hs < 6) h = h * 10 + timing.charCodeAt(p++) - 0x30;
  if (p === hs || w > 65535 || h > 65535) return undefined;
  return { width: w, height: h };
}

/** Reads one tlog JSON message. The error is a short description of what was wrong. */
export function parseTlogMessage(text: string): Result<TlogMessage, string> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!isObject(obj)) return { ok: false, error: 'not a JSON object' };
  const { ver, host, rec, user, term, session, id, pos, timing, time } = obj;
  if (typeof ver !== 'string') return { ok: false, error: 'no "ver"' };
  const dot = ver.indexOf('.');
  if ((dot === -1 ? ver : ver.slice(0, dot)) !== '2') return { ok: false, error: `format version ${ver.slice(0, 16)} is not 2.x` };
  if (typeof host !== 'string') return { ok: false, error: 'bad "host"' };
  if (typeof rec !== 'string' || rec === '') return { ok: false, error: 'bad "rec"' };
  if (typeof user !== 'string') return { ok: false, error: 'bad "user"' };
  if (typeof term !== 'string') return { ok: false, error: 'bad "term"' };
  if (!isUint(session)) return { ok: false, error: 'bad "session"' };
  if (!isUint(id) || id === 0) return { ok: false, error: 'bad "id"' };
  if (!isUint(pos)) return { ok: false, error: 'bad "pos"' };
  if (typeof timing !== 'string') return { ok: false, error: 'bad "timing"' };
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) return { ok: false, error: 'bad "time"' };
  const inText = obj.in_txt ?? '';
  const outText = obj.out_txt ?? '';
  if (typeof inText !== 'string' || typeof outText !== 'string') return { ok: false, error: 'bad "in_txt"/"out_txt"' };
  const inBin = bytes(obj.in_bin);
  const outBin = bytes(obj.out_bin);
  if (inBin === undefined || outBin === undefined) return { ok: false, error: 'bad "in_bin"/"out_bin"' };
  const win = firstWindow(timing);
  const chunk: TtyChunk = {
    rec,
    id,
    pos,
    timing,
    inText,
    outText,
    inBin,
    outBin,
    ...(win !== undefined ? { term: { type: term, ...win } } : {}),
  };
  return { ok: true, value: { ver, host, user, term, session, ...(time !== undefined ? { time } : {}), chunk } };
}

/** journald entries written by tlog's journal writer carry TLOG_REC whatever the program name. */
function claims(input: BodyInput): boolean {
  const env = input.envelope;
  if (env.format === 'journald' && env.extra?.TLOG_REC !== undefined) return true;
  // A login shell's name starts with '-' (`-tlog-rec-session`).
  return env.app !== undefined && env.app.startsWith('-') && PROGRAMS.includes(env.app.slice(1));
}

function parse(input: BodyInput): ParseOutcome {
  const env = input.envelope;
  if (!(env.app !== undefined && PROGRAMS.includes(env.app)) && !claims(input)) return { kind: 'not-mine' };
  // rsyslog's RFC 5424 output keeps the space that followed the 3164 tag.
  const text = env.msg.trim();
  if (!text.startsWith('{')) {
    // tlog's own diagnostics ("Failed setting up the I/O tap"…) share the ident.
    return { kind: 'unparsed', reason: 'unknown-message', message: 'not a tlog recording message' };
  }
  const m = parseTlogMessage(text);
  if (!m.ok) return { kind: 'unparsed', reason: 'malformed', message: m.error };
  const { chunk } = m.value;
  const hints: SessionHints = {
    tlogRec: chunk.rec,
    ...(m.value.session !== NO_AUDIT_SESSION && m.value.session !== 0 ? { auditSession: String(m.value.session) } : {}),
  };
  const detail: Record<string, string | number> = { ver: m.value.ver, recHost: m.value.host };
  if (m.value.time !== undefined) detail.recTime = m.value.time;
  if (chunk.term === undefined) detail.term = m.value.term;
  const event: Event = {
    seq: input.seq,
    time: input.time,
    host: input.host,
    kind: 'tty_io',
    action: 'recording',
    ...(m.value.user !== '' ? { user: m.value.user } : {}),
    hints,
    parser: PARSER,
    recording: chunk,
    detail,
  };
  return { kind: 'events', events: [event] };
}

const parser: BodyParser = { id: ID, version: VERSION, programs: PROGRAMS, claims, parse };

export const tlogRec: BodyParserFactory = () => parser;
