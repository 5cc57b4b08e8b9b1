import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize, MAX_DEPTH } from './canonical-json.js';

interface Examples {
  rfc8785_section_3_2_2_example: { input: string; output: string };
  rfc8785_section_3_2_3_sorting: { input: string; values_in_order: string[] };
  rfc8785_appendix_b_numbers: [string, string | null][];
  cyberphone_testdata: { name: string; input: string; output?: string; output_hex?: string }[];
}
const examples = JSON.parse(readFileSync(new URL('./testdata/jcs-rfc8785-examples.json', import.meta.url), 'utf8')) as Examples;

function text(value: unknown): string {
  const result = canonicalize(value);
  if (!result.ok) throw new Error(`refused: ${result.error.type} at ${result.error.path}`);
  return result.value;
}

function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize: RFC 8785 published examples', () => {
  it('writes the §3.2.2 example byte for byte', () => {
    const { input, output } = examples.rfc8785_section_3_2_2_example;
    expect(text(JSON.parse(input))).toBe(output);
  });

  it('sorts member names by UTF-16 code units (§3.2.3)', () => {
    const { input, values_in_order } = examples.rfc8785_section_3_2_3_sorting;
    const canonical = text(JSON.parse(input));
    // Read the values in text order: JSON.parse would move the integer-like name "1" to the front.
    expect([...canonical.matchAll(/:"([^"]*)"/g)].map((m) => m[1])).toEqual(values_in_order);
    // Code-point order would put the emoji (U+1F600) after U+FB33; UTF-16 order puts its high surrogate first.
    expect(canonical.indexOf('\u{1F600}')).toBeLessThan(canonical.indexOf('\uFB33'));
  });

  it.each(examples.rfc8785_appendix_b_numbers.filter(([, want]) => want !== null))('writes the double %s as %s (appendix B)', (bits, want) => {
    expect(text(doubleFromBits(bits))).toBe(want);
  });

  it.each(examples.rfc8785_appendix_b_numbers.filter(([, want]) => want === null))('refuses the double %s (appendix B: NaN, Infinity)', (bits) => {
    const result = canonicalize({ n: [doubleFromBits(bits)] });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ type: 'non-finite-number', path: '/n/0' }) });
  });

  it.each(examples.cyberphone_testdata.map((t) => [t.name, t] as const))('matches the reference test data: %s', (_name, t) => {
    const bytes = canonicalBytes(JSON.parse(t.input));
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    if (t.output !== undefined) expect(Buffer.from(bytes.value).toString('utf8')).toBe(t.output);
    if (t.output_hex !== undefined) expect(Buffer.from(bytes.value).toString('hex').toUpperCase()).toBe(t.output_hex.replace(/ /g, ''));
  });
});

describe('canonicalize: values', () => {
  it('writes literals, empty containers and -0', () => {
    expect(text([null, true, false, {}, [], -0, 0, ''])).toBe('[null,true,false,{},[],0,0,""]');
  });

  it('escapes only what JSON must, with lowercase \\u00xx for other controls', () => {
    expect(text('a"b\\c\b\f\n\r\t\u0001\u001f\u007f/é€😀')).toBe('"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u007f/é€😀"');
  });

  it('encodes UTF-8 in canonicalBytes', () => {
    const bytes = canonicalBytes({ '€': 1 });
    expect(bytes.ok && Buffer.from(bytes.value).toString('hex')).toBe('7b22e282ac223a317d');
  });

  it('keeps a __proto__ member that JSON.parse made', () => {
    expect(text(JSON.parse('{"b":1,"__proto__":{"x":2}}'))).toBe('{"__proto__":{"x":2},"b":1}');
  });
});

describe('canonicalize: refusals are data, with a JSON Pointer', () => {
  it.each([
    ['NaN', { a: Number.NaN }, 'non-finite-number', '/a'],
    ['-Infinity', [1, Number.NEGATIVE_INFINITY], 'non-finite-number', '/1'],
    ['a lone high surrogate in a value', { s: 'x\uD800' }, 'lone-surrogate', '/s'],
    ['a lone low surrogate in a name', { ['\uDC00y']: 1 }, 'lone-surrogate', '/\uDC00y'],
    ['undefined', { a: { b: undefined } }, 'unsupported-value', '/a/b'],
    ['a function', [() => 1], 'unsupported-value', '/0'],
    ['a bigint', { n: 1n }, 'unsupported-value', '/n'],
    ['a Date', { d: new Date(0) }, 'unsupported-value', '/d'],
    ['a Map', new Map(), 'unsupported-value', ''],
    ['an array hole', [1, , 3], 'unsupported-value', '/1'],
    ['a symbol member', { [Symbol('s')]: 1 }, 'unsupported-value', ''],
    ['a name needing escapes in the pointer', { 'a/b~c': Number.NaN }, 'non-finite-number', '/a~1b~0c'],
  ])('refuses %s', (_what, value, type, path) => {
    const result = canonicalize(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ type, path });
  });

  it('refuses a cycle', () => {
    const a: Record<string, unknown> = { x: 1 };
    a['self'] = [a];
    expect(canonicalize(a)).toMatchObject({ ok: false, error: { type: 'cycle', path: '/self/0' } });
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(text({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });

  it('refuses nesting deeper than MAX_DEPTH instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DEPTH + 1; i++) deep = [deep];
    expect(canonicalize(deep)).toMatchObject({ ok: false, error: { type: 'too-deep' } });
    let fine: unknown = 1;
    for (let i = 0; i < MAX_DEPTH - 1; i++) fine = [fine];
    expect(canonicalize(fine).ok).toBe(true);
  });
});

describe('canonicalize: properties', () => {
  it('is idempotent after JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = text(value);
        expect(text(JSON.parse(once))).toBe(once);
      }),
    );
  });

  it('parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON itself cannot keep -0; canonicalization writes it as 0.
        expect(JSON.parse(text(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('does not depend on member order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 12 }), fc.integer(), (members, seed) => {
        const entries = Object.entries(members);
        const shuffled = [...entries].sort((a, b) => hash(a[0], seed) - hash(b[0], seed));
        expect(text(Object.fromEntries(shuffled))).toBe(text(Object.fromEntries(entries)));
      }),
    );
  });

  it('never throws on arbitrary strings, and refuses exactly the ill-formed ones', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), (a, b) => {
        for (const s of [a, b, a + b]) {
          const result = canonicalize({ [s]: s });
          const wellFormed = Buffer.from(s, 'utf8').toString('utf8') === s;
          expect(result.ok).toBe(wellFormed);
          if (result.ok) expect(JSON.parse(result.value)).toEqual({ [s]: s });
        }
      }),
    );
  });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
  return h;
}
