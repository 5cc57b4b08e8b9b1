// The browser witness against published vectors (transparency-dev/merkle proofs, golang.org/x/mod and C2SP
// signed notes, the same files src/tlog is tested with) and through whole rounds against a fake server:
// first visit, growth, rollback, split view, a forged proof, a forged signature, a new key.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import noteVectors from '../../src/tlog/testdata/note-signed-note-vectors.json';
import rfc6962 from '../../src/tlog/testdata/transparency-dev-merkle/rfc6962_reference_vectors.json';
import {
  HttpError,
  decodeBase64,
  encodeBase64,
  keyHash,
  leafHash,
  nodeHash,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  witness,
  type StoredCheckpoint,
  type WitnessIo,
} from './witness.ts';

interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  wantErr: boolean;
}
interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  wantErr: boolean;
}

// Vite's glob import reads every probe file at build time, so the test needs no node:fs.
const consistencyFiles = import.meta.glob<ConsistencyProbe>('../../src/tlog/testdata/transparency-dev-merkle/consistency/**/*.json', { eager: true, import: 'default' });
const inclusionFiles = import.meta.glob<InclusionProbe>('../../src/tlog/testdata/transparency-dev-merkle/inclusion/**/*.json', { eager: true, import: 'default' });
const sorted = <T,>(files: Record<string, T>): [string, T][] =>
  Object.entries(files)
    .map(([path, v]): [string, T] => [path.replace(/^.*transparency-dev-merkle\//, ''), v])
    .sort(([a], [b]) => a.localeCompare(b));

const b64 = (s: string): Uint8Array => {
  const d = decodeBase64(s);
  if (d === undefined) throw new Error(`not base64: ${s}`);
  return d;
};
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

describe('transparency-dev consistency probes', () => {
  const probes = sorted(consistencyFiles);
  it('has them all', () => expect(probes.length).toBe(98));
  it.each(probes)('%s', (_, p) => {
    expect(verifyConsistency(p.size1, p.size2, (p.proof ?? []).map(b64), b64(p.root1), b64(p.root2)).ok).toBe(!p.wantErr);
  });
});

describe('transparency-dev inclusion probes', () => {
  const probes = sorted(inclusionFiles);
  it('has them all', () => expect(probes.length).toBe(98));
  it.each(probes)('%s', (_, p) => {
    expect(verifyInclusion(b64(p.leafHash), p.leafIdx, p.treeSize, (p.proof ?? []).map(b64), b64(p.root)).ok).toBe(!p.wantErr);
  });
});

describe('RFC 6962 reference vectors', () => {
  it.each(rfc6962.consistency_proofs)('consistency from $size1 to $size2', (p) => {
    expect(verifyConsistency(p.size1, p.size2, p.proof.map(hex), hex(p.root1), hex(p.root2)).ok).toBe(true);
    const wrong = hex(p.root1);
    wrong[0] = (wrong[0] ?? 0) ^ 1;
    expect(verifyConsistency(p.size1, p.size2, p.proof.map(hex), wrong, hex(p.root2)).ok).toBe(false);
  });
  it.each(rfc6962.inclusion_proofs)('inclusion of $leaf_index_0based in $tree_size', (p) => {
    expect(verifyInclusion(hex(p.leaf_hash), p.leaf_index_0based, p.tree_size, p.proof.map(hex), hex(p.root)).ok).toBe(true);
  });
});

describe('signed notes', () => {
  const key = (vkey: string) => {
    const k = parseVerifierKey(vkey);
    if (!k.ok) throw new Error(`${vkey}: ${k.error}`);
    return k.value;
  };

  it.each(noteVectors.signed_notes.map((v) => [v.source, v] as const))('%s: every listed key verifies', (_, v) => {
    for (const vkey of v.verifier_keys) {
      const k = key(vkey);
      const want = (v.verification_result_when_saved as Record<string, boolean | undefined>)[k.name] === true;
      expect(verifyNote(v.signed_note, k).ok).toBe(want);
    }
  });

  it.each(noteVectors.signed_notes.map((v) => [v.source, v] as const))('%s: a changed byte of the text loses the signature', (_, v) => {
    const k = key(v.verifier_keys[0] as string);
    const changed = `${v.signed_note.slice(0, 3)}${v.signed_note[3] === 'x' ? 'y' : 'x'}${v.signed_note.slice(4)}`;
    expect(verifyNote(changed, k).ok).toBe(false);
  });

  it('opens the real sum.golang.org checkpoint', () => {
    const v = noteVectors.signed_notes.find((n) => n.signed_note.startsWith('go.sum database tree\n'));
    if (v === undefined) throw new Error('vector missing');
    const cp = openCheckpoint(v.signed_note, key(v.verifier_keys[0] as string));
    expect(cp.ok && { origin: cp.value.origin, size: cp.value.size, root: cp.value.root }).toEqual({
      origin: 'go.sum database tree',
      size: 6476701,
      root: 'mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=',
    });
  });

  it('refuses a checkpoint signed by another key with the same name', () => {
    const v = noteVectors.signed_notes[0];
    const other = noteVectors.signed_notes[1];
    if (v === undefined || other === undefined) throw new Error('vectors missing');
    const enoch = key(other.verifier_keys[1] as string);
    expect(verifyNote(v.signed_note, enoch)).toMatchObject({ ok: false, error: { kind: 'unsigned' } });
  });

  it('refuses malformed keys', () => {
    for (const bad of ['', 'a+b', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', noteVectors.key_pairs[0]?.skey_TEST_ONLY ?? 'x'])
      expect(parseVerifierKey(bad).ok).toBe(false);
  });
});

// ---- whole witness rounds against a fake log ------------------------------------------------------

const enc = new TextEncoder();
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(enc.encode(`entry ${i}`)));

/** RFC 6962 MTH over leaves[lo, hi). */
const mth = (lo: number, hi: number): Uint8Array => {
  if (hi - lo === 1) return leaves[lo] as Uint8Array;
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return nodeHash(mth(lo, lo + k), mth(lo + k, hi));
};
/** RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b). */
const subproof = (m: number, lo: number, hi: number, b: boolean): Uint8Array[] => {
  const n = hi - lo;
  if (m === n) return b ? [] : [mth(lo, hi)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  if (m <= k) return [...subproof(m, lo, lo + k, b), mth(lo + k, hi)];
  return [...subproof(m - k, lo + k, hi, false), mth(lo, lo + k)];
};

const secret = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const otherSecret = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
const vkeyOf = (name: string, sk: Uint8Array): string => {
  const pub = ed25519.getPublicKey(sk);
  return `${name}+${keyHash(name, 1, pub).toString(16).padStart(8, '0')}+${encodeBase64(Uint8Array.of(1, ...pub))}`;
};
const sign = (name: string, sk: Uint8Array, body: string): string => {
  const pub = ed25519.getPublicKey(sk);
  const kh = keyHash(name, 1, pub);
  const sig = ed25519.sign(enc.encode(body), sk);
  return `${body}\n\u2014 ${name} ${encodeBase64(Uint8Array.of(kh >>> 24, (kh >>> 16) & 255, (kh >>> 8) & 255, kh & 255, ...sig))}\n`;
};
const ORIGIN = 'countersign.test/log';
const checkpointNote = (size: number, root = mth(0, size), sk = secret): string => sign('countersign.test', sk, `${ORIGIN}\n${size}\n${encodeBase64(root)}\n`);

interface FakeServer {
  note: string;
  vkey: string;
  proof: (from: number, to: number) => string[] | 'refuse';
}

const fakeIo = (server: FakeServer, store: Map<string, StoredCheckpoint>): WitnessIo => ({
  getJson: async (path) => {
    if (path === '/api/v1/log/key') return { vkey: server.vkey };
    const m = /^\/log\/proof\/consistency\?from=(\d+)&to=(\d+)$/.exec(path);
    if (m === null) throw new HttpError(404, path);
    const p = server.proof(Number(m[1]), Number(m[2]));
    if (p === 'refuse') throw new HttpError(400, 'no');
    return { from: Number(m[1]), to: Number(m[2]), proof: p };
  },
  getText: async () => server.note,
  load: (origin) => store.get(origin) ?? null,
  save: (s) => store.set(s.origin, s),
  now: () => 1_700_000_000_000,
});
const honestProof = (from: number, to: number): string[] => subproof(from, 0, to, true).map(encodeBase64);

describe('a witness round', () => {
  const server = (size: number): FakeServer => ({ note: checkpointNote(size), vkey: vkeyOf('countersign.test', secret), proof: honestProof });

  it('the fake log is right: its own proofs verify', () => {
    for (let m = 1; m <= 20; m++)
      for (let n = m; n <= 20; n++) expect(verifyConsistency(m, n, subproof(m, 0, n, true), mth(0, m), mth(0, n)).ok).toBe(true);
  });

  it('remembers the first checkpoint it sees, and accepts growth it can prove', async () => {
    const store = new Map<string, StoredCheckpoint>();
    const first = await witness(fakeIo(server(7), store));
    expect(first).toMatchObject({ status: 'ok', previous: null, checkpoint: { size: 7 } });
    expect(store.get(ORIGIN)?.size).toBe(7);
    const same = await witness(fakeIo(server(7), store));
    expect(same).toMatchObject({ status: 'ok', previous: { size: 7 } });
    const grown = await witness(fakeIo(server(33), store));
    expect(grown).toMatchObject({ status: 'ok', previous: { size: 7 }, checkpoint: { size: 33 } });
    expect(store.get(ORIGIN)?.size).toBe(33);
  });

  it('calls a smaller tree a rollback and keeps the old checkpoint', async () => {
    const store = new Map<string, StoredCheckpoint>();
    await witness(fakeIo(server(20), store));
    const r = await witness(fakeIo(server(12), store));
    expect(r).toMatchObject({ status: 'alarm', alarm: { kind: 'rollback' }, previous: { size: 20 }, checkpoint: { size: 12 } });
    expect(store.get(ORIGIN)?.size).toBe(20);
  });

  it('calls another root at the same size a split view', async () => {
    const store = new Map<string, StoredCheckpoint>();
    await witness(fakeIo(server(9), store));
    const forged = { ...server(9), note: checkpointNote(9, mth(1, 10)) };
    const r = await witness(fakeIo(forged, store));
    expect(r).toMatchObject({ status: 'alarm', alarm: { kind: 'split-view' } });
    expect(store.get(ORIGIN)?.root).toBe(encodeBase64(mth(0, 9)));
  });

  it('refuses a larger tree that does not extend the old one', async () => {
    const store = new Map<string, StoredCheckpoint>();
    await witness(fakeIo(server(9), store));
    // A rewritten history: entry 3 changed, signed with the real key, with an honest-looking proof of the new tree.
    const saved = leaves[3] as Uint8Array;
    leaves[3] = leafHash(enc.encode('rewritten'));
    const rewritten: FakeServer = { note: checkpointNote(16), vkey: vkeyOf('countersign.test', secret), proof: honestProof };
    const r = await witness(fakeIo(rewritten, store));
    leaves[3] = saved;
    expect(r).toMatchObject({ status: 'alarm', alarm: { kind: 'inconsistent' }, previous: { size: 9 } });
    expect(store.get(ORIGIN)?.size).toBe(9);
  });

  it('refuses a server that will not prove its growth', async () => {
    const store = new Map<string, StoredCheckpoint>();
    await witness(fakeIo(server(5), store));
    const r = await witness(fakeIo({ ...server(6), proof: () => 'refuse' }, store));
    expect(r).toMatchObject({ status: 'alarm', alarm: { kind: 'inconsistent' } });
    const busy = await witness(fakeIo({ ...server(6), proof: () => { throw new HttpError(503, 'overloaded'); } }, store));
    expect(busy).toMatchObject({ status: 'unavailable' });
    const garbage = await witness(fakeIo({ ...server(6), proof: () => ['not base64!'] }, store));
    expect(garbage).toMatchObject({ status: 'alarm', alarm: { kind: 'inconsistent' } });
    expect(store.get(ORIGIN)?.size).toBe(5);
  });

  it('refuses a checkpoint whose signature does not verify, and a new key', async () => {
    const store = new Map<string, StoredCheckpoint>();
    await witness(fakeIo(server(5), store));
    const note = checkpointNote(6);
    const tampered = note.replace(/\n6\n/, '\n7\n');
    expect(await witness(fakeIo({ ...server(6), note: tampered }, store))).toMatchObject({ status: 'alarm', alarm: { kind: 'bad-checkpoint' }, checkpoint: null });
    const rekeyed: FakeServer = { note: checkpointNote(6, mth(0, 6), otherSecret), vkey: vkeyOf('countersign.test', otherSecret), proof: honestProof };
    expect(await witness(fakeIo(rekeyed, store))).toMatchObject({ status: 'alarm', alarm: { kind: 'key-changed' } });
    expect(store.get(ORIGIN)?.size).toBe(5);
  });

  it('concludes nothing when the server cannot be asked', async () => {
    const store = new Map<string, StoredCheckpoint>();
    const io = { ...fakeIo(server(5), store), getText: async () => Promise.reject(new Error('offline')) };
    expect(await witness(io)).toMatchObject({ status: 'unavailable' });
    expect(store.size).toBe(0);
  });
});
