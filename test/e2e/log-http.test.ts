// The tamper-evident log as an outsider sees it over HTTP from a running server fed by real `logger`:
// signed checkpoints that open with the verifier key the server printed, inclusion proofs of received
// records that reach the signed root, consistency between two checkpoints, and raw C2SP tiles — all
// checked with the tlog library, not with anything the server computed for us.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ed25519Verifier, leafHash, openCheckpoint, verifyConsistency, verifyInclusion, type NoteVerifier } from '../../src/tlog/index.js';
import { startServer, testConfig, type RunningServer } from './helpers/countersign.js';
import { signInToServer, type ServerSession } from '../helpers/auth.js';
import { describeWithTools } from './helpers/require-tool.js';

const execFileP = promisify(execFile);
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

describeWithTools(['logger'], 'the log over HTTP', () => {
  let server: RunningServer;
  let verifier: NoteVerifier;
  let viewer: ServerSession;
  /** Entries in the tree before the test sends anything: the server's own (accounts, sign-in). */
  let own: number;
  const get = async (path: string): Promise<Response> => viewer.fetch(path);

  const send = async (lines: string[]): Promise<void> => {
    for (const l of lines) await execFileP('logger', ['--tcp', '--server', '127.0.0.1', '--port', String(server.ports.tcp), '--rfc5424', '-t', 'sshd', l], { timeout: 30_000 });
  };
  const checkpoint = async (): Promise<{ size: number; root: Uint8Array; note: string }> => {
    const note = await (await get('/log/checkpoint')).text();
    const o = openCheckpoint(note, verifier);
    if (!o.ok) throw new Error(`checkpoint does not open: ${o.error.message}`);
    return { size: o.value.checkpoint.size, root: o.value.checkpoint.rootHash, note };
  };
  const waitForSize = async (n: number): Promise<{ size: number; root: Uint8Array; note: string }> => {
    for (let i = 0; i < 200; i++) {
      const r = await get('/log/checkpoint');
      if (r.status === 200) {
        const c = await checkpoint();
        if (c.size >= n) return c;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no checkpoint of ${n} entries`);
  };

  beforeAll(async () => {
    server = await startServer({ config: testConfig({ tlog: { checkpointIntervalSeconds: 1 } }) });
    const line = await server.waitForLog((l) => typeof l.verifierKey === 'string');
    const v = ed25519Verifier(line.verifierKey as string);
    if (!v.ok) throw new Error(v.error.message);
    verifier = v.value;
    viewer = await signInToServer(server);
    own = ((await (await get('/healthz')).json()) as { tlog: { treeSize: number } }).tlog.treeSize;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('proves every received record is in the signed tree, and the tree only grows', async () => {
    await send(['Accepted publickey for alice from 10.0.0.5 port 50001 ssh2', 'Disconnected from user alice 10.0.0.5 port 50001']);
    // The log is for signed-in viewers.
    expect((await fetch(server.url('/log/checkpoint'))).status).toBe(401);
    const first = await waitForSize(own + 2);
    await send(['Accepted password for bob from 10.0.0.6 port 50002 ssh2', 'Failed password for root from 203.0.113.9 port 4444 ssh2', 'Disconnected from user bob 10.0.0.6 port 50002']);
    const second = await waitForSize(first.size + 3);

    // Each record: the entry hashes to the leaf, and the proof reaches the root the key signed.
    const transports: string[] = [];
    for (let seq = 0; seq < second.size; seq++) {
      const r = (await (await get(`/log/proof/record/${seq}`)).json()) as { index: number; size: number; entry: string; leafHash: string; proof: string[]; checkpoint: string };
      const cp = openCheckpoint(r.checkpoint, verifier);
      expect(cp.ok).toBe(true);
      if (!cp.ok) return;
      const leaf = leafHash(Buffer.from(r.entry, 'utf8'));
      expect(Buffer.from(leaf).toString('base64')).toBe(r.leafHash);
      expect(verifyInclusion(leaf, r.index, cp.value.checkpoint.size, r.proof.map(b64), cp.value.checkpoint.rootHash).ok).toBe(true);
      // and the entry names the record's bytes by their SHA-256
      expect(JSON.parse(r.entry)).toMatchObject({ type: 'record.receive', transport: expect.stringMatching(/^(tcp|internal)$/), rawSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      transports.push((JSON.parse(r.entry) as { transport: string }).transport);
    }
    // The five sent, and the server's own entries (first admin, the viewer above and its sign-in) first.
    expect(transports.filter((t) => t === 'tcp')).toHaveLength(5);
    expect(transports.slice(0, own).every((t) => t === 'internal')).toBe(true);
    // The later tree extends the earlier one.
    const c = (await (await get(`/log/proof/consistency?from=${first.size}&to=${second.size}`)).json()) as { proof: string[] };
    expect(verifyConsistency(first.size, second.size, c.proof.map(b64), first.root, second.root).ok).toBe(true);
    // A wrong old root does not.
    const wrong = new Uint8Array(first.root);
    wrong[0]! ^= 1;
    expect(verifyConsistency(first.size, second.size, c.proof.map(b64), wrong, second.root).ok).toBe(false);
  });

  it('serves the raw level-0 tile, whose hashes are the leaves', async () => {
    const c = await checkpoint();
    const width = Math.min(c.size, 256);
    const tile = new Uint8Array(await (await get(`/log/tile/0/000${width < 256 ? `.p/${width}` : ''}`)).arrayBuffer());
    expect(tile.length).toBe(width * 32);
    const r = (await (await get('/log/proof/record/0')).json()) as { leafHash: string };
    expect(Buffer.from(tile.subarray(0, 32)).toString('base64')).toBe(r.leafHash);
  });

  it('reports the tree and the latest checkpoint on /healthz and /metrics', async () => {
    const c = await checkpoint();
    const h = (await (await get('/healthz')).json()) as { tlog: { treeSize: number; checkpointSize: number; witnesses: number } };
    expect(h.tlog.treeSize).toBeGreaterThanOrEqual(c.size);
    expect(h.tlog.checkpointSize).toBeGreaterThanOrEqual(c.size);
    expect(h.tlog.witnesses).toBe(0);
    const m = await (await get('/metrics')).text();
    expect(m).toMatch(new RegExp(`countersign_tlog\\{what="tree_size"\\} ${h.tlog.treeSize}\\b`));
    expect(m).toMatch(/countersign_derive\{what="lag_records"\} \d+/);
  });

  it('refuses bad proof requests with a reason', async () => {
    expect((await get('/log/proof/inclusion?index=5&size=2')).status).toBe(400);
    expect((await get('/log/proof/inclusion?index=0&size=999999')).status).toBe(400);
    expect((await get('/log/proof/consistency?from=x&to=1')).status).toBe(400);
    expect((await get('/log/proof/record/999999')).status).toBe(404);
    expect((await get('/log/tile/0/../../etc')).status).toBeGreaterThanOrEqual(400);
  });
});
