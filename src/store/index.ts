// The store's entry points. Callers ask for a writer or a reader on a data directory; which backend
// serves them is decided here alone (SQLite today; PostgreSQL behind the same interfaces later).
import { SqliteWalCheckpoint } from './sqlite/wal-checkpoint.js';
import { kyselyOver, migrate, openSqlite } from './sqlite/open.js';
import { SqliteRecordReader } from './sqlite/record-reader.js';
import { SqliteRecordWriter } from './sqlite/record-writer.js';
import { SqliteDerivedStore } from './sqlite/derived-store.js';
import { SqliteSessionReader, type RuleTitles } from './sqlite/session-reader.js';
import { SqliteTlogStore } from './sqlite/tlog-store.js';
import { SqliteAlertStore } from './sqlite/alert-store.js';

export type { RecordReader, RecordWriter, NewRecord, CounterDelta, AppendResult, StoreStats, RecordQuery, DerivedStore } from './types.js';
export { storePath, setWalCheckpoints, type WalCheckpoints } from './sqlite/open.js';
export type { CheckpointResult } from './sqlite/wal-checkpoint.js';

/** Creates or upgrades the store; call once before writers start. */
export const prepareStore = async (dataDir: string): Promise<void> => {
  const k = kyselyOver(openSqlite(dataDir));
  try {
    await migrate(k);
  } finally {
    await k.destroy();
  }
};

export const openWriter = (dataDir: string): SqliteRecordWriter => {
  const db = openSqlite(dataDir);
  const w = new SqliteRecordWriter(db, kyselyOver(db));
  w.catchUpTree();
  return w;
};

export const openReader = (dataDir: string, opts: { readonly?: boolean } = {}): SqliteRecordReader =>
  new SqliteRecordReader(kyselyOver(openSqlite(dataDir, opts)));

/** The derive stage's store: events, sessions and counters next to the records they come from. */
export const openDerivedStore = (dataDir: string): SqliteDerivedStore => {
  const db = openSqlite(dataDir);
  // Derived rows and their cursor commit together and can be rebuilt from the records: a commit lost
  // to a power cut is derived again, so this connection need not wait for the disk (WAL keeps it consistent).
  db.pragma('synchronous = NORMAL');
  return new SqliteDerivedStore(db, kyselyOver(db));
};

/** `rules`: titles of the loaded rules, for the hits sessions list (rules/rule-set.ts catalogue()). */
export const openSessionReader = (dataDir: string, opts: { rules?: RuleTitles } = {}): SqliteSessionReader =>
  new SqliteSessionReader(kyselyOver(openSqlite(dataDir, { readonly: true })), opts.rules);

export const openTlogStore = (dataDir: string, opts: { readonly?: boolean } = {}): SqliteTlogStore => new SqliteTlogStore(openSqlite(dataDir, opts));

/** The alert stage's store (src/alerts/port.ts): the outbox and the cursor over rule hits, on its own connection. */
export const openAlertStore = (dataDir: string): SqliteAlertStore => new SqliteAlertStore(openSqlite(dataDir));

/** serve's checkpoint thread: its own connection, copying the WAL into the database file. */
export const openWalCheckpoint = (dataDir: string): SqliteWalCheckpoint => new SqliteWalCheckpoint(openSqlite(dataDir));
