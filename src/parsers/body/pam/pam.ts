// PAM module messages, whatever program logged them: "pam_unix(sshd:session): session opened for user …"
// and the old Red Hat tag form "sshd(pam_unix)[pid]: session opened …". Session open/close and
// authentication failures become login/logout/privilege events by PAM service. Never throws, no regexes.
import type { Event, EventKind, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';

const ID = 'pam';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

const NONE: ParseOutcome = Object.freeze({ kind: 'events', events: Object.freeze([]) as readonly Event[] });
const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });
const unknown = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'unknown-message', message: msg });
const malformed = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'malformed', message: msg });

/** Services whose session is an operator's login: open → login, close → logout. */
const LOGIN_SERVICES: ReadonlySet<string> = new Set([
  'sshd',
  'login',
  'remote',
  'rlogin',
  'rsh',
  'telnet',
  'cockpit',
  'gdm',
  'gdm-password',
  'gdm-autologin',
  'gdm-fingerprint',
  'gdm-smartcard',
  'lightdm',
  'lightdm-autologin',
  'sddm',
  'sddm-autologin',
  'xdm',
  'kdm',
]);

/** Services that change the acting user inside a session: open/close/failure → privilege events. */
const PRIVILEGE_SERVICES: ReadonlySet<string> = new Set(['su', 'su-l', 'sudo', 'sudo-i', 'runuser', 'runuser-l', 'polkit-1', 'doas', 'ksu']);

/**
 * Services whose sessions are the system's own, not an operator's: cron jobs, and the per-user
 * service manager that systemd starts beside every login (its login is already an event).
 */
const BACKGROUND_SERVICES: ReadonlySet<string> = new Set(['cron', 'crond', 'CRON', 'atd', 'anacron', 'systemd-user']);

type ServiceClass = 'login' | 'privilege' | 'background' | 'other';
const classOf = (service: string): ServiceClass =>
  LOGIN_SERVICES.has(service) ? 'login' : PRIVILEGE_SERVICES.has(service) ? 'privilege' : BACKGROUND_SERVICES.has(service) ? 'background' : 'other';

/** A module name as PAM spells it: "pam_" then [a-z0-9_]. */
function isModule(s: string): boolean {
  if (!s.startsWith('pam_') || s.length < 5 || s.length > 40) return false;
  for (let i = 4; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) return false;
  }
  return true;
}

/** A PAM service name: printable, no spaces or parentheses, short. */
function isService(s: string): boolean {
  if (s.length === 0 || s.length > 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x28 || c === 0x29 || c === 0x3a) return false;
  }
  return true;
}

interface Header {
  readonly module: string;
  readonly service: string;
  /** auth, account, session, password; unknown in the old tag form. */
  readonly type?: string;
  readonly text: string;
}

/** The old tag form: app "SERVICE(pam_MODULE)". */
function oldTag(app: string | undefined): { service: string; module: string } | undefined {
  if (app === undefined || !app.endsWith(')')) return undefined;
  const open = app.indexOf('(pam_');
  if (open <= 0) return undefined;
  const service = app.slice(0, open);
  const module = app.slice(open + 1, -1);
  return isService(service) && isModule(module) ? { service, module } : undefined;
}

/** "pam_MODULE(SERVICE:TYPE): TEXT", or the old tag form; undefined if neither. */
function header(input: BodyInput, msg: string): Header | 'malformed' | undefined {
  if (msg.startsWith('pam_')) {
    const open = msg.indexOf('(');
    const close = open < 0 ? -1 : msg.indexOf('): ', open);
    if (open < 0 || close < 0 || open > 40 || close - open > 80) return 'malformed';
    const module = msg.slice(0, open);
    const inner = msg.slice(open + 1, close);
    const colon = inner.lastIndexOf(':');
    const service = colon < 0 ? inner : inner.slice(0, colon);
    const type = colon < 0 ? undefined : inner.slice(colon + 1);
    if (!isModule(module) || !isService(service)) return 'malformed';
    return { module, service, ...(type !== undefined ? { type } : {}), text: msg.slice(close + 3) };
  }
  const old = oldTag(input.envelope.app);
  return old === undefined ? undefined : { ...old, text: msg };
}

/** The program that logged the line, without an old-form "(pam_…)" suffix. */
function program(input: BodyInput): string | undefined {
  const app = input.envelope.app;
  if (app === undefined) return undefined;
  const old = oldTag(app);
  return old !== undefined ? old.service : app;
}

