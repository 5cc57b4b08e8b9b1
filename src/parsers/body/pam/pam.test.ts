import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BodyInput } from '../types.js';
import { checkBodyParserContract, inputFromLine, runParser, expectGolden } from '../testing.js';
import { pam } from './pam.js';

const dir = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const linesOf = (name: string): string[] =>
  name.endsWith('.ini')
    ? read(name).split('\n').flatMap((l) => (/^log \d+ (pass|fail) = /.test(l) ? [l.slice(l.indexOf(' = ') + 3)] : []))
    : read(name).split('\n').filter((l) => l.trim() !== '');
const inputsOf = (lines: readonly string[], format?: 'journald'): { inputs: BodyInput[]; noEnvelope: number } => {
  const inputs: BodyInput[] = [];
  let noEnvelope = 0;
  lines.forEach((l, i) => {
    try {
      inputs.push(inputFromLine(l, i + 1, format ? { format } : {}));
    } catch {
      noEnvelope++;
    }
  });
  return { inputs, noEnvelope };
};

/** What the registry would do: a record pam does not claim never reaches it. */
const dispatch = (input: BodyInput) => (pam().claims!(input) ? pam().parse(input) : ({ kind: 'not-mine' } as const));
const event1 = (line: string) => {
  const o = dispatch(inputFromLine(line));
  expect(o.kind, line).toBe('events');
  if (o.kind !== 'events') throw new Error('unreachable');
  expect(o.events).toHaveLength(1);
  const { seq: _s, time: _t, host: _h, parser, ...rest } = o.events[0]!;
  expect(parser).toBe('pam@1');
  return rest;
};

