// Body parser for sudo: its classic `user : TTY=… ; PWD=… ; USER=… ; COMMAND=…` lines (syslog, and
// sudo's own log file through `claims`) and sudo 1.9's JSON events → privilege / privilege_failed events.
// Stateless, never throws, no I/O, no clock. pam_* lines logged under sudo are the pam parser's.
//
// What it produces:
// - accepted command → kind 'privilege', action 'sudo': user = invoking user, targetUser = USER= /
//   runuser, command = COMMAND= as logged (sudo escapes control characters as #0nn and, since 1.9,
//   quotes arguments holding blanks; kept as logged), cwd = PWD= (CWD= in sudo_logsrvd's form) /
//   runcwd, tty without '/dev/' (TTY=unknown → none). detail.shell = true when the command is an
//   interactive shell (shell.ts); detail.tsid, env, group, chroot, submitHost (HOST= / submithost:
//   the machine sudo ran on when sudo_logsrvd relayed the line), uuid, source … when logged.
// - `log_exit_status` exit record (` ; EXIT=n` after COMMAND, or a JSON "exit") → kind 'privilege',
//   action 'sudo-exit', detail.exitValue / signal: the end of that privileged command, not a new one.
// - refusal (`3 incorrect password attempts ; …`, `user NOT in sudoers ; …`, `command not allowed`,
//   `a password is required`, `user NOT authorized on host`, a JSON "reject" …) → kind
//   'privilege_failed', reason = sudo's words.
// - JSON "alert" → kind 'alert_only', action 'sudo-alert', reason.
// - known noise (`unable to resolve host …`) → no events; an unknown reason → unparsed 'unknown-message';
//   `(command continued)` tails of split lines → unparsed 'orphan' (this parser keeps no state to join them).
import type { Event, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';
import { normalizeTty, recordHints } from '../record-hints.js';
import { scanClassic, type ClassicLine } from './classic.js';
import { looksLikeJson, scanJson, type SudoJsonEvent } from './json.js';
import { isInteractiveShell, splitCommandLine } from './shell.js';

const ID = 'sudo';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

type Detail = Record<string, string | number | boolean>;
type Draft = Omit<Event, 'seq' | 'time' | 'host' | 'parser' | 'hints'>;

/** Refusals, matched on the whole reason (sudoers' log_denial / log_auth_failure, sudo's front end). */
const REFUSALS = new Set([
  'user NOT in sudoers',
  'user NOT authorized on host',
  'command not allowed',
  'a password is required',
  'no tty present and no askpass program specified',
]);
/** Refusals matched on how the reason starts (the rest varies: plugin name, PAM's error text). */
const REFUSAL_PREFIXES = ['command rejected by ', 'a terminal is required to read the password', 'PAM account management error', 'account validation failure'];
/** Reasons that say nothing about who did what (a misconfigured /etc/hosts). */
const NOISE_PREFIXES = ['unable to resolve host '];

/** `N incorrect password attempt(s)` → N, else undefined. */
function passwordAttempts(reason: string): number | undefined {
  let i = 0;
  while (i < reason.length && i < 10 && reason.charCodeAt(i) >= 0x30 && reason.charCodeAt(i) <= 0x39) i++;
  if (i === 0) return undefined;
  const rest = reason.slice(i);
  return rest === ' incorrect password attempt' || rest === ' incorrect password attempts' ? Number(reason.slice(0, i)) : undefined;
}

function isRefusal(reason: string): boolean {
  return REFUSALS.has(reason) || passwordAttempts(reason) !== undefined || REFUSAL_PREFIXES.some((p) => reason.startsWith(p));
}

const isNoise = (reason: string): boolean => NOISE_PREFIXES.some((p) => reason.startsWith(p));



function finish(input: BodyInput, d: Draft): Event {
  return { seq: input.seq, time: input.time, host: input.host, ...d, hints: recordHints(input, d.tty), parser: PARSER };
}

const events = (...list: Event[]): ParseOutcome => ({ kind: 'events', events: list });
const unparsed = (reason: 'unknown-message' | 'malformed' | 'orphan', message: string): ParseOutcome => ({ kind: 'unparsed', reason, message });
const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });

/** Drops undefined values so events compare and serialise cleanly. */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function fromClassic(input: BodyInput, c: ClassicLine): ParseOutcome {
  if (c.continued) return unparsed('orphan', 'continuation of a sudo line split over several syslog messages');
  const f = c.fields;
  const tty = normalizeTty(f.get('TTY'));
  const detail: Detail = {};
  const tsid = f.get('TSID');
  if (tsid !== undefined) detail.tsid = tsid;
  const env = f.get('ENV');
  if (env !== undefined) detail.env = env;
  const group = f.get('GROUP');
  if (group !== undefined) detail.group = group;
  const chroot = f.get('CHROOT');
  if (chroot !== undefined) detail.chroot = chroot;
  const host = f.get('HOST');
  if (host !== undefined) detail.submitHost = host;
  const base = compact({
    user: c.user,
    targetUser: f.get('USER'),
    command: c.command,
    cwd: f.get('PWD') ?? f.get('CWD'),
    tty,
  });

  if (c.reason === undefined) {
    if (f.size === 0 && c.command === undefined) return unparsed('unknown-message', 'sudo line with neither a reason nor fields');
    if (c.command !== undefined) {
      const { program, args } = splitCommandLine(c.command);
      if (isInteractiveShell(program, args)) detail.shell = true;
    }
    const exit = c.exitValue !== undefined || c.signal !== undefined;
    if (c.exitValue !== undefined) detail.exitValue = c.exitValue;
    if (c.signal !== undefined) detail.signal = c.signal;
    return events(finish(input, { kind: 'privilege', action: exit ? 'sudo-exit' : 'sudo', ...base, ...(Object.keys(detail).length > 0 ? { detail } : {}) }));
  }
  if (isNoise(c.reason)) return events();
  if (isRefusal(c.reason)) {
    const attempts = passwordAttempts(c.reason);
    if (attempts !== undefined) detail.attempts = attempts;
    return events(
      finish(input, { kind: 'privilege_failed', action: 'sudo', ...base, reason: c.reason, ...(Object.keys(detail).length > 0 ? { detail } : {}) }),
    );
  }
  return unparsed('unknown-message', `sudo reason not recognised: ${c.reason.slice(0, 200)}`);
}