function hintsOf(input: BodyInput, tty?: string): SessionHints {
  const h: { pid?: string; sshdPid?: string; tty?: string } = {};
  const pid = input.envelope.procid;
  if (pid !== undefined && pid !== '') {
    const prog = program(input);
    if (prog === 'sshd' || prog === 'sshd-session') h.sshdPid = pid;
    else h.pid = pid;
  }
  if (tty !== undefined) h.tty = tty;
  return h;
}

/** "NAME(uid=N)", "NAME", "(uid=N)": the name and the uid, either may be absent. */
function nameUid(s: string): { name?: string; uid?: string } {
  const t = s.trim();
  const p = t.indexOf('(uid=');
  if (p < 0 || !t.endsWith(')')) return t === '' ? {} : { name: t };
  const name = t.slice(0, p);
  const uid = t.slice(p + 5, -1);
  return { ...(name !== '' ? { name } : {}), ...(uid !== '' ? { uid } : {}) };
}

/** "key=value key=value …" (values have no spaces; empty values are left out). */
function fields(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const tok of s.split(' ')) {
    const eq = tok.indexOf('=');
    if (eq <= 0) continue;
    const v = tok.slice(eq + 1);
    if (v !== '') m.set(tok.slice(0, eq), v);
  }
  return m;
}

/**
 * PAM_TTY as logged: "/dev/pts/1" → "pts/1". sshd sets "ssh" (older Red Hat "NODEVssh") and display
 * managers an X display (":0"): those are not terminals, so they stay out of `tty` (kept in detail).
 */
function terminal(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const s = t.startsWith('/dev/') ? t.slice(5) : t;
  if (s === '' || s === 'ssh' || s.startsWith('NODEV') || s.startsWith(':')) return undefined;
  return s;
}

type Detail = Record<string, string | number | boolean>;

function event(input: BodyInput, kind: EventKind, fieldsIn: Omit<Event, 'seq' | 'time' | 'host' | 'parser' | 'hints' | 'kind'>, hints: SessionHints): ParseOutcome {
  const e: Event = { seq: input.seq, time: input.time, host: input.host, kind, ...fieldsIn, hints, parser: PARSER };
  return { kind: 'events', events: [e] };
}

function sessionOpened(input: BodyInput, h: Header, rest: string, full: string): ParseOutcome {
  // "alice(uid=1000) by (uid=0)" (Linux-PAM ≥ 1.5.2), "news by (uid=0)", "root by LOGIN(uid=0)", "root by alice(uid=1000)".
  const by = rest.lastIndexOf(' by ');
  const target = nameUid(by < 0 ? rest : rest.slice(0, by));
  const actor = by < 0 ? {} : nameUid(rest.slice(by + 4));
  if (target.name === undefined) return malformed(full);
  const detail: Detail = { service: h.service };
  if (target.uid !== undefined) detail.uid = target.uid;
  if (actor.uid !== undefined) detail.byUid = actor.uid;
  if (actor.name !== undefined) detail.byUser = actor.name;
  const hints = hintsOf(input);
  switch (classOf(h.service)) {
    case 'login':
      return event(input, 'login', { action: 'session-opened', user: target.name, detail }, hints);
    case 'privilege':
      // The acting user is the "by" name; when only a uid is logged it stays in detail.byUid.
      return event(input, 'privilege', { action: 'session-opened', ...(actor.name !== undefined ? { user: actor.name } : {}), targetUser: target.name, detail }, hints);
    case 'background':
      return NONE;
    case 'other':
      return event(input, 'alert_only', { action: 'session-opened', user: target.name, detail }, hints);
  }
}

function sessionClosed(input: BodyInput, h: Header, rest: string, full: string): ParseOutcome {
  const target = nameUid(rest);
  if (target.name === undefined) return malformed(full);
  const detail: Detail = { service: h.service };
  if (target.uid !== undefined) detail.uid = target.uid;
  const hints = hintsOf(input);
  switch (classOf(h.service)) {
    case 'login':
      return event(input, 'logout', { action: 'session-closed', user: target.name, detail }, hints);
    case 'privilege':
      // The end of a su/sudo inside a session, not of the session: a privilege event whose target is
      // the user whose session closed (the acting user is not logged on this line).
      return event(input, 'privilege', { action: 'session-closed', targetUser: target.name, detail }, hints);
    case 'background':
      return NONE;
    case 'other':
      return event(input, 'alert_only', { action: 'session-closed', user: target.name, detail }, hints);
  }
}

