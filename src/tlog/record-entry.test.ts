import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from './canonical-json.js';
import { recordEntryJson } from './record-entry.js';

describe('record entry bytes', () => {
  it('equal RFC 8785 canonical JSON of the entry, for any values (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double({ min: 0, max: 4e12, noNaN: true })),
        fc.constantFrom('udp', 'tcp', 'tls', 'relp', 'file'),
        (peer, peerIdentity, sha, receivedAt, transport) => {
          const rawSha256 = Buffer.from(sha).toString('hex');
          const c = canonicalize({ type: 'record.receive', v: 1, receivedAt, transport, peer, peerIdentity, rawSha256 });
          expect(c.ok).toBe(true);
          if (c.ok) expect(recordEntryJson({ receivedAt, transport, peer, peerIdentity, rawSha256 })).toBe(c.value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is pinned byte for byte: an entry written today verifies forever', () => {
    expect(recordEntryJson({ receivedAt: 1795985351510, transport: 'tls', peer: '10.0.0.5:49152', peerIdentity: 'CN=r1.example', rawSha256: 'ab'.repeat(32) })).toBe(
      `{"peer":"10.0.0.5:49152","peerIdentity":"CN=r1.example","rawSha256":"${'ab'.repeat(32)}","receivedAt":1795985351510,"transport":"tls","type":"record.receive","v":1}`,
    );
  });
});
