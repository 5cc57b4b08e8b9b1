// Body parser for su: the line each su implementation logs after an attempt → a privilege /
// privilege_failed event. Stateless, never throws, no I/O, no clock, plain string scanning.
// pam_* lines logged under su (`pam_unix(su-l:session): …`) are the pam parser's: not-mine here.
//
// Messages, by implementation (format strings from their sources):
// - util-linux / coreutils (Debian, Ubuntu, RHEL):  `%s(to %s) %s on %s`, prefix '' | 'FAILED SU ' |
//   'FAILED RUNUSER '; the terminal is 'none' without one.       `(to root) alice on pts/0`
// - coreutils without SYSLOG_NON_ROOT (target root):  `%s%s on %s`  `FAILED SU alice on /dev/pts/0`
// - shadow-utils (and busybox's `%c %s %s:%s`): `+ %s %s:%s` / `- %s %s:%s` (tty, caller, target),
//   very old shadow `+ tty caller-target`; and its sulog `Successful su for %s by %s` /
//   `FAILED su for %s by %s` (target, caller). shadow logs both lines for one attempt, so a shadow su
//   gives two events sharing the pid hint. `Authentication failed for %s` always precedes the
//   failure lines: no event of its own.
// - BSD: `%s to %s%s` / `BAD SU %s to %s%s` (caller, target, ' on /dev/tty' or '').
// - IRIX: `succeeded: <tty> changing from <caller> to <target>` / `failed: …`.
// - Solaris: `'su root' succeeded for alice on /dev/pts/1` / `'su root' failed for …`.
// Events: action 'su', user = caller, targetUser = target, tty without '/dev/' (also as a hint);
// a refusal's reason is the program's failure marker ('FAILED SU', 'BAD SU', 'failed' …).
import type { Event, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';
import { normalizeTty, recordHints } from '../record-hints.js';

const ID = 'su';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

interface Attempt {
  readonly ok: boolean;
  readonly user?: string;
  readonly target?: string;
  readonly tty?: string;
  readonly reason?: string;
  /** Which of the forms above, for the reviewer (detail.form). */
  readonly form: string;
}

/** A user name or terminal as logged: non-empty, no blanks or control characters, bounded. */
function word(s: string | undefined): s is string {
  if (s === undefined || s.length === 0 || s.length > 256) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}


/** `a on b` → [a, b]; `a` → [a, undefined]. */
function splitOn(s: string): [string, string | undefined] {
  const i = s.lastIndexOf(' on ');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 4)];
}

const FAIL_PREFIXES = ['FAILED SU ', 'FAILED RUNUSER '];

/** util-linux / coreutils: `[FAILED SU ](to target) user on tty`, or `[FAILED SU ]user on tty`. */
function utilLinux(msg: string): Attempt | undefined {
  let rest = msg;
  let reason: string | undefined;
  for (const p of FAIL_PREFIXES) {
    if (rest.startsWith(p)) {
      reason = p.slice(0, -1);
      rest = rest.slice(p.length);
      break;
    }
  }
  let target: string | undefined;
  if (rest.startsWith('(to ')) {
    const close = rest.indexOf(') ');
    if (close < 0) return undefined;
    target = rest.slice(4, close);
    if (!word(target)) return undefined;
    rest = rest.slice(close + 2);
  } else if (reason === undefined) {
    return undefined; // a bare `user on tty` is too loose to claim without the FAILED SU marker
  }
  const [user, tty] = splitOn(rest);
  if (!word(user) || tty === undefined || !word(tty)) return undefined;
  return { ok: reason === undefined, user, ...(target !== undefined ? { target } : {}), tty, ...(reason !== undefined ? { reason } : {}), form: 'util-linux' };
}

/** shadow / busybox: `+ tty caller:target`, `- tty caller:target` (old shadow: `caller-target`). */
function shadowTty(msg: string): Attempt | undefined {
  const sign = msg[0];
  if ((sign !== '+' && sign !== '-') || msg[1] !== ' ') return undefined;
  const parts = msg.slice(2).split(' ');
  if (parts.length !== 2) return undefined;
  const [tty, pair] = parts as [string, string];
  if (!word(tty) || !word(pair)) return undefined;
  // ':' since shadow 4.0; before, '-', which user names may also hold: split at the last one.
  const sep = pair.includes(':') ? pair.lastIndexOf(':') : pair.lastIndexOf('-');
  if (sep <= 0 || sep === pair.length - 1) return undefined;
  const user = pair.slice(0, sep);
  const target = pair.slice(sep + 1);
  return { ok: sign === '+', ...(user !== '???' ? { user } : {}), ...(target !== '???' ? { target } : {}), tty, ...(sign === '-' ? { reason: 'FAILED su' } : {}), form: 'shadow' };
}

