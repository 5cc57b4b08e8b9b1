// Test support shared by every body parser's tests: builds BodyInputs from real log lines through the
// real envelope parsers, and the contract every body parser must keep (never throws, well-formed output).
// Imported by tests only.
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { EVENT_KINDS, type Event } from '../../model/event.js';
import type { Envelope } from '../../model/record.js';
import { parseEnvelope, type FormatHint } from '../envelope/index.js';
import { BODY_UNPARSED_REASONS, type BodyInput, type BodyParser, type BodyParserFactory, type ParseOutcome } from './types.js';

/** Fixed receive time for fixtures: 2026-06-15T12:00:00Z (RFC 3164 years are inferred around it). */
export const FIXTURE_RECEIVED_AT = Date.UTC(2026, 5, 15, 12, 0, 0);

/** One log line (any format the envelope parsers read) → the BodyInput a body parser would get. */
export const inputFromLine = (line: string, seq = 1, opts: { receivedAt?: number; format?: FormatHint; host?: string } = {}): BodyInput => {
  const receivedAt = opts.receivedAt ?? FIXTURE_RECEIVED_AT;
  const r = parseEnvelope(Buffer.from(line, 'utf8'), { receivedAt, timezone: 'UTC' }, opts.format ?? 'auto');
  if (!r.ok) throw new Error(`fixture line has no envelope (${r.error.type}: ${r.error.message}): ${line}`);
  return inputFromEnvelope(r.value, seq, receivedAt, opts.host);
};

export const inputFromEnvelope = (envelope: Envelope, seq: number, receivedAt = FIXTURE_RECEIVED_AT, host?: string): BodyInput => ({
  seq,
  time: envelope.time ?? receivedAt,
  host: envelope.hostname ?? host ?? '127.0.0.1',
  envelope,
});

/** Lines of a fixture file → inputs with seq 1, 2, … (blank lines skipped). */
export const inputsFromText = (text: string, opts: { receivedAt?: number; format?: FormatHint; host?: string } = {}): BodyInput[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => inputFromLine(l, i + 1, opts));

/** Runs a parser over inputs the way the pipeline does (parse each, then flush all), collecting events. */
export const runParser = (parser: BodyParser, inputs: readonly BodyInput[]): { events: Event[]; outcomes: ParseOutcome[] } => {
  const events: Event[] = [];
  const outcomes: ParseOutcome[] = [];
  for (const input of inputs) {
    const o = parser.parse(input);
    outcomes.push(o);
    if (o.kind === 'events') events.push(...o.events);
  }
  if (parser.flush) events.push(...parser.flush(Number.MAX_SAFE_INTEGER, true));
  return { events, outcomes };
};

/** Checks one outcome's shape against the contract. */
export const expectWellFormed = (parser: BodyParser, input: BodyInput, outcome: ParseOutcome): void => {
  switch (outcome.kind) {
    case 'not-mine':
    case 'pending':
      return;
    case 'unparsed':
      expect(BODY_UNPARSED_REASONS).toContain(outcome.reason);
      expect(typeof outcome.message).toBe('string');
      return;
    case 'events':
      for (const e of outcome.events) expectEvent(parser, e, input);
  }
};

export const expectEvent = (parser: BodyParser, e: Event, input?: BodyInput): void => {
  expect(e.parser).toBe(`${parser.id}@${parser.version}`);
  expect(EVENT_KINDS).toContain(e.kind);
  expect(Number.isFinite(e.time)).toBe(true);
  expect(typeof e.host).toBe('string');
  expect(e.host).not.toBe('');
  expect(typeof e.hints).toBe('object');
  // Not `e.host === input.host`: a parser reading a relayed record (TACACS+ accounting, auditd `node=`,
  // sudo_logsrvd) names the device the record is about, which need not be the sender (see BodyInput.host).
  if (input !== undefined) expect(e.seq).toBe(input.seq);
};

/**
 * The contract every body parser keeps, as a property test: arbitrary messages under its programs
 * (and arbitrary programs) never make it throw, and whatever it returns is well formed. `seeds` are
 * real messages of the program: the property also mutates them, which reaches deeper than random text.
 */
export const checkBodyParserContract = (factory: BodyParserFactory, seeds: readonly string[], numRuns = 300): void => {
  const parser = factory();
  expect(parser.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  expect(Number.isInteger(parser.version) && parser.version >= 1).toBe(true);
  const app = fc.constantFrom(...parser.programs, 'other-program', 'sshd', 'sudo', 'su', 'kernel');
  const msgFromSeed =
    seeds.length === 0
      ? fc.string()
      : fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string()).map(([s, a, b, ins]) => {
          const i = a % (s.length + 1);
          const j = i + (b % (s.length - i + 1));
          return s.slice(0, i) + ins + s.slice(j);
        });
  const msg = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), msgFromSeed, msgFromSeed);
  let seq = 0;
  fc.assert(
    fc.property(app, msg, fc.integer({ min: 0, max: 4_102_444_800_000 }), (program, text, time) => {
      const input: BodyInput = { seq: ++seq, time, host: 'h1', envelope: { format: 'rfc3164', app: program, procid: '42', msg: text } };
      const claimed = parser.claims?.(input) ?? false;
      expect(typeof claimed).toBe('boolean');
      const outcome = parser.parse(input);
      expectWellFormed(parser, input, outcome);
      if (parser.flush) for (const e of parser.flush(time, false)) expectEvent(parser, e);
    }),
    { numRuns },
  );
  if (parser.flush) for (const e of parser.flush(0, true)) expectEvent(parser, e);
};

/**
 * A golden file check: `value` as JSON (indent `indent`) must equal the file's text. With
 * UPDATE_GOLDEN=1 the file is rewritten first — then read the diff: golden files are reviewed like code.
 */
export const expectGolden = (file: URL, value: unknown, indent = 1): void => {
  const text = `${JSON.stringify(value, null, indent)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
};