describe('pam', () => {
  it('maps sessions and failures by service (real lines)', () => {
    const table: [string, object][] = [
      [
        'Nov 29 20:32:56 vm sshd[18918]: pam_unix(sshd:session): session opened for user cs-carol(uid=1003) by (uid=0)',
        { kind: 'login', action: 'session-opened', user: 'cs-carol', detail: { service: 'sshd', uid: '1003', byUid: '0' }, hints: { sshdPid: '18918' } },
      ],
      [
        'Nov 29 20:32:56 vm sshd[18918]: pam_unix(sshd:session): session closed for user cs-carol',
        { kind: 'logout', action: 'session-closed', user: 'cs-carol', detail: { service: 'sshd' }, hints: { sshdPid: '18918' } },
      ],
      [
        'Jul  7 08:06:15 combo login(pam_unix)[2421]: session opened for user root by LOGIN(uid=0)',
        { kind: 'login', action: 'session-opened', user: 'root', detail: { service: 'login', byUid: '0', byUser: 'LOGIN' }, hints: { pid: '2421' } },
      ],
      [
        'Nov 11 22:46:29 localhost su(pam_unix)[14592]: session opened for user news by (uid=0)',
        { kind: 'privilege', action: 'session-opened', targetUser: 'news', detail: { service: 'su', byUid: '0' }, hints: { pid: '14592' } },
      ],
      [
        'Nov 11 22:46:29 localhost su(pam_unix)[14592]: session closed for user news',
        { kind: 'privilege', action: 'session-closed', targetUser: 'news', detail: { service: 'su' }, hints: { pid: '14592' } },
      ],
      [
        'Nov 29 20:32:57 vm sshd[18959]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=cs-carol',
        {
          kind: 'login_failed',
          action: 'auth-failure',
          user: 'cs-carol',
          reason: 'authentication failure',
          remote: '127.0.0.1',
          detail: { service: 'sshd', uid: '0', euid: '0', pamTty: 'ssh' },
          hints: { sshdPid: '18959' },
        },
      ],
      [
        'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ',
        { kind: 'login_failed', action: 'auth-failure', reason: 'authentication failure', remote: '218.188.2.4', detail: { service: 'sshd', uid: '0', euid: '0', pamTty: 'NODEVssh' }, hints: { sshdPid: '19939' } },
      ],
      [
        'Jun  2 19:08:43 host.name sudo[654321]: pam_unix(sudo:auth): authentication failure; logname=bob uid=1117 euid=0 tty=/dev/pts/1 ruser=alice rhost= user=root',
        {
          kind: 'privilege_failed',
          action: 'auth-failure',
          user: 'alice',
          targetUser: 'root',
          reason: 'authentication failure',
          tty: 'pts/1',
          detail: { service: 'sudo', logname: 'bob', uid: '1117', euid: '0', ruser: 'alice' },
          hints: { pid: '654321', tty: 'pts/1' },
        },
      ],
      [
        'Nov 11 22:46:29 localhost su(pam_unix)[23164]: authentication failure; logname= uid=1342 euid=0 tty= ruser=dcid rhost=  user=osaudit',
        { kind: 'privilege_failed', action: 'auth-failure', user: 'dcid', targetUser: 'osaudit', reason: 'authentication failure', detail: { service: 'su', uid: '1342', euid: '0', ruser: 'dcid' }, hints: { pid: '23164' } },
      ],
    ];
    for (const [line, expected] of table) expect(event1(line), line).toStrictEqual(expected);
  });

  it('keeps known messages that carry nothing for sessions as zero events', () => {
    for (const line of [
      'Nov 29 20:32:56 vm sshd[18918]: pam_systemd(sshd:session): Failed to connect to system bus: No such file or directory',
      'May  4 17:48:43 collectd sshd[15044]: pam_systemd(sshd:session): Failed to create session: Access denied',
      "Nov 29 20:32:56 vm sshd[18918]: pam_limits(sshd:session): Could not set limit for 'nofile' to soft=1024, hard=32768: Operation not permitted; uid=0,euid=0",
      'Nov 29 20:32:56 vm sshd[18918]: pam_env(sshd:session): deprecated reading of user environment enabled',
      'Nov 29 20:33:06 vm sshd[19080]: pam_unix(sshd:auth): check pass; user unknown',
      'Nov 11 22:46:29 localhost sshd(pam_unix)[15794]: 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.3.1  user=root',
    ]) expect(dispatch(inputFromLine(line)), line).toStrictEqual({ kind: 'events', events: [] });
  });

  it('claims only pam lines; unknown modules are unparsed', () => {
    expect(pam().claims!(inputFromLine('Nov 29 20:33:06 vm sshd[19080]: Invalid user nosuchuser from 127.0.0.1 port 54178'))).toBe(false);
    expect(pam().parse(inputFromLine('Nov 29 20:33:06 vm sshd[19080]: Invalid user nosuchuser from 127.0.0.1 port 54178'))).toStrictEqual({ kind: 'not-mine' });
    expect(dispatch(inputFromLine('Feb 22 12:53:50 h sshd[1]: pam_sss(sshd:auth): received for user x: 7 (Authentication failure)'))).toMatchObject({ kind: 'unparsed', reason: 'unknown-message' });
  });

  // Timing is not asserted here (npm run fuzz measures it); a catastrophic scan would hit the test timeout.
  it('reads long hostile messages without throwing', () => {
    for (const msg of ['pam_unix(su:auth): authentication failure; ' + 'a= '.repeat(20000), 'pam_unix(sudo:session): session opened for user ' + ' by '.repeat(15000)]) {
      expect(pam().parse({ seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'sudo', procid: '1', msg } }).kind).toMatch(/^(events|unparsed|not-mine)$/);
    }
  });

  it('keeps the body-parser contract', () => {
    const seeds = [...linesOf('capture-openssh-9.2-info.log'), ...linesOf('wazuh-pam.ini'), ...linesOf('Linux_2k.log').slice(0, 300)]
      .flatMap((l) => {
        try {
          return [inputFromLine(l).envelope.msg];
        } catch {
          return [];
        }
      })
      .filter((m) => m.startsWith('pam_'));
    checkBodyParserContract(pam, seeds);
  });

  it('matches the golden events of capture-openssh-9.2-info.log', () => {
    const { events } = runParser({ ...pam(), parse: dispatch }, inputsOf(linesOf('capture-openssh-9.2-info.log')).inputs);
    const golden = new URL('capture-openssh-9.2-info.events.json', dir);
    expectGolden(golden, events);
  });

  it('pins the outcome counts per corpus file', () => {
    const counts = Object.fromEntries(
      [
        ['Linux_2k.log'],
        ['wazuh-pam.ini'],
        ['elastic-test-auth.log'],
        ['capture-openssh-9.2-info.log'],
        ['../../sshd/testdata/OpenSSH_2k.log'],
        ['../../systemd-logind/testdata/tlog-journal-good.json', 'journald'],
      ].map(([name, format]) => {
        const { inputs, noEnvelope } = inputsOf(linesOf(name!), format as 'journald' | undefined);
        const c = { events: 0, eventCount: 0, noise: 0, unparsed: 0, notMine: 0, noEnvelope };
        for (const input of inputs) {
          const o = dispatch(input);
          if (o.kind === 'events') {
            c.events++;
            c.eventCount += o.events.length;
            if (o.events.length === 0) c.noise++;
          } else if (o.kind === 'unparsed') c.unparsed++;
          else if (o.kind === 'not-mine') c.notMine++;
        }
        return [name, c];
      }),
    );
    expect(counts).toMatchInlineSnapshot(`
      {
        "../../sshd/testdata/OpenSSH_2k.log": {
          "eventCount": 496,
          "events": 631,
          "noEnvelope": 0,
          "noise": 135,
          "notMine": 1369,
          "unparsed": 0,
        },
        "../../systemd-logind/testdata/tlog-journal-good.json": {
          "eventCount": 3,
          "events": 5,
          "noEnvelope": 0,
          "noise": 2,
          "notMine": 46,
          "unparsed": 0,
        },
        "Linux_2k.log": {
          "eventCount": 736,
          "events": 853,
          "noEnvelope": 0,
          "noise": 117,
          "notMine": 1147,
          "unparsed": 0,
        },
        "capture-openssh-9.2-info.log": {
          "eventCount": 8,
          "events": 21,
          "noEnvelope": 0,
          "noise": 13,
          "notMine": 20,
          "unparsed": 0,
        },
        "elastic-test-auth.log": {
          "eventCount": 1,
          "events": 1,
          "noEnvelope": 0,
          "noise": 0,
          "notMine": 11,
          "unparsed": 0,
        },
        "wazuh-pam.ini": {
          "eventCount": 3,
          "events": 5,
          "noEnvelope": 0,
          "noise": 2,
          "notMine": 0,
          "unparsed": 0,
        },
      }
    `);
  });
});
