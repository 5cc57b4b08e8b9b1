import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NOTE_SIGNATURES, openNote, parseNote, signNote, type NoteSignature } from './note.js';
import { ed25519Signer, ed25519Verifier, generateKey, type NoteSigner, type NoteVerifier } from './note-keys.js';
import { decodeBase64, formatKeyHash, readUint32 } from './note-text.js';

interface SignedNoteVector {
  source: string;
  verifier_keys: string[];
  signer_keys_TEST_ONLY: string[];
  signed_note: string;
  verification_result_when_saved: Record<string, boolean>;
}
const vectors = JSON.parse(readFileSync(new URL('./testdata/note-signed-note-vectors.json', import.meta.url), 'utf8')) as {
  signed_notes: SignedNoteVector[];
  unsigned_or_unverifiable: { source: string; text?: string }[];
};

function verifier(vkey: string): NoteVerifier {
  const v = ed25519Verifier(vkey);
  if (!v.ok) throw new Error(`${vkey}: ${v.error.type}`);
  return v.value;
}
function signer(skey: string): NoteSigner {
  const s = ed25519Signer(skey);
  if (!s.ok) throw new Error(`${skey}: ${s.error.type}`);
  return s.value;
}
function freshKey(name: string): { signer: NoteSigner; verifier: NoteVerifier } {
  const pair = generateKey(name);
  if (!pair.ok) throw new Error(pair.error.type);
  return { signer: signer(pair.value.signerKey), verifier: verifier(pair.value.verifierKey) };
}
function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const peter = vectors.signed_notes[0] as SignedNoteVector;
const peterAndEnoch = vectors.signed_notes[1] as SignedNoteVector;

