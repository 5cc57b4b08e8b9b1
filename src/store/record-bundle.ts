// Records are kept as entry bundles (as Tessera keeps tlog entries): up to BUNDLE_MAX consecutive
// records packed in one binary value, one store row per bundle. This is the codec, pure and shared by
// every backend. The format is append-only: codes are indexes into closed lists that may only grow
// (ENVELOPE_FORMATS, UNPARSED_REASONS, TIME_QUALITIES in model/record.ts).
import {
  ENVELOPE_FORMATS,
  TIME_QUALITIES,
  UNPARSED_REASONS,
  type Envelope,
  type EnvelopeFormat,
  type SdElement,
  type TimeQuality,
  type UnparsedReason,
} from '../model/record.js';

/**
 * Records per bundle: a 256-record bundle is ~60 KB of 131-byte frames (messages that end their frame
 * are stored as a span of it, IN_RAW), about one 64 KiB page. 512 measured no faster end to end.
 */
export const BUNDLE_MAX = 256;
const MAGIC = 0x31425343; // "CSB1" little-endian
const ABSENT = 0xffffffff;
/**
 * In place of a string's length: the string is bytes [start, end) of the record's own raw frame (u32
 * start, u32 end follow), all ASCII. Messages are usually the tail of their frame, so a bundle need not
 * hold them twice (~30% fewer bytes to write and checkpoint). Written only after checking every byte.
 */
const IN_RAW = 0xfffffffe;

/** One record as the codec sees it: the store's row without the seq (position) and connection details. */
export interface BundleRecord {
  readonly receivedAt: number;
  readonly connId: number;
  readonly raw: Uint8Array;
  readonly rawSha256: Uint8Array;
  readonly envelope: Envelope | null;
  readonly unparsedReason: UnparsedReason | null;
}

/** Fixed part of a record: f64 receivedAt, f64 time, u32 connId, u8 format, u8 reason, u8 timeQuality, u8 pad, i16 pri, 32 sha. */
const FIXED = 8 + 8 + 4 + 4 + 2 + 32;

/** The rarer envelope fields (structured data, device seq, journald extras, a lone PRI half), as JSON; null when none. */
const moreOf = (e: Envelope): string | null => {
  const sd = e.structuredData !== undefined && e.structuredData.length > 0;
  // PRI needs both halves; a lone one (journald PRIORITY without SYSLOG_FACILITY) goes here.
  const lone = (e.facility === undefined) !== (e.severity === undefined);
  if (!sd && e.deviceSeq === undefined && e.extra === undefined && !lone) return null;
  return JSON.stringify({
    structuredData: sd ? e.structuredData : undefined,
    deviceSeq: e.deviceSeq,
    extra: e.extra,
    facility: lone ? e.facility : undefined,
    severity: lone ? e.severity : undefined,
  });
};

/**
 * Records as columns, the way the ingest batch carries them: raw frames back to back in one buffer,
 * one typed array per fixed field. Encoding from columns needs no object per record.
 */
export interface BundleColumns {
  /** Record i's raw bytes are bytes[offsets[i], offsets[i] + lengths[i]). */
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
  readonly receivedAt: Float64Array;
  /** The store's connection id of each record. */
  readonly connIds: Uint32Array;
  /** SHA-256 of each record's raw bytes, 32 bytes each. */
  readonly sha256: Uint8Array;
  readonly envelopes: readonly (Envelope | null)[];
  readonly unparsed: readonly (UnparsedReason | null)[];
}

/** Records packed as columns (for callers holding record objects: retention, tests). */
export const columnsOf = (records: readonly BundleRecord[]): BundleColumns => {
  const n = records.length;
  const offsets = new Uint32Array(n);
  const lengths = new Uint32Array(n);
  const bytes = new Uint8Array(records.reduce((k, r) => k + r.raw.length, 0));
  const sha256 = new Uint8Array(n * 32);
  let at = 0;
  records.forEach((r, i) => {
    bytes.set(r.raw, at);
    offsets[i] = at;
    lengths[i] = r.raw.length;
    at += r.raw.length;
    sha256.set(r.rawSha256, i * 32);
  });
  return {
    bytes,
    offsets,
    lengths,
    receivedAt: Float64Array.from(records, (r) => r.receivedAt),
    connIds: Uint32Array.from(records, (r) => r.connId),
    sha256,
    envelopes: records.map((r) => r.envelope),
    unparsed: records.map((r) => r.unparsedReason),
  };
};

