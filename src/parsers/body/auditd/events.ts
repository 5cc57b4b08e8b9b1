// Audit records → normalized events: an assembled syscall event (SYSCALL+EXECVE+CWD+PATH+PROCTITLE)
// becomes a 'command' when it is an execve; a userspace record (USER_LOGIN, USER_CMD, TTY, …) becomes
// one event of its own. Pure: no state, no clock; every name comes from the record, never guessed.
import type { Event, EventKind, SessionHints } from '../../../model/event.js';
import {
  baseName,
  decodeValue,
  hexText,
  idValue,
  isAuditHex,
  joinArgv,
  nameOf,
  normalizeTty,
  proctitleArgv,
  raw,
  str,
  ttyFromDevice,
} from './decode.js';
import type { AuditRecord, FieldValue } from './record-line.js';

export const PARSER = 'auditd@1';

type Detail = Record<string, string | number | boolean>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Where an event comes from: its records' seqs (first = smallest), host and audit time. */
export interface Origin {
  readonly seqs: readonly number[];
  readonly host: string;
  readonly time: number;
}

/** Programs whose PAM sessions are logins (the rest — cron, systemd --user — are not an operator's). */
const LOGIN_EXES: ReadonlySet<string> = new Set([
  'sshd', 'sshd-session', 'login', 'gdm-session-worker', 'lightdm', 'sddm-helper', 'xrdp-sesman', 'in.telnetd',
  'telnetd', 'dropbear', 'cockpit-session', 'in.rlogind', 'remote',
]);
/** Programs whose PAM sessions and authentications are a change of user inside a session. */
const PRIVILEGE_EXES: ReadonlySet<string> = new Set(['sudo', 'sudoedit', 'su', 'doas', 'pkexec', 'runuser', 'ksu', 'sudo-rs', 'su-rs', 'run0']);
/** Account and group management: changes to who may log in. */
const ACCOUNT_TYPES: ReadonlySet<string> = new Set([
  'ADD_USER', 'DEL_USER', 'ADD_GROUP', 'DEL_GROUP', 'USER_MGMT', 'GRP_MGMT', 'USER_CHAUTHTOK', 'GRP_CHAUTHTOK',
  'CHUSER_ID', 'CHGRP_ID', 'ACCT_LOCK', 'ACCT_UNLOCK', 'SOFTWARE_UPDATE',
]);

/** execve / execveat per audit arch (AUDIT_ARCH_*), for SYSCALL records without an EXECVE beside them. */
const EXEC_SYSCALLS: ReadonlyMap<string, readonly string[]> = new Map([
  ['c000003e', ['59', '322']], // x86_64
  ['40000003', ['11', '358']], // i386
  ['c00000b7', ['221', '281']], // aarch64
  ['40000028', ['11', '387']], // arm
  ['c0000015', ['11', '362']], // ppc64le
  ['80000015', ['11', '362']], // ppc64
  ['80000016', ['11', '354']], // s390x
  ['c00000f3', ['221', '281']], // riscv64
]);

const put = (d: Detail, k: string, v: string | number | boolean | undefined): void => {
  if (v !== undefined) d[k] = v;
};

function makeEvent(o: Origin, kind: EventKind, fields: Partial<Mutable<Event>>, hints: Mutable<SessionHints>, detail: Detail): Event {
  const seq = o.seqs[0] ?? 0;
  const e: Mutable<Event> = { seq, time: o.time, host: o.host, kind, hints: {}, parser: PARSER };
  if (o.seqs.length > 1) e.seqs = o.seqs;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(hints)) if (v !== undefined) h[k] = v;
  e.hints = h;
  if (Object.keys(detail).length > 0) e.detail = detail;
  return e;
}

/** `res=success|1|yes` → true, `failed|0|no` → false (USER_* inner `res`, SYSCALL `success`). */
function outcome(r: AuditRecord): boolean | undefined {
  const v = raw(r, 'res') ?? raw(r, 'success');
  if (v === undefined) return undefined;
  if (v === 'success' || v === '1' || v === 'yes') return true;
  if (v === 'failed' || v === 'fail' || v === '0' || v === 'no') return false;
  return undefined;
}

const session = (r: AuditRecord): string | undefined => idValue(r, 'ses');