describe('signed-note vectors', () => {
  it.each(vectors.signed_notes.map((v) => [v.source, v] as const))('%s: every listed key verifies', (_source, v) => {
    const opened = must(openNote(v.signed_note, v.verifier_keys.map(verifier)));
    expect(Object.fromEntries(opened.verified.map((s) => [s.name, true]))).toEqual(v.verification_result_when_saved);
    expect(opened.unverified).toEqual([]);
    expect(v.signed_note.startsWith(opened.text)).toBe(true);
    expect(v.signed_note.slice(opened.text.length, opened.text.length + 1)).toBe('\n');
  });

  it.each(vectors.signed_notes.map((v) => [v.source, v] as const))('%s: each signature names its key by the spec key hash', (_source, v) => {
    const parsed = must(parseNote(v.signed_note));
    for (const signature of parsed.signatures) {
      const vkey = v.verifier_keys.find((k) => k.startsWith(`${signature.name}+`));
      expect(vkey?.split('+')[1]).toBe(formatKeyHash(signature.keyHash));
      expect(readUint32(decodeBase64(signature.base64) ?? new Uint8Array())).toBe(signature.keyHash);
    }
  });

  it.each(vectors.signed_notes.map((v) => [v.source, v] as const))('%s: also opens from its UTF-8 bytes', (_source, v) => {
    expect(openNote(Buffer.from(v.signed_note, 'utf8'), v.verifier_keys.map(verifier)).ok).toBe(true);
  });

  it('signing with the published test key reproduces the published note byte for byte', () => {
    const text = must(parseNote(peter.signed_note)).text;
    const signed = must(signNote(text, peter.signer_keys_TEST_ONLY.map(signer)));
    expect(Buffer.from(signed, 'utf8').equals(Buffer.from(peter.signed_note, 'utf8'))).toBe(true);
  });

  it.each(vectors.signed_notes.map((v) => [v.source, v] as const))('%s: any one-bit change in any byte loses a verified signature', (_source, v) => {
    const verifiers = v.verifier_keys.map(verifier);
    const original = Buffer.from(v.signed_note, 'utf8');
    const trusted = must(openNote(original, verifiers)).verified.length;
    for (let i = 0; i < original.length; i++) {
      for (const bit of [0x01, 0x20]) {
        const changed = Buffer.from(original);
        changed[i] = (changed[i] as number) ^ bit;
        const opened = openNote(changed, verifiers);
        // Either the whole note is refused, or the changed signature became some unknown key's (ignored, as the spec says).
        if (opened.ok) expect(opened.value.verified.length, `byte ${i} ^ ${bit}`).toBeLessThan(trusted);
      }
    }
  });

  it('a changed text with the signature intact is refused as an invalid signature', () => {
    const forged = peter.signed_note.replace('cryptography', 'Cryptography');
    expect(openNote(forged, peter.verifier_keys.map(verifier))).toMatchObject({
      ok: false,
      error: { type: 'invalid-signature', key: { name: 'PeterNeumann', keyHash: 0xc74f20a3 } },
    });
  });

  it('keeps signatures by unknown keys, untrusted', () => {
    const opened = must(openNote(peterAndEnoch.signed_note, [verifier(peter.verifier_keys[0] as string)]));
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(opened.unverified.map((s) => [s.name, formatKeyHash(s.keyHash)])).toEqual([['EnochRoot', 'af0cfe78']]);
  });

  it('refuses a note that no known key signed', () => {
    const other = freshKey('PeterNeumann'); // same name, other key: its hash differs, so the signature is unknown
    expect(openNote(peter.signed_note, [other.verifier])).toMatchObject({ ok: false, error: { type: 'no-verified-signature' } });
    expect(openNote(peter.signed_note, [])).toMatchObject({ ok: false, error: { type: 'no-verified-signature' } });
  });

  it('parses the C2SP examples that have no published key', () => {
    for (const v of vectors.unsigned_or_unverifiable.filter((u) => u.text?.includes('\n\n\u2014 '))) {
      const parsed = must(parseNote(v.text as string));
      expect(parsed.signatures.length).toBeGreaterThan(0);
      expect(openNote(v.text as string, [])).toMatchObject({ ok: false, error: { type: 'no-verified-signature' } });
    }
  });

  it('splits at the last blank line, so a text may hold blank lines', () => {
    const quasimodo = vectors.unsigned_or_unverifiable.find((u) => u.source.includes('intro'))?.text as string;
    expect(must(parseNote(quasimodo)).text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
  });
});

describe('signNote / openNote round trip', () => {
  const log = freshKey('countersign.example/log');
  const witness = freshKey('witness.example/w1');

  it('signs with several keys and opens with any of them', () => {
    const note = must(signNote('hello\nworld\n', [log.signer, witness.signer]));
    expect(must(openNote(note, [log.verifier])).text).toBe('hello\nworld\n');
    expect(must(openNote(note, [log.verifier, witness.verifier])).verified.map((s) => s.name)).toEqual([
      'countersign.example/log',
      'witness.example/w1',
    ]);
  });

  it('keeps existing signatures first and replaces one by a key that signs again', () => {
    const first = must(signNote('t\n', [log.signer]));
    const existing = must(parseNote(first)).signatures;
    const both = must(signNote('t\n', [witness.signer], existing));
    expect(both.startsWith(first)).toBe(true);
    const again = must(signNote('t\n', [log.signer], must(parseNote(both)).signatures));
    expect(must(parseNote(again)).signatures.map((s) => s.name)).toEqual(['witness.example/w1', 'countersign.example/log']);
  });

  it('signs texts with blank lines and non-ASCII', () => {
    const text = 'a\n\nb é 😀\n\n';
    expect(must(openNote(must(signNote(text, [log.signer])), [log.verifier])).text).toBe(text);
  });

  it('opens any text it signed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (body) => {
        const text = body + '\n';
        const signed = signNote(text, [log.signer]);
        if (!signed.ok) {
          expect(['control-character']).toContain(signed.error.type);
          return;
        }
        expect(must(openNote(signed.value, [log.verifier])).text).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array().map((b) => b as Uint8Array | string)), (input) => {
        const parsed = parseNote(input);
        const opened = openNote(input, [log.verifier]);
        expect(typeof parsed.ok).toBe('boolean');
        expect(opened.ok).toBe(false);
      }),
    );
  });
});

