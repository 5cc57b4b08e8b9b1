import { hash } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openReader, openWalCheckpoint, openWriter, prepareStore, setWalCheckpoints } from '../index.js';
import type { NewRecord } from '../types.js';
import { openSqlite } from './open.js';

const batch = (from: number, n: number): NewRecord[] =>
  Array.from({ length: n }, (_, i) => {
    const raw = Buffer.from(`<13>Nov 30 10:00:00 host app[1]: record ${from + i} ${'x'.repeat(200)}`);
    return {
      receivedAt: 1_800_000_000_000,
      conn: { key: 1, transport: 'tcp', peer: '10.0.0.1:5000', peerIdentity: null },
      raw,
      rawSha256: hash('sha256', raw, 'buffer') as unknown as Buffer,
      envelope: null,
      unparsedReason: 'no-envelope',
    };
  });

describe('WAL checkpoints on a connection of their own (serve)', () => {
  afterEach(() => setWalCheckpoints('auto'));

  it("leaves checkpoints to SQLite's commits by default, and to the checkpoint thread under serve", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-wal-'));
    await prepareStore(dir);
    const auto = openSqlite(dir);
    expect(auto.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    setWalCheckpoints('thread');
    const thread = openSqlite(dir);
    expect(thread.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    auto.close();
    thread.close();
  });

  it('commits never checkpoint; a checkpoint round copies the WAL and the next commit starts it over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-wal-'));
    await prepareStore(dir);
    setWalCheckpoints('thread');
    const w = openWriter(dir);
    const wal = openWalCheckpoint(dir);
    const walBytes = (): number => statSync(join(dir, 'countersign.db-wal')).size;

    // Well past SQLite's auto-checkpoint point (1000 pages): with 'thread' no commit copied anything.
    let n = 0;
    for (; n < 30_000; n += 1000) w.appendSync(batch(n, 1000));
    const grown = wal.run('passive');
    expect(grown.busy).toBe(false);
    expect(grown.walFrames).toBeGreaterThan(100);
    expect(grown.checkpointed).toBe(grown.walFrames);
    const peak = walBytes();

    // Once copied, the next commit writes the WAL from the start again: the file stops growing.
    for (let i = 0; i < 5; i++, n += 1000) {
      w.appendSync(batch(n, 1000));
      expect(wal.run(i % 2 === 0 ? 'passive' : 'restart')).toMatchObject({ busy: false, walFrames: expect.any(Number) });
      expect(walBytes()).toBe(peak);
    }
    expect(wal.run('passive').walFrames).toBeLessThan(grown.walFrames / 4);

    wal.close();
    w.close();
    const r = openReader(dir, { readonly: true });
    expect((await r.stats()).records).toBe(n);
    await r.close();
  });
});
