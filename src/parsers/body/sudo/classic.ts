// sudo's classic log line, `user : [reason ; ]KEY=value ; … ; COMMAND=command line`, split into its
// parts by plain string scanning (no regexes: inputs reach 64 KiB). Reads; does not decide what the
// line means — sudo.ts does. Never throws.
//
// Shape, from sudo's lib/eventlog/eventlog.c (new_logline, do_syslog_sudo, do_logfile_sudo):
//   syslog:  `%8s : %s` — the submitting user right-aligned in 8 columns, then the line;
//            long lines are split, the later parts as `%8s : (command continued) %s`.
//   logfile: `<time> : user : line` (the envelope reads the time and leaves `: user : line`).
//   line:    [reason[ : errstr] ; ][errstr ; ]HOST= ; TTY= ; CHROOT= ; PWD=|CWD= ; USER= ; GROUP= ;
//            TSID= ; ENV=a b ; COMMAND=cmd args[ ; SIGNAL=name][ ; EXIT=n]   (every field optional)
// COMMAND may itself hold ' ; ' (older sudo did not quote arguments), so it takes the rest of the line;
// only the `SIGNAL=`/`EXIT=` suffix of an exit record (log_exit_status) is taken back off its end.

export const SEP = ' ; ';

/** Keys sudo writes before COMMAND, in its order. */
const KEYS = new Set(['HOST', 'TTY', 'CHROOT', 'PWD', 'CWD', 'USER', 'GROUP', 'TSID', 'ENV']);

export interface ClassicLine {
  /** The submitting (invoking) user. */
  readonly user: string;
  /** The text before the first KEY=, when there is one: sudo's reason for a reject or an alert. */
  readonly reason?: string;
  /** KEY=value fields before COMMAND (HOST, TTY, PWD, USER, TSID, ENV …), as logged. */
  readonly fields: ReadonlyMap<string, string>;
  /** Everything after `COMMAND=`, minus an exit record's `SIGNAL=`/`EXIT=` suffix. */
  readonly command?: string;
  readonly exitValue?: number;
  readonly signal?: string;
  /** `(command continued)`: the tail of a line sudo split over several syslog messages. */
  readonly continued: boolean;
}

/** The field name of the `KEY=value` segment at `from` when KEY is one sudo writes, else undefined. */
function keyAt(msg: string, from: number, to: number): string | undefined {
  // Keys are 3 to 6 letters: look no further than that (indexOf could scan the whole line per segment).
  let eq = -1;
  for (let i = from + 3; i <= from + 6 && i < to; i++) {
    if (msg.charCodeAt(i) === 0x3d) {
      eq = i;
      break;
    }
  }
  if (eq < 0) return undefined;
  const key = msg.slice(from, eq);
  return KEYS.has(key) ? key : undefined;
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 10) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function isSignalName(s: string): boolean {
  if (s.length === 0 || s.length > 16) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x5f;
    if (!ok) return false;
  }
  return true;
}

/** Takes ` ; SIGNAL=x` and ` ; EXIT=n` off the end of a COMMAND value (sudo writes them in that order). */
function splitExit(value: string): { command: string; exitValue?: number; signal?: string } {
  let command = value;
  let exitValue: number | undefined;
  let signal: string | undefined;
  let cut = command.lastIndexOf(SEP + 'EXIT=');
  if (cut >= 0 && isDigits(command.slice(cut + SEP.length + 5))) {
    exitValue = Number(command.slice(cut + SEP.length + 5));
    command = command.slice(0, cut);
  }
  cut = command.lastIndexOf(SEP + 'SIGNAL=');
  if (cut >= 0 && isSignalName(command.slice(cut + SEP.length + 7))) {
    signal = command.slice(cut + SEP.length + 7);
    command = command.slice(0, cut);
  }
  return { command, ...(exitValue !== undefined ? { exitValue } : {}), ...(signal !== undefined ? { signal } : {}) };
}

/** A user name as sudo logs it: non-empty, no blanks (it is `%8s`-padded on the left). */
function validUser(user: string): boolean {
  if (user.length === 0 || user.length > 256) return false;
  for (let i = 0; i < user.length; i++) {
    const c = user.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

const CONTINUED = '(command continued) ';

/**
 * Splits a classic sudo message (`user : …`, leading blanks allowed) into its parts; undefined when it
 * does not have that shape.
 */
export function scanClassic(msg: string): ClassicLine | undefined {
  let start = 0;
  while (start < msg.length && msg.charCodeAt(start) === 0x20) start++;
  const colon = msg.indexOf(' : ', start);
  if (colon < 0) return undefined;
  const user = msg.slice(start, colon);
  if (!validUser(user)) return undefined;
  if (msg.startsWith(CONTINUED, colon + 3)) {
    return { user, fields: new Map(), command: msg.slice(colon + 3 + CONTINUED.length), continued: true };
  }

  // Index-based: fields and the reason are spans of `msg`, cut once at the end (a value holding ' ; '
  // just extends its span), so a 64 KiB line of empty segments costs no allocation per segment.
  const spans = new Map<string, [number, number]>();
  let reasonEnd = -1;
  const reasonStart = colon + 3;
  let last: [number, number] | undefined;
  let command: string | undefined;
  let exitValue: number | undefined;
  let signal: string | undefined;
  let pos = reasonStart;
  for (;;) {
    if (msg.startsWith('COMMAND=', pos)) {
      const split = splitExit(msg.slice(pos + 8));
      command = split.command;
      exitValue = split.exitValue;
      signal = split.signal;
      break;
    }
    const sep = msg.indexOf(SEP, pos);
    const end = sep < 0 ? msg.length : sep;
    const key = keyAt(msg, pos, end);
    if (key !== undefined && !spans.has(key)) {
      last = [pos + key.length + 1, end];
      spans.set(key, last);
    } else if (last === undefined) {
      reasonEnd = end;
    } else {
      last[1] = end; // a ' ; ' inside a value (ENV=, HOST=): it belongs to the field before
    }
    if (sep < 0) break;
    pos = sep + SEP.length;
  }
  const fields = new Map<string, string>();
  for (const [k, [a, b]] of spans) fields.set(k, msg.slice(a, b));
  const reason = reasonEnd >= 0 ? msg.slice(reasonStart, reasonEnd) : undefined;
  return {
    user,
    ...(reason !== undefined ? { reason } : {}),
    fields,
    ...(command !== undefined ? { command } : {}),
    ...(exitValue !== undefined ? { exitValue } : {}),
    ...(signal !== undefined ? { signal } : {}),
    continued: false,
  };
}
