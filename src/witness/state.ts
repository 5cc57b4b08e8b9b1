// The witness's durable memory (c2sp.org/tlog-witness): per log origin, the log's verifier key, the size and
// root it last cosigned and that cosigned checkpoint, in its own SQLite file (<dir>/witness.db). The check of the
// old size and the store of the new one happen in one IMMEDIATE transaction, so two requests (from any number of
// connections or processes) can never both move the same old size. It never judges proofs or signatures.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { CS_ERR } from '../errors.js';
import { err, ok, type Result } from '../model/result.js';
import { emptyRoot } from '../tlog/hash.js';

export const WITNESS_DB_FILE = 'witness.db';

export const witnessDbPath = (dataDir: string): string => join(dataDir, WITNESS_DB_FILE);

/** What the witness holds for one log. */
export interface WitnessedLog {
  readonly origin: string;
  /** The log's verifier key as configured (C2SP `name+hash+base64`). */
  readonly verifierKey: string;
  /** Size of the latest cosigned checkpoint; 0 before the first. */
  readonly size: number;
  /** Its root hash; the empty tree's root before the first. */
  readonly rootHash: Uint8Array;
  /** The latest cosigned checkpoint as a signed note (log signature and this witness's cosignature), if any. */
  readonly note: string | undefined;
  /** When it was stored, ms since the epoch (from the injected clock), if ever. */
  readonly updatedAt: number | undefined;
}

export type StoreRefusal =
  /** The stored size is not the old size the request was checked against: someone else moved it first. */
  | { readonly kind: 'conflict'; readonly storedSize: number }
  /** The origin has no row: it was never configured. */
  | { readonly kind: 'unknown-log' }
  /** A new size below the old one: the caller's bug, refused rather than stored. */
  | { readonly kind: 'rollback'; readonly storedSize: number };

/** The slice of the state the add-checkpoint handler needs (tests may give another). */
export interface WitnessStatePort {
  latest(origin: string): WitnessedLog | undefined;
  checkAndStore(origin: string, oldSize: number, newSize: number, newRoot: Uint8Array, note: string): Result<{ readonly previousSize: number }, StoreRefusal>;
  /** Keeps a request that a known log signed but that did not check out: possible evidence of a fork. */
  recordEvidence(origin: string, reason: string, body: string): void;
}

interface LogRow {
  origin: string;
  vkey: string;
  size: number;
  root_hash: Buffer;
  note: string | null;
  updated_at: number | null;
}

// Enough to show a fork to whoever looks; bounded so a misbehaving log cannot fill the disk.
const EVIDENCE_KEPT_PER_LOG = 1000;
const SCHEMA_VERSION = 1;

export class WitnessState implements WitnessStatePort {
  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {}

  /** Opens (creating if needed) <dataDir>/witness.db: WAL, synchronous=FULL, so a stored size survives power loss. */
  static open(dataDir: string, clock: Clock): WitnessState {
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw CS_ERR.dataDirUnusable(dataDir, e);
    }
    const db = new BetterSqlite3(witnessDbPath(dataDir));
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw CS_ERR.dataDirUnusable(dataDir, new Error(`${WITNESS_DB_FILE} has schema ${version}, newer than this program (${SCHEMA_VERSION})`));
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS witnessed_logs (
        origin     TEXT PRIMARY KEY,
        vkey       TEXT NOT NULL,
        size       INTEGER NOT NULL CHECK (size >= 0),
        root_hash  BLOB NOT NULL CHECK (length(root_hash) = 32),
        note       TEXT,
        updated_at INTEGER
      ) STRICT;
      CREATE TABLE IF NOT EXISTS evidence (
        id          INTEGER PRIMARY KEY,
        origin      TEXT NOT NULL,
        reason      TEXT NOT NULL,
        body        TEXT NOT NULL,
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS evidence_origin ON evidence (origin, id);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
    return new WitnessState(db, clock);
  }

