// Raw senders and store readers for the regression tests: bytes go out exactly as given (no framing
// added), and what the server stored is read back with `countersign records --json`, as an operator
// would. Loopback only; every socket is closed before a helper returns.
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { openReader } from '../../src/store/index.js';
import { fetchMetrics, metric, runCli, type RunningServer } from '../e2e/helpers/countersign.js';

export interface StoredJson {
  readonly seq: number;
  readonly transport: string;
  readonly peerIdentity: string | null;
  readonly kind: 'parsed' | 'unparsed';
  readonly unparsedReason: string | null;
  readonly rawSha256: string;
  readonly raw: string;
  readonly rawBase64: string;
  readonly envelope: { readonly app?: string; readonly msg: string; readonly format: string } | null;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Writes `bytes` on a new TCP connection. `end`: half-close after writing and wait for the server to
 * close too; otherwise wait (up to `waitMs`) for the server to close it. Resolves whether the server
 * closed the connection on its own.
 */
export const tcpSend = (port: number, bytes: Buffer, o: { end?: boolean; waitMs?: number } = {}): Promise<{ closedByServer: boolean }> =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let endedByUs = false;
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ closedByServer: false });
    }, o.waitMs ?? 10_000);
    s.on('error', () => undefined);
    s.on('connect', () => {
      s.write(bytes);
      if (o.end !== false) {
        endedByUs = true;
        s.end();
      }
    });
    s.on('close', (hadError) => {
      clearTimeout(timer);
      resolve({ closedByServer: !endedByUs || hadError });
    });
    s.resume();
  });

export const udpSend = (port: number, bytes: Buffer): Promise<void> =>
  new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.send(bytes, port, '127.0.0.1', (e) => {
      s.close();
      if (e) reject(e);
      else resolve();
    });
  });

/** Where the store stands: its last seq, and how many records this server has stored from the network. */
export interface Mark {
  readonly seq: number;
  readonly stored: number;
}

export const mark = async (s: RunningServer): Promise<Mark> => {
  const stored = metric(await fetchMetrics(s), 'countersign_records_stored_total');
  const reader = openReader(s.dataDir, { readonly: true });
  try {
    return { seq: (await reader.stats()).lastSeq ?? -1, stored };
  } finally {
    await reader.close();
  }
};

/**
 * Waits until `n` more received records than at `m` are stored, then returns the received records
 * after `m` (Countersign's own `internal` records, e.g. an account change, are left out), oldest first.
 */
export const storedAfter = async (s: RunningServer, m: Mark, n: number, timeoutMs = 20_000): Promise<StoredJson[]> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const stored = metric(await fetchMetrics(s), 'countersign_records_stored_total');
    if (stored >= m.stored + n) break;
    if (Date.now() > until) throw new Error(`expected ${n} new record(s); ${stored - m.stored} stored`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const r = runCli(['records', '--json', '--data', s.dataDir, '--limit', String(n + 50)]);
  if (r.status !== 0) throw new Error(`records failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as StoredJson[]).filter((x) => x.seq > m.seq && x.transport !== 'internal');
};

export const rejected = async (s: RunningServer, transport: string, reason: string): Promise<number> =>
  metric(await fetchMetrics(s), 'countersign_records_rejected_total', { transport, reason });

/** The server still serves: /healthz is ok and a plain TCP line is stored. */
export const stillHealthy = async (s: RunningServer): Promise<boolean> => {
  const h = (await (await fetch(s.url('/healthz'))).json()) as { status: string };
  if (h.status !== 'ok') return false;
  const before = await mark(s);
  const canary = `<13>1 2026-11-29T10:00:00Z canary cs-regression - - - still here ${before}\n`;
  await tcpSend(s.ports.tcp!, Buffer.from(canary));
  const rows = await storedAfter(s, before, 1);
  return rows.some((r) => r.raw === canary.trimEnd());
};

/** The server's resident memory (kB), from /proc. */
export const rssKb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : -1;
};
