import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { formatCheckpoint, openCheckpoint } from '../tlog/checkpoint.js';
import { cosignatureVerifier, cosigner, verifyCosignature } from '../tlog/cosignature.js';
import { emptyRoot } from '../tlog/hash.js';
import { parseNote, signNote } from '../tlog/note.js';
import { ed25519Signer, ed25519Verifier, generateKey, SIGNATURE_TYPES, type NoteVerifier } from '../tlog/note-keys.js';
import { consistencyProof } from '../tlog/proofs.js';
import { memoryHashReader, testLeaves } from '../tlog/testing.js';
import { rootFromLeafHashes } from '../tlog/tree.js';
import { addCheckpoint, MAX_PROOF_LINES, type AddCheckpointDeps } from './add-checkpoint.js';
import { WitnessState, type StoreRefusal, type WitnessedLog, type WitnessStatePort } from './state.js';

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const ORIGIN = 'countersign/site-a/a1b2c3d4e5f6';
const logKeys = must(generateKey(ORIGIN, { seed: new Uint8Array(32).fill(1) }));
const logSigner = must(ed25519Signer(logKeys.signerKey));
const logVerifier = must(ed25519Verifier(logKeys.verifierKey));
// Another key under the same name: what a host that lost (or replaced) the log key would sign with.
const forgerSigner = must(ed25519Signer(must(generateKey(ORIGIN, { seed: new Uint8Array(32).fill(2) })).signerKey));
const witnessKeys = must(generateKey('witness.example/w1', { type: SIGNATURE_TYPES.cosignatureV1, seed: new Uint8Array(32).fill(3) }));
const witnessVerifier = must(cosignatureVerifier(witnessKeys.verifierKey));
const T0 = 1_700_000_000_250;

const b64 = (h: Uint8Array): string => Buffer.from(h).toString('base64');
const signed = (leaves: readonly Uint8Array[], signer = logSigner, origin = ORIGIN): string =>
  must(signNote(must(formatCheckpoint({ origin, size: leaves.length, rootHash: rootFromLeafHashes(leaves), extensions: [] })), [signer]));
const proof = (leaves: readonly Uint8Array[], from: number): Uint8Array[] =>
  from === 0 || from === leaves.length ? [] : must(consistencyProof(from, leaves.length, memoryHashReader(leaves)));
const body = (old: number, proofHashes: readonly Uint8Array[], note: string): string => `old ${old}\n${proofHashes.map((h) => `${b64(h)}\n`).join('')}\n${note}`;
const request = (leaves: readonly Uint8Array[], from: number): string => body(from, proof(leaves, from), signed(leaves));

const tree = testLeaves(40);
const fork = [...tree.slice(0, 10), ...testLeaves(30, 7)]; // agrees with `tree` on its first 10 leaves only

