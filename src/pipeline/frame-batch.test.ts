import { createHash } from 'node:crypto';
import fc from 'fast-check';
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

  it('writes the same entry bytes as record-entry for any sender, frame and receive time (batches of any size)', () => {
    const meta = fc.record({
      key: fc.nat(),
      transport: fc.constantFrom('udp', 'tcp', 'tls', 'relp', 'file', 'internal'),
      peer: fc.string({ unit: 'binary', maxLength: 40 }),
      peerIdentity: fc.option(fc.string({ unit: 'binary', maxLength: 60 })),
    });
    const time = fc.oneof(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.double({ min: 0, max: 4e12, noNaN: true }), fc.constant(0));
    fc.assert(
      fc.property(fc.array(fc.tuple(meta, fc.uint8Array({ maxLength: 200 }), time), { minLength: 1, maxLength: 30 }), (rows) => {
        const b = new BatchBuilder(rows.length, 16);
        const metas = rows.map(([m]) => m as ConnMeta);
        rows.forEach(([, f, t], i) => b.add(metas[i]!, f, 0, t));
        const sealed = b.seal(1);
        rows.forEach(([, f, t], i) => {
          const sha = createHash('sha256').update(f).digest();
          expect(Buffer.from(sealed.sha256.subarray(i * 32, i * 32 + 32))).toEqual(sha);
          expect(Buffer.from(sealed.leaf.subarray(i * 32, i * 32 + 32))).toEqual(Buffer.from(leafOf(t, metas[i]!, sha)));
        });
      }),
      { numRuns: 300 },
    );
  });
});
