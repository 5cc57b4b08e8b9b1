// Bench of the tamper-evident log: (e) entries appended per second through the record writer (leaf
// hashing, frontier, tiles, in the records' transaction), `verify` over 1 000 000 entries, and the
// latency of an inclusion proof served from the tiles at that size. Printed, never asserted.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyStore } from '../src/pipeline/verify.js';
import { openTlogStore, openWriter, prepareStore } from '../src/store/index.js';
import type { NewRecord } from '../src/store/types.js';

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const benchTlog = async (n: number): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-tlog-'));
  try {
    await prepareStore(dir);
    const w = openWriter(dir);
    const conn = { key: 1, transport: 'tcp' as const, peer: '10.0.0.1:51514', peerIdentity: null };
    const batch = 4096;
    let ms = 0;
    for (let i = 0; i < n; i += batch) {
      const recs: NewRecord[] = [];
      for (let j = i; j < Math.min(n, i + batch); j++) {
        const raw = Buffer.from(`<38>Jun  1 08:00:00 web1 sshd[${j}]: Accepted publickey for alice from 10.0.0.5 port ${j % 60000} ssh2`);
        recs.push({ receivedAt: 1_780_000_000_000 + j, conn, raw, rawSha256: createHash('sha256').update(raw).digest(), envelope: null, unparsedReason: 'no-envelope' });
      }
      const t0 = performance.now();
      w.appendSync(recs); // leaves computed by the writer here (in serve they come hashed from the reading thread)
      ms += performance.now() - t0;
    }
    w.close();
    console.log(`(e) tlog: ${fmt(n)} records appended with their leaves (entry + SHA-256 leaf + frontier + tiles, same transaction): ${fmt((n / ms) * 1000)} entries/s`);
    const t1 = performance.now();
    const r = verifyStore(dir);
    const vs = (performance.now() - t1) / 1000;
    console.log(`    countersign verify of ${fmt(r.entries)} entries: ${fmt(vs, 1)} s (${fmt(r.entries / vs)} entries/s), ${r.problems.length} problems`);
    const t = openTlogStore(dir, { readonly: true });
    const size = t.tree().size;
    const samples: number[] = [];
    for (let k = 0; k < 1000; k++) {
      const index = Math.floor(((k * 7919) % 1000) * (size / 1000));
      const t0 = performance.now();
      const p = t.inclusion(index, size);
      samples.push(performance.now() - t0);
      if (!p.ok) throw new Error(p.error.message);
    }
    t.close();
    samples.sort((a, b) => a - b);
    console.log(`    inclusion proof at ${fmt(size)} entries, from the stored tiles: median ${fmt(samples[500]! * 1000)} µs, p99 ${fmt(samples[990]! * 1000)} µs\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
