// Integer helpers for tree sizes and indices, exact for every safe integer (up to 2^53 - 1).
// JavaScript's bit operators truncate to 32 bits, so this file must never use them on a whole size or index.

const TWO_32 = 2 ** 32;

/** A tree size or index: a non-negative safe integer. */
export const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** Number of bits needed to write n (0 for 0). */
export function bitLength(n: number): number {
  const hi = Math.floor(n / TWO_32);
  if (hi > 0) return 64 - Math.clz32(hi);
  return 32 - Math.clz32(n >>> 0);
}

/** Number of trailing zero bits of n > 0. */
export function trailingZeros(n: number): number {
  const lo = n % TWO_32;
  if (lo !== 0) return 31 - Math.clz32((lo & -lo) >>> 0);
  return 32 + trailingZeros(Math.floor(n / TWO_32));
}

/** Number of set bits of n. */
export function popCount(n: number): number {
  let count = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) count += x % 2;
  return count;
}

/** The largest power of two strictly below n, for n >= 2 (the RFC 6962 split point k). */
export const splitPoint = (n: number): number => 2 ** (bitLength(n - 1) - 1);

/** n with its lowest `bits` bits dropped (n >> bits, without 32-bit truncation). */
export const shiftDown = (n: number, bits: number): number => Math.floor(n / 2 ** bits);

export const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** trailingZeros(n) === n;
