// The envelope-parser registry: picks the parser for a frame (or for a whole imported file) by each
// parser's cheap `detect`, in an order where no earlier detector can steal a later format's frames.
// Must never throw; a frame nothing recognises is a typed 'no-envelope' error, not a guess.
import type { Envelope, EnvelopeFormat } from '../../model/record.js';
import type { Result } from '../../model/result.js';
import type { EnvelopeParser, ParseContext, ParseError } from './types.js';
import { isBlank } from './bytes.js';
import { fail } from './pri.js';
import { auditd } from './auditd-raw.js';
import { journald } from './journald-json.js';
import { rfc3164 } from './rfc3164.js';
import { rfc5424 } from './rfc5424.js';

export { auditd, journald, rfc3164, rfc5424 };

/** Tried in this order; the first whose detect() accepts the frame parses it. */
export const ENVELOPE_PARSERS: readonly EnvelopeParser[] = [
  journald, // `{`: no syslog or audit line starts with a brace
  auditd, // `type=` / `node=` at byte 0
  rfc5424, // `<PRI>1 `: must run before rfc3164, which accepts any `<PRI>`
  rfc3164, // any other `<PRI>`, BSD/rsyslog/Cisco timestamps and prefixes without PRI
];

export type FormatHint = 'auto' | 'syslog' | 'auditd' | 'journald';

/**
 * Frame → Envelope. `formatHint` comes from the source's configuration: 'syslog' restricts the choice
 * to RFC 5424 / 3164, 'auditd' and 'journald' force that parser. A frame that a parser detected but
 * could not parse returns that parser's error (e.g. `<13>1 junk` is a bad RFC 5424 timestamp, not
 * re-read as BSD): the specific reason is worth more to an operator than a lenient second reading.
 */
export function parseEnvelope(frame: Uint8Array, ctx: ParseContext, formatHint: FormatHint = 'auto'): Result<Envelope, ParseError> {
  if (isBlank(frame)) return fail('empty', 'empty or whitespace-only frame');
  switch (formatHint) {
    case 'journald':
      return journald.parse(frame, ctx);
    case 'auditd':
      return auditd.parse(frame, ctx);
    case 'syslog':
      return rfc5424.detect(frame) ? rfc5424.parse(frame, ctx) : rfc3164.parse(frame, ctx);
    default:
      for (const parser of ENVELOPE_PARSERS) {
        if (parser.detect(frame)) return parser.parse(frame, ctx);
      }
      return fail('no-envelope', 'no envelope format recognised');
  }
}

export type FileFormat = EnvelopeFormat | 'unknown';

/**
 * Tells the file kinds apart for import (RFC 3164 log, RFC 5424 log, raw audit.log, `journalctl -o
 * json`) by a vote of the given lines: each non-blank line votes for the first parser whose detect()
 * accepts it. The format with most votes wins if it has at least half of the non-blank lines (files
 * have stray lines, e.g. a truncated first line); ties go to the earlier parser in ENVELOPE_PARSERS.
 */
export function detectFileFormat(firstLines: readonly string[]): FileFormat {
  const votes = new Map<EnvelopeFormat, number>();
  let considered = 0;
  for (const line of firstLines) {
    const bytes = Buffer.from(line, 'utf8');
    if (isBlank(bytes)) continue;
    considered++;
    for (const parser of ENVELOPE_PARSERS) {
      if (parser.detect(bytes)) {
        votes.set(parser.id, (votes.get(parser.id) ?? 0) + 1);
        break;
      }
    }
  }
  let best: FileFormat = 'unknown';
  let bestVotes = 0;
  for (const parser of ENVELOPE_PARSERS) {
    const n = votes.get(parser.id) ?? 0;
    if (n > bestVotes) {
      best = parser.id;
      bestVotes = n;
    }
  }
  return bestVotes > 0 && bestVotes * 2 >= considered ? best : 'unknown';
}
