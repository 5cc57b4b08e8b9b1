// The RELP source against a real socket and an ingest queue whose commits the test releases: a
// `syslog` transaction is answered only after its commit, in order, the window stops reading, and
// stop() answers what committed before `serverclose`.
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FakeClock } from '../clock.js';
import type { Committer, CommitResult } from '../pipeline/committer.js';
import type { SealedBatch } from '../pipeline/frame-batch.js';
import { Ingest } from '../pipeline/ingest.js';
import { ingestMetrics } from '../pipeline/metrics.js';
import { RelpTestClient } from '../../test/e2e/helpers/relp-client.js';
import { startRelp } from './relp.js';
import type { Running } from './types.js';

class HeldCommitter implements Committer {
  readonly frames: string[] = [];
  calls = 0;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open();
  }
  async commit(batch: SealedBatch): Promise<CommitResult> {
    this.calls++;
    await this.gate;
    const first = this.frames.length;
    for (let i = 0; i < batch.count; i++) this.frames.push(Buffer.from(batch.bytes.subarray(batch.offsets[i]!, batch.offsets[i]! + batch.lengths[i]!)).toString('latin1'));
    return { firstSeq: first, count: batch.count, stats: { counts: { 'relp\tparsed': batch.count } }, seconds: 0 };
  }
  async close(): Promise<void> {}
}

const opts = { enabled: true, host: '127.0.0.1', port: 0, tls: false, maxFrameBytes: 1024, window: 4, maxConnections: 10 };
const running: Running[] = [];
const clients: RelpTestClient[] = [];
const committers: HeldCommitter[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const c of committers.splice(0)) c.release(); // a test that failed while holding would hang stop()
  for (const r of running.splice(0)) await r.stop();
});

const setup = async (window = 4) => {
  const committer = new HeldCommitter();
  committers.push(committer);
  const metrics = ingestMetrics();
  const ingest = new Ingest(committer, { batchMaxRecords: 100, batchMaxDelayMs: 5, queueMaxBytes: 1 << 20 }, new FakeClock(0), metrics, { warn: () => undefined });
  const src = await startRelp({ ingest, metrics, log: pino({ level: 'silent' }), clock: new FakeClock(0) }, { ...opts, window });
  running.push(src);
  const client = await RelpTestClient.connect(src.address.port);
  clients.push(client);
  return { committer, ingest, metrics, src, client };
};

const until = async (pred: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const rspTexts = (c: RelpTestClient) => c.frames.filter((f) => f.command === 'rsp').map((f) => `${f.txnr} ${f.data.toString('latin1')}`);

describe('RELP source', () => {
  it('answers a syslog transaction only after the commit that stores it, in TXNR order', async () => {
    const { committer, client } = await setup();
    expect((await client.open()).data.toString()).toBe('200 OK\nrelp_version=0\nrelp_software=countersign\ncommands=syslog');
    committer.hold();
    const t = [client.send('syslog', '<13>1 - h a - - - one'), client.send('syslog', '<13>1 - h a - - - two'), client.send('syslog', '<13>1 - h a - - - three')];
    await until(() => committer.calls > 0); // the batch is in the store's hands, not committed
    await new Promise((r) => setTimeout(r, 200));
    expect(rspTexts(client)).toEqual(['1 200 OK\nrelp_version=0\nrelp_software=countersign\ncommands=syslog']);
    expect(committer.frames).toEqual([]);
    committer.release();
    for (const x of t) await client.answer(x);
    expect(committer.frames).toEqual(['<13>1 - h a - - - one', '<13>1 - h a - - - two', '<13>1 - h a - - - three']);
    expect(rspTexts(client).slice(1)).toEqual(['2 200 OK', '3 200 OK', '4 200 OK']);
  });

  it('stops reading while `window` transactions wait for their commit, and says so in /metrics', async () => {
    const { committer, ingest, metrics, client } = await setup(2);
    await client.open();
    committer.hold();
    client.send('syslog', 'a');
    client.send('syslog', 'b');
    await until(() => ingest.pushedCount === 2);
    expect(metrics.registry.render()).toMatch(/countersign_ingest\{what="relp_unacked",transport="relp"\} 2/);
    const later = [client.send('syslog', 'c'), client.send('syslog', 'd')];
    await new Promise((r) => setTimeout(r, 200));
    expect(ingest.pushedCount).toBe(2); // not read: the window is full
    committer.release();
    for (const x of later) await client.answer(x);
    expect(committer.frames).toEqual(['a', 'b', 'c', 'd']);
    expect(metrics.registry.render()).toMatch(/countersign_ingest\{what="relp_unacked",transport="relp"\} 0/);
  });

  it('refuses syslog before open with a 500, closes, and counts it', async () => {
    const { client, metrics, ingest } = await setup();
    const t = client.send('syslog', 'too early');
    expect((await client.answer(t)).data.toString()).toBe('500 session not open: send open first');
    await client.closed;
    expect(metrics.rejected.get({ transport: 'relp', reason: 'relp-syslog-before-open' })).toBe(1);
    expect(ingest.pushedCount).toBe(0);
  });

  it('answers close after the acknowledgements before it, then closes', async () => {
    const { client } = await setup();
    await client.open();
    client.send('syslog', 'x');
    const c = client.send('close');
    await client.closed;
    expect(rspTexts(client).slice(1)).toEqual(['2 200 OK', `${c} `]);
    expect(client.frames.some((f) => f.command === 'serverclose')).toBe(false);
  });

  it('counts what a sender sends again after its connection broke before the answers (stored again, not dropped)', async () => {
    const { committer, client, metrics, src, ingest } = await setup();
    await client.open();
    committer.hold();
    client.send('syslog', 'first');
    client.send('syslog', 'second');
    await until(() => ingest.pushedCount === 2);
    client.close(); // broken before any 200 OK
    committer.release();
    await until(() => committer.frames.length === 2);
    const again = await RelpTestClient.connect(src.address.port);
    clients.push(again);
    await again.open();
    const t = [again.send('syslog', 'first'), again.send('syslog', 'second'), again.send('syslog', 'third')];
    for (const x of t) await again.answer(x);
    expect(committer.frames).toEqual(['first', 'second', 'first', 'second', 'third']);
    expect(metrics.registry.render()).toMatch(/^countersign_relp_resent_total 2$/m);
  });

  it('on stop, answers everything that committed, then sends serverclose and closes', async () => {
    const { committer, client, src } = await setup();
    await client.open();
    committer.hold();
    client.send('syslog', 'in flight');
    await until(() => committer.calls > 0);
    const stopped = src.stop();
    running.splice(running.indexOf(src), 1);
    committer.release();
    await stopped;
    await client.closed;
    expect(client.frames.map((f) => `${f.txnr} ${f.command} ${f.data.toString()}`).slice(1)).toEqual(['2 rsp 200 OK', '0 serverclose ']);
    expect(committer.frames).toEqual(['in flight']);
  });
});
