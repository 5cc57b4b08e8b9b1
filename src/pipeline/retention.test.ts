import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { prepareStore } from '../store/index.js';
import { kyselyOver, openSqlite } from '../store/sqlite/open.js';
import { SqliteRecordWriter } from '../store/sqlite/record-writer.js';
import { pruneRecords } from './retention.js';
import { verifyStore } from './verify.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T = Date.UTC(2026, 0, 1);

const store = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-retention-'));
  dirs.push(dir);
  await prepareStore(dir);
  const db = openSqlite(dir);
  const w = new SqliteRecordWriter(db, kyselyOver(db));
  const rec = (transport: 'udp' | 'tcp', key: number, host: string, i: number) => {
    const raw = Buffer.from(`<13>Jan  1 00:00:0${i} ${host} app: message ${i}`);
    return { receivedAt: T + i * 1000, conn: { key, transport, peer: `192.0.2.${key}:514`, peerIdentity: null }, raw, rawSha256: createHash('sha256').update(raw).digest(), envelope: { format: 'rfc3164' as const, time: T + i * 1000, hostname: host, app: 'app', msg: `message ${i}` }, unparsedReason: null };
  };
  w.appendSync([rec('udp', 1, 'a', 1), rec('tcp', 2, 'a', 2), rec('udp', 1, 'b', 3), rec('tcp', 2, 'b', 4)]);
  db.close();
  return dir;
};

describe('retention', () => {
  it('by source: only records that arrived that way are erased; verify reports them as pruned', async () => {
    const dir = await store();
    const r = pruneRecords(dir, { before: T + 60_000, source: 'udp' }, new FakeClock(T + 90 * 86_400_000));
    expect(r).toMatchObject({ count: 2, ranges: [[0, 0], [2, 2]] });
    const v = verifyStore(dir);
    expect(v.problems).toEqual([]);
    expect(v.pruned).toBe(2);
  });
  it('by host and source together, and by age alone', async () => {
    const dir = await store();
    expect(pruneRecords(dir, { before: T + 60_000, source: 'tcp', host: 'b' }, new FakeClock(T)).ranges).toEqual([[3, 3]]);
    expect(pruneRecords(dir, { before: T + 2_500 }, new FakeClock(T)).ranges).toEqual([[0, 1]]);
    expect(verifyStore(dir).problems).toEqual([]);
  });
});
