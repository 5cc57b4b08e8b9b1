import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { cosigner, cosignatureVerifier } from './cosignature.js';
import { openNote, parseNote, signNote } from './note.js';
import { ed25519Signer, ed25519Verifier, generateKey, SIGNATURE_TYPES } from './note-keys.js';

const vectors = JSON.parse(readFileSync(new URL('./testdata/note-signed-note-vectors.json', import.meta.url), 'utf8')) as {
  signed_notes: { source: string; verifier_keys: string[]; signed_note: string }[];
  unsigned_or_unverifiable: { source: string; desc: string; text?: string; invalid_texts?: string[] }[];
};

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
const hash32 = (seed: string): Uint8Array => new Uint8Array(createHash('sha256').update(seed).digest());
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('checkpoint vectors', () => {
  it('reads the real sum.golang.org checkpoint after verifying its signature', () => {
    const v = vectors.signed_notes.find((n) => n.source.includes('TestSumDBNoteParsing'));
    const verifier = must(ed25519Verifier(v?.verifier_keys[0] as string));
    const opened = must(openCheckpoint(v?.signed_note as string, verifier));
    expect(opened.checkpoint).toMatchObject({ origin: 'go.sum database tree', size: 6476701, extensions: [] });
    expect(b64(opened.checkpoint.rootHash)).toBe('mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=');
    expect(opened.cosignatures).toEqual([]);
  });

  it('formats the golang.org/x/mod tree note byte for byte (root = RFC 6962 leaf hash of "hello world")', () => {
    const v = vectors.unsigned_or_unverifiable.find((u) => u.source.includes('TestFormatTree'));
    const rootHash = new Uint8Array(createHash('sha256').update(Buffer.concat([Buffer.of(0), Buffer.from('hello world')])).digest());
    expect(formatCheckpoint({ origin: 'go.sum database tree', size: 123456789012, rootHash, extensions: [] })).toEqual({ ok: true, value: v?.text });
  });

  it('refuses the golang.org/x/mod bad tree notes whose faults are in the checkpoint format', () => {
    const v = vectors.unsigned_or_unverifiable.find((u) => u.source.includes('bad trees'));
    // The first differs only in its origin, which is valid as a checkpoint: the sumdb refuses it for not being its origin.
    const [otherOrigin, hexSize, longHash] = v?.invalid_texts as [string, string, string];
    expect(parseCheckpoint(otherOrigin)).toMatchObject({ ok: true, value: { origin: 'not-go.sum database tree' } });
    expect(parseCheckpoint(hexSize)).toMatchObject({ ok: false, error: { type: 'bad-size' } });
    expect(parseCheckpoint(longHash)).toMatchObject({ ok: false, error: { type: 'bad-root-hash' } });
  });

  it('reads the C2SP checkpoint example (no published key) and its cosigned form', () => {
    for (const v of vectors.unsigned_or_unverifiable.filter((u) => u.source.startsWith('C2SP/C2SP tlog-'))) {
      const parsed = must(parseNote(v.text as string));
      expect(must(parseCheckpoint(parsed.text))).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    }
  });
});

