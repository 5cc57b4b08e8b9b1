// A fuzz worker thread: runs the targets the main thread hands it, one at a time, and before each
// input copies it into shared memory with a heartbeat, so that the main thread's watchdog can stop a
// target stuck in one input (fast-check cannot pre-empt synchronous code) and keep that input.
import { parentPort, workerData } from 'node:worker_threads';
import { runTarget, type TargetReport } from './runner.js';
import { targetById } from './targets.js';

export interface WorkerInit {
  /** [0] heartbeat, [1] input length, [2] 1 while an input runs; the input bytes follow at byte offset 12. */
  readonly shared: SharedArrayBuffer;
}

export type ToWorker = { readonly type: 'run'; readonly id: string; readonly runs: number; readonly seed: number; readonly boundMs: number } | { readonly type: 'exit' };
export type FromWorker = { readonly type: 'done'; readonly report: TargetReport } | { readonly type: 'ready' };

const { shared } = workerData as WorkerInit;
const head = new Int32Array(shared, 0, 3);
const body = new Uint8Array(shared, 12);

const onInput = (input: Uint8Array): void => {
  const n = Math.min(input.length, body.length);
  body.set(n === input.length ? input : input.subarray(0, n), 0);
  Atomics.store(head, 1, input.length);
  Atomics.add(head, 0, 1);
  Atomics.store(head, 2, 1);
};
const afterInput = (): void => {
  Atomics.store(head, 2, 0);
};

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'exit') process.exit(0);
  const target = targetById(m.id);
  if (target === undefined) throw new Error(`no fuzz target ${m.id}`);
  const report = runTarget(target, { runs: m.runs, seed: m.seed, boundMs: m.boundMs, onInput, afterInput });
  parentPort!.postMessage({ type: 'done', report } satisfies FromWorker);
});
parentPort!.postMessage({ type: 'ready' } satisfies FromWorker);
