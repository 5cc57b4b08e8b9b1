import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordEntryParts, recordLeafHash } from '../tlog/record-entry.js';
import { nodeCryptoSha256Batch, sha256Batch, type RecordLeafParts } from './sha256-batch.js';

const reference = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
const fallback = nodeCryptoSha256Batch();

/** Packs messages into one buffer with a gap before each, the way a sealed batch holds frames. */
const pack = (msgs: readonly Uint8Array[], gap: number) => {
  const offsets = new Uint32Array(msgs.length);
  const lengths = new Uint32Array(msgs.length);
  const src = new Uint8Array(msgs.reduce((n, m) => n + m.length + gap, 0));
  let at = 0;
  msgs.forEach((m, i) => {
    at += gap;
    src.set(m, at);
    offsets[i] = at;
    lengths[i] = m.length;
    at += m.length;
  });
  return { src, offsets, lengths };
};

describe('batch SHA-256', () => {
  it('runs the native helper in CI (npm run build built it)', () => {
    if (process.env.CI === 'true') expect({ backend: sha256Batch.backend, reason: sha256Batch.reason }).toEqual({ backend: 'native' });
    else expect(['native', 'node:crypto']).toContain(sha256Batch.backend);
  });

  for (const h of [sha256Batch, fallback]) {
    it(`${h.backend}: each() equals SHA-256 of every message, for any lengths (0 to 300 bytes, across block edges)`, () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { maxLength: 40 }), fc.nat(7), (msgs, gap) => {
          const { src, offsets, lengths } = pack(msgs, gap);
          const out = new Uint8Array(msgs.length * 32);
          h.each(src, offsets, lengths, msgs.length, out);
          msgs.forEach((m, i) => expect(Buffer.from(out.subarray(i * 32, i * 32 + 32))).toEqual(reference(m)));
        }),
      );
    });

    it(`${h.backend}: nodes() is SHA-256(0x01 ‖ left ‖ right) for every pair`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 * 20 }), (raw) => {
          const count = Math.floor(raw.length / 64);
          const out = new Uint8Array(count * 32);
          h.nodes(raw, count, out);
          for (let i = 0; i < count; i++) {
            const want = reference(Buffer.concat([Buffer.from([1]), raw.subarray(i * 64, i * 64 + 64)]));
            expect(Buffer.from(out.subarray(i * 32, i * 32 + 32))).toEqual(want);
          }
        }),
      );
    });

    it(`${h.backend}: refuses a message outside src, a count beyond its arrays, and an out too small`, () => {
      const src = new Uint8Array(10);
      const out = new Uint8Array(64);
      expect(() => h.each(src, Uint32Array.of(5), Uint32Array.of(6), 1, out)).toThrow(RangeError);
      expect(() => h.each(src, Uint32Array.of(0xffffffff), Uint32Array.of(2), 1, out)).toThrow(RangeError);
      expect(() => h.each(src, Uint32Array.of(0), Uint32Array.of(1), 2, out)).toThrow(RangeError);
      expect(() => h.each(src, Uint32Array.of(0, 0, 0), Uint32Array.of(1, 1, 1), 3, out)).toThrow(RangeError);
      expect(() => h.nodes(new Uint8Array(127), 2, out)).toThrow(RangeError);
      expect(() => h.nodes(new Uint8Array(192), 3, out)).toThrow(RangeError);
      // Nothing was written by a refused call.
      expect(out.every((b) => b === 0)).toBe(true);
    });
  }

  for (const h of [sha256Batch, fallback]) {
    it(`${h.backend}: recordLeaves() gives each record's tlog leaf (record-entry.ts), for any senders and times`, () => {
      const sender = fc.record({
        transport: fc.constantFrom('udp', 'tcp', 'tls', 'relp', 'file'),
        peer: fc.string({ unit: 'binary', maxLength: 40 }),
        peerIdentity: fc.option(fc.string({ unit: 'binary', maxLength: 60 })),
      });
      const time = fc.oneof(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.double({ min: 0, max: 4e12, noNaN: true }));
      fc.assert(
        fc.property(fc.array(sender, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), time), { maxLength: 20 }), (senders, rows) => {
          const heads = senders.map((c) => recordEntryParts(c));
          const parts = Buffer.concat(heads.flatMap((p) => [Buffer.from(p.head), Buffer.from(p.tail)]));
          const partOffsets = new Uint32Array(4 * senders.length);
          let at = 0;
          heads.forEach((p, k) => {
            const hl = Buffer.byteLength(p.head);
            const tl = Buffer.byteLength(p.tail);
            partOffsets.set([at, hl, at + hl, tl], 4 * k);
            at += hl + tl;
          });
          const texts = rows.map(([, , t]) => Buffer.from(JSON.stringify(t)));
          const input: RecordLeafParts = {
            count: rows.length,
            sha256: new Uint8Array(Buffer.concat(rows.map(([, d]) => Buffer.from(d)))),
            conn: Uint32Array.from(rows, ([c]) => c % senders.length),
            parts: new Uint8Array(parts),
            partOffsets,
            times: new Uint8Array(Buffer.concat(texts)),
            timeOffsets: Uint32Array.from(texts, (_, i) => texts.slice(0, i).reduce((n, b) => n + b.length, 0)),
            timeLengths: Uint32Array.from(texts, (b) => b.length),
          };
          const out = new Uint8Array(rows.length * 32);
          h.recordLeaves(input, out);
          rows.forEach(([c, d, t], i) => {
            const s = senders[c % senders.length]!;
            const want = recordLeafHash({ ...s, rawSha256: Buffer.from(d).toString('hex'), receivedAt: t });
            expect(Buffer.from(out.subarray(i * 32, i * 32 + 32))).toEqual(Buffer.from(want));
          });
        }),
        { numRuns: 200 },
      );
    });

    it(`${h.backend}: recordLeaves() refuses a sender, time or count outside its arrays`, () => {
      const base: RecordLeafParts = {
        count: 1,
        sha256: new Uint8Array(32),
        conn: Uint32Array.of(0),
        parts: new Uint8Array(10),
        partOffsets: Uint32Array.of(0, 5, 5, 5),
        times: new Uint8Array(4),
        timeOffsets: Uint32Array.of(0),
        timeLengths: Uint32Array.of(4),
      };
      const out = new Uint8Array(32);
      expect(() => h.recordLeaves(base, out)).not.toThrow();
      expect(() => h.recordLeaves({ ...base, conn: Uint32Array.of(1) }, out)).toThrow(RangeError);
      expect(() => h.recordLeaves({ ...base, partOffsets: Uint32Array.of(0, 5, 5, 6) }, out)).toThrow(RangeError);
      expect(() => h.recordLeaves({ ...base, timeLengths: Uint32Array.of(5) }, out)).toThrow(RangeError);
      expect(() => h.recordLeaves({ ...base, count: 2 }, out)).toThrow(RangeError);
      expect(() => h.recordLeaves(base, new Uint8Array(31))).toThrow(RangeError);
    });
  }

  it('native: refuses arguments of the wrong type rather than reading them as bytes', () => {
    if (sha256Batch.backend !== 'native') return;
    const out = new Uint8Array(32);
    const call = (...a: unknown[]) => (sha256Batch.each as (...x: unknown[]) => void)(...a);
    expect(() => call(new Uint16Array(4), Uint32Array.of(0), Uint32Array.of(1), 1, out)).toThrow(TypeError);
    expect(() => call(new Uint8Array(4), new Uint8Array(4), Uint32Array.of(1), 1, out)).toThrow(TypeError);
    expect(() => call(new Uint8Array(4), Uint32Array.of(0), Uint32Array.of(1), -1, out)).toThrow();
    expect(() => call(new Uint8Array(4), Uint32Array.of(0), Uint32Array.of(1), 1)).toThrow(TypeError);
  });
});
