// The ingest queue between sources and the store: packs frames into batches, sends them to the
// committer in order, and pushes back when too much is waiting. It never drops a frame it accepted:
// a failed commit is retried, and pressure stays on until it succeeds.
import type { Clock } from '../clock.js';
import type { Transport } from '../model/record.js';
import type { FrameFlag } from '../sources/framing/types.js';
import type { CounterDelta } from '../store/types.js';
import type { Committer, CommitResult } from './committer.js';
import { BatchBuilder, type ConnMeta, type SealedBatch } from './frame-batch.js';
import type { IngestMetrics } from './metrics.js';

export interface IngestOptions {
  readonly batchMaxRecords: number;
  readonly batchMaxDelayMs: number;
  readonly queueMaxBytes: number;
  /**
   * Stream sources (TCP, TLS, RELP, files) stop reading past this many queued bytes, long before
   * queueMaxBytes: their senders wait losslessly, and the writer gets the CPU instead of a reader
   * racing ahead. The headroom above it is for datagrams, which cannot be paused. Default: queueMaxBytes.
   */
  readonly streamPauseBytes?: number;
}

export interface IngestDiagnostics {
  warn(obj: object, msg: string): void;
}

/** Sealed batches are also cut at this size so one batch never holds an unbounded share of the queue. */
const BATCH_MAX_BYTES = 8 << 20;
const RETRY_MS = 1000;

export type PressureListener = (overloaded: boolean) => void;

export class Ingest {
  private builder: BatchBuilder;
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private queuedBytes = 0;
  private queuedRecords = 0;
  private overloaded = false;
  /** Stream sources held (queue over streamPauseBytes, or overloaded). */
  private held = false;
  private readonly streamListeners = new Set<PressureListener>();
  private chain: Promise<void> = Promise.resolve();
  private pendingCounters = new Map<string, number>();
  private readonly listeners = new Set<PressureListener>();
  private readonly committedListeners = new Set<(firstSeq: number, count: number) => void>();
  private lastSeqValue = -1;
  /** When the last batch committed (clock ms); 0 before the first. */
  private lastCommitAt = 0;
  /** Frames accepted by push() and frames committed, both counted from 1: batches commit in push order. */
  private pushedFrames = 0;
  private committedFrames = 0;
  private readonly framesCommittedListeners = new Set<(committed: number) => void>();
  private failure: Error | null = null;
  /** Per-transport received counters, bound once (labels are not rebuilt per frame). */
  private readonly receivedBy = new Map<Transport, (by?: number) => void>();

  constructor(
    private readonly committer: Committer,
    private readonly opts: IngestOptions,
    private readonly clock: Clock,
    private readonly metrics: IngestMetrics,
    private readonly log: IngestDiagnostics,
  ) {
    this.builder = new BatchBuilder(opts.batchMaxRecords);
    metrics.gauges.set({ what: 'queue_bytes' }, () => this.queuedBytes);
    metrics.gauges.set({ what: 'queue_records' }, () => this.queuedRecords);
    metrics.gauges.set({ what: 'overloaded' }, () => (this.overloaded ? 1 : 0));
    metrics.gauges.set({ what: 'streams_held' }, () => (this.held ? 1 : 0));
    metrics.gauges.set({ what: 'last_seq' }, () => this.lastSeqValue);
    metrics.gauges.set({ what: 'last_commit_unix_seconds' }, () => this.lastCommitAt / 1000);
  }

  /** Called after each commit with the seq range it stored (the derive stage follows it). */
  onCommitted(fn: (firstSeq: number, count: number) => void): void {
    this.committedListeners.add(fn);
  }

  /**
   * How many frames push() has accepted; read right after a push, it numbers that frame. The frame is
   * durable (records and tlog leaves committed together) once committedCount reaches its number.
   */
  get pushedCount(): number {
    return this.pushedFrames;
  }
  /** How many pushed frames are committed (batches commit in order, so it is a prefix of the pushes). */
  get committedCount(): number {
    return this.committedFrames;
  }
  /** Called after each commit with the new committedCount (RELP acknowledges on it). */
  onFramesCommitted(fn: (committed: number) => void): () => void {
    this.framesCommittedListeners.add(fn);
    return () => this.framesCommittedListeners.delete(fn);
  }

  get isOverloaded(): boolean {
    return this.overloaded;
  }
  get lastSeq(): number {
    return this.lastSeqValue;
  }
  get queued(): { bytes: number; records: number } {
    return { bytes: this.queuedBytes, records: this.queuedRecords };
  }
  /** Set when a commit keeps failing; cleared when one succeeds. */
  get lastFailure(): Error | null {
    return this.failure;
  }

