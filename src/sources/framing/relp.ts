// RELP framing (librelp doc/relp.md): `TXNR SP COMMAND SP DATALEN [SP DATA] LF`, read incrementally
// from a byte stream. Pure: no sockets, no clock. Memory is bounded by the header limits (9 + 32 + 9
// characters) plus maxFrameBytes of DATA, whatever the peer sends; a broken stream is an error that
// never lets the connection go on (RELP has no way to resynchronise), and the framer then reads no more.

const LF = 0x0a;
const SP = 0x20;
const D0 = 0x30;
const D9 = 0x39;
/** NUMBER = 1*9DIGIT (TXNR and DATALEN alike). A tenth digit is an attack or noise (cf. CVE-2022-24903). */
export const RELP_MAX_NUMBER_DIGITS = 9;
/** COMMAND = 1*32ALPHA. */
export const RELP_MAX_COMMAND_CHARS = 32;

export interface RelpFrame {
  readonly txnr: number;
  readonly command: string;
  /** A copy (never a view into the chunk): it is kept until its transaction is answered. */
  readonly data: Buffer;
  /** Bytes the frame took on the wire, header and trailer included. */
  readonly wireBytes: number;
}

export const RELP_FRAMING_ERRORS = ['relp-bad-txnr', 'relp-bad-command', 'relp-bad-datalen', 'relp-frame-too-long', 'relp-bad-trailer'] as const;
export type RelpFramingErrorType = (typeof RELP_FRAMING_ERRORS)[number];

export interface RelpFramerError {
  readonly type: RelpFramingErrorType;
  readonly message: string;
  /** Always false: a RELP stream cannot be resynchronised; the connection closes. */
  readonly canContinue: false;
  /** The broken frame's TXNR when it was read whole, so a `500` can name the transaction; else null. */
  readonly txnr: number | null;
}

export type RelpFrameSink = (frame: RelpFrame) => void;

type State = 'txnr' | 'command' | 'datalen' | 'data' | 'trailer' | 'failed';

const EMPTY = Buffer.alloc(0);
const isAlpha = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

export class RelpFramer {
  private state: State = 'txnr';
  private digits = 0;
  private txnr = 0;
  private command = '';
  private datalen = 0;
  /** DATA read so far; grown by doubling, so memory follows the bytes received, not the DATALEN claimed. */
  private buf: Buffer = EMPTY;
  private filled = 0;
  /** Bytes of the frame being read, header included (for accounting). */
  private frameBytes = 0;
  private error: RelpFramerError | null = null;
  /** Accounting: every byte pushed is in exactly one of framed, rejected, pending, or unread (after an error). */
  private framed = 0;
  private rejected = 0;
  private unread = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes held for the frame being read (bounded by the header limits plus maxFrameBytes). */
  get pendingBytes(): number {
    return this.frameBytes;
  }
  /** Byte accounting since construction: whole frames, the broken frame's bytes, bytes never read after an error. */
  get accounting(): { readonly framed: number; readonly rejected: number; readonly pending: number; readonly unread: number } {
    return { framed: this.framed, rejected: this.rejected, pending: this.frameBytes, unread: this.unread };
  }
  get failed(): RelpFramerError | null {
    return this.error;
  }

