// `countersign checkpoint`: the latest signed checkpoint, signing one first if the tree grew since
// (this process then writes to the store, beside a running server if there is one).
import { loadConfig } from '../config/load.js';
import { systemClock } from '../clock.js';
import { CS_ERR } from '../errors.js';
import { Checkpointer } from '../pipeline/checkpointer.js';
import { loadOrCreateLogKey } from '../pipeline/log-key.js';
import { openTlogStore, prepareStore, storePath } from '../store/index.js';
import { existsSync } from 'node:fs';

export const runCheckpoint = async (o: { config?: string; data?: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  if (!existsSync(storePath(config.dataDir))) throw CS_ERR.storeNotFound(storePath(config.dataDir));
  await prepareStore(config.dataDir);
  const store = openTlogStore(config.dataDir);
  try {
    const c = new Checkpointer(store, loadOrCreateLogKey(config.dataDir), systemClock).make();
    if (c === undefined) throw CS_ERR.notFound('no checkpoint');
    process.stdout.write(c.note);
  } finally {
    store.close();
  }
};
