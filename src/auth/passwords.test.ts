import { describe, expect, it } from 'vitest';
import { ARGON2_PARAMS, dummyHash, generatePassword, hashPassword, parsePhc, passwordProblem, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and the OWASP parameters as a PHC string, salted', async () => {
    const h = await hashPassword('correct horse battery staple');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const phc = parsePhc(h)!;
    expect(phc.salt.length).toBe(ARGON2_PARAMS.saltLength);
    expect(phc.hash.length).toBe(ARGON2_PARAMS.hashLength);
    expect(await hashPassword('correct horse battery staple')).not.toBe(h);
  });

  it('verifies the right password and refuses others', async () => {
    const h = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', h)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('verifies a hash made by the reference implementation (phc-winner-argon2 src/test.c)', async () => {
    const ref = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
    expect(await verifyPassword('password', ref)).toBe(true);
    expect(await verifyPassword('passwore', ref)).toBe(false);
  });

  it('never matches a malformed or out-of-bounds stored hash', async () => {
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', '$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBe(false);
    expect(parsePhc('$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeNull();
    expect(parsePhc('$argon2id$v=19$m=19456,t=99,p=1$c29tZXNhbHRzb21lc2FsdA$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeNull();
  });

  it('generates unambiguous random passwords of 20 characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(passwordProblem(generatePassword())).toBeNull();
  });

  it('asks for at least 12 characters', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(2000))).toMatch(/at most/);
    expect(passwordProblem('twelve chars')).toBeNull();
  });

  it('keeps one dummy hash for unknown names', async () => {
    const a = await dummyHash();
    expect(parsePhc(a)).not.toBeNull();
    expect(await dummyHash()).toBe(a);
  });
});
