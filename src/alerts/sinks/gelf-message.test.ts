import { describe, expect, it } from 'vitest';
import { testAlert } from '../../../test/helpers/alerts.js';
import { GELF_CHUNK_BYTES, gelfChunks, gelfMessage } from './gelf-message.js';

describe('GELF', () => {
  it('a GELF 1.1 message with additional fields, nulls left out', () => {
    const g = gelfMessage(testAlert({ url: null }), 'collector');
    expect(g).toMatchObject({ version: '1.1', host: 'vm', level: 3, timestamp: Date.UTC(2026, 10, 29, 20, 28, 41) / 1000, _rule: 'history-tampering', _session: 42, _count: 1 });
    expect(g).not.toHaveProperty('_url');
    expect(g).not.toHaveProperty('_id');
    for (const k of Object.keys(g)) expect(k).toMatch(/^(version|host|short_message|full_message|timestamp|level|_[\w.-]+)$/);
  });

  it('does not chunk what fits, chunks what does not', () => {
    const id = Buffer.from('0123456789abcdef', 'hex');
    expect(gelfChunks(Buffer.alloc(GELF_CHUNK_BYTES), id)).toHaveLength(1);
    const big = Buffer.alloc(20_000, 7);
    const chunks = gelfChunks(big, id);
    expect(chunks).toHaveLength(3);
    for (const [i, c] of chunks.entries()) {
      expect(c.length).toBeLessThanOrEqual(GELF_CHUNK_BYTES);
      expect([...c.subarray(0, 2)]).toEqual([0x1e, 0x0f]);
      expect(c.subarray(2, 10).equals(id)).toBe(true);
      expect([c[10], c[11]]).toEqual([i, 3]);
    }
    expect(Buffer.concat(chunks.map((c) => c.subarray(12))).equals(big)).toBe(true);
  });

  it('refuses a message needing more than 128 chunks', () => {
    expect(() => gelfChunks(Buffer.alloc(129 * 8180), Buffer.alloc(8))).toThrow(/more than 128/);
  });
});
