// Frames packed for the trip to the writer thread: one byte buffer plus typed-array columns, so a
// batch of thousands of frames crosses threads as a few transferable buffers, not thousands of objects.
import type { Transport } from '../model/record.js';
import { sha256Batch, type RecordLeafParts } from '../native/sha256-batch.js';
import type { FrameFlag } from '../sources/framing/types.js';
import type { RecordBlock } from '../store/types.js';
import { recordEntryParts } from '../tlog/record-entry.js';

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

/**
 * A batch as it crosses to the writer: the store's RecordBlock columns (frames, offsets, times, senders,
 * SHA-256 and leaves, both taken when the batch is sealed) before parsing, plus each frame's flag.
 */
export interface SealedBatch extends Omit<RecordBlock, 'envelopes' | 'unparsed' | 'leaf' | 'conns'> {
  readonly id: number;
  readonly flags: Uint8Array;
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
    this.used += len;
  }

  /** Hands the batch over and starts a fresh one; the returned arrays are owned by the batch. */
  seal(id: number): SealedBatch {
    const n = this.n;
    // Hashed here, on the thread that reads the sockets, to share the per-record work between the two
    // cores (this one frames and hashes, the writer thread parses and commits); a batch at a time, in
    // two calls: the frames, then their tlog leaves (whose entries hold the frames' digests).
    sha256Batch.each(this.bytes, this.offsets, this.lengths, n, this.sha256);
    sha256Batch.recordLeaves(leafParts.of(n, this.conns, this.conn, this.sha256, this.receivedAt), this.leaf);
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

/** Per sender, its entry's fixed bytes: the head (up to `"rawSha256":"`) and the tail (from `,"transport":`). */
interface EntryBytes {
  readonly head: Buffer;
  readonly tail: Buffer;
}
const entryBytes = new WeakMap<ConnMeta, EntryBytes>();
const bytesOf = (meta: ConnMeta): EntryBytes => {
  let b = entryBytes.get(meta);
  if (b === undefined) {
    const p = recordEntryParts(meta);
    entryBytes.set(meta, (b = { head: Buffer.from(p.head, 'utf8'), tail: Buffer.from(p.tail, 'utf8') }));
  }
  return b;
};

/**
 * A batch's leaf inputs in parts (native/sha256-batch.ts RecordLeafParts): each sender's head and tail
 * once, each distinct receive time once as JSON. Frames read together share their receive time.
 */
class LeafParts {
  private times = Buffer.allocUnsafe(4096);
  private timeOffsets = new Uint32Array(0);
  private timeLengths = new Uint32Array(0);

  of(n: number, conns: readonly ConnMeta[], conn: Uint32Array, sha256: Uint8Array, receivedAt: Float64Array): RecordLeafParts {
    const metas = conns.map(bytesOf);
    const parts = Buffer.concat(metas.flatMap((m) => [m.head, m.tail]));
    const partOffsets = new Uint32Array(4 * metas.length);
    let at = 0;
    metas.forEach((m, k) => {
      partOffsets.set([at, m.head.length, at + m.head.length, m.tail.length], 4 * k);
      at += m.head.length + m.tail.length;
    });
    if (this.timeOffsets.length < n) {
      this.timeOffsets = new Uint32Array(n);
      this.timeLengths = new Uint32Array(n);
    }
    let used = 0;
    let last = NaN;
    let lastAt = 0;
    let lastLen = 0;
    for (let i = 0; i < n; i++) {
      const t = receivedAt[i]!;
      if (!(t === last)) {
        // JSON.stringify of a number is at most 24 characters.
        if (used + 24 > this.times.length) {
          const grown = Buffer.allocUnsafe(this.times.length * 2);
          this.times.copy(grown, 0, 0, used);
          this.times = grown;
        }
        last = t;
        lastAt = used;
        lastLen = writeJsonNumber(this.times, used, t) - used;
        used += lastLen;
      }
      this.timeOffsets[i] = lastAt;
      this.timeLengths[i] = lastLen;
    }
    return { count: n, sha256, conn, parts, partOffsets, times: this.times, timeOffsets: this.timeOffsets, timeLengths: this.timeLengths };
  }
}
const leafParts = new LeafParts();

/** JSON.stringify(x) written as ASCII at `at`; returns the new end. Whole milliseconds take the short path. */
const writeJsonNumber = (out: Buffer, at: number, x: number): number => {
  if (Number.isSafeInteger(x) && x >= 0) {
    if (x === 0) {
      out[at] = 0x30;
      return at + 1;
    }
    let digits = 0;
    for (let v = x; v > 0; v = Math.floor(v / 10)) digits++;
    for (let k = at + digits - 1, v = x; v > 0; k--, v = Math.floor(v / 10)) out[k] = 0x30 + (v % 10);
    return at + digits;
  }
  return at + out.write(JSON.stringify(x), at, 'latin1');
};
