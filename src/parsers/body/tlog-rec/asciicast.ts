// Reads an asciinema recording (asciicast v1, v2 or v3) into the shape recording.ts gives a tlog recording,
// so the review UI shows both the same way. Pure and isomorphic; bad files are an error value, never a throw.
import type { Result } from '../../../model/result.js';
import type { Asciicast, AsciicastEvent, ReassembledRecording } from './recording.js';

export const ASCIICAST_ERRORS = ['empty', 'bad-header', 'unsupported-version', 'bad-event'] as const;
export type AsciicastErrorKind = (typeof ASCIICAST_ERRORS)[number];

export interface AsciicastError {
  readonly kind: AsciicastErrorKind;
  /** 1-based line of the file where it went wrong (v2/v3). */
  readonly line?: number;
  readonly message: string;
}

const fail = (kind: AsciicastErrorKind, message: string, line?: number): { ok: false; error: AsciicastError } => ({
  ok: false,
  error: { kind, message, ...(line !== undefined ? { line } : {}) },
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65535;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function termOf(env: unknown): string | undefined {
  return isObject(env) && typeof env.TERM === 'string' ? env.TERM : undefined;
}

/** Builds the recording: output and input are the 'o' and 'i' events' data, in order. */
function finish(cast: Asciicast): ReassembledRecording {
  let output = '';
  let input = '';
  for (const [, code, data] of cast.events) {
    if (code === 'o') output += data;
    else if (code === 'i') input += data;
  }
  return { output, input, asciicast: cast, issues: [] };
}

/** v1: one JSON object, `stdout` holds [delay, data] pairs with delays since the previous event. */
function parseV1(h: Record<string, unknown>): Result<ReassembledRecording, AsciicastError> {
  if (!isSize(h.width) || !isSize(h.height)) return fail('bad-header', 'width/height missing or not positive integers');
  if (!Array.isArray(h.stdout)) return fail('bad-header', 'no "stdout" array');
  const events: AsciicastEvent[] = [];
  let t = 0;
  for (let i = 0; i < h.stdout.length; i++) {
    const e: unknown = h.stdout[i];
    if (!Array.isArray(e) || e.length < 2 || !isTime(e[0]) || typeof e[1] !== 'string') return fail('bad-event', `stdout[${i}] is not [delay, text]`);
    t += e[0];
    events.push([t, 'o', e[1]]);
  }
  const term = termOf(h.env);
  return { ok: true, value: finish({ version: 2, width: h.width, height: h.height, ...(term !== undefined ? { term } : {}), events }) };
}

/** v2 (absolute times) and v3 (times since the previous event, `#` comment lines, size in `term`). */
function parseLines(version: 2 | 3, h: Record<string, unknown>, lines: readonly string[]): Result<ReassembledRecording, AsciicastError> {
  let width: unknown = h.width;
  let height: unknown = h.height;
  let term = termOf(h.env);
  if (version === 3) {
    if (!isObject(h.term)) return fail('bad-header', 'no "term" object', 1);
    width = h.term.cols;
    height = h.term.rows;
    if (typeof h.term.type === 'string') term = h.term.type;
  }
  if (!isSize(width) || !isSize(height)) return fail('bad-header', 'width/height missing or not positive integers', 1);
  if (h.timestamp !== undefined && h.timestamp !== null && !isTime(h.timestamp)) return fail('bad-header', 'bad "timestamp"', 1);
  const events: AsciicastEvent[] = [];
  let t = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || (version === 3 && line.startsWith('#'))) continue;
    const j = parseJson(line);
    const e = j.ok ? j.value : undefined;
    if (!Array.isArray(e) || e.length < 3 || !isTime(e[0]) || typeof e[1] !== 'string' || typeof e[2] !== 'string') {
      return fail('bad-event', 'not a [time, code, data] event', i + 1);
    }
    t = version === 3 ? t + e[0] : e[0];
    const code = e[1];
    // Markers ('m') and the exit status ('x') say nothing about what the terminal showed.
    if (code === 'o' || code === 'i' || code === 'r') events.push([t, code, e[2]]);
  }
  const timestamp = isTime(h.timestamp) ? h.timestamp : undefined;
  return {
    ok: true,
    value: finish({
      version: 2,
      width,
      height,
      ...(timestamp !== undefined ? { timestamp } : {}),
      ...(term !== undefined ? { term } : {}),
      events,
    }),
  };
}

/** Reads an asciicast file's text. */
export function parseAsciicast(text: string): Result<ReassembledRecording, AsciicastError> {
  const body = text.trim();
  if (body === '') return fail('empty', 'empty file');
  // v1 is one (usually pretty-printed) JSON document; v2/v3 start with a one-line header.
  const whole = parseJson(body);
  if (whole.ok) {
    if (!isObject(whole.value)) return fail('bad-header', 'not a JSON object');
    const v = whole.value.version;
    if (v === 1) return parseV1(whole.value);
    if (v !== 2 && v !== 3) return fail('unsupported-version', `version ${String(v).slice(0, 20)}`);
    return parseLines(v, whole.value, [body]);
  }
  const lines = body.split('\n');
  const h = parseJson(lines[0] ?? '');
  if (!h.ok || !isObject(h.value)) return fail('bad-header', 'first line is not a JSON object', 1);
  const v = h.value.version;
  if (v === 1) return fail('bad-header', 'version 1 file with more than one JSON document', 1);
  if (v !== 2 && v !== 3) return fail('unsupported-version', `version ${String(v).slice(0, 20)}`, 1);
  return parseLines(v, h.value, lines);
}
