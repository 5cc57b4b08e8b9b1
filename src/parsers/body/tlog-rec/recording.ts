// Reassembles one tlog recording from its chunks (any order, gaps, duplicates) by replaying each chunk's
// timing string (tlog doc/log_format.md): the output text a terminal received, and an asciicast v2 cast.
// Pure and isomorphic (no node:*): the review UI replays with it too. Damage is reported, never thrown.
import type { TtyChunk } from '../../../model/event.js';
import type { Result } from '../../../model/result.js';

/** One asciicast event: seconds from the start, 'o' output, 'i' input, 'r' resize ("WxH"). */
export type AsciicastEvent = readonly [time: number, code: 'o' | 'i' | 'r', data: string];

/** An asciicast v2 document (v1 and v3 files are read into this shape too: absolute times, seconds). */
export interface Asciicast {
  readonly version: 2;
  readonly width: number;
  readonly height: number;
  /** Start of the recording, seconds since the epoch, where known. */
  readonly timestamp?: number;
  /** Terminal type (the header's env.TERM). */
  readonly term?: string;
  readonly events: readonly AsciicastEvent[];
}

/** What was wrong with a recording's chunks. The reassembly still uses everything it can. */
export type RecordingIssue =
  /** Chunk ids fromId..toId (inclusive) never arrived: their output is missing from the text. */
  | { readonly kind: 'gap'; readonly fromId: number; readonly toId: number }
  /** The same chunk id more than once; when the copies differ, the first in a fixed order was used. */
  | { readonly kind: 'duplicate'; readonly id: number; readonly identical: boolean }
  /** A timing string that does not follow tlog's grammar or does not match the chunk's text. */
  | { readonly kind: 'bad-timing'; readonly id: number; readonly message: string }
  /** Chunks of another recording were passed in and left out. */
  | { readonly kind: 'other-recording'; readonly rec: string; readonly chunks: number };

export interface ReassembledRecording {
  /** tlog recording id (absent for asciicast files). */
  readonly rec?: string;
  /** Everything written to the terminal, in order (binary runs decoded as UTF-8, invalid bytes as U+FFFD). */
  readonly output: string;
  /** Everything typed, where the recording logged input. */
  readonly input: string;
  readonly asciicast: Asciicast;
  readonly issues: readonly RecordingIssue[];
}