/** The record's terminal: a tty where it names one; `ssh`, `cron` and the like go to detail. */
function terminalOf(r: AuditRecord): { tty?: string; terminal?: string } {
  const t = str(r, 'terminal');
  const tty = normalizeTty(t) ?? normalizeTty(raw(r, 'tty'));
  return tty !== undefined ? { tty } : t !== undefined ? { terminal: t } : {};
}

function remoteOf(r: AuditRecord): string | undefined {
  return str(r, 'addr') ?? str(r, 'hostname');
}

/** The details every userspace record carries. */
function baseDetail(r: AuditRecord): Detail {
  const d: Detail = { type: r.type };
  put(d, 'auid', idValue(r, 'auid'));
  put(d, 'uid', idValue(r, 'uid'));
  put(d, 'pid', raw(r, 'pid'));
  put(d, 'exe', str(r, 'exe'));
  put(d, 'op', str(r, 'op'));
  put(d, 'res', raw(r, 'res'));
  put(d, 'node', r.node);
  return d;
}

function baseHints(r: AuditRecord, exe: string | undefined, tty: string | undefined): Mutable<SessionHints> {
  const pid = raw(r, 'pid');
  const sshd = exe === 'sshd' || exe === 'sshd-session';
  return { auditSession: session(r), tty, ...(sshd ? { sshdPid: pid } : { pid }) };
}

/** One userspace (or standalone kernel) record → its events (none for types that tell nothing about sessions). */
export function recordEvents(r: AuditRecord, o: Origin): readonly Event[] {
  const exePath = str(r, 'exe');
  const exe = baseName(exePath);
  const { tty, terminal } = terminalOf(r);
  const ok = outcome(r);
  const detail = baseDetail(r);
  put(detail, 'terminal', terminal);
  const hints = baseHints(r, exe, tty);
  // sshd logs `acct="(invalid user)"` (hex, it holds a space) for a name that does not exist: not a user.
  const acctRaw = str(r, 'acct');
  const invalidUser = acctRaw === '(invalid user)' || acctRaw === '(unknown)';
  const acct = invalidUser ? undefined : acctRaw;
  put(detail, 'acct', invalidUser ? acctRaw : undefined);
  const actor = nameOf(r, 'auid') ?? nameOf(r, 'uid');
  const loginLike = exe !== undefined && LOGIN_EXES.has(exe);
  const privLike = exe !== undefined && PRIVILEGE_EXES.has(exe);
  const remote = remoteOf(r);
  const rport = raw(r, 'rport');
  const loginFields = {
    user: acct ?? nameOf(r, 'id'),
    tty,
    remote,
    remotePort: rport !== undefined && /^\d{1,5}$/.test(rport) ? Number(rport) : undefined,
  };
  put(detail, 'id', idValue(r, 'id'));
  put(detail, 'grantors', str(r, 'grantors'));

  switch (r.type) {
    case 'USER_LOGIN':
      return [
        makeEvent(o, ok === false ? 'login_failed' : 'login', { action: 'login', ...loginFields, reason: invalidUser ? 'invalid user' : undefined }, hints, detail),
      ];
    case 'USER_LOGOUT':
      return [makeEvent(o, 'logout', { action: 'logout', ...loginFields }, hints, detail)];
    case 'USER_START':
    case 'USER_END': {
      const opened = r.type === 'USER_START';
      const action = opened ? 'session-opened' : 'session-closed';
      if (loginLike) {
        const kind: EventKind = !opened ? 'logout' : ok === false ? 'login_failed' : 'login';
        return [makeEvent(o, kind, { action, ...loginFields }, hints, detail)];
      }
      if (privLike) {
        // PAM opens the session for the target user (acct); the actor is the login identity (auid).
        const kind: EventKind = ok === false ? 'privilege_failed' : 'privilege';
        return [makeEvent(o, kind, { action, user: actor, targetUser: acct, tty }, hints, detail)];
      }
      return []; // cron, systemd --user, …: not an operator's session
    }
    case 'USER_AUTH':
    case 'USER_ACCT': {
      if (ok !== false) return []; // the login itself is told by USER_LOGIN / USER_START
      const action = r.type === 'USER_AUTH' ? 'auth' : 'account';
      if (loginLike) return [makeEvent(o, 'login_failed', { action, ...loginFields }, hints, detail)];
      if (privLike) {
        // sudo authenticates the invoking user; su, runuser and ksu the target.
        const invokerAuth = exe === 'sudo' || exe === 'sudoedit' || exe === 'sudo-rs' || exe === 'doas' || exe === 'pkexec';
        const fields = invokerAuth ? { user: acct ?? actor } : { user: actor, targetUser: acct };
        return [makeEvent(o, 'privilege_failed', { action, ...fields, tty }, hints, detail)];
      }
      return [];
    }
    case 'USER_CMD': {
      const cmd = str(r, 'cmd');
      put(detail, 'exe', exePath ?? 'sudo');
      return [
        makeEvent(o, ok === false ? 'privilege_failed' : 'privilege', { action: 'command', user: actor, command: cmd, cwd: str(r, 'cwd'), tty }, hints, detail),
      ];
    }
    case 'TTY':
    case 'USER_TTY': {
      const data = r.fields.get('data');
      const keystrokes = data === undefined ? undefined : data.quoted ? data.text : isAuditHex(data.text) ? hexText(data.text) : data.text;
      const t = tty ?? ttyFromDevice(raw(r, 'major'), raw(r, 'minor'));
      put(detail, 'comm', str(r, 'comm'));
      put(detail, 'major', raw(r, 'major'));
      put(detail, 'minor', raw(r, 'minor'));
      return [makeEvent(o, 'tty_io', { action: 'keystrokes', user: actor, tty: t, keystrokes }, { ...hints, tty: t }, detail)];
    }
    case 'CONFIG_CHANGE': {
      // Audit rules or auditing itself changed: not part of a session story, but reviewers must see it.
      put(detail, 'key', str(r, 'key')?.replaceAll('\u0001', ','));
      for (const k of ['list', 'path', 'dir', 'audit_enabled', 'audit_failure', 'audit_pid', 'old', 'backlog_limit']) put(detail, k, str(r, k));
      return [makeEvent(o, 'alert_only', { action: 'audit-config-change', user: actor }, hints, detail)];
    }
    case 'DAEMON_END':
    case 'DAEMON_ABORT':
      // auditd stopped: what happens next is not recorded.
      return [makeEvent(o, 'alert_only', { action: r.type === 'DAEMON_END' ? 'auditd-stopped' : 'auditd-aborted', user: actor }, hints, detail)];
    case 'SYSTEM_BOOT':
    case 'SYSTEM_SHUTDOWN':
      return [makeEvent(o, 'reboot', { action: r.type === 'SYSTEM_BOOT' ? 'boot' : 'shutdown' }, hints, detail)];
    case 'ANOM_PROMISCUOUS':
      put(detail, 'dev', str(r, 'dev'));
      put(detail, 'prom', raw(r, 'prom'));
      return [makeEvent(o, 'alert_only', { action: 'promiscuous-mode', user: actor }, hints, detail)];
    default:
      if (ACCOUNT_TYPES.has(r.type)) {
        for (const k of ['acct', 'sw', 'sw_type']) put(detail, k, str(r, k));
        const kind: EventKind = 'config_change';
        return [makeEvent(o, kind, { action: r.type.toLowerCase().replaceAll('_', '-'), user: actor, tty }, hints, detail)];
      }
      return [];
  }
}

