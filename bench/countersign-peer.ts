// Benchmarks the built Countersign as a TCP receiver on loopback: the same payload rsyslog gets,
// timed from the first byte sent until every record is committed, with the server's CPU-seconds and
// peak RSS read from /proc. Always stops the server it started. /metrics is polled every 50 ms (each
// scrape costs the server ~0.7 ms of CPU, which a 10 ms poll would add to the figures), and the end
// is the server's own time of its last commit (last_commit_unix_seconds), not the poll that saw it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendTcp } from './load-tcp.js';
import { buildPayload } from './messages.js';
import { procStats } from './rsyslog-peer.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export interface CountersignBenchResult {
  readonly messages: number;
  readonly seconds: number;
  readonly msgPerSec: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

const POLL_MS = 50;

/** Records stored over TCP, and the server's time of its last commit (ms since the epoch). */
const storedTcp = async (port: number): Promise<{ stored: number; lastCommitMs: number }> => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^countersign_records_stored_total\{([^}]*)\} (\d+)$/gm)) if (m[1]!.includes('transport="tcp"')) n += Number(m[2]);
  const at = /^countersign_ingest\{what="last_commit_unix_seconds"\} (\S+)$/m.exec(text);
  if (at === null) throw new Error('the server reports no last_commit_unix_seconds');
  return { stored: n, lastCommitMs: Number(at[1]) * 1000 };
};

/** A built Countersign serving TCP syslog and the web API on free loopback ports, in its own data directory. */
export interface BenchServer {
  readonly proc: ChildProcess;
  readonly ports: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

export const startBenchServer = async (workDir: string): Promise<BenchServer> => {
  mkdirSync(workDir, { recursive: true });
  const cfg = join(workDir, 'countersign.yaml');
  writeFileSync(
    cfg,
    [
      'sources:',
      '  udp: { enabled: false }',
      '  tls: { enabled: false }',
      '  relp: { enabled: false }',
      '  tcp: { host: 127.0.0.1, port: 0 }',
      'web: { host: 127.0.0.1, port: 0 }',
      'log: { level: info }',
    ].join('\n'),
  );
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', cfg, '--data', join(workDir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Its stderr holds only the first start's one-time admin password here: kept for an error report.
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const ports: Record<string, number> = {};
  let out = '';
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  };
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      for (const line of d.split('\n')) {
        if (!line.startsWith('{')) continue;
        const l = JSON.parse(line) as { msg: string; source?: string; port?: number };
        if (l.msg === 'listening' && l.source !== undefined && l.port !== undefined) ports[l.source] = l.port;
        if (l.msg === 'listening' && l.source === 'web') resolve();
      }
    });
    proc.once('exit', (c) => reject(new Error(`countersign exited (${c}) before listening:\n${out}\n${err}`)));
  });
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return { proc, ports, stop };
};

export const benchCountersignTcp = async (o: {
  lines: readonly string[];
  workDir: string;
  connections?: number;
  framing?: 'lf' | 'octet';
  timeoutMs?: number;
}): Promise<CountersignBenchResult> => {
  const server = await startBenchServer(o.workDir);
  const { proc, ports } = server;
  try {
    const payload = buildPayload(o.lines, o.framing ?? 'lf');
    const before = procStats(proc.pid!);
    const t0 = performance.now();
    const t0Wall = Date.now();
    const sent = sendTcp({ host: '127.0.0.1', port: ports['syslog-tcp']!, payload, connections: o.connections ?? 1 });
    let sendError: unknown = null;
    sent.catch((e: unknown) => (sendError = e));
    const deadline = t0 + (o.timeoutMs ?? 300_000);
    // Records stored over TCP (the store also holds Countersign's own entries, such as the first admin's).
    let seen = await storedTcp(ports.web!);
    while (seen.stored < o.lines.length) {
      if (sendError) throw sendError;
      if (performance.now() > deadline) throw new Error(`countersign stored ${seen.stored}/${o.lines.length} before the timeout`);
      await sleep(POLL_MS);
      seen = await storedTcp(ports.web!);
    }
    const after = procStats(proc.pid!);
    const seconds = (seen.lastCommitMs - t0Wall) / 1000;
    await sent;
    return { messages: o.lines.length, seconds, msgPerSec: o.lines.length / seconds, cpuSeconds: after.cpuSeconds - before.cpuSeconds, peakRssBytes: after.peakRssBytes };
  } finally {
    await server.stop();
  }
};
