import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_FORMATS, TIME_QUALITIES, UNPARSED_REASONS, type Envelope } from '../model/record.js';
import { BundleEncoder, decodeBundle, type BundleRecord } from './record-bundle.js';

const sha = (b: Uint8Array): Uint8Array => new Uint8Array(hash('sha256', b, 'buffer') as unknown as Buffer);
const strip = (r: BundleRecord) => ({ ...r, raw: Buffer.from(r.raw), rawSha256: Buffer.from(r.rawSha256) });

const envelope: fc.Arbitrary<Envelope> = fc.record(
  {
    format: fc.constantFrom(...ENVELOPE_FORMATS),
    facility: fc.integer({ min: 0, max: 23 }),
    severity: fc.integer({ min: 0, max: 7 }),
    time: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    timeQuality: fc.constantFrom(...TIME_QUALITIES),
    hostname: fc.string(),
    app: fc.string({ unit: 'grapheme' }),
    procid: fc.string(),
    msgid: fc.string(),
    structuredData: fc.array(fc.record({ id: fc.string(), params: fc.array(fc.tuple(fc.string(), fc.string())) }), { minLength: 1 }),
    deviceSeq: fc.nat(),
    msg: fc.string({ unit: 'grapheme' }),
    extra: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.string()),
  },
  { requiredKeys: ['format', 'msg'] },
);

const record: fc.Arbitrary<BundleRecord> = fc
  .record({
    receivedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    connId: fc.nat({ max: 0xfffffffe }),
    raw: fc.uint8Array({ maxLength: 300 }),
    env: fc.option(envelope, { nil: null }),
    reason: fc.constantFrom(...UNPARSED_REASONS),
    tail: fc.boolean(),
    trailer: fc.constantFrom('', '\n', '\r\n', '\0\0'),
  })
  .map(({ receivedAt, connId, raw, env, reason, tail, trailer }) => {
    // Half the time msg is raw's tail, as in real frames.
    const rawBuf = env !== null && tail ? Buffer.concat([Buffer.from(raw), Buffer.from(env.msg, 'utf8'), Buffer.from(trailer)]) : Buffer.from(raw);
    return { receivedAt, connId, raw: new Uint8Array(rawBuf), rawSha256: sha(rawBuf), envelope: env, unparsedReason: env === null ? reason : null };
  });

describe('record bundles', () => {
  it('give back every record exactly, whatever it holds', () => {
    const enc = new BundleEncoder();
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), (recs) => {
        const data = Buffer.from(enc.encode(recs, 0, recs.length));
        const back = decodeBundle(data);
        expect(back.map(({ index: _i, ...r }) => strip(r))).toEqual(recs.map(strip));
      }),
      { numRuns: 300 },
    );
  });

  it("hold a message that ends its frame once, as a span of the frame, and give it back exactly", () => {
    const enc = new BundleEncoder();
    const raw = Buffer.from('<38>Nov 30 10:00:00 web1 sshd[42]: Accepted publickey for alice from 10.0.0.1 port 5000 ssh2\r\n');
    const msg = 'Accepted publickey for alice from 10.0.0.1 port 5000 ssh2';
    const at = (m: string): BundleRecord => ({ receivedAt: 1, connId: 1, raw, rawSha256: sha(raw), envelope: { format: 'rfc3164', hostname: 'web1', app: 'sshd', procid: '42', msg: m }, unparsedReason: null });
    const spanned = Buffer.from(enc.encode([at(msg)], 0, 1));
    // Same length, not the frame's tail (so written out): the bundle holds it again.
    const copied = Buffer.from(enc.encode([at(msg.replace('alice', 'carol'))], 0, 1));
    expect(copied.length - spanned.length).toBe(4 + msg.length - 12);
    expect(decodeBundle(spanned)[0]!.envelope?.msg).toBe(msg);
    expect(decodeBundle(copied)[0]!.envelope?.msg).toBe(msg.replace('alice', 'carol'));
    // Non-ASCII or not at the end: written out, and given back as it was.
    for (const m of ['Accepted publickey for alice', 'ssh2 é', '']) expect(decodeBundle(Buffer.from(enc.encode([at(m)], 0, 1)))[0]!.envelope?.msg).toBe(m);
  });

  it('refuse bytes that are not a bundle', () => {
    expect(() => decodeBundle(Buffer.from('garbage!'))).toThrow(/not a record bundle/);
    const enc = new BundleEncoder();
    const ok = Buffer.from(enc.encode([{ receivedAt: 1, connId: 1, raw: new Uint8Array([1]), rawSha256: new Uint8Array(32), envelope: null, unparsedReason: 'empty' }], 0, 1));
    expect(() => decodeBundle(Buffer.concat([ok, Buffer.from([0])]))).toThrow(/stray bytes/);
  });
});