describe('add-checkpoint over a real SQLite state', () => {
  let dir: string;
  let state: WitnessState;
  let clock: FakeClock;
  let deps: AddCheckpointDeps;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-witness-'));
    clock = new FakeClock(T0);
    state = WitnessState.open(dir, clock);
    state.configure([{ origin: ORIGIN, verifierKey: logKeys.verifierKey }]);
    deps = { logs: new Map<string, NoteVerifier>([[ORIGIN, logVerifier]]), state, cosigner: must(cosigner(witnessKeys.signerKey)), clock };
  });
  afterEach(() => {
    state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cosignedLine = (reply: { body: string }, note: string) => {
    const text = must(parseNote(note)).text;
    const lines = reply.body.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.length).toBe(2);
    const sig = must(parseNote(`${text}\n${reply.body}`)).signatures[0]!;
    return must(verifyCosignature(text, sig, witnessVerifier));
  };

  it('cosigns the first checkpoint from old size 0, and a later one with a valid proof', () => {
    const first = addCheckpoint(request(tree.slice(0, 10), 0), deps);
    expect(first).toMatchObject({ kind: 'cosigned', status: 200, contentType: 'text/plain; charset=utf-8' });
    expect(cosignedLine(first, signed(tree.slice(0, 10)))).toEqual({ timestamp: Math.floor(T0 / 1000) });
    expect(state.latest(ORIGIN)).toMatchObject({ size: 10, rootHash: rootFromLeafHashes(tree.slice(0, 10)), updatedAt: T0 });

    clock.advance(61_000);
    const second = addCheckpoint(request(tree.slice(0, 27), 10), deps);
    expect(second.status).toBe(200);
    expect(cosignedLine(second, signed(tree.slice(0, 27)))).toEqual({ timestamp: Math.floor(T0 / 1000) + 61 });
    // The stored note carries the log's signature and this witness's cosignature, and opens with both keys.
    const stored = state.latest(ORIGIN)!;
    expect(stored.size).toBe(27);
    const opened = must(openCheckpoint(stored.note!, logVerifier, [witnessVerifier]));
    expect(opened.checkpoint.size).toBe(27);
    expect(opened.cosignatures.map((s) => s.name)).toEqual(['witness.example/w1']);
  });

  it('answers a stale old size with 409 and the stored size as text/x.tlog.size, changing nothing', () => {
    expect(addCheckpoint(request(tree.slice(0, 10), 0), deps).status).toBe(200);
    expect(addCheckpoint(request(tree.slice(0, 20), 10), deps).status).toBe(200);
    const before = state.latest(ORIGIN);
    for (const replay of [request(tree.slice(0, 20), 10), request(tree.slice(0, 30), 10), request(tree.slice(0, 30), 0)]) {
      expect(addCheckpoint(replay, deps)).toMatchObject({ kind: 'stale-old-size', status: 409, contentType: 'text/x.tlog.size', body: '20\n' });
    }
    // An old size above the checkpoint's own is a malformed request (the rolled-back log's checkpoint, sent as is).
    expect(addCheckpoint(body(20, [], signed(tree.slice(0, 15))), deps)).toMatchObject({ kind: 'old-size-too-large', status: 400 });
    expect(state.latest(ORIGIN)).toEqual(before);
  });

  it('re-cosigns the same checkpoint (same size, same root) with an empty proof', () => {
    expect(addCheckpoint(request(tree.slice(0, 12), 0), deps).status).toBe(200);
    const again = addCheckpoint(body(12, [], signed(tree.slice(0, 12))), deps);
    expect(again.status).toBe(200);
    expect(state.latest(ORIGIN)?.size).toBe(12);
  });

  it('refuses a fork, whether at the same size or through a proof, and keeps the evidence', () => {
    expect(addCheckpoint(request(tree.slice(0, 20), 0), deps).status).toBe(200);
    const before = state.latest(ORIGIN);

    // Same size, different root.
    const sameSize = addCheckpoint(body(20, [], signed(fork.slice(0, 20))), deps);
    expect(sameSize).toMatchObject({ kind: 'root-mismatch', status: 409, contentType: 'text/plain; charset=utf-8' });
    expect(sameSize.body).toMatch(/^[^\n]+\n$/);
    // A larger forked tree, with its own (honest) consistency proof from its size 20: it does not reach our root.
    expect(addCheckpoint(request(fork.slice(0, 35), 20), deps)).toMatchObject({ kind: 'bad-proof', status: 422 });
    // The real tree's proof, presented with the forked checkpoint.
    expect(addCheckpoint(body(20, proof(tree.slice(0, 35), 20), signed(fork.slice(0, 35))), deps)).toMatchObject({ kind: 'bad-proof', status: 422 });
    // A proof with a hash flipped, a hash missing, and one too many.
    const good = proof(tree.slice(0, 35), 20);
    const flipped = good.map((h, i) => (i === 0 ? h.map((b, j) => (j === 0 ? b ^ 1 : b)) : h));
    for (const p of [flipped, good.slice(1), [...good, good[0]!]]) {
      expect(addCheckpoint(body(20, p, signed(tree.slice(0, 35))), deps)).toMatchObject({ kind: 'bad-proof', status: 422 });
    }
    expect(state.latest(ORIGIN)).toEqual(before);
    expect(state.evidence(ORIGIN).map((e) => e.reason.split(':')[0])).toEqual(['root-mismatch', 'bad-proof', 'bad-proof', 'bad-proof', 'bad-proof', 'bad-proof']);
    // The honest extension still goes through.
    expect(addCheckpoint(request(tree.slice(0, 35), 20), deps).status).toBe(200);
  });

  it('handles the empty tree: size 0 needs the empty root, and no proof comes from size 0', () => {
    expect(addCheckpoint(request([], 0), deps).status).toBe(200);
    const bogusEmpty = must(signNote(must(formatCheckpoint({ origin: ORIGIN, size: 0, rootHash: new Uint8Array(32), extensions: [] })), [logSigner]));
    expect(addCheckpoint(body(0, [], bogusEmpty), deps)).toMatchObject({ kind: 'bad-proof', status: 422 });
    expect(addCheckpoint(body(0, [tree[0]!], signed(tree.slice(0, 4))), deps)).toMatchObject({ kind: 'bad-proof', status: 422 });
    expect(state.latest(ORIGIN)).toMatchObject({ size: 0, rootHash: emptyRoot() });
  });

  it('refuses a checkpoint not signed by the configured key (403) and an origin it does not witness (404)', () => {
    expect(addCheckpoint(request(tree.slice(0, 5), 0), deps).status).toBe(200);
    const forged = addCheckpoint(body(5, proof(tree.slice(0, 9), 5), signed(tree.slice(0, 9), forgerSigner)), deps);
    expect(forged).toMatchObject({ kind: 'bad-signature', status: 403 });
    // A broken signature by the right key.
    const note = signed(tree.slice(0, 9));
    const broken = note.replace(/ (\S{10})(\S+)\n$/, (_m, a: string, rest: string) => ` ${a}${rest.startsWith('A') ? 'B' : 'A'}${rest.slice(1)}\n`);
    expect(broken).not.toBe(note);
    expect(addCheckpoint(body(5, proof(tree.slice(0, 9), 5), broken), deps)).toMatchObject({ kind: 'bad-signature', status: 403 });
    // A signature by an unknown key (same name, another key hash) is ignored next to the log's own.
    const withExtra = must(signNote(must(parseNote(note)).text, [forgerSigner, logSigner]));
    expect(must(parseNote(withExtra)).signatures).toHaveLength(2);
    expect(addCheckpoint(body(5, proof(tree.slice(0, 9), 5), withExtra), deps).status).toBe(200);
    expect(addCheckpoint(body(0, [], signed(tree.slice(0, 3), logSigner, 'someone.else/log')), deps)).toMatchObject({ kind: 'unknown-log', status: 404 });
    expect(state.latest(ORIGIN)?.size).toBe(9);
  });

  it('refuses malformed bodies with 400 and a one-line reason', () => {
    const note = signed(tree.slice(0, 4));
    const h = b64(tree[0]!);
    const cases = [
      '',
      note,
      `old 0\n${note}`,
      `old 00\n\n${note}`,
      `old -1\n\n${note}`,
      `old 1e3\n\n${note}`,
      `Old 0\n\n${note}`,
      `old  0\n\n${note}`,
      `old 0 \n\n${note}`,
      `old 9007199254740993\n\n${note}`,
      `old 0\r\n\r\n${note}`,
      `old 0\n${h.slice(0, -1)}\n\n${note}`,
      `old 0\n${b64(new Uint8Array(31))}\n\n${note}`,
      `old 0\n${h} \n\n${note}`,
      `old 0\n${`${h}\n`.repeat(MAX_PROOF_LINES + 1)}\n${note}`,
      'old 0\n\n',
      'old 0\n\nnot a checkpoint\n\n— x AAAAAAAA\n',
      `old 0\n\n${note.replace('\n\n', '\n')}`,
      `old 0\n\n${note}\n`,
    ];
    for (const c of cases) {
      const r = addCheckpoint(c, deps);
      expect(r.status, JSON.stringify(c.slice(0, 40))).toBe(400);
      expect(r.body).toMatch(/^[^\n]+\n$/);
    }
    expect(addCheckpoint(new Uint8Array([0x6f, 0x6c, 0x64, 0x20, 0x30, 0x0a, 0x0a, 0xff]), deps).status).toBe(400);
    expect(state.latest(ORIGIN)?.size).toBe(0);
  });
});

