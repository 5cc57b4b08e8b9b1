import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../model/event.js';
import type { BodyInput } from '../types.js';
import { checkBodyParserContract, inputFromLine, inputsFromText, runParser, expectGolden } from '../testing.js';
import { tacacs } from './tacacs.js';

const dir = new URL('./testdata/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');

/** The TACACS+ server the files were read from, as `countersign import --host` would give it. */
const SERVER = 'tacsrv';

/**
 * A fixture file through the real envelope parsers, as `countersign import --host tacsrv` reads it: the
 * rfc3164 envelope takes tac_plus's timestamp and the TAB after it (BSD, ctime(3), ISO with `+0000`),
 * leaves hostname and app unset, and hands the fields over as msg; the input host is the server.
 */
const inputsOf = (name: string): BodyInput[] => inputsFromText(read(name), { host: SERVER });

const FILES = ['tac_plus-ios.acct', 'tac_plus-junos.acct', 'tac_plus-srlinux.log', 'tac_plus-faq.acct'] as const;

describe('tacacs', () => {
  it('reads the record shapes into exact events', () => {
    const lines = [
      // Cisco IOS, command accounting (addyess/tac_parse sample): configure terminal, a config line, end.
      'Sep 24 16:09:32\t10.200.201.71\tuser\ttty0\tasync\tstop\ttask_id=6\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=configure terminal <cr>',
      'Sep 24 16:09:39\t10.200.201.71\tuser\ttty0\tasync\tstop\ttask_id=7\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=interface FastEthernet 0/0 <cr>',
      'Sep 24 16:10:02\t10.200.201.71\tuser\ttty0\tasync\tstop\ttask_id=11\ttimezone=UTC\tservice=shell\tpriv-lvl=0\tcmd=end <cr>',
      // tac_plus FAQ: IOS exec accounting, start and stop (ctime timestamps).
      'Thu Jul 13 14:09:02 1995\tcherub.cisco.com\tbillw\ttty18\t171.69.1.152\tstart\ttask_id=17150\tservice=exec\tport=18',
      'Thu Jul 13 13:35:28 1995\tcherub.cisco.com\tchein\ttty5\t171.69.1.141\tstop\ttask_id=12028\tservice=exec\tport=5\telapsed_time=875',
      // JunOS (jathanism/tac_parse): cmd=login / cmd=logout around the session, the mgd pid, change-log.
      'Feb  4 15:12:20\t192.168.0.202\tjathan\tttyp0\t192.168.0.10\tstart\ttask_id=1\tservice=shell\tprocess*mgd[10137]\tcmd=login',
      'Feb  4 15:13:52\t192.168.0.202\tjathan\tttyp0\t192.168.0.10\tstop\ttask_id=9\tservice=shell\tprocess*mgd[10137]\tcmd=set: [system root-authentication encrypted-password]',
      'Feb  4 15:14:03\t192.168.0.202\tjathan\tttyp0\t192.168.0.10\tstop\ttask_id=1\tservice=shell\telapsed_time=104\tprocess*mgd[10137]\tcmd=logout',
      // Marc Huber's tac_plus with SR Linux (srl-wim/tac_plus README): start-stop command accounting, access log.
      '2020-07-17 17:42:11 +0000\t10.1.1.2\tadmin\tssh\t10.1.1.1\tstart\ttask_id=131\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=info from state',
      '2020-07-17 17:42:11 +0000\t10.1.1.2\tadmin\tssh\t10.1.1.1\tstop\ttask_id=131\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=info from state',
      '2020-07-17 17:41:26 +0000\t10.1.1.2\tadmin\tssh\t10.1.1.1\tstop\ttask_id=129\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=commit stay',
      '2020-07-17 18:01:50 +0000\t10.1.1.2\thans\tssh\t10.1.1.1\tascii login failed',
    ];
    // Every line is a line of the fixture files (the test would otherwise drift from the data).
    const all = FILES.flatMap((f) => read(f).split('\n'));
    for (const l of lines) expect(all, l).toContain(l);
    const inputs = lines.map((l, i) => inputFromLine(l, i + 1, { host: SERVER }));
    for (const i of inputs) {
      expect(i.host).toBe(SERVER); // the envelope found no hostname: the server, as imported
      expect(i.envelope).toMatchObject({ format: 'rfc3164', hostname: undefined, app: undefined });
    }
    const { events, outcomes } = runParser(tacacs(), inputs);
    expect(outcomes.map((o) => (o.kind === 'events' ? o.events.length : o.kind))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1]);
    const ios = (taskId: string, extra: Record<string, string | number | boolean>) => ({
      nas: '10.200.201.71', port: 'tty0', remAddr: 'async', deviceType: 'network', taskId, acctType: 'stop', service: 'shell', timezone: 'UTC', ...extra,
    });
    const iosPid = '10.200.201.71 user tty0 async';
    const junosPid = '192.168.0.202 jathan ttyp0 192.168.0.10 mgd[10137]';
    const junos = (taskId: string, acctType: string, extra: Record<string, string | number | boolean> = {}) => ({
      nas: '192.168.0.202', port: 'ttyp0', remAddr: '192.168.0.10', deviceType: 'junos', taskId, acctType, service: 'shell', mgdPid: '10137', ...extra,
    });
    const srl = (taskId: string, acctType: string, extra: Record<string, string | number | boolean> = {}) => ({
      nas: '10.1.1.2', port: 'ssh', remAddr: '10.1.1.1', deviceType: 'network', taskId, acctType, service: 'shell', privLvl: 15, timezone: 'UTC', ...extra,
    });
    const t = (s: string): number => Date.parse(s);
    const expected: Event[] = [
      { seq: 1, time: t('2026-09-24T16:09:32Z'), host: '10.200.201.71', kind: 'command', action: 'configure', user: 'user', hints: { devicePid: iosPid }, parser: 'tacacs@1', command: 'configure terminal', detail: ios('6', { privLvl: 15, configMode: 'enter' }) },
      { seq: 2, time: t('2026-09-24T16:09:39Z'), host: '10.200.201.71', kind: 'config_change', action: 'config-line', user: 'user', hints: { devicePid: iosPid }, parser: 'tacacs@1', command: 'interface FastEthernet 0/0', detail: ios('7', { privLvl: 15, configMode: true }) },
      { seq: 3, time: t('2026-09-24T16:10:02Z'), host: '10.200.201.71', kind: 'command', action: 'command', user: 'user', hints: { devicePid: iosPid }, parser: 'tacacs@1', command: 'end', detail: ios('11', { privLvl: 0, configMode: 'leave' }) },
      { seq: 4, time: t('1995-07-13T14:09:02Z'), host: 'cherub.cisco.com', kind: 'login', action: 'exec-start', user: 'billw', remote: '171.69.1.152', hints: { devicePid: 'cherub.cisco.com billw tty18 171.69.1.152' }, parser: 'tacacs@1', detail: { nas: 'cherub.cisco.com', port: 'tty18', remAddr: '171.69.1.152', deviceType: 'network', taskId: '17150', acctType: 'start', service: 'exec' } },
      { seq: 5, time: t('1995-07-13T13:35:28Z'), host: 'cherub.cisco.com', kind: 'logout', action: 'exec-stop', user: 'chein', remote: '171.69.1.141', hints: { devicePid: 'cherub.cisco.com chein tty5 171.69.1.141' }, parser: 'tacacs@1', detail: { nas: 'cherub.cisco.com', port: 'tty5', remAddr: '171.69.1.141', deviceType: 'network', taskId: '12028', acctType: 'stop', service: 'exec', elapsedTime: 875 } },
      { seq: 6, time: t('2026-02-04T15:12:20Z'), host: '192.168.0.202', kind: 'login', action: 'exec-start', user: 'jathan', remote: '192.168.0.10', hints: { devicePid: junosPid }, parser: 'tacacs@1', detail: junos('1', 'start') },
      { seq: 7, time: t('2026-02-04T15:13:52Z'), host: '192.168.0.202', kind: 'config_change', action: 'change-log-set', user: 'jathan', remote: '192.168.0.10', hints: { devicePid: junosPid }, parser: 'tacacs@1', command: 'set: [system root-authentication encrypted-password]', detail: junos('9', 'stop') },
      { seq: 8, time: t('2026-02-04T15:14:03Z'), host: '192.168.0.202', kind: 'logout', action: 'exec-stop', user: 'jathan', remote: '192.168.0.10', hints: { devicePid: junosPid }, parser: 'tacacs@1', detail: junos('1', 'stop', { elapsedTime: 104 }) },
      { seq: 9, time: t('2020-07-17T17:42:11Z'), host: '10.1.1.2', kind: 'command', action: 'command', user: 'admin', remote: '10.1.1.1', hints: { devicePid: '10.1.1.2 admin ssh 10.1.1.1' }, parser: 'tacacs@1', command: 'info from state', detail: srl('131', 'start') },
      { seq: 11, time: t('2020-07-17T17:41:26Z'), host: '10.1.1.2', kind: 'commit', action: 'commit', user: 'admin', remote: '10.1.1.1', hints: { devicePid: '10.1.1.2 admin ssh 10.1.1.1' }, parser: 'tacacs@1', command: 'commit stay', detail: srl('129', 'stop') },
      { seq: 12, time: t('2020-07-17T18:01:50Z'), host: '10.1.1.2', kind: 'login_failed', action: 'authen-failed', user: 'hans', remote: '10.1.1.1', reason: 'ascii login failed', hints: { devicePid: '10.1.1.2 hans ssh 10.1.1.1' }, parser: 'tacacs@1', detail: { nas: '10.1.1.2', port: 'ssh', remAddr: '10.1.1.1', deviceType: 'network', authenType: 'ascii' } },
    ];
    expect(events).toEqual(expected);
  });

  it('claims untagged accounting lines and leaves other programs alone', () => {
    const p = tacacs();
    const acct = inputsOf('tac_plus-ios.acct')[0]!;
    expect(p.claims!(acct)).toBe(true);
    const other: BodyInput = { seq: 2, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'sshd', msg: 'Accepted password for root from 10.0.0.1 port 22 ssh2' } };
    expect(p.claims!(other)).toBe(false);
    expect(p.parse(other)).toEqual({ kind: 'not-mine' });
    // Under its own program name, a line that is no record is the program's and unread.
    const junk: BodyInput = { seq: 3, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'tac_plus', msg: 'Reading config' } };
    expect(p.parse(junk)).toEqual({ kind: 'unparsed', reason: 'unknown-message', message: 'Reading config' });
  });

  it('reads every fixture line through the real envelope: time set, msg starts at the NAS', () => {
    for (const name of FILES) {
      for (const i of inputsOf(name)) {
        expect(i.envelope.format).toBe('rfc3164');
        expect(i.envelope.time, i.envelope.msg).toBeTypeOf('number');
        expect(i.envelope.hostname).toBeUndefined();
        expect(i.envelope.app).toBeUndefined();
        expect(i.envelope.msg).toMatch(/^[0-9a-z.]+\t/);
      }
    }
  });

  it('names the NAS as every event\'s host, not the TACACS+ server', () => {
    for (const name of FILES) {
      const { events } = runParser(tacacs(), inputsOf(name));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        expect(e.host).not.toBe(SERVER);
        expect(e.host).toBe(e.detail?.nas);
      }
    }
  });

  it('keeps the contract on arbitrary and mutated input', () => {
    const seeds = FILES.flatMap((f) => inputsOf(f).map((i) => i.envelope.msg));
    checkBodyParserContract(tacacs, seeds, 1000);
  });

  for (const name of FILES) {
    it(`matches the golden events of ${name}`, () => {
      const { events } = runParser(tacacs(), inputsOf(name));
      const golden = new URL(`${name.replace(/\.(acct|log)$/, '')}.events.json`, dir);
      expectGolden(golden, events);
    });
  }

  it('pins the outcome and event counts per file', () => {
    const counts = Object.fromEntries(
      FILES.map((name) => {
        const { events, outcomes } = runParser(tacacs(), inputsOf(name));
        const c: Record<string, number> = { records: outcomes.length };
        for (const o of outcomes) c[`outcome:${o.kind}`] = (c[`outcome:${o.kind}`] ?? 0) + 1;
        for (const e of events) c[e.kind] = (c[e.kind] ?? 0) + 1;
        return [name, c];
      }),
    );
    expect(counts).toEqual({
      'tac_plus-ios.acct': { records: 59, 'outcome:events': 59, command: 50, config_change: 9 },
      'tac_plus-junos.acct': { records: 38, 'outcome:events': 38, login: 7, logout: 7, command: 17, config_change: 7 },
      // 12 stop records repeat the command of their start record and yield no event.
      'tac_plus-srlinux.log': { records: 27, 'outcome:events': 27, command: 12, commit: 1, login: 1, login_failed: 1 },
      'tac_plus-faq.acct': { records: 4, 'outcome:events': 4, login: 2, logout: 2 },
    });
  });
});
