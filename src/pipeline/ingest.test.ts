import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { FRAME_OK } from '../sources/framing/types.js';
import type { CounterDelta } from '../store/types.js';
import type { Committer, CommitResult } from './committer.js';
import type { ConnMeta, SealedBatch } from './frame-batch.js';
import { Ingest } from './ingest.js';
import { ingestMetrics } from './metrics.js';

/** A committer under the test's control: records what it got, commits when released, can fail. */
class HeldCommitter implements Committer {
  batches: { batch: SealedBatch; counters: readonly CounterDelta[] }[] = [];
  private next = 0;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  failNext = 0;
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open();
  }
  async commit(batch: SealedBatch, counters: readonly CounterDelta[]): Promise<CommitResult> {
    await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('disk I/O error');
    }
    this.batches.push({ batch, counters });
    const firstSeq = this.next;
    this.next += batch.count;
    const meta = batch.conns[0];
    return { firstSeq, count: batch.count, stats: { counts: meta ? { [`${meta.transport}\tparsed`]: batch.count } : {} }, seconds: 0.001 };
  }
  async close(): Promise<void> {}
}

const meta: ConnMeta = { key: 1, transport: 'tcp', peer: '127.0.0.1:1', peerIdentity: null };
const quiet = { warn: () => undefined };
const opts = { batchMaxRecords: 3, batchMaxDelayMs: 5, queueMaxBytes: 100 };

describe('ingest queue', () => {
  it('batches frames, commits them in order and accounts for every one', async () => {
    const c = new HeldCommitter();
    const m = ingestMetrics();
    const ing = new Ingest(c, opts, new FakeClock(1000), m, quiet);
    for (let i = 0; i < 7; i++) ing.push(meta, Buffer.from(`f${i}`), FRAME_OK);
    await ing.flush();
    expect(c.batches.map((b) => b.batch.count)).toEqual([3, 3, 1]);
    const all = c.batches.flatMap(({ batch }) => Array.from({ length: batch.count }, (_, i) => Buffer.from(batch.bytes.subarray(batch.offsets[i]!, batch.offsets[i]! + batch.lengths[i]!)).toString()));
    expect(all).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    expect(c.batches[0]!.batch.receivedAt[0]).toBe(1000);
    expect(ing.lastSeq).toBe(6);
    expect(m.received.get({ transport: 'tcp' })).toBe(7);
    expect(m.stored.get({ transport: 'tcp', kind: 'parsed' })).toBe(7);
    expect(ing.queued).toEqual({ bytes: 0, records: 0 });
  });

  it('pushes back when the queue is over its bound and lets go below half of it', async () => {
    const c = new HeldCommitter();
    const ing = new Ingest(c, opts, new FakeClock(0), ingestMetrics(), quiet);
    const seen: boolean[] = [];
    ing.onPressure((on) => seen.push(on));
    c.hold();
    for (let i = 0; i < 12; i++) ing.push(meta, Buffer.alloc(10, 0x61), FRAME_OK);
    expect(ing.isOverloaded).toBe(true);
    expect(seen).toEqual([true]);
    c.release();
    await ing.flush();
    expect(ing.isOverloaded).toBe(false);
    expect(seen).toEqual([true, false]);
  });

  it('holds stream sources past streamPauseBytes, long before datagrams are refused, and lets them go below half of it', async () => {
    const c = new HeldCommitter();
    const ing = new Ingest(c, { ...opts, streamPauseBytes: 40 }, new FakeClock(0), ingestMetrics(), quiet);
    const streams: boolean[] = [];
    const overload: boolean[] = [];
    ing.onStreamPressure((on) => streams.push(on));
    ing.onPressure((on) => overload.push(on));
    c.hold();
    for (let i = 0; i < 5; i++) ing.push(meta, Buffer.alloc(10, 0x61), FRAME_OK);
    // 50 bytes queued: streams held, datagrams still welcome.
    expect([ing.streamsHeld, ing.isOverloaded]).toEqual([true, false]);
    for (let i = 0; i < 6; i++) ing.push(meta, Buffer.alloc(10, 0x61), FRAME_OK);
    expect([ing.streamsHeld, ing.isOverloaded]).toEqual([true, true]);
    c.release();
    await ing.flush();
    expect([ing.streamsHeld, ing.isOverloaded]).toEqual([false, false]);
    expect(streams).toEqual([true, false]);
    expect(overload).toEqual([true, false]);
  });

  it('holds stream sources while a commit keeps failing, whatever the queue holds', async () => {
    const c = new HeldCommitter();
    c.failNext = 1;
    const ing = new Ingest(c, { ...opts, streamPauseBytes: 1000 }, new FakeClock(0), ingestMetrics(), quiet);
    const streams: boolean[] = [];
    ing.onStreamPressure((on) => streams.push(on));
    ing.push(meta, Buffer.from('x'), FRAME_OK);
    await ing.flush();
    expect(streams).toEqual([true, false]);
  });

  it('keeps a batch whose commit failed and retries it; nothing is lost or doubled', async () => {
    const c = new HeldCommitter();
    c.failNext = 1;
    const warnings: string[] = [];
    const ing = new Ingest(c, opts, new FakeClock(0), ingestMetrics(), { warn: (_o, msg) => warnings.push(msg) });
    ing.push(meta, Buffer.from('only'), FRAME_OK);
    await ing.flush();
    expect(warnings).toEqual(['commit failed; the batch is kept and retried']);
    expect(c.batches).toHaveLength(1);
    expect(c.batches[0]!.batch.count).toBe(1);
    expect(ing.lastFailure).toBeNull();
  });

  it('carries rejection counts to the store with the next batch', async () => {
    const c = new HeldCommitter();
    const m = ingestMetrics();
    const ing = new Ingest(c, opts, new FakeClock(0), m, quiet);
    ing.countRejected('udp', 'queue-full', 2);
    ing.countRejected('udp', 'queue-full');
    await ing.flush();
    expect(c.batches[0]!.counters).toEqual([{ transport: 'udp', reason: 'queue-full', count: 3 }]);
    expect(m.rejected.get({ transport: 'udp', reason: 'queue-full' })).toBe(3);
  });
});