/** Strings up to this length are written by hand; longer ones (messages) by utf8Write (measured: ~10% faster encoding). */
const SHORT = 32;

const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Packs records into one bundle. The encoder's buffer is reused between calls; the result is a view into it. */
export class BundleEncoder {
  private buf = Buffer.allocUnsafe(1 << 20);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  /** A u32 byte length then the UTF-8 bytes, or ABSENT. */
  private str(s: string | undefined | null): void {
    if (s === undefined || s === null) {
      this.room(4);
      this.u32(ABSENT, this.at);
      this.at += 4;
      return;
    }
    const len = s.length;
    this.room(4 + len * 3);
    const b = this.buf;
    const start = this.at + 4;
    // Short ASCII fields (host, program, pid) by hand: a native call costs more than these few bytes.
    let i = 0;
    if (len <= SHORT) {
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
    }
    // utf8Write is what Buffer#write calls after checking its arguments.
    const n = i === len ? len : (b as unknown as { utf8Write(s: string, offset: number): number }).utf8Write(s, start);
    this.u32(n, this.at);
    this.at = start + n;
  }

  /**
   * Writes s as IN_RAW when it is, character for character, the ASCII bytes that end the frame (before
   * the line ending or NUL padding the parsers leave out); false when it is not, and nothing is written.
   */
  private rawSpan(s: string, raw: Uint8Array, off: number, len: number): boolean {
    let end = off + len;
    while (end > off && (raw[end - 1] === 0x0a || raw[end - 1] === 0x0d || raw[end - 1] === 0)) end--;
    const start = end - s.length;
    if (s.length === 0 || start < off) return false;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80 || c !== raw[start + k]) return false;
    }
    this.room(12);
    this.u32(IN_RAW, this.at);
    this.u32(start - off, this.at + 4);
    this.u32(end - off, this.at + 8);
    this.at += 12;
    return true;
  }

  private u32(v: number, p: number): void {
    const b = this.buf;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = v >>> 24;
  }

  encode(records: readonly BundleRecord[], from: number, to: number): Buffer {
    return this.encodeColumns(columnsOf(records.slice(from, to)), 0, to - from);
  }

  /** Records from … to - 1 of the columns as one bundle. */
  encodeColumns(c: BundleColumns, from: number, to: number): Buffer {
    const bytes = asBuffer(c.bytes);
    const sha = asBuffer(c.sha256);
    this.at = 0;
    this.room(8);
    this.buf.writeUInt32LE(MAGIC, 0);
    this.buf.writeUInt32LE(to - from, 4);
    this.at = 8;
    for (let i = from; i < to; i++) {
      const e = c.envelopes[i]!;
      const reason = c.unparsed[i]!;
      const off = c.offsets[i]!;
      const len = c.lengths[i]!;
      this.room(FIXED + 4 + len);
      const b = this.buf;
      let p = this.at;
      b.writeDoubleLE(c.receivedAt[i]!, p);
      b.writeDoubleLE(e?.time ?? NaN, p + 8);
      this.u32(c.connIds[i]!, p + 16);
      b[p + 20] = e === null ? 0 : ENVELOPE_FORMATS.indexOf(e.format) + 1;
      b[p + 21] = reason === null ? 0 : UNPARSED_REASONS.indexOf(reason) + 1;
      b[p + 22] = e?.timeQuality === undefined ? 0 : TIME_QUALITIES.indexOf(e.timeQuality) + 1;
      b[p + 23] = 0;
      b.writeInt16LE(e !== null && e.facility !== undefined && e.severity !== undefined ? e.facility * 8 + e.severity : -1, p + 24);
      for (let k = 0, q = p + 26, r = i * 32; k < 32; k++) b[q + k] = sha[r + k]!;
      p += FIXED;
      this.u32(len, p);
      if (len < 256) for (let k = 0, q = p + 4; k < len; k++) b[q + k] = bytes[off + k]!;
      else bytes.copy(b, p + 4, off, off + len);
      this.at = p + 4 + len;
      if (e !== null) {
        this.str(e.hostname);
        this.str(e.app);
        this.str(e.procid);
        this.str(e.msgid);
        if (!this.rawSpan(e.msg, bytes, off, len)) this.str(e.msg);
        this.str(moreOf(e));
      }
    }
    return this.buf.subarray(0, this.at);
  }
}

