// SIGTERM in the middle of a burst: the server stops reading, commits every frame it read, and
// exits 0. What is stored is, per connection, an unbroken prefix of what was sent — nothing in
// the middle is lost — and the server's own count of frames received equals what is in the store.
import { connect } from 'node:net';
import { blast } from './helpers/blast.js';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { openReader } from '../../src/store/index.js';
import { startServer, waitForStored, type RunningServer } from './helpers/countersign.js';

const line = (conn: number, i: number): string => `<13>1 2026-11-26T10:00:00Z host${conn} burst - - - conn=${conn} seq=${i} ${'x'.repeat(60)}\n`;


describe('SIGTERM during a burst', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.stop('SIGKILL');
  });

  it('commits everything received and loses nothing in the middle', async () => {
    const socks = [0, 1, 2].map(() => connect({ host: '127.0.0.1', port: s.ports.tcp! }));
    const sending = socks.map((sock, c) => blast(sock, (i) => line(c, i)));
    await waitForStored(s, 30_000);
    const code = await s.stop('SIGTERM');
    expect(code).toBe(0);
    await Promise.all(sending);

    const stopped = s.logs.find((l) => l.msg === 'stopped: everything received is committed');
    expect(stopped).toBeDefined();
    const reader = openReader(s.dataDir, { readonly: true });
    try {
      const stats = await reader.stats();
      // Besides what it received, a first start stores one entry of its own: the first admin's user.add.
      const OWN_ENTRIES = 1;
      expect(stats.records).toBe((stopped!.received as number) + OWN_ENTRIES);
      expect(stats.records).toBe((stopped!.stored as number) + OWN_ENTRIES);
      expect(stats.lastSeq).toBe(stats.records - 1);
      // Read in pages (a burst can leave hundreds of thousands of rows), oldest first.
      const rows = [];
      for (let before = stats.records; before > 0; before -= 50_000) rows.unshift(...(await reader.latest({ limit: 50_000, beforeSeq: before })));
      const perConn = new Map<number, number[]>();
      let cut = 0;
      let own = 0;
      for (const r of rows) {
        if (r.transport === 'internal') {
          expect(JSON.parse(Buffer.from(r.raw).toString('utf8'))).toMatchObject({ type: 'user.add', user: 'admin' });
          own++;
          continue;
        }
        const text = Buffer.from(r.raw).toString('latin1');
        const m = /conn=(\d) seq=(\d+) /.exec(text);
        if (r.kind === 'unparsed') {
          // Only the frame being read at the moment of the stop may be cut short.
          expect(r.unparsedReason).toBe('incomplete-frame');
          cut++;
          continue;
        }
        const c = Number(m![1]);
        if (!perConn.has(c)) perConn.set(c, []);
        perConn.get(c)!.push(Number(m![2]));
      }
      expect(own).toBe(OWN_ENTRIES);
      expect(cut).toBeLessThanOrEqual(3);
      // Compare as one number per connection: the first position where the prefix breaks (or its length).
      for (const seqs of perConn.values()) expect(seqs.findIndex((v, i) => v !== i)).toBe(-1);
      expect([...perConn.values()].reduce((n, v) => n + v.length, 0)).toBeGreaterThanOrEqual(30_000 - cut);
    } finally {
      await reader.close();
    }
  });
});
