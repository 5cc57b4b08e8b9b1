import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../model/event.js';
import { checkBodyParserContract, expectEvent, expectWellFormed, inputFromLine, runParser } from '../testing.js';
import type { BodyInput } from '../types.js';
import { auditd, AuditdParser } from './auditd.js';
import { proctitleArgv } from './decode.js';
import { readRecords } from './record-line.js';

const dir = new URL('./testdata/', import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, dir), 'utf8');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Wazuh's INI samples: `log N pass = <line>`, the 0x1D separator written as the text `\u001D`. */
const iniSamples = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => /^log \d+ (pass|fail) = /.test(l))
    .map((l) => l.replace(/^log \d+ (pass|fail) = /, '').trim().replaceAll('\\u001D', '\u001d'));

/** Lines → inputs through the real envelope parsers; lines no envelope reads (comments, `msg=?`) are counted apart. */
function inputsOf(lines: readonly string[], format: 'auditd' | 'auto'): { inputs: BodyInput[]; noEnvelope: number } {
  const inputs: BodyInput[] = [];
  let noEnvelope = 0;
  let seq = 0;
  for (const l of lines) {
    if (l.trim() === '') continue;
    seq++;
    try {
      inputs.push(inputFromLine(l, seq, { format }));
    } catch {
      noEnvelope++;
    }
  }
  return { inputs, noEnvelope };
}

const fileLines = (f: string): string[] => read(f).split('\n');
const formatOf = (f: string): 'auditd' | 'auto' => (f.startsWith('syslog-') ? 'auto' : 'auditd');

function runFile(f: string): { events: Event[]; inputs: BodyInput[]; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const bump = (k: string, n = 1): void => {
    counts[k] = (counts[k] ?? 0) + n;
  };
  let all: BodyInput[] = [];
  const events: Event[] = [];
  // Each Wazuh INI sample is a test case of its own (several repeat one event): a fresh parser each.
  const groups = f.endsWith('.ini') ? iniSamples(read(f)).map((l) => [l]) : [fileLines(f)];
  for (const lines of groups) {
    const { inputs, noEnvelope } = inputsOf(lines, formatOf(f));
    bump('records', inputs.length + noEnvelope);
    if (noEnvelope > 0) bump('noEnvelope', noEnvelope);
    const p = auditd();
    const r = runParser(p, inputs);
    for (const o of r.outcomes) bump(o.kind === 'unparsed' ? `unparsed:${o.reason}` : o.kind === 'events' ? (o.events.length > 0 ? 'events' : 'known-no-event') : o.kind);
    for (const e of r.events) bump(`kind:${e.kind}`);
    events.push(...r.events);
    all = all.concat(inputs);
  }
  return { events, inputs: all, counts };
}

const CORPUS = readdirSync(dir)
  .filter((n) => /\.(log|txt|ini)$/.test(n))
  .sort();

const bySeq = (events: readonly Event[], seq: number): Event => {
  const e = events.find((x) => x.seq === seq);
  if (e === undefined) throw new Error(`no event with seq ${seq}`);
  return e;
};

