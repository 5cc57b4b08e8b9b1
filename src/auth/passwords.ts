// Password hashing: argon2id (hash-wasm, WebAssembly, no native code) with OWASP's parameters, stored
// as PHC strings. Verification recomputes the hash and compares in constant time; it never trusts a
// stored string's parameters beyond sane bounds. Nothing here logs or returns a password.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { argon2id } from 'hash-wasm';

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_PARAMS = { memorySize: 19456, iterations: 2, parallelism: 1, hashLength: 32, saltLength: 16 } as const;

/** No 0/O, 1/l/I: a one-time password is read off a terminal and typed. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const GENERATED_LENGTH = 20;

export const MIN_PASSWORD_LENGTH = 12;
/** argon2 takes any length; the bound keeps a request from making it hash megabytes. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A random password (~117 bits) from an unambiguous alphabet. Secrets are never injected: tests must not predict them. */
export const generatePassword = (length = GENERATED_LENGTH): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
};

/** Why `password` may not be chosen, or null when it may. */
export const passwordProblem = (password: string): string | null => {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
};

const raw = (password: string, salt: Uint8Array, p: { m: number; t: number; p: number; len: number }): Promise<Uint8Array> =>
  argon2id({ password: Buffer.from(password, 'utf8'), salt, memorySize: p.m, iterations: p.t, parallelism: p.p, hashLength: p.len, outputType: 'binary' });

/** PHC base64: standard alphabet, no padding. */
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/=+$/, '');

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(ARGON2_PARAMS.saltLength);
  const { memorySize: m, iterations: t, parallelism: p, hashLength: len } = ARGON2_PARAMS;
  const hash = await raw(password, salt, { m, t, p, len });
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(hash)}`;
};

interface Phc {
  readonly m: number;
  readonly t: number;
  readonly p: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

export const parsePhc = (s: string): Phc | null => {
  const x = PHC.exec(s);
  if (x === null) return null;
  const [m, t, p] = [Number(x[1]), Number(x[2]), Number(x[3])];
  // Bounds: a stored hash must not be able to make a sign-in take minutes or gigabytes.
  if (m < 8 || m > 1 << 20 || t < 1 || t > 10 || p < 1 || p > 8) return null;
  return { m, t, p, salt: Buffer.from(x[4]!, 'base64'), hash: Buffer.from(x[5]!, 'base64') };
};

/** True when `password` matches the PHC string `stored`; a malformed `stored` never matches. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const phc = parsePhc(stored);
  if (phc === null || password.length > MAX_PASSWORD_LENGTH) return false;
  // argon2 (hash-wasm) refuses an empty password; none was ever stored, but it costs the same time to refuse.
  const got = await raw(password === '' ? '\0' : password, phc.salt, { m: phc.m, t: phc.t, p: phc.p, len: phc.hash.length });
  return password !== '' && got.length === phc.hash.length && timingSafeEqual(got, phc.hash);
};

let dummy: Promise<string> | null = null;

/**
 * A hash of a random password, made once: checking a sign-in for a name that does not exist (or is
 * disabled, or locked) against it spends the same argon2 time as a real check, so timing tells nothing.
 */
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(generatePassword()));
