import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BodyInput, BodyParser } from '../types.js';
import { checkBodyParserContract, inputFromLine, runParser, expectGolden } from '../testing.js';
import { ciscoIos } from './cisco-ios.js';

const dir = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
/** Raw lines of a fixture: INI test files (wazuh, ossec) hold them after "log N pass = ". */
const linesOf = (name: string, text = read(name)): string[] =>
  name.endsWith('.ini')
    ? text.split('\n').flatMap((l) => (/^log \d+ (pass|fail) = /.test(l) ? [l.slice(l.indexOf(' = ') + 3)] : []))
    : text.split('\n').filter((l) => l.trim() !== '');

const inputsOf = (lines: readonly string[]): { inputs: BodyInput[]; noEnvelope: number } => {
  const inputs: BodyInput[] = [];
  let noEnvelope = 0;
  lines.forEach((l, i) => {
    try {
      inputs.push(inputFromLine(l, i + 1));
    } catch {
      noEnvelope++;
    }
  });
  return { inputs, noEnvelope };
};

/** How the registry would see it: claimed or not, then parsed. */
const dispatch = (p: BodyParser, input: BodyInput) => (p.claims?.(input) === true ? p.parse(input) : ({ kind: 'not-mine' } as const));

const countOutcomes = (p: BodyParser, inputs: readonly BodyInput[]) => {
  const c = { records: inputs.length, events: 0, eventCount: 0, noise: 0, unparsed: 0, notMine: 0 };
  for (const input of inputs) {
    const o = dispatch(p, input);
    if (o.kind === 'events') {
      c.events++;
      c.eventCount += o.events.length;
      if (o.events.length === 0) c.noise++;
    } else if (o.kind === 'unparsed') c.unparsed++;
    else if (o.kind === 'not-mine') c.notMine++;
  }
  return c;
};

const parseLine = (line: string) => dispatch(ciscoIos(), inputFromLine(line));
const event1 = (line: string) => {
  const o = parseLine(line);
  expect(o.kind, line).toBe('events');
  if (o.kind !== 'events') throw new Error('unreachable');
  expect(o.events).toHaveLength(1);
  const e = o.events[0]!;
  expect(e.seq).toBe(1);
  expect(e.parser).toBe('cisco-ios@1');
  const { seq: _s, time: _t, parser: _p, ...rest } = e;
  return rest;
};

const FIXTURES = readdirSync(dir)
  .filter((f) => !f.endsWith('.md') && !f.endsWith('.json'))
  .sort();

