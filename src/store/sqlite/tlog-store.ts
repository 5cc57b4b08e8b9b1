// Read side of the tlog in SQLite, plus the checkpoint table: tree state, tiles for proofs, entries
// rebuilt from the stored records, and signed checkpoints (appended, never updated).
import type BetterSqlite3 from 'better-sqlite3';
import { decodeFrontier, frontierRoot, inclusionProof, consistencyProof, tileHashReader, type ProofError } from '../../tlog/index.js';
import type { TileId } from '../../tlog/tiles.js';
import { HASH_SIZE } from '../../tlog/hash.js';
import { recordEntryJson } from '../../tlog/record-entry.js';
import type { Result } from '../../model/result.js';
import { decodeBundle } from '../record-bundle.js';

export interface TreeState {
  readonly size: number;
  readonly root: Uint8Array;
}

export interface StoredCheckpoint {
  readonly id: number;
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  readonly createdAt: number;
}

export interface LogEntry {
  readonly index: number;
  /** The entry's canonical JSON (RFC 8785), as hashed into the leaf. */
  readonly entry: string;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export class SqliteTlogStore {
  private readonly state: BetterSqlite3.Statement;
  private readonly tileStmt: BetterSqlite3.Statement;
  private readonly insertCheckpoint: BetterSqlite3.Statement;
  private readonly latest: BetterSqlite3.Statement;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.state = db.prepare('SELECT frontier FROM tlog_state WHERE id = 1').pluck();
    this.tileStmt = db.prepare('SELECT data FROM tlog_tiles WHERE level = ? AND idx = ?').pluck();
    this.insertCheckpoint = db.prepare('INSERT INTO tlog_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)');
    this.latest = db.prepare('SELECT id, size, root, note, created_at AS createdAt FROM tlog_checkpoints ORDER BY id DESC LIMIT 1');
  }

  tree(): TreeState {
    const bytes = this.state.get() as Uint8Array | undefined;
    if (bytes === undefined) return { size: 0, root: frontierRoot(decodeFrontierOk(undefined)) };
    const f = decodeFrontierOk(bytes);
    return { size: f.size, root: frontierRoot(f) };
  }

  /** Reads a tile as stored (it may be wider than asked: hashes in a tile never change). */
  private readTile = (t: TileId): Uint8Array | undefined => {
    const data = this.tileStmt.get(t.level, t.index) as Uint8Array | undefined;
    if (data === undefined || data.length < t.width * HASH_SIZE) return undefined;
    return data.subarray(0, t.width * HASH_SIZE);
  };

  tile(level: number, index: number): Uint8Array | undefined {
    return this.tileStmt.get(level, index) as Uint8Array | undefined;
  }

  inclusion(index: number, size: number): Result<Uint8Array[], ProofError> {
    return inclusionProof(index, size, tileHashReader(size, this.readTile));
  }

  consistency(from: number, to: number): Result<Uint8Array[], ProofError> {
    return consistencyProof(from, to, tileHashReader(to, this.readTile));
  }

  /** The leaf hash at an index, from the level-0 tile. */
  leafHash(index: number): Uint8Array | undefined {
    const tile = this.tileStmt.get(0, Math.floor(index / 256)) as Uint8Array | undefined;
    const off = (index % 256) * HASH_SIZE;
    return tile === undefined || tile.length < off + HASH_SIZE ? undefined : tile.subarray(off, off + HASH_SIZE);
  }

  /** Entries start … end-1, rebuilt from the stored records and their connections. */
  entries(start: number, end: number): LogEntry[] {
    const out: LogEntry[] = [];
    const rows = this.db.prepare('SELECT first_seq, data FROM record_bundles WHERE first_seq + count > ? AND first_seq < ? ORDER BY first_seq').all(start, end) as { first_seq: number; data: Uint8Array }[];
    const conn = this.db.prepare('SELECT transport, peer, peer_identity FROM connections WHERE id = ?');
    const conns = new Map<number, { transport: string; peer: string; peer_identity: string | null }>();
    for (const b of rows) {
      decodeBundle(b.data).forEach((r, i) => {
        const index = b.first_seq + i;
        if (index < start || index >= end) return;
        let c = conns.get(r.connId);
        if (c === undefined) conns.set(r.connId, (c = conn.get(r.connId) as { transport: string; peer: string; peer_identity: string | null }));
        out.push({ index, entry: recordEntryJson({ receivedAt: r.receivedAt, transport: c.transport, peer: c.peer, peerIdentity: c.peer_identity, rawSha256: hex(r.rawSha256) }) });
      });
    }
    return out;
  }

  /** The stored bytes of a record. */
  recordRaw(seq: number): Uint8Array | undefined {
    const b = this.db.prepare('SELECT first_seq, data FROM record_bundles WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1').get(seq) as { first_seq: number; data: Uint8Array } | undefined;
    return b === undefined ? undefined : decodeBundle(b.data)[seq - b.first_seq]?.raw;
  }

  saveCheckpoint(size: number, root: Uint8Array, note: string, at: number): void {
    this.insertCheckpoint.run(size, root, note, at);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    return this.latest.get() as StoredCheckpoint | undefined;
  }

  witnessSize(witness: string): number {
    return (this.db.prepare('SELECT size FROM tlog_witness_state WHERE witness = ?').pluck().get(witness) as number | undefined) ?? 0;
  }

  /** A witness cosigned checkpoint `checkpointId` of `size`: its line is kept and its size remembered, together. */
  saveCosignature(checkpointId: number, witness: string, size: number, line: string, at: number): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO tlog_cosignatures (checkpoint_id, witness, line, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(checkpointId, witness, line, at);
      this.db.prepare('INSERT INTO tlog_witness_state (witness, size, updated_at) VALUES (?, ?, ?) ON CONFLICT (witness) DO UPDATE SET size = excluded.size, updated_at = excluded.updated_at').run(witness, size, at);
    }).immediate();
  }

  setWitnessSize(witness: string, size: number, at: number): void {
    this.db.prepare('INSERT INTO tlog_witness_state (witness, size, updated_at) VALUES (?, ?, ?) ON CONFLICT (witness) DO UPDATE SET size = excluded.size, updated_at = excluded.updated_at').run(witness, size, at);
  }

  /** The latest checkpoint with every cosignature received for it appended (a C2SP note with several signatures). */
  latestCosigned(): StoredCheckpoint | undefined {
    const c = this.latestCheckpoint();
    if (c === undefined) return undefined;
    const lines = this.db.prepare('SELECT line FROM tlog_cosignatures WHERE checkpoint_id = ? ORDER BY witness').pluck().all(c.id) as string[];
    return lines.length === 0 ? c : { ...c, note: c.note + lines.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join('') };
  }

  checkpoints(): StoredCheckpoint[] {
    return this.db.prepare('SELECT id, size, root, note, created_at AS createdAt FROM tlog_checkpoints ORDER BY id').all() as StoredCheckpoint[];
  }

  close(): void {
    this.db.close();
  }
}

const decodeFrontierOk = (bytes: Uint8Array | undefined) => {
  if (bytes === undefined) return { size: 0, hashes: [] };
  const f = decodeFrontier(bytes);
  if (!f.ok) throw new Error(`tlog state is damaged: ${f.error.message}`);
  return f.value;
};