/** Code points of `s` from UTF-16 index `at`: returns the index after `n` code points, or -1 if `s` is shorter. */
function advanceCodePoints(s: string, at: number, n: number): number {
  let p = at;
  for (let k = 0; k < n; k++) {
    if (p >= s.length) return -1;
    const c = s.charCodeAt(p);
    p += c >= 0xd800 && c <= 0xdbff && p + 1 < s.length && (s.charCodeAt(p + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return p;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Output being built: events merged when the same stream continues at the same time. Parts are joined once, at the end. */
class CastBuilder {
  private readonly pending: { t: number; code: 'o' | 'i' | 'r'; parts: string[] }[] = [];
  private lastMs = 0;
  private readonly outParts: string[] = [];
  private readonly inParts: string[] = [];

  push(ms: number, code: 'o' | 'i' | 'r', data: string): void {
    if (data === '') return;
    // asciicast times never go back; a chunk whose pos is earlier than the previous chunk's end is pulled forward.
    const t = Math.max(ms, this.lastMs);
    this.lastMs = t;
    if (code === 'o') this.outParts.push(data);
    else if (code === 'i') this.inParts.push(data);
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined && last.code === code && code !== 'r' && last.t === t) last.parts.push(data);
    else this.pending.push({ t, code, parts: [data] });
  }

  events(): AsciicastEvent[] {
    return this.pending.map((e) => [e.t / 1000, e.code, e.parts.join('')] as const);
  }
  output(): string {
    return this.outParts.join('');
  }
  input(): string {
    return this.inParts.join('');
  }
}

const MAX_DIGITS = 15; // keeps every number a safe integer

/** The window size: the first one stated goes in the cast's header, later changes become 'r' events. */
interface WindowState {
  first?: { w: number; h: number };
  current?: { w: number; h: number };
}

/** Replays one chunk's timing into `cast`. Returns an error message (the chunk's unreplayed text is still added). */
function replayChunk(chunk: TtyChunk, cast: CastBuilder, window: WindowState): string | undefined {
  const t = chunk.timing;
  let ms = chunk.pos;
  let inAt = 0;
  let outAt = 0;
  let inBinAt = 0;
  let outBinAt = 0;
  let p = 0;
  const num = (): number | undefined => {
    const start = p;
    let v = 0;
    while (p < t.length && p - start < MAX_DIGITS) {
      const c = t.charCodeAt(p);
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      p++;
    }
    return p === start ? undefined : v;
  };
  const bad = (why: string): string => {
    // Keep what the timing did not account for: a reviewer should see it, marked as damaged.
    cast.push(ms, 'o', chunk.outText.slice(outAt));
    cast.push(ms, 'i', chunk.inText.slice(inAt));
    return `${why} at offset ${p} of "${t.slice(0, 40)}"`;
  };
  while (p < t.length) {
    const type = t[p];
    if (type === ' ' || type === '\t' || type === '\n' || type === '\r' || type === '\f' || type === '\v') {
      p++;
      continue;
    }
    p++;
    const a = num();
    if (a === undefined || (type !== '+' && type !== '<' && type !== '>' && type !== '[' && type !== ']' && type !== '=')) {
      p--;
      return bad('bad timing record');
    }
    let b = 0;
    if (type === '[' || type === ']' || type === '=') {
      if (t[p] !== (type === '=' ? 'x' : '/')) return bad('bad timing record');
      p++;
      const n = num();
      if (n === undefined) return bad('bad timing record');
      b = n;
    }
    switch (type) {
      case '+':
        ms += a;
        break;
      case '=':
        if (a > 65535 || b > 65535) return bad('window size out of range');
        if (window.current === undefined) window.first = window.current = { w: a, h: b };
        else if (window.current.w !== a || window.current.h !== b) {
          window.current = { w: a, h: b };
          cast.push(ms, 'r', `${a}x${b}`);
        }
        break;
      case '<':
      case '>': {
        const text = type === '<' ? chunk.inText : chunk.outText;
        const from = type === '<' ? inAt : outAt;
        const to = advanceCodePoints(text, from, a);
        if (to === -1) return bad(`not enough ${type === '<' ? 'input' : 'output'} text`);
        cast.push(ms, type === '<' ? 'i' : 'o', text.slice(from, to));
        if (type === '<') inAt = to;
        else outAt = to;
        break;
      }
      case '[':
      case ']': {
        const input = type === '[';
        const text = input ? chunk.inText : chunk.outText;
        const to = advanceCodePoints(text, input ? inAt : outAt, a);
        if (to === -1) return bad(`not enough ${input ? 'input' : 'output'} text to skip`);
        const bin = input ? chunk.inBin : chunk.outBin;
        const binAt = input ? inBinAt : outBinAt;
        if (binAt + b > bin.length) return bad(`not enough ${input ? 'input' : 'output'} bytes`);
        if (input) inAt = to;
        else outAt = to;
        const bytes = Uint8Array.from(bin.slice(binAt, binAt + b));
        if (input) inBinAt += b;
        else outBinAt += b;
        cast.push(ms, input ? 'i' : 'o', utf8.decode(bytes));
        break;
      }
    }
  }
  if (outAt < chunk.outText.length || inAt < chunk.inText.length) return bad('text left over');
  return undefined;
}

const chunkKey = (c: TtyChunk): string => JSON.stringify([c.pos, c.timing, c.inText, c.outText, c.inBin, c.outBin, c.term ?? null]);

/**
 * Reassembles the chunks of one recording. The result does not depend on the order of `chunks`.
 * `timestamp` (seconds since the epoch) goes into the cast's header when the caller knows the start.
 */
export function reassemble(chunks: readonly TtyChunk[], opts: { timestamp?: number } = {}): Result<ReassembledRecording, 'no-chunks'> {
  if (chunks.length === 0) return { ok: false, error: 'no-chunks' };
  const issues: RecordingIssue[] = [];

  // The recording is the rec with the most chunks (ties: the smallest id string); the rest are reported.
  const perRec = new Map<string, number>();
  for (const c of chunks) perRec.set(c.rec, (perRec.get(c.rec) ?? 0) + 1);
  let rec = '';
  let best = -1;
  for (const [r, n] of perRec) if (n > best || (n === best && r < rec)) [rec, best] = [r, n];
  for (const [r, n] of [...perRec].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) if (r !== rec) issues.push({ kind: 'other-recording', rec: r, chunks: n });

  // One chunk per id: the copy with the smallest key, so that any arrival order gives the same result.
  const byId = new Map<number, { chunk: TtyChunk; key: string; copies: number; identical: boolean }>();
  for (const c of chunks) {
    if (c.rec !== rec) continue;
    const key = chunkKey(c);
    const seen = byId.get(c.id);
    if (seen === undefined) byId.set(c.id, { chunk: c, key, copies: 1, identical: true });
    else {
      seen.copies++;
      if (key !== seen.key) seen.identical = false;
      if (key < seen.key) [seen.chunk, seen.key] = [c, key];
    }
  }
  const ordered = [...byId.values()].sort((x, y) => x.chunk.id - y.chunk.id || x.chunk.pos - y.chunk.pos);

  let expected = 1;
  for (const e of ordered) {
    if (e.chunk.id > expected) issues.push({ kind: 'gap', fromId: expected, toId: e.chunk.id - 1 });
    expected = e.chunk.id + 1;
  }
  for (const e of ordered) if (e.copies > 1) issues.push({ kind: 'duplicate', id: e.chunk.id, identical: e.identical });

  const cast = new CastBuilder();
  const window: WindowState = {};
  for (const e of ordered) {
    const message = replayChunk(e.chunk, cast, window);
    if (message !== undefined) issues.push({ kind: 'bad-timing', id: e.chunk.id, message });
  }
  const firstWin = window.first;
  // Issues in a fixed order: by kind as listed (stable sort keeps each kind's id order).
  const rank = { 'other-recording': 0, gap: 1, duplicate: 2, 'bad-timing': 3 } as const;
  issues.sort((x, y) => rank[x.kind] - rank[y.kind]);

  const termType = ordered[0]?.chunk.term?.type;
  // The header states the first window; later changes are 'r' events.
  const asciicast: Asciicast = {
    version: 2,
    width: firstWin?.w ?? 0,
    height: firstWin?.h ?? 0,
    ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    ...(termType !== undefined ? { term: termType } : {}),
    events: cast.events(),
  };
  return { ok: true, value: { rec, output: cast.output(), input: cast.input(), asciicast, issues } };
}

/** The cast as an asciicast v2 file: a header line, then one JSON array per event. */
export function toAsciicastText(cast: Asciicast): string {
  const header: Record<string, unknown> = { version: 2, width: cast.width, height: cast.height };
  if (cast.timestamp !== undefined) header.timestamp = cast.timestamp;
  if (cast.term !== undefined) header.env = { TERM: cast.term };
  return [JSON.stringify(header), ...cast.events.map((e) => JSON.stringify(e))].join('\n') + '\n';
}
