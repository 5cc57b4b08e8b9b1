// Runs serve's WAL checkpoints on their own thread (wal-checkpoint-thread.ts) and shows them in
// /metrics: wal_frames (frames in the WAL at the last checkpoint), wal_checkpoint_busy (1 when a
// reader kept it from finishing) and the time each took. A failed round is logged once and retried.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { IngestMetrics } from './metrics.js';
import type { WalCheckpointThreadOptions, WalCheckpointThreadReply } from './wal-checkpoint-thread.js';

/** How often the WAL is copied into the database file: at full ingest speed ~10-30 MB of WAL a round. */
export const WAL_CHECKPOINT_INTERVAL_MS = 500;
/** The WAL is started over once it holds this many pages (64 MiB of 64 KiB pages), as SQLite's own auto-checkpoint would. */
export const WAL_RESTART_FRAMES = 1000;

export class WalCheckpointer {
  private readonly worker: Worker;
  private walFrames = 0;
  private busy = false;
  private lastFailure: string | null = null;
  private stopping: Promise<void> | null = null;

  constructor(dataDir: string, metrics: IngestMetrics, log: Logger, intervalMs = WAL_CHECKPOINT_INTERVAL_MS, restartFrames = WAL_RESTART_FRAMES) {
    this.worker = new Worker(new URL('./wal-checkpoint-thread.js', import.meta.url), { workerData: { dataDir, intervalMs, restartFrames } satisfies WalCheckpointThreadOptions });
    this.worker.on('message', (m: WalCheckpointThreadReply) => {
      if (m.type === 'checkpointed') {
        this.walFrames = m.walFrames;
        this.busy = m.busy;
        metrics.walCheckpointSeconds.observe(m.ms / 1000);
        if (this.lastFailure !== null) log.info('WAL checkpoints work again');
        this.lastFailure = null;
      } else if (m.type === 'failed') {
        if (this.lastFailure !== m.message) log.warn({ err: m.message }, 'WAL checkpoint failed; the WAL keeps growing until one succeeds');
        this.lastFailure = m.message;
      }
    });
    this.worker.on('error', (e) => log.error({ err: e.message }, 'the WAL checkpoint thread failed'));
    metrics.gauges.set({ what: 'wal_frames' }, () => this.walFrames);
    metrics.gauges.set({ what: 'wal_checkpoint_busy' }, () => (this.busy ? 1 : 0));
  }

  /** A last checkpoint, then the thread ends. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'stop' });
    });
    return this.stopping;
  }
}
