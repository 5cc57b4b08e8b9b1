// Juniper JunOS operator messages (mgd/cli UI_* tags, JunOS sshd/login failure tags) → login, logout,
// login_failed, command, config_change, commit, reboot and alert_only events, from BSD-style lines and
// from structured-data (RFC 5424, `junos@2636…` params) lines alike. Stateless; never throws, no clock.
//
// What it produces (every event: detail.deviceType 'junos', detail.tag = the JunOS tag):
// - UI_AUTH_EVENT "Authenticated user 'U' at permission level 'C'" / "… assigned to class 'C'" → login
//   (action 'authenticated'); a text saying the authentication failed → login_failed.
// - UI_LOGIN_EVENT → login (action 'login'): user, detail.loginClass, detail.clientMode, remote/remotePort
//   from `ssh-connection 'client-ip client-port server-ip server-port'` (detail.sshConnection keeps it).
// - UI_LOGOUT_EVENT → logout.
// - UI_CMDLINE_READ_LINE → command (action 'cli'): the line trimmed of the blank JunOS appends; a leading
//   `[edit …]` context, where a release prints one, goes to detail.context. Empty lines → no event.
// - UI_NETCONF_CMD / UI_JUNOSCRIPT_CMD → command (action 'netconf' / 'junoscript').
// - UI_COMMIT → commit (action = the operation requested: 'commit', 'commit confirmed', …; detail.comment);
//   UI_COMMIT_COMPLETED → commit (action 'commit-completed'); UI_COMMIT_NOT_CONFIRMED → commit
//   (action 'rollback-not-confirmed': a `commit confirmed` ran out and JunOS rolled back).
// - UI_CFG_AUDIT_* (SET, NEW, OTHER, SET_SECRET, NEW_SECRET …) → config_change: command = the statement
//   as a configuration line ("set system syslog archive files 10", "delete system services telnet"),
//   action = the verb JunOS logged (set, delete, replace, override …), detail.path / oldValue / newValue;
//   secret statements never carry a value (JunOS does not log it) and are marked detail.secret.
// - UI_REBOOT_EVENT / UI_HALT_EVENT → reboot (closes the host's sessions), user where logged.
// - UI_MASTERSHIP_EVENT and chassisd tags naming a mastership change or switchover → alert_only
//   (action 're-switchover'). Not 'reboot': the exact tags are not confirmed by a real sample, and a
//   false reboot would close every session on the router.
// - SSHD_LOGIN_FAILED / LOGIN_FAILED (JunOS sshd and console login) → login_failed;
//   SSHD_LOGIN_ATTEMPTS_THRESHOLD → alert_only. Claimed by tag whatever the program.
// - UI_CHILD_START / _EXITED / _STATUS / _WAITPID, UI_DBASE_LOGIN/LOGOUT_EVENT, UI_LOAD_EVENT,
//   UI_COMMIT_PROGRESS and a few more: recognised, no event (mgd's own children and mode changes; the
//   operator's command behind them is already a UI_CMDLINE_READ_LINE / UI_CFG_AUDIT_* event).
// - Any other UI_* tag → unparsed 'unknown-message'; a known tag whose text does not read → 'malformed'.
// - Other tags under mgd/cli/file/chassisd → no event; untagged text under mgd/cli → unknown-message.
//   Other JunOS daemons (rpd, RT_FLOW, kernel …) are not-mine: no parser of ours owns them.
//
// Structured-data lines add detail.format 'structured-data'; fields come from the junos@2636 SD params
// (username, command, class-name, pid, ssh-connection, client-mode …) where present, else from the text.
//
// Session hint: hints.devicePid = the pid of the mgd (or cli) process that logged the line — the
// envelope PROCID (BSD `mgd[4321]` or the 5424 field), else the SD `pid`, else UI_LOGIN_EVENT's `[pid]`.
// JunOS runs one mgd per CLI/NETCONF session and logs the login, every command, config change and
// commit of that session under it, so two admins on one router stay apart.
import type { Event, EventKind, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';
import {
  configValue, isPid, junosParams, leadingUser, param, quotedAfter, quotedPairs, setWord, sshConnection, tagged, trailingQuoted,
  type Tagged,
} from './junos-text.js';

const ID = 'junos';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;
const DEVICE_TYPE = 'junos';

type Detail = Record<string, string | number | boolean>;

const NONE: ParseOutcome = Object.freeze({ kind: 'events', events: Object.freeze([]) as readonly Event[] });
const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });
const unknown = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'unknown-message', message: msg });
const malformed = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'malformed', message: msg });