function authFailure(input: BodyInput, h: Header, rest: string): ParseOutcome {
  // "logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root"
  const f = fields(rest);
  const rawTty = f.get('tty');
  const tty = terminal(rawTty);
  const detail: Detail = { service: h.service };
  for (const k of ['logname', 'uid', 'euid', 'ruser'] as const) {
    const v = f.get(k);
    if (v !== undefined) detail[k] = v;
  }
  if (rawTty !== undefined && tty === undefined) detail.pamTty = rawTty;
  const user = f.get('user');
  const rhost = f.get('rhost');
  const common = { action: 'auth-failure', reason: 'authentication failure', ...(tty !== undefined ? { tty } : {}), ...(rhost !== undefined ? { remote: rhost } : {}), detail };
  const hints = hintsOf(input, tty);
  switch (classOf(h.service)) {
    case 'login':
      return event(input, 'login_failed', { ...(user !== undefined ? { user } : {}), ...common }, hints);
    case 'privilege': {
      // su logs the requesting user as ruser; sudo also as logname.
      const actor = f.get('ruser') ?? f.get('logname');
      return event(input, 'privilege_failed', { ...(actor !== undefined ? { user: actor } : {}), ...(user !== undefined ? { targetUser: user } : {}), ...common }, hints);
    }
    case 'background':
    case 'other':
      return event(input, 'alert_only', { ...(user !== undefined ? { user } : {}), ...common }, hints);
  }
}

/** pam_unix texts that carry nothing for sessions (the failure they follow or precede is its own event). */
const UNIX_NOISE = ['check pass; user unknown', 'auth could not identify password for ', 'conversation failed', 'bad username ['] as const;

function unixText(input: BodyInput, h: Header, full: string): ParseOutcome {
  const t = h.text.trimEnd();
  if (t.startsWith('session opened for user ')) return sessionOpened(input, h, t.slice(24), full);
  if (t.startsWith('session closed for user ')) return sessionClosed(input, h, t.slice(24), full);
  if (t.startsWith('authentication failure; ')) return authFailure(input, h, t.slice(24));
  // "password changed for alice" (passwd, chpasswd, chauthtok): an account change reviewers want to see.
  if (t.startsWith('password changed for ')) {
    const user = t.slice(21).trim();
    return event(input, 'config_change', { action: 'password-changed', targetUser: user, detail: { service: h.service } }, hintsOf(input));
  }
  // "2 more authentication failures; logname= …": a summary of failures already logged one by one.
  const sp = t.indexOf(' more authentication failure');
  if (sp > 0 && sp <= 4 && /^[0-9]+$/.test(t.slice(0, sp))) return NONE;
  for (const p of UNIX_NOISE) if (t.startsWith(p)) return NONE;
  return unknown(full);
}

const parser: BodyParser = Object.freeze({
  id: ID,
  version: VERSION,
  programs: Object.freeze([] as string[]),
  claims(input: BodyInput): boolean {
    return input.envelope.msg.startsWith('pam_') || oldTag(input.envelope.app) !== undefined;
  },
  parse(input: BodyInput): ParseOutcome {
    const msg = input.envelope.msg;
    const h = header(input, msg);
    if (h === undefined) return NOT_MINE;
    if (h === 'malformed') return malformed(msg);
    switch (h.module) {
      case 'pam_unix':
        return unixText(input, h, msg);
      case 'pam_systemd':
        // Without a reachable logind ("Failed to connect to system bus", "Failed to create session: …",
        // "Cannot create session: Already running in a session"): the login is still logged elsewhere.
        return h.text.startsWith('Failed to ') || h.text.startsWith('Cannot create session') ? NONE : unknown(msg);
      case 'pam_limits': // "Could not set limit for 'nofile' …" (containers)
      case 'pam_env': // "deprecated reading of user environment enabled"
      case 'pam_tty_audit':
        // Resource limits, environment, and pam_tty_audit status changes ("changed status from 0 to 1"; the
        // keystrokes themselves arrive as audit TTY records): nothing for sessions.
        return NONE;
      default:
        return unknown(msg);
    }
  },
});

export const pam: BodyParserFactory = () => parser;