describe('cisco-ios', () => {
  it('reads the session messages of IOS and NX-OS (real lines)', () => {
    const table: [string, object][] = [
      [
        '<165>7433: ASR920: 007439: 2y10w: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: username] [Source: 192.168.0.1] [localport: 22] at 07:57:58 VIENNA Thu Jan 27 2022',
        {
          host: 'ASR920',
          kind: 'login',
          action: 'login-success',
          user: 'username',
          remote: '192.168.0.1',
          hints: { devicePid: 'username' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SEC_LOGIN-5-LOGIN_SUCCESS', deviceSeq: 7439, localport: 22, deviceTime: '07:57:58 VIENNA Thu Jan 27 2022' },
        },
      ],
      [
        '%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ] [Source: 10.109.21.149] [localport: 22] [Reason: Login Authentication Failed] at 15:29:52 CET Wed Aug 12 2020',
        {
          host: '127.0.0.1',
          kind: 'login_failed',
          action: 'login-failed',
          remote: '10.109.21.149',
          reason: 'Login Authentication Failed',
          hints: {},
          detail: { deviceType: 'cisco-ios', mnemonic: 'SEC_LOGIN-4-LOGIN_FAILED', localport: 22, deviceTime: '15:29:52 CET Wed Aug 12 2020' },
        },
      ],
      [
        'Mar 24 18:06:00 192.168.100.2 1991220: Mar 24 18:06:00.364 UTC: %SYS-6-LOGOUT: User john.smith has exited tty session 5(10.5.36.9)',
        {
          host: '192.168.100.2',
          kind: 'logout',
          action: 'exited',
          user: 'john.smith',
          remote: '10.5.36.9',
          hints: { devicePid: 'john.smith' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-6-LOGOUT', deviceSeq: 1991220, line: 'tty 5' },
        },
      ],
      [
        '<166>7424: ASR920: 007430: 2y10w: %SYS-6-TTY_EXPIRE_TIMER: (exec timer expired, tty 1 (192.168.0.1)), user username',
        {
          host: 'ASR920',
          kind: 'logout',
          action: 'exec-timeout',
          user: 'username',
          remote: '192.168.0.1',
          reason: 'exec timer expired',
          hints: { devicePid: 'username' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-6-TTY_EXPIRE_TIMER', deviceSeq: 7430, line: 'tty 1' },
        },
      ],
      [
        '<165>7422: ASR920: 007428: 2y10w: %SYS-5-CONFIG_I: Configured from console by username on vty1 (192.168.0.1)',
        {
          host: 'ASR920',
          kind: 'commit',
          action: 'configured',
          user: 'username',
          remote: '192.168.0.1',
          hints: { devicePid: 'username' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-5-CONFIG_I', deviceSeq: 7428, configSource: 'console', line: 'vty1' },
        },
      ],
      [
        '*Mar  1 18:46:11: %SYS-5-CONFIG_I: Configured from console by vty2 (10.34.195.36)',
        {
          host: '127.0.0.1',
          kind: 'commit',
          action: 'configured',
          remote: '10.34.195.36',
          hints: { devicePid: 'vty2' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-5-CONFIG_I', configSource: 'console', line: 'vty2' },
        },
      ],
      [
        '<189>24: test-ztp: May 23 15:49:32.302: %SYS-5-CONFIG_I: Configured from tftp://10.83.21.224//cisco-bootstrap by console',
        {
          host: 'test-ztp',
          kind: 'commit',
          action: 'configured',
          hints: { devicePid: 'console' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-5-CONFIG_I', deviceSeq: 24, configSource: 'tftp://10.83.21.224//cisco-bootstrap', line: 'console' },
        },
      ],
      [
        // rsyslog relaying in RFC 5424 under its own app: the tag starts the message.
        '<189>1 2019-03-03T16:09:56.185+00:00 server app 123.4 msgid - %SYS-5-CONFIG_I: Configured from console by adminsepp on vty0 (10.23.214.226)',
        {
          host: 'server',
          kind: 'commit',
          action: 'configured',
          user: 'adminsepp',
          remote: '10.23.214.226',
          hints: { devicePid: 'adminsepp' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-5-CONFIG_I', configSource: 'console', line: 'vty0' },
        },
      ],
      [
        'Jan  6 13:24:18 one.one.one.one 54: 000051: Jan  6 10:24:17: %PARSER-5-CFGLOG_LOGGEDCMD: User:console  logged command:ip ssh authentication-retries 2',
        {
          host: 'one.one.one.one',
          kind: 'config_change',
          action: 'config',
          command: 'ip ssh authentication-retries 2',
          hints: { devicePid: 'console' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'PARSER-5-CFGLOG_LOGGEDCMD', deviceSeq: 51, line: 'console', mode: 'config' },
        },
      ],
      [
        '*Nov 19 07:16:04.807: %PARSER-5-CFGLOG_LOGGEDCMD: User:aninchat  logged command:!exec: enable',
        {
          host: '127.0.0.1',
          kind: 'privilege',
          action: 'enable',
          user: 'aninchat',
          command: 'enable',
          hints: { devicePid: 'aninchat' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'PARSER-5-CFGLOG_LOGGEDCMD', mode: 'exec' },
        },
      ],
      [
        '<189>262: *Feb  9 09:45:28 KST: %SYS-5-PRIV_AUTH_FAIL: Authentication to Privilage level 15 failed byvty0 (192.168.1.21)',
        {
          host: '127.0.0.1',
          kind: 'privilege_failed',
          action: 'enable',
          command: 'enable',
          remote: '192.168.1.21',
          reason: 'enable authentication failed',
          hints: { devicePid: 'vty0' },
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-5-PRIV_AUTH_FAIL', deviceSeq: 262, privLevel: 15, line: 'vty0' },
        },
      ],
      [
        '*Apr  3 17:57:30.996: %SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.',
        {
          host: '127.0.0.1',
          kind: 'reboot',
          action: 'reload-requested',
          reason: 'Reload Command',
          hints: {},
          detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-5-RELOAD', line: 'console' },
        },
      ],
      [
        '*Apr  1 15:38:50.825: %SYS-6-BOOTTIME: Time taken to reboot after reload =  365 seconds',
        { host: '127.0.0.1', kind: 'reboot', action: 'boot-time', hints: {}, detail: { deviceType: 'cisco-ios', mnemonic: 'SYS-6-BOOTTIME', bootSeconds: 365 } },
      ],
      [
        '%AAA-6-AAA_ACCOUNTING_MESSAGE: start:10.109.21.79@pts/0:admin:',
        {
          host: '127.0.0.1',
          kind: 'login',
          action: 'accounting-start',
          user: 'admin',
          remote: '10.109.21.79',
          hints: { devicePid: '10.109.21.79@pts/0' },
          detail: { deviceType: 'cisco-nxos', mnemonic: 'AAA-6-AAA_ACCOUNTING_MESSAGE', line: 'pts/0' },
        },
      ],
      [
        '%AAA-6-AAA_ACCOUNTING_MESSAGE: update:10.109.21.79@pts/0:admin:configure terminal ; vlan 501 ; name WIFI_GUEST (SUCCESS)',
        {
          host: '127.0.0.1',
          kind: 'config_change',
          action: 'config',
          user: 'admin',
          command: 'name WIFI_GUEST',
          remote: '10.109.21.79',
          hints: { devicePid: '10.109.21.79@pts/0' },
          detail: { deviceType: 'cisco-nxos', mnemonic: 'AAA-6-AAA_ACCOUNTING_MESSAGE', line: 'pts/0', result: 'SUCCESS', context: 'configure terminal ; vlan 501' },
        },
      ],
      [
        '%AAA-6-AAA_ACCOUNTING_MESSAGE: update:10.109.21.79@pts/0:admin:terminal length 0 (SUCCESS)',
        {
          host: '127.0.0.1',
          kind: 'command',
          action: 'exec',
          user: 'admin',
          command: 'terminal length 0',
          remote: '10.109.21.79',
          hints: { devicePid: '10.109.21.79@pts/0' },
          detail: { deviceType: 'cisco-nxos', mnemonic: 'AAA-6-AAA_ACCOUNTING_MESSAGE', line: 'pts/0', result: 'SUCCESS' },
        },
      ],
      [
        '%AAA-6-AAA_ACCOUNTING_MESSAGE: update:10.109.21.78@pts/0:admin:configure sync ; switch-profile KOL ; commit (FAILURE)',
        {
          host: '127.0.0.1',
          kind: 'commit',
          action: 'commit',
          user: 'admin',
          command: 'commit',
          remote: '10.109.21.78',
          reason: 'command failed',
          hints: { devicePid: '10.109.21.78@pts/0' },
          detail: { deviceType: 'cisco-nxos', mnemonic: 'AAA-6-AAA_ACCOUNTING_MESSAGE', line: 'pts/0', result: 'FAILURE', context: 'configure sync ; switch-profile KOL' },
        },
      ],
      [
        '%AAA-6-AAA_ACCOUNTING_MESSAGE: stop:10.109.21.79@pts/0:admin:shell terminated gracefully',
        {
          host: '127.0.0.1',
          kind: 'logout',
          action: 'accounting-stop',
          user: 'admin',
          remote: '10.109.21.79',
          reason: 'shell terminated gracefully',
          hints: { devicePid: '10.109.21.79@pts/0' },
          detail: { deviceType: 'cisco-nxos', mnemonic: 'AAA-6-AAA_ACCOUNTING_MESSAGE', line: 'pts/0' },
        },
      ],
      [
        '%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 172.30.0.1@pts/0',
        {
          host: '127.0.0.1',
          kind: 'commit',
          action: 'configured',
          user: 'admin',
          remote: '172.30.0.1',
          hints: { devicePid: '172.30.0.1@pts/0' },
          detail: { deviceType: 'cisco-nxos', mnemonic: 'VSHD-5-VSHD_SYSLOG_CONFIG_I', configSource: 'vty', line: 'pts/0' },
        },
      ],
      [
        '2012 Dec 18 14:51:08 Nexus5010-B %AUTHPRIV-3-SYSTEM_MSG: pam_aaa:Authentication failed for user en from 2.2.2.1 - login',
        {
          host: 'Nexus5010-B',
          kind: 'login_failed',
          action: 'login-failed',
          user: 'en',
          remote: '2.2.2.1',
          reason: 'authentication failed',
          hints: {},
          detail: { deviceType: 'cisco-nxos', mnemonic: 'AUTHPRIV-3-SYSTEM_MSG', service: 'login' },
        },
      ],
    ];
    for (const [line, expected] of table) expect(event1(line), line).toStrictEqual(expected);
  });

  it('keeps a login, its commands, its enable, its commit and its logout on one devicePid; two users apart', () => {
    // The shapes of one IOS session as the corpora show them, for two users of one router.
    const pids = (user: string) =>
      [
        `%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ${user}] [Source: 192.168.0.1] [localport: 22] at 07:57:58 VIENNA Thu Jan 27 2022`,
        `%PARSER-5-CFGLOG_LOGGEDCMD: User:${user}  logged command:!exec: enable`,
        `%PARSER-5-CFGLOG_LOGGEDCMD: User:${user}  logged command:snmp-server community * ro`,
        `%SYS-5-CONFIG_I: Configured from console by ${user} on vty1 (192.168.0.1)`,
        `%SYS-6-LOGOUT: User ${user} has exited tty session 3(192.168.0.1)`,
      ].map((l) => {
        const o = parseLine(l);
        return o.kind === 'events' ? o.events[0]?.hints.devicePid : o.kind;
      });
    expect(pids('username')).toStrictEqual(Array(5).fill('username'));
    expect(pids('CPI')).toStrictEqual(Array(5).fill('CPI'));
  });

  it('reads an image banner logged as a line of its own (no tag, no program)', () => {
    const msg = 'Cisco IOS Software, C1900 Software (C1900-UNIVERSALK9-M), Version 15.4(3)M3, RELEASE SOFTWARE (fc2)';
    const input: BodyInput = { seq: 1, time: 0, host: 'r1', envelope: { format: 'rfc3164', msg } };
    expect(ciscoIos().claims?.(input)).toBe(true);
    expect(ciscoIos().parse(input)).toStrictEqual({
      kind: 'events',
      events: [
        {
          seq: 1,
          time: 0,
          host: 'r1',
          kind: 'alert_only',
          action: 'image-version',
          hints: {},
          parser: 'cisco-ios@1',
          detail: { deviceType: 'cisco-ios', mnemonic: 'image-banner', version: '15.4(3)M3', banner: msg },
        },
      ],
    });
  });

  it('reads a CONFIG_I cut short as a commit without a user; device noise as zero events', () => {
    expect(event1('1348: .Jun 12 18:22:22: %SYS-5-CONFIG_I:')).toMatchObject({ kind: 'commit', action: 'configured', hints: {}, detail: { deviceSeq: 1348 } });
    for (const line of [
      '00:00:46: %LINK-3-UPDOWN: Interface Port-channel1, changed state to up',
      'Sep  1 10:25:29 10.10.10.1 %SEC-6-IPACCESSLOGP: list 102 denied tcp 10.0.6.56(3067) -> 172.36.4.7(139), 1 packet',
      'Sep  1 10:25:18 10.10.10.1 %IPS-4-SIGNATURE: Sig:3051 Subsig:1 Sev:4 TCP Connection Window Size DoS [192.168.100.11:49871 -> 10.10.10.10:80]',
      '%SSH-5-SSH2_CLOSE: SSH2 Session from 10.109.21.149 (tty = 0) for user \'admin\' using crypto cipher \'aes256-ctr\', hmac \'hmac-sha1\' closed',
      '%AAA-6-AAA_ACCOUNTING_MESSAGE: update:10.109.21.79@pts/0:admin:configure terminal ; vlan 501 (REDIRECT))',
      // The envelope leaves an empty sequence number's timestamp in the message: the tag is found after it.
      '<190>: Jan  6 2022 20:55:50.671: %SEC-6-IPACCESSLOGDP: list 100 denied icmp 172.16.0.26 -> 10.100.8.34 (3/3), 20 packets',
    ]) expect(parseLine(line), line).toStrictEqual({ kind: 'events', events: [] });
  });

  it('leaves ASA/PIX and non-Cisco lines alone; unknown mnemonics of its facilities are unparsed', () => {
    expect(parseLine('<14>May 21 2017 00:00:00: %ASA-4-102030: Deny udp src vlan_12302:192.168.0.11/514 dst vlan_1233:192.168.0.11/514 by access-group "local_in" [0x0, 0x0]')).toStrictEqual({
      kind: 'not-mine',
    });
    expect(parseLine('Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls')).toStrictEqual({ kind: 'not-mine' });
    expect(parseLine('Nov 29 20:32:56 vm sshd[18918]: Accepted publickey for cs-carol from 127.0.0.1 port 42626 ssh2')).toStrictEqual({ kind: 'not-mine' });
    const p = ciscoIos();
    const input = inputFromLine('%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.1)');
    expect(p.parse({ ...input, envelope: { ...input.envelope, app: '%SYS-5-NO_SUCH_MNEMONIC' } })).toStrictEqual({
      kind: 'unparsed',
      reason: 'unknown-message',
      message: 'Configured from console by admin on vty0 (10.1.1.1)',
    });
    expect(p.parse({ ...input, envelope: { ...input.envelope, app: '%SEC_LOGIN-5-LOGIN_SUCCESS', msg: 'Login Success [Source: 1.2.3.4]' } })).toMatchObject({ kind: 'unparsed', reason: 'malformed' });
  });

  // Timing is not asserted here; a catastrophic scan would hit the test timeout.
  it('reads long hostile messages without throwing', () => {
    const p = ciscoIos();
    const cases: [string, string][] = [
      ['%SEC_LOGIN-5-LOGIN_SUCCESS', 'Login Success ' + '[user: a'.repeat(8000)],
      ['%SYS-5-CONFIG_I', 'Configured from ' + ' by x on ('.repeat(6000)],
      ['%SYS-5-PRIV_AUTH_FAIL', 'Authentication to Privilage level ' + '15 by'.repeat(12000)],
      ['%AAA-6-AAA_ACCOUNTING_MESSAGE', 'update:' + 'a@b:'.repeat(12000) + ' (' + ')'.repeat(20000)],
      ['%PARSER-5-CFGLOG_LOGGEDCMD', 'User:' + ' logged command:'.repeat(4000)],
      ['other', ': ' + '00:00:00 : %'.repeat(5000)],
    ];
    for (const [app, msg] of cases) {
      const input: BodyInput = { seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app, msg } };
      expect(typeof p.claims?.(input)).toBe('boolean');
      expect(p.parse(input).kind).toMatch(/^(events|unparsed|not-mine)$/);
    }
  });

  it('keeps the body-parser contract', () => {
    const seeds = FIXTURES.flatMap((f) => linesOf(f)).flatMap((l) => {
      try {
        const e = inputFromLine(l).envelope;
        return [e.app !== undefined && e.app.startsWith('%') ? `${e.app}: ${e.msg}` : e.msg];
      } catch {
        return [];
      }
    });
    checkBodyParserContract(ciscoIos, seeds, 1000);
  });

  for (const name of ['elastic-test-asr920.log', 'quoted-public-lines.log']) {
    it(`matches the golden events of ${name}`, () => {
      const { events } = runParser({ ...ciscoIos(), parse: (i) => dispatch(ciscoIos(), i) }, inputsOf(linesOf(name)).inputs);
      const golden = new URL(name.replace(/\.log$/, '.events.json'), dir);
      expectGolden(golden, events);
    });
  }

  /** The bar: every sample of the session message types is read (none unparsed). */
  const SESSION_TYPES = /%(SEC_LOGIN|SYS|PARSER|VSHD|AUTHPRIV|AAA)-[0-9A-Z_-]*(LOGIN_|LOGOUT|CFGLOG|CONFIG_[IP]|RELOAD|RESTART|BOOTTIME|PRIV_AUTH|TTY_EXPIRE|ACCOUNTING|SYSTEM_MSG)/;
  it('reads every corpus sample of the session message types (zero unparsed)', () => {
    const bad: string[] = [];
    let seen = 0;
    for (const f of FIXTURES) {
      for (const line of linesOf(f)) {
        if (!SESSION_TYPES.test(line)) continue;
        seen++;
        let o;
        try {
          o = dispatch(ciscoIos(), inputFromLine(line));
        } catch {
          bad.push(`${f}: no envelope: ${line}`);
          continue;
        }
        // Zero events is read too: NX-OS's REDIRECT copy of an accounting line that follows.
        if (o.kind !== 'events') bad.push(`${f}: ${o.kind}: ${line}`);
      }
    }
    expect(bad).toStrictEqual([]);
    expect(seen).toBeGreaterThan(60);
  });

  it('pins the outcome counts per corpus file', () => {
    const counts = Object.fromEntries(
      FIXTURES.map((name) => {
        const { inputs, noEnvelope } = inputsOf(linesOf(name));
        return [name, { ...countOutcomes(ciscoIos(), inputs), noEnvelope }];
      }),
    );
    expect(counts).toMatchInlineSnapshot(`
      {
        "elastic-test-asr920.log": {
          "eventCount": 5,
          "events": 9,
          "noEnvelope": 0,
          "noise": 4,
          "notMine": 0,
          "records": 9,
          "unparsed": 0,
        },
        "elastic-test-cisco-ios.log": {
          "eventCount": 2,
          "events": 28,
          "noEnvelope": 0,
          "noise": 26,
          "notMine": 0,
          "records": 28,
          "unparsed": 0,
        },
        "elastic-test-nexus.log": {
          "eventCount": 1,
          "events": 1,
          "noEnvelope": 0,
          "noise": 0,
          "notMine": 0,
          "records": 1,
          "unparsed": 0,
        },
        "elastic-test-syslog.log": {
          "eventCount": 3,
          "events": 11,
          "noEnvelope": 0,
          "noise": 8,
          "notMine": 4,
          "records": 15,
          "unparsed": 0,
        },
        "napalm-logs-samples.log": {
          "eventCount": 4,
          "events": 4,
          "noEnvelope": 0,
          "noise": 0,
          "notMine": 0,
          "records": 4,
          "unparsed": 0,
        },
        "ossec-cisco-ios-ids.log": {
          "eventCount": 1,
          "events": 25,
          "noEnvelope": 0,
          "noise": 24,
          "notMine": 0,
          "records": 25,
          "unparsed": 0,
        },
        "ossec-cisco_ios.ini": {
          "eventCount": 0,
          "events": 5,
          "noEnvelope": 0,
          "noise": 5,
          "notMine": 0,
          "records": 5,
          "unparsed": 0,
        },
        "ossec-ciscoios.log": {
          "eventCount": 0,
          "events": 9,
          "noEnvelope": 0,
          "noise": 9,
          "notMine": 0,
          "records": 9,
          "unparsed": 0,
        },
        "quoted-public-lines.log": {
          "eventCount": 25,
          "events": 28,
          "noEnvelope": 1,
          "noise": 3,
          "notMine": 0,
          "records": 28,
          "unparsed": 0,
        },
        "syslog-parser-vectors-cisco.log": {
          "eventCount": 2,
          "events": 3,
          "noEnvelope": 0,
          "noise": 1,
          "notMine": 4,
          "records": 7,
          "unparsed": 0,
        },
        "wazuh-cisco-ios-decoder-examples.txt": {
          "eventCount": 45,
          "events": 51,
          "noEnvelope": 0,
          "noise": 6,
          "notMine": 0,
          "records": 51,
          "unparsed": 0,
        },
        "wazuh-cisco_ios.ini": {
          "eventCount": 0,
          "events": 16,
          "noEnvelope": 0,
          "noise": 16,
          "notMine": 1,
          "records": 17,
          "unparsed": 0,
        },
      }
    `);
  });
});