/** EXECVE records → argv: `aN` whole, or `aN_len` + `aN[i]` hex pieces (long arguments), across records. */
function execArgv(records: readonly AuditRecord[]): { argv: string[]; argc?: number } | undefined {
  const whole = new Map<number, FieldValue>();
  const pieces = new Map<number, Map<number, string>>();
  let argc: number | undefined;
  let any = false;
  for (const r of records) {
    if (r.type !== 'EXECVE') continue;
    any = true;
    for (const [k, v] of r.fields) {
      if (k === 'argc') {
        if (/^\d{1,7}$/.test(v.text)) argc = Number(v.text);
        continue;
      }
      if (k.charCodeAt(0) !== 0x61) continue;
      const m = /^a(\d{1,7})(?:\[(\d{1,7})\])?$/.exec(k);
      if (m === null) continue;
      const n = Number(m[1]);
      if (m[2] === undefined) whole.set(n, v);
      else {
        let p = pieces.get(n);
        if (p === undefined) pieces.set(n, (p = new Map()));
        p.set(Number(m[2]), v.text);
      }
    }
  }
  if (!any) return undefined;
  let count = 0;
  for (const n of [...whole.keys(), ...pieces.keys()]) count = Math.max(count, n + 1);
  if (argc !== undefined && argc < count) count = argc;
  // Missing arguments (lost records) read as ''; a hostile index must not make a huge argv.
  count = Math.min(count, whole.size + pieces.size + 64);
  const argv: string[] = [];
  for (let i = 0; i < count; i++) {
    const w = whole.get(i);
    if (w !== undefined) {
      argv.push(w.quoted ? w.text : isAuditHex(w.text) ? hexText(w.text) : w.text);
      continue;
    }
    const p = pieces.get(i);
    if (p === undefined) {
      argv.push('');
      continue;
    }
    const idx = [...p.keys()].sort((a, b) => a - b);
    const hex = idx.map((j) => p.get(j) ?? '').join('');
    argv.push(isAuditHex(hex) ? hexText(hex) : hex);
  }
  return argc !== undefined ? { argv, argc } : { argv };
}

