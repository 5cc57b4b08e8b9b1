// A real `countersign witness` process on a free port, fed the checkpoints of a real Countersign log (made with
// `countersign import` and `countersign checkpoint`) and its consistency proofs, over HTTP as the log host would
// push them: cosignatures that check with the key the witness printed, a replay refused with the stored size, a
// fork refused, and the size and key kept across a restart.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTlogStore } from '../../src/store/sqlite/tlog-store.js';
import { cosignatureVerifier, ed25519Verifier, formatCheckpoint, generateKey, openCheckpoint, parseNote, signNote, ed25519Signer, verifyCosignature } from '../../src/tlog/index.js';
import { CLI, runCli, tempDir } from './helpers/countersign.js';
import { startWitness, type Witness } from './helpers/witness.js';

const SYSLOG = (from: number, n: number): string =>
  Array.from({ length: n }, (_, i) => `Jan 10 10:00:${String((from + i) % 60).padStart(2, '0')} web1 sshd[${100 + from + i}]: Accepted publickey for alice from 10.0.0.5 port ${50000 + from + i} ssh2\n`).join('');

describe('countersign witness', () => {
  const dirs: string[] = [];
  let logDir = '';
  let witnessDir = '';
  let vkey = '';
  let witness: Witness;

  const post = async (body: string): Promise<{ status: number; type: string | null; text: string }> => {
    const r = await fetch(`http://127.0.0.1:${witness.port}/add-checkpoint`, { method: 'POST', body });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  };
  const ingest = (from: number, n: number): void => {
    const f = join(logDir, '..', `${logDir.split('/').pop()}-${from}.log`);
    writeFileSync(f, SYSLOG(from, n));
    const r = runCli(['import', '--data', logDir, f]);
    expect(r.status, r.stderr).toBe(0);
  };
  const checkpoint = (): { note: string; size: number; root: Uint8Array; text: string } => {
    const r = runCli(['checkpoint', '--data', logDir]);
    expect(r.status, r.stderr).toBe(0);
    const o = openCheckpoint(r.stdout, must(ed25519Verifier(vkey)));
    if (!o.ok) throw new Error(o.error.message);
    return { note: r.stdout, size: o.value.checkpoint.size, root: o.value.checkpoint.rootHash, text: o.value.text };
  };
  const proof = (from: number, to: number): string[] => {
    const db = new BetterSqlite3(join(logDir, 'countersign.db'), { readonly: true });
    try {
      return must(new SqliteTlogStore(db).consistency(from, to)).map((h) => Buffer.from(h).toString('base64'));
    } finally {
      db.close();
    }
  };
  const cosignatureOf = (reply: string, text: string) => {
    const sig = must(parseNote(`${text}\n${reply}`)).signatures;
    expect(sig).toHaveLength(1);
    return verifyCosignature(text, sig[0]!, must(cosignatureVerifier(witness.verifierKey)));
  };

  beforeAll(async () => {
    logDir = tempDir('witness-log');
    witnessDir = tempDir('witness-data');
    dirs.push(logDir, witnessDir);
    ingest(0, 3);
    vkey = readFileSync(join(logDir, 'tlog', 'log.vkey'), 'utf8').trim();
    witness = await startWitness(witnessDir, [vkey]); // a bare key: the origin is its name
  });
  afterAll(async () => {
    await witness?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('prints a cosignature/v1 verifier key, keeps its key file private, and reports health', async () => {
    expect(witness.verifierKey).toMatch(/^countersign-witness\/[^+]+\+[0-9a-f]{8}\+/);
    expect(cosignatureVerifier(witness.verifierKey).ok).toBe(true);
    expect(readFileSync(join(witnessDir, 'witness.vkey'), 'utf8').trim()).toBe(witness.verifierKey);
    expect(statSync(join(witnessDir, 'witness.key')).mode & 0o777).toBe(0o600);
    const h = await fetch(`http://127.0.0.1:${witness.port}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: 'ok', verifierKey: witness.verifierKey, logs: [{ size: 0 }] });
  });

  it('cosigns a real log as it grows, refuses replays and forks, and remembers across a restart', async () => {
    const first = checkpoint();
    const r1 = await post(`old 0\n\n${first.note}`);
    expect(r1.status, r1.text).toBe(200);
    expect(cosignatureOf(r1.text, first.text).ok).toBe(true);

    ingest(3, 5);
    const second = checkpoint();
    expect(second.size).toBeGreaterThan(first.size);
    const p = proof(first.size, second.size);
    const r2 = await post(`old ${first.size}\n${p.map((h) => `${h}\n`).join('')}\n${second.note}`);
    expect(r2.status, r2.text).toBe(200);
    expect(cosignatureOf(r2.text, second.text).ok).toBe(true);
    // The log host keeps the cosigned checkpoint: it opens with the log key and the witness key.
    const cosigned = `${second.note}${r2.text}`;
    expect(openCheckpoint(cosigned, must(ed25519Verifier(vkey)), [must(cosignatureVerifier(witness.verifierKey))]).ok).toBe(true);

    // A replay of the old size: 409 with the size the witness holds.
    const replay = await post(`old ${first.size}\n${p.map((h) => `${h}\n`).join('')}\n${second.note}`);
    expect(replay).toEqual({ status: 409, type: 'text/x.tlog.size', text: `${second.size}\n` });

    // A fork at the same size, signed with the real log key (as a host rewriting history would): refused.
    const signer = must(ed25519Signer(readFileSync(join(logDir, 'tlog', 'log.key'), 'utf8').trim()));
    const forged = second.root.map((b, i) => (i === 0 ? b ^ 0xff : b));
    const forkNote = must(signNote(must(formatCheckpoint({ origin: signer.name, size: second.size, rootHash: forged, extensions: [] })), [signer]));
    const fork = await post(`old ${second.size}\n\n${forkNote}`);
    expect(fork.status).toBe(409);
    expect(fork.type).toMatch(/^text\/plain/);
    expect(fork.text).toMatch(/^[^\n]+\n$/);

    // Wrong key (a log this witness does not know): 404; garbage: 400.
    const other = must(generateKey('elsewhere/log'));
    const otherNote = must(signNote(must(formatCheckpoint({ origin: 'elsewhere/log', size: 0, rootHash: new Uint8Array(32), extensions: [] })), [must(ed25519Signer(other.signerKey))]));
    expect((await post(`old 0\n\n${otherNote}`)).status).toBe(404);
    expect((await post('hello')).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${witness.port}/add-checkpoint`, { method: 'POST' })).status).toBe(400);

    // Restart on the same data: same key, same size.
    const key = witness.verifierKey;
    expect(await witness.stop()).toBe(0);
    witness = await startWitness(witnessDir, [`${signer.name}=${vkey}`]);
    expect(witness.verifierKey).toBe(key);
    expect(await post(`old 0\n\n${first.note}`)).toEqual({ status: 409, type: 'text/x.tlog.size', text: `${second.size}\n` });
  });

  it('refuses to start without a log, or with a log key that is not one', () => {
    const scratch = tempDir('witness-refused');
    dirs.push(scratch);
    const none = runCli(['witness', '--data', scratch, '--listen', '127.0.0.1:0']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--log/);
    const bad = runCli(['witness', '--data', scratch, '--listen', '127.0.0.1:0', '--log', 'a/log=not-a-key']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--log a\/log/);
  });
});

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}