// A state in memory for the property tests: thousands of requests, no disk.
class MemoryState implements WitnessStatePort {
  size = 0;
  root = emptyRoot();
  latest(origin: string): WitnessedLog | undefined {
    return origin === ORIGIN ? { origin, verifierKey: logKeys.verifierKey, size: this.size, rootHash: this.root, note: undefined, updatedAt: undefined } : undefined;
  }
  checkAndStore(_o: string, oldSize: number, newSize: number, newRoot: Uint8Array): { ok: true; value: { previousSize: number } } | { ok: false; error: StoreRefusal } {
    if (oldSize !== this.size) return { ok: false, error: { kind: 'conflict', storedSize: this.size } };
    [this.size, this.root] = [newSize, newRoot];
    return { ok: true, value: { previousSize: oldSize } };
  }
  recordEvidence(): void {}
}

describe('add-checkpoint never throws on hostile bodies', () => {
  const memoryDeps = (): AddCheckpointDeps & { state: MemoryState } => {
    const state = new MemoryState();
    state.size = 8;
    state.root = rootFromLeafHashes(tree.slice(0, 8));
    return { logs: new Map([[ORIGIN, logVerifier]]), state, cosigner: must(cosigner(witnessKeys.signerKey)), clock: new FakeClock(T0) };
  };

  it('answers any text or bytes with a 4xx and a one-line reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 2000 }).map((b) => b as Uint8Array | string)), (input) => {
        const deps = memoryDeps();
        const r = addCheckpoint(input, deps);
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(r.body).toMatch(/^[^\n]+\n$/);
        expect(deps.state.size).toBe(8);
      }),
      { numRuns: 500 },
    );
  });

  it('answers any one-character change to a valid request with a 4xx, changing nothing', () => {
    const valid = request(tree.slice(0, 21), 8);
    expect(addCheckpoint(valid, memoryDeps()).status).toBe(200);
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.string({ unit: 'binary-ascii', minLength: 0, maxLength: 2 }), (at, insert) => {
        const mutated = valid.slice(0, at) + insert + valid.slice(at + 1);
        fc.pre(mutated !== valid);
        const deps = memoryDeps();
        const r = addCheckpoint(mutated, deps);
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(deps.state.size).toBe(8);
      }),
      { numRuns: 1000 },
    );
  });
});
