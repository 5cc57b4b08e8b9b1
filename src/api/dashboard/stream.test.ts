// The dashboard's event stream over real HTTP (inject() waits for a response to end; a stream does not):
// the in-process app on a real store listens on loopback, rule hits are written into the store as the derive
// stage writes them, and the clients read `event: hit` frames, resume with Last-Event-ID, and a client
// that stops reading is disconnected instead of buffered without bound.
import { request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, sessionFor, testAuth, type TestAuth } from '../../../test/helpers/auth.js';
import { buildTestApi, captureLog, type TestApp } from '../../../test/helpers/api.js';
import { openSqlite } from '../../store/sqlite/open.js';
import { dashboardHitSchema, dashboardSnapshotSchema, type DashboardHit } from './schema.js';
import type { DashboardStream } from './stream.js';
import { importRealCapture } from '../../../test/helpers/real-capture.js';


interface Frame {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

/** A reader of one event stream: its frames as parsed by the rules of the EventSource spec (the parts we use). */
class SseClient {
  readonly frames: Frame[] = [];
  comments = 0;
  retry: number | null = null;
  ended = false;
  private buf = '';

  constructor(readonly res: IncomingMessage) {
    res.setEncoding('utf8');
    res.on('data', (d: string) => this.push(d));
    res.on('end', () => (this.ended = true));
    res.on('close', () => (this.ended = true));
  }

  private push(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.frames.push({ event, id, data: data.join('\n') });
    }
  }

  of(event: string): Frame[] {
    return this.frames.filter((f) => f.event === event);
  }

  hits(): DashboardHit[] {
    return this.of('hit').map((f) => {
      const h = dashboardHitSchema.parse(JSON.parse(f.data));
      expect(f.id).toBe(String(h.id));
      return h;
    });
  }

  close(): void {
    this.res.destroy();
  }
}

