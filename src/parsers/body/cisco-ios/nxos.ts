// Cisco NX-OS messages: AAA accounting records forwarded as syslog (`logging level aaa 6`:
// start / update / stop per session), VSHD configuration commits and AUTHPRIV (PAM) lines.
// NX-OS names each session "ADDRESS@pts/N" (or console0, vsh.PID): that is the devicePid. Never throws.
import { event, malformed, NONE, one, unknown, type Ctx, type Detail } from './shared.js';
import type { ParseOutcome } from '../types.js';

export const NXOS_FACILITIES: ReadonlySet<string> = new Set(['VSHD', 'AUTHPRIV']);
/** The accounting mnemonic lives under the AAA facility, whose other messages (server alive/dead) are noise. */
export const NXOS_ACCOUNTING = 'AAA_ACCOUNTING_MESSAGE';

/** "172.30.0.1@pts/0" → remote and terminal; "console0", "vsh.19419", "ppm.4055" stay as they are. */
function sessionId(id: string): { remote?: string; line?: string } {
  const at = id.lastIndexOf('@');
  if (at <= 0) return { line: id };
  return { remote: id.slice(0, at), line: id.slice(at + 1) };
}

/** An address before '@' (IPv4, IPv6 with its colons, or a name): no spaces, at most 64 characters. */
const addressLike = (s: string): boolean => s.length > 0 && s.length <= 64 && !s.includes(' ');

/**
 * "KIND:SESSION:USER:TEXT" where SESSION may itself hold colons (an IPv6 address before '@') and a
 * process note ("ppm.4055 (sp-commit)"). Returns undefined when the shape does not hold.
 */
function readAccounting(s: string): { kind: string; session: string; user: string; rest: string } | undefined {
  const k = s.indexOf(':');
  if (k <= 0) return undefined;
  const kind = s.slice(0, k);
  const body = s.slice(k + 1);
  let sessEnd: number;
  const at = body.indexOf('@');
  const firstColon = body.indexOf(':');
  if (at > 0 && (firstColon < 0 || firstColon > at || addressLike(body.slice(0, at)))) sessEnd = body.indexOf(':', at);
  else sessEnd = firstColon;
  if (sessEnd <= 0) return undefined;
  const u = body.indexOf(':', sessEnd + 1);
  if (u < 0) return undefined;
  return { kind, session: body.slice(0, sessEnd), user: body.slice(sessEnd + 1, u), rest: body.slice(u + 1) };
}

/**
 * "update:10.109.21.79@pts/0:admin:configure terminal ; vlan 501 ; name WIFI_GUEST (SUCCESS)". The
 * command path is the config mode context; REDIRECT lines are NX-OS's copy of the line that follows
 * with the real result, so they carry nothing of their own.
 */
function accounting(ctx: Ctx): ParseOutcome {
  const { text } = ctx;
  const a = readAccounting(text);
  if (a === undefined || a.user === '' || a.user.includes(' ')) return malformed(text);
  let session = a.session;
  const d: Detail = {};
  const note = session.indexOf(' (');
  if (note > 0 && session.endsWith(')')) {
    d.process = session.slice(note + 2, -1);
    session = session.slice(0, note);
  }
  const { remote, line } = sessionId(session);
  if (line !== undefined) d.line = line;
  const base = { user: a.user, ...(remote !== undefined ? { remote } : {}), pid: session };
  switch (a.kind) {
    case 'start':
      return one(event(ctx, 'login', { ...base, action: 'accounting-start', detail: d }));
    case 'stop': {
      const reason = a.rest.trim();
      return one(event(ctx, 'logout', { ...base, action: 'accounting-stop', ...(reason !== '' ? { reason } : {}), detail: d }));
    }
    case 'update': {
      let cmd = a.rest.trim();
      // The result in parentheses at the end; a real sample doubles the closing one: "(REDIRECT))".
      const open = cmd.lastIndexOf(' (');
      if (open > 0 && cmd.endsWith(')')) {
        let end = cmd.length;
        while (end > open + 2 && cmd.charCodeAt(end - 1) === 0x29 /* ) */) end--;
        const result = cmd.slice(open + 2, end);
        if (/^[A-Z]+$/.test(result)) {
          d.result = result;
          cmd = cmd.slice(0, open).trimEnd();
        }
      }
      if (d.result === 'REDIRECT') return NONE;
      if (cmd === '') return malformed(text);
      const parts = cmd.split(' ; ');
      const last = parts[parts.length - 1]!.trim();
      const failed = d.result === 'FAILURE' ? { reason: 'command failed' } : {};
      if (parts.length > 1 && parts[0]!.startsWith('conf')) {
        d.context = parts.slice(0, -1).join(' ; ');
        const kind = last === 'commit' ? 'commit' : 'config_change';
        return one(event(ctx, kind, { ...base, action: kind === 'commit' ? 'commit' : 'config', command: last, ...failed, detail: d }));
      }
      return one(event(ctx, 'command', { ...base, action: 'exec', command: cmd, ...failed, detail: d }));
    }
    default:
      return unknown(text);
  }
}