/** Programs whose records are read by program (the rest are claimed by tag). */
const PROGRAMS = ['mgd', 'cli', 'file', 'chassisd'] as const;
/** Programs whose untagged text is still JunOS's (and so unparsed rather than ignored). */
const UI_PROGRAMS: ReadonlySet<string> = new Set(['mgd', 'cli']);

/** Non-UI tags claimed under any program: JunOS's own login failure messages. */
const CLAIMED_TAGS: ReadonlySet<string> = new Set(['SSHD_LOGIN_FAILED', 'LOGIN_FAILED', 'SSHD_LOGIN_ATTEMPTS_THRESHOLD']);

/** UI_* tags recognised as carrying nothing for sessions (see the header for why). */
const QUIET_UI_TAGS: ReadonlySet<string> = new Set([
  'UI_CHILD_START',
  'UI_CHILD_EXITED',
  'UI_CHILD_STATUS',
  'UI_CHILD_WAITPID',
  'UI_CHILD_ARGS_EXCEEDED',
  'UI_DBASE_LOGIN_EVENT',
  'UI_DBASE_LOGOUT_EVENT',
  'UI_LOAD_EVENT',
  'UI_COMMIT_PROGRESS',
  'UI_COMMIT_EMPTY_CONTAINER',
  'UI_RESTART_EVENT',
  'UI_TERM_PROGRESS',
]);

/** The pid that keys the session: the logging mgd's, else one the message states. */
function devicePid(input: BodyInput, params: ReadonlyMap<string, string>, textPid?: string): string | undefined {
  const procid = input.envelope.procid;
  if (isPid(procid)) return procid;
  const sd = param(params, 'pid');
  if (isPid(sd)) return sd;
  return isPid(textPid) ? textPid : undefined;
}

interface Ctx {
  readonly input: BodyInput;
  readonly t: Tagged;
  readonly params: ReadonlyMap<string, string>;
  /** The message as stored, for unparsed outcomes. */
  readonly raw: string;
}

function event(c: Ctx, kind: EventKind, fields: Partial<Omit<Event, 'seq' | 'time' | 'host' | 'kind' | 'parser' | 'hints'>>, hints: SessionHints, detail: Detail = {}): ParseOutcome {
  const d: Detail = { deviceType: DEVICE_TYPE, tag: c.t.tag, ...detail };
  if (c.t.form === 'structured') d.format = 'structured-data';
  const e: Event = {
    seq: c.input.seq,
    time: c.input.time,
    host: c.input.host,
    kind,
    ...fields,
    hints,
    parser: PARSER,
    detail: d,
  };
  return { kind: 'events', events: [e] };
}

const pidHints = (c: Ctx, textPid?: string): SessionHints => {
  const pid = devicePid(c.input, c.params, textPid);
  return pid === undefined ? {} : { devicePid: pid };
};

/** The acting user: the SD `username`, else "User 'NAME'" at the start of the text. */
const userOf = (c: Ctx): string | undefined => param(c.params, 'username') ?? leadingUser(c.t.text)?.user;

// ---- UI_* readers ----

function authEvent(c: Ctx): ParseOutcome {
  const text = c.t.text;
  if (text.startsWith('Authenticated user ')) {
    const user = param(c.params, 'username') ?? quotedAfter(text, "user '")?.value;
    if (user === undefined || user === '') return malformed(c.raw);
    const level = param(c.params, 'authentication-level') ?? quotedAfter(text, "permission level '")?.value ?? quotedAfter(text, "to class '")?.value;
    return event(c, 'login', { action: 'authenticated', user }, pidHints(c), level !== undefined && level !== '' ? { loginClass: level } : {});
  }
  // Not seen in a real sample: a failed-authentication wording, read by its words rather than guessed.
  const lower = text.toLowerCase();
  if (lower.includes('fail') || lower.includes('denied') || lower.includes('invalid')) {
    const user = param(c.params, 'username') ?? quotedAfter(text, "'")?.value;
    return event(c, 'login_failed', { action: 'failed', ...(user !== undefined && user !== '' ? { user } : {}), reason: text }, pidHints(c));
  }
  return unknown(c.raw);
}

