// BSD syslog (RFC 3164) as devices really send it: optional <PRI>, BSD / rsyslog / Cisco timestamps,
// optional HOSTNAME, TAG `app[pid]:`, Cisco IOS, NX-OS and ASA prefixes, JunOS. Reads the bytes directly.
// A TAB right after the timestamp marks a TAB-separated log file (tac_plus accounting:
// `Oct 19 10:12:13\t192.168.0.1\tadmin\t…`): no HOSTNAME or TAG is read, msg is the rest after the TAB.
// Must never guess a field it cannot justify (absent stays undefined) and never throw.
import type { Envelope } from '../../model/record.js';
import { ok, type Result } from '../../model/result.js';
import type { EnvelopeParser, ParseContext, ParseError } from './types.js';
import { asBuffer, ascii, COLON, contentEnd, LT, SP, TAB, utf8 } from './bytes.js';
import { fail, readPri } from './pri.js';
import { resolved, resolveTimestamp, scanTimestamp, ts } from './bsd-time.js';
import { hostnameEnd, originHostEnd, scanTag, seqEnd, seqValue, skipSpaces, tag, uptimeEnd } from './bsd-tokens.js';

type TimeQuality = Envelope['timeQuality'];

const PERCENT = 0x25;

/** Output of the last preamble() call. */
const pre = {
  seq: -1,
  hostStart: -1,
  hostEnd: -1,
  timeFound: false,
  time: Number.NaN,
  quality: undefined as TimeQuality,
  /** A Cisco prefix (sequence number or uptime) was seen: no BSD HOSTNAME follows its timestamp. */
  cisco: false,
  /** The timestamp ended in a TAB (TAB-separated log file): neither HOSTNAME nor TAG follows. */
  tab: false,
};

/**
 * IOS material at `p`: a timestamp (a malformed one too, unless `valid`), a sequence number or an
 * uptime stamp.
 */
function iosMaterial(b: Uint8Array, p: number, end: number, valid = false): boolean {
  const r = scanTimestamp(b, p, end);
  return (valid ? r > 0 : r !== 0) || seqEnd(b, p, end) > 0 || uptimeEnd(b, p, end) > 0;
}

/**
 * What can precede the TAG in BSD and Cisco lines, in IOS order: `[seq:] [origin-host:] [seq:]
 * (timestamp | uptime)`. IOS prints a message counter, the `logging origin-id` name and the
 * `service sequence-numbers` value; when there are two numbers the later (the device's own log
 * sequence, next to the timestamp) becomes deviceSeq. The message counter may be printed empty
 * (`<189>: Jan  6 2022 20:54:26.961: %SYS-…`), and NX-OS puts its hostname first
 * (`<190>sw01.pdx01: 2017 Jul 28 14:42:46 UTC: %AUTHPRIV-…`). Returns the offset after it, -1 for a
 * malformed timestamp; a timestamp ending in a TAB sets `pre.tab` and returns the TAB's offset.
 */
function preamble(b: Uint8Array, p: number, end: number, ctx: ParseContext): number {
  pre.seq = -1;
  pre.hostStart = -1;
  pre.timeFound = false;
  pre.cisco = false;
  pre.tab = false;
  for (let i = 0; i < 4; i++) {
    const r = scanTimestamp(b, p, end);
    if (r < 0) return -1;
    if (r > 0) {
      const t = resolveTimestamp(ctx);
      pre.timeFound = true;
      pre.time = t;
      pre.quality = resolved.quality;
      if (b[ts.pos] === TAB) {
        pre.tab = true;
        return ts.pos;
      }
      return skipSpaces(b, ts.pos, end);
    }
    const s = seqEnd(b, p, end);
    if (s > 0) {
      pre.seq = seqValue(b, p, s - 1);
      pre.cisco = true;
      p = skipSpaces(b, s, end);
      continue;
    }
    if (i === 0) {
      // An empty message counter: `: ` in front of IOS material (`: router1: …` and a bare `%…` included).
      if (b[p] === COLON && b[p + 1] === SP) {
        const next = skipSpaces(b, p + 1, end);
        const h = originHostEnd(b, next, end);
        // Only before a valid timestamp: `<13>: Nov 31 …` stays message text rather than becoming an error.
        if (iosMaterial(b, next, end, true) || (h > 0 && iosMaterial(b, skipSpaces(b, h, end), end, true)) || (b[next] === PERCENT && scanTag(b, next, end))) {
          pre.cisco = true;
          p = next;
          continue;
        }
      }
      // NX-OS: `host: TIMESTAMP: %FAC-SEV-MNEMONIC: …`. Only with the mnemonic after the timestamp,
      // so a tag whose text starts with a date (`app: Nov 26 10:00:00 …`) stays a tag.
      const h = originHostEnd(b, p, end);
      if (h > 0) {
        const next = skipSpaces(b, h, end);
        if (scanTimestamp(b, next, end) > 0) {
          const q = skipSpaces(b, ts.pos, end);
          if (b[q] === PERCENT && scanTag(b, q, end)) {
            pre.hostStart = p;
            pre.hostEnd = h - 1;
            pre.cisco = true;
            p = next;
            continue;
          }
        }
      }
    }
    if (pre.cisco && pre.hostStart < 0) {
      // `123: router1: ...` is an origin-id hostname only if IOS material follows; otherwise it is a tag.
      const h = originHostEnd(b, p, end);
      if (h > 0) {
        const next = skipSpaces(b, h, end);
        if (iosMaterial(b, next, end)) {
          pre.hostStart = p;
          pre.hostEnd = h - 1;
          p = next;
          continue;
        }
      }
    }
    const u = uptimeEnd(b, p, end);
    if (u > 0) {
      pre.cisco = true;
      return skipSpaces(b, u, end);
    }
    return p;
  }
  return p;
}

