// TOTP second factor (RFC 6238 over RFC 4226 HOTP): SHA-1, 6 digits, 30-second steps, base32 secrets of
// 20 random bytes. Time comes in as an argument (the injected clock); a code is accepted once: a step at
// or before the last one accepted is refused, so an overheard code cannot be replayed.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.js';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted, for clock drift and typing time. */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = 'Countersign';

/** RFC 4226 §5.3: HMAC-SHA-1 of the 8-byte counter, dynamic truncation, mod 10^digits. */
export const hotp = (key: Uint8Array, counter: number, digits = TOTP_DIGITS): string => {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[off]! & 0x7f) << 24) | (mac[off + 1]! << 16) | (mac[off + 2]! << 8) | mac[off + 3]!;
  return String(bin % 10 ** digits).padStart(digits, '0');
};

/** The time step holding `nowMs` (T0 = 0). */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);

export const totpAt = (key: Uint8Array, nowMs: number, digits = TOTP_DIGITS): string => hotp(key, totpStep(nowMs), digits);

/** A new secret: 20 random bytes (RFC 4226's recommended 160 bits), base32 without padding. */
export const newTotpSecret = (): string => base32Encode(randomBytes(20));

/** The otpauth URI an authenticator app reads from a QR code (Key Uri Format). */
export const totpUri = (name: string, secret: string): string =>
  `otpauth://totp/${TOTP_ISSUER}:${encodeURIComponent(name)}?secret=${secret}&issuer=${TOTP_ISSUER}`;

/**
 * The step `code` is good for, or null. Accepted: now ± TOTP_WINDOW steps, each later than `lastStep`
 * (the step last accepted for this secret; null if none). The caller records the returned step.
 */
export const verifyTotp = (secret: string, code: string, nowMs: number, lastStep: number | null): number | null => {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secret);
  if (key === null || key.length === 0) return null;
  const now = totpStep(nowMs);
  const given = Buffer.from(code);
  let found: number | null = null;
  // Every candidate is computed and compared, so the time taken does not say which step matched.
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const ok = timingSafeEqual(Buffer.from(hotp(key, step)), given);
    if (ok && (lastStep === null || step > lastStep) && found === null) found = step;
  }
  return found;
};