describe('auditd: exact events', () => {
  it('assembles an ENRICHED execve (SYSCALL+EXECVE+CWD+PATH+PROCTITLE+EOE) with names from the 0x1D section', () => {
    const { events } = runFile('laurel-record-execve.txt');
    expect(events).toEqual([
      {
        seq: 1,
        seqs: [1, 2, 3, 4, 5, 6, 7],
        time: 1615114232375,
        host: 'work',
        kind: 'command',
        action: 'exec',
        user: 'user',
        targetUser: 'root',
        command: 'whoami',
        cwd: '/home/user/tmp',
        tty: 'pts/1',
        hints: { auditSession: '1', tty: 'pts/1', pid: '10884' },
        parser: 'auditd@1',
        detail: {
          node: 'work',
          auid: '1000',
          uid: '0',
          euid: '0',
          pid: '10884',
          ppid: '10883',
          exe: '/usr/bin/whoami',
          comm: 'whoami',
          syscall: 'execve',
          success: true,
          argc: 1,
        },
      },
    ]);
  });

  it('decodes hex arguments and a hex cwd, and quotes them (capture from auditd 3.0.9 on this machine)', () => {
    const { events } = runFile('capture-debian12-enriched.log');
    const echo = events.find((e) => e.detail?.comm === 'echo');
    expect(echo).toMatchObject({
      kind: 'command',
      action: 'exec',
      command: `/bin/echo 'hello world' 'it'\\''s'`,
      cwd: '/tmp/auditd-scratch/dir with space',
      host: 'vm',
      time: 1795984423287,
    });
    expect(echo?.user).toBeUndefined(); // auid unset: no login identity
    expect(echo?.targetUser).toBe('root'); // EUID="root" in the enriched section
    expect(echo?.hints).toEqual({ pid: '19808' }); // ses=4294967295 and tty=(none) are not hints
    const printf = events.find((e) => e.detail?.comm === 'printf');
    expect(printf?.command).toBe(`/usr/bin/printf '%s\\n' 'tab\there'`);
  });

  it('PROCTITLE (NUL-separated hex) decodes to the same argv as EXECVE', () => {
    const lines = fileLines('capture-debian12-enriched.log');
    const titleOf = (id: string): string[] | undefined => {
      const r = readRecords(lines.find((l) => l.includes('type=PROCTITLE') && l.includes(`(${id})`)) ?? '');
      return r.kind === 'records' ? proctitleArgv(r.records[0]?.fields.get('proctitle')) : undefined;
    };
    expect(titleOf('1795984423.287:6')).toEqual(['/bin/echo', 'hello world', "it's"]);
    expect(titleOf('1795984423.287:8')).toEqual(['/usr/bin/printf', '%s\\n', 'tab\there']);
    // With EXECVE records excluded, the command comes from PROCTITLE.
    const noExecve = lines.filter((l) => !l.includes('type=EXECVE') && l.includes('(1795984423.287:6)'));
    const p = auditd();
    const { events } = runParser(p, inputsOf(noExecve, 'auditd').inputs);
    expect(events.map((e) => [e.command, e.detail?.commandFrom])).toEqual([[`/bin/echo 'hello world' 'it'\\''s'`, 'proctitle']]);
    const perl = runFile('laurel-record-perl-reverse-shell.txt').events[0];
    const expected = JSON.parse(read('laurel-record-perl-reverse-shell.json')) as { EXECVE: { ARGV: string[] } };
    expect(perl?.command).toBe(`perl -e '${expected.EXECVE.ARGV[2]?.replaceAll("'", `'\\''`)}'`);
  });

  it('joins long arguments split as a1_len / a1[0] a1[1] … across EXECVE records (Laurel as the independent decoder)', () => {
    const { events } = runFile('laurel-record-execve-long.txt');
    const expected = JSON.parse(read('laurel-record-execve-long.json')) as { EXECVE: { ARGV: string[] } };
    expect(events).toHaveLength(1);
    expect(events[0]?.command).toBe(expected.EXECVE.ARGV.join(' '));
    expect(events[0]?.seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('USER_LOGIN success and failure (hex acct "(invalid user)")', () => {
    const { events } = runFile('go-libaudit-audit-ubuntu16.log');
    expect(events).toEqual([
      {
        seq: 1,
        time: 1492896301818,
        host: '127.0.0.1',
        kind: 'login_failed',
        action: 'login',
        remote: '179.38.151.221',
        reason: 'invalid user',
        hints: { sshdPid: '12635' },
        parser: 'auditd@1',
        detail: { type: 'USER_LOGIN', uid: '0', pid: '12635', exe: '/usr/sbin/sshd', op: 'login', res: 'failed', terminal: 'sshd', acct: '(invalid user)' },
      },
      {
        seq: 2,
        time: 1492810797778,
        host: '127.0.0.1',
        kind: 'login',
        action: 'login',
        tty: 'pts/1',
        remote: '72.83.230.100',
        hints: { auditSession: '36', tty: 'pts/1', sshdPid: '11396' },
        parser: 'auditd@1',
        detail: { type: 'USER_LOGIN', auid: '1001', uid: '0', pid: '11396', exe: '/usr/sbin/sshd', op: 'login', res: 'success', id: '1001' },
      },
    ]);
  });

  it('USER_CMD (sudo, hex cmd) → privilege with the command and cwd', () => {
    const line = fileLines('go-libaudit-audit-rhel7.log').find((l) => l.startsWith('type=USER_CMD')) ?? '';
    const p = auditd();
    const o = p.parse(inputFromLine(line, 7, { format: 'auditd' }));
    expect(o).toEqual({
      kind: 'events',
      events: [
        {
          seq: 7,
          time: 1481077231363,
          host: '127.0.0.1',
          kind: 'privilege',
          action: 'command',
          command: './metricbeat -c mb.dev.yml',
          cwd: '/home/andrew_kroh',
          tty: 'pts/0',
          hints: { auditSession: '3', tty: 'pts/0', pid: '1382' },
          parser: 'auditd@1',
          detail: { type: 'USER_CMD', auid: '1000', uid: '1000', pid: '1382', res: 'success', exe: 'sudo' },
        },
      ],
    });
  });

  it('TTY (pam_tty_audit) → tty_io with the decoded keystrokes; the terminal from major 136 minor 0', () => {
    const line = fileLines('beats-filebeat-auditd-test.log').find((l) => l.startsWith('type=TTY')) ?? '';
    const o = auditd().parse(inputFromLine(line, 3, { format: 'auditd' }));
    expect(o.kind).toBe('events');
    const e = o.kind === 'events' ? o.events[0] : undefined;
    expect(e).toMatchObject({ kind: 'tty_io', action: 'keystrokes', tty: 'pts/0', hints: { auditSession: '762', tty: 'pts/0', pid: '27930' } });
    expect(e?.keystrokes?.startsWith('eh\u007f\u007fecho test\rvim /etc/pam.d/password-auth-ac\r')).toBe(true);
    expect(e?.keystrokes?.endsWith('\rsudo su\r')).toBe(true);
  });

  it('CONFIG_CHANGE → alert_only (audit rules changed)', () => {
    const { events } = runFile('capture-debian12-enriched.log');
    const changes = events.filter((e) => e.kind === 'alert_only');
    expect(changes.map((e) => [e.action, e.detail?.op, e.detail?.key])).toEqual([
      ['audit-config-change', 'add_rule', 'cs-test'],
      ['audit-config-change', 'remove_rule', 'cs-test'],
      ['auditd-stopped', 'terminate', undefined],
    ]);
  });
});

describe('auditd: syslog-forwarded forms', () => {
  it('claims audispd, kernel printk and journald-text forms under their tags, and reads their own time and serial', () => {
    const { inputs, events, counts } = runFile('syslog-forms.log');
    const p = auditd();
    for (const i of inputs) expect(p.claims?.(i)).toBe(true);
    expect(p.claims?.(inputFromLine('Apr 28 20:12:08 BCLT02 sudo[75057]: pam_unix(sudo:session): session closed for user root'))).toBe(false);
    const ps = events.find((e) => e.kind === 'command');
    expect(ps).toMatchObject({
      seq: 1,
      seqs: [1, 2, 3, 4, 5, 6],
      time: 1585291054568, // from msg=audit(…), not the syslog header
      host: 'vnode03',
      command: 'ps',
      cwd: '/var/www/html',
      detail: { node: 'vnode03.vuln', key: 'L5_EXEC_BIN', uid: '48' },
    });
    // sudo's PAM session, as the kernel printed it (type=1105) and as journald did (USER_START).
    const sudo = events.filter((e) => e.kind === 'privilege');
    expect(sudo.map((e) => [e.seq, e.action, e.targetUser, e.tty, e.time])).toEqual([
      [8, 'session-opened', 'root', 'pts/3', inputs[7]?.time],
      [10, 'session-opened', 'root', 'pts/3', 1651198327323],
      [13, 'session-closed', 'root', 'pts/3', inputs[12]?.time],
      [15, 'session-closed', 'root', 'pts/3', 1651198328559],
    ]);
    expect(counts['unparsed:malformed']).toBeUndefined();
  });
});

describe('auditd: assembly and release', () => {
  it('records of one event that arrive out of order still assemble', () => {
    const { events } = runFile('go-libaudit-out_of_order.log');
    const cat = events.find((e) => e.command === 'cat securitybeat');
    expect(cat?.seqs).toEqual([8, 9, 10, 11, 13]); // PATH item=1 came after the next event's SYSCALL
  });

  it('interleaved events stay apart: every event is built from records of one audit id only', () => {
    for (const f of ['laurel-shell-proc-trace-reordered.txt', 'capture-debian12-enriched.log', 'go-libaudit-out_of_order.log']) {
      const { events, inputs } = runFile(f);
      expect(events.filter((e) => e.kind === 'command').length).toBeGreaterThan(1);
      for (const e of events) {
        const ids = new Set((e.seqs ?? [e.seq]).map((s) => /msg=audit\(([^)]*)\)/.exec(inputs.find((i) => i.seq === s)?.envelope.msg ?? '')?.[1]));
        expect(ids.size).toBe(1);
      }
    }
  });

  it('EOE releases at the next flush; without EOE the window (2 s of log time) does', () => {
    const p = new AuditdParser();
    const { inputs } = inputsOf(fileLines('laurel-record-execve.txt'), 'auditd');
    for (const i of inputs) expect(p.parse(i).kind).toBe('pending');
    expect(p.pendingCount).toBe(0);
    expect(p.flush(0, false).map((e) => e.command)).toEqual(['whoami']);

    const q = new AuditdParser();
    const syscall = inputs.slice(0, 3); // SYSCALL, EXECVE, CWD: no EOE
    for (const i of syscall) q.parse(i);
    const t = syscall[0]?.time ?? 0;
    expect(q.flush(t + 1999, false)).toEqual([]);
    expect(q.flush(t + 2000, false).map((e) => [e.command, e.seqs])).toEqual([['whoami', [1, 2, 3]]]);
    // A record of that event arriving after it went out is an orphan, not a new event.
    const late = q.parse(inputs[3] as BodyInput);
    expect(late).toMatchObject({ kind: 'unparsed', reason: 'orphan' });
  });

  it('honours the memory bound: the oldest held events are released first, incomplete', () => {
    const p = new AuditdParser({ maxPending: 2 });
    const { inputs } = inputsOf(fileLines('capture-debian12-enriched.log'), 'auditd');
    let max = 0;
    for (const i of inputs) {
      p.parse(i);
      max = Math.max(max, p.pendingCount);
    }
    expect(max).toBe(2);
    const released = p.flush(0, false);
    const rest = p.flush(0, true);
    const all = [...released, ...rest].filter((e) => e.kind === 'command');
    // Each event still carries only records of its own id, and the order follows arrival.
    expect(all.map((e) => e.detail?.comm)).toEqual(['mkdir', 'echo', 'printf', 'env', 'true', 'sleep', 'auditctl']);
  });

  it('keeps a fresh state per factory call', () => {
    const a = auditd();
    const b = auditd();
    expect(a).not.toBe(b);
    const { inputs } = inputsOf(fileLines('laurel-record-execve.txt').slice(0, 1), 'auditd');
    a.parse(inputs[0] as BodyInput);
    expect((a as AuditdParser).pendingCount).toBe(1);
    expect((b as AuditdParser).pendingCount).toBe(0);
  });
});

describe('auditd: corpus', () => {
  it('golden events for a whole capture (capture-debian12-enriched.log)', () => {
    const { events } = runFile('capture-debian12-enriched.log');
    const golden = new URL('capture-debian12-enriched.golden.json', dir);
    const text = `${JSON.stringify(events, null, 2)}\n`;
    if (UPDATE || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('pinned counts per corpus file (records → events / pending / unparsed; events by kind)', () => {
    const counts: Record<string, Record<string, number>> = {};
    for (const f of CORPUS) counts[f] = runFile(f).counts;
    const golden = new URL('counts.golden.json', dir);
    const text = `${JSON.stringify(counts, null, 2)}\n`;
    if (UPDATE || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('every outcome and event over the corpus is well formed', () => {
    for (const f of CORPUS) {
      const p = auditd();
      const { inputs } = f.endsWith('.ini') ? inputsOf(iniSamples(read(f)), 'auditd') : inputsOf(fileLines(f), formatOf(f));
      for (const i of inputs) {
        const o = p.parse(i);
        expectWellFormed(p, i, o);
      }
      for (const e of p.flush?.(0, true) ?? []) expectEvent(p, e);
    }
  });
});

describe('auditd: contract and cost', () => {
  const seeds = [
    ...fileLines('syslog-forms.log').filter((l) => l !== '').map((l) => inputFromLine(l).envelope.msg),
    ...fileLines('capture-debian12-enriched.log').slice(0, 20),
    ...fileLines('go-libaudit-audit-rhel7.log'),
    ...fileLines('laurel-record-execve-long.txt').slice(1, 3),
  ].filter((s) => s.trim() !== '');

  it('keeps the body-parser contract', () => {
    checkBodyParserContract(auditd, seeds, 1500);
  });

  it('reads hostile 64 KiB inputs in linear time', () => {
    const n = 64 * 1024;
    const hostile = [
      'type='.repeat(n / 5),
      'node=a type=b msg=audit(1.1:1): '.repeat(n / 32),
      'type=SYSCALL msg=audit(1.1:1): ' + 'a="'.repeat(n / 3),
      'type=USER_CMD msg=audit(1.1:1): ' + "msg='".repeat(n / 5),
      'type=EXECVE msg=audit(1.1:1): argc=99999 ' + 'a1[9]=41 '.repeat(n / 9),
      'type=EXECVE msg=audit(1.1:1): ' + 'a9999999=41 '.repeat(n / 12),
      'type=TTY msg=audit(1.1:1): data=' + '4'.repeat(n),
      '[' + ' '.repeat(n),
      'type=SYSCALL msg=audit(1.1:1): ' + '\u001d'.repeat(n),
      'type=SYSCALL msg=audit(1.1:1): ' + 't'.repeat(n),
      'type=SYSCALL msg=audit(1.1:1): ' + 'node=x '.repeat(n / 7),
    ];
    // Timing is not asserted here (npm run fuzz measures it); a catastrophic scan would hit the test timeout.
    for (const msg of hostile) {
      const p = auditd();
      const input: BodyInput = { seq: 1, time: 0, host: 'h', envelope: { format: 'auditd', msg } };
      p.claims?.(input);
      const o = p.parse(input);
      p.flush?.(0, true);
      expectWellFormed(p, input, o);
    }
  });
});
