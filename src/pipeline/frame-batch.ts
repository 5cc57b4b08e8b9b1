// Frames packed for the trip to the writer thread: one byte buffer plus typed-array columns, so a
// batch of thousands of frames crosses threads as a few transferable buffers, not thousands of objects.
import type { Transport } from '../model/record.js';
import { hash } from 'node:crypto';
import { recordEntryFromParts, recordEntryParts, type RecordEntryParts } from '../tlog/record-entry.js';

/** SHA-256(0x00 ‖ entry) input, reused: byte 0 is the RFC 6962 leaf prefix (as tlog/hash.ts leafHash). */
let leafScratch = Buffer.alloc(1024);
/** Per sender, the entry's fixed parts (ConnMeta objects live as long as their connection). */
const entryParts = new WeakMap<ConnMeta, RecordEntryParts>();
import type { FrameFlag } from '../sources/framing/types.js';

/** What `import --format` accepts: restricts which envelope parsers may claim a frame. */
export const FORMAT_HINTS = ['auto', 'syslog', 'auditd', 'journald'] as const;
export type FormatHint = (typeof FORMAT_HINTS)[number];

/** Where frames came from; one object per connection (or socket, or imported file), shared by its frames. */
export interface ConnMeta {
  /** Process-unique (ids.ts); the store keeps one `connections` row per key. */
  readonly key: number;
  readonly transport: Transport;
  readonly peer: string;
  readonly peerIdentity: string | null;
  /** Hostname for records whose envelope names none (import --host). */
  readonly defaultHost?: string;
  /** Restricts envelope detection (import --format). */
  readonly formatHint?: FormatHint;
  /** Time that RFC 3164 year inference is made around, when not the receive time (an imported file's mtime). */
  readonly referenceTime?: number;
}

export interface SealedBatch {
  readonly id: number;
  readonly count: number;
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
  readonly receivedAt: Float64Array;
  readonly conn: Uint32Array;
  readonly flags: Uint8Array;
  /** SHA-256 of each frame, 32 bytes each, computed as the frame is added. */
  readonly sha256: Uint8Array;
  /** Each record's tlog leaf hash, 32 bytes each (tlog/record-entry.ts), computed with the SHA-256. */
  readonly leaf: Uint8Array;
  readonly conns: readonly ConnMeta[];
}

export class BatchBuilder {
  private bytes: Buffer;
  private used = 0;
  private n = 0;
  private offsets: Uint32Array;
  private lengths: Uint32Array;
  private receivedAt: Float64Array;
  private conn: Uint32Array;
  private flags: Uint8Array;
  private sha256: Uint8Array;
  private leaf: Uint8Array;
  private conns: ConnMeta[] = [];
  private connIndex = new Map<ConnMeta, number>();

  constructor(
    private readonly maxRecords: number,
    private readonly initialBytes = 1 << 20,
  ) {
    this.bytes = Buffer.allocUnsafe(initialBytes);
    this.offsets = new Uint32Array(maxRecords);
    this.lengths = new Uint32Array(maxRecords);
    this.receivedAt = new Float64Array(maxRecords);
    this.conn = new Uint32Array(maxRecords);
    this.flags = new Uint8Array(maxRecords);
    this.sha256 = new Uint8Array(maxRecords * 32);
    this.leaf = new Uint8Array(maxRecords * 32);
  }

  get count(): number {
    return this.n;
  }
  get byteLength(): number {
    return this.used;
  }
  get full(): boolean {
    return this.n >= this.maxRecords;
  }

  /** Copies the frame in. The caller checks `full` first. */
  add(meta: ConnMeta, frame: Uint8Array, flag: FrameFlag, receivedAt: number): void {
    const len = frame.length;
    if (this.used + len > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + len));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.bytes.set(frame, this.used);
    let ci = this.connIndex.get(meta);
    if (ci === undefined) {
      ci = this.conns.length;
      this.conns.push(meta);
      this.connIndex.set(meta, ci);
    }
    const i = this.n++;
    this.offsets[i] = this.used;
    this.lengths[i] = len;
    this.receivedAt[i] = receivedAt;
    this.conn[i] = ci;
    this.flags[i] = flag;
    // Hashed here, on the thread that reads the sockets, to share the per-record work between
    // the two cores: this one frames and hashes, the writer thread parses and commits.
    const digest = hash('sha256', frame, 'buffer');
    this.sha256.set(digest, i * 32);
    // The leaf too: the entry needs only what this thread knows (the seq is the leaf's index, not in it).
    // Written straight into a scratch buffer after the leaf prefix: no per-record Buffer for the entry.
    let parts = entryParts.get(meta);
    if (parts === undefined) entryParts.set(meta, (parts = recordEntryParts(meta)));
    const entry = recordEntryFromParts(parts, digest.toString('hex'), receivedAt);
    if (entry.length * 3 + 1 > leafScratch.length) leafScratch = Buffer.alloc(entry.length * 3 + 1);
    const n = leafScratch.write(entry, 1, 'utf8');
    this.leaf.set(hash('sha256', leafScratch.subarray(0, n + 1), 'buffer'), i * 32);
    this.used += len;
  }

  /** Hands the batch over and starts a fresh one; the returned arrays are owned by the batch. */
  seal(id: number): SealedBatch {
    const n = this.n;
    const batch: SealedBatch = {
      id,
      count: n,
      bytes: this.bytes.subarray(0, this.used),
      offsets: this.offsets.slice(0, n),
      lengths: this.lengths.slice(0, n),
      receivedAt: this.receivedAt.slice(0, n),
      conn: this.conn.slice(0, n),
      flags: this.flags.slice(0, n),
      sha256: this.sha256.slice(0, n * 32),
      leaf: this.leaf.slice(0, n * 32),
      conns: this.conns,
    };
    this.bytes = Buffer.allocUnsafe(Math.max(this.initialBytes, Math.min(this.bytes.length, 8 << 20)));
    this.used = 0;
    this.n = 0;
    this.conns = [];
    this.connIndex = new Map();
    return batch;
  }
}
