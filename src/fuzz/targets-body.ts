// Fuzz targets for the body stage: each body parser alone, and the registry that dispatches a record
// to them. An input is `program NUL message` (bytes, decoded as UTF-8 like a record's text). Every
// outcome must be one of the contract's: events (well formed), pending, not-mine, or unparsed with
// a reason from the closed list (what the derive stage counts per parser).
import fc from 'fast-check';
import { EVENT_KINDS, type Event } from '../model/event.js';
import { parseEnvelope } from '../parsers/envelope/index.js';
import { BODY_PARSERS, BodyParsers } from '../parsers/body/index.js';
import { BODY_UNPARSED_REASONS, type BodyInput, type BodyParser, type BodyParserFactory, type ParseOutcome } from '../parsers/body/types.js';
import { corpusLines } from './corpus.js';
import { mutated, rawBytes } from './mutate.js';
import { check, type FuzzTarget } from './target.js';

const RECEIVED_AT = Date.UTC(2026, 5, 15, 12, 0, 0);
const OTHER_PROGRAMS = ['sshd', 'sudo', 'su', 'login', 'kernel', 'systemd-logind', 'tlog-rec-session', 'mgd', 'tac_plus', 'snoopy', 'audit', 'other'];

/** `program NUL message` → a BodyInput. */
export const bodyInput = (bytes: Uint8Array): BodyInput => {
  const b = Buffer.from(bytes);
  const nul = b.indexOf(0);
  const app = nul === -1 ? 'other' : b.subarray(0, nul).toString('utf8');
  const msg = (nul === -1 ? b : b.subarray(nul + 1)).toString('utf8');
  // time and procid from the bytes, so an input replays the same.
  const time = RECEIVED_AT + (b.length % 86_400) * 1000;
  return { seq: 1 + (b.length % 1000), time, host: 'fuzz-host', envelope: { format: 'rfc3164', app, procid: String(b.length % 65536), msg } };
};

const encode = (app: string, msg: Uint8Array): Uint8Array => Buffer.concat([Buffer.from(app, 'utf8'), Buffer.from([0]), msg]);

/** Real (program, message) pairs from the corpus, through the real envelope parsers. */
let realPairs: { app: string; msg: Uint8Array }[] | null = null;
const pairs = (): { app: string; msg: Uint8Array }[] => {
  if (realPairs !== null) return realPairs;
  realPairs = [];
  for (const line of corpusLines()) {
    const r = parseEnvelope(Buffer.from(line, 'utf8'), { receivedAt: RECEIVED_AT, timezone: 'UTC' });
    if (r.ok && r.value.msg !== '') realPairs.push({ app: r.value.app ?? 'other', msg: Buffer.from(r.value.msg, 'utf8') });
  }
  return realPairs;
};

const inputs = (programs: readonly string[]): fc.Arbitrary<Uint8Array> => {
  const own = pairs().filter((p) => programs.includes(p.app));
  const msgs = (own.length > 0 ? own : pairs()).map((p) => p.msg);
  const app = fc.constantFrom(...programs, ...OTHER_PROGRAMS);
  return fc.oneof(
    { weight: 1, arbitrary: fc.tuple(app, rawBytes()).map(([a, m]) => encode(a, m)) },
    { weight: 1, arbitrary: fc.tuple(app, fc.string({ unit: 'binary', maxLength: 300 })).map(([a, m]) => encode(a, Buffer.from(m, 'utf8'))) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...programs, ...programs, ...OTHER_PROGRAMS), mutated(msgs)).map(([a, m]) => encode(a, m)) },
  );
};

const checkEvent = (parser: BodyParser | null, e: Event, input?: BodyInput): void => {
  if (parser !== null) check(e.parser === `${parser.id}@${parser.version}`, `event parser ${e.parser} from ${parser.id}`);
  check((EVENT_KINDS as readonly string[]).includes(e.kind), `event kind ${e.kind}`);
  check(Number.isFinite(e.time), `event time ${e.time}`);
  check(typeof e.host === 'string' && e.host !== '', 'event without host');
  check(typeof e.hints === 'object' && e.hints !== null, 'event without hints');
  if (input !== undefined) check(e.seq === input.seq, `event seq ${e.seq} for record ${input.seq}`);
  JSON.stringify(e); // stored as JSON
};

const checkOutcome = (parser: BodyParser | null, input: BodyInput, o: ParseOutcome): void => {
  switch (o.kind) {
    case 'not-mine':
    case 'pending':
      return;
    case 'unparsed':
      check((BODY_UNPARSED_REASONS as readonly string[]).includes(o.reason), `unparsed reason ${o.reason}`);
      check(typeof o.message === 'string', 'unparsed without message');
      return;
    case 'events':
      for (const e of o.events) checkEvent(parser, e, input);
      return;
    default:
      check(false, `outcome kind ${(o as { kind: string }).kind}`);
  }
};

const bodyTarget = (factory: BodyParserFactory): FuzzTarget => {
  const probe = factory();
  return {
    id: `body-${probe.id}`,
    about: `body parser ${probe.id} (${probe.programs.join(', ') || 'claims only'})`,
    arbitrary: () => inputs(probe.programs),
    run(bytes) {
      const parser = factory(); // a fresh one: stateful parsers (auditd) make each input independent
      const input = bodyInput(bytes);
      const claimed = parser.claims?.(input) ?? false;
      check(typeof claimed === 'boolean', 'claims() returned a non-boolean');
      checkOutcome(parser, input, parser.parse(input));
      if (parser.flush) for (const e of parser.flush(input.time + 3_600_000, true)) checkEvent(parser, e);
    },
  };
};

const ALL_PROGRAMS = [...new Set(BODY_PARSERS.flatMap((f) => f().programs))];

export const bodyRegistryTarget: FuzzTarget = {
  id: 'body-registry',
  about: 'body-parser registry: claimers, then the parsers of the record\'s program',
  arbitrary: () => inputs(ALL_PROGRAMS),
  run(bytes) {
    const registry = new BodyParsers();
    const input = bodyInput(bytes);
    const d = registry.parse(input);
    checkOutcome(d.parser, input, d.outcome);
    check(d.parser !== null || d.outcome.kind === 'not-mine', 'an outcome without a parser');
    for (const e of registry.flush(input.time + 3_600_000, true)) checkEvent(null, e);
  },
};

export const bodyTargets: readonly FuzzTarget[] = [...BODY_PARSERS.map(bodyTarget), bodyRegistryTarget];