  /**
   * Records the configured logs' keys. A new origin starts at size 0; a known one keeps its size and root even when
   * its key changes, so a log rebuilt under a new key still has to extend what was cosigned. Returns the origins
   * whose key changed.
   */
  configure(logs: readonly { readonly origin: string; readonly verifierKey: string }[]): string[] {
    const changed: string[] = [];
    const get = this.db.prepare<[string], { vkey: string }>('SELECT vkey FROM witnessed_logs WHERE origin = ?');
    const insert = this.db.prepare('INSERT INTO witnessed_logs (origin, vkey, size, root_hash) VALUES (?, ?, 0, ?)');
    const update = this.db.prepare('UPDATE witnessed_logs SET vkey = ? WHERE origin = ?');
    this.db
      .transaction(() => {
        for (const { origin, verifierKey } of logs) {
          const row = get.get(origin);
          if (row === undefined) insert.run(origin, verifierKey, Buffer.from(emptyRoot()));
          else if (row.vkey !== verifierKey) {
            update.run(verifierKey, origin);
            changed.push(origin);
          }
        }
      })
      .immediate();
    return changed;
  }

  latest(origin: string): WitnessedLog | undefined {
    const row = this.db.prepare<[string], LogRow>('SELECT * FROM witnessed_logs WHERE origin = ?').get(origin);
    return row === undefined ? undefined : fromRow(row);
  }

  /** Every log the state knows, configured now or before. */
  all(): WitnessedLog[] {
    return this.db.prepare<[], LogRow>('SELECT * FROM witnessed_logs ORDER BY origin').all().map(fromRow);
  }

  /**
   * In one IMMEDIATE transaction (the write lock is taken before the read): the stored size must still be `oldSize`,
   * then (newSize, newRoot, note) replace it. The caller has checked that the new tree extends the stored one; since
   * the size can only move through here, a stored size always carries the root that was checked against.
   */
  checkAndStore(origin: string, oldSize: number, newSize: number, newRoot: Uint8Array, note: string): Result<{ readonly previousSize: number }, StoreRefusal> {
    return this.db
      .transaction((): Result<{ readonly previousSize: number }, StoreRefusal> => {
        const row = this.db.prepare<[string], { size: number }>('SELECT size FROM witnessed_logs WHERE origin = ?').get(origin);
        if (row === undefined) return err({ kind: 'unknown-log' });
        if (row.size !== oldSize) return err({ kind: 'conflict', storedSize: row.size });
        if (newSize < oldSize) return err({ kind: 'rollback', storedSize: row.size });
        this.db
          .prepare('UPDATE witnessed_logs SET size = ?, root_hash = ?, note = ?, updated_at = ? WHERE origin = ?')
          .run(newSize, Buffer.from(newRoot), note, this.clock.now(), origin);
        return ok({ previousSize: row.size });
      })
      .immediate();
  }

  recordEvidence(origin: string, reason: string, body: string): void {
    this.db
      .transaction(() => {
        this.db.prepare('INSERT INTO evidence (origin, reason, body, received_at) VALUES (?, ?, ?, ?)').run(origin, reason, body, this.clock.now());
        this.db
          .prepare('DELETE FROM evidence WHERE origin = ? AND id <= (SELECT id FROM evidence WHERE origin = ? ORDER BY id DESC LIMIT 1 OFFSET ?)')
          .run(origin, origin, EVIDENCE_KEPT_PER_LOG);
      })
      .immediate();
  }

  /** The kept evidence for one log, oldest first. */
  evidence(origin: string): { readonly reason: string; readonly body: string; readonly receivedAt: number }[] {
    return this.db
      .prepare<[string], { reason: string; body: string; received_at: number }>('SELECT reason, body, received_at FROM evidence WHERE origin = ? ORDER BY id')
      .all(origin)
      .map((r) => ({ reason: r.reason, body: r.body, receivedAt: r.received_at }));
  }

  close(): void {
    this.db.close();
  }
}

function fromRow(row: LogRow): WitnessedLog {
  return {
    origin: row.origin,
    verifierKey: row.vkey,
    size: row.size,
    rootHash: new Uint8Array(row.root_hash),
    note: row.note ?? undefined,
    updatedAt: row.updated_at ?? undefined,
  };
}
