import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BodyInput, BodyParser } from '../types.js';
import { Sessionizer } from '../../../sessions/sessionizer.js';
import { BodyParsers } from '../index.js';
import { sshd } from '../sshd/sshd.js';
import { checkBodyParserContract, inputFromLine, runParser, expectGolden } from '../testing.js';
import { junos } from './junos.js';

const dir = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
/** Raw lines of a fixture: INI test files (wazuh) hold them after "log N pass = ". */
const linesOf = (name: string): string[] =>
  name.endsWith('.ini')
    ? read(name)
        .split('\n')
        .flatMap((l) => (/^log \d+ (pass|fail) = /.test(l) ? [l.slice(l.indexOf(' = ') + 3)] : []))
    : read(name)
        .split('\n')
        .filter((l) => l.trim() !== '');

const FILES = ['juniper-doc-ssh-login.log', 'juniper-doc-event-messages.log', 'juniper-doc-secret-data.log', 'juniper-doc-structured.log', 'wazuh-junos.ini'] as const;

const inputsOf = (lines: readonly string[]): BodyInput[] => lines.map((l, i) => inputFromLine(l, i + 1));

/** Outcomes as the pipeline sees them: claimed by tag, else dispatched by program. */
const countOutcomes = (p: BodyParser, inputs: readonly BodyInput[]) => {
  const c = { events: 0, eventCount: 0, noise: 0, unparsed: 0, notMine: 0, claimed: 0 };
  for (const input of inputs) {
    const claimed = p.claims?.(input) ?? false;
    if (claimed) c.claimed++;
    const o = claimed || p.programs.includes(input.envelope.app ?? '') ? p.parse(input) : ({ kind: 'not-mine' } as const);
    if (o.kind === 'events') {
      c.events++;
      c.eventCount += o.events.length;
      if (o.events.length === 0) c.noise++;
    } else if (o.kind === 'unparsed') c.unparsed++;
    else if (o.kind === 'not-mine') c.notMine++;
  }
  return c;
};

const parseInput = (input: BodyInput) => junos().parse(input);
const event1 = (input: BodyInput) => {
  const o = parseInput(input);
  expect(o.kind, input.envelope.msg).toBe('events');
  if (o.kind !== 'events') throw new Error('unreachable');
  expect(o.events).toHaveLength(1);
  const e = o.events[0]!;
  expect(e.seq).toBe(input.seq);
  expect(e.parser).toBe('junos@1');
  expect(e.host).toBe(input.host);
  const { seq: _s, time: _t, host: _h, parser: _p, ...rest } = e;
  return rest;
};

/** A real message body quoted without its syslog header by Juniper's documentation (see PROVENANCE.md). */
const bodyOnly = (app: string, msg: string): BodyInput => ({ seq: 1, time: 0, host: 'h1', envelope: { format: 'rfc3164', app, msg } });

