import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeUtf8, encodeBase64, findControlCharacter, formatKeyHash, isValidKeyName, readUint32, writeUint32 } from './note-text.js';

describe('base64', () => {
  it('round-trips any bytes, and only the canonical spelling decodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(decodeBase64(text)).toEqual(new Uint8Array(bytes));
      }),
    );
  });

  it.each([
    ['unpadded', 'AQ'],
    ['over-padded', 'AQ==='],
    ['non-zero padding bits', 'AR=='],
    ['URL-safe alphabet', '-_8='],
    ['whitespace', 'AQ== '],
    ['a newline inside', 'AQID\nBA=='],
    ['padding in the middle', 'AQ==AQ=='],
  ])('refuses %s', (_what, text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('decodes the empty string to no bytes', () => {
    expect(decodeBase64('')).toEqual(new Uint8Array());
  });
});

describe('key names', () => {
  it.each(['example.com/foo', 'PeterNeumann', 'oid/1.3.6.1.4.1', 'é'])('accepts %s', (name) => expect(isValidKeyName(name)).toBe(true));
  it.each(['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2028b', 'a\u0085b', 'a\u3000b', 'a\uD800'])('refuses %j', (name) =>
    expect(isValidKeyName(name)).toBe(false),
  );
});

describe('helpers', () => {
  it('finds control characters but not newlines', () => {
    expect(findControlCharacter('a\nb')).toBe(-1);
    expect(findControlCharacter('a\nb\u001f')).toBe(3);
    expect(findControlCharacter('\u007f')).toBe(-1);
  });

  it('reads and writes big-endian key hashes', () => {
    expect(readUint32(writeUint32(0xc74f20a3))).toBe(0xc74f20a3);
    expect(formatKeyHash(0x00000c67)).toBe('00000c67');
  });

  it('decodes strict UTF-8 only', () => {
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x80, 0x94))).toBe('\u2014');
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x80))).toBeUndefined();
    expect(decodeUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBeUndefined(); // an encoded surrogate
    expect(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
  });
});