function isExecSyscall(sys: AuditRecord): boolean {
  const named = decodeValue(sys.enriched.get('SYSCALL')) ?? raw(sys, 'syscall');
  if (named === 'execve' || named === 'execveat') return true;
  const arch = raw(sys, 'arch');
  const nr = raw(sys, 'syscall');
  return arch !== undefined && nr !== undefined && (EXEC_SYSCALLS.get(arch)?.includes(nr) ?? false);
}

const ERRNO: Readonly<Record<string, string>> = { '-1': 'EPERM', '-2': 'ENOENT', '-8': 'ENOEXEC', '-13': 'EACCES', '-7': 'E2BIG', '-20': 'ENOTDIR' };

/** The records of one syscall event → a 'command' if it ran a program; other syscalls carry no event. */
export function syscallEvents(records: readonly AuditRecord[], o: Origin): readonly Event[] {
  const sys = records.find((r) => r.type === 'SYSCALL');
  const exec = execArgv(records);
  if (exec === undefined && (sys === undefined || !isExecSyscall(sys))) return [];
  const cwdRec = records.find((r) => r.type === 'CWD');
  const titleRec = records.find((r) => r.type === 'PROCTITLE');
  const title = titleRec === undefined ? undefined : proctitleArgv(titleRec.fields.get('proctitle'));
  const exePath = sys === undefined ? undefined : str(sys, 'exe');
  const argv = exec !== undefined && exec.argv.length > 0 ? exec.argv : title;
  const command = argv !== undefined ? joinArgv(argv) : exePath;
  const detail: Detail = {};
  const first = records[0];
  put(detail, 'node', sys?.node ?? first?.node);
  let tty: string | undefined;
  let hints: Mutable<SessionHints> = {};
  let user: string | undefined;
  let targetUser: string | undefined;
  let failed = false;
  if (sys !== undefined) {
    tty = normalizeTty(raw(sys, 'tty'));
    user = nameOf(sys, 'auid');
    targetUser = nameOf(sys, 'euid');
    put(detail, 'auid', idValue(sys, 'auid'));
    put(detail, 'uid', idValue(sys, 'uid'));
    put(detail, 'euid', idValue(sys, 'euid'));
    put(detail, 'pid', raw(sys, 'pid'));
    put(detail, 'ppid', raw(sys, 'ppid'));
    put(detail, 'exe', exePath);
    put(detail, 'comm', str(sys, 'comm'));
    put(detail, 'key', str(sys, 'key')?.replaceAll('\u0001', ',')); // several keys are joined by 0x01
    put(detail, 'syscall', decodeValue(sys.enriched.get('SYSCALL')) ?? raw(sys, 'syscall'));
    const success = raw(sys, 'success');
    put(detail, 'success', success === undefined ? undefined : success === 'yes');
    failed = success === 'no';
    if (failed) put(detail, 'exit', raw(sys, 'exit'));
    hints = { auditSession: session(sys), tty, pid: raw(sys, 'pid') };
  } else {
    put(detail, 'incomplete', 'no SYSCALL record');
  }
  if (exec?.argc !== undefined) put(detail, 'argc', exec.argc);
  if (exec === undefined && title !== undefined) put(detail, 'commandFrom', 'proctitle');
  const exit = sys === undefined ? undefined : raw(sys, 'exit');
  return [
    makeEvent(
      o,
      'command',
      {
        action: failed ? 'exec-failed' : 'exec',
        user,
        targetUser,
        command,
        cwd: cwdRec === undefined ? undefined : str(cwdRec, 'cwd'),
        tty,
        reason: failed && exit !== undefined ? (Object.hasOwn(ERRNO, exit) ? ERRNO[exit] : `exit=${exit}`) : undefined,
      },
      hints,
      detail,
    ),
  ];
}
