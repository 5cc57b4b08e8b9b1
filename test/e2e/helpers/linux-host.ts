// A real Linux host for e2e tests of Linux sessions, on loopback: a private rsyslogd that owns
// /dev/log and forwards everything to Countersign, a private OpenSSH server with snoopy preloaded
// into its logins only, test users with sudo rules and a tlog-recorded user, and scripted ssh
// sessions (concurrent, interleaved) that record what they did so a test can assert on it.
//
// Debian packages this harness needs (CI must install them):
//   rsyslog openssh-server openssh-client sudo snoopy tlog util-linux passwd bsdutils
// (rsyslog: rsyslogd with imuxsock; openssh-*: sshd, ssh, ssh-keygen; snoopy: libsnoopy.so;
//  tlog: tlog-rec-session; util-linux: su; passwd: useradd/usermod/userdel/chpasswd; bsdutils: logger)
// snoopy must NOT be enabled machine-wide (no line in /etc/ld.so.preload): the harness refuses to
// run if it is, because then every process on the machine would log its execs.
//
// What it changes on the machine, and undoes in stop():
//  - /dev/log: owned by our rsyslogd while running (exclusive lock file, see DEV_LOG_LOCK); stopped by
//    pid and the socket removed at the end. Another syslog daemon holding /dev/log makes start wait, then fail.
//  - users cs-alice, cs-bob, cs-carol, cs-dave (homes under /home), fresh random passwords per run,
//    and /etc/sudoers.d/countersign-e2e: created idempotently, removed by stop() (keepUsers: true keeps them).
//  - /var/run/utmp is created if missing (tlog needs it) and left in place; /run/sshd likewise.
// Needs root. Every process it starts is tracked and ended by pid in stop() (and, as a last resort,
// when the Node process exits).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { findTool, missingToolMessage } from './require-tool.js';
import { freePort, rsq, startRsyslog, type RsyslogProcess } from './rsyslog.js';

// ---------------------------------------------------------------------------------------------
// Requirements

/** Debian packages the harness needs (also listed at the top of this file). */
export const LINUX_HOST_PACKAGES = [
  'rsyslog',
  'openssh-server',
  'openssh-client',
  'sudo',
  'snoopy',
  'tlog',
  'util-linux',
  'passwd',
  'bsdutils',
] as const;

export const SNOOPY_LIB = '/lib/x86_64-linux-gnu/libsnoopy.so';
const SNOOPY_LIB_CANDIDATES = [SNOOPY_LIB, '/usr/lib/x86_64-linux-gnu/libsnoopy.so', '/lib/aarch64-linux-gnu/libsnoopy.so'];

/** Tools looked up with require-tool.ts's findTool (all but snoopy's library, which is no executable). */
export const LINUX_HOST_TOOLS = ['rsyslogd', 'sshd', 'ssh', 'ssh-keygen', 'sudo', 'su', 'tlog-rec-session', 'logger', 'useradd', 'usermod', 'userdel', 'chpasswd', 'visudo'] as const;

const EXTRA_PACKAGES: Record<string, string> = { useradd: 'passwd', usermod: 'passwd', userdel: 'passwd', chpasswd: 'passwd', visudo: 'sudo' };

const snoopyLib = (): string | null => SNOOPY_LIB_CANDIDATES.find((p) => existsSync(p)) ?? null;

/** Why this machine cannot run the harness (empty when it can). */
export function linuxHostProblems(): string[] {
  const out: string[] = [];
  for (const t of LINUX_HOST_TOOLS) {
    if (findTool(t) !== null) continue;
    out.push(EXTRA_PACKAGES[t] ? `missing tool ${t}: install Debian package ${EXTRA_PACKAGES[t]}` : missingToolMessage(t));
  }
  if (snoopyLib() === null) out.push(`missing ${SNOOPY_LIB}: install Debian package snoopy`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) out.push('the Linux host harness must run as root (it creates users, sudoers and /dev/log)');
  try {
    if (/snoopy/.test(readFileSync('/etc/ld.so.preload', 'utf8'))) {
      out.push('snoopy is enabled machine-wide (/etc/ld.so.preload): remove that line; the harness preloads it per login');
    }
  } catch {
    /* no /etc/ld.so.preload: good */
  }
  return out;
}

/**
 * `describe` for suites that need the Linux host: same policy as require-tool.ts's describeWithTools
 * (missing with CI=true: fails with the reason; missing otherwise: skips loudly).
 */
export function describeLinuxHost(title: string, fn: () => void): void {
  const problems = linuxHostProblems();
  if (problems.length === 0) {
    describe(title, fn);
    return;
  }
  const message = problems.join('; ');
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has the external tools it needs', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPING e2e suite "${title}": ${message} (this would FAIL with CI=true) ***\n`);
  describe.skip(title, fn);
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: everything we start, ended by pid.

const tracked = new Set<number>();
/** Synchronous clean-up of machine state (sudoers drop-in, users) while a host runs; cleared by stop(). */
let emergencyCleanup: (() => void) | null = null;
let exitHookInstalled = false;

/** Last resort if afterAll never ran (worker exiting, crash, SIGTERM/SIGINT): synchronous, best effort. */
const lastResort = (): void => {
  for (const p of tracked) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  tracked.clear();
  try {
    emergencyCleanup?.();
  } catch {
    /* best effort */
  }
  emergencyCleanup = null;
  releaseLockSync();
};

const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', lastResort);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    // Only when nobody else handles the signal; then clean up and die of it as we would have.
    if (process.listenerCount(sig) > 0) continue;
    process.once(sig, () => {
      lastResort();
      process.kill(process.pid, sig);
    });
  }
};

const track = (pid: number | undefined): void => {
  if (pid === undefined) return;
  installExitHook();
  tracked.add(pid);
};
const untrack = (pid: number | undefined): void => {
  if (pid !== undefined) tracked.delete(pid);
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or null. Guards against pid reuse. */
const startTime = (pid: number | 'self'): string | null => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
};

interface ProcInfo {
  pid: number;
  ppid: number;
  uid: number;
}
const listProcs = (): ProcInfo[] => {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      out.push({ pid: Number(name), ppid, uid });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
};

/** All descendants of pid (not pid itself). */
const descendants = (pid: number): number[] => {
  const procs = listProcs();
  const kids = new Map<number, number[]>();
  for (const p of procs) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const stack = [...(kids.get(pid) ?? [])];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
};

