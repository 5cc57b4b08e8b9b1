// A slow store under senders that push as fast as they can (issue 8): another process keeps taking the
// SQLite write lock (BEGIN IMMEDIATE held for 1.5 s, released for 50 ms — what a backup, a long import
// or a slow disk does to the writer), so commits crawl. A TCP sender and a UDP sender run together.
// The server's RSS, sampled from /proc every 200 ms, must stay under the bound docs/reliability.md
// states (512 MiB with the default 64 MiB ingest queue). TCP must be held back (streams_held) and lose
// nothing; UDP, which cannot be held, fills the queue to overload, and every datagram sent must be
// stored or counted: dropped at the full queue (queue-full) or by the kernel (udp_kernel_drops).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blast } from './helpers/blast.js';
import { fetchMetrics, metric, REPO, startServer, testConfig, waitForStored, type RunningServer } from './helpers/countersign.js';

/** The bound docs/reliability.md states for the default configuration. */
const RSS_BOUND_MIB = 512;
const SEND_MS = 8_000;

const rssMiB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

/** Another writer that hogs the store's write lock until killed. */
const LOCK_HOG = `
const Database = require(${JSON.stringify(join(REPO, 'node_modules/better-sqlite3'))});
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 60000');
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (;;) { db.exec('BEGIN IMMEDIATE'); pause(1500); db.exec('COMMIT'); pause(50); }
`;

/**
 * Sends numbered datagrams of ~1 KB as fast as the socket takes them for `ms`, and on (20 s at most)
 * until `enough()` says so; resolves with how many were sent.
 */
const udpFlood = async (port: number, ms: number, enough: () => boolean): Promise<number> => {
  const sock = createSocket('udp4');
  const end = performance.now() + ms;
  let sent = 0;
  let failed = 0;
  while (performance.now() < end || (!enough() && performance.now() < end + 20_000)) {
    await Promise.all(
      Array.from(
        { length: 100 },
        (_, k) =>
          new Promise<void>((r) =>
            sock.send(`<134>Nov 29 12:00:00 udp-host app[2]: datagram ${sent + k} ${'z'.repeat(900)}`, port, '127.0.0.1', (e) => {
              if (e) failed++;
              r();
            }),
          ),
      ),
    );
    sent += 100;
    // Let the test's timers (the RSS sampler) run between rounds.
    await new Promise((r) => setImmediate(r));
  }
  sock.close();
  return sent - failed;
};

describe('a slow store under a sender as fast as it can be', () => {
  let server: RunningServer | undefined;
  let hog: ChildProcess | undefined;

  beforeAll(async () => {
    server = await startServer({ config: testConfig() });
  }, 60_000);
  afterAll(async () => {
    hog?.kill('SIGKILL');
    await server?.stop('SIGKILL');
  });

  it(`keeps RSS under ${RSS_BOUND_MIB} MiB, holds TCP and loses none of it, and accounts for every datagram`, async () => {
    const s = server!;
    hog = spawn(process.execPath, ['-e', LOCK_HOG, join(s.dataDir, 'countersign.db')], { stdio: 'ignore' });
    const samples: number[] = [];
    let overloadedSeen = false;
    let heldSeen = false;
    const sampler = setInterval(() => {
      samples.push(rssMiB(s.proc.pid!));
    }, 200);
    const watch = setInterval(() => {
      void fetchMetrics(s).then((t) => {
        if (metric(t, 'countersign_ingest', { what: 'overloaded' }) === 1) overloadedSeen = true;
        if (metric(t, 'countersign_ingest', { what: 'streams_held' }) === 1) heldSeen = true;
      });
    }, 250);

    const sock = connect({ host: '127.0.0.1', port: s.ports.tcp! });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const sending = blast(sock, (i) => `<134>Nov 29 12:00:00 load-host app[1]: slow-store message ${i} ${'y'.repeat(100)}\n`);
    // UDP cannot be held back: it goes on until the queue is full (the default 64 MiB) and datagrams are refused.
    const datagrams = udpFlood(s.ports.udp!, SEND_MS, () => overloadedSeen);
    await sleep(SEND_MS);
    sock.end();
    const sentUdp = await datagrams;
    // The store recovers; TCP held back meanwhile (the sender still has bytes in its socket) now drains.
    hog.kill('SIGKILL');
    const sent = await sending;
    await waitForStored(s, sent, 180_000, { transport: 'tcp' });
    clearInterval(sampler);
    clearInterval(watch);
    // Datagrams still in the queue when the TCP lines are in: let them commit too.
    let t = await fetchMetrics(s);
    for (let i = 0; i < 100 && metric(t, 'countersign_ingest', { what: 'queue_records' }) > 0; i++) {
      await sleep(100);
      t = await fetchMetrics(s);
    }
    const stored = metric(t, 'countersign_records_stored_total', { transport: 'tcp' });
    const storedUdp = metric(t, 'countersign_records_stored_total', { transport: 'udp' });
    const queueFull = metric(t, 'countersign_records_rejected_total', { transport: 'udp', reason: 'queue-full' });
    const kernel = metric(t, 'countersign_ingest', { what: 'udp_kernel_drops' });
    const peak = Math.max(...samples);
    console.log(
      `slow store: ${sent} TCP lines sent in ${SEND_MS / 1000} s, ${stored} stored; ${sentUdp} datagrams sent: ${storedUdp} stored, ${queueFull} refused at the full queue, ${kernel} dropped by the kernel; RSS peak ${peak.toFixed(0)} MiB over ${samples.length} samples (bound ${RSS_BOUND_MIB} MiB)`,
    );
    expect(heldSeen, 'the ingest metric reported stream sources held').toBe(true);
    expect(overloadedSeen, 'the ingest metric reported overload').toBe(true);
    expect(peak).toBeLessThan(RSS_BOUND_MIB);
    expect(stored).toBe(sent);
    expect(queueFull).toBeGreaterThan(0);
    expect(storedUdp + queueFull + kernel).toBe(sentUdp);
  }, 300_000);
});