function loginEvent(c: Ctx): ParseOutcome {
  // "User 'op' login, class 'j-operator' [16648], ssh-connection '10.0.0.1 5000 10.0.0.2 22', client-mode 'cli'"
  const lu = leadingUser(c.t.text);
  const user = param(c.params, 'username') ?? lu?.user;
  if (user === undefined || user === '' || (lu !== undefined && !lu.rest.startsWith(' login'))) return malformed(c.raw);
  const rest = lu?.rest ?? '';
  const cls = param(c.params, 'class-name') ?? quotedAfter(rest, "class '")?.value;
  let textPid: string | undefined;
  let tail = rest;
  const open = rest.indexOf(' [');
  if (open >= 0) {
    const close = rest.indexOf(']', open);
    if (close > open) {
      textPid = rest.slice(open + 2, close);
      tail = rest.slice(close + 1);
    }
  }
  const pairs = quotedPairs(tail);
  const ssh = param(c.params, 'ssh-connection') ?? pairs.get('ssh-connection');
  const mode = param(c.params, 'client-mode') ?? pairs.get('client-mode');
  const conn = sshConnection(ssh);
  const d: Detail = {};
  if (cls !== undefined && cls !== '') d.loginClass = cls;
  if (mode !== undefined && mode !== '') d.clientMode = mode;
  if (ssh !== undefined && ssh.trim() !== '') d.sshConnection = ssh.trim();
  const sdPid = param(c.params, 'pid');
  if (isPid(textPid ?? sdPid)) d.mgdPid = (textPid ?? sdPid)!;
  return event(
    c,
    'login',
    { action: 'login', user, ...(conn !== undefined ? { remote: conn.remote } : {}), ...(conn?.remotePort !== undefined ? { remotePort: conn.remotePort } : {}) },
    // The SSH client address and port tie this login to sshd's own "Accepted …" line on the router:
    // one session, which the sessionizer then marks as a JunOS one.
    { ...pidHints(c, textPid), ...(conn?.remotePort !== undefined ? { sshConn: `${conn.remote} ${conn.remotePort}` } : {}) },
    d,
  );
}

function logoutEvent(c: Ctx): ParseOutcome {
  const user = userOf(c);
  if (c.t.form === 'bsd' && (user === undefined || !c.t.text.includes('logout'))) return malformed(c.raw);
  return event(c, 'logout', { action: 'logout', ...(user !== undefined && user !== '' ? { user } : {}) }, pidHints(c));
}

/** "[edit protocols bgp] set group x" → the context and the command, where a release prints one. */
function splitContext(cmd: string): { context?: string; command: string } {
  if (!cmd.startsWith('[edit')) return { command: cmd };
  const close = cmd.indexOf(']');
  if (close < 0) return { command: cmd };
  return { context: cmd.slice(0, close + 1), command: cmd.slice(close + 1).trim() };
}

function cmdlineEvent(c: Ctx): ParseOutcome {
  // "User 'op', command 'show route '"
  const lu = leadingUser(c.t.text);
  const user = param(c.params, 'username') ?? lu?.user;
  const fromText = lu !== undefined && lu.rest.startsWith(", command '") ? trailingQuoted(lu.rest, ", command '") : undefined;
  const raw = fromText?.value ?? c.params.get('command');
  if (user === undefined || user === '' || raw === undefined) return malformed(c.raw);
  const { context, command } = splitContext(raw.trim());
  if (command === '') return NONE;
  const d: Detail = {};
  if (context !== undefined) d.context = context;
  if (fromText?.truncated === true) d.truncated = true;
  return event(c, 'command', { action: 'cli', user, command }, pidHints(c), d);
}

function clientCmdEvent(c: Ctx, action: 'netconf' | 'junoscript'): ParseOutcome {
  // "User 'U' used NETCONF client to run command 'get-configuration'"
  const lu = leadingUser(c.t.text);
  const user = param(c.params, 'username') ?? lu?.user;
  const fromText = lu !== undefined && lu.rest.includes(" command '") ? trailingQuoted(lu.rest, " command '") : undefined;
  const command = (fromText?.value ?? c.params.get('command'))?.trim();
  if (user === undefined || user === '' || command === undefined) return malformed(c.raw);
  if (command === '') return NONE;
  return event(c, 'command', { action, user, command }, pidHints(c), fromText?.truncated === true ? { truncated: true } : {});
}

function commitEvent(c: Ctx): ParseOutcome {
  // "User 'U' requested 'commit' operation (comment: none)"
  const lu = leadingUser(c.t.text);
  const user = param(c.params, 'username') ?? lu?.user;
  if (user === undefined || user === '') return malformed(c.raw);
  const op = param(c.params, 'command') ?? (lu !== undefined ? quotedAfter(lu.rest, " requested '")?.value : undefined);
  const d: Detail = {};
  let comment = param(c.params, 'message');
  if (comment === undefined) {
    const i = c.t.text.indexOf('(comment: ');
    if (i >= 0) comment = c.t.text.slice(i + 10, c.t.text.endsWith(')') ? -1 : undefined).trim();
  }
  if (comment !== undefined && comment !== '' && comment !== 'none') d.comment = comment;
  return event(c, 'commit', { action: op !== undefined && op !== '' ? op : 'commit', user }, pidHints(c), d);
}

