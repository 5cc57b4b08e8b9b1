// The writer thread's entry: receives sealed batches, parses, hashes and commits them in order,
// and answers each with its seq range. It owns the only write connection of this process.
import { parentPort, workerData } from 'node:worker_threads';
import type { CounterDelta } from '../store/types.js';
import { InlineCommitter, type CommitterOptions } from './committer.js';
import type { SealedBatch } from './frame-batch.js';
import { setWalCheckpoints } from '../store/index.js';

type Msg = { readonly type: 'batch'; readonly batch: SealedBatch; readonly counters: readonly CounterDelta[] } | { readonly type: 'close' };

const port = parentPort!;
const opts = workerData as CommitterOptions;
setWalCheckpoints(opts.walCheckpoints ?? 'auto');
const committer = new InlineCommitter(opts);

port.on('message', (m: Msg) => {
  if (m.type === 'close') {
    void committer.close().then(() => {
      port.postMessage({ type: 'closed' });
      port.close();
    });
    return;
  }
  committer.commit(m.batch, m.counters).then(
    (result) => port.postMessage({ type: 'committed', id: m.batch.id, result }),
    (e: unknown) => port.postMessage({ type: 'failed', id: m.batch.id, message: String((e as Error)?.message ?? e) }),
  );
});
