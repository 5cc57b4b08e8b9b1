// (f) Does the derive stage keep up under steady traffic? Sends the lines of the real sshd/sudo/su/
// snoopy/tlog capture (each made unique) to the built server over TCP at a steady rate for a while,
// reads the derive lag (records stored but not yet turned into events and sessions) every 500 ms, and
// reports its largest value and how long the deriver needs to catch up after the traffic stops.
// Loopback only, bounded in time; always stops the server it started.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchServer } from './countersign-peer.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/real/linux-sessions/debian12-ssh-sudo-su-snoopy-tlog.rfc3164.log', import.meta.url));

const lagOf = async (webPort: number): Promise<{ lag: number; lastSeq: number }> => {
  const text = await (await fetch(`http://127.0.0.1:${webPort}/metrics`)).text();
  const lag = /^countersign_derive\{what="lag_records"\} (\S+)$/m.exec(text);
  const seq = /^countersign_ingest\{what="last_seq"\} (\S+)$/m.exec(text);
  if (lag === null || seq === null) throw new Error('the server reports no derive lag or last seq');
  return { lag: Number(lag[1]), lastSeq: Number(seq[1]) };
};

export const benchDeriveSteady = async (o: { workDir: string; rate: number; seconds: number }): Promise<void> => {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.includes(']: '));
  const server = await startBenchServer(join(o.workDir, 'derive-steady'));
  try {
    const sock = connect({ host: '127.0.0.1', port: server.ports['syslog-tcp']! });
    await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
    let sent = 0;
    let maxLag = 0;
    let nextLook = 500;
    const t0 = performance.now();
    for (let now = 0; now < o.seconds * 1000; now = performance.now() - t0) {
      const due = Math.floor((now / 1000) * o.rate);
      const chunk: string[] = [];
      for (; sent < due; sent++) chunk.push(`${lines[sent % lines.length]!.replace(']: ', `]: n${sent} `)}\n`);
      if (chunk.length > 0) sock.write(chunk.join(''));
      if (now >= nextLook) {
        nextLook += 500;
        maxLag = Math.max(maxLag, (await lagOf(server.ports.web!)).lag);
      }
      await sleep(5);
    }
    sock.end();
    const stopped = performance.now();
    let last = await lagOf(server.ports.web!);
    while ((last.lag > 0 || last.lastSeq < sent) && performance.now() - stopped < 120_000) {
      await sleep(100);
      last = await lagOf(server.ports.web!);
    }
    const caughtUp = (performance.now() - stopped) / 1000;
    console.log(`(f) derive under steady traffic: ${o.rate.toLocaleString('en-US')} msg/s of real sshd/sudo/su/snoopy/tlog lines for ${o.seconds} s over TCP`);
    console.log(`    largest derive lag ${maxLag.toLocaleString('en-US')} records (${(maxLag / o.rate).toFixed(2)} s of traffic); caught up ${caughtUp.toFixed(1)} s after the traffic stopped${last.lag > 0 ? ` (NOT caught up: ${last.lag} behind)` : ''}\n`);
  } finally {
    await server.stop();
  }
};