/** The two sides of a logged change: `OLD -> NEW` (and the `OLD -- NEW` some documents print). */
function splitChange(s: string): { old?: string; new?: string } {
  for (const sep of [' -> ', ' -- ']) {
    const i = s.indexOf(sep);
    if (i >= 0) return { old: s.slice(0, i), new: s.slice(i + sep.length) };
  }
  return { new: s };
}

function cfgAuditEvent(c: Ctx): ParseOutcome {
  // "User 'admin' set: [system radius-server 1.2.3.4 secret]", "User 'U' set: [path] \"5\" -> \"10\"",
  // "User 'admin' override: CC_config2.txt", "User 'root' delete: [system services telnet]"
  const lu = leadingUser(c.t.text);
  const user = param(c.params, 'username') ?? lu?.user;
  if (user === undefined || user === '' || lu === undefined || !lu.rest.startsWith(' ')) return malformed(c.raw);
  const colon = lu.rest.indexOf(': ');
  const verb = colon > 1 ? lu.rest.slice(1, colon) : '';
  if (verb === '' || verb.length > 32 || verb.includes(' ')) return malformed(c.raw);
  const body = lu.rest.slice(colon + 2).trim();
  const secret = c.t.tag.includes('SECRET');
  const d: Detail = {};
  if (secret) d.secret = true;
  let command: string;
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    if (close < 0) return malformed(c.raw);
    const path = body.slice(1, close).trim();
    if (path === '') return malformed(c.raw);
    d.path = path;
    command = `${verb} ${path}`;
    const change = body.slice(close + 1).trim();
    if (change !== '' && !secret) {
      const { old, new: neu } = splitChange(change);
      const oldV = configValue(old);
      const newV = configValue(neu);
      if (oldV !== undefined) d.oldValue = oldV;
      if (newV !== undefined) {
        d.newValue = newV;
        command += ` ${setWord(newV)}`;
      } else if (old !== undefined) {
        // "OLD -> <unconfigured>": the statement lost its value, which is what a delete of it does.
        d.valueRemoved = true;
        command = `delete ${path}`;
      }
    }
  } else {
    // No statement path: a whole-file operation ("override: CC_config2.txt").
    if (body === '') return malformed(c.raw);
    command = `${verb} ${body}`;
  }
  return event(c, 'config_change', { action: verb, user, command }, pidHints(c), d);
}

/** A word without the punctuation that ends a sentence after it ("admin:" → "admin"). */
function trimPunct(w: string): string {
  let e = w.length;
  while (e > 0 && ':,.'.includes(w.charAt(e - 1))) e--;
  return w.slice(0, e);
}

function rebootEvent(c: Ctx, action: 'reboot' | 'halt'): ParseOutcome {
  // The text names who asked where JunOS knows it ("… by 'admin'" or "… by admin").
  let user = param(c.params, 'username');
  if (user === undefined) {
    const q = quotedAfter(c.t.text, "by '");
    if (q !== undefined) user = q.value;
    else {
      const i = c.t.text.lastIndexOf(' by ');
      if (i >= 0) user = trimPunct(c.t.text.slice(i + 4).split(' ')[0] ?? '');
    }
  }
  return event(c, 'reboot', { action, ...(user !== undefined && user !== '' ? { user } : {}) }, {}, { message: c.t.text });
}

function switchoverEvent(c: Ctx): ParseOutcome {
  return event(c, 'alert_only', { action: 're-switchover' }, {}, { switchover: true, message: c.t.text });
}

