// Runs the derive stage for `serve` on its own thread, once this process holds the store's derive lock
// (an `import` deriving at that moment keeps it briefly; the runner retries until it is free).
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { tryDeriveLock, type DeriveLock } from './derive-lock.js';
import type { DeriveThreadOptions, DeriveThreadReply } from './derive-thread.js';

export class DeriveRunner {
  private worker: Worker | null = null;
  private lock: DeriveLock | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private warnedHolder: number | null = null;
  cursor = -1;
  openSessions = 0;
  lastFailure: string | null = null;

  private readonly busyBuffer = new SharedArrayBuffer(4);
  private readonly busy = new Int32Array(this.busyBuffer);

  constructor(
    private readonly opts: Omit<DeriveThreadOptions, 'ingestBusy'>,
    private readonly log: Logger,
  ) {}

  /** Ingest has records waiting to commit: the deriver steps back until it has not. */
  setIngestBusy(busy: boolean): void {
    Atomics.store(this.busy, 0, busy ? 1 : 0);
  }

  start(): void {
    if (this.stopped) return;
    const got = tryDeriveLock(this.opts.dataDir);
    if ('heldBy' in got) {
      if (this.warnedHolder !== got.heldBy) {
        this.warnedHolder = got.heldBy;
        this.log.warn({ pid: got.heldBy }, 'another countersign process is deriving sessions from this store; waiting for it to finish');
      }
      this.retry = setTimeout(() => this.start(), 1_000);
      return;
    }
    this.lock = got;
    const worker = new Worker(new URL('./derive-thread.js', import.meta.url), { workerData: { ...this.opts, ingestBusy: this.busyBuffer } satisfies DeriveThreadOptions });
    worker.on('message', (m: DeriveThreadReply) => {
      if (m.type === 'progress') {
        this.cursor = m.cursor;
        this.openSessions = m.openSessions;
        this.lastFailure = null;
      } else if (m.type === 'rules') {
        // A broken rule is refused, not fatal: the others keep working (docs/rules.md).
        for (const line of m.refused) this.log.error({ rule: line }, `rule refused: ${line}`);
        this.log.info({ rules: m.loaded, refused: m.refused.length, replacedBuiltin: m.replaced }, 'rules loaded');
      } else if (m.type === 'failed') {
        if (this.lastFailure !== m.message) this.log.error({ err: m.message }, 'deriving events and sessions failed; retrying');
        this.lastFailure = m.message;
      }
    });
    worker.on('error', (e) => {
      this.lastFailure = e.message;
      this.log.error({ err: e.message }, 'the derive thread failed');
    });
    this.worker = worker;
  }

  nudge(): void {
    this.worker?.postMessage({ type: 'nudge' });
  }

  /** Releases held multi-record events and lets go of the lock; the rest is derived on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== null) clearTimeout(this.retry);
    const w = this.worker;
    if (w !== null) {
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.postMessage({ type: 'stop' });
      });
    }
    this.lock?.release();
  }
}
