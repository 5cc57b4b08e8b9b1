import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import { cosignatureMessage, cosignatureTimestamp, cosignatureVerifier, cosigner, verifyCosignature, type CosignatureVerifier } from './cosignature.js';
import { formatSignatureLine, openNote, parseNote, signNote, type NoteSignature } from './note.js';
import { decodeVerifierKey, ed25519Signer, ed25519Verifier, ed25519PublicKey, ed25519Verify, generateKey, SIGNATURE_TYPES } from './note-keys.js';
import { decodeBase64, encodeBase64, formatKeyHash } from './note-text.js';

const vectors = JSON.parse(readFileSync(new URL('./testdata/note-signed-note-vectors.json', import.meta.url), 'utf8')) as {
  unsigned_or_unverifiable: { source: string; text?: string }[];
};
const extra = JSON.parse(readFileSync(new URL('./testdata/note-extra-vkeys.json', import.meta.url), 'utf8')) as {
  cosignature_vkey_type_04: string;
  ed25519_vkey_type_01: string;
  cosignature_timestamp_sample: { base64: string; timestamp: number };
  not_a_cosignature_sample_base64: string;
};

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const witnessKeys = must(generateKey('witness.example/w1', { type: SIGNATURE_TYPES.cosignatureV1, seed: new Uint8Array(32).fill(4) }));
const witness = must(cosigner(witnessKeys.signerKey));
const witnessVerifier = must(cosignatureVerifier(witnessKeys.verifierKey));
const rootHash = new Uint8Array(createHash('sha256').update('root').digest());
const text = must(formatCheckpoint({ origin: 'countersign.example/log', size: 42, rootHash, extensions: [] }));
const T = 1_679_315_147;

describe('cosignature/v1 vectors', () => {
  const cosigned = vectors.unsigned_or_unverifiable.find((u) => u.source.includes('tlog-cosignature'))?.text as string;

  it('reads the C2SP example: key hash, timestamp 1679315147, 72 signature bytes (no key is published)', () => {
    const signature = must(parseNote(cosigned)).signatures.find((s) => s.name === 'witness.example.com/w1') as NoteSignature;
    expect(formatKeyHash(signature.keyHash)).toBe('8d66cf3f');
    expect(cosignatureTimestamp(signature)).toEqual({ ok: true, value: 1679315147 });
    expect(decodeBase64(signature.base64)?.length).toBe(4 + 8 + 64);
  });

  it('writes the signed message exactly as the spec shows it', () => {
    const body = must(parseNote(cosigned)).text;
    expect(Buffer.from(cosignatureMessage(body, 1679315147)).toString('utf8')).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });

  it('reads the timestamp of the transparency-dev sample and refuses a plain signature as a cosignature', () => {
    const sample = extra.cosignature_timestamp_sample;
    const hash = decodeBase64(sample.base64) as Uint8Array;
    const keyHash = new DataView(hash.buffer, hash.byteOffset).getUint32(0);
    expect(cosignatureTimestamp({ name: 'x', keyHash, base64: sample.base64 })).toEqual({ ok: true, value: sample.timestamp });
    const plain = decodeBase64(extra.not_a_cosignature_sample_base64) as Uint8Array;
    const plainHash = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
    expect(cosignatureTimestamp({ name: 'x', keyHash: plainHash, base64: extra.not_a_cosignature_sample_base64 })).toMatchObject({
      ok: false,
      error: { type: 'malformed' },
    });
  });

  it('makes a verifier from a published witness key (0x04), and refuses a plain 0x01 key', () => {
    expect(cosignatureVerifier(extra.cosignature_vkey_type_04)).toMatchObject({ ok: true, value: { name: 'remora.n621.de', keyHash: 0xda77ade7 } });
    expect(cosignatureVerifier(extra.ed25519_vkey_type_01)).toMatchObject({ ok: false, error: { type: 'unsupported-type' } });
  });
});

