// A slow store under a sender that pushes as fast as it can (issue 8): another process keeps taking the
// SQLite write lock (BEGIN IMMEDIATE held for 1.5 s, released for 50 ms — what a backup, a long import
// or a slow disk does to the writer), so commits crawl. The server's RSS, sampled from /proc every
// 200 ms, must stay under the bound docs/reliability.md states (512 MiB with the default 64 MiB ingest
// queue), the ingest metrics must say it is overloaded, and everything sent must be stored in the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it(`keeps RSS under ${RSS_BOUND_MIB} MiB, says it is overloaded, and stores everything sent`, async () => {
    const s = server!;
    hog = spawn(process.execPath, ['-e', LOCK_HOG, join(s.dataDir, 'countersign.db')], { stdio: 'ignore' });
    const samples: number[] = [];
    let overloadedSeen = false;
    const sampler = setInterval(() => {
      samples.push(rssMiB(s.proc.pid!));
    }, 200);
    const watch = setInterval(() => {
      void fetchMetrics(s).then((t) => {
        if (metric(t, 'countersign_ingest', { what: 'overloaded' }) === 1) overloadedSeen = true;
      });
    }, 250);

    const sock = connect({ host: '127.0.0.1', port: s.ports.tcp! });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const sending = blast(sock, (i) => `<134>Nov 29 12:00:00 load-host app[1]: slow-store message ${i} ${'y'.repeat(100)}\n`);
    await sleep(SEND_MS);
    sock.end();
    const sent = await sending;
    hog.kill('SIGKILL');
    await waitForStored(s, sent, 180_000);
    clearInterval(sampler);
    clearInterval(watch);
    const stored = metric(await fetchMetrics(s), 'countersign_records_stored_total');
    const peak = Math.max(...samples);
    console.log(`slow store: ${sent} lines sent in ${SEND_MS / 1000} s, ${stored} stored; RSS peak ${peak.toFixed(0)} MiB over ${samples.length} samples (bound ${RSS_BOUND_MIB} MiB)`);
    expect(overloadedSeen, 'the ingest metric reported overload').toBe(true);
    expect(peak).toBeLessThan(RSS_BOUND_MIB);
    expect(stored).toBe(sent);
  }, 300_000);
});
