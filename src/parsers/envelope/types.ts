// The envelope-parser stage: frame bytes → Envelope, or a ParseError that the caller stores as `unparsed`.
// A parser never throws and never reads anything but its arguments.
import type { Envelope, EnvelopeFormat, UnparsedReason } from '../../model/record.js';
import type { Result } from '../../model/result.js';

export interface ParseError {
  readonly type: UnparsedReason;
  readonly message: string;
}

export interface ParseContext {
  /** Receive time, ms since the epoch: used to infer the year of RFC 3164 timestamps. */
  readonly receivedAt: number;
  /** IANA zone for timestamps that carry none (RFC 3164, Cisco without zone); default 'UTC'. */
  readonly timezone: string;
}

export interface EnvelopeParser {
  readonly id: EnvelopeFormat;
  /** Cheap look at the first bytes: could this parser own the frame? */
  detect(frame: Uint8Array): boolean;
  parse(frame: Uint8Array, ctx: ParseContext): Result<Envelope, ParseError>;
}
