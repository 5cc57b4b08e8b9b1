// Countersign's own actions as tlog entries (DESIGN §5: "every human or system action"): each action
// (a review, a comment, a user change, a view) is stored as an internal record whose bytes are the
// action's canonical JSON (RFC 8785), so it is a leaf of the same Merkle tree as every received record
// and its seq is its leaf index. The caller's index rows are written in the same transaction: the
// entry and its index row commit together or not at all, and `verify` checks one against the other.
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { newConnKey } from '../ids.js';
import { canonicalize } from '../tlog/index.js';
import type { ConnRef } from '../store/types.js';
import { kyselyOver } from '../store/sqlite/open.js';
import { SqliteRecordWriter } from '../store/sqlite/record-writer.js';

type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json };

/** Every action entry names its type, format version, time and who did it ('countersign' for the system). */
export interface ActionEntry {
  readonly type: string;
  readonly v: 1;
  readonly at: number;
  readonly actor: string;
  readonly [k: string]: Json;
}

/** The envelope app name of action entries: how readers tell them from received records. */
export const ACTION_APP = 'countersign';

export class ActionLog {
  private writer: SqliteRecordWriter;
  private conn: ConnRef;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {
    this.writer = new SqliteRecordWriter(db, kyselyOver(db));
    this.conn = { key: newConnKey(), transport: 'internal', peer: 'countersign', peerIdentity: null };
  }

  /**
   * Appends `entry` and runs `index(seq)` in the same IMMEDIATE transaction; returns the entry's seq.
   * Throws (and nothing is kept) when the entry is not canonical JSON or `index` throws.
   */
  append(entry: ActionEntry, index?: (seq: number) => void): number {
    const json = canonicalize(entry);
    if (!json.ok) throw new Error(`action ${entry.type} is not canonical JSON: ${json.error.message}`);
    const raw = Buffer.from(json.value, 'utf8');
    const run = this.db.transaction(() => {
      const r = this.writer.appendSync([
        {
          receivedAt: this.clock.now(),
          conn: this.conn,
          raw,
          rawSha256: createHash('sha256').update(raw).digest(),
          envelope: { format: 'countersign', app: ACTION_APP, msgid: entry.type, msg: json.value },
          unparsedReason: null,
        },
      ]);
      index?.(r.firstSeq);
      return r.firstSeq;
    });
    try {
      return run.immediate();
    } catch (e) {
      // The writer's caches (connection row, tree frontier) may describe the rolled-back transaction.
      this.writer = new SqliteRecordWriter(this.db, kyselyOver(this.db));
      this.conn = { key: newConnKey(), transport: 'internal', peer: 'countersign', peerIdentity: null };
      throw e;
    }
  }
}
