import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BodyInput, BodyParser } from '../types.js';
import { checkBodyParserContract, inputFromLine, runParser, expectGolden } from '../testing.js';
import { sshd } from './sshd.js';

const dir = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
/** Raw lines of a fixture: INI test files (wazuh) hold them after "log N pass = ". */
const linesOf = (name: string, text = read(name)): string[] =>
  name.endsWith('.ini')
    ? text.split('\n').flatMap((l) => (/^log \d+ (pass|fail) = /.test(l) ? [l.slice(l.indexOf(' = ') + 3)] : []))
    : text.split('\n').filter((l) => l.trim() !== '');

/** Inputs for the lines that have an envelope; the rest are counted. */
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

const countOutcomes = (p: BodyParser, inputs: readonly BodyInput[]) => {
  const c = { events: 0, eventCount: 0, noise: 0, unparsed: 0, notMine: 0 };
  for (const input of inputs) {
    const o = p.parse(input);
    if (o.kind === 'events') {
      c.events++;
      c.eventCount += o.events.length;
      if (o.events.length === 0) c.noise++;
    } else if (o.kind === 'unparsed') c.unparsed++;
    else if (o.kind === 'not-mine') c.notMine++;
  }
  return c;
};

const parseLine = (line: string) => sshd().parse(inputFromLine(line));
const event1 = (line: string) => {
  const o = parseLine(line);
  expect(o.kind).toBe('events');
  if (o.kind !== 'events') throw new Error('unreachable');
  expect(o.events).toHaveLength(1);
  const e = o.events[0]!;
  // seq, time, host and parser are the same for every line: checked here once, left out of the table.
  expect(e.seq).toBe(1);
  expect(e.parser).toBe('sshd@1');
  const { seq: _s, time: _t, host: _h, parser: _p, ...rest } = e;
  return rest;
};

