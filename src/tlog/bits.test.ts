import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitLength, isPowerOfTwo, popCount, shiftDown, splitPoint, trailingZeros } from './bits.js';

// The same functions in BigInt, which has exact shifts at any width: the reference for sizes beyond 2^32.
const big = {
  bitLength: (n: bigint) => n.toString(2).replace(/^0+/, '').length,
  trailingZeros: (n: bigint) => n.toString(2).length - n.toString(2).replace(/0+$/, '').length,
  popCount: (n: bigint) => [...n.toString(2)].filter((c) => c === '1').length,
};
const safe = fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 2 ** 32 + 5 }), fc.maxSafeInteger().filter((n) => n >= 1));

describe('bits beyond 32 bits', () => {
  it('agrees with BigInt on bit length, trailing zeros and population count', () => {
    fc.assert(
      fc.property(safe, (n) => {
        expect(bitLength(n)).toBe(big.bitLength(BigInt(n)));
        expect(trailingZeros(n)).toBe(big.trailingZeros(BigInt(n)));
        expect(popCount(n)).toBe(big.popCount(BigInt(n)));
        expect(shiftDown(n, 33)).toBe(Number(BigInt(n) >> 33n));
      }),
    );
  });

  it('splits at the largest power of two strictly below n', () => {
    expect([2, 3, 4, 5, 8, 9, 2 ** 40, 2 ** 40 + 1].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 2 ** 39, 2 ** 40]);
    expect(bitLength(0)).toBe(0);
    expect([1, 2, 3, 2 ** 52, 2 ** 52 + 2].map(isPowerOfTwo)).toEqual([true, true, false, true, false]);
  });
});
