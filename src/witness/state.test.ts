import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { emptyRoot } from '../tlog/hash.js';
import { WitnessState, witnessDbPath } from './state.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cs-witness-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const root = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const LOG = { origin: 'countersign/site-a/0011223344', verifierKey: 'countersign/site-a/0011223344+01234567+AQ==' };

describe('WitnessState', () => {
  it('is its own SQLite file, WAL and synchronous=FULL, starting every configured log at size 0 with the empty root', () => {
    const dir = tempDir();
    const state = WitnessState.open(dir, new FakeClock(1000));
    state.configure([LOG]);
    const db = new BetterSqlite3(witnessDbPath(dir), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const conn = (state as unknown as { db: BetterSqlite3.Database }).db;
    expect(conn.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(state.latest(LOG.origin)).toEqual({ origin: LOG.origin, verifierKey: LOG.verifierKey, size: 0, rootHash: emptyRoot(), note: undefined, updatedAt: undefined });
    expect(state.latest('other')).toBeUndefined();
    state.close();
  });

  it('moves the size only from the stored one, and keeps it across a restart', () => {
    const dir = tempDir();
    const clock = new FakeClock(5_000);
    const state = WitnessState.open(dir, clock);
    state.configure([LOG]);
    expect(state.checkAndStore(LOG.origin, 0, 4, root(4), 'note 4')).toEqual({ ok: true, value: { previousSize: 0 } });
    expect(state.checkAndStore(LOG.origin, 0, 9, root(9), 'note 9')).toEqual({ ok: false, error: { kind: 'conflict', storedSize: 4 } });
    expect(state.checkAndStore(LOG.origin, 4, 3, root(3), 'note 3')).toEqual({ ok: false, error: { kind: 'rollback', storedSize: 4 } });
    expect(state.checkAndStore('never configured', 0, 1, root(1), 'x')).toEqual({ ok: false, error: { kind: 'unknown-log' } });
    state.close();

    const again = WitnessState.open(dir, clock);
    expect(again.latest(LOG.origin)).toMatchObject({ size: 4, rootHash: root(4), note: 'note 4', updatedAt: 5_000 });
    // A changed key is recorded, and the log keeps what it had cosigned under the old one.
    expect(again.configure([{ ...LOG, verifierKey: 'new+key' }])).toEqual([LOG.origin]);
    expect(again.latest(LOG.origin)).toMatchObject({ verifierKey: 'new+key', size: 4, rootHash: root(4) });
    expect(again.configure([{ ...LOG, verifierKey: 'new+key' }])).toEqual([]);
    again.close();
  });

  it('keeps evidence per log, the most recent ones only', () => {
    const state = WitnessState.open(tempDir(), new FakeClock(7));
    state.configure([LOG]);
    for (let i = 0; i < 1003; i++) state.recordEvidence(LOG.origin, `bad-proof ${i}`, `body ${i}`);
    const kept = state.evidence(LOG.origin);
    expect(kept).toHaveLength(1000);
    expect(kept[0]).toEqual({ reason: 'bad-proof 3', body: 'body 3', receivedAt: 7 });
    expect(kept.at(-1)?.reason).toBe('bad-proof 1002');
    state.close();
  });
});

// Two threads, each with its own connection, race checkAndStore on the same old size, round after round, released
// together by a barrier. A check-then-store that read outside the write lock would let both win some round.
const WORKER = `
import { workerData, parentPort } from 'node:worker_threads';
const { WitnessState } = await import(workerData.bundle);
const clock = { now: () => 0 };
const state = WitnessState.open(workerData.dir, clock);
const barrier = new Int32Array(workerData.barrier);
const wins = [];
for (let r = 0; r < workerData.rounds; r++) {
  const arrived = Atomics.add(barrier, 0, 1) + 1;
  for (let seen = arrived; seen < 2 * (r + 1); seen = Atomics.load(barrier, 0)) Atomics.wait(barrier, 0, seen, 50);
  const got = state.checkAndStore(workerData.origin, r, r + 1, new Uint8Array(32).fill(workerData.id), 'worker ' + workerData.id);
  wins.push(got.ok ? 'ok' : got.error.kind + ':' + got.error.storedSize);
}
state.close();
parentPort.postMessage(wins);
`;

const bundleState = async (dir: string): Promise<string> => {
  // The worker runs plain Node, which cannot load TypeScript: bundle state.ts (and what it imports) for it.
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({ input: new URL('./state.ts', import.meta.url).pathname, platform: 'node', external: [/^node:/, 'better-sqlite3'], logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm' });
  const sqlite = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;
  const file = join(dir, 'state.bundle.mjs');
  writeFileSync(file, (output[0]?.code ?? '').replace(/from "better-sqlite3"/g, `from ${JSON.stringify(sqlite)}`));
  return pathToFileURL(file).href;
};

describe('checkAndStore under concurrency', () => {
  it('lets exactly one of two connections move the same old size, every round', async () => {
    const dir = tempDir();
    const bundle = await bundleState(tempDir());
    const setup = WitnessState.open(dir, new FakeClock(0));
    setup.configure([LOG]);
    const rounds = 200;
    const barrier = new SharedArrayBuffer(4);
    const run = (id: number): Promise<string[]> =>
      new Promise((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { bundle, dir, rounds, barrier, origin: LOG.origin, id } });
        w.once('message', resolve);
        w.once('error', reject);
      });
    const [a, b] = await Promise.all([run(1), run(2)]);
    for (let r = 0; r < rounds; r++) {
      const outcomes = [a?.[r], b?.[r]].sort();
      expect(outcomes, `round ${r}`).toEqual(['conflict:' + (r + 1), 'ok']);
    }
    expect(setup.latest(LOG.origin)?.size).toBe(rounds);
    setup.close();
  });
});