  onPressure(fn: PressureListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** True while stream sources should not read: past streamPauseBytes, or overloaded. */
  get streamsHeld(): boolean {
    return this.held;
  }

  /** Told when stream sources should stop (true) or may resume (false) reading. */
  onStreamPressure(fn: PressureListener): () => void {
    this.streamListeners.add(fn);
    return () => this.streamListeners.delete(fn);
  }

  /** Accepts one frame. Stream sources always push (they pause on pressure); UDP checks isOverloaded first. */
  push(meta: ConnMeta, frame: Uint8Array, flag: FrameFlag): void {
    this.builder.add(meta, frame, flag, this.clock.now());
    this.pushedFrames++;
    this.queuedBytes += frame.length;
    this.queuedRecords++;
    let inc = this.receivedBy.get(meta.transport);
    if (inc === undefined) {
      inc = this.metrics.received.bind({ transport: meta.transport });
      this.receivedBy.set(meta.transport, inc);
    }
    inc();
    if (this.builder.full || this.builder.byteLength >= BATCH_MAX_BYTES) this.seal();
    else if (this.timer === null) this.timer = setTimeout(() => this.seal(), this.opts.batchMaxDelayMs);
    if (!this.overloaded && this.queuedBytes > this.opts.queueMaxBytes) this.setPressure(true);
    if (!this.held && this.queuedBytes > this.streamPauseBytes) this.setHeld(true);
  }

  private get streamPauseBytes(): number {
    return Math.min(this.opts.streamPauseBytes ?? this.opts.queueMaxBytes, this.opts.queueMaxBytes);
  }

  /** Counts a reception that is not stored (a dropped datagram, a refused connection); kept durably with the next batch. */
  countRejected(transport: Transport, reason: string, n = 1): void {
    this.metrics.rejected.inc({ transport, reason }, n);
    const k = `${transport}\t${reason}`;
    this.pendingCounters.set(k, (this.pendingCounters.get(k) ?? 0) + n);
    if (this.timer === null) this.timer = setTimeout(() => this.seal(), this.opts.batchMaxDelayMs);
  }

  /** Resolves once everything pushed before the call is committed. */
  async flush(): Promise<void> {
    this.seal();
    await this.chain;
  }

  private seal(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.builder.count === 0 && this.pendingCounters.size === 0) return;
    const batch = this.builder.seal(this.nextId++);
    const counters: CounterDelta[] = [...this.pendingCounters].map(([k, count]) => {
      const [transport, reason] = k.split('\t') as [string, string];
      return { transport, reason, count };
    });
    this.pendingCounters = new Map();
    this.chain = this.chain.then(() => this.commitUntilDone(batch, counters));
  }

  private async commitUntilDone(batch: SealedBatch, counters: readonly CounterDelta[]): Promise<void> {
    for (;;) {
      try {
        const r = await this.committer.commit(batch, counters);
        this.failure = null;
        this.account(batch, r);
        return;
      } catch (e) {
        this.failure = e as Error;
        this.setPressure(true);
        this.log.warn({ err: String((e as Error).message), batch: batch.id, records: batch.count }, 'commit failed; the batch is kept and retried');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private account(batch: SealedBatch, r: CommitResult): void {
    this.lastCommitAt = this.clock.now();
    this.queuedBytes -= batch.bytes.length;
    this.queuedRecords -= batch.count;
    if (r.count > 0) this.lastSeqValue = r.firstSeq + r.count - 1;
    this.committedFrames += batch.count;
    for (const fn of this.committedListeners) fn(r.firstSeq, r.count);
    this.metrics.commitSeconds.observe(r.seconds);
    for (const [k, n] of Object.entries(r.stats.counts)) {
      const [transport, what] = k.split('\t') as [string, string];
      if (what === 'parsed') this.metrics.stored.inc({ transport, kind: 'parsed' }, n);
      else {
        this.metrics.stored.inc({ transport, kind: 'unparsed' }, n);
        this.metrics.unparsed.inc({ transport, reason: what }, n);
      }
    }
    if (this.overloaded && this.failure === null && this.queuedBytes <= this.opts.queueMaxBytes / 2) this.setPressure(false);
    if (this.held && !this.overloaded && this.queuedBytes <= this.streamPauseBytes / 2) this.setHeld(false);
    for (const fn of this.framesCommittedListeners) fn(this.committedFrames);
  }

  private setPressure(on: boolean): void {
    if (this.overloaded === on) return;
    this.overloaded = on;
    for (const fn of this.listeners) fn(on);
    if (on) this.setHeld(true);
  }

  private setHeld(on: boolean): void {
    if (this.held === on) return;
    this.held = on;
    for (const fn of this.streamListeners) fn(on);
  }
}
