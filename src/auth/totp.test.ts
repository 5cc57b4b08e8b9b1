import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.js';
import { hotp, newTotpSecret, totpAt, totpStep, totpUri, verifyTotp } from './totp.js';

// RFC 6238 Appendix B, the SHA-1 rows: seed "12345678901234567890" (ASCII), T0 = 0, X = 30, 8 digits.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC6238_SHA1: readonly [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('RFC 6238 test vectors (SHA-1)', () => {
  it.each(RFC6238_SHA1)('T = %i s gives %s', (seconds, code) => {
    expect(totpAt(SEED, seconds * 1000, 8)).toBe(code);
    // Six digits are the same number mod 10^6: the last six of the eight.
    expect(totpAt(SEED, seconds * 1000)).toBe(code.slice(2));
  });

  it('RFC 4226 Appendix D HOTP values', () => {
    const d = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    d.forEach((code, counter) => expect(hotp(SEED, counter)).toBe(code));
  });
});

describe('base32 (RFC 4648 §10 vectors)', () => {
  const vectors: [string, string][] = [['', ''], ['f', 'MY======'], ['fo', 'MZXQ===='], ['foo', 'MZXW6==='], ['foob', 'MZXW6YQ='], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI======']];
  it.each(vectors)('%j ⇄ %s', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain), true)).toBe(encoded);
    expect(Buffer.from(base32Decode(encoded)!).toString()).toBe(plain);
  });
  it('decodes lower case and spaces, refuses other characters', () => {
    expect(Buffer.from(base32Decode('mzxw 6ytb oi')!).toString()).toBe('foobar');
    expect(base32Decode('MZXW1')).toBeNull();
  });
});

describe('verifyTotp', () => {
  const secret = base32Encode(SEED);
  const t = 1111111111_000;
  const step = totpStep(t);

  it('accepts the current code and the ones a step either side, and says which step', () => {
    expect(verifyTotp(secret, totpAt(SEED, t), t, null)).toBe(step);
    expect(verifyTotp(secret, hotp(SEED, step - 1), t, null)).toBe(step - 1);
    expect(verifyTotp(secret, hotp(SEED, step + 1), t, null)).toBe(step + 1);
  });

  it('refuses codes two steps away, malformed codes and a bad secret', () => {
    expect(verifyTotp(secret, hotp(SEED, step - 2), t, null)).toBeNull();
    expect(verifyTotp(secret, hotp(SEED, step + 2), t, null)).toBeNull();
    expect(verifyTotp(secret, '12345', t, null)).toBeNull();
    expect(verifyTotp(secret, '1234567', t, null)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', t, null)).toBeNull();
    expect(verifyTotp('not base32!', totpAt(SEED, t), t, null)).toBeNull();
  });

  it('refuses a replay: a step at or before the last accepted one', () => {
    const code = totpAt(SEED, t);
    const accepted = verifyTotp(secret, code, t, null);
    expect(accepted).toBe(step);
    expect(verifyTotp(secret, code, t, accepted)).toBeNull();
    expect(verifyTotp(secret, hotp(SEED, step - 1), t, accepted)).toBeNull();
    // The next step's code is still good.
    expect(verifyTotp(secret, hotp(SEED, step + 1), t, accepted)).toBe(step + 1);
  });

  it('makes 160-bit secrets and an otpauth URI with the issuer', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(s)!.length).toBe(20);
    expect(newTotpSecret()).not.toBe(s);
    expect(totpUri('alice', s)).toBe(`otpauth://totp/Countersign:alice?secret=${s}&issuer=Countersign`);
    expect(totpUri('a b', s)).toContain('Countersign:a%20b?');
  });
});
