// Runs the built `countersign` (dist/, as `npm start` does) as a real child process for e2e tests:
// a private data directory and config on free ports, the bound ports read from its own log lines,
// and a stop by SIGTERM that waits for the exit. It must never reuse another test's data directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(REPO, 'dist/src/cli/main.js');

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [k: string]: unknown;
}

export interface RunningServer {
  readonly proc: ChildProcess;
  readonly dataDir: string;
  readonly ports: { udp?: number; tcp?: number; tls?: number; relp?: number; web: number };
  readonly logs: LogLine[];
  readonly stderr: () => string;
  url(path: string): string;
  /** Resolves when a log line matching pred appears (or already has). */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then waits for exit; returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `cs-${prefix}-`));

/** A config on 127.0.0.1 with every port free (0); `extra` is merged per section. */
export const testConfig = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
  const base: Record<string, Record<string, unknown>> = {
    sources: {
      udp: { host: '127.0.0.1', port: 0 },
      tcp: { host: '127.0.0.1', port: 0 },
      tls: { host: '127.0.0.1', port: 0 },
      relp: { host: '127.0.0.1', port: 0 },
    },
    web: { host: '127.0.0.1', port: 0 },
  };
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    if (k === 'sources' && typeof v === 'object' && v !== null) {
      const s: Record<string, unknown> = { ...base.sources };
      for (const [sk, sv] of Object.entries(v)) s[sk] = { ...(s[sk] as object), ...(sv as object) };
      out.sources = s;
    } else out[k] = v;
  }
  return out;
};

export const startServer = async (opts: { config?: Record<string, unknown>; dataDir?: string; timeoutMs?: number } = {}): Promise<RunningServer> => {
  const dataDir = opts.dataDir ?? tempDir('data');
  const cfgFile = join(dataDir, '..', `${dataDir.split('/').pop()}.yaml`);
  writeFileSync(cfgFile, stringify(opts.config ?? testConfig()));
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', cfgFile, '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let err = '';
  let buf = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const l = JSON.parse(line) as LogLine;
        logs.push(l);
        for (const w of [...waiters]) if (w.pred(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      } catch {
        err += `stdout (not JSON): ${line}\n`;
      }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

  const waitForLog = (pred: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> => {
    const found = logs.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for a log line; stderr:\n${err}\nlogs:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`)), timeoutMs);
      waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
      void exited.then((code) => {
        clearTimeout(t);
        reject(new Error(`countersign exited (${code}) before it was ready; stderr:\n${err}\nlogs:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`));
      });
    });
  };

  const web = await waitForLog((l) => l.msg === 'listening' && l.source === 'web', opts.timeoutMs ?? 30_000);
  const portOf = (id: string): number | undefined => logs.find((l) => l.msg === 'listening' && l.source === id)?.port as number | undefined;
  const ports = { udp: portOf('syslog-udp'), tcp: portOf('syslog-tcp'), tls: portOf('syslog-tls'), relp: portOf('relp'), web: web.port as number };
  return {
    proc,
    dataDir,
    ports: Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined)) as RunningServer['ports'],
    logs,
    stderr: () => err,
    url: (p) => `http://127.0.0.1:${ports.web}${p}`,
    waitForLog,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
};

/** Runs the CLI to completion (import, records …). */
export const runCli = (args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** Reads a metric's value from Prometheus text (sum over series that carry all given labels). */
export const metric = (text: string, name: string, labels: Record<string, string> = {}): number => {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => ls.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
};

export const fetchMetrics = async (s: RunningServer): Promise<string> => (await fetch(s.url('/metrics'))).text();

/** Polls until the number of stored records reaches n (via /metrics) or the timeout passes. */
/** Waits until at least n records are stored (of the given labels, e.g. { transport: 'tcp' }); returns the count. */
export const waitForStored = async (s: RunningServer, n: number, timeoutMs = 60_000, labels: Record<string, string> = {}): Promise<number> => {
  const until = Date.now() + timeoutMs;
  let got = 0;
  while (Date.now() < until) {
    got = metric(await fetchMetrics(s), 'countersign_records_stored_total', labels);
    if (got >= n) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  return got;
};
