// Copies the WAL into the database file on a connection of its own (PASSIVE: it never waits for the
// writer or readers, and they never wait for it). Used by serve's checkpoint thread, so that a commit
// never pays for a checkpoint (see open.ts setWalCheckpoints).
import type BetterSqlite3 from 'better-sqlite3';

export interface CheckpointResult {
  /** The checkpoint could not finish (a reader holds an old snapshot); it copied what it could. */
  readonly busy: boolean;
  /** Frames in the WAL, and how many of them are now in the database file. */
  readonly walFrames: number;
  readonly checkpointed: number;
}

/**
 * How long a restart round waits for a gap between transactions. While it waits, new write transactions
 * wait behind it (SQLite), so it gives up soon and tries again next round: another writer holding the
 * lock (a backup, an import) must not stall ingest for the usual busy timeout.
 */
const RESTART_WAIT_MS = 100;

export class SqliteWalCheckpoint {
  constructor(private readonly db: BetterSqlite3.Database) {
    db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
    // It reads no table: the copy goes from the WAL to the file, not through this connection's cache.
    db.pragma('cache_size = 16');
  }

  /**
   * passive: copy what is committed, waiting for no one. restart: also wait (busy_timeout) until the
   * writer is between transactions and readers are off the WAL, so the next transaction starts the WAL
   * over; under steady ingest a passive checkpoint never catches the writer's last frames, and the WAL
   * would only grow.
   */
  run(mode: 'passive' | 'restart' = 'passive'): CheckpointResult {
    const [r] = this.db.pragma(`wal_checkpoint(${mode === 'passive' ? 'PASSIVE' : 'RESTART'})`) as { busy: number; log: number; checkpointed: number }[];
    return { busy: r?.busy === 1, walFrames: Math.max(0, r?.log ?? 0), checkpointed: Math.max(0, r?.checkpointed ?? 0) };
  }

  close(): void {
    this.db.close();
  }
}