  /** Feeds bytes; frames go to `out` as they complete. Returns the error once the stream is broken (and on every later push). */
  push(chunk: Uint8Array, out: RelpFrameSink): RelpFramerError | null {
    if (this.error !== null) {
      this.unread += chunk.length;
      return this.error;
    }
    const n = chunk.length;
    let p = 0;
    while (p < n) {
      if (this.state === 'data') {
        const take = Math.min(this.datalen - this.filled, n - p);
        if (this.filled + take > this.buf.length) {
          const grown = Buffer.allocUnsafe(Math.min(this.datalen, Math.max(this.filled + take, this.buf.length * 2, 4096)));
          this.buf.copy(grown, 0, 0, this.filled);
          this.buf = grown;
        }
        this.buf.set(chunk.subarray(p, p + take), this.filled);
        this.filled += take;
        this.frameBytes += take;
        p += take;
        if (this.filled === this.datalen) this.state = 'trailer';
        continue;
      }
      const b = chunk[p]!;
      p++;
      this.frameBytes++;
      switch (this.state) {
        case 'txnr':
          if (b >= D0 && b <= D9) {
            if (++this.digits > RELP_MAX_NUMBER_DIGITS) return this.fail('relp-bad-txnr', `TXNR longer than ${RELP_MAX_NUMBER_DIGITS} digits`, false, n - p);
            this.txnr = this.txnr * 10 + (b - D0);
          } else if (b === SP && this.digits > 0) {
            this.state = 'command';
            this.digits = 0;
          } else return this.fail('relp-bad-txnr', `TXNR: unexpected byte 0x${hex(b)}`, false, n - p);
          break;
        case 'command':
          if (isAlpha(b)) {
            if (this.command.length >= RELP_MAX_COMMAND_CHARS) return this.fail('relp-bad-command', `COMMAND longer than ${RELP_MAX_COMMAND_CHARS} letters`, true, n - p);
            this.command += String.fromCharCode(b);
          } else if (b === SP && this.command.length > 0) {
            this.state = 'datalen';
          } else return this.fail('relp-bad-command', `COMMAND: unexpected byte 0x${hex(b)}`, true, n - p);
          break;
        case 'datalen':
          if (b >= D0 && b <= D9) {
            if (++this.digits > RELP_MAX_NUMBER_DIGITS) return this.fail('relp-bad-datalen', `DATALEN longer than ${RELP_MAX_NUMBER_DIGITS} digits`, true, n - p);
            this.datalen = this.datalen * 10 + (b - D0);
            if (this.datalen > this.maxFrameBytes) {
              return this.fail('relp-frame-too-long', `DATALEN above ${this.maxFrameBytes} bytes`, true, n - p);
            }
          } else if (this.digits === 0) {
            return this.fail('relp-bad-datalen', `DATALEN: unexpected byte 0x${hex(b)}`, true, n - p);
          } else if (this.datalen === 0) {
            // No DATA: the trailer follows the DATALEN at once (librelp reads `1 close 0\n`).
            if (b !== LF) return this.fail('relp-bad-trailer', `expected LF after DATALEN 0, got 0x${hex(b)}`, true, n - p);
            this.emit(out);
          } else if (b === SP) {
            this.state = 'data';
          } else return this.fail('relp-bad-datalen', `DATALEN: unexpected byte 0x${hex(b)}`, true, n - p);
          break;
        case 'trailer':
          if (b !== LF) return this.fail('relp-bad-trailer', `expected LF after ${this.datalen} bytes of DATA, got 0x${hex(b)}`, true, n - p);
          this.emit(out);
          break;
        default:
          break;
      }
    }
    return null;
  }

  /** The stream ended: what is left is a partial frame, which RELP never acknowledged. Returns its size. */
  end(): number {
    const left = this.frameBytes;
    this.rejected += left;
    this.frameBytes = 0;
    this.reset();
    return left;
  }

  private emit(out: RelpFrameSink): void {
    const data = this.filled === 0 ? EMPTY : this.buf.length === this.filled ? this.buf : this.buf.subarray(0, this.filled);
    const frame: RelpFrame = { txnr: this.txnr, command: this.command, data, wireBytes: this.frameBytes };
    this.framed += this.frameBytes;
    this.frameBytes = 0;
    this.reset();
    out(frame);
  }

  private reset(): void {
    this.state = 'txnr';
    this.digits = 0;
    this.txnr = 0;
    this.command = '';
    this.datalen = 0;
    this.buf = EMPTY;
    this.filled = 0;
  }

  private fail(type: RelpFramingErrorType, message: string, txnrKnown: boolean, unreadInChunk: number): RelpFramerError {
    this.error = { type, message, canContinue: false, txnr: txnrKnown ? this.txnr : null };
    this.rejected += this.frameBytes;
    this.unread += unreadInChunk;
    this.frameBytes = 0;
    this.reset();
    this.state = 'failed';
    return this.error;
  }
}

const hex = (b: number): string => b.toString(16).padStart(2, '0');

/** One frame on the wire, as a server writes it (`rsp`, `serverclose`). */
export const encodeRelpFrame = (txnr: number, command: string, data: string | Buffer = ''): Buffer => {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const head = `${txnr} ${command} ${body.length}`;
  return body.length === 0 ? Buffer.from(`${head}\n`, 'latin1') : Buffer.concat([Buffer.from(`${head} `, 'latin1'), body, Buffer.from('\n')]);
};