describe('cosign / verifyCosignature', () => {
  it('round-trips, with the timestamp, and the line is `— name base64(hash ‖ time ‖ sig)`', () => {
    const signature = must(witness.cosign(text, T));
    expect(signature.name).toBe('witness.example/w1');
    expect(signature.keyHash).toBe(must(decodeVerifierKey(witnessKeys.verifierKey)).keyHash);
    expect(formatSignatureLine(signature)).toMatch(/^— witness\.example\/w1 [A-Za-z0-9+/]{102}==$/);
    expect(verifyCosignature(text, signature, witnessVerifier)).toEqual({ ok: true, value: { timestamp: T } });
    expect(cosignatureTimestamp(signature)).toEqual({ ok: true, value: T });
  });

  it('the Ed25519 signature is over the cosignature/v1 message (checked with the raw public key)', () => {
    const bytes = decodeBase64(must(witness.cosign(text, T)).base64) as Uint8Array;
    const publicKey = must(ed25519PublicKey(witnessVerifier.publicKey));
    expect(ed25519Verify(publicKey, cosignatureMessage(text, T), bytes.subarray(12))).toBe(true);
    expect(ed25519Verify(publicKey, Buffer.from(text), bytes.subarray(12))).toBe(false);
  });

  it('is deterministic for one key, text and time', () => {
    expect(must(witness.cosign(text, T))).toEqual(must(witness.cosign(text, T)));
    expect(must(witness.cosign(text, T)).base64).not.toBe(must(witness.cosign(text, T + 1)).base64);
  });

  it('fails with another witness key of the same name', () => {
    const other = must(generateKey('witness.example/w1', { type: SIGNATURE_TYPES.cosignatureV1, seed: new Uint8Array(32).fill(5) }));
    const otherVerifier = must(cosignatureVerifier(other.verifierKey));
    const signature = must(witness.cosign(text, T));
    expect(verifyCosignature(text, signature, otherVerifier)).toMatchObject({ ok: false, error: { type: 'wrong-key' } });
    // Even when the line is relabelled with the other key's hash, the signature itself does not verify.
    const relabelled = relabel(signature, otherVerifier);
    expect(verifyCosignature(text, relabelled, otherVerifier)).toMatchObject({ ok: false, error: { type: 'invalid-signature' } });
  });

  it('fails on a changed checkpoint or a changed timestamp', () => {
    const signature = must(witness.cosign(text, T));
    const bigger = must(formatCheckpoint({ origin: 'countersign.example/log', size: 43, rootHash, extensions: [] }));
    expect(verifyCosignature(bigger, signature, witnessVerifier)).toMatchObject({ ok: false, error: { type: 'invalid-signature' } });
    const bytes = decodeBase64(signature.base64) as Uint8Array;
    bytes[11] = (bytes[11] as number) ^ 1;
    expect(verifyCosignature(text, { ...signature, base64: encodeBase64(bytes) }, witnessVerifier)).toMatchObject({
      ok: false,
      error: { type: 'invalid-signature' },
    });
  });

  it('covers extension lines', () => {
    const extended = must(formatCheckpoint({ origin: 'o', size: 1, rootHash, extensions: ['ext'] }));
    const signature = must(witness.cosign(extended, T));
    expect(verifyCosignature(extended, signature, witnessVerifier).ok).toBe(true);
    expect(verifyCosignature(extended.replace('ext', 'exu'), signature, witnessVerifier).ok).toBe(false);
  });

  it('refuses to cosign what is not a checkpoint, or at a bad time', () => {
    expect(witness.cosign('not\na checkpoint\n', T)).toMatchObject({ ok: false, error: { type: 'bad-checkpoint' } });
    for (const t of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(witness.cosign(text, t)).toMatchObject({ ok: false, error: { type: 'bad-timestamp' } });
    }
  });

  it('refuses malformed cosignature lines', () => {
    const signature = must(witness.cosign(text, T));
    const bytes = decodeBase64(signature.base64) as Uint8Array;
    expect(verifyCosignature(text, { ...signature, base64: encodeBase64(bytes.subarray(0, 70)) }, witnessVerifier)).toMatchObject({
      ok: false,
      error: { type: 'malformed' },
    });
    const huge = new Uint8Array(bytes);
    huge.set([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 4);
    expect(cosignatureTimestamp({ ...signature, base64: encodeBase64(huge) })).toMatchObject({ ok: false, error: { type: 'bad-timestamp' } });
  });

  it('a plain log key cannot be used as a witness key, nor a witness key as a log key', () => {
    const logKeys = must(generateKey('countersign.example/log'));
    expect(cosigner(logKeys.signerKey)).toMatchObject({ ok: false, error: { type: 'unsupported-type' } });
    expect(ed25519Signer(witnessKeys.signerKey)).toMatchObject({ ok: false, error: { type: 'unsupported-type' } });
    expect(ed25519Verifier(witnessKeys.verifierKey)).toMatchObject({ ok: false, error: { type: 'unsupported-type' } });
  });

  it('works inside openNote as a NoteVerifier, next to the log key', () => {
    const logKeys = must(generateKey('countersign.example/log'));
    const signed = must(signNote(text, [must(ed25519Signer(logKeys.signerKey))]));
    const withCosig = signed + formatSignatureLine(must(witness.cosign(text, T))) + '\n';
    const opened = must(openNote(withCosig, [must(ed25519Verifier(logKeys.verifierKey)), witnessVerifier]));
    expect(opened.verified.map((s) => s.name)).toEqual(['countersign.example/log', 'witness.example/w1']);
    // A cosignature over another checkpoint, pasted onto this one, rejects the note.
    const other = must(formatCheckpoint({ origin: 'countersign.example/log', size: 41, rootHash, extensions: [] }));
    const pasted = signed + formatSignatureLine(must(witness.cosign(other, T))) + '\n';
    expect(openNote(pasted, [must(ed25519Verifier(logKeys.verifierKey)), witnessVerifier])).toMatchObject({
      ok: false,
      error: { type: 'invalid-signature', key: { name: 'witness.example/w1' } },
    });
  });

  it('verifies any timestamp it signed', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (t) => {
        expect(verifyCosignature(text, must(witness.cosign(text, t)), witnessVerifier)).toEqual({ ok: true, value: { timestamp: t } });
      }),
      { numRuns: 50 },
    );
  });
});

function relabel(signature: NoteSignature, verifier: CosignatureVerifier): NoteSignature {
  const bytes = decodeBase64(signature.base64) as Uint8Array;
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, verifier.keyHash);
  return { name: verifier.name, keyHash: verifier.keyHash, base64: encodeBase64(bytes) };
}
