// The tree the record writer keeps, read back through the tlog store: the root is the RFC 6962 root of
// the records' leaves, proofs served from the stored tiles verify, and a second writer keeps it in step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTlogStore, openWriter, prepareStore } from '../index.js';
import type { NewRecord } from '../types.js';
import { rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../tlog/index.js';
import { leafOf } from './record-writer.js';
import { createHash } from 'node:crypto';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const records = (n: number, from: number, peer: string): NewRecord[] =>
  Array.from({ length: n }, (_, i) => {
    const raw = Buffer.from(`<13>Nov 29 20:00:00 h app: line ${from + i}`);
    return { receivedAt: 1_795_000_000_000 + from + i, conn: { key: from + i + 1, transport: 'tcp', peer, peerIdentity: null }, raw, rawSha256: createHash('sha256').update(raw).digest(), envelope: null, unparsedReason: 'no-envelope' };
  });

describe('tlog in the SQLite store', () => {
  it('keeps the RFC 6962 root of the records, with proofs that verify, across two writers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-tlog-'));
    dirs.push(dir);
    await prepareStore(dir);
    const a = openWriter(dir);
    const b = openWriter(dir); // an import beside the server
    const all: NewRecord[] = [];
    let n = 0;
    for (const [w, count] of [[a, 300], [b, 1], [a, 257], [b, 700], [a, 5]] as const) {
      const recs = records(count, n, w === a ? '10.0.0.1:514' : '/var/log/auth.log');
      w.appendSync(recs);
      all.push(...recs);
      n += count;
    }
    a.close();
    b.close();
    const leaves = all.map((r) => leafOf(r.receivedAt, r.conn, r.rawSha256));
    const t = openTlogStore(dir, { readonly: true });
    try {
      const tree = t.tree();
      expect(tree.size).toBe(n);
      expect(Buffer.from(tree.root)).toEqual(Buffer.from(rootFromLeafHashes(leaves)));
      for (const [index, size] of [[0, 1], [299, 300], [300, 301], [812, n], [n - 1, n], [5, 558]] as const) {
        const p = t.inclusion(index, size);
        expect(p.ok).toBe(true);
        if (p.ok) expect(verifyInclusion(leaves[index]!, index, size, p.value, rootFromLeafHashes(leaves.slice(0, size))).ok).toBe(true);
      }
      const c = t.consistency(301, n);
      expect(c.ok && verifyConsistency(301, n, c.value, rootFromLeafHashes(leaves.slice(0, 301)), tree.root).ok).toBe(true);
      expect(t.entries(0, 2).map((e) => e.index)).toEqual([0, 1]);
    } finally {
      t.close();
    }
  });
});
