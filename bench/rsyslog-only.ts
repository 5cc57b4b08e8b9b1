// CLI: measures rsyslogd's loopback TCP receive rate (default 500 000 generated lines) and prints JSON.
// Usage: node dist/bench/rsyslog-only.js [lines] [imptcp|imtcp] [connections] [lf|octet]
// Writes only under a fresh temp directory, which it removes; never leaves rsyslogd running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLines } from './messages.js';
import { benchRsyslogTcp } from './rsyslog-peer.js';

const n = Number(process.argv[2] ?? 500_000);
const input = process.argv[3] === 'imtcp' ? 'imtcp' : 'imptcp';
const connections = Number(process.argv[4] ?? 1);
const framing = process.argv[5] === 'octet' ? 'octet' : 'lf';
const workDir = mkdtempSync(join(tmpdir(), 'cs-bench-rsyslog-'));
try {
  const lines = makeLines(n, { format: 'mixed', seed: 20240301 });
  const r = await benchRsyslogTcp({ lines, workDir, input, connections, framing });
  const avgBytes = lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0) / lines.length;
  console.log(
    JSON.stringify(
      {
        peer: `rsyslogd ${input}`,
        connections,
        framing,
        avgLineBytes: Math.round(avgBytes),
        ...r,
        msgPerSec: Math.round(r.msgPerSec),
        seconds: Number(r.seconds.toFixed(3)),
        sendSeconds: Number(r.sendSeconds.toFixed(3)),
        cpuSeconds: Number(r.cpuSeconds.toFixed(2)),
        peakRssMiB: Number((r.peakRssBytes / 1048576).toFixed(1)),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
