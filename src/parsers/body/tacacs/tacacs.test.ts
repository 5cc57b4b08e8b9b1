import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../model/event.js';
import { parseEnvelope } from '../../envelope/index.js';
import type { BodyInput } from '../types.js';
import { checkBodyParserContract, FIXTURE_RECEIVED_AT, inputFromEnvelope, runParser } from '../testing.js';
import { tacacs } from './tacacs.js';

const dir = new URL('./testdata/', import.meta.url);
const linesOf = (name: string): string[] => readFileSync(new URL(name, dir), 'utf8').split('\n').filter((l) => l !== '');

/** The TACACS+ server the files were read from, as `countersign import --host` would give it. */
const SERVER = 'tacsrv';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * tac_plus writes its timestamp, then a TAB. Today's envelope parsers reject that TAB after a BSD or
 * ctime(3) timestamp (see PROVENANCE.md), so for those lines the tests build the envelope the import
 * should produce: the time, no hostname, no app, msg = the rest of the line. Lines the envelope does
 * read (Marc Huber's ISO timestamps) go through the real envelope parser.
 */
function inputOf(line: string, seq: number): BodyInput {
  const real = parseEnvelope(Buffer.from(line, 'utf8'), { receivedAt: FIXTURE_RECEIVED_AT, timezone: 'UTC' }, 'auto');
  if (real.ok) return inputFromEnvelope(real.value, seq, FIXTURE_RECEIVED_AT, SERVER);
  const tab = line.indexOf('\t');
  const stamp = line.slice(0, tab);
  let time: number | undefined;
  const ctime = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(stamp);
  if (ctime !== null) {
    time = Date.UTC(Number(ctime[6]), MONTHS.indexOf(ctime[1]!), Number(ctime[2]), Number(ctime[3]), Number(ctime[4]), Number(ctime[5]));
  } else {
    // A BSD timestamp: let the real envelope parser resolve it (year inferred around the receive time).
    const bsd = parseEnvelope(Buffer.from(`${stamp} -`, 'utf8'), { receivedAt: FIXTURE_RECEIVED_AT, timezone: 'UTC' }, 'auto');
    if (bsd.ok) time = bsd.value.time;
  }
  if (time === undefined) throw new Error(`fixture timestamp not understood: ${stamp}`);
  return inputFromEnvelope({ format: 'rfc3164', time, msg: line.slice(tab + 1) }, seq, FIXTURE_RECEIVED_AT, SERVER);
}
const inputsOf = (lines: readonly string[]): BodyInput[] => lines.map((l, i) => inputOf(l, i + 1));

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
    const { events, outcomes } = runParser(tacacs(), inputsOf(lines));
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
      { seq: 1, time: t('2026-09-24T16:09:32Z'), host: SERVER, kind: 'command', action: 'configure', user: 'user', hints: { devicePid: iosPid }, parser: 'tacacs@1', command: 'configure terminal', detail: ios('6', { privLvl: 15, configMode: 'enter' }) },
      { seq: 2, time: t('2026-09-24T16:09:39Z'), host: SERVER, kind: 'config_change', action: 'config-line', user: 'user', hints: { devicePid: iosPid }, parser: 'tacacs@1', command: 'interface FastEthernet 0/0', detail: ios('7', { privLvl: 15, configMode: true }) },
      { seq: 3, time: t('2026-09-24T16:10:02Z'), host: SERVER, kind: 'command', action: 'command', user: 'user', hints: { devicePid: iosPid }, parser: 'tacacs@1', command: 'end', detail: ios('11', { privLvl: 0, configMode: 'leave' }) },
      { seq: 4, time: t('1995-07-13T14:09:02Z'), host: SERVER, kind: 'login', action: 'exec-start', user: 'billw', remote: '171.69.1.152', hints: { devicePid: 'cherub.cisco.com billw tty18 171.69.1.152' }, parser: 'tacacs@1', detail: { nas: 'cherub.cisco.com', port: 'tty18', remAddr: '171.69.1.152', deviceType: 'network', taskId: '17150', acctType: 'start', service: 'exec' } },
      { seq: 5, time: t('1995-07-13T13:35:28Z'), host: SERVER, kind: 'logout', action: 'exec-stop', user: 'chein', remote: '171.69.1.141', hints: { devicePid: 'cherub.cisco.com chein tty5 171.69.1.141' }, parser: 'tacacs@1', detail: { nas: 'cherub.cisco.com', port: 'tty5', remAddr: '171.69.1.141', deviceType: 'network', taskId: '12028', acctType: 'stop', service: 'exec', elapsedTime: 875 } },
      { seq: 6, time: t('2026-02-04T15:12:20Z'), host: SERVER, kind: 'login', action: 'exec-start', user: 'jathan', remote: '192.168.0.10', hints: { devicePid: junosPid }, parser: 'tacacs@1', detail: junos('1', 'start') },
      { seq: 7, time: t('2026-02-04T15:13:52Z'), host: SERVER, kind: 'config_change', action: 'change-log-set', user: 'jathan', remote: '192.168.0.10', hints: { devicePid: junosPid }, parser: 'tacacs@1', command: 'set: [system root-authentication encrypted-password]', detail: junos('9', 'stop') },
      { seq: 8, time: t('2026-02-04T15:14:03Z'), host: SERVER, kind: 'logout', action: 'exec-stop', user: 'jathan', remote: '192.168.0.10', hints: { devicePid: junosPid }, parser: 'tacacs@1', detail: junos('1', 'stop', { elapsedTime: 104 }) },
      { seq: 9, time: t('2020-07-17T17:42:11Z'), host: SERVER, kind: 'command', action: 'command', user: 'admin', remote: '10.1.1.1', hints: { devicePid: '10.1.1.2 admin ssh 10.1.1.1' }, parser: 'tacacs@1', command: 'info from state', detail: srl('131', 'start') },
      { seq: 11, time: t('2020-07-17T17:41:26Z'), host: SERVER, kind: 'commit', action: 'commit', user: 'admin', remote: '10.1.1.1', hints: { devicePid: '10.1.1.2 admin ssh 10.1.1.1' }, parser: 'tacacs@1', command: 'commit stay', detail: srl('129', 'stop') },
      { seq: 12, time: t('2020-07-17T18:01:50Z'), host: SERVER, kind: 'login_failed', action: 'authen-failed', user: 'hans', remote: '10.1.1.1', reason: 'ascii login failed', hints: { devicePid: '10.1.1.2 hans ssh 10.1.1.1' }, parser: 'tacacs@1', detail: { nas: '10.1.1.2', port: 'ssh', remAddr: '10.1.1.1', deviceType: 'network', authenType: 'ascii' } },
    ];
    expect(events).toEqual(expected);
  });

  it('claims untagged accounting lines and leaves other programs alone', () => {
    const p = tacacs();
    const acct = inputOf(linesOf('tac_plus-ios.acct')[0]!, 1);
    expect(p.claims!(acct)).toBe(true);
    const other: BodyInput = { seq: 2, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'sshd', msg: 'Accepted password for root from 10.0.0.1 port 22 ssh2' } };
    expect(p.claims!(other)).toBe(false);
    expect(p.parse(other)).toEqual({ kind: 'not-mine' });
    // Under its own program name, a line that is no record is the program's and unread.
    const junk: BodyInput = { seq: 3, time: 0, host: 'h', envelope: { format: 'rfc3164', app: 'tac_plus', msg: 'Reading config' } };
    expect(p.parse(junk)).toEqual({ kind: 'unparsed', reason: 'unknown-message', message: 'Reading config' });
  });

  it('keeps the contract on arbitrary and mutated input', () => {
    const seeds = FILES.flatMap((f) => inputsOf(linesOf(f)).map((i) => i.envelope.msg));
    checkBodyParserContract(tacacs, seeds, 1000);
  });

  for (const name of FILES) {
    it(`matches the golden events of ${name}`, () => {
      const { events } = runParser(tacacs(), inputsOf(linesOf(name)));
      const golden = new URL(`${name.replace(/\.(acct|log)$/, '')}.events.json`, dir);
      const text = JSON.stringify(events, null, 1) + '\n';
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('pins the outcome and event counts per file', () => {
    const counts = Object.fromEntries(
      FILES.map((name) => {
        const { events, outcomes } = runParser(tacacs(), inputsOf(linesOf(name)));
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
