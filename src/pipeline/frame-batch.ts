// Frames packed for the trip to the writer thread: one byte buffer plus typed-array columns, so a
// batch of thousands of frames crosses threads as a few transferable buffers, not thousands of objects.
import type { Transport } from '../model/record.js';
import { sha256Batch } from '../native/sha256-batch.js';
import type { FrameFlag } from '../sources/framing/types.js';
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
    this.used += len;
  }

  /** Hands the batch over and starts a fresh one; the returned arrays are owned by the batch. */
  seal(id: number): SealedBatch {
    const n = this.n;
    // Hashed here, on the thread that reads the sockets, to share the per-record work between the two
    // cores (this one frames and hashes, the writer thread parses and commits); a batch at a time, in
    // two calls: the frames, then their tlog entries (which hold the frames' digests).
    sha256Batch.each(this.bytes, this.offsets, this.lengths, n, this.sha256);
    entries.build(n, this.conns, this.conn, this.sha256, this.receivedAt);
    sha256Batch.each(entries.bytes, entries.offsets, entries.lengths, n, this.leaf);
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

/** Per sender, its entry's fixed bytes: 0x00 (the RFC 6962 leaf prefix) + the head, and the tail. */
interface EntryBytes {
  readonly head: Buffer;
  readonly tail: Buffer;
}
const entryBytes = new WeakMap<ConnMeta, EntryBytes>();
const bytesOf = (meta: ConnMeta): EntryBytes => {
  let b = entryBytes.get(meta);
  if (b === undefined) {
    const p = recordEntryParts(meta);
    entryBytes.set(meta, (b = { head: Buffer.from(`\0${p.head}`, 'utf8'), tail: Buffer.from(p.tail, 'utf8') }));
  }
  return b;
};

const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX[2 * i] = '0123456789abcdef'.charCodeAt(i >> 4);
  HEX[2 * i + 1] = '0123456789abcdef'.charCodeAt(i & 15);
}
const RECEIVED_AT = Buffer.from('","receivedAt":', 'latin1');

/**
 * The leaf inputs of a batch, 0x00 ‖ the record's entry (tlog/record-entry.ts, byte for byte), written
 * into one reused buffer: no string per record. record-entry's own builder is the reference.
 */
class EntryWriter {
  bytes = Buffer.allocUnsafe(1 << 20);
  offsets = new Uint32Array(0);
  lengths = new Uint32Array(0);
  private readonly time = Buffer.alloc(32);

  build(n: number, conns: readonly ConnMeta[], conn: Uint32Array, sha: Uint8Array, receivedAt: Float64Array): void {
    if (this.offsets.length < n) {
      this.offsets = new Uint32Array(n);
      this.lengths = new Uint32Array(n);
    }
    const metas = conns.map(bytesOf);
    // Frames read together share their receive time: its digits are written once.
    let lastTime = NaN;
    let timeLen = 0;
    const timeBytes = this.time;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const m = metas[conn[i]!]!;
      // head + 64 hex + ","receivedAt": + at most 24 characters of a number (JSON.stringify) + tail
      const room = m.head.length + 64 + RECEIVED_AT.length + 24 + m.tail.length;
      if (at + room > this.bytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, at + room));
        this.bytes.copy(grown, 0, 0, at);
        this.bytes = grown;
      }
      const out = this.bytes;
      const start = at;
      // Small copies by hand: Buffer#copy and TypedArray#set cost more per call than these few bytes.
      const head = m.head;
      for (let k = 0; k < head.length; k++) out[at++] = head[k]!;
      for (let k = i * 32, end = k + 32; k < end; k++) {
        const v = sha[k]! * 2;
        out[at++] = HEX[v]!;
        out[at++] = HEX[v + 1]!;
      }
      for (let k = 0; k < RECEIVED_AT.length; k++) out[at++] = RECEIVED_AT[k]!;
      const t = receivedAt[i]!;
      if (t !== lastTime) {
        lastTime = t;
        timeLen = writeJsonNumber(timeBytes, 0, t);
      }
      for (let k = 0; k < timeLen; k++) out[at++] = timeBytes[k]!;
      const tail = m.tail;
      for (let k = 0; k < tail.length; k++) out[at++] = tail[k]!;
      this.offsets[i] = start;
      this.lengths[i] = at - start;
    }
  }
}
const entries = new EntryWriter();

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
