import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindCondition, parseCondition } from './condition.js';

const evalWith = (src: string, names: string[], truthy: string[]): boolean => {
  const t = parseCondition(src);
  if (!t.ok) throw new Error(t.error.message);
  const b = bindCondition(t.value, names);
  if (!b.ok) throw new Error(b.error.message);
  return b.value((n) => truthy.includes(n));
};

describe('parseCondition', () => {
  const names = ['a', 'b', 'c', 'sel_1', 'sel_2', 'filter'];
  it.each([
    ['a', ['a'], true],
    ['a', [], false],
    ['a and b', ['a'], false],
    ['a and b', ['a', 'b'], true],
    ['a or b', ['b'], true],
    ['not a', [], true],
    ['not a', ['a'], false],
    ['a or b and c', ['a'], true], // and binds tighter
    ['(a or b) and c', ['a'], false],
    ['not a and b', ['b'], true], // not binds tighter
    ['not (a and b)', ['a', 'b'], false],
    ['not not a', ['a'], true],
    ['1 of sel_*', ['sel_2'], true],
    ['1 of sel_*', ['a'], false],
    ['all of sel_*', ['sel_1'], false],
    ['all of sel_*', ['sel_1', 'sel_2'], true],
    ['1 of them', ['filter'], true],
    ['all of them', names, true],
    ['all of them', ['a'], false],
    ['1 of sel_* and not filter', ['sel_1', 'filter'], false],
    ['  ( ( a ) )  ', ['a'], true],
  ] as const)('%s with %j → %s', (src, truthy, want) => {
    expect(evalWith(src, names, [...truthy])).toBe(want);
  });

  it.each([
    ['', 0, /unexpected end/],
    ['a and', 5, /unexpected end/],
    ['a b', 2, /unexpected 'b'/],
    ['(a or b', 7, /expected '\)'/],
    ['a)', 1, /unexpected '\)'/],
    ['a & b', 2, /unexpected character "&"/],
    ['and', 0, /expected a selection name/],
    ['1 a', 2, /expected 'of'/],
    ['all of', 6, /prefix/],
    ['1 of x*y', 5, /prefix/],
    ['a*', 0, /expected a selection name/],
    ['('.repeat(100) + 'a' + ')'.repeat(100), 65, /nests deeper/],
  ] as const)('refuses %j at %d', (src, pos, message) => {
    const r = parseCondition(src);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.pos).toBe(pos);
      expect(r.error.message).toMatch(message);
    }
  });

  it('binding names a missing selection or an empty pattern, with its position', () => {
    const t = parseCondition('a and nope');
    expect(t.ok && bindCondition(t.value, ['a'])).toEqual({ ok: false, error: { pos: 6, message: "no selection named 'nope'" } });
    const p = parseCondition('a or 1 of x*');
    expect(p.ok && bindCondition(p.value, ['a'])).toEqual({ ok: false, error: { pos: 5, message: "no selection matches 'x*'" } });
  });

  it('never throws, and errors carry a position inside the input (fast-check)', () => {
    const tokens = fc.constantFrom('a', 'b', 'and', 'or', 'not', '(', ')', '1', 'all', 'of', 'them', 'a*', ' ', '&', '*');
    const inputs = fc.oneof(fc.string(), fc.array(tokens, { maxLength: 30 }).map((t) => t.join(' ')));
    fc.assert(
      fc.property(inputs, (src) => {
        const r = parseCondition(src);
        if (!r.ok) {
          expect(r.error.pos).toBeGreaterThanOrEqual(0);
          expect(r.error.pos).toBeLessThanOrEqual(src.length);
          expect(r.error.message.length).toBeGreaterThan(0);
        } else {
          const b = bindCondition(r.value, ['a', 'b']);
          if (b.ok) expect(typeof b.value(() => true)).toBe('boolean');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