/** "Configured from vty by admin on 172.30.0.1@pts/0" / "… on console0". */
function vshdConfig(ctx: Ctx): ParseOutcome {
  const { text } = ctx;
  if (!text.startsWith('Configured from ')) return malformed(text);
  const by = text.indexOf(' by ', 15);
  const on = by < 0 ? -1 : text.indexOf(' on ', by + 4);
  if (on < 0) return malformed(text);
  const user = text.slice(by + 4, on).trim();
  const session = text.slice(on + 4).trim();
  if (user === '' || user.includes(' ') || session === '' || session.includes(' ')) return malformed(text);
  const { remote, line } = sessionId(session);
  const d: Detail = { configSource: text.slice(16, by) };
  if (line !== undefined) d.line = line;
  return one(event(ctx, 'commit', { action: 'configured', user, ...(remote !== undefined ? { remote } : {}), pid: session, detail: d }));
}

/**
 * NX-OS PAM lines: "pam_aaa:Authentication failed for user en from 2.2.2.1 - login" is a failed login.
 * "pam_unix(dcos_sshd:session): session opened for user luke by (uid=0) - dcos_sshd[12977]" names no
 * terminal: the AAA accounting start of the same login does and opens the session, so these are
 * alert_only (seen, not a second session).
 */
function authpriv(ctx: Ctx): ParseOutcome {
  const { text } = ctx;
  const dash = text.lastIndexOf(' - ');
  const body = dash > 0 ? text.slice(0, dash) : text;
  const d: Detail = dash > 0 ? { service: text.slice(dash + 3).trim() } : {};
  const fail = body.indexOf('Authentication failed for user ');
  if (fail >= 0) {
    const rest = body.slice(fail + 31);
    const from = rest.lastIndexOf(' from ');
    const user = from >= 0 ? rest.slice(0, from) : rest;
    const remote = from >= 0 ? rest.slice(from + 6).trim() : undefined;
    return one(event(ctx, 'login_failed', { action: 'login-failed', user, ...(remote !== undefined ? { remote } : {}), reason: 'authentication failed', detail: d }));
  }
  for (const [phrase, action] of [
    ['session opened for user ', 'pam-session-opened'],
    ['session closed for user ', 'pam-session-closed'],
  ] as const) {
    const i = body.indexOf(phrase);
    if (i < 0) continue;
    const user = body.slice(i + phrase.length).split(' ', 1)[0] ?? '';
    const svc = body.startsWith('pam_unix(') ? body.slice(9, body.indexOf(':')) : '';
    if (svc !== '' && !svc.includes(')')) d.pamService = svc;
    return one(event(ctx, 'alert_only', { action, user, detail: d }));
  }
  return unknown(text);
}

export function nxosMessage(ctx: Ctx): ParseOutcome {
  const { tag } = ctx;
  if (tag.mnemonic === NXOS_ACCOUNTING) return accounting(ctx);
  if (tag.facility === 'VSHD') return tag.mnemonic === 'VSHD_SYSLOG_CONFIG_I' ? vshdConfig(ctx) : unknown(ctx.text);
  if (tag.facility === 'AUTHPRIV') return authpriv(ctx);
  return unknown(ctx.text);
}
