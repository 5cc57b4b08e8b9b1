// Where sealed batches go to be parsed, hashed and committed: a worker thread (serve) or the calling
// thread (import, tests). Both resolve only after the store's transaction committed.
import { Worker } from 'node:worker_threads';
import type { CounterDelta } from '../store/types.js';
import { processBatch, type BatchStats } from './batch-processor.js';
import type { SealedBatch } from './frame-batch.js';
import { openWriter, type WalCheckpoints } from '../store/index.js';

export interface CommitResult {
  readonly firstSeq: number;
  readonly count: number;
  readonly stats: BatchStats;
  /** Time spent in parse + hash + transaction, seconds. */
  readonly seconds: number;
}

export interface Committer {
  commit(batch: SealedBatch, counters: readonly CounterDelta[]): Promise<CommitResult>;
  close(): Promise<void>;
}

export interface CommitterOptions {
  readonly dataDir: string;
  readonly timezone: string;
  /** 'thread' when a checkpoint thread copies the WAL (serve); default 'auto' (store/sqlite/open.ts). */
  readonly walCheckpoints?: WalCheckpoints;
}

/** Runs on the calling thread. */
export class InlineCommitter implements Committer {
  private readonly writer;
  constructor(private readonly opts: CommitterOptions) {
    this.writer = openWriter(opts.dataDir);
  }
  async commit(batch: SealedBatch, counters: readonly CounterDelta[]): Promise<CommitResult> {
    const t0 = performance.now();
    const { block, stats } = processBatch(batch, this.opts.timezone);
    const r = this.writer.appendBlockSync(block, counters);
    return { ...r, stats, seconds: (performance.now() - t0) / 1000 };
  }
  async close(): Promise<void> {
    this.writer.close();
  }
}

type Reply =
  | { readonly type: 'committed'; readonly id: number; readonly result: CommitResult }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  | { readonly type: 'closed' };

/** Runs on a worker thread (writer-thread.ts), off the network event loop. Batches commit in order. */
export class WorkerCommitter implements Committer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: CommitResult) => void; reject: (e: Error) => void }>();
  private closed: Promise<void> | null = null;
  private dead: Error | null = null;

  constructor(opts: CommitterOptions) {
    this.worker = new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: opts });
    this.worker.on('message', (m: Reply) => {
      if (m.type === 'closed') return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.type === 'committed') w?.resolve(m.result);
      else w?.reject(new Error(`store commit failed: ${m.message}`));
    });
    const fail = (e: Error): void => {
      this.dead = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (this.closed === null) fail(new Error(`the writer thread exited (code ${code})`));
    });
  }

  commit(batch: SealedBatch, counters: readonly CounterDelta[]): Promise<CommitResult> {
    if (this.dead !== null) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiting.set(batch.id, { resolve, reject });
      // Copied, not transferred: the caller keeps the bytes until the commit is confirmed, to retry.
      this.worker.postMessage({ type: 'batch', batch, counters });
    });
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' });
    });
    return this.closed;
  }
}