/** command + argv[1..] as sudo's classic line writes it: arguments holding a blank in single quotes. */
function jsonCommandLine(e: SudoJsonEvent): string | undefined {
  const argv = e.runArgv ?? [];
  const program = e.command ?? argv[0];
  if (program === undefined) return undefined;
  const parts = [program];
  for (const a of argv.slice(1)) parts.push(a.includes(' ') ? `'${a}'` : a);
  return parts.join(' ');
}

function fromJson(input: BodyInput, e: SudoJsonEvent): ParseOutcome {
  if (e.reason !== undefined && isNoise(e.reason)) return events();
  const tty = normalizeTty(e.ttyName);
  const cwd = e.runCwd ?? e.submitCwd;
  const detail = compact<Record<string, string | number | boolean | undefined>>({
    uuid: e.uuid,
    submitHost: e.submitHost,
    submitCwd: e.submitCwd !== undefined && e.submitCwd !== cwd ? e.submitCwd : undefined,
    group: e.runGroup,
    chroot: e.runChroot,
    source: e.source,
    peerAddr: e.peerAddr,
    iologPath: e.iologPath,
    serverTime: e.serverTime,
    exitValue: e.exitValue,
    signal: e.signal,
    dumpedCore: e.dumpedCore,
  }) as Detail;
  const command = jsonCommandLine(e);
  if (command !== undefined && (e.type === 'accept' || e.type === 'exit')) {
    const program = e.command ?? e.runArgv?.[0] ?? '';
    if (isInteractiveShell(program, e.runArgv?.slice(1) ?? [])) detail.shell = true;
  }
  const base = compact({ user: e.submitUser, targetUser: e.runUser, command, cwd, tty, reason: e.reason });
  const withDetail = Object.keys(detail).length > 0 ? { detail } : {};
  switch (e.type) {
    case 'accept':
      return events(finish(input, { kind: 'privilege', action: 'sudo', ...base, ...withDetail }));
    case 'exit':
      return events(finish(input, { kind: 'privilege', action: 'sudo-exit', ...base, ...withDetail }));
    case 'reject':
      if (e.reason !== undefined) {
        const attempts = passwordAttempts(e.reason);
        if (attempts !== undefined) detail.attempts = attempts;
      }
      return events(finish(input, { kind: 'privilege_failed', action: 'sudo', ...base, ...(Object.keys(detail).length > 0 ? { detail } : {}) }));
    case 'alert':
      return events(finish(input, { kind: 'alert_only', action: 'sudo-alert', ...base, ...withDetail }));
  }
}

/** A message from sudo's own log file (`Defaults logfile`): no tag, `[: ]user : … USER=/COMMAND= …`. */
function logfileBody(input: BodyInput): string | undefined {
  const env = input.envelope;
  if (env.app !== undefined || env.format !== 'rfc3164') return undefined;
  const msg = env.msg.startsWith(': ') ? env.msg.slice(2) : env.msg;
  const colon = msg.indexOf(' : ');
  if (colon <= 0 || colon > 64) return undefined;
  // Every sudo log-file line with a command has ` ; ` between fields and USER= or COMMAND= among them.
  if (!msg.includes(' ; ', colon)) return undefined;
  return msg.includes('COMMAND=', colon) || msg.includes('USER=', colon) ? msg : undefined;
}

function parse(input: BodyInput): ParseOutcome {
  const env = input.envelope;
  let msg: string;
  if (env.app === ID) msg = env.msg;
  else {
    const body = logfileBody(input);
    if (body === undefined) return NOT_MINE;
    msg = body;
  }
  const lead = msg.trimStart();
  if (lead.startsWith('pam_')) return NOT_MINE;
  if (looksLikeJson(lead)) {
    const j = scanJson(lead);
    return j.ok ? fromJson(input, j.event) : unparsed('malformed', `sudo JSON: ${j.why}`);
  }
  const c = scanClassic(msg);
  if (c !== undefined) return fromClassic(input, c);
  if (isNoise(lead)) return events();
  return unparsed('unknown-message', 'not a sudo log line');
}

const parser: BodyParser = Object.freeze({
  id: ID,
  version: VERSION,
  programs: Object.freeze([ID]),
  claims: (input: BodyInput): boolean => logfileBody(input) !== undefined,
  parse,
});

export const sudo: BodyParserFactory = () => parser;