describe('sshd', () => {
  it('reads logins, failures, probes and logouts (real lines)', () => {
    const table: [string, object][] = [
      [
        'Nov 29 20:32:56 vm sshd[18918]: Accepted publickey for cs-carol from 127.0.0.1 port 42626 ssh2: ED25519 SHA256:k1n5ZjX1GF8YbIvZ/F2MG1E2uBwKBitNZFgmZZAzcYQ',
        {
          kind: 'login',
          action: 'accepted',
          user: 'cs-carol',
          remote: '127.0.0.1',
          remotePort: 42626,
          auth: { method: 'publickey', keyType: 'ED25519', fingerprint: 'SHA256:k1n5ZjX1GF8YbIvZ/F2MG1E2uBwKBitNZFgmZZAzcYQ' },
          hints: { sshdPid: '18918', sshConn: '127.0.0.1 42626' },
        },
      ],
      [
        'Nov 29 20:32:56 vm sshd[18931]: Accepted publickey for cs-carol from 127.0.0.1 port 42630 ssh2: ED25519-CERT SHA256:5bwk9pbiWByOl9R8NLGPQ+7hf0P4BgT966Aq4OfhUEo ID carol-laptop (serial 7) CA ED25519 SHA256:3Mau4JNK76o2sFzgI+of/4Bhjo78Vqa0ZPEgw9YxNOE',
        {
          kind: 'login',
          action: 'accepted',
          user: 'cs-carol',
          remote: '127.0.0.1',
          remotePort: 42630,
          auth: {
            method: 'certificate',
            keyType: 'ED25519-CERT',
            fingerprint: 'SHA256:5bwk9pbiWByOl9R8NLGPQ+7hf0P4BgT966Aq4OfhUEo',
            certId: 'carol-laptop',
            certSerial: '7',
            caFingerprint: 'SHA256:3Mau4JNK76o2sFzgI+of/4Bhjo78Vqa0ZPEgw9YxNOE',
          },
          hints: { sshdPid: '18931', sshConn: '127.0.0.1 42630' },
        },
      ],
      [
        'Feb 21 21:54:44 localhost sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84',
        {
          kind: 'login',
          action: 'accepted',
          user: 'vagrant',
          remote: '10.0.2.2',
          remotePort: 63673,
          auth: { method: 'publickey', keyType: 'RSA', fingerprint: '39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84' },
          hints: { sshdPid: '3402', sshConn: '10.0.2.2 63673' },
        },
      ],
      [
        'Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2',
        { kind: 'login', action: 'accepted', user: 'fztu', remote: '119.137.62.142', remotePort: 49116, auth: { method: 'password' }, hints: { sshdPid: '24680', sshConn: '119.137.62.142 49116' } },
      ],
      [
        'Nov 29 20:33:22 vm sshd[19398]: Failed keyboard-interactive/pam for cs-carol from 127.0.0.1 port 40360 ssh2',
        {
          kind: 'login_failed',
          action: 'failed',
          user: 'cs-carol',
          remote: '127.0.0.1',
          remotePort: 40360,
          auth: { method: 'keyboard-interactive' },
          reason: 'failed keyboard-interactive/pam',
          detail: { authMethod: 'keyboard-interactive/pam' },
          hints: { sshdPid: '19398', sshConn: '127.0.0.1 40360' },
        },
      ],
      [
        'Nov 29 20:33:19 vm sshd[19386]: Failed publickey for cs-carol from 127.0.0.1 port 40346 ssh2: ED25519 SHA256:k1n5ZjX1GF8YbIvZ/F2MG1E2uBwKBitNZFgmZZAzcYQ',
        {
          kind: 'login_failed',
          action: 'failed',
          user: 'cs-carol',
          remote: '127.0.0.1',
          remotePort: 40346,
          auth: { method: 'publickey', keyType: 'ED25519', fingerprint: 'SHA256:k1n5ZjX1GF8YbIvZ/F2MG1E2uBwKBitNZFgmZZAzcYQ' },
          reason: 'failed publickey',
          hints: { sshdPid: '19386', sshConn: '127.0.0.1 40346' },
        },
      ],
      [
        'Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2',
        {
          kind: 'login_failed',
          action: 'failed',
          user: 'webmaster',
          remote: '173.234.31.186',
          remotePort: 38926,
          auth: { method: 'password' },
          reason: 'invalid user',
          detail: { invalidUser: true },
          hints: { sshdPid: '24200', sshConn: '173.234.31.186 38926' },
        },
      ],
      [
        'Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
        {
          kind: 'login_failed',
          action: 'failed',
          user: 'root',
          remote: '5.36.59.76',
          remotePort: 42393,
          auth: { method: 'password' },
          reason: 'failed password',
          detail: { repeated: 5 },
          hints: { sshdPid: '24227', sshConn: '5.36.59.76 42393' },
        },
      ],
      [
        'Aug 18 07:30:25 192.168.1.5 sshd[20247]: [ID 800047 auth.notice] Failed none for root from 192.168.1.1 port 36942 ssh2',
        {
          kind: 'login_failed',
          action: 'failed',
          user: 'root',
          remote: '192.168.1.1',
          remotePort: 36942,
          auth: { method: 'none' },
          reason: 'failed none',
          hints: { sshdPid: '20247', sshConn: '192.168.1.1 36942' },
        },
      ],
      [
        'Nov 29 20:33:06 vm sshd[19080]: Invalid user nosuchuser from 127.0.0.1 port 54178',
        { kind: 'alert_only', action: 'invalid-user', user: 'nosuchuser', remote: '127.0.0.1', remotePort: 54178, reason: 'invalid user', hints: { sshdPid: '19080', sshConn: '127.0.0.1 54178' } },
      ],
      [
        'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
        { kind: 'alert_only', action: 'invalid-user', user: 'webmaster', remote: '173.234.31.186', reason: 'invalid user', hints: { sshdPid: '24200' } },
      ],
      [
        '2020-03-25 07:46:15.205351-0700  localhost sshd[6738]: User root from 192.168.33.1 not allowed because not listed in AllowUsers',
        { kind: 'alert_only', action: 'not-allowed', user: 'root', remote: '192.168.33.1', reason: 'not allowed because not listed in AllowUsers', hints: { sshdPid: '6738' } },
      ],
      [
        'Nov 29 20:32:56 vm sshd[18924]: Received disconnect from 127.0.0.1 port 42626:11: disconnected by user',
        { kind: 'logout', action: 'received-disconnect', remote: '127.0.0.1', remotePort: 42626, reason: 'disconnected by user', detail: { disconnectCode: '11' }, hints: { sshdPid: '18924', sshConn: '127.0.0.1 42626' } },
      ],
      [
        'Dec 10 09:32:20 LabSZ sshd[24680]: Received disconnect from 119.137.62.142: 11: disconnected by user',
        { kind: 'logout', action: 'received-disconnect', remote: '119.137.62.142', reason: 'disconnected by user', detail: { disconnectCode: '11' }, hints: { sshdPid: '24680' } },
      ],
      [
        'Nov 29 20:32:56 vm sshd[18924]: Disconnected from user cs-carol 127.0.0.1 port 42626',
        { kind: 'logout', action: 'disconnected', user: 'cs-carol', remote: '127.0.0.1', remotePort: 42626, hints: { sshdPid: '18924', sshConn: '127.0.0.1 42626' } },
      ],
      [
        'Feb 10 23:21:05 someserver sshd[1234]: Read error from remote host 192.168.1.1: Connection reset by peer',
        { kind: 'logout', action: 'read-error', remote: '192.168.1.1', reason: 'Connection reset by peer', hints: { sshdPid: '1234' } },
      ],
      [
        'Nov 29 20:33:19 vm sshd[19395]: Starting session: command for cs-carol from 127.0.0.1 port 40358 id 0',
        {
          kind: 'login',
          action: 'session-started',
          user: 'cs-carol',
          remote: '127.0.0.1',
          remotePort: 40358,
          detail: { sessionType: 'command', channel: '0' },
          hints: { sshdPid: '19395', sshConn: '127.0.0.1 40358' },
        },
      ],
    ];
    for (const [line, expected] of table) expect(event1(line), line).toStrictEqual(expected);
  });

  it('keeps known messages that carry nothing for sessions as zero events', () => {
    for (const line of [
      'Nov 29 20:32:55 vm sshd[18915]: Server listening on 127.0.0.1 port 42222.',
      'Nov 29 20:33:19 vm sshd[19386]: Connection from 127.0.0.1 port 40346 on 127.0.0.1 port 42222 rdomain ""',
      'Nov 29 20:33:05 vm sshd[18959]: Connection closed by authenticating user cs-carol 127.0.0.1 port 42644 [preauth]',
      'Nov 29 20:33:09 vm sshd[19080]: Connection closed by invalid user nosuchuser 127.0.0.1 port 54178 [preauth]',
      'Nov 29 20:33:05 vm sshd[18959]: PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=cs-carol',
      'Nov 29 20:33:19 vm sshd[19389]: Accepted certificate ID "carol-laptop" (serial 7) signed by ED25519 CA SHA256:3Mau4JNK76o2sFzgI+of/4Bhjo78Vqa0ZPEgw9YxNOE via /tmp/cs-sshd-cap/ca.pub',
      'Nov 29 20:33:22 vm sshd[19398]: error: PAM: Authentication failure for cs-carol from 127.0.0.1',
      'Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
      'Dec 10 06:55:46 LabSZ sshd[24200]: input_userauth_request: invalid user webmaster [preauth]',
      'Feb 19 15:30:04 slave22 sshd[18406]: Did not receive identification string from 89.160.20.156',
      'Nov 29 20:33:12 vm sshd[18915]: Received signal 15; terminating.',
    ]) expect(parseLine(line), line).toStrictEqual({ kind: 'events', events: [] });
  });

  it('leaves pam_* lines and other programs to other parsers; unknown messages are unparsed', () => {
    expect(parseLine('Nov 29 20:32:56 vm sshd[18918]: pam_unix(sshd:session): session opened for user cs-carol(uid=1003) by (uid=0)')).toStrictEqual({ kind: 'not-mine' });
    expect(parseLine('Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls')).toStrictEqual({ kind: 'not-mine' });
    expect(parseLine('May  5 05:00:38 junction sshd[28395]: Bogus message no sshd writes')).toStrictEqual({
      kind: 'unparsed',
      reason: 'unknown-message',
      message: 'Bogus message no sshd writes',
    });
  });

  it('reads sshd-session (OpenSSH ≥ 9.8) like sshd', () => {
    const input = inputFromLine('Nov 29 20:32:56 vm sshd[18924]: Disconnected from user cs-carol 127.0.0.1 port 42626');
    const o = sshd().parse({ ...input, envelope: { ...input.envelope, app: 'sshd-session' } });
    expect(o.kind === 'events' && o.events[0]?.kind).toBe('logout');
  });

  // Timing is not asserted here (npm run fuzz measures it); a catastrophic scan would hit the test timeout.
  it('reads long hostile messages without throwing', () => {
    const p = sshd();
    const bodies = [
      'Failed password for ' + ' from x'.repeat(9000),
      'Invalid user ' + ' from a port 1x'.repeat(4000),
      'Disconnected from user ' + 'a port 1 port '.repeat(4500),
      'Accepted publickey for a from b port 1 ssh2: X-CERT f ID ' + ' (serial '.repeat(6000),
      'message repeated 1 times: [ ' + 'message repeated 1 times: [ '.repeat(2000),
    ];
    for (const msg of bodies) {
      expect(p.parse({ seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'sshd', procid: '1', msg } }).kind).toMatch(/^(events|unparsed|not-mine)$/);
    }
  });

  it('keeps the body-parser contract', () => {
    const seeds = [
      ...linesOf('capture-openssh-9.2-verbose.log'),
      ...linesOf('wazuh-sshd.ini'),
      ...linesOf('OpenSSH_2k.log').slice(0, 200),
    ].flatMap((l) => {
      try {
        return [inputFromLine(l).envelope.msg];
      } catch {
        return [];
      }
    });
    checkBodyParserContract(sshd, seeds, 1000);
  });

  // Real sshd sessions captured from OpenSSH 9.2 on this machine: the whole event stream, reviewed.
  for (const name of ['capture-openssh-9.2-info.log', 'capture-openssh-9.2-verbose.log']) {
    it(`matches the golden events of ${name}`, () => {
      const { events } = runParser(sshd(), inputsOf(linesOf(name)).inputs);
      const golden = new URL(name.replace(/\.log$/, '.events.json'), dir);
      expectGolden(golden, events);
    });
  }

  it('pins the outcome counts per corpus file', () => {
    const counts = Object.fromEntries(
      [
        ['OpenSSH_2k.log'],
        ['ossec-sshd.log'],
        ['wazuh-sshd.ini'],
        ['elastic-test-auth.log'],
        ['capture-openssh-9.2-info.log'],
        ['capture-openssh-9.2-verbose.log'],
        ['../../systemd-logind/testdata/tlog-journal-good.json', 'journald'],
      ].map(([name, format]) => {
        const { inputs, noEnvelope } = inputsOf(linesOf(name!), format as 'journald' | undefined);
        return [name, { ...countOutcomes(sshd(), inputs), noEnvelope }];
      }),
    );
    expect(counts).toMatchInlineSnapshot(`
      {
        "../../systemd-logind/testdata/tlog-journal-good.json": {
          "eventCount": 3,
          "events": 3,
          "noEnvelope": 0,
          "noise": 0,
          "notMine": 48,
          "unparsed": 0,
        },
        "OpenSSH_2k.log": {
          "eventCount": 639,
          "events": 1369,
          "noEnvelope": 0,
          "noise": 730,
          "notMine": 631,
          "unparsed": 0,
        },
        "capture-openssh-9.2-info.log": {
          "eventCount": 13,
          "events": 19,
          "noEnvelope": 0,
          "noise": 6,
          "notMine": 22,
          "unparsed": 0,
        },
        "capture-openssh-9.2-verbose.log": {
          "eventCount": 13,
          "events": 43,
          "noEnvelope": 0,
          "noise": 30,
          "notMine": 14,
          "unparsed": 0,
        },
        "elastic-test-auth.log": {
          "eventCount": 4,
          "events": 6,
          "noEnvelope": 0,
          "noise": 2,
          "notMine": 6,
          "unparsed": 0,
        },
        "ossec-sshd.log": {
          "eventCount": 345,
          "events": 345,
          "noEnvelope": 0,
          "noise": 0,
          "notMine": 0,
          "unparsed": 0,
        },
        "wazuh-sshd.ini": {
          "eventCount": 34,
          "events": 70,
          "noEnvelope": 0,
          "noise": 36,
          "notMine": 1,
          "unparsed": 0,
        },
      }
    `);
  });
});
