// `countersign prune`: erases the payload of records older than a date or an age (optionally of one
// host), keeping their tlog leaves, and logs the erasure as an entry. Run it with the server stopped or
// beside it (SQLite serialises the writers).
import { existsSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { CS_ERR } from '../errors.js';
import { pruneRecords } from '../pipeline/retention.js';
import { prepareStore, storePath } from '../store/index.js';

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** "90d", "12h", or an ISO 8601 date/time → ms since the epoch. */
export const parseBefore = (text: string, now: number): number => {
  const m = /^(\d{1,6})([dhm])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * UNITS[m[2]!]!;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw CS_ERR.badArgument(`--before: expected an age like 90d / 12h or an ISO date, got ${text}`);
  return t;
};

export const runPrune = async (o: { config?: string; data?: string; before: string; host?: string; source?: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  if (!existsSync(storePath(config.dataDir))) throw CS_ERR.storeNotFound(storePath(config.dataDir));
  await prepareStore(config.dataDir);
  const before = parseBefore(o.before, systemClock.now());
  const r = pruneRecords(config.dataDir, { before, ...(o.host !== undefined ? { host: o.host } : {}), ...(o.source !== undefined ? { source: o.source } : {}) }, systemClock);
  if (r.count === 0) process.stdout.write(`nothing to prune before ${new Date(before).toISOString()}\n`);
  else process.stdout.write(`pruned the payload of ${r.count} records from before ${new Date(before).toISOString()}${o.host !== undefined ? ` from ${o.host}` : ''}${o.source !== undefined ? ` received over ${o.source}` : ''}; logged as entry ${r.entrySeq}\n`);
};
