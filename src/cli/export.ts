// `countersign export --bundle FILE`: the whole store as one file an outsider can verify without the
// server (`countersign verify --bundle FILE`): records, the tree, every checkpoint (a fresh one signed
// first), the derived tables, and the log's verifier key. A consistent snapshot even while serve runs.
import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { CS_ERR } from '../errors.js';
import { Checkpointer } from '../pipeline/checkpointer.js';
import { loadOrCreateLogKey } from '../pipeline/log-key.js';
import { BUNDLE_VKEY } from '../pipeline/verify.js';
import { openTlogStore, prepareStore, storePath } from '../store/index.js';
import { openSqlite } from '../store/sqlite/open.js';

export const runExport = async (o: { config?: string; data?: string; bundle: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  if (!existsSync(storePath(config.dataDir))) throw CS_ERR.storeNotFound(storePath(config.dataDir));
  if (existsSync(o.bundle)) throw CS_ERR.badArgument(`${o.bundle} exists; export does not overwrite`);
  await prepareStore(config.dataDir);
  const key = loadOrCreateLogKey(config.dataDir);
  const tlog = openTlogStore(config.dataDir);
  let size: number;
  try {
    size = new Checkpointer(tlog, key, systemClock).make()?.size ?? 0;
  } finally {
    tlog.close();
  }
  const db = openSqlite(config.dataDir, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(o.bundle); // one read transaction: a consistent copy
  } catch (e) {
    throw CS_ERR.badArgument(`${o.bundle}: cannot write the bundle: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  const out = new BetterSqlite3(o.bundle);
  try {
    out.prepare('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(BUNDLE_VKEY, key.verifierKey, systemClock.now());
  } finally {
    out.close();
  }
  process.stdout.write(`exported ${size} entries with their checkpoints to ${o.bundle}; check it anywhere with: countersign verify --bundle ${o.bundle} --key '${key.verifierKey}'\n`);
};
