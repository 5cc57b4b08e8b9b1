// Appends record leaves to the Merkle tree inside the record writer's transaction: leaf seq = tree
// index, so a batch of records and its leaves commit together or not at all. Stores the tiles the
// append completes or widens and the new frontier. Refuses to write when tree and records disagree.
import type BetterSqlite3 from 'better-sqlite3';
import { decodeFrontier, EMPTY_FRONTIER, encodeFrontier, type Frontier } from '../../tlog/index.js';
import { appendLeafBlock, type PairHasher, tileUpdatesOfRuns } from '../../tlog/frontier-block.js';
import { TILE_WIDTH } from '../../tlog/tiles.js';
import { sha256Batch } from '../../native/sha256-batch.js';

/** Each level's new interior nodes in one call to the batch hasher. */
const hashPairs: PairHasher = (pairs, count, out) => sha256Batch.nodes(pairs, count, out);
import { HASH_SIZE } from '../../tlog/hash.js';

export class SqliteTlogAppender {
  private frontier: Frontier = EMPTY_FRONTIER;
  /** Right-edge partial tiles by "level/idx", so widening one needs no read. */
  private readonly edge = new Map<string, Uint8Array>();
  private readonly readTile: BetterSqlite3.Statement;
  private readonly writeTile: BetterSqlite3.Statement;
  private readonly readState: BetterSqlite3.Statement;
  private readonly readSize: BetterSqlite3.Statement;
  private readonly writeState: BetterSqlite3.Statement;
  /** Frontier of the transaction under way; becomes current on commit. */
  private pending: Frontier | null = null;
  private pendingEdge: [string, Uint8Array | null][] = [];

  constructor(db: BetterSqlite3.Database) {
    this.readTile = db.prepare('SELECT data FROM tlog_tiles WHERE level = ? AND idx = ?').pluck();
    this.writeTile = db.prepare('INSERT INTO tlog_tiles (level, idx, data) VALUES (?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data');
    this.readState = db.prepare('SELECT frontier FROM tlog_state WHERE id = 1').pluck();
    this.readSize = db.prepare('SELECT size FROM tlog_state WHERE id = 1').pluck();
    this.writeState = db.prepare('INSERT INTO tlog_state (id, size, frontier) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET size = excluded.size, frontier = excluded.frontier');
    this.reload();
  }

  get size(): number {
    return this.frontier.size;
  }

  /** Re-reads the committed state (after a rolled-back transaction). */
  reload(): void {
    const bytes = this.readState.get() as Uint8Array | undefined;
    if (bytes === undefined) this.frontier = EMPTY_FRONTIER;
    else {
      const f = decodeFrontier(bytes);
      if (!f.ok) throw new Error(`tlog state is damaged: ${f.error.message}`);
      this.frontier = f.value;
    }
    this.edge.clear();
    this.pending = null;
    this.pendingEdge = [];
  }

  /** Call inside the write transaction that stores records firstSeq … firstSeq + n - 1; leaves: n hashes back to back. */
  append(firstSeq: number, leaves: Uint8Array): void {
    // Another writer (an import beside the server) may have appended since: the stored state decides.
    if (this.pending === null && (this.readSize.get() ?? 0) !== this.frontier.size) this.reload();
    const base = this.pending ?? this.frontier;
    if (firstSeq !== base.size) throw new Error(`tlog out of step with the records: the tree has ${base.size} leaves, the batch starts at seq ${firstSeq}`);
    const r = appendLeafBlock(base, leaves, hashPairs);
    if (!r.ok) throw new Error(`tlog append failed: ${r.error.message}`);
    for (const u of tileUpdatesOfRuns(r.value.runs)) {
      const key = `${u.tile.level}/${u.tile.index}`;
      let prev: Uint8Array;
      if (u.offset === 0) prev = new Uint8Array(0);
      else {
        const staged = this.pendingEdge.findLast(([k]) => k === key);
        prev = (staged?.[1] ?? this.edge.get(key) ?? (this.readTile.get(u.tile.level, u.tile.index) as Uint8Array | undefined)) ?? new Uint8Array(0);
        if (prev.length !== u.offset * HASH_SIZE) throw new Error(`tlog tile ${key} holds ${prev.length / HASH_SIZE} hashes, expected ${u.offset}`);
      }
      const data = new Uint8Array(prev.length + u.hashes.length);
      data.set(prev, 0);
      data.set(u.hashes, prev.length);
      this.writeTile.run(u.tile.level, u.tile.index, data);
      this.pendingEdge.push([key, data.length < TILE_WIDTH * HASH_SIZE ? data : null]);
    }
    this.pending = r.value.frontier;
    this.writeState.run(this.pending.size, encodeFrontier(this.pending));
  }

  /** The transaction committed: its state becomes the current one. */
  committed(): void {
    if (this.pending !== null) this.frontier = this.pending;
    for (const [key, data] of this.pendingEdge) {
      if (data === null) this.edge.delete(key);
      else this.edge.set(key, data);
    }
    this.pending = null;
    this.pendingEdge = [];
  }

  /** The transaction rolled back: forget what it staged. */
  rolledBack(): void {
    this.pending = null;
    this.pendingEdge = [];
  }
}