describe('openNote refuses malformed notes with a typed error', () => {
  const good = peter.signed_note;
  const sigLine = good.slice(good.lastIndexOf('\u2014'));
  const text = must(parseNote(good)).text;
  const peterVerifier = verifier(peter.verifier_keys[0] as string);
  it.each([
    ['no blank line', good.replace('\n\n', '\n'), 'no-signatures'],
    ['no final newline', good.slice(0, -1), 'no-signatures'],
    ['no signatures at all', text + '\n', 'no-signatures'],
    ['a hyphen for the em dash', good.replace('\u2014 ', '- '), 'bad-signature-line'],
    ['no space after the name', good.replace('PeterNeumann ', 'PeterNeumann'), 'bad-signature-line'],
    ['two spaces after the name', good.replace('PeterNeumann ', 'PeterNeumann  '), 'bad-base64'],
    ['trailing space on a signature line', good.replace(/=\n$/, '= \n'), 'bad-base64'],
    ['an empty key name', good.replace('\u2014 PeterNeumann', '\u2014 '), 'bad-key-name'],
    ['a "+" in the key name', good.replace('PeterNeumann', 'Peter+Neumann'), 'bad-key-name'],
    ['non-canonical base64', good.replace(/[A-Za-z0-9+/]=\n$/, 'N=\n'), 'bad-base64'],
    ['unpadded base64', good.replace(/=\n$/, '\n'), 'bad-base64'],
    ['a 4-byte signature', text + '\n\u2014 PeterNeumann x08goA==\n', 'signature-too-short'],
    ['a tab in the text', good.replace('If you', 'If\tyou'), 'control-character'],
    ['a carriage return', good.replace('\n\n', '\r\n\n'), 'control-character'],
    ['a NUL', '\u0000' + good, 'control-character'],
    ['an unpaired surrogate', good.replace('If', 'I\uD800f'), 'lone-surrogate'],
    ['a blank line among the signatures (what precedes it becomes signed text)', good + '\n' + sigLine, 'invalid-signature'],
  ])('%s', (_what, note, type) => {
    expect(openNote(note, [peterVerifier])).toMatchObject({ ok: false, error: { type } });
  });

  it('invalid UTF-8 bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from(good, 'utf8')]);
    expect(openNote(bytes, [peterVerifier])).toMatchObject({ ok: false, error: { type: 'not-utf8' } });
  });

  it(`more than ${MAX_NOTE_SIGNATURES} signatures`, () => {
    const many = text + '\n' + `${sigLine}`.repeat(MAX_NOTE_SIGNATURES + 1);
    expect(openNote(many, [peterVerifier])).toMatchObject({ ok: false, error: { type: 'too-many-signatures' } });
    expect(openNote(text + '\n' + sigLine.repeat(MAX_NOTE_SIGNATURES), [peterVerifier]).ok).toBe(true);
  });

  it('a second, bad signature by a known key after a good one', () => {
    const bad = sigLine.replace(/[A-Za-z0-9+/]{8}=\n$/, 'AAAAAAAA=\n');
    expect(bad).not.toBe(sigLine);
    expect(openNote(good + bad, [peterVerifier])).toMatchObject({ ok: false, error: { type: 'invalid-signature' } });
  });

  it('repeated lines count once', () => {
    const twice = good + sigLine + peterAndEnoch.signed_note.slice(peterAndEnoch.signed_note.lastIndexOf('\u2014')).repeat(2);
    const opened = must(openNote(twice, [peterVerifier]));
    expect(opened.verified.length).toBe(1);
    expect(opened.unverified.length).toBe(1);
  });

  it('two verifiers with the same name and key hash', () => {
    const impostor: NoteVerifier = { name: peterVerifier.name, keyHash: peterVerifier.keyHash, verify: () => true };
    expect(openNote(good, [peterVerifier, impostor])).toMatchObject({ ok: false, error: { type: 'ambiguous-verifier' } });
  });

  it('a verifier that throws counts as a failed verification', () => {
    const broken: NoteVerifier = { name: peterVerifier.name, keyHash: peterVerifier.keyHash, verify: () => { throw new Error('boom'); } };
    expect(openNote(good, [broken])).toMatchObject({ ok: false, error: { type: 'invalid-signature' } });
  });
});

describe('signNote refuses', () => {
  const log = freshKey('countersign.example/log');
  it.each([
    ['a text without a final newline', 'abc', 'text-not-newline-terminated'],
    ['an empty text', '', 'text-not-newline-terminated'],
    ['a control character', 'a\u0007b\n', 'control-character'],
    ['an unpaired surrogate', 'a\uDC00\n', 'lone-surrogate'],
  ])('%s', (_what, text, type) => {
    expect(signNote(text, [log.signer])).toMatchObject({ ok: false, error: { type } });
  });

  it('no signers and nothing existing', () => {
    expect(signNote('a\n', [])).toMatchObject({ ok: false, error: { type: 'no-signatures' } });
  });

  it('a signer with an invalid name', () => {
    const bad: NoteSigner = { ...log.signer, name: 'has space', sign: log.signer.sign };
    expect(signNote('a\n', [bad])).toMatchObject({ ok: false, error: { type: 'bad-signer' } });
  });

  it('an existing signature whose base64 does not carry its key hash', () => {
    const sig = must(parseNote(must(signNote('a\n', [log.signer])))).signatures[0] as NoteSignature;
    expect(signNote('a\n', [], [{ ...sig, keyHash: sig.keyHash ^ 1 }])).toMatchObject({ ok: false, error: { type: 'bad-signature-line' } });
  });
});
