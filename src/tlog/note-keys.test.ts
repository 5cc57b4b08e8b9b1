import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  computeKeyHash,
  decodeSignerKey,
  decodeVerifierKey,
  ed25519Signer,
  ed25519Verifier,
  encodeVerifierKey,
  generateKey,
  SIGNATURE_TYPES,
} from './note-keys.js';
import { encodeBase64, formatKeyHash } from './note-text.js';

interface Vectors {
  signed_notes: { verifier_keys: string[] }[];
  key_pairs: { vkey: string; skey_TEST_ONLY: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('./testdata/note-signed-note-vectors.json', import.meta.url), 'utf8')) as Vectors;
const extra = JSON.parse(readFileSync(new URL('./testdata/note-extra-vkeys.json', import.meta.url), 'utf8')) as {
  ed25519_vkey_type_01: string;
  cosignature_vkey_type_04: string;
};

const allVerifierKeys = [...new Set([...vectors.signed_notes.flatMap((n) => n.verifier_keys), ...vectors.key_pairs.map((k) => k.vkey)])];

describe('verifier keys', () => {
  it.each(allVerifierKeys)('reads %s and its key hash is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]', (vkey) => {
    const decoded = decodeVerifierKey(vkey);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const { name, keyHash, type, key } = decoded.value;
    expect(type).toBe(SIGNATURE_TYPES.ed25519);
    expect(key.length).toBe(32);
    expect(formatKeyHash(computeKeyHash(name, type, key))).toBe(vkey.split('+')[1]);
    expect(formatKeyHash(keyHash)).toBe(vkey.split('+')[1]);
    expect(encodeVerifierKey(name, type, key)).toEqual({ ok: true, value: vkey });
    expect(ed25519Verifier(vkey).ok).toBe(true);
  });

  it('reads a key whose base64 holds "+" (split only at the first two)', () => {
    expect(extra.ed25519_vkey_type_01.split('+').length).toBeGreaterThan(3);
    expect(decodeVerifierKey(extra.ed25519_vkey_type_01)).toMatchObject({ ok: true, value: { name: 'TEST', type: 0x01 } });
  });

  it('reads a published witness (0x04) key, but not as a plain Ed25519 note verifier', () => {
    expect(decodeVerifierKey(extra.cosignature_vkey_type_04)).toMatchObject({ ok: true, value: { name: 'remora.n621.de', type: 0x04 } });
    expect(ed25519Verifier(extra.cosignature_vkey_type_04)).toMatchObject({ ok: false, error: { type: 'unsupported-type' } });
  });

  const good = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  it.each([
    ['no parts', 'PeterNeumann', 'malformed'],
    ['two parts', 'PeterNeumann+c74f20a3', 'malformed'],
    ['a wrong hash', good.replace('c74f20a3', 'c74f20a4'), 'bad-key-hash'],
    ['an uppercase hash', good.replace('c74f20a3', 'C74F20A3'), 'malformed'],
    ['a short hash', good.replace('c74f20a3', 'c74f20a'), 'malformed'],
    ['an empty name', good.replace('PeterNeumann', ''), 'bad-name'],
    ['a name with a space', good.replace('PeterNeumann', 'Peter Neumann'), 'bad-name'],
    ['a name with a no-break space', good.replace('PeterNeumann', 'Peter\u00a0Neumann'), 'bad-name'],
    ['a two-byte key', 'a+00000000+AQID', 'bad-key'],
    ['another key under the same hash', good.replace('y10TW', 'y10TX'), 'bad-key-hash'],
    ['base64 with non-zero padding bits', 'x+00000000+AR==', 'malformed'],
    ['URL-safe base64', good.replace('/', '_'), 'malformed'],
    ['unpadded base64', good.slice(0, -1), 'malformed'],
    ['a key one byte short', `x+00000000+${encodeBase64(new Uint8Array(32).fill(1))}`, 'bad-key'],
    ['an unknown type', `x+00000000+${encodeBase64(Uint8Array.of(0x02, ...new Uint8Array(32)))}`, 'unsupported-type'],
  ])('refuses %s', (_what, vkey, type) => {
    expect(decodeVerifierKey(vkey)).toMatchObject({ ok: false, error: { type } });
  });
});

