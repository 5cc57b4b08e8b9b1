import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyRoot, hashesEqual, leafHash, nodeHash } from './hash.js';

const vectors = JSON.parse(readFileSync(new URL('./testdata/transparency-dev-merkle/rfc6962_reference_vectors.json', import.meta.url), 'utf8')) as {
  leaf_inputs_hex: string[];
  leaf_hashes_hex: string[];
  node_hashes_by_level_hex: string[][];
  hasher_vectors: { desc: string; input_leaf_utf8?: string; left_utf8?: string; right_utf8?: string; want: string }[];
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('RFC 6962 hashing', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(hex(emptyRoot())).toBe(vectors.hasher_vectors[0]?.want);
  });

  it.each(vectors.hasher_vectors.slice(1))('$desc', (v) => {
    const got = v.input_leaf_utf8 !== undefined ? leafHash(utf8(v.input_leaf_utf8)) : nodeHash(utf8(v.left_utf8 ?? ''), utf8(v.right_utf8 ?? ''));
    expect(hex(got)).toBe(v.want);
  });

  it('hashes the eight reference leaf inputs to the reference leaf hashes', () => {
    const got = vectors.leaf_inputs_hex.map((h) => hex(leafHash(Buffer.from(h, 'hex'))));
    expect(got).toEqual(vectors.leaf_hashes_hex);
  });

  it('hashes each pair of reference nodes to their parent', () => {
    const levels = vectors.node_hashes_by_level_hex;
    for (let level = 1; level < levels.length; level++) {
      const below = levels[level - 1] ?? [];
      (levels[level] ?? []).forEach((want, i) => {
        expect(hex(nodeHash(Buffer.from(below[2 * i] ?? '', 'hex'), Buffer.from(below[2 * i + 1] ?? '', 'hex')))).toBe(want);
      });
    }
  });

  it('keeps leaf and node hashes apart (the 0x00 / 0x01 prefixes)', () => {
    const a = new Uint8Array(32);
    expect(hashesEqual(leafHash(new Uint8Array(64)), nodeHash(a, a))).toBe(false);
  });

  it('gives a fresh empty root each time, so a caller cannot corrupt the constant', () => {
    const first = emptyRoot();
    first[0] = 0;
    expect(hex(emptyRoot())).toBe(vectors.hasher_vectors[0]?.want);
  });

  it('compares hashes by length and bytes', () => {
    expect(hashesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(hashesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(hashesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
  });
});
