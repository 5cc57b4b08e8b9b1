// The body-parser registry: one line per parser, and the dispatch that picks the parser for a record.
// Claimers (pam_* lines under any program, audit records under any tag) look first; then the parsers
// registered for the record's program, in order, until one says the record is its own.
import type { Event } from '../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from './types.js';

import { auditd } from './auditd/auditd.js';
import { ciscoIos } from './cisco-ios/cisco-ios.js';
import { junos } from './junos/junos.js';
import { pam } from './pam/pam.js';
import { snoopy } from './snoopy/snoopy.js';
import { sshd } from './sshd/sshd.js';
import { su } from './su/su.js';
import { sudo } from './sudo/sudo.js';
import { tacacs } from './tacacs/tacacs.js';
import { systemdLogind } from './systemd-logind/systemd-logind.js';
import { tlogRec } from './tlog-rec/tlog-rec.js';

/** Claimers first (their `claims` runs on every record), then by program. One line per parser. */
export const BODY_PARSERS: readonly BodyParserFactory[] = [
  ciscoIos, // claims %FACILITY-SEV-MNEMONIC messages; before pam, as NX-OS sends `%AUTHPRIV-…: pam_…`
  pam, // claims pam_* lines under any program (sshd, sudo, su, login …)
  auditd, // claims raw audit.log records and audit records forwarded under any tag
  sudo, // claims untagged lines of sudo's own log file; by program: sudo
  tlogRec, // claims journald records carrying TLOG_REC; by program: tlog, tlog-rec, tlog-rec-session
  junos, // claims UI_* and JunOS login-failure tags; by program: mgd, cli, file, chassisd
  tacacs, // claims untagged tac_plus accounting records by shape; by program: tac_plus, tac_plus-ng
  sshd,
  snoopy,
  su,
  systemdLogind,
];

export interface Dispatched {
  /** The parser that took the record; null when none recognised it. */
  readonly parser: BodyParser | null;
  readonly outcome: ParseOutcome;
}

const NOT_MINE: ParseOutcome = { kind: 'not-mine' };

/** One pipeline's set of parser instances (auditd keeps state, so each pipeline makes its own). */
export class BodyParsers {
  readonly parsers: readonly BodyParser[];
  private readonly claimers: readonly BodyParser[];
  private readonly byProgram = new Map<string, BodyParser[]>();

  constructor(factories: readonly BodyParserFactory[] = BODY_PARSERS) {
    this.parsers = factories.map((f) => f());
    this.claimers = this.parsers.filter((p) => p.claims !== undefined);
    for (const p of this.parsers) {
      for (const program of p.programs) {
        let list = this.byProgram.get(program);
        if (list === undefined) this.byProgram.set(program, (list = []));
        list.push(p);
      }
    }
  }

  parse(given: BodyInput): Dispatched {
    // rsyslog's RFC 5424 forwarding keeps the space that followed the tag (`sshd 123 - -  Accepted …`)
    // and sudo pads user names: the envelope keeps the bytes, the body parsers read the text.
    const m = given.envelope.msg;
    const input = m.length > 0 && (m.charCodeAt(0) === 32 || m.charCodeAt(0) === 9) ? { ...given, envelope: { ...given.envelope, msg: m.trimStart() } } : given;
    for (const p of this.claimers) {
      if (p.claims!(input)) return { parser: p, outcome: p.parse(input) };
    }
    const app = input.envelope.app;
    if (app !== undefined) {
      for (const p of this.byProgram.get(app) ?? []) {
        const outcome = p.parse(input);
        if (outcome.kind !== 'not-mine') return { parser: p, outcome };
      }
    }
    return { parser: null, outcome: NOT_MINE };
  }

  /** Releases held multi-record events (auditd) that are complete or waited long enough. */
  flush(now: number, all: boolean): Event[] {
    const out: Event[] = [];
    for (const p of this.parsers) if (p.flush !== undefined) out.push(...p.flush(now, all));
    return out;
  }
}

/** The event stored for a record its program's parser could not read, so it is seen, not lost. */
export const unparsedEvent = (input: BodyInput, parser: BodyParser, reason: string, message: string): Event => ({
  seq: input.seq,
  time: input.time,
  host: input.host,
  kind: 'unparsed',
  reason,
  hints: {},
  parser: `${parser.id}@${parser.version}`,
  detail: { message, program: input.envelope.app ?? '' },
});
