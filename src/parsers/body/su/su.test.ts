// su body parser: representative real lines with their exact events, golden files for every fixture
// (testdata/*.events.json), pinned outcome counts per fixture, the shared body-parser contract and the
// fuzzer's time bound. Fixtures are real lines; see testdata/PROVENANCE.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBodyParserContract, inputFromEnvelope, inputFromLine, expectGolden } from '../testing.js';
import type { BodyInput, ParseOutcome } from '../types.js';
import { su } from './su.js';

const DIR = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
const parser = su();

/** Record lines of a fixture: the text after `log N pass|fail = ` in .ini files, without `#` comments and blank lines. */
function fixtureLines(name: string): string[] {
  let lines = read(name).split('\n');
  if (name.endsWith('.ini')) lines = lines.map((l) => /^log \d+ (?:pass|fail) = (.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined);
  return lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

function fixtureInputs(name: string): { inputs: BodyInput[]; lines: string[]; noEnvelope: number } {
  const inputs: BodyInput[] = [];
  const lines: string[] = [];
  let noEnvelope = 0;
  for (const line of fixtureLines(name)) {
    try {
      inputs.push(inputFromLine(line, inputs.length + 1));
      lines.push(line);
    } catch {
      noEnvelope++;
    }
  }
  return { inputs, lines, noEnvelope };
}

/** The pipeline dispatches by program: records not tagged `su` never reach this parser. */
const outcomeOf = (input: BodyInput): ParseOutcome => (input.envelope.app === 'su' ? parser.parse(input) : { kind: 'not-mine' });
const one = (line: string): ParseOutcome => outcomeOf(inputFromLine(line));

const FIXTURES = ['ossec-1101.log', 'wazuh-su.ini', 'syslog-vectors-su.log', 'loghub-linux-su-pam.log', 'tlog-journal-good-su.json'] as const;

describe('su: representative real lines', () => {
  it('util-linux `FAILED SU (to root) user on tty` from the journal, with its audit and logind sessions', () => {
    const [, failed] = fixtureLines('tlog-journal-good-su.json');
    expect(one(failed ?? '')).toEqual({
      kind: 'events',
      events: [
        {
          seq: 1,
          time: 1543433190519,
          host: 'mytesthost.example.test',
          kind: 'privilege_failed',
          action: 'su',
          user: 'localuser1',
          targetUser: 'root',
          tty: 'pts/2',
          reason: 'FAILED SU',
          hints: { pid: '1801', tty: 'pts/2', auditSession: '5', logindSession: '5' },
          parser: 'su@1',
          detail: { form: 'util-linux' },
        },
      ],
    });
  });

  it('pam lines under su are the pam parser’s', () => {
    const [pam] = fixtureLines('tlog-journal-good-su.json');
    expect(one(pam ?? '')).toEqual({ kind: 'not-mine' });
  });

  it('BSD `user to target on /dev/tty` and `BAD SU`', () => {
    expect(one('Sep 11 01:40:59 bogus.com su: ericx to root on /dev/ttyu0')).toEqual({
      kind: 'events',
      events: [
        {
          seq: 1,
          time: Date.UTC(2026, 8, 11, 1, 40, 59),
          host: 'bogus.com',
          kind: 'privilege',
          action: 'su',
          user: 'ericx',
          targetUser: 'root',
          tty: 'ttyu0',
          hints: { tty: 'ttyu0' },
          parser: 'su@1',
          detail: { form: 'bsd' },
        },
      ],
    });
    expect(one('Apr 27 15:22:23 niban su[234]: BAD SU ger to fwmaster on /dev/ttyp0')).toMatchObject({
      kind: 'events',
      events: [{ kind: 'privilege_failed', user: 'ger', targetUser: 'fwmaster', tty: 'ttyp0', reason: 'BAD SU', hints: { pid: '234', tty: 'ttyp0' } }],
    });
  });

  it('old shadow `+ tty caller-target` / `- tty caller-target`; `Authentication failed for` adds nothing', () => {
    expect(one('Jul  5 00:30:21 lili su[2190]: + pts/4 dcid-root')).toMatchObject({
      kind: 'events',
      events: [{ kind: 'privilege', user: 'dcid', targetUser: 'root', tty: 'pts/4', hints: { pid: '2190', tty: 'pts/4' }, detail: { form: 'shadow' } }],
    });
    expect(one('Jul  5 12:13:15 lili su[2614]: - pts/6 dcid-root')).toMatchObject({
      kind: 'events',
      events: [{ kind: 'privilege_failed', user: 'dcid', targetUser: 'root', tty: 'pts/6', reason: 'FAILED su' }],
    });
    expect(one('Jul  5 12:13:15 lili su[2614]: Authentication failed for root')).toEqual({ kind: 'events', events: [] });
  });

  it('IRIX `failed: tty changing from a to b` and Solaris `\'su root\' failed for user on tty`', () => {
    expect(one('Apr 27 15:22:23 niban su[2921936]: failed: ttyq4 changing from ldap to root')).toMatchObject({
      kind: 'events',
      events: [{ kind: 'privilege_failed', user: 'ldap', targetUser: 'root', tty: 'ttyq4', reason: 'failed', detail: { form: 'irix' } }],
    });
    expect(one("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8")).toMatchObject({
      kind: 'events',
      events: [{ kind: 'privilege_failed', user: 'lonvick', targetUser: 'root', tty: 'pts/8', reason: 'failed', detail: { form: 'solaris' } }],
    });
  });

  it('records of other programs (su(pam_unix)) never reach it; if they did it would refuse them', () => {
    const [line] = fixtureLines('loghub-linux-su-pam.log');
    const input = inputFromLine(line ?? '');
    expect(input.envelope.app).toBe('su(pam_unix)');
    expect(parser.parse(input)).toEqual({ kind: 'not-mine' });
  });
});

// Shapes with no real sample in the corpus, from the programs' format strings (util-linux
// login-utils/su-common.c log_syslog; shadow src/su.c and lib/sulog.c). They pin behaviour; not fixtures.
describe('su: shapes from the format strings', () => {
  const body = (msg: string): ParseOutcome => parser.parse(inputFromEnvelope({ format: 'rfc3164', app: 'su', procid: '9', msg }, 1));

  it('util-linux success; terminal `none` means no terminal', () => {
    expect(body('(to root) alice on pts/0')).toEqual({
      kind: 'events',
      events: [
        {
          seq: 1,
          time: expect.any(Number),
          host: '127.0.0.1',
          kind: 'privilege',
          action: 'su',
          user: 'alice',
          targetUser: 'root',
          tty: 'pts/0',
          hints: { pid: '9', tty: 'pts/0' },
          parser: 'su@1',
          detail: { form: 'util-linux' },
        },
      ],
    });
    expect(body('(to nobody) root on none')).toMatchObject({ events: [{ kind: 'privilege', user: 'root', targetUser: 'nobody', hints: { pid: '9' } }] });
    const o = body('(to nobody) root on none');
    expect(o.kind === 'events' && o.events[0]?.tty).toBeUndefined();
  });

  it('shadow: `+ tty a:b`, `- tty a:b`, sulog lines', () => {
    expect(body('+ pts/0 alice:root')).toMatchObject({ events: [{ kind: 'privilege', user: 'alice', targetUser: 'root', tty: 'pts/0' }] });
    expect(body('- pts/0 alice:root')).toMatchObject({ events: [{ kind: 'privilege_failed', user: 'alice', targetUser: 'root', reason: 'FAILED su' }] });
    expect(body('Successful su for root by alice')).toMatchObject({ events: [{ kind: 'privilege', user: 'alice', targetUser: 'root', detail: { form: 'shadow-sulog' } }] });
    expect(body('FAILED su for root by alice')).toMatchObject({ events: [{ kind: 'privilege_failed', user: 'alice', targetUser: 'root', reason: 'FAILED su' }] });
  });

  it('unknown messages are unparsed; pam_ lines are not mine', () => {
    expect(body('something else entirely')).toMatchObject({ kind: 'unparsed', reason: 'unknown-message' });
    expect(body('pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)')).toEqual({ kind: 'not-mine' });
    expect(body('(to root alice on pts/0')).toMatchObject({ kind: 'unparsed' });
  });
});

describe('su: fixtures', () => {
  const COUNTS: Record<string, { noEnvelope: number; events: number; unparsed: number; notMine: number; eventCount: number }> = {
    'ossec-1101.log': { noEnvelope: 4, events: 5, unparsed: 0, notMine: 5, eventCount: 4 },
    'wazuh-su.ini': { noEnvelope: 0, events: 3, unparsed: 0, notMine: 2, eventCount: 3 },
    'syslog-vectors-su.log': { noEnvelope: 0, events: 2, unparsed: 0, notMine: 0, eventCount: 2 },
    'loghub-linux-su-pam.log': { noEnvelope: 0, events: 0, unparsed: 0, notMine: 4, eventCount: 0 },
    'tlog-journal-good-su.json': { noEnvelope: 0, events: 1, unparsed: 0, notMine: 1, eventCount: 1 },
  };

  for (const name of FIXTURES) {
    it(`${name}: outcome counts and golden events`, () => {
      const { inputs, lines, noEnvelope } = fixtureInputs(name);
      const outcomes = inputs.map(outcomeOf);
      const count = (k: ParseOutcome['kind']): number => outcomes.filter((o) => o.kind === k).length;
      const eventCount = outcomes.reduce((n, o) => n + (o.kind === 'events' ? o.events.length : 0), 0);
      expect({ noEnvelope, events: count('events'), unparsed: count('unparsed'), notMine: count('not-mine'), eventCount }).toEqual(COUNTS[name]);

      const golden = outcomes.map((outcome, i) => ({ line: lines[i], outcome }));
      const file = new URL(`${name.replace(/\.(log|ini|json)$/, '')}.events.json`, DIR);
      expectGolden(file, golden, 2);
    });
  }
});

describe('su: contract and time bound', () => {
  const seeds = FIXTURES.flatMap((n) => fixtureInputs(n).inputs.map((i) => i.envelope.msg));

  it('keeps the body-parser contract', () => {
    checkBodyParserContract(su, seeds);
  });

  it('is stateless: the factory returns one frozen parser', () => {
    expect(su()).toBe(su());
    expect(Object.isFrozen(su())).toBe(true);
  });

  it('reads 64 KiB adversarial messages in well under 50 ms each', () => {
    // su refuses anything over 4 KiB up front; 4000 characters reach the readers themselves.
    for (const big of [4000, 64 * 1024]) {
    const nasty = [
      `(to ${'a'.repeat(big)}`,
      `FAILED SU (to root) ${' on '.repeat(big / 4)}`,
      `+ ${'x'.repeat(big)} a:b`,
      `${'a to '.repeat(big / 5)}b`,
      `'su ${"'".repeat(big)}`,
      `Successful su for ${' by '.repeat(big / 4)}`,
      'succeeded: '.repeat(big / 11),
    ];
    // Timing is not asserted here (npm run fuzz measures it); a catastrophic scan would hit the test timeout.
    for (const msg of nasty) expect(parser.parse({ seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'su', msg } }).kind).toMatch(/^(events|unparsed|not-mine)$/);
    }
  });
});