describe('formatCheckpoint / parseCheckpoint', () => {
  const base: Checkpoint = { origin: 'countersign.example/log', size: 7, rootHash: hash32('x'), extensions: [] };

  it('writes origin, size, base64 root and extensions, one per line', () => {
    const text = must(formatCheckpoint({ ...base, extensions: ['ext one', 'two'] }));
    expect(text).toBe(`countersign.example/log\n7\n${b64(base.rootHash)}\next one\ntwo\n`);
    expect(must(parseCheckpoint(text))).toEqual({ ...base, extensions: ['ext one', 'two'] });
  });

  it('writes the empty tree as size 0', () => {
    expect(must(formatCheckpoint({ ...base, size: 0 })).split('\n')[1]).toBe('0');
  });

  it('round-trips any valid checkpoint', () => {
    const line = fc.string({ minLength: 1, unit: fc.constantFrom('a', 'Z', '.', '/', ' ', 'é', '😀', '+', '—') });
    fc.assert(
      fc.property(
        line.filter((s) => s.trim() === s),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, size, rootHash, extensions) => {
          const checkpoint: Checkpoint = { origin, size, rootHash, extensions };
          const text = must(formatCheckpoint(checkpoint));
          expect(must(parseCheckpoint(text))).toEqual(checkpoint);
          expect(must(formatCheckpoint(must(parseCheckpoint(text))))).toBe(text);
        },
      ),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const parsed = parseCheckpoint(text);
        if (parsed.ok) expect(must(formatCheckpoint(parsed.value))).toBe(text);
      }),
    );
  });

  const hash = b64(hash32('x'));
  it.each([
    ['no final newline', `o\n1\n${hash}`, 'malformed'],
    ['two lines', 'o\n1\n', 'malformed'],
    ['an empty origin', `\n1\n${hash}\n`, 'bad-origin'],
    ['a trailing space on the origin', `o \n1\n${hash}\n`, 'bad-origin'],
    ['a leading space on the origin', ` o\n1\n${hash}\n`, 'bad-origin'],
    ['a leading zero', `o\n01\n${hash}\n`, 'bad-size'],
    ['a plus sign', `o\n+1\n${hash}\n`, 'bad-size'],
    ['a negative size', `o\n-1\n${hash}\n`, 'bad-size'],
    ['a trailing space on the size', `o\n1 \n${hash}\n`, 'bad-size'],
    ['an exponent', `o\n1e3\n${hash}\n`, 'bad-size'],
    ['non-ASCII digits', `o\n\u0661\n${hash}\n`, 'bad-size'],
    ['a size beyond 2^53 − 1', `o\n9007199254740992\n${hash}\n`, 'size-too-large'],
    ['a size beyond 2^64', `o\n3438945738945739845734895735\n${hash}\n`, 'size-too-large'],
    ['an unpadded root hash', `o\n1\n${hash.replace(/=$/, '')}\n`, 'bad-root-hash'],
    ['a URL-safe root hash', `o\n1\n${b64(Uint8Array.from({ length: 32 }, () => 0xfb))}\n`.replace(/\+/g, '-'), 'bad-root-hash'],
    ['a root hash with a trailing space', `o\n1\n${hash} \n`, 'bad-root-hash'],
    ['a 31-byte root hash', `o\n1\n${b64(hash32('x').subarray(1))}\n`, 'bad-root-hash'],
    ['a non-canonical root hash', `o\n1\n${hash.replace(/.=$/, 'x=')}\n`, 'bad-root-hash'],
    ['an empty extension line', `o\n1\n${hash}\n\nx\n`, 'malformed'],
    ['a trailing blank line', `o\n1\n${hash}\n\n`, 'malformed'],
    ['a carriage return', `o\r\n1\n${hash}\n`, 'control-character'],
    ['an unpaired surrogate', `o\uD800\n1\n${hash}\n`, 'malformed'],
  ])('refuses %s', (_what, text, type) => {
    expect(parseCheckpoint(text)).toMatchObject({ ok: false, error: { type } });
  });

  it.each([
    ['a negative size', { ...base, size: -1 }, 'bad-size'],
    ['a fractional size', { ...base, size: 1.5 }, 'bad-size'],
    ['an unsafe size', { ...base, size: 2 ** 53 }, 'bad-size'],
    ['a short root hash', { ...base, rootHash: new Uint8Array(31) }, 'bad-root-hash'],
    ['an origin with a newline', { ...base, origin: 'a\nb' }, 'bad-origin'],
    ['an origin with a trailing space', { ...base, origin: 'a ' }, 'bad-origin'],
    ['an extension with a newline', { ...base, extensions: ['a\nb'] }, 'malformed'],
    ['an empty extension', { ...base, extensions: [''] }, 'malformed'],
  ])('will not write %s', (_what, checkpoint, type) => {
    expect(formatCheckpoint(checkpoint)).toMatchObject({ ok: false, error: { type } });
  });
});

describe('openCheckpoint', () => {
  const log = must(generateKey('countersign.example/log'));
  const logSigner = must(ed25519Signer(log.signerKey));
  const logVerifier = must(ed25519Verifier(log.verifierKey));
  const witnessKeys = must(generateKey('witness.example/w1', { type: SIGNATURE_TYPES.cosignatureV1 }));
  const text = must(formatCheckpoint({ origin: 'countersign.example/log', size: 3, rootHash: hash32('r'), extensions: [] }));

  it('returns the checkpoint, the log signature and verified cosignatures', () => {
    const witness = must(cosigner(witnessKeys.signerKey));
    const signed = must(signNote(text, [logSigner]));
    const cosigned = must(signNote(text, [], [...must(parseNote(signed)).signatures, must(witness.cosign(text, 1_700_000_000))]));
    const opened = must(openCheckpoint(cosigned, logVerifier, [must(cosignatureVerifier(witnessKeys.verifierKey))]));
    expect(opened.checkpoint.size).toBe(3);
    expect(opened.text).toBe(text);
    expect(opened.logSignature.name).toBe('countersign.example/log');
    expect(opened.cosignatures.map((s) => s.name)).toEqual(['witness.example/w1']);
    // Without the witness key, its cosignature is kept but not trusted.
    expect(must(openCheckpoint(cosigned, logVerifier)).unverified.map((s) => s.name)).toEqual(['witness.example/w1']);
  });

  it('refuses a checkpoint signed only by a witness, not by the log', () => {
    const witness = must(cosigner(witnessKeys.signerKey));
    const onlyWitness = must(signNote(text, [], [must(witness.cosign(text, 1))]));
    expect(openCheckpoint(onlyWitness, logVerifier, [must(cosignatureVerifier(witnessKeys.verifierKey))])).toMatchObject({
      ok: false,
      error: { type: 'not-signed-by-log' },
    });
  });

  it('refuses a signed note whose text is not a checkpoint', () => {
    const signed = must(signNote('just a note\n', [logSigner]));
    expect(openNote(signed, [logVerifier]).ok).toBe(true);
    expect(openCheckpoint(signed, logVerifier)).toMatchObject({ ok: false, error: { type: 'checkpoint', cause: { type: 'malformed' } } });
  });

  it('refuses a checkpoint signed by another key under the log name', () => {
    const other = must(ed25519Signer(must(generateKey('countersign.example/log')).signerKey));
    expect(openCheckpoint(must(signNote(text, [other])), logVerifier)).toMatchObject({
      ok: false,
      error: { type: 'note', cause: { type: 'no-verified-signature' } },
    });
  });
});