/** shadow's sulog: `Successful su for target by caller` / `FAILED su for target by caller`. */
function shadowSulog(msg: string): Attempt | undefined {
  let ok: boolean;
  let rest: string;
  if (msg.startsWith('Successful su for ')) {
    ok = true;
    rest = msg.slice(18);
  } else if (msg.startsWith('FAILED su for ')) {
    ok = false;
    rest = msg.slice(14);
  } else return undefined;
  const by = rest.indexOf(' by ');
  if (by < 0) return undefined;
  const target = rest.slice(0, by);
  const user = rest.slice(by + 4);
  if (!word(target) || !word(user)) return undefined;
  return { ok, user, target, ...(ok ? {} : { reason: 'FAILED su' }), form: 'shadow-sulog' };
}

/** BSD: `caller to target[ on tty]`, `BAD SU caller to target[ on tty]`; also `BAD su caller on tty`. */
function bsd(msg: string): Attempt | undefined {
  let rest = msg;
  let reason: string | undefined;
  if (rest.startsWith('BAD SU ') || rest.startsWith('BAD su ')) {
    reason = rest.slice(0, 6);
    rest = rest.slice(7);
  }
  const [who, tty] = splitOn(rest);
  if (tty !== undefined && !word(tty)) return undefined;
  const to = who.indexOf(' to ');
  if (to < 0) {
    if (reason === undefined || !word(who) || tty === undefined) return undefined;
    return { ok: false, user: who, tty, reason, form: 'bsd' };
  }
  const user = who.slice(0, to);
  const target = who.slice(to + 4);
  if (!word(user) || !word(target)) return undefined;
  return { ok: reason === undefined, user, target, ...(tty !== undefined ? { tty } : {}), ...(reason !== undefined ? { reason } : {}), form: 'bsd' };
}

/** IRIX: `succeeded: ttyq4 changing from root to ldap`, `failed: …`. */
function irix(msg: string): Attempt | undefined {
  const ok = msg.startsWith('succeeded: ');
  if (!ok && !msg.startsWith('failed: ')) return undefined;
  const words = msg.slice(ok ? 11 : 8).split(' ');
  if (words.length !== 6 || words[1] !== 'changing' || words[2] !== 'from' || words[4] !== 'to') return undefined;
  const [tty, , , user, , target] = words;
  if (!word(tty) || !word(user) || !word(target)) return undefined;
  return { ok, user, target, tty, ...(ok ? {} : { reason: 'failed' }), form: 'irix' };
}

/** Solaris: `'su root' succeeded for alice on /dev/pts/1`, `'su root' failed for …` (quotes optional). */
function solaris(msg: string): Attempt | undefined {
  let rest: string;
  if (msg.startsWith("'su ")) {
    const close = msg.indexOf("' ", 4);
    if (close < 0) return undefined;
    rest = `${msg.slice(4, close)}${msg.slice(close + 1)}`;
  } else if (msg.startsWith('su ')) rest = msg.slice(3);
  else return undefined;
  const words = rest.split(' ');
  if (words.length !== 6 || words[2] !== 'for' || words[4] !== 'on') return undefined;
  const [target, verdict, , user, , tty] = words;
  if (verdict !== 'succeeded' && verdict !== 'failed') return undefined;
  if (!word(target) || !word(user) || !word(tty)) return undefined;
  const ok = verdict === 'succeeded';
  return { ok, user, target, tty, ...(ok ? {} : { reason: 'failed' }), form: 'solaris' };
}

/** Known lines that carry nothing an event needs (always followed by the failure line of the same su). */
const QUIET_PREFIXES = ['Authentication failed for '];

const READERS = [utilLinux, shadowTty, shadowSulog, irix, solaris, bsd] as const;


function toEvent(input: BodyInput, a: Attempt): Event {
  const tty = normalizeTty(a.tty);
  return {
    seq: input.seq,
    time: input.time,
    host: input.host,
    kind: a.ok ? 'privilege' : 'privilege_failed',
    action: 'su',
    ...(a.user !== undefined ? { user: a.user } : {}),
    ...(a.target !== undefined ? { targetUser: a.target } : {}),
    ...(tty !== undefined ? { tty } : {}),
    ...(a.reason !== undefined ? { reason: a.reason } : {}),
    hints: recordHints(input, tty),
    parser: PARSER,
    detail: { form: a.form },
  };
}

const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });

function parse(input: BodyInput): ParseOutcome {
  if (input.envelope.app !== ID) return NOT_MINE;
  const msg = input.envelope.msg.trim();
  if (msg.startsWith('pam_')) return NOT_MINE;
  if (msg.length > 4096) return { kind: 'unparsed', reason: 'unknown-message', message: 'su message too long for any su form' };
  if (QUIET_PREFIXES.some((p) => msg.startsWith(p))) return { kind: 'events', events: [] };
  for (const read of READERS) {
    const a = read(msg);
    if (a !== undefined) return { kind: 'events', events: [toEvent(input, a)] };
  }
  return { kind: 'unparsed', reason: 'unknown-message', message: 'not a known su message' };
}

const parser: BodyParser = Object.freeze({ id: ID, version: VERSION, programs: Object.freeze([ID]), parse });

export const su: BodyParserFactory = () => parser;