const until = async (pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

describe('GET /api/v1/dashboard/stream', () => {
  let dir: string;
  let t: TestAuth;
  let app: TestApp;
  let db: BetterSqlite3.Database;
  let port: number;
  let stream: DashboardStream;
  let cookie: string;
  let nextEventId = 100_000;
  const open: SseClient[] = [];
  const logged = captureLog('warn');

  /** A hit as the derive stage writes one: the event row and its rule_hits row, in one transaction. */
  const insertHits = (hits: readonly { level: string; rule?: string; command?: string; user?: string }[]): number[] => {
    const ev = db.prepare("INSERT INTO events (id, seq, time, host, kind, user, command, parser, data) VALUES (?, 1, ?, 'edge-r1', 'command', ?, ?, 'test@1', '{}')");
    const hit = db.prepare("INSERT INTO rule_hits (event_id, rule, seq, session_id, host, level, time) VALUES (?, ?, 1, NULL, 'edge-r1', ?, ?)");
    const ids: number[] = [];
    db.transaction(() => {
      for (const h of hits) {
        const id = nextEventId++;
        ev.run(id, Date.now(), h.user ?? 'mallory', h.command ?? 'tcpdump -i any');
        ids.push(Number(hit.run(id, h.rule ?? 'packet-capture', h.level, Date.now()).lastInsertRowid));
      }
    }).immediate();
    return ids;
  };

  const connectSse = (o: { query?: string; lastEventId?: number; auth?: boolean } = {}): Promise<SseClient> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (o.auth !== false) headers['cookie'] = cookie;
      if (o.lastEventId !== undefined) headers['last-event-id'] = String(o.lastEventId);
      const req = request({ host: '127.0.0.1', port, path: `/api/v1/dashboard/stream${o.query ?? ''}`, headers }, (res) => {
        const c = new SseClient(res);
        open.push(c);
        resolve(c);
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = await importRealCapture('dashboard-sse');
    t = await testAuth(dir);
    await addTestUser(t, 'wall', 'viewer');
    cookie = sessionFor(t, 'wall').cookie;
    app = buildTestApi(dir, t.auth, {
      log: logged.log,
      dashboard: {
        stream: { pollMs: 25, snapshotMs: 150, heartbeatMs: 100, retryMs: 1500, maxStreamMs: 0, catchUpMax: 5, pollBatch: 100, maxBufferBytes: 512 * 1024 },
        onStream: (s) => (stream = s),
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    db = openSqlite(dir);
  }, 60_000);

  afterAll(async () => {
    for (const c of open) c.close();
    // Closing the app ends the streams still open (none should keep it from closing).
    await app?.close();
    db?.close();
    t?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a caller who is not signed in', async () => {
    const c = await connectSse({ auth: false });
    expect(c.res.statusCode).toBe(401);
  });

  it('sends the retry hint, a snapshot, heartbeats, and each new high-risk hit as `event: hit` with its id', async () => {
    const c = await connectSse();
    expect(c.res.statusCode).toBe(200);
    expect(c.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(c.res.headers['cache-control']).toBe('no-store');
    // The security headers of every answer are kept on the stream.
    expect(c.res.headers['x-content-type-options']).toBe('nosniff');
    await until(() => c.of('snapshot').length > 0 && c.comments > 0, 'a snapshot and a heartbeat');
    expect(c.retry).toBe(1500);
    const s = dashboardSnapshotSchema.parse(JSON.parse(c.of('snapshot')[0]!.data));
    expect(s.openSessions.count).toBe(1);
    // The stream's snapshots leave the recent-hits list out: the stream sends hits itself.
    expect(s.highRisk.recent).toBeUndefined();

    const [high, , critical] = insertHits([
      { level: 'high', command: 'tcpdump -w /tmp/x.pcap' },
      { level: 'low', rule: 'su-sudo-to-root' },
      { level: 'critical', rule: 'logging-disabled', command: 'auditctl -e 0\u001b[2J', user: 'root' },
    ]);
    await until(() => c.hits().length >= 2, 'two hits');
    await sleep(100);
    const hits = c.hits();
    expect(hits.map((h) => h.id)).toEqual([high, critical]);
    expect(hits[0]).toMatchObject({ rule: 'packet-capture', level: 'high', host: 'edge-r1', user: 'mallory', command: 'tcpdump -w /tmp/x.pcap', sessionId: null, kind: 'command' });
    // Hostile text goes out as it was logged (JSON-escaped); the page shows it escaped, never obeyed.
    expect(hits[1]).toMatchObject({ rule: 'logging-disabled', level: 'critical', user: 'root', command: 'auditctl -e 0\u001b[2J' });
    c.close();
  });

  it('resumes after Last-Event-ID with what was missed, and after ?after= from a snapshot', async () => {
    const a = await connectSse();
    await until(() => a.of('snapshot').length > 0, 'the first snapshot');
    const [first] = insertHits([{ level: 'high' }]);
    await until(() => a.hits().some((h) => h.id === first), 'the first hit');
    a.close();
    // Away: three more hits are stored (one too low to be sent).
    const missed = insertHits([{ level: 'high' }, { level: 'medium' }, { level: 'critical' }]);
    // Another client starts the follower again (from the newest hit: it sees none of the missed ones).
    const keeper = await connectSse();
    await until(() => stream.stats().cursor >= missed[2]!, 'the follower to be past the missed hits');
    const b = await connectSse({ lastEventId: first! });
    await until(() => b.hits().length >= 2, 'the missed hits');
    await sleep(100);
    expect(b.hits().map((h) => h.id)).toEqual([missed[0], missed[2]]);
    // Last-Event-ID wins over ?after=; ?after= alone is where a page's snapshot left off.
    const c = await connectSse({ query: `?after=${missed[0]}` });
    await until(() => c.hits().length >= 1, 'the hit after the snapshot');
    expect(c.hits().map((h) => h.id)).toEqual([missed[2]]);
    for (const x of [b, c, keeper]) x.close();
    // With nobody connected the follower stops; a client resuming then is caught up from the store.
    await until(() => stream.stats().clients === 0, 'every client gone');
    const later = insertHits([{ level: 'high' }]);
    const d = await connectSse({ lastEventId: missed[2]! });
    await until(() => d.hits().length >= 1, 'the hit stored while nobody listened');
    expect(d.hits().map((h) => h.id)).toEqual(later);
    d.close();
  });

  it('sends a resuming client only the newest hits it missed, and says how many it left out', async () => {
    const keeper = await connectSse();
    await until(() => keeper.of('snapshot').length > 0, 'a snapshot');
    const base = insertHits([{ level: 'high' }])[0]!;
    const seven = insertHits(Array.from({ length: 7 }, () => ({ level: 'high' })));
    await until(() => keeper.hits().some((h) => h.id === seven[6]), 'the keeper to see them');
    const c = await connectSse({ lastEventId: base });
    await until(() => c.hits().length >= 5, 'five hits');
    expect(JSON.parse(c.of('gap')[0]!.data)).toEqual({ skipped: 2 });
    expect(c.hits().map((h) => h.id)).toEqual(seven.slice(2));
    c.close();
    keeper.close();
  });

  it('disconnects a client that stops reading once its unsent bytes pass the bound, and keeps serving the others', async () => {
    const reader = await connectSse();
    await until(() => reader.of('snapshot').length > 0, 'a snapshot');
    // A client that sends its request and then never reads.
    const slow: Socket = connect(port, '127.0.0.1');
    await new Promise((r) => slow.once('connect', r));
    slow.write(`GET /api/v1/dashboard/stream HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: ${cookie}\r\naccept: text/event-stream\r\n\r\n`);
    slow.pause();
    await until(() => stream.stats().clients === 2, 'the slow client to be connected');
    const before = stream.stats().slowDisconnects;
    // ~1.3 KB per hit, 100 per poll (well under the bound, 512 KiB, so a reading client is never near it):
    // rounds of them fill what loopback's socket buffers hold for the slow client, then pass its bound.
    const ids: number[] = [];
    for (let round = 0; round < 20 && stream.stats().slowDisconnects === before; round++) {
      ids.push(...insertHits(Array.from({ length: 2000 }, () => ({ level: 'high', command: `cat ${'x'.repeat(1000)}` }))));
      await until(() => reader.hits().length > 0 && reader.of('hit').at(-1)!.id === String(ids.at(-1)), 'the reading client to keep up', 30_000);
    }
    expect(stream.stats().slowDisconnects).toBe(before + 1);
    expect(stream.stats().clients).toBe(1);
    expect(logged.lines.filter((l) => l['msg'] === 'dashboard: disconnecting an event-stream client that does not read')).toHaveLength(1);
    // The reader got every one of them, in order.
    const got = reader.of('hit').map((f) => Number(f.id));
    expect(got.slice(-ids.length)).toEqual(ids);
    expect(reader.ended).toBe(false);
    // The slow client's connection was closed by the server: reading it now ends.
    const closed = new Promise<void>((r) => slow.once('close', () => r()));
    slow.on('data', () => undefined);
    slow.resume();
    await closed;
    reader.close();
  }, 120_000);

  it('forgets a client when it goes away', async () => {
    const c = await connectSse();
    await until(() => stream.stats().clients === 1, 'one client');
    c.close();
    await until(() => stream.stats().clients === 0, 'no client');
  });

  it('ends a stream after its lifetime with a reconnect event, and answers HEAD without a stream', async () => {
    // The test app of test/helpers/api.ts: streams end after a second, so inject() (which waits for the end) can read one.
    const other = buildTestApi(dir, t.auth);
    try {
      const r = await other.inject({ url: '/api/v1/dashboard/stream', headers: { cookie } });
      expect(r.statusCode).toBe(200);
      expect(r.body).toMatch(/^retry: 3000\n\n/);
      expect(r.body).toMatch(/\nevent: snapshot\ndata: \{/);
      expect(r.body).toMatch(/event: reconnect\ndata: \{"afterMs":3000\}\n\n$/);
      const head = await other.inject({ method: 'HEAD', url: '/api/v1/dashboard/stream', headers: { cookie } });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(head.body).toBe('');
      expect((await other.inject({ url: '/api/v1/dashboard/stream?after=-1', headers: { cookie } })).statusCode).toBe(400);
    } finally {
      await other.close();
    }
  });
});
