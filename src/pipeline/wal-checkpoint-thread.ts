// serve's checkpoint thread: every intervalMs copies the WAL into the database file (PASSIVE), on a
// connection of its own, and reports how far it got. Off the writer thread and the event loop, so
// that neither stops for the copy and its fsync. Stops with a last checkpoint when told.
import { parentPort, workerData } from 'node:worker_threads';
import { openWalCheckpoint, type CheckpointResult } from '../store/index.js';

export interface WalCheckpointThreadOptions {
  readonly dataDir: string;
  readonly intervalMs: number;
  /** Past this many WAL frames (pages), the round waits for a gap between transactions to start the WAL over. */
  readonly restartFrames: number;
}
export type WalCheckpointThreadMsg = { readonly type: 'stop' };
export type WalCheckpointThreadReply =
  | ({ readonly type: 'checkpointed'; readonly ms: number } & CheckpointResult)
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };

const port = parentPort!;
const opts = workerData as WalCheckpointThreadOptions;
const wal = openWalCheckpoint(opts.dataDir);
let timer: NodeJS.Timeout | null = null;

const once = (): void => {
  try {
    const t0 = performance.now();
    // Copy what is there without waiting; when the WAL has grown past its bound, finish the copy in a
    // gap between two of the writer's transactions (a short wait: the passive round copied the bulk).
    let r = wal.run('passive');
    if (r.walFrames > opts.restartFrames) r = wal.run('restart');
    port.postMessage({ type: 'checkpointed', ms: performance.now() - t0, ...r } satisfies WalCheckpointThreadReply);
  } catch (e) {
    // The store is busy or the disk refused: the WAL keeps the data, the next round tries again.
    port.postMessage({ type: 'failed', message: String((e as Error)?.message ?? e) } satisfies WalCheckpointThreadReply);
  }
};

const loop = (): void => {
  once();
  timer = setTimeout(loop, opts.intervalMs);
};
timer = setTimeout(loop, opts.intervalMs);

port.on('message', (m: WalCheckpointThreadMsg) => {
  if (m.type !== 'stop') return;
  if (timer !== null) clearTimeout(timer);
  once();
  wal.close();
  port.postMessage({ type: 'stopped' } satisfies WalCheckpointThreadReply);
  port.close();
});
