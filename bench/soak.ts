// `npm run soak -- --minutes N [--rate R]`: runs the built server on loopback and sends it a steady,
// realistic mix for N minutes — lines of the real sshd/sudo/su/snoopy/tlog capture, each made unique
// with a counter — over RELP, TCP and UDP at R messages per second in all (a third each). It reports
// throughput, RELP commit latency (send → acknowledgement, which the server gives only after the
// commit: p50/p99/max), the server's RSS sampled every 5 s, and counts sent vs stored per transport
// (UDP drops are counted by the server, never hidden). Loopback only; always stops what it started.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { encodeRelpFrame, RelpFramer } from '../src/sources/framing/relp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const FIXTURE = join(ROOT, 'test/fixtures/real/linux-sessions/debian12-ssh-sudo-su-snoopy-tlog.rfc3164.log');

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};

const minutes = arg('minutes', 1);
const rate = arg('rate', 3000);
const perTransport = rate / 3;

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const metric = (text: string, name: string, labels: Record<string, string>): number => {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
};
const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** The capture's lines (RFC 3164 with PRI), with a unique counter appended to each message. */
const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.startsWith('<'));
const message = (transport: string, i: number): string => `${lines[i % lines.length]} [soak ${transport} ${i}]`;

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-soak-'));
  const cfg = join(dir, 'soak.yaml');
  writeFileSync(
    cfg,
    ['sources:', '  udp: { host: 127.0.0.1, port: 0 }', '  tcp: { host: 127.0.0.1, port: 0 }', '  tls: { enabled: false }', '  relp: { host: 127.0.0.1, port: 0 }', 'web: { host: 127.0.0.1, port: 0 }', ''].join('\n'),
  );
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', cfg, '--data', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ports: Record<string, number> = {};
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const l of d.split('\n')) {
      try {
        const j = JSON.parse(l) as { msg?: string; source?: string; port?: number };
        if (j.msg === 'listening' && j.source !== undefined && j.port !== undefined) ports[j.source] = j.port;
      } catch {
        // a partial line; the next chunk completes it
      }
    }
  });
  proc.stderr!.resume();
  const until = Date.now() + 60_000;
  while (ports['web'] === undefined || ports['relp'] === undefined) {
    if (Date.now() > until || proc.exitCode !== null) throw new Error(`the server did not start:\n${out}`);
    await sleep(100);
  }
  const url = (p: string): string => `http://127.0.0.1:${ports['web']}${p}`;
  console.log(`soak: ${minutes} min at ${rate} msg/s (${perTransport.toFixed(0)}/s each over RELP, TCP, UDP); server pid ${proc.pid}, data ${dir}`);

  const sent = { relp: 0, tcp: 0, udp: 0 };
  const latencies: number[] = [];
  const rss: { t: number; mib: number }[] = [];
  let stop = false;

  // RELP: open, then one transaction per message; the ack time is the commit latency.
  const relpSock: Socket = connect({ host: '127.0.0.1', port: ports['relp']! });
  await new Promise<void>((r) => relpSock.once('connect', () => r()));
  const framer = new RelpFramer(1 << 20);
  const pending = new Map<number, number>();
  let acked = 0;
  relpSock.on('data', (c: Buffer) =>
    framer.push(c, (f) => {
      const t0 = pending.get(f.txnr);
      if (f.command === 'rsp' && t0 !== undefined) {
        pending.delete(f.txnr);
        if (f.txnr > 1) {
          acked++;
          latencies.push(performance.now() - t0);
        }
      }
    }),
  );
  let txnr = 1;
  pending.set(txnr, performance.now());
  relpSock.write(encodeRelpFrame(txnr++, 'open', 'relp_version=0\nrelp_software=cs-soak,1\ncommands=syslog'));
  const tcp: Socket = connect({ host: '127.0.0.1', port: ports['syslog-tcp']! });
  await new Promise<void>((r) => tcp.once('connect', () => r()));
  const udp = createSocket('udp4');

  // Paced in 100 ms ticks; RELP respects the server's window by not having more than 1000 unacknowledged.
  const started = Date.now();
  const end = started + minutes * 60_000;
  const sampler = setInterval(() => rss.push({ t: (Date.now() - started) / 1000, mib: rssMiB(proc.pid!) }), 5000);
  const report = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    console.log(`  ${s.toFixed(0)} s: sent relp ${sent.relp} tcp ${sent.tcp} udp ${sent.udp}; RELP p99 so far ${quantile(latencies, 0.99).toFixed(1)} ms; RSS ${rssMiB(proc.pid!).toFixed(0)} MiB`);
  }, 60_000);
  while (!stop && Date.now() < end) {
    const tickStart = Date.now();
    const target = Math.floor(((tickStart - started) / 1000) * perTransport);
    while (sent.tcp < target) tcp.write(`${message('tcp', sent.tcp++)}\n`);
    while (sent.udp < target) udp.send(message('udp', sent.udp++), ports['syslog-udp']!, '127.0.0.1');
    while (sent.relp < target && pending.size < 1000) {
      pending.set(txnr, performance.now());
      relpSock.write(encodeRelpFrame(txnr++, 'syslog', message('relp', sent.relp++)));
    }
    await sleep(Math.max(0, 100 - (Date.now() - tickStart)));
  }
  stop = true;
  clearInterval(report);
  const seconds = (Date.now() - started) / 1000;
  // Everything acknowledged or stored: wait for RELP acks and the stored counters.
  const drain = Date.now() + 120_000;
  while (pending.size > 0 && Date.now() < drain) await sleep(100);
  tcp.end();
  udp.close();
  let m = '';
  const total = sent.relp + sent.tcp + sent.udp;
  for (;;) {
    m = await (await fetch(url('/metrics'))).text();
    const stored = ['relp', 'tcp', 'udp'].reduce((n, t) => n + metric(m, 'countersign_records_stored_total', { transport: t }), 0);
    const dropped = metric(m, 'countersign_records_rejected_total', { transport: 'udp' });
    if (stored + dropped >= total || Date.now() > drain) break;
    await sleep(250);
  }
  clearInterval(sampler);
  rss.push({ t: seconds, mib: rssMiB(proc.pid!) });
  relpSock.end();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));

  const stored = (t: string): number => metric(m, 'countersign_records_stored_total', { transport: t });
  console.log(`\nsoak result (${new Date().toISOString()}, ${seconds.toFixed(0)} s):`);
  console.log(`  sent      relp ${sent.relp}  tcp ${sent.tcp}  udp ${sent.udp}  (${(total / seconds).toFixed(0)} msg/s)`);
  console.log(`  stored    relp ${stored('relp')}  tcp ${stored('tcp')}  udp ${stored('udp')}  (udp counted as dropped: ${metric(m, 'countersign_records_rejected_total', { transport: 'udp' })})`);
  console.log(`  RELP acknowledged ${acked} of ${sent.relp}; commit latency (send → ack) p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${latencies.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms`);
  console.log(`  RSS (MiB) every 5 s: first ${rss[0]?.mib.toFixed(0)}, after 2 min ${rss.find((x) => x.t >= 120)?.mib.toFixed(0) ?? '-'}, max ${rss.reduce((a, x) => Math.max(a, x.mib), 0).toFixed(0)}, last ${rss.at(-1)?.mib.toFixed(0)}`);
  console.log(`  RSS series: ${rss.filter((_, i) => i % 6 === 0).map((x) => `${x.t.toFixed(0)}s:${x.mib.toFixed(0)}`).join(' ')}`);
  rmSync(dir, { recursive: true, force: true });
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
