// `npm run bench`: Countersign's figures next to rsyslog's, measured in the same run on this machine.
// (a) envelope parsing in-process; (b) TCP → committed rows, versus rsyslog TCP → file, as a ratio.
// Loopback only, bounded in count; no figure here is asserted anywhere, they are for reading.
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseEnvelope } from '../src/parsers/envelope/index.js';
import { benchCountersignTcp } from './countersign-peer.js';
import { benchDeriveSteady } from './derive-steady.js';
import { makeLines } from './messages.js';
import { benchRsyslogTcp } from './rsyslog-peer.js';
import { benchSessions } from './sessions.js';
import { benchTlog } from './tlog.js';

// --messages N (default 1 000 000: a 500 000-message rsyslog run lasts half a second, too short to
// measure steadily on a shared VM, and Countersign's start-up JIT warm-up would weigh a tenth of its run); --connections N (default: runs 1 and 4); --runs N (default 3, median kept);
// --only parse|sessions|tlog|derive|e2e (default: all); --derive-rate N msg/s (default 20 000)
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

const N = arg('messages', 1_000_000);
const CONN_COUNTS = (process.argv.includes('--connections') ? [arg('connections', 1)] : [1, 4]).filter((n) => n >= 1);
const RUNS = arg('runs', 3);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const part = (name: 'parse' | 'sessions' | 'tlog' | 'derive' | 'e2e'): boolean => ONLY === undefined || ONLY === name;
if (ONLY !== undefined && !['parse', 'sessions', 'tlog', 'derive', 'e2e'].includes(ONLY)) throw new Error(`--only takes parse, sessions, tlog, derive or e2e, not ${ONLY}`);
/** Writes back what earlier runs left dirty in the page cache, so no run pays for another's disk writes. */
const settle = (): void => {
  execFileSync('sync');
};
const median = <T extends { msgPerSec: number }>(runs: T[]): T => [...runs].sort((a, b) => a.msgPerSec - b.msgPerSec)[Math.floor(runs.length / 2)]!;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (b: number): string => `${fmt(b / 1048576, 0)} MiB`;

const parseBench = (lines: string[]): { perSec: number; usPer: number } => {
  const frames = lines.map((l) => Buffer.from(l));
  const ctx = { receivedAt: Date.UTC(2024, 2, 1), timezone: 'UTC' };
  for (let i = 0; i < Math.min(frames.length, 50_000); i++) parseEnvelope(frames[i]!, ctx);
  const t0 = performance.now();
  let ok = 0;
  for (const f of frames) if (parseEnvelope(f, ctx).ok) ok++;
  const ms = performance.now() - t0;
  if (ok !== frames.length) throw new Error(`bench lines did not all parse (${ok}/${frames.length})`);
  return { perSec: (frames.length / ms) * 1000, usPer: (ms * 1000) / frames.length };
};

const main = async (): Promise<void> => {
  let rsVersion = 'rsyslogd (version unknown)';
  try {
    rsVersion = execFileSync('rsyslogd', ['-v'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    throw new Error('rsyslogd not found: the bench compares against rsyslog (apt-get install rsyslog)');
  }
  const lines = makeLines(N, { format: 'mixed', seed: 7 });
  const avg = lines.reduce((n, l) => n + Buffer.byteLength(l), 0) / lines.length;
  console.log(`countersign bench — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${rsVersion}`);
  console.log(`${fmt(N)} messages, mixed RFC 3164 / RFC 5424 (sshd, sudo, su, snoopy, Cisco IOS, JunOS), ${fmt(avg, 0)} bytes average, loopback\n`);

  if (part('parse')) {
    const p3164 = parseBench(makeLines(200_000, { format: 'rfc3164', seed: 3 }));
    const p5424 = parseBench(makeLines(200_000, { format: 'rfc5424', seed: 5 }));
    console.log('(a) envelope parsing, in-process, one core');
    console.log(`    RFC 3164: ${fmt(p3164.perSec)} msg/s (${fmt(p3164.usPer, 2)} µs/msg)`);
    console.log(`    RFC 5424: ${fmt(p5424.perSec)} msg/s (${fmt(p5424.usPer, 2)} µs/msg)\n`);
  }
  if (part('sessions')) await benchSessions(arg('session-lines', 200_000));
  if (part('tlog')) await benchTlog(arg('tlog-entries', 1_000_000));
  if (!part('derive') && !part('e2e')) return;

  const work = mkdtempSync(join(tmpdir(), 'cs-bench-'));
  try {
    if (part('derive')) {
      settle();
      await benchDeriveSteady({ workDir: work, rate: arg('derive-rate', 20_000), seconds: 20 });
    }
    if (!part('e2e')) return;
    console.log('(b) end to end: TCP → stored, first byte sent until the last message is written');
    console.log('    rsyslog: imptcp → file (no fsync). countersign: parse + SHA-256 per record + SQLite commit (WAL, synchronous=FULL)');
    const row = (name: string, r: { msgPerSec: number; cpuSeconds: number; peakRssBytes: number; seconds: number }): string =>
      `    ${name.padEnd(12)} ${fmt(r.msgPerSec).padStart(10)} msg/s  ${fmt(r.seconds, 2).padStart(6)} s  ${fmt((r.cpuSeconds * 1e6) / N, 2).padStart(6)} CPU-s per 1M  peak RSS ${mb(r.peakRssBytes)}`;
    for (const conns of CONN_COUNTS) {
      // Alternate the two, RUNS times each, and keep each one's median run: a single sub-second
      // rsyslog run on a shared VM varies by ±40%.
      const rsRuns = [];
      const csRuns = [];
      for (let i = 0; i < RUNS; i++) {
        settle();
        rsRuns.push(await benchRsyslogTcp({ lines, workDir: join(work, `rsyslog-${conns}-${i}`), connections: conns }));
        rmSync(join(work, `rsyslog-${conns}-${i}`), { recursive: true, force: true });
        settle();
        csRuns.push(await benchCountersignTcp({ lines, workDir: join(work, `countersign-${conns}-${i}`), connections: conns }));
        rmSync(join(work, `countersign-${conns}-${i}`), { recursive: true, force: true });
      }
      const rs = median(rsRuns);
      const cs = median(csRuns);
      console.log(`  ${conns} sending connection(s), median of ${RUNS} runs (rsyslog ${rsRuns.map((r) => fmt(r.msgPerSec / 1000)).join('/')} k msg/s, countersign ${csRuns.map((r) => fmt(r.msgPerSec / 1000)).join('/')} k msg/s):`);
      console.log(row('rsyslog', rs));
      console.log(row('countersign', cs));
      console.log(`    ratio countersign / rsyslog: ${(cs.msgPerSec / rs.msgPerSec).toFixed(2)}× throughput, ${(cs.cpuSeconds / rs.cpuSeconds).toFixed(2)}× CPU per message`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

main().catch((e: unknown) => {
  console.error(`bench failed: ${(e as Error)?.stack ?? String(e)}`);
  process.exitCode = 1;
});
