// Benchmarks rsyslogd as a TCP receiver (imptcp/imtcp -> file) on loopback: throughput, CPU, peak RSS.
// procStats() is shared with the Countersign side of the benchmark so both are measured the same way.
// Must always stop the rsyslogd it started (finally), and never bind anything but 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendTcp } from './load-tcp.js';
import { buildPayload } from './messages.js';
import { freePort, receiveToFileConfig, startRsyslog } from './rsyslog-process.js';

let clkTck: number | undefined;
function clockTicks(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** CPU seconds (user+system, all threads) and peak RSS (VmHWM) of a live process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; peakRssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return { cpuSeconds: ticks / clockTicks(), peakRssBytes: hwm?.[1] ? Number(hwm[1]) * 1024 : 0 };
}

/** Counts '\n' bytes in a growing file, reading only what was appended since the last call. */
export class LineCounter {
  private fd: number | null = null;
  private offset = 0;
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  lines = 0;
  constructor(private readonly path: string) {}

  poll(): number {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return this.lines; // not created yet
      }
    }
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      const chunk = this.buf.subarray(0, n);
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) this.lines++;
    }
    return this.lines;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface BenchRsyslogOptions {
  lines: readonly string[];
  /** Scratch directory for config, pid file, work dir and the output file. */
  workDir: string;
  input?: 'imptcp' | 'imtcp';
  connections?: number;
  framing?: 'lf' | 'octet';
  /** Give up waiting for the output file after this long. Default 300 s. */
  timeoutMs?: number;
}

export interface BenchResult {
  messages: number;
  seconds: number;
  msgPerSec: number;
  /** rsyslogd CPU (user+sys) used between just before the first byte and the last line written. */
  cpuSeconds: number;
  /** rsyslogd peak resident set size (VmHWM) over its whole life. */
  peakRssBytes: number;
  /** How long the sender needed until every connection was closed. */
  sendSeconds: number;
}

/** Starts rsyslogd receiving into a file, sends `lines` over TCP and times until all are in the file. */
export async function benchRsyslogTcp(o: BenchRsyslogOptions): Promise<BenchResult> {
  await mkdir(o.workDir, { recursive: true });
  const outFile = join(o.workDir, 'received.log');
  rmSync(outFile, { force: true });
  const port = await freePort();
  const payload = buildPayload(o.lines, o.framing ?? 'lf');
  const rs = await startRsyslog({
    dir: o.workDir,
    config: receiveToFileConfig({ port, file: outFile, input: o.input ?? 'imptcp' }),
  });
  const counter = new LineCounter(outFile);
  try {
    const before = procStats(rs.pid);
    const t0 = performance.now();
    const sent = sendTcp({ host: '127.0.0.1', port, payload, connections: o.connections ?? 1 });
    let sendSeconds = NaN;
    let sendError: unknown = null;
    sent.then(
      (r) => (sendSeconds = r.ms / 1000),
      (e: unknown) => (sendError = e),
    );
    const deadline = t0 + (o.timeoutMs ?? 300_000);
    while (counter.poll() < o.lines.length) {
      if (sendError) throw sendError;
      if (performance.now() > deadline) {
        throw new Error(`rsyslogd wrote ${counter.lines}/${o.lines.length} lines before the timeout\n${rs.diagnostics()}`);
      }
      await sleep(5);
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = procStats(rs.pid);
    await sent;
    await sleep(200);
    if (counter.poll() !== o.lines.length) {
      throw new Error(`rsyslogd wrote ${counter.lines} lines, expected ${o.lines.length}`);
    }
    return {
      messages: o.lines.length,
      seconds,
      msgPerSec: o.lines.length / seconds,
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
      peakRssBytes: after.peakRssBytes,
      sendSeconds,
    };
  } finally {
    counter.close();
    await rs.stop();
  }
}
