// Runs a private rsyslogd (own config, pid file, work dir, stderr file) for a test or benchmark,
// waits until it is ready and stops it by pid. Also builds the "receive TCP into a file" config.
// Must never touch the system rsyslog, /etc/rsyslog.conf or /dev/log (unless the caller's config does).
import { execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartRsyslogOptions {
  /** Private directory for this instance (created if missing). */
  dir: string;
  /** rsyslog.conf body (RainerScript) supplied by the caller. */
  config: string;
  /** TCP ports (on 127.0.0.1) that must accept a connection before we call it ready.
   *  Default: every `port="N"` of an imtcp/imptcp `input(...)` in the config. */
  readyPorts?: number[];
  /** Give up waiting for readiness after this long. Default 15 s. */
  readyTimeoutMs?: number;
  /** Validate the config with `rsyslogd -N1` first and refuse to start on any error. Default true
   *  (rsyslogd otherwise starts anyway and silently drops the statement it did not understand). */
  validate?: boolean;
  /** Also write rsyslog's own messages ($inputname == "rsyslogd") to `<dir>/rsyslogd.internal.log`
   *  (sets processInternalMessages="on" unless the config sets it). Default true. Does not stop them:
   *  the caller's default-ruleset actions still see them, so bind test inputs to their own ruleset. */
  captureInternal?: boolean;
}

export interface RsyslogProcess {
  pid: number;
  dir: string;
  confPath: string;
  pidFile: string;
  stderrPath: string;
  internalLogPath: string;
  /** Current content of rsyslogd's stderr file plus its internal-message log. */
  diagnostics(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** SIGTERM, wait for exit; SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void>;
}

const RSYSLOGD_CANDIDATES = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd', '/usr/local/sbin/rsyslogd'];

/** Absolute path of rsyslogd, or throws. */
export function rsyslogdPath(): string {
  for (const p of RSYSLOGD_CANDIDATES) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  throw new Error('missing tool rsyslogd: install Debian package rsyslog');
}

/** Quotes a value for a RainerScript string parameter. */
export function rsq(value: string | number): string {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A currently free TCP port on 127.0.0.1 (the usual small race applies). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** Resolves true if 127.0.0.1:port accepts a TCP connection (closed immediately, no data sent). */
export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Ports of imtcp/imptcp input() statements in a RainerScript config. */
export function inputPorts(config: string): number[] {
  const ports: number[] = [];
  const re = /input\s*\(([^)]*)\)/gis;
  for (const m of config.matchAll(re)) {
    const body = m[1] ?? '';
    if (!/type\s*=\s*"(imtcp|imptcp)"/i.test(body)) continue;
    const p = /\bport\s*=\s*"(\d+)"/i.exec(body);
    if (p?.[1] && p[1] !== '0') ports.push(Number(p[1]));
  }
  return ports;
}

function validateConfig(bin: string, confPath: string): Promise<void> {
  return new Promise((res, rej) => {
    execFile(bin, ['-N1', '-f', confPath], { timeout: 15_000 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      const complaints = out.split('\n').filter((l) => /error/i.test(l) && !/config validation run/.test(l));
      if (err || complaints.length > 0) {
        rej(new Error(`rsyslogd rejected ${confPath}:\n${out}`));
      } else {
        res();
      }
    });
  });
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Starts `rsyslogd -n -f <dir>/rsyslog.conf -i <dir>/rsyslogd.pid` and waits until it is ready. */
export async function startRsyslog(opts: StartRsyslogOptions): Promise<RsyslogProcess> {
  const dir = resolve(opts.dir);
  const workDir = join(dir, 'work');
  await mkdir(workDir, { recursive: true });
  const confPath = join(dir, 'rsyslog.conf');
  const pidFile = join(dir, 'rsyslogd.pid');
  const stderrPath = join(dir, 'rsyslogd.stderr');
  const internalLogPath = join(dir, 'rsyslogd.internal.log');
  // Debian's rsyslogd (built with libsystemd) hands its own messages to journald unless
  // processInternalMessages="on"; with no journald here they would vanish.
  const internal =
    opts.captureInternal === false
      ? ''
      : (/processInternalMessages/i.test(opts.config) ? '' : `global(processInternalMessages="on")\n`) +
        `if $inputname == "rsyslogd" then {\n  action(type="omfile" file=${rsq(internalLogPath)} template="RSYSLOG_FileFormat")\n}\n`;
  const conf =
    `# written by startRsyslog (bench/rsyslog-process.ts) for a private test instance\n` +
    `global(workDirectory=${rsq(workDir)})\n${internal}` +
    `# ---- caller's config ----\n${opts.config}\n`;
  await writeFile(confPath, conf);
  const bin = rsyslogdPath();
  if (opts.validate !== false) await validateConfig(bin, confPath);

  const errFd = openSync(stderrPath, 'a');
  const child = spawn(bin, ['-n', '-f', confPath, '-i', pidFile], {
    stdio: ['ignore', errFd, errFd],
    cwd: dir,
  });
  closeSync(errFd);
  let exitInfo: string | null = null;
  const exitPromise = new Promise<void>((res) => {
    child.once('exit', (code, signal) => {
      exitInfo = `code=${code} signal=${signal}`;
      res();
    });
    child.once('error', (e) => {
      exitInfo = `spawn error: ${e.message}`;
      res();
    });
  });
  const diagnostics = (): string =>
    `--- ${stderrPath}\n${readIfExists(stderrPath)}--- ${internalLogPath}\n${readIfExists(internalLogPath)}`;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo !== null || child.pid === undefined) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killAfter = new Promise<boolean>((res) => {
        timer = setTimeout(() => res(true), 10_000);
      });
      const killed = await Promise.race([exitPromise.then(() => false), killAfter]);
      clearTimeout(timer);
      if (killed && exitInfo === null) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    })();
    return stopping;
  };

  const ports = opts.readyPorts ?? inputPorts(opts.config);
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
  try {
    for (;;) {
      if (exitInfo !== null) throw new Error(`rsyslogd exited during startup (${exitInfo})`);
      if (Date.now() > deadline) throw new Error('rsyslogd did not become ready in time');
      if (existsSync(pidFile)) {
        let ready = true;
        for (const port of ports) {
          if (!(await portAccepts(port))) {
            ready = false;
            break;
          }
        }
        if (ready) break;
      }
      await sleep(25);
    }
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${diagnostics()}`);
  }

  return {
    pid: child.pid as number,
    dir,
    confPath,
    pidFile,
    stderrPath,
    internalLogPath,
    diagnostics,
    exited: () => exitInfo !== null,
    stop,
  };
}

/** Queue parameters (after type/size) that make a memory queue of `size` messages never discard:
 *  no discard mark below the size, nothing severe enough to discard, and a long enqueue wait
 *  (action queues default to 50 ms, then drop) so a full queue pushes back instead. */
export function NO_DROP_QUEUE_TAIL(size: number): string {
  return `queue.discardMark=${rsq(size)} queue.discardSeverity="8" queue.timeoutEnqueue="600000"`;
}

export interface ReceiveToFileOptions {
  port: number;
  /** Output file; every message is written as `%rawmsg%\n`. */
  file: string;
  /** imptcp (default; multi-threaded, measured faster here) or imtcp (single-threaded in 8.2302). */
  input?: 'imptcp' | 'imtcp';
  /** imptcp helper threads. Default 2 (2 cores). */
  threads?: number;
  /** Worker threads of the ruleset queue. Default 2. */
  queueWorkers?: number;
  /** Ruleset queue size (messages); nothing is discarded below it. Default 1 000 000. */
  queueSize?: number;
}

/** RainerScript: TCP on 127.0.0.1:port (LF or octet-counted framing) → file, one raw message a line. */
export function receiveToFileConfig(o: ReceiveToFileOptions): string {
  const input = o.input ?? 'imptcp';
  const size = o.queueSize ?? 1_000_000;
  const mod =
    input === 'imptcp'
      ? `module(load="imptcp" threads=${rsq(o.threads ?? 2)})`
      : `module(load="imtcp" maxSessions="200")`;
  return `
global(net.enableDNS="off" maxMessageSize="64k")
${mod}
template(name="cs_rawline" type="string" string="%rawmsg%\\n")
ruleset(name="cs_receive"
        queue.type="LinkedList" queue.size=${rsq(size)} queue.workerThreads=${rsq(o.queueWorkers ?? 2)}
        queue.dequeueBatchSize="1024" ${NO_DROP_QUEUE_TAIL(size)}) {
  action(type="omfile" file=${rsq(o.file)} template="cs_rawline"
         ioBufferSize="256k" flushOnTXEnd="on" asyncWriting="off")
}
input(type=${rsq(input)} port=${rsq(o.port)} address="127.0.0.1" ruleset="cs_receive"
      supportOctetCountedFraming="on")
`;
}