export interface DecodedRecord extends BundleRecord {
  /** Position in the bundle: seq = the bundle's first seq + index. */
  readonly index: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Unpacks a bundle. Throws on a bundle that is not one (the store's bytes were damaged). */
export const decodeBundle = (data: Uint8Array): DecodedRecord[] => {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (b.length < 8 || b.readUInt32LE(0) !== MAGIC) throw new Error('not a record bundle (bad magic)');
  const n = b.readUInt32LE(4);
  const out: DecodedRecord[] = [];
  let p = 8;
  let rawAt = 0;
  let rawLen = 0;
  const str = (): string | undefined => {
    const len = b.readUInt32LE(p);
    p += 4;
    if (len === ABSENT) return undefined;
    if (len === IN_RAW) {
      const start = b.readUInt32LE(p);
      const end = b.readUInt32LE(p + 4);
      p += 8;
      if (start > end || end > rawLen) throw new Error('record bundle: a field outside its frame');
      return b.toString('latin1', rawAt + start, rawAt + end);
    }
    const s = b.toString('utf8', p, p + len);
    p += len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const receivedAt = b.readDoubleLE(p);
    const time = b.readDoubleLE(p + 8);
    const connId = b.readUInt32LE(p + 16);
    const fmt = b[p + 20]!;
    const reason = b[p + 21]!;
    const tq = b[p + 22]!;
    const pri = b.readInt16LE(p + 24);
    const rawSha256 = new Uint8Array(b.subarray(p + 26, p + 58));
    p += FIXED;
    rawLen = b.readUInt32LE(p);
    rawAt = p + 4;
    const raw = new Uint8Array(b.subarray(p + 4, p + 4 + rawLen));
    p += 4 + rawLen;
    let envelope: Envelope | null = null;
    if (fmt !== 0) {
      const hostname = str();
      const app = str();
      const procid = str();
      const msgid = str();
      const msg = str() ?? '';
      const more = str();
      const e: Mutable<Envelope> = { format: ENVELOPE_FORMATS[fmt - 1] as EnvelopeFormat, msg };
      if (pri >= 0) {
        e.facility = pri >> 3;
        e.severity = pri & 7;
      }
      if (!Number.isNaN(time)) e.time = time;
      if (tq !== 0) e.timeQuality = TIME_QUALITIES[tq - 1] as TimeQuality;
      if (hostname !== undefined) e.hostname = hostname;
      if (app !== undefined) e.app = app;
      if (procid !== undefined) e.procid = procid;
      if (msgid !== undefined) e.msgid = msgid;
      if (more !== undefined) {
        const m = JSON.parse(more) as { structuredData?: SdElement[]; deviceSeq?: number; extra?: Record<string, string>; facility?: number; severity?: number };
        if (m.structuredData !== undefined) e.structuredData = m.structuredData;
        if (m.deviceSeq !== undefined) e.deviceSeq = m.deviceSeq;
        if (m.extra !== undefined) e.extra = m.extra;
        if (m.facility !== undefined) e.facility = m.facility;
        if (m.severity !== undefined) e.severity = m.severity;
      }
      envelope = e;
    }
    out.push({ index: i, receivedAt, connId, raw, rawSha256, envelope, unparsedReason: reason === 0 ? null : (UNPARSED_REASONS[reason - 1] as UnparsedReason) });
  }
  if (p !== b.length) throw new Error(`record bundle has ${b.length - p} stray bytes`);
  return out;
};
