import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafOf } from '../store/sqlite/record-writer.js';
import { BatchBuilder, type ConnMeta } from './frame-batch.js';

describe('batch builder', () => {
  it("computes each record's SHA-256 and tlog leaf as the writer and verify do, for any sender text", () => {
    const metas: ConnMeta[] = [
      { key: 1, transport: 'tls', peer: '10.0.0.5:49152', peerIdentity: 'CN=Zürich router ✓,O="Ops, Inc."' },
      { key: 2, transport: 'file', peer: '/var/log/auth.log', peerIdentity: null },
    ];
    const b = new BatchBuilder(8);
    const frames = ['<13>hello', 'über\u202e', ''].map((s) => Buffer.from(s));
    frames.forEach((f, i) => b.add(metas[i % 2]!, f, 0, 1_795_000_000_000.5 + i));
    const sealed = b.seal(1);
    frames.forEach((f, i) => {
      const sha = createHash('sha256').update(f).digest();
      expect(Buffer.from(sealed.sha256.subarray(i * 32, i * 32 + 32))).toEqual(sha);
      expect(Buffer.from(sealed.leaf.subarray(i * 32, i * 32 + 32))).toEqual(Buffer.from(leafOf(1_795_000_000_000.5 + i, metas[i % 2]!, sha)));
    });
  });
});
