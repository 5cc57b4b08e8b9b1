// RFC 6587 framing for syslog over TCP and TLS: octet-counting ("LEN SP MSG") and non-transparent
// LF framing, detected anew at every frame start as rsyslog does (a frame starting with 1-9 digits
// then SP is octet-counted). Memory per connection is bounded by maxFrameBytes whatever the peer sends.
import { FRAME_INCOMPLETE, FRAME_OK, FRAME_TOO_LONG, type Framer, type FrameSink, type FramerError } from './types.js';

const LF = 0x0a;
const SP = 0x20;
const D0 = 0x30;
const D9 = 0x39;
/** 10 digits hold any count up to 9 999 999 999; a longer run of digits is an attack or noise (CVE-2022-24903). */
const MAX_COUNT_DIGITS = 10;

type Mode = 'start' | 'count' | 'octet' | 'octet-skip' | 'lf' | 'lf-skip';

export class Rfc6587Framer implements Framer {
  private mode: Mode = 'start';
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** octet mode: bytes still to keep; octet-skip: bytes still to discard. */
  private remaining = 0;
  private skipAfter = 0;
  private truncated = false;
  private count = 0;
  private digits = 0;

  /**
   * @param detectOctetCounting false for files and other plain line streams, where a line that starts
   *   with digits and a space ("123 …") is text, not a length.
   */
  constructor(
    private readonly maxFrameBytes: number,
    private readonly detectOctetCounting = true,
  ) {}

  get pendingBytes(): number {
    return this.partsLen;
  }

  push(chunk: Buffer, out: FrameSink): FramerError | null {
    let p = 0;
    const n = chunk.length;
    while (p < n) {
      switch (this.mode) {
        case 'start': {
          const b = chunk[p]!;
          if (b === LF) {
            p++; // an empty line between frames is framing, not a message
          } else if (this.detectOctetCounting && b > D0 && b <= D9) {
            this.mode = 'count';
            this.count = 0;
            this.digits = 0;
          } else {
            this.mode = 'lf';
          }
          break;
        }
        case 'count': {
          const b = chunk[p]!;
          if (b >= D0 && b <= D9) {
            if (++this.digits > MAX_COUNT_DIGITS) {
              this.reset();
              return { type: 'bad-octet-count', message: `octet count longer than ${MAX_COUNT_DIGITS} digits`, canContinue: false };
            }
            this.count = this.count * 10 + (b - D0);
            this.keep(chunk.subarray(p, p + 1));
            p++;
          } else if (b === SP) {
            p++;
            this.parts = [];
            this.partsLen = 0;
            this.truncated = this.count > this.maxFrameBytes;
            this.remaining = this.truncated ? this.maxFrameBytes : this.count;
            this.skipAfter = this.count - this.remaining;
            this.mode = 'octet';
          } else {
            // Digits not followed by SP: an LF-framed message that happens to start with digits
            // (Cisco's "123: …" sequence numbers without PRI). The digits kept so far are its start.
            this.mode = 'lf';
          }
          break;
        }
        case 'octet': {
          const take = Math.min(this.remaining, n - p);
          if (this.partsLen === 0 && take === this.remaining) {
            out(chunk.subarray(p, p + take), this.truncated ? FRAME_TOO_LONG : FRAME_OK);
          } else {
            this.keep(chunk.subarray(p, p + take));
            if (take === this.remaining) out(this.takeParts(), this.truncated ? FRAME_TOO_LONG : FRAME_OK);
          }
          p += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            this.mode = this.skipAfter > 0 ? 'octet-skip' : 'start';
            this.remaining = this.skipAfter;
          }
          break;
        }
        case 'octet-skip': {
          const take = Math.min(this.remaining, n - p);
          p += take;
          this.remaining -= take;
          if (this.remaining === 0) this.mode = 'start';
          break;
        }
        case 'lf': {
          const i = chunk.indexOf(LF, p);
          const end = i === -1 ? n : i;
          const room = this.maxFrameBytes - this.partsLen;
          if (end - p > room) {
            this.keep(chunk.subarray(p, p + room));
            out(this.takeParts(), FRAME_TOO_LONG);
            this.mode = 'lf-skip';
            p += room;
          } else if (i === -1) {
            this.keep(chunk.subarray(p, n));
            p = n;
          } else {
            if (this.partsLen === 0) out(chunk.subarray(p, i), FRAME_OK);
            else {
              this.keep(chunk.subarray(p, i));
              out(this.takeParts(), FRAME_OK);
            }
            p = i + 1;
            this.mode = 'start';
          }
          break;
        }
        case 'lf-skip': {
          const i = chunk.indexOf(LF, p);
          if (i === -1) p = n;
          else {
            p = i + 1;
            this.mode = 'start';
          }
          break;
        }
      }
    }
    return null;
  }

  end(why: 'eof' | 'shutdown', out: FrameSink): void {
    if (this.partsLen > 0) {
      // An unterminated last line at EOF is a whole message in LF framing (senders often omit the
      // final LF); anything else cut short is kept and marked incomplete.
      const whole = why === 'eof' && (this.mode === 'lf' || this.mode === 'count');
      out(this.takeParts(), whole ? FRAME_OK : FRAME_INCOMPLETE);
    }
    this.reset();
  }

  private keep(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b.length < 4096 ? Buffer.from(b) : b);
    this.partsLen += b.length;
  }

  private takeParts(): Buffer {
    const b = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsLen);
    this.parts = [];
    this.partsLen = 0;
    return b;
  }

  private reset(): void {
    this.mode = 'start';
    this.parts = [];
    this.partsLen = 0;
    this.remaining = 0;
    this.skipAfter = 0;
  }
}
