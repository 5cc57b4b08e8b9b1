// Input generators shared by the targets: raw bytes (now and then up to 70 000, past the 64 KiB
// limits), and real lines with a few bytes replaced, inserted or deleted, which reach deeper into a
// parser than random noise. Deterministic for a given fast-check seed.
import fc from 'fast-check';

/** Bytes that matter to the formats here: delimiters, digits, controls, UTF-8 lead bytes. */
const INTERESTING = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2d, 0x30, 0x31, 0x39, 0x3a, 0x3c, 0x3d, 0x3e, 0x5b, 0x5d, 0x5c, 0x7b, 0x7d, 0x7f, 0x80, 0x9b, 0xc0, 0xe2, 0xed, 0xef, 0xf0, 0xff];

interface Edit {
  readonly at: number;
  readonly op: 'set' | 'insert' | 'delete' | 'repeat';
  readonly byte: number;
  readonly n: number;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'insert', 'delete', 'repeat'),
  byte: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })),
  n: fc.integer({ min: 1, max: 64 }),
});

export const applyEdits = (base: Uint8Array, edits: readonly Edit[]): Uint8Array => {
  let b = Buffer.from(base);
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % (b.length + 1);
    switch (e.op) {
      case 'set':
        if (at < b.length) b[at] = e.byte;
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(e.n % 8 || 1, e.byte), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + (e.n % 16 || 1)))]);
        break;
      case 'repeat': {
        // A run of one byte (digits, spaces, brackets): the classic way past a fixed-size buffer.
        const len = e.n * (e.byte % 64 === 0 ? 1024 : 16);
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(len, e.byte), b.subarray(at)]);
        break;
      }
    }
  }
  return b;
};

export const rawBytes = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 8192 }) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 70_000 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })) },
  );

/** One of `templates` with 0-4 edits. */
export const mutated = (templates: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.constantFrom(...templates), fc.array(edit, { maxLength: 4 })).map(([t, edits]) => applyEdits(t, edits));

/** Raw bytes and mutated templates, mostly the latter. */
export const bytesLike = (templates: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> =>
  fc.oneof({ weight: 1, arbitrary: rawBytes() }, { weight: 3, arbitrary: mutated(templates) });

export const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