/** SIGTERM the pids, wait up to graceMs for them to go, then SIGKILL what is left. */
const endPids = async (pids: number[], graceMs = 5000): Promise<void> => {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const until = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < until) await sleep(50);
  for (const p of pids.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
};

const run = (cmd: string, args: string[], opts: { input?: string; allowFail?: boolean; timeoutMs?: number } = {}): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(findTool(cmd) ?? cmd, args, { input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000 });
  if (!opts.allowFail && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}${r.error?.message ?? ''}`);
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

// ---------------------------------------------------------------------------------------------
// The /dev/log lock

/** Only one process can own /dev/log: every user of this harness takes this lock first. */
export const DEV_LOG_LOCK = existsSync('/run/lock') ? '/run/lock/countersign-e2e-dev-log.lock' : '/tmp/countersign-e2e-dev-log.lock';
let lockHeld = false;

function releaseLockSync(): void {
  if (!lockHeld) return;
  try {
    const [pid] = readFileSync(DEV_LOG_LOCK, 'utf8').split(' ');
    if (Number(pid) === process.pid) unlinkSync(DEV_LOG_LOCK);
  } catch {
    /* already gone */
  }
  lockHeld = false;
}

/**
 * Takes the /dev/log lock: DEV_LOG_LOCK created atomically (link(2), like O_EXCL but with its content
 * already in place) holding "pid starttime". A lock whose
 * process is gone (or whose pid was reused) is stale and removed. Waits up to timeoutMs for a live holder.
 */
export async function acquireDevLogLock(timeoutMs = 180_000): Promise<() => void> {
  if (lockHeld) throw new Error('acquireDevLogLock: this process already holds the /dev/log lock');
  const until = Date.now() + timeoutMs;
  for (;;) {
    // The content is written first, then hard-linked into place (link(2) fails if the name exists):
    // nobody can ever read a half-written lock and take it for stale.
    const tmp = `${DEV_LOG_LOCK}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, `${process.pid} ${startTime('self')}\n`, { flag: 'wx', mode: 0o644 });
    try {
      linkSync(tmp, DEV_LOG_LOCK);
      lockHeld = true;
      return releaseLockSync;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
    let holder = '';
    try {
      holder = readFileSync(DEV_LOG_LOCK, 'utf8').trim();
    } catch {
      continue; // removed meanwhile: retry at once
    }
    const [pidText, started] = holder.split(' ');
    const pid = Number(pidText);
    const stale = !Number.isInteger(pid) || pid <= 0 || !alive(pid) || (started !== undefined && started !== 'null' && startTime(pid) !== started);
    if (stale) {
      // Remove only if it is still the same stale content (another waiter may have replaced it).
      try {
        if (readFileSync(DEV_LOG_LOCK, 'utf8').trim() === holder) unlinkSync(DEV_LOG_LOCK);
      } catch {
        /* gone */
      }
      continue;
    }
    if (Date.now() > until) throw new Error(`/dev/log lock ${DEV_LOG_LOCK} still held by pid ${pid} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Pids holding a unix socket bound at /dev/log (from /proc/net/unix and /proc/<pid>/fd). */
export function devLogHolders(): number[] {
  let table = '';
  try {
    table = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return [];
  }
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[7] === '/dev/log' && cols[6]) inodes.add(cols[6]);
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${name}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) {
          pids.push(Number(name));
          break;
        }
      } catch {
        /* fd closed */
      }
    }
  }
  return pids.length > 0 ? pids : [-1]; // bound, holder not visible
}

// ---------------------------------------------------------------------------------------------
// Users

export const TEST_USER_NAMES = ['cs-alice', 'cs-bob', 'cs-carol', 'cs-dave'] as const;
export type TestUserName = (typeof TEST_USER_NAMES)[number];
export interface TestUser {
  readonly name: TestUserName;
  readonly password: string;
  readonly uid: number;
  readonly home: string;
  readonly shell: string;
}

export const SUDOERS_DROP_IN = '/etc/sudoers.d/countersign-e2e';
/** cs-carol may run only these as root (anything else: "command not allowed"). */
export const CAROL_ALLOWED = ['/usr/bin/id', '/usr/bin/whoami'] as const;

const sudoersText = (): string =>
  [
    '# countersign e2e (test/e2e/helpers/linux-host.ts): removed when the test ends',
    'Defaults:cs-alice,cs-bob,cs-carol,cs-dave timestamp_timeout=0, !lecture',
    'cs-alice ALL=(ALL:ALL) ALL',
    'cs-bob ALL=(ALL:ALL) ALL',
    `cs-carol ALL=(root) ${CAROL_ALLOWED.join(', ')}`,
    '',
  ].join('\n');

function ensureUser(name: TestUserName, shell: string, password: string, pubKey: string): TestUser {
  const exists = spawnSync('id', ['-u', name]).status === 0;
  if (!exists) run('useradd', ['-m', '-s', shell, '-c', 'countersign e2e test user', name]);
  else run('usermod', ['-s', shell, name]);
  run('chpasswd', [], { input: `${name}:${password}\n` });
  const uid = Number(run('id', ['-u', name]).stdout.trim());
  const gid = Number(run('id', ['-g', name]).stdout.trim());
  const home = `/home/${name}`;
  mkdirSync(join(home, '.ssh'), { recursive: true });
  chownSync(home, uid, gid);
  chmodSync(home, 0o750);
  chownSync(join(home, '.ssh'), uid, gid);
  chmodSync(join(home, '.ssh'), 0o700);
  const ak = join(home, '.ssh', 'authorized_keys');
  writeFileSync(ak, pubKey);
  chownSync(ak, uid, gid);
  chmodSync(ak, 0o600);
  return { name, password, uid, home, shell };
}

// ---------------------------------------------------------------------------------------------
// The host

export interface LinuxHostOptions {
  /** Countersign's syslog TCP port on 127.0.0.1. */
  syslogTcpPort: number;
  /** Private directory for configs, keys, pid files and the syslog copies (created by the caller). */
  dir: string;
  /**
   * What rsyslog forwards: RFC 5424 ('RSYSLOG_SyslogProtocol23Format', the default) or RFC 3164 with
   * a precise timestamp ('RSYSLOG_ForwardFormat'). LF framing ("traditional"); imuxsock escapes control characters.
   */
  forwardTemplate?: 'RSYSLOG_SyslogProtocol23Format' | 'RSYSLOG_ForwardFormat';
  /** Hostname rsyslog puts in every line. Default 'cs-linux-host'. */
  hostname?: string;
  /** Keep the test users and the sudoers drop-in after stop() (debugging). Default false. */
  keepUsers?: boolean;
  /** How long to wait for the /dev/log lock and for another syslogd to let go of /dev/log. Default 180 s. */
  lockTimeoutMs?: number;
  /** tlog-rec-session configuration (JSON) given to the logins through sshd's SetEnv. */
  tlogConf?: Record<string, unknown>;
}

export interface LinuxHost {
  readonly dir: string;
  readonly hostname: string;
  readonly sshPort: number;
  readonly sshdPid: number;
  readonly rsyslog: RsyslogProcess;
  readonly users: Readonly<Record<TestUserName, TestUser>>;
  /** Private key (ed25519, no passphrase) authorised for every test user. */
  readonly keyFile: string;
  /** Everything rsyslog received, written as RFC 5424 (same template as forwarded with the default) and as RFC 3164. */
  readonly copies: { readonly rfc5424: string; readonly rfc3164: string };
  /** Lines of a copy so far. */
  lines(which?: 'rfc5424' | 'rfc3164'): string[];
  /**
   * Logs a unique line via `logger` into /dev/log and waits until rsyslog wrote it to the copy.
   * Proves we (still) own /dev/log; since one omfwd connection keeps order, once Countersign has the
   * mark it has everything logged before it. Returns the mark text.
   */
  mark(label?: string, timeoutMs?: number): Promise<string>;
  /** Starts an ssh client session (see SshSession). */
  ssh(opts: SshOptions): SshSession;
  /** Ends every session and process, stops sshd and rsyslogd by pid, removes /dev/log, users, sudoers; releases the lock. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_TLOG_CONF = { writer: 'syslog', log: { input: true, output: true, window: true } };

/** sshd_config quoting: a double-quoted argument with \" and \\ escapes. */
const sshdQuote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const readLines = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
};

export async function startLinuxHost(opts: LinuxHostOptions): Promise<LinuxHost> {
  const problems = linuxHostProblems();
  if (problems.length > 0) throw new Error(problems.join('; '));
  const dir = opts.dir;
  const hostname = opts.hostname ?? 'cs-linux-host';
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async (): Promise<void> => {
    const errors: string[] = [];
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    if (errors.length > 0) throw new Error(`linux host cleanup: ${errors.join('; ')}`);
  };

  try {
    // 1. The lock, then /dev/log must be free (nobody else's syslogd).
    const release = await acquireDevLogLock(opts.lockTimeoutMs ?? 180_000);
    cleanups.push(release);
    const until = Date.now() + (opts.lockTimeoutMs ?? 180_000);
    for (;;) {
      const holders = devLogHolders();
      if (holders.length === 0) break;
      if (Date.now() > until) throw new Error(`/dev/log is held by another process (pid ${holders.join(', ')}), not through ${DEV_LOG_LOCK}: stop it first`);
      await sleep(250);
    }
    if (existsSync('/dev/log')) unlinkSync('/dev/log'); // stale socket file, nobody bound to it

    // 2. rsyslogd owning /dev/log: forward over TCP, and two file copies.
    const copies = { rfc5424: join(dir, 'syslog.rfc5424.log'), rfc3164: join(dir, 'syslog.rfc3164.log') };
    const template = opts.forwardTemplate ?? 'RSYSLOG_SyslogProtocol23Format';
    const rsDir = join(dir, 'rsyslog');
    mkdirSync(rsDir, { recursive: true });
    const rsConfig = `
global(net.enableDNS="off" maxMessageSize="64k" localHostname=${rsq(hostname)})
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.Unlink="on" SysSock.RateLimit.Interval="0")
template(name="cs_rfc3164_line" type="string"
         string="<%PRI%>%TIMESTAMP% %HOSTNAME% %syslogtag:1:32%%msg:::sp-if-no-1st-sp%%msg%\\n")
if $inputname != "rsyslogd" then {
  action(type="omfile" file=${rsq(copies.rfc5424)} template="RSYSLOG_SyslogProtocol23Format" flushOnTXEnd="on" asyncWriting="off")
  action(type="omfile" file=${rsq(copies.rfc3164)} template="cs_rfc3164_line" flushOnTXEnd="on" asyncWriting="off")
  action(type="omfwd" target="127.0.0.1" port=${rsq(opts.syslogTcpPort)} protocol="tcp"
         template=${rsq(template)} tcp_framing="traditional" resendLastMSGOnReconnect="on"
         queue.type="LinkedList" queue.size="100000" queue.discardMark="100000" queue.discardSeverity="8"
         queue.timeoutEnqueue="600000" action.resumeRetryCount="-1" action.resumeInterval="1")
}
`;
    const rsyslog = await startRsyslog({ dir: rsDir, config: rsConfig });
    track(rsyslog.pid);
    cleanups.push(async () => {
      await rsyslog.stop();
      untrack(rsyslog.pid);
      // rsyslog unlinks its socket on exit; remove it if it is left and nobody else bound one since.
      if (existsSync('/dev/log') && devLogHolders().length === 0) rmSync('/dev/log', { force: true });
    });
    {
      const t = Date.now() + 15_000;
      while (!devLogHolders().includes(rsyslog.pid)) {
        if (rsyslog.exited() || Date.now() > t) throw new Error(`rsyslogd did not bind /dev/log\n${rsyslog.diagnostics()}`);
        await sleep(25);
      }
    }

    const mark = async (label = 'mark', timeoutMs = 20_000): Promise<string> => {
      const text = `cs-e2e-${label}-${randomBytes(6).toString('hex')}`;
      run('logger', ['-t', 'cs-e2e-mark', '-p', 'user.notice', '--', text]);
      const t = Date.now() + timeoutMs;
      while (!readLines(copies.rfc5424).some((l) => l.includes(text))) {
        if (Date.now() > t) {
          throw new Error(`mark ${text} did not reach our rsyslogd in ${timeoutMs} ms: /dev/log holders now ${devLogHolders().join(', ') || 'none'} (ours: ${rsyslog.pid})\n${rsyslog.diagnostics()}`);
        }
        await sleep(25);
      }
      return text;
    };
    await mark('start');

    // 3. Keys, users, sudoers, utmp.
    const keyFile = join(dir, 'id_ed25519');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'countersign-e2e', '-f', keyFile]);
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'countersign-e2e-host', '-f', hostKey]);
    const pub = readFileSync(`${keyFile}.pub`, 'utf8');
    const tlogShell = findTool('tlog-rec-session')!;
    const pw = (n: string): string => `${n}-${randomBytes(9).toString('base64url')}`;
    const users = {} as Record<TestUserName, TestUser>;
    emergencyCleanup = () => {
      // Our rsyslogd is dead by now (tracked): remove its socket file if nobody else bound one.
      if (devLogHolders().length === 0) rmSync('/dev/log', { force: true });
      if (opts.keepUsers) return;
      // What the sessions left (a non-tty session's shell and `sleep` outlive sshd) ends by pid.
      const uids = new Set(Object.values(users).map((u) => u.uid));
      for (const p of listProcs().filter((x) => uids.has(x.uid))) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      rmSync(SUDOERS_DROP_IN, { force: true });
      for (const name of TEST_USER_NAMES) spawnSync(findTool('userdel') ?? 'userdel', ['-r', '-f', name], { timeout: 5000 });
    };
    cleanups.push(() => {
      emergencyCleanup = null;
      if (opts.keepUsers) return;
      rmSync(SUDOERS_DROP_IN, { force: true });
      // Processes of our test users (only this harness logs them in) end by pid before userdel.
      const uids = new Set(Object.values(users).map((u) => u.uid));
      const left = listProcs().filter((p) => uids.has(p.uid)).map((p) => p.pid);
      for (const p of left) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      for (const name of TEST_USER_NAMES) run('userdel', ['-r', '-f', name], { allowFail: true });
    });
    for (const [name, shell] of [
      ['cs-alice', '/bin/bash'],
      ['cs-bob', '/bin/bash'],
      ['cs-carol', '/bin/bash'],
      ['cs-dave', tlogShell],
    ] as const) {
      users[name] = ensureUser(name, shell, pw(name), pub);
    }
    const sudoTmp = join(dir, 'sudoers.tmp');
    writeFileSync(sudoTmp, sudoersText(), { mode: 0o440 });
    run('visudo', ['-c', '-q', '-f', sudoTmp]);
    copyFileSync(sudoTmp, SUDOERS_DROP_IN);
    chmodSync(SUDOERS_DROP_IN, 0o440);
    if (!existsSync('/var/run/utmp')) {
      writeFileSync('/var/run/utmp', '');
      run('chgrp', ['utmp', '/var/run/utmp'], { allowFail: true });
      chmodSync('/var/run/utmp', 0o664);
    }

    // 4. sshd on a free loopback port.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const sshPort = await freePort();
    const sshdConfig = join(dir, 'sshd_config');
    const sshdPidFile = join(dir, 'sshd.pid');
    const tlogConf = JSON.stringify(opts.tlogConf ?? DEFAULT_TLOG_CONF);
    writeFileSync(
      sshdConfig,
      [
        '# countersign e2e sshd (test/e2e/helpers/linux-host.ts)',
        `Port ${sshPort}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${sshdPidFile}`,
        'UsePAM yes',
        'LogLevel INFO',
        'SyslogFacility AUTH',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'AuthorizedKeysFile .ssh/authorized_keys',
        'PermitRootLogin no',
        `AllowUsers ${Object.keys(users).join(' ')}`,
        'UseDNS no',
        'PrintMotd no',
        'MaxStartups 100:30:200',
        'MaxAuthTries 3',
        'X11Forwarding no',
        'AllowTcpForwarding no',
        `SetEnv LD_PRELOAD=${snoopyLib()} ${sshdQuote(`TLOG_REC_SESSION_CONF_TEXT=${tlogConf}`)}`,
        '',
      ].join('\n'),
    );
    const sshdBin = findTool('sshd')!;
    run(sshdBin, ['-t', '-f', sshdConfig]);
    const sshdErr = join(dir, 'sshd.stderr');
    const errFd = openSync(sshdErr, 'a');
    const sshd = spawn(sshdBin, ['-D', '-f', sshdConfig], { stdio: ['ignore', errFd, errFd] });
    closeSync(errFd);
    track(sshd.pid);
    const sshdExit = new Promise<void>((r) => sshd.once('exit', () => r()));
    const sessions = new Set<SshSession>();
    cleanups.push(async () => {
      // Session processes (and what users left running, e.g. `sleep`) first: collect the tree
      // before the clients go, since a non-tty session's shell outlives its connection.
      const tree = sshd.pid !== undefined ? descendants(sshd.pid) : [];
      await Promise.all([...sessions].map((s) => s.kill()));
      await endPids(tree.filter(alive));
      if (sshd.exitCode === null && sshd.signalCode === null) {
        sshd.kill('SIGTERM');
        await Promise.race([sshdExit, sleep(5000)]);
        if (sshd.exitCode === null && sshd.signalCode === null) sshd.kill('SIGKILL');
        await sshdExit;
      }
      untrack(sshd.pid);
    });
    {
      // Ready when it says so in syslog (a TCP probe would log a kex_exchange_identification error).
      const t = Date.now() + 15_000;
      const ready = `sshd[${sshd.pid}]: Server listening on 127.0.0.1 port ${sshPort}.`;
      while (!readLines(copies.rfc3164).some((l) => l.endsWith(ready))) {
        if (sshd.exitCode !== null || Date.now() > t) throw new Error(`sshd did not start on port ${sshPort}: ${readFileSync(sshdErr, 'utf8')}`);
        await sleep(25);
      }
    }

    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$CS_E2E_ASKPASS_PASSWORD"\n', { mode: 0o700 });

    let stopping: Promise<void> | null = null;
    const host: LinuxHost = {
      dir,
      hostname,
      sshPort,
      sshdPid: sshd.pid!,
      rsyslog,
      users,
      keyFile,
      copies,
      lines: (which = 'rfc5424') => readLines(copies[which]),
      mark,
      ssh: (o) => {
        const s = new SshSession(host, o, askpass);
        sessions.add(s);
        return s;
      },
      stop: () => (stopping ??= stopAll()),
    };
    return host;
  } catch (e) {
    await stopAll().catch((c: Error) => console.error(c.message));
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// ssh client sessions, driven like `expect`

export interface SshOptions {
  user: TestUserName;
  /** 'publickey' uses host.keyFile; 'password' goes through SSH_ASKPASS (SSH_ASKPASS_REQUIRE=force). */
  auth: 'publickey' | 'password';
  /** Password to give (default: the user's real one). */
  password?: string;
  /** true: `ssh -tt` (remote pty, interactive login shell); false: `ssh -T` (login shell reading stdin). */
  tty: boolean;
  /** Remote command; default none (the login shell). */
  command?: string;
  /** Per-wait timeout. Default 20 s. */
  timeoutMs?: number;
}

let markerSeq = 0;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class SshSession {
  readonly proc: ChildProcess;
  readonly startedAt = new Date();
  endedAt: Date | null = null;
  /** Everything the client printed (stdout and stderr interleaved as they came). */
  transcript = '';
  private cursor = 0;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly timeoutMs: number;

  constructor(
    readonly host: LinuxHost,
    readonly opts: SshOptions,
    askpass: string,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    const args = [
      '-F', '/dev/null',
      '-p', String(host.sshPort),
      '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR',
      '-o', 'ConnectTimeout=10',
      opts.tty ? '-tt' : '-T',
    ];
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: host.dir, TERM: 'xterm', LANG: 'C.UTF-8' };
    if (opts.auth === 'publickey') {
      args.push('-i', host.keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'PreferredAuthentications=publickey');
    } else {
      args.push('-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password', '-o', 'NumberOfPasswordPrompts=1');
      Object.assign(env, {
        SSH_ASKPASS: askpass,
        SSH_ASKPASS_REQUIRE: 'force',
        DISPLAY: ':0',
        CS_E2E_ASKPASS_PASSWORD: opts.password ?? host.users[opts.user].password,
      });
    }
    args.push(`${opts.user}@127.0.0.1`);
    if (opts.command !== undefined) args.push(opts.command);
    // detached: ssh gets its own session, so it can never open the test runner's terminal.
    this.proc = spawn(findTool('ssh')!, args, { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
    track(this.proc.pid);
    const onData = (d: Buffer): void => {
      this.transcript += d.toString('utf8');
    };
    this.proc.stdout!.on('data', onData);
    this.proc.stderr!.on('data', onData);
    this.proc.stdin!.on('error', () => {
      /* remote went away; the exit tells */
    });
    this.exited = new Promise((r) =>
      this.proc.once('exit', (code, signal) => {
        this.endedAt = new Date();
        untrack(this.proc.pid);
        r({ code, signal });
      }),
    );
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Waits for re in the output after the last match; moves past it. */
  async expect(re: RegExp, timeoutMs = this.timeoutMs): Promise<RegExpExecArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.transcript.slice(this.cursor);
      const m = new RegExp(re.source, re.flags.replace('g', '')).exec(rest);
      if (m) {
        this.cursor += m.index + m[0].length;
        return m;
      }
      if (!this.running) {
        // Let the last output drain before giving up.
        await sleep(50);
        const again = new RegExp(re.source, re.flags.replace('g', '')).exec(this.transcript.slice(this.cursor));
        if (again) {
          this.cursor += again.index + again[0].length;
          return again;
        }
        throw new Error(`ssh ${this.opts.user} exited (${this.proc.exitCode ?? this.proc.signalCode}) before ${re}; transcript:\n${this.transcript}`);
      }
      if (Date.now() > until) throw new Error(`ssh ${this.opts.user}: no ${re} within ${timeoutMs} ms; transcript:\n${this.transcript}`);
      await sleep(20);
    }
  }

  send(text: string): void {
    this.proc.stdin!.write(text);
  }

  /**
   * Waits until the remote shell has run everything sent so far: sends a marker line made of shell
   * builtins only (`echo`, arithmetic), so snoopy logs nothing for it, and the expected output does not
   * occur in a pty's echo of the line. Returns the exit status of the previous command.
   */
  async sync(timeoutMs = this.timeoutMs): Promise<number> {
    const n = 700_000 + ++markerSeq;
    this.send(`echo "__CS_$?_$((${n - 1}+1))__"\n`);
    const m = await this.expect(new RegExp(`__CS_(\\d+)_${n}__`), timeoutMs);
    return Number(m[1]);
  }

  /** Sends one command line and waits for it to finish; returns its exit status and the output in between. */
  async run(line: string, timeoutMs = this.timeoutMs): Promise<{ status: number; output: string }> {
    const from = this.cursor;
    this.send(`${line}\n`);
    const status = await this.sync(timeoutMs);
    return { status, output: this.transcript.slice(from, this.cursor) };
  }

  /**
   * tty sessions: waits for the next shell prompt (`user@host:dir$ ` or `# `). Input typed before a
   * new shell is ready can be lost (sudo's and tlog's own ptys, su), so wait for it after logins and
   * user switches.
   */
  async prompt(user: string = this.opts.user, timeoutMs = this.timeoutMs): Promise<void> {
    await this.expect(new RegExp(`${esc(user)}@[\\w.-]+:\\S*[$#] `), timeoutMs);
  }

  /** SSH_CONNECTION as the remote shell sees it: the client port ties sshd's and snoopy's lines to this session. */
  async connection(): Promise<{ clientAddress: string; clientPort: number; serverPort: number }> {
    this.send('echo "CS_CONN $SSH_CONNECTION"\n');
    const m = await this.expect(/CS_CONN (\S+) (\d+) (\S+) (\d+)/);
    return { clientAddress: m[1]!, clientPort: Number(m[2]), serverPort: Number(m[4]) };
  }

  /** Closes stdin (and sends `exit` first when asked); waits for the client to exit. */
  async end(opts: { exit?: boolean; timeoutMs?: number } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) {
      if (opts.exit !== false) this.send('exit\n');
      this.proc.stdin!.end();
    }
    const r = await Promise.race([this.exited, sleep(opts.timeoutMs ?? this.timeoutMs).then(() => null)]);
    if (r === null) {
      await this.kill();
      throw new Error(`ssh ${this.opts.user} did not exit; transcript:\n${this.transcript}`);
    }
    return r;
  }

  /** Ends the client by pid (SIGTERM, then SIGKILL). */
  async kill(): Promise<void> {
    if (!this.running || this.proc.pid === undefined) return;
    this.proc.kill('SIGTERM');
    const r = await Promise.race([this.exited, sleep(3000).then(() => null)]);
    if (r === null && this.running) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

export type LoggingProgram = 'sshd' | 'sudo' | 'su' | 'snoopy' | 'tlog';

export interface ScenarioCommand {
  /** The command line as snoopy prints it: argv joined with single spaces. */
  readonly command: string;
  /** The login user of the session it ran in. */
  readonly loginUser: string;
  /** The user it ran as. */
  readonly runAs: string;
  /** Programs that should have logged it (empty: nothing logs it, e.g. commands inside `sudo -i`). */
  readonly seenBy: readonly LoggingProgram[];
  /** For sudo: COMMAND= as sudo logs it (absolute path). */
  readonly sudoCommand?: string;
  /** What sudo/su made of it. */
  readonly outcome?: 'ok' | 'incorrect-password' | 'not-allowed';
}

/** A line some program must have logged for this scenario (matched against the syslog message text). */
export interface ExpectedLine {
  readonly program: LoggingProgram;
  readonly pattern: RegExp;
  readonly what: string;
}

export type ScenarioName = 'alice-sudo' | 'bob-sudo-i-su' | 'carol-sudo-refused' | 'alice-failed-login' | 'alice-open' | 'dave-tlog';

export interface ScenarioResult {
  readonly name: ScenarioName;
  readonly description: string;
  readonly user: TestUserName;
  readonly auth: 'publickey' | 'password';
  readonly tty: boolean;
  loginSucceeded: boolean;
  /** From the remote's SSH_CONNECTION (null when the login failed). */
  clientPort: number | null;
  readonly startedAt: Date;
  endedAt: Date | null;
  /** True while the session is deliberately left open (closeOpenSessions ends it). */
  open: boolean;
  /** Commands in the order they ran (builtins like echo only where tlog sees them). */
  readonly commands: ScenarioCommand[];
  /** Lines that must arrive (beyond the commands). */
  readonly expected: ExpectedLine[];
  /** Lines that must NOT have arrived at assertion time (e.g. the open session's close). */
  readonly notExpected: ExpectedLine[];
  transcript: string;
}

export interface ScenarioRun {
  readonly results: ScenarioResult[];
  /** Ends the sessions left open on purpose (alice-open) and waits for their clients to exit. */
  closeOpenSessions(): Promise<void>;
}

/**
 * A cyclic barrier: scenarios step in phases, so their sessions overlap and their steps interleave
 * (every scenario finishes phase k before any starts phase k+1). A scenario that ends leaves it.
 */
class Phases {
  private waiting: (() => void)[] = [];
  constructor(private parties: number) {}
  async next(): Promise<void> {
    if (this.waiting.length + 1 >= this.parties) {
      this.releaseAll();
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  leave(): void {
    this.parties--;
    if (this.parties > 0 && this.waiting.length >= this.parties) this.releaseAll();
  }
  private releaseAll(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const r of w) r();
  }
}

const SUDO_PROMPT = /\[sudo\] password for [\w-]+: ?/;

/**
 * Runs the six scenarios concurrently and interleaved (phases) through the real ssh client:
 *  alice-sudo          publickey, no tty: commands, then `sudo -S` (password on stdin) several times as root
 *  bob-sudo-i-su       publickey, tty: a command, `sudo -i` (password at the prompt) + commands as root, `su - cs-carol` + a command
 *  carol-sudo-refused  password (SSH_ASKPASS), no tty: sudo with a wrong password, a command sudo does not allow, one it does
 *  alice-failed-login  password auth with a wrong password
 *  alice-open          publickey, no tty: a command, then `sleep 3600`, left open until closeOpenSessions()
 *  dave-tlog           publickey, tty, login shell tlog-rec-session: types `echo hello-tlog`, `date -u +%Y`, exits
 */
export async function runScenarios(host: LinuxHost): Promise<ScenarioRun> {
  const u = host.users;
  const phases = new Phases(6);
  const results: ScenarioResult[] = [];
  const openSessions: SshSession[] = [];
  const timeout = 30_000;

  const scenario = (name: ScenarioName, description: string, user: TestUserName, auth: 'publickey' | 'password', tty: boolean): ScenarioResult => {
    const r: ScenarioResult = { name, description, user, auth, tty, loginSucceeded: false, clientPort: null, startedAt: new Date(), endedAt: null, open: false, commands: [], expected: [], notExpected: [], transcript: '' };
    results.push(r);
    return r;
  };
  const cmd = (r: ScenarioResult, c: Omit<ScenarioCommand, 'loginUser'> & { loginUser?: string }): void => {
    r.commands.push({ loginUser: r.user, ...c });
  };
  /** Logs in, reads the client port, records the sshd lines every successful login gives. */
  const login = async (r: ScenarioResult, s: SshSession): Promise<void> => {
    if (r.tty) await s.prompt();
    const c = await s.connection();
    r.loginSucceeded = true;
    r.clientPort = c.clientPort;
    const port = c.clientPort;
    r.expected.push(
      { program: 'sshd', what: 'accepted', pattern: new RegExp(`^Accepted ${r.auth} for ${r.user} from 127\\.0\\.0\\.1 port ${port} ssh2`) },
      { program: 'sshd', what: 'pam session opened', pattern: new RegExp(`^pam_unix\\(sshd:session\\): session opened for user ${r.user}\\(uid=${u[r.user].uid}\\) by \\(uid=0\\)`) },
    );
  };
  const closed = (r: ScenarioResult): ExpectedLine[] => [
    { program: 'sshd', what: 'disconnected', pattern: new RegExp(`^Disconnected from user ${r.user} 127\\.0\\.0\\.1 port ${r.clientPort}$`) },
    { program: 'sshd', what: 'pam session closed', pattern: new RegExp(`^pam_unix\\(sshd:session\\): session closed for user ${r.user}$`) },
  ];
  const finish = async (r: ScenarioResult, s: SshSession): Promise<void> => {
    const e = await s.end();
    if (e.code !== 0) throw new Error(`${r.name}: ssh exited ${e.code ?? e.signal}; transcript:\n${s.transcript}`);
    r.endedAt = s.endedAt;
    r.expected.push(...closed(r));
  };
  /** Non-tty: `printf '%s\n' PW | sudo -S ARGS` (printf is a builtin: the password is in no exec). */
  const sudoS = async (r: ScenarioResult, s: SshSession, password: string, argv: string, sudoCommand: string, outcome: ScenarioCommand['outcome']): Promise<{ status: number; output: string }> => {
    const res = await s.run(`printf '%s\\n' '${password}' | sudo -S ${argv}`, timeout);
    // snoopy prints argv joined with spaces: the shell's quotes are gone.
    cmd(r, { command: `sudo -S ${argv.replace(/'/g, '')}`, runAs: r.user, seenBy: ['snoopy'] });
    cmd(r, { command: sudoCommand, runAs: 'root', seenBy: ['sudo'], sudoCommand, ...(outcome ? { outcome } : {}) });
    return res;
  };

  const expectOk = (what: string, res: { status: number; output: string }, re?: RegExp): void => {
    if (res.status !== 0 || (re && !re.test(res.output))) throw new Error(`${what}: status ${res.status}, output:\n${res.output}`);
  };

  const wrap = async (r: () => ScenarioResult, body: (r: ScenarioResult) => Promise<void>, s?: () => SshSession | undefined): Promise<void> => {
    const res = r();
    try {
      await body(res);
    } finally {
      res.transcript = s?.()?.transcript ?? res.transcript;
      phases.leave();
    }
  };

  // (a) alice: commands, then sudo -S several times.
  let sa: SshSession | undefined;
  const alice = wrap(
    () => scenario('alice-sudo', 'commands, then sudo -S to root (password on stdin) for several commands', 'cs-alice', 'publickey', false),
    async (r) => {
      sa = host.ssh({ user: 'cs-alice', auth: 'publickey', tty: false, timeoutMs: timeout });
      await login(r, sa);
      await phases.next(); // 1: everyone is logged in
      expectOk('id -un', await sa.run('id -un'), /cs-alice/);
      cmd(r, { command: 'id -un', runAs: 'cs-alice', seenBy: ['snoopy'] });
      expectOk('uname -r', await sa.run('uname -r'));
      cmd(r, { command: 'uname -r', runAs: 'cs-alice', seenBy: ['snoopy'] });
      await phases.next(); // 2
      expectOk('ls /etc/ssh', await sa.run('ls /etc/ssh'), /sshd_config/);
      cmd(r, { command: 'ls /etc/ssh', runAs: 'cs-alice', seenBy: ['snoopy'] });
      expectOk('sudo id', await sudoS(r, sa, u['cs-alice'].password, 'id -un', '/usr/bin/id -un', 'ok'), /\broot\s*$/m);
      await phases.next(); // 3
      expectOk('sudo cat', await sudoS(r, sa, u['cs-alice'].password, 'cat /etc/hostname', '/usr/bin/cat /etc/hostname', 'ok'));
      expectOk('sudo sh -c', await sudoS(r, sa, u['cs-alice'].password, "sh -c 'whoami; ls /root'", "/usr/bin/sh -c 'whoami; ls /root'", 'ok'), /\broot\s*$/m);
      // Inside sudo's shell: snoopy is gone (sudo is setuid and resets LD_PRELOAD), sudo logged only the sh -c line.
      cmd(r, { command: 'whoami', runAs: 'root', seenBy: [] });
      cmd(r, { command: 'ls /root', runAs: 'root', seenBy: [] });
      await phases.next(); // 4
      await finish(r, sa);
      for (const c of r.commands.filter((x) => x.seenBy.includes('sudo'))) {
        r.expected.push({ program: 'sudo', what: `sudo ${c.sudoCommand}`, pattern: new RegExp(`^cs-alice : PWD=/home/cs-alice ; USER=root ; COMMAND=${esc(c.sudoCommand!)}$`) });
      }
    },
    () => sa,
  );

  // (b) bob: tty, sudo -i with the password at the prompt, commands as root, then su - cs-carol.
  let sb: SshSession | undefined;
  const bob = wrap(
    () => scenario('bob-sudo-i-su', 'tty; sudo -i (password typed at the prompt) and commands as root; su - cs-carol with her password', 'cs-bob', 'publickey', true),
    async (r) => {
      sb = host.ssh({ user: 'cs-bob', auth: 'publickey', tty: true, timeoutMs: timeout });
      await login(r, sb);
      await phases.next(); // 1
      expectOk('hostname', await sb.run('hostname'));
      cmd(r, { command: 'hostname', runAs: 'cs-bob', seenBy: ['snoopy'] });
      await phases.next(); // 2
      sb.send('sudo -i\n');
      await sb.expect(SUDO_PROMPT);
      sb.send(`${u['cs-bob'].password}\n`);
      await sb.prompt('root');
      cmd(r, { command: 'sudo -i', runAs: 'cs-bob', seenBy: ['snoopy'] });
      cmd(r, { command: '/bin/bash', runAs: 'root', seenBy: ['sudo'], sudoCommand: '/bin/bash', outcome: 'ok' });
      expectOk('id -un as root', await sb.run('id -un'), /\broot\s*$/m);
      cmd(r, { command: 'id -un', runAs: 'root', seenBy: [] });
      expectOk('cat /etc/shadow as root', await sb.run('head -1 /etc/shadow'), /^root:/m);
      cmd(r, { command: 'head -1 /etc/shadow', runAs: 'root', seenBy: [] });
      sb.send('exit\n');
      await sb.prompt('cs-bob');
      expectOk('exit root shell', { status: await sb.sync(), output: '' });
      await phases.next(); // 3
      sb.send('su - cs-carol\n');
      await sb.expect(/Password: ?/);
      sb.send(`${u['cs-carol'].password}\n`);
      await sb.prompt('cs-carol');
      cmd(r, { command: 'su - cs-carol', runAs: 'cs-bob', seenBy: ['snoopy'] });
      expectOk('id -un as carol', await sb.run('id -un'), /^cs-carol\s*$/m);
      cmd(r, { command: 'id -un', runAs: 'cs-carol', seenBy: [] });
      sb.send('exit\n');
      await sb.prompt('cs-bob');
      expectOk('exit carol shell', { status: await sb.sync(), output: '' });
      await phases.next(); // 4
      await finish(r, sb);
      r.expected.push(
        { program: 'sudo', what: 'sudo -i', pattern: /^cs-bob : TTY=pts\/\d+ ; PWD=\/root ; USER=root ; COMMAND=\/bin\/bash$/ },
        { program: 'sudo', what: 'sudo pam session opened', pattern: new RegExp(`^pam_unix\\(sudo-i:session\\): session opened for user root\\(uid=0\\) by cs-bob\\(uid=${u['cs-bob'].uid}\\)$`) },
        { program: 'sudo', what: 'sudo pam session closed', pattern: /^pam_unix\(sudo-i:session\): session closed for user root$/ },
        { program: 'su', what: 'su to carol', pattern: /^\(to cs-carol\) cs-bob on pts\/\d+$/ },
        { program: 'su', what: 'su pam session opened', pattern: new RegExp(`^pam_unix\\(su-l:session\\): session opened for user cs-carol\\(uid=${u['cs-carol'].uid}\\) by cs-bob\\(uid=${u['cs-bob'].uid}\\)$`) },
        { program: 'su', what: 'su pam session closed', pattern: /^pam_unix\(su-l:session\): session closed for user cs-carol$/ },
      );
    },
    () => sb,
  );

  // (c) carol: password login; sudo refuses a wrong password and a command she may not run.
  let sc: SshSession | undefined;
  const carol = wrap(
    () => scenario('carol-sudo-refused', 'password login (SSH_ASKPASS); sudo with a wrong password, a not-allowed command, then an allowed one', 'cs-carol', 'password', false),
    async (r) => {
      sc = host.ssh({ user: 'cs-carol', auth: 'password', tty: false, timeoutMs: timeout });
      await login(r, sc);
      await phases.next(); // 1
      expectOk('whoami', await sc.run('whoami'), /cs-carol/);
      cmd(r, { command: 'whoami', runAs: 'cs-carol', seenBy: ['snoopy'] });
      await phases.next(); // 2
      const bad = await sudoS(r, sc, 'wrong-password', 'id', '/usr/bin/id', 'incorrect-password');
      if (bad.status === 0) throw new Error(`carol: sudo with a wrong password succeeded:\n${bad.output}`);
      await phases.next(); // 3
      const refused = await sudoS(r, sc, u['cs-carol'].password, 'cat /etc/shadow', '/usr/bin/cat /etc/shadow', 'not-allowed');
      if (refused.status === 0) throw new Error(`carol: sudo cat /etc/shadow was allowed:\n${refused.output}`);
      expectOk('sudo whoami', await sudoS(r, sc, u['cs-carol'].password, 'whoami', '/usr/bin/whoami', 'ok'), /\broot\s*$/m);
      await phases.next(); // 4
      await finish(r, sc);
      r.expected.push(
        { program: 'sudo', what: 'incorrect password', pattern: /^cs-carol : 1 incorrect password attempt ; PWD=\/home\/cs-carol ; USER=root ; COMMAND=\/usr\/bin\/id$/ },
        { program: 'sudo', what: 'not allowed', pattern: /^cs-carol : command not allowed ; PWD=\/home\/cs-carol ; USER=root ; COMMAND=\/usr\/bin\/cat \/etc\/shadow$/ },
        { program: 'sudo', what: 'allowed', pattern: /^cs-carol : PWD=\/home\/cs-carol ; USER=root ; COMMAND=\/usr\/bin\/whoami$/ },
        { program: 'sshd', what: 'password auth', pattern: /^Accepted password for cs-carol from 127\.0\.0\.1 port \d+ ssh2$/ },
      );
    },
    () => sc,
  );

  // (d) a failed login: alice with a wrong password.
  let sd: SshSession | undefined;
  const failed = wrap(
    () => scenario('alice-failed-login', 'password login with a wrong password', 'cs-alice', 'password', false),
    async (r) => {
      await phases.next(); // 1: the others are logged in
      sd = host.ssh({ user: 'cs-alice', auth: 'password', password: 'not-alices-password', tty: false, command: 'true', timeoutMs: timeout });
      const e = await Promise.race([sd.exited, sleep(timeout).then(() => null)]);
      if (e === null) throw new Error(`failed login: ssh did not give up; transcript:\n${sd.transcript}`);
      if (e.code !== 255 || !/Permission denied/.test(sd.transcript)) throw new Error(`failed login: ssh exited ${e.code}; transcript:\n${sd.transcript}`);
      r.endedAt = sd.endedAt;
      r.expected.push(
        { program: 'sshd', what: 'failed password', pattern: /^Failed password for cs-alice from 127\.0\.0\.1 port \d+ ssh2$/ },
        { program: 'sshd', what: 'pam auth failure', pattern: /^pam_unix\(sshd:auth\): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127\.0\.0\.1 +user=cs-alice$/ },
      );
    },
    () => sd,
  );

  // (e) a session left open: alice again (two sessions of one user at once).
  let se: SshSession | undefined;
  const open = wrap(
    () => scenario('alice-open', 'a second alice session: a command, then `sleep 3600`, left open', 'cs-alice', 'publickey', false),
    async (r) => {
      se = host.ssh({ user: 'cs-alice', auth: 'publickey', tty: false, timeoutMs: timeout });
      await login(r, se);
      await phases.next(); // 1
      expectOk('pwd', await se.run('ls -d /tmp'));
      cmd(r, { command: 'ls -d /tmp', runAs: 'cs-alice', seenBy: ['snoopy'] });
      await phases.next(); // 2
      se.send('sleep 3600\n');
      cmd(r, { command: 'sleep 3600', runAs: 'cs-alice', seenBy: ['snoopy'] });
      r.open = true;
      openSessions.push(se);
      r.notExpected.push(...closed(r).slice(0, 1));
    },
    () => se,
  );

  // (f) dave: login shell tlog-rec-session; types a known text.
  let sf: SshSession | undefined;
  const dave = wrap(
    () => scenario('dave-tlog', 'login shell tlog-rec-session (writer syslog); types `echo hello-tlog` and `date -u +%Y`', 'cs-dave', 'publickey', true),
    async (r) => {
      sf = host.ssh({ user: 'cs-dave', auth: 'publickey', tty: true, timeoutMs: timeout });
      await sf.expect(/Your session is being recorded/);
      await login(r, sf);
      await phases.next(); // 1
      expectOk('echo hello-tlog', await sf.run('echo hello-tlog'), /^hello-tlog\s*$/m);
      cmd(r, { command: 'echo hello-tlog', runAs: 'cs-dave', seenBy: ['tlog'] });
      await phases.next(); // 2
      expectOk('date', await sf.run('date -u +%Y'), /^\d{4}\s*$/m);
      cmd(r, { command: 'date -u +%Y', runAs: 'cs-dave', seenBy: ['snoopy', 'tlog'] });
      await phases.next(); // 3
      await finish(r, sf);
      r.expected.push(
        { program: 'tlog', what: 'recording with the typed text', pattern: /^\{"ver":"[\d.]+","host":"[^"]+","rec":"[^"]+","user":"cs-dave",.*"in_txt":"(?:[^"\\]|\\.)*echo hello-tlog\\n/ },
        { program: 'snoopy', what: 'tlog starts the shell', pattern: /^\[login:cs-dave .*\]: -bash$/ },
      );
    },
    () => sf,
  );

  const settled = await Promise.allSettled([alice, bob, carol, failed, open, dave]);
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
  if (errors.length > 0) {
    for (const s of openSessions) await s.kill();
    throw new Error(`scenarios failed:\n${errors.join('\n---\n')}`);
  }
  return {
    results,
    closeOpenSessions: async () => {
      for (const s of openSessions) await s.kill();
      for (const r of results) {
        if (r.open) {
          r.open = false;
          r.endedAt = new Date();
        }
      }
    },
  };
}