function loginFailedEvent(c: Ctx): ParseOutcome {
  // "Login failed for user 'root' from host '10.0.0.1'" (sshd) / "… from host ttyu0" (console login).
  const text = c.t.text;
  const user = param(c.params, 'username') ?? quotedAfter(text, "user '")?.value;
  let remote = param(c.params, 'source-address') ?? quotedAfter(text, "from host '")?.value;
  if (remote === undefined) {
    const i = text.indexOf(' from host ');
    if (i >= 0) remote = text.slice(i + 11).split(' ')[0];
  }
  const conn = sshConnection(param(c.params, 'ssh-connection'));
  const hints: SessionHints = isPid(c.input.envelope.procid) ? { pid: c.input.envelope.procid } : {};
  const reason = param(c.params, 'reason');
  if (c.t.tag === 'SSHD_LOGIN_ATTEMPTS_THRESHOLD') {
    const who = user ?? quotedAfter(text, "by user '")?.value;
    return event(c, 'alert_only', { action: 'attempts-threshold', ...(who !== undefined && who !== '' ? { user: who } : {}), reason: text }, hints);
  }
  if (user === undefined && remote === undefined) return malformed(c.raw);
  return event(
    c,
    'login_failed',
    {
      action: 'failed',
      ...(user !== undefined && user !== '' ? { user } : {}),
      ...(conn !== undefined ? { remote: conn.remote } : remote !== undefined && remote !== '' ? { remote } : {}),
      ...(conn?.remotePort !== undefined ? { remotePort: conn.remotePort } : {}),
      reason: reason ?? 'login failed',
    },
    hints,
  );
}

function readUi(c: Ctx): ParseOutcome {
  switch (c.t.tag) {
    case 'UI_AUTH_EVENT':
      return authEvent(c);
    case 'UI_LOGIN_EVENT':
      return loginEvent(c);
    case 'UI_LOGOUT_EVENT':
      return logoutEvent(c);
    case 'UI_CMDLINE_READ_LINE':
      return cmdlineEvent(c);
    case 'UI_NETCONF_CMD':
      return clientCmdEvent(c, 'netconf');
    case 'UI_JUNOSCRIPT_CMD':
      return clientCmdEvent(c, 'junoscript');
    case 'UI_COMMIT':
      return commitEvent(c);
    case 'UI_COMMIT_COMPLETED':
      return event(c, 'commit', { action: 'commit-completed' }, pidHints(c), c.t.text !== '' ? { message: c.t.text } : {});
    case 'UI_COMMIT_NOT_CONFIRMED':
      return event(c, 'commit', { action: 'rollback-not-confirmed' }, pidHints(c), c.t.text !== '' ? { message: c.t.text } : {});
    case 'UI_REBOOT_EVENT':
      return rebootEvent(c, 'reboot');
    case 'UI_HALT_EVENT':
      return rebootEvent(c, 'halt');
    case 'UI_MASTERSHIP_EVENT':
      return switchoverEvent(c);
  }
  if (c.t.tag.startsWith('UI_CFG_AUDIT_')) return cfgAuditEvent(c);
  if (QUIET_UI_TAGS.has(c.t.tag)) return NONE;
  return unknown(c.raw);
}

function parse(input: BodyInput): ParseOutcome {
  const env = input.envelope;
  const t = tagged(env);
  const app = env.app ?? '';
  const raw = env.msgid !== undefined && t?.form === 'structured' ? `${env.msgid} ${env.msg}` : env.msg;
  if (t === undefined) {
    if (UI_PROGRAMS.has(app)) return env.msg.trim() === '' ? malformed(env.msg) : unknown(env.msg);
    return app === 'chassisd' ? NONE : NOT_MINE; // `file` is a generic name: only its UI_* lines are ours
  }
  const c: Ctx = { input, t, params: junosParams(env), raw };
  if (t.tag.startsWith('UI_')) return readUi(c);
  if (CLAIMED_TAGS.has(t.tag)) return loginFailedEvent(c);
  if (app === 'chassisd') return t.tag.includes('SWITCHOVER') || t.tag.includes('MASTERSHIP') ? switchoverEvent(c) : NONE;
  if ((PROGRAMS as readonly string[]).includes(app)) return NONE;
  return NOT_MINE;
}

/** UI_* records and JunOS login-failure tags, whatever program (or relay) they arrive under. */
function claims(input: BodyInput): boolean {
  const env = input.envelope;
  const m = env.msgid;
  if (m !== undefined && (m.startsWith('UI_') || CLAIMED_TAGS.has(m))) return tagged(env) !== undefined;
  const msg = env.msg;
  const c0 = msg.charCodeAt(0);
  // Cheap first look: "UI_", "SSHD_", "LOGIN_" or an explicit-priority "%…" before reading the tag.
  if (c0 !== 0x55 /* U */ && c0 !== 0x53 /* S */ && c0 !== 0x4c /* L */ && c0 !== 0x25 /* % */) return false;
  const t = tagged(env);
  return t !== undefined && (t.tag.startsWith('UI_') || CLAIMED_TAGS.has(t.tag));
}

const parser: BodyParser = Object.freeze({
  id: ID,
  version: VERSION,
  programs: Object.freeze([...PROGRAMS]),
  claims,
  parse,
});

export const junos: BodyParserFactory = () => parser;