describe('junos', () => {
  it('reads logins, commands, config changes and logouts (real lines from Juniper documentation)', () => {
    const table: [string, object][] = [
      [
        "Dec 20 23:17:53 bilbo mgd[16648]: UI_AUTH_EVENT: Authenticated user 'op' at permission level 'j-operator'",
        { kind: 'login', action: 'authenticated', user: 'op', hints: { devicePid: '16648' }, detail: { deviceType: 'junos', tag: 'UI_AUTH_EVENT', loginClass: 'j-operator' } },
      ],
      [
        "Dec 20 23:17:53 bilbo mgd[16648]: UI_LOGIN_EVENT: User 'op' login, class 'j-operator' [16648]",
        { kind: 'login', action: 'login', user: 'op', hints: { devicePid: '16648' }, detail: { deviceType: 'junos', tag: 'UI_LOGIN_EVENT', loginClass: 'j-operator', mgdPid: '16648' } },
      ],
      [
        "Feb 27 02:33:04 bm-a mgd[6520]: UI_LOGIN_EVENT: User 'security-officer' login, class 'j-super-user' [6520], ssh-connection '', client-mode 'cli'",
        {
          kind: 'login',
          action: 'login',
          user: 'security-officer',
          hints: { devicePid: '6520' },
          detail: { deviceType: 'junos', tag: 'UI_LOGIN_EVENT', loginClass: 'j-super-user', clientMode: 'cli', mgdPid: '6520' },
        },
      ],
      [
        "Dec 20 23:17:56 bilbo mgd[16648]: UI_CMDLINE_READ_LINE: User 'op', command 'quit '",
        { kind: 'command', action: 'cli', user: 'op', command: 'quit', hints: { devicePid: '16648' }, detail: { deviceType: 'junos', tag: 'UI_CMDLINE_READ_LINE' } },
      ],
      [
        // Juniper's page cuts the line before its closing quote: read, and marked truncated.
        "Feb 27 02:38:29 bm-a mgd[6520]: UI_CMDLINE_READ_LINE: User 'security-officer', command 'run show log Audit_log | grep LOGIN ",
        {
          kind: 'command',
          action: 'cli',
          user: 'security-officer',
          command: 'run show log Audit_log | grep LOGIN',
          hints: { devicePid: '6520' },
          detail: { deviceType: 'junos', tag: 'UI_CMDLINE_READ_LINE', truncated: true },
        },
      ],
      [
        "Dec 20 23:17:56 bilbo mgd[16648]: UI_LOGOUT_EVENT: User 'op' logout",
        { kind: 'logout', action: 'logout', user: 'op', hints: { devicePid: '16648' }, detail: { deviceType: 'junos', tag: 'UI_LOGOUT_EVENT' } },
      ],
      [
        "Jul 24 17:43:28 router1 mgd[4163]: UI_CFG_AUDIT_SET_SECRET: User 'admin' set: [system radius-server 1.2.3.4 secret]",
        {
          kind: 'config_change',
          action: 'set',
          user: 'admin',
          command: 'set system radius-server 1.2.3.4 secret',
          hints: { devicePid: '4163' },
          detail: { deviceType: 'junos', tag: 'UI_CFG_AUDIT_SET_SECRET', secret: true, path: 'system radius-server 1.2.3.4 secret' },
        },
      ],
      [
        "Jul 24 18:29:09 router1 mgd[4163]: UI_CFG_AUDIT_SET_SECRET: User 'admin' replace: [system login user admin authentication encrypted-password]",
        {
          kind: 'config_change',
          action: 'replace',
          user: 'admin',
          command: 'replace system login user admin authentication encrypted-password',
          hints: { devicePid: '4163' },
          detail: { deviceType: 'junos', tag: 'UI_CFG_AUDIT_SET_SECRET', secret: true, path: 'system login user admin authentication encrypted-password' },
        },
      ],
      [
        "Jul 25 14:25:51 router1 mgd[4153]: UI_CFG_AUDIT_OTHER: User 'admin' override: CC_config2.txt",
        { kind: 'config_change', action: 'override', user: 'admin', command: 'override CC_config2.txt', hints: { devicePid: '4153' }, detail: { deviceType: 'junos', tag: 'UI_CFG_AUDIT_OTHER' } },
      ],
    ];
    for (const [line, expected] of table) expect(event1(inputFromLine(line)), line).toStrictEqual(expected);
  });

  it('reads message bodies Juniper documents without their syslog header', () => {
    // Juniper's Common Criteria guide quotes these bodies in its audit table (explicit-priority form).
    expect(event1(bodyOnly('mgd', `%CHANGE-6-UI_CFG_AUDIT_SET: User 'security-officer' set: [system syslog archive files] "5 -- 10"`))).toStrictEqual({
      kind: 'config_change',
      action: 'set',
      user: 'security-officer',
      command: 'set system syslog archive files 10',
      hints: {},
      detail: { deviceType: 'junos', tag: 'UI_CFG_AUDIT_SET', path: 'system syslog archive files', oldValue: '5', newValue: '10' },
    });
    expect(event1(bodyOnly('sshd', "SSHD_LOGIN_ATTEMPTS_THRESHOLD: Threshold for unsuccessful authentication attempts (3) reached by user 'security-administrator'"))).toStrictEqual({
      kind: 'alert_only',
      action: 'attempts-threshold',
      user: 'security-administrator',
      reason: "Threshold for unsuccessful authentication attempts (3) reached by user 'security-administrator'",
      hints: {},
      detail: { deviceType: 'junos', tag: 'SSHD_LOGIN_ATTEMPTS_THRESHOLD' },
    });
  });

  it('reads the structured-data form: tag from MSGID, text without it', () => {
    const input = inputFromLine(linesOf('juniper-doc-structured.log')[0]!);
    expect(input.envelope.msgid).toBe('UI_DBASE_LOGOUT_EVENT');
    expect(junos().claims!(input)).toBe(true);
    expect(parseInput(input)).toStrictEqual({ kind: 'events', events: [] });
  });

  it('keeps recognised tags that carry nothing for sessions as zero events', () => {
    for (const line of [
      "Feb 27 02:33:49 bm-a mgd[6520]: UI_DBASE_LOGIN_EVENT: User 'security-officer' entering configuration mode",
      "Jul 25 14:25:51 router1 mgd[4153]: UI_LOAD_EVENT: User 'admin' is performing a 'load override'",
    ]) expect(parseInput(inputFromLine(line)), line).toStrictEqual({ kind: 'events', events: [] });
  });

  it('claims UI_* lines whatever the program, leaves sshd and other daemons alone', () => {
    const p = junos();
    const login = inputFromLine("Dec 20 23:17:53 bilbo mgd[16648]: UI_LOGIN_EVENT: User 'op' login, class 'j-operator' [16648]");
    expect(p.claims!(login)).toBe(true);
    const accepted = inputFromLine('Dec 20 23:17:53 bilbo sshd[16645]: Accepted password for op from 172.17.58.45 port 1673 ssh2');
    expect(p.claims!(accepted)).toBe(false);
    expect(p.parse(accepted)).toStrictEqual({ kind: 'not-mine' });
    for (const line of linesOf('wazuh-junos.ini')) {
      const input = inputFromLine(line);
      expect(p.claims!(input), line).toBe(false);
      expect(p.parse(input), line).toStrictEqual({ kind: 'not-mine' });
    }
  });

  it('marks unknown UI_* tags and unreadable texts as unparsed', () => {
    expect(parseInput(bodyOnly('mgd', 'UI_SOMETHING_NEW: whatever it says'))).toStrictEqual({ kind: 'unparsed', reason: 'unknown-message', message: 'UI_SOMETHING_NEW: whatever it says' });
    expect(parseInput(bodyOnly('mgd', 'UI_CMDLINE_READ_LINE: no user here'))).toStrictEqual({ kind: 'unparsed', reason: 'malformed', message: 'UI_CMDLINE_READ_LINE: no user here' });
    expect(parseInput(bodyOnly('mgd', 'untagged text'))).toStrictEqual({ kind: 'unparsed', reason: 'unknown-message', message: 'untagged text' });
    expect(parseInput(bodyOnly('file', 'untagged text'))).toStrictEqual({ kind: 'not-mine' });
  });

  it('keeps one session per mgd pid through the registry and sessionizer keys', () => {
    // Every line of one Juniper-documented session carries the same devicePid; sshd's lines stay sshd's.
    const registry = new BodyParsers([junos, sshd]);
    const by: Record<string, string[]> = {};
    for (const input of inputsOf(linesOf('juniper-doc-ssh-login.log'))) {
      const d = registry.parse(input);
      if (d.outcome.kind !== 'events') continue;
      for (const e of d.outcome.events) (by[d.parser!.id] ??= []).push(`${e.kind}:${e.hints.devicePid ?? e.hints.sshdPid ?? '-'}`);
    }
    expect(by).toStrictEqual({
      sshd: ['login_failed:16645', 'login_failed:16645', 'login:16645'],
      junos: ['login:16648', 'login:16648', 'command:16648', 'logout:16648'],
    });
  });

  it('makes one JunOS session of a documented login, closed by its logout', () => {
    const { events } = runParser(junos(), inputsOf(linesOf('juniper-doc-ssh-login.log')).filter((i) => i.envelope.app === 'mgd'));
    const z = new Sessionizer();
    const sessions = new Map<number, { deviceType: string; user: string | null; status: string; closeReason: string | null; commandCount: number; eventCount: number }>();
    events.forEach((e, i) => {
      for (const s of z.push(e, i + 1).sessions) sessions.set(s.id, s);
    });
    expect([...sessions.values()].map(({ deviceType, user, status, closeReason, commandCount, eventCount }) => ({ deviceType, user, status, closeReason, commandCount, eventCount }))).toStrictEqual([
      { deviceType: 'junos', user: 'op', status: 'closed', closeReason: 'logout', commandCount: 1, eventCount: 4 },
    ]);
  });

  // Timing is not asserted (a catastrophic scan would hit the test timeout).
  it('reads long hostile messages without throwing', () => {
    const p = junos();
    const bodies = [
      "UI_CMDLINE_READ_LINE: User '" + "', command '".repeat(5000),
      "UI_LOGIN_EVENT: User 'a' login, class 'b' [" + "x '".repeat(20000),
      "UI_CFG_AUDIT_SET: User 'a' set: [" + ' -> '.repeat(10000),
      '%' + '-1-'.repeat(20000),
      'UI_' + '_'.repeat(60000) + ':',
      "UI_REBOOT_EVENT: System rebooted by '" + ' by '.repeat(10000),
      "SSHD_LOGIN_FAILED: Login failed for user '" + ' from host '.repeat(5000),
    ];
    for (const msg of bodies) {
      for (const app of ['mgd', 'sshd', 'chassisd']) {
        const input: BodyInput = { seq: 1, time: 0, host: 'h', envelope: { format: 'rfc3164', app, procid: '1', msg } };
        expect(typeof p.claims!(input)).toBe('boolean');
        expect(p.parse(input).kind).toMatch(/^(events|unparsed|not-mine)$/);
      }
    }
  });

  it('keeps the body-parser contract', () => {
    const seeds = FILES.flatMap((f) => linesOf(f)).map((l) => inputFromLine(l).envelope.msg);
    checkBodyParserContract(junos, seeds, 1000);
  });

  for (const name of ['juniper-doc-ssh-login.log', 'juniper-doc-secret-data.log']) {
    it(`matches the golden events of ${name}`, () => {
      const p = junos();
      const inputs = inputsOf(linesOf(name)).filter((i) => p.claims!(i) || p.programs.includes(i.envelope.app ?? ''));
      const { events } = runParser(p, inputs);
      const golden = new URL(name.replace(/\.log$/, '.events.json'), dir);
      expectGolden(golden, events);
    });
  }

  it('pins the outcome counts per fixture file, with no unparsed line', () => {
    const counts = Object.fromEntries(FILES.map((name) => [name, countOutcomes(junos(), inputsOf(linesOf(name)))]));
    for (const c of Object.values(counts)) expect(c.unparsed).toBe(0);
    expect(counts).toMatchInlineSnapshot(`
      {
        "juniper-doc-event-messages.log": {
          "claimed": 3,
          "eventCount": 2,
          "events": 3,
          "noise": 1,
          "notMine": 0,
          "unparsed": 0,
        },
        "juniper-doc-secret-data.log": {
          "claimed": 10,
          "eventCount": 9,
          "events": 10,
          "noise": 1,
          "notMine": 0,
          "unparsed": 0,
        },
        "juniper-doc-ssh-login.log": {
          "claimed": 4,
          "eventCount": 4,
          "events": 4,
          "noise": 0,
          "notMine": 3,
          "unparsed": 0,
        },
        "juniper-doc-structured.log": {
          "claimed": 1,
          "eventCount": 0,
          "events": 1,
          "noise": 1,
          "notMine": 0,
          "unparsed": 0,
        },
        "wazuh-junos.ini": {
          "claimed": 0,
          "eventCount": 0,
          "events": 0,
          "noise": 0,
          "notMine": 3,
          "unparsed": 0,
        },
      }
    `);
  });
});