/**
 * Cheap ownership test: a `<PRI>`, or (for lines read from files, which have none) a recognisable BSD,
 * rsyslog or Cisco timestamp, a Cisco sequence number / uptime, or a bare Cisco `%FAC-SEV-MNEMONIC:`.
 */
function detect(frame: Uint8Array): boolean {
  if (frame[0] === LT) return true;
  const end = frame.length;
  const p = skipSpaces(frame, 0, end);
  if (scanTimestamp(frame, p, end) !== 0) return true;
  if (seqEnd(frame, p, end) > 0 || uptimeEnd(frame, p, end) > 0) return true;
  return frame[p] === PERCENT && scanTag(frame, p, end);
}

function parse(frame: Uint8Array, ctx: ParseContext): Result<Envelope, ParseError> {
  const b = asBuffer(frame);
  const end = contentEnd(b);
  if (end === 0) return fail('empty', 'empty frame');
  let facility: number | undefined;
  let severity: number | undefined;
  let p = 0;
  if (b[0] === LT) {
    const pri = readPri(b, end);
    if (pri < 0) return fail('bad-pri', 'PRI must be <0..191> without leading zeros');
    facility = (pri & 0xff) >> 3;
    severity = pri & 7;
    p = pri >> 8;
  }
  p = skipSpaces(b, p, end); // rsyslog's testbench and real senders put a space after PRI; it is not content

  p = preamble(b, p, end, ctx);
  if (p < 0) return fail('bad-timestamp', 'unparseable timestamp');
  let time = pre.timeFound && !Number.isNaN(pre.time) ? pre.time : undefined;
  let timeQuality: TimeQuality = time === undefined ? undefined : pre.quality;
  let deviceSeq = pre.seq >= 0 ? pre.seq : undefined;
  let hostname = pre.hostStart >= 0 ? ascii(b, pre.hostStart, pre.hostEnd) : undefined;
  let tabbed = pre.tab;

  if (facility === undefined && !pre.timeFound && !pre.cisco && !(b[p] === PERCENT && scanTag(b, p, end))) {
    return fail('no-envelope', 'no PRI, timestamp or Cisco prefix');
  }

  if (pre.timeFound && !pre.cisco && !tabbed) {
    const h = hostnameEnd(b, p, end);
    if (h > 0) {
      hostname = ascii(b, p, h);
      p = skipSpaces(b, h, end);
    }
    // A relay's BSD header in front of a Cisco line: `host 585917: Feb  8 04:00:47.272: %SEC-...`.
    // The device's own timestamp and origin-id win: they are what the sender stated.
    if (seqEnd(b, p, end) > 0) {
      const q = preamble(b, p, end, ctx);
      if (q >= 0) {
        p = q;
        tabbed = pre.tab;
        if (pre.seq >= 0) deviceSeq = pre.seq;
        if (pre.hostStart >= 0) hostname = ascii(b, pre.hostStart, pre.hostEnd);
        if (pre.timeFound && !Number.isNaN(pre.time)) {
          time = pre.time;
          timeQuality = pre.quality;
        }
      }
    }
  }

  // TAG. For Cisco the tag is the `%FACILITY-SEVERITY-MNEMONIC` token; app keeps its leading `%`, which
  // is what rsyslog reports as programname and keeps IOS mnemonics apart from process names.
  let app: string | undefined;
  let procid: string | undefined;
  if (tabbed) {
    p++; // the TAB after the timestamp; what follows are the file's own fields
  } else if (p < end && scanTag(b, p, end)) {
    app = ascii(b, p, tag.nameEnd);
    procid = tag.pidStart >= 0 ? ascii(b, tag.pidStart, tag.pidEnd) : undefined;
    p = tag.after;
    if (b[p] === SP) p++;
  }

  return ok({
    format: 'rfc3164',
    facility,
    severity,
    time,
    timeQuality,
    hostname,
    app,
    procid,
    msgid: undefined,
    structuredData: undefined,
    deviceSeq,
    msg: utf8(b, p, end),
    extra: undefined,
  });
}

export const rfc3164: EnvelopeParser = { id: 'rfc3164', detect, parse };
