import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCryptoSha256Batch, sha256Batch } from './sha256-batch.js';

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