describe('signer keys', () => {
  it.each(vectors.key_pairs.map((k) => [k.vkey, k.skey_TEST_ONLY] as const))('the test signer key for %s derives it', (vkey, skey) => {
    const signer = ed25519Signer(skey);
    expect(signer.ok).toBe(true);
    if (!signer.ok) return;
    expect(signer.value.verifierKey).toBe(vkey);
    expect(formatKeyHash(signer.value.keyHash)).toBe(vkey.split('+')[1]);
  });

  const good = vectors.key_pairs[0]?.skey_TEST_ONLY ?? '';
  it.each([
    ['no PRIVATE+KEY prefix', good.replace('PRIVATE+KEY+', ''), 'malformed'],
    ['a lowercase prefix', good.replace('PRIVATE+KEY', 'private+key'), 'malformed'],
    ['a hash of another key', good.replace('c74f20a3', '00000000'), 'bad-key-hash'],
    ['a bad name', good.replace('PeterNeumann', 'Peter\tNeumann'), 'bad-name'],
  ])('refuses %s', (_what, skey, type) => {
    expect(decodeSignerKey(skey)).toMatchObject({ ok: false, error: { type } });
  });

  it('refuses a verifier key where a signer key is wanted, and the reverse', () => {
    const pair = vectors.key_pairs[0];
    expect(ed25519Signer(pair?.vkey ?? '').ok).toBe(false);
    expect(ed25519Verifier(pair?.skey_TEST_ONLY ?? '').ok).toBe(false);
  });
});

describe('generateKey', () => {
  it('makes a pair whose signer derives its verifier, with the spec key hash', () => {
    const pair = generateKey('countersign.example/log');
    expect(pair.ok).toBe(true);
    if (!pair.ok) return;
    expect(pair.value.signerKey.startsWith('PRIVATE+KEY+countersign.example/log+')).toBe(true);
    const signer = ed25519Signer(pair.value.signerKey);
    expect(signer.ok && signer.value.verifierKey).toBe(pair.value.verifierKey);
    const decoded = decodeVerifierKey(pair.value.verifierKey);
    expect(decoded.ok && decoded.value.keyHash).toBe(signer.ok && signer.value.keyHash);
  });

  it('makes different keys each time', () => {
    const a = generateKey('k');
    const b = generateKey('k');
    expect(a.ok && b.ok && a.value.verifierKey !== b.value.verifierKey).toBe(true);
  });

  it('is deterministic from a seed and matches a published pair', () => {
    const pair = vectors.key_pairs[0];
    const seed = decodeSignerKey(pair?.skey_TEST_ONLY ?? '');
    expect(seed.ok).toBe(true);
    if (!seed.ok) return;
    expect(generateKey('PeterNeumann', { seed: seed.value.key })).toEqual({
      ok: true,
      value: { signerKey: pair?.skey_TEST_ONLY, verifierKey: pair?.vkey },
    });
  });

  it('makes witness keys of type 0x04 with the key hash over 0x04', () => {
    const pair = generateKey('witness.example/w1', { type: SIGNATURE_TYPES.cosignatureV1, seed: new Uint8Array(32).fill(7) });
    expect(pair.ok).toBe(true);
    if (!pair.ok) return;
    const decoded = decodeVerifierKey(pair.value.verifierKey);
    expect(decoded).toMatchObject({ ok: true, value: { type: 0x04 } });
    if (decoded.ok) expect(decoded.value.keyHash).toBe(computeKeyHash('witness.example/w1', 0x04, decoded.value.key));
  });

  it('refuses a bad name or a short seed', () => {
    expect(generateKey('a+b')).toMatchObject({ ok: false, error: { type: 'bad-name' } });
    expect(generateKey('ok', { seed: new Uint8Array(31) })).toMatchObject({ ok: false, error: { type: 'bad-key' } });
  });
});
