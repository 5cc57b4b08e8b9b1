// Cisco IOS / IOS-XE messages of the facilities that tell an operator's story (SEC_LOGIN, SYS, PARSER,
// HA_EM) → login, login_failed, logout, command, privilege, config_change, commit, reboot events.
// Unknown mnemonics of these facilities are 'unparsed', never guessed; never throws.
import { event, malformed, NONE, one, readBy, unknown, type Ctx, type Detail } from './shared.js';
import type { ParseOutcome } from '../types.js';

/** Facilities read here; any other IOS facility is device noise (see cisco-ios.ts). */
export const IOS_FACILITIES: ReadonlySet<string> = new Set(['SEC_LOGIN', 'SYS', 'PARSER', 'HA_EM']);

/** Known mnemonics that carry nothing for sessions (zero events). */
const SYS_NOISE: ReadonlySet<string> = new Set([
  'LOGGINGHOST_STARTSTOP', // "Logging to host 10.0.0.1 port 514 started - CLI initiated"
  'CLOCKUPDATE', // NTP/calendar updates
  'NV_BLOCK_INIT', // "Initialized the geometry of nvram"
  'SYSTEM_MSG',
  'CPUHOG',
  'MALLOCFAIL',
  'FAN_FAILURE',
  'SNMP_WRITENET',
]);
const PARSER_NOISE: ReadonlySet<string> = new Set([
  'BADCFG', // a startup-config line the image does not accept
  'CFGLOG_PERSIST_APPLY_ON_RELOAD',
  'CFGLOG_PERSIST_FILE_LIMIT',
  'CFGLOG_NOUSER',
]);

/** "[key: value]" fields of SEC_LOGIN messages, and what follows " at " (the device's own clock). */
function brackets(text: string): { fields: Map<string, string>; at?: string } {
  const fields = new Map<string, string>();
  let p = 0;
  for (let guard = 0; guard < 16; guard++) {
    const open = text.indexOf('[', p);
    if (open < 0) break;
    const close = text.indexOf(']', open);
    if (close < 0) break;
    const inner = text.slice(open + 1, close);
    const colon = inner.indexOf(':');
    if (colon > 0) fields.set(inner.slice(0, colon).trim().toLowerCase(), inner.slice(colon + 1).trim());
    p = close + 1;
  }
  const at = text.indexOf(' at ', p);
  return at >= 0 ? { fields, at: text.slice(at + 4).trim() } : { fields };
}

const localport = (f: Map<string, string>, d: Detail): void => {
  const lp = f.get('localport');
  if (lp !== undefined && /^[0-9]{1,5}$/.test(lp)) d.localport = Number(lp);
};

/**
 * "Login Success [user: U] [Source: IP] [localport: 22] at 07:57:58 VIENNA Thu Jan 27 2022" and
 * "Login failed [user: U] [Source: IP] [localport: 22] [Reason: Login Authentication Failed] at …".
 * IOS logs these only with `login on-success log` / `login on-failure log`.
 */
function secLogin(ctx: Ctx): ParseOutcome {
  const { tag, text } = ctx;
  const { fields, at } = brackets(text);
  const user = fields.get('user');
  const remote = fields.get('source');
  const d: Detail = {};
  localport(fields, d);
  if (at !== undefined && at !== '') d.deviceTime = at;
  switch (tag.mnemonic) {
    case 'LOGIN_SUCCESS':
      if (!text.startsWith('Login Success') || user === undefined || user === '' || user.includes(' ')) return malformed(text);
      return one(event(ctx, 'login', { action: 'login-success', user, ...(remote !== undefined ? { remote } : {}), pid: user, detail: d }));
    case 'LOGIN_FAILED':
      if (!text.startsWith('Login failed') || remote === undefined) return malformed(text);
      // No devicePid: a failure must not join the session of a user of that name who is logged in.
      return one(
        event(ctx, 'login_failed', { action: 'login-failed', ...(user !== undefined ? { user } : {}), remote, reason: fields.get('reason') ?? 'login failed', detail: d }),
      );
    case 'QUIET_MODE_ON':
      // `login block-for`: logins from everywhere (but the quiet-mode ACL) are refused for a while.
      return one(event(ctx, 'alert_only', { action: 'quiet-mode-on', ...(user !== undefined ? { user } : {}), ...(remote !== undefined ? { remote } : {}), reason: 'login quiet mode', detail: d }));
    case 'QUIET_MODE_OFF':
      return NONE;
    default:
      return unknown(text);
  }
}

/** "Privilege level set to 15 by admin on vty0 (10.1.1.1)" / "Authentication to Privilage level 15 failed by[ ]WHO …". */
function privAuth(ctx: Ctx, ok: boolean): ParseOutcome {
  const { text } = ctx;
  const lvl = text.indexOf('level ');
  const by = lvl < 0 ? -1 : text.indexOf(' by', lvl);
  if (by < 0) return malformed(text);
  // The level is the last number before " by": "level set to 15 by …", "level 15 failed by …".
  const level = text.slice(lvl + 6, by).split(' ').findLast((t) => /^[0-9]{1,2}$/.test(t));
  const who = readBy(text.slice(by + 3));
  if (who === undefined || level === undefined) return malformed(text);
  const d: Detail = { privLevel: Number(level) };
  if (who.line !== undefined) d.line = who.line;
  return one(
    event(ctx, ok ? 'privilege' : 'privilege_failed', {
      action: 'enable',
      ...(who.user !== undefined ? { user: who.user } : {}),
      ...(who.remote !== undefined ? { remote: who.remote } : {}),
      command: 'enable',
      ...(ok ? {} : { reason: 'enable authentication failed' }),
      pid: who.pid,
      detail: d,
    }),
  );
}

/** "Configured from SOURCE by WHO[ on LINE][ (ADDRESS)]": the running configuration was changed (end of config mode). */
function configI(ctx: Ctx): ParseOutcome {
  const { text } = ctx;
  if (text.startsWith('Configured from ')) {
    const by = text.lastIndexOf(' by ');
    if (by > 16) {
      const who = readBy(text.slice(by + 4));
      if (who !== undefined) {
        const d: Detail = { configSource: text.slice(16, by) };
        if (who.line !== undefined) d.line = who.line;
        return one(
          event(ctx, 'commit', {
            action: 'configured',
            ...(who.user !== undefined ? { user: who.user } : {}),
            ...(who.remote !== undefined ? { remote: who.remote } : {}),
            pid: who.pid,
            detail: d,
          }),
        );
      }
    }
  }
  // The mnemonic alone says the configuration changed; text cut short (sample collections keep only the
  // tag) still records that, without a user to tie it to.
  return one(event(ctx, 'commit', { action: 'configured', detail: text === '' ? {} : { message: text } }));
}

/** "Reload requested by WHO[ on LINE]. Reload Reason: REASON." */
function reload(ctx: Ctx): ParseOutcome {
  const { text } = ctx;
  if (!text.startsWith('Reload requested')) return malformed(text);
  const rr = text.indexOf('Reload Reason:');
  const reason = rr >= 0 ? text.slice(rr + 14).trim().replace(/\.$/, '') : undefined;
  const head = rr >= 0 ? text.slice(0, rr).trim() : text;
  const byAt = head.indexOf(' by ');
  const who = byAt >= 0 ? readBy(head.slice(byAt + 4)) : undefined;
  const d: Detail = {};
  if (who?.line !== undefined) d.line = who.line;
  return one(
    event(ctx, 'reboot', {
      action: 'reload-requested',
      ...(who?.user !== undefined ? { user: who.user } : {}),
      ...(who?.remote !== undefined ? { remote: who.remote } : {}),
      ...(reason !== undefined && reason !== '' ? { reason } : {}),
      detail: d,
    }),
  );
}

/** "Version 15.1(4)M4" in an image banner: the token after "Version ", without a trailing comma. */
export function imageVersion(text: string): string | undefined {
  const v = text.indexOf('Version ');
  if (v < 0) return undefined;
  const rest = text.slice(v + 8);
  const end = rest.search(/[ ,\n]/);
  const ver = end < 0 ? rest : rest.slice(0, end);
  return ver === '' ? undefined : ver;
}

function sys(ctx: Ctx): ParseOutcome {
  const { tag, text } = ctx;
  switch (tag.mnemonic) {
    case 'LOGOUT': {
      // "User admin has exited tty session 2(10.1.1.1)": tty is the absolute line number.
      if (!text.startsWith('User ')) return malformed(text);
      const has = text.indexOf(' has exited tty session ');
      if (has <= 5) return malformed(text);
      const user = text.slice(5, has);
      const rest = text.slice(has + 24);
      const open = rest.indexOf('(');
      const line = (open < 0 ? rest : rest.slice(0, open)).trim();
      const remote = open >= 0 && rest.endsWith(')') ? rest.slice(open + 1, -1).trim() : '';
      if (user === '' || user.includes(' ')) return malformed(text);
      return one(event(ctx, 'logout', { action: 'exited', user, remote, pid: user, detail: line !== '' ? { line: `tty ${line}` } : {} }));
    }
    case 'TTY_EXPIRE_TIMER': {
      // "(exec timer expired, tty 1 (192.168.0.1)), user username": exec-timeout ended the line's session.
      const u = text.lastIndexOf(', user ');
      const user = u >= 0 ? text.slice(u + 7).trim() : '';
      const tty = text.indexOf('tty ');
      const open = tty >= 0 ? text.indexOf('(', tty) : -1;
      const close = open >= 0 ? text.indexOf(')', open) : -1;
      const d: Detail = {};
      if (tty >= 0) d.line = `tty ${text.slice(tty + 4, open >= 0 ? open : undefined).trim()}`;
      return one(
        event(ctx, 'logout', {
          action: 'exec-timeout',
          ...(user !== '' ? { user } : {}),
          ...(close > open ? { remote: text.slice(open + 1, close).trim() } : {}),
          reason: 'exec timer expired',
          ...(user !== '' ? { pid: user } : {}),
          detail: d,
        }),
      );
    }
    case 'CONFIG_I':
      return configI(ctx);
    case 'CONFIG_P':
      // "Configured programmatically by process XEP_pull_config from console as NETCONF" (NETCONF/RESTCONF, EEM).
      return one(event(ctx, 'commit', { action: 'configured-programmatically', detail: { message: text } }));
    case 'PRIV_AUTH_PASS':
      return privAuth(ctx, true);
    case 'PRIV_AUTH_FAIL':
      return privAuth(ctx, false);
    case 'RELOAD':
      return reload(ctx);
    case 'RESTART': {
      // "System restarted --\nCisco IOS Software, … Version 15.1(4)M4, RELEASE SOFTWARE (fc1) …" (one record or cut at the newline).
      const version = imageVersion(text);
      return one(event(ctx, 'reboot', { action: 'restarted', detail: version !== undefined ? { version } : {} }));
    }
    case 'BOOTTIME': {
      // "Time taken to reboot after reload =  180 seconds"
      const eq = text.indexOf('=');
      const secs = eq >= 0 ? Number.parseInt(text.slice(eq + 1).trim(), 10) : Number.NaN;
      return one(event(ctx, 'reboot', { action: 'boot-time', detail: Number.isFinite(secs) ? { bootSeconds: secs } : {} }));
    }
    default:
      return SYS_NOISE.has(tag.mnemonic) ? NONE : unknown(text);
  }
}

/**
 * `archive / log config / logging enable / notify syslog`: "User:admin  logged command:interface Gi0/1".
 * Exec-mode commands come as "!exec: enable" (with `logging enable` on IOS-XE 16+); the rest are
 * configuration-mode lines. IOS does not log the mode a config line was typed in.
 */
function cfglog(ctx: Ctx): ParseOutcome {
  const { text } = ctx;
  if (!text.startsWith('User:')) return malformed(text);
  const lc = text.indexOf(' logged command:');
  if (lc <= 5) return malformed(text);
  const who = text.slice(5, lc).trim();
  if (who === '' || who.includes(' ')) return malformed(text);
  const by = readBy(who);
  if (by === undefined) return malformed(text);
  const raw = text.slice(lc + 16);
  const d: Detail = {};
  if (by.line !== undefined) d.line = by.line;
  const user = by.user !== undefined ? { user: by.user } : {};
  if (raw.startsWith('!exec:')) {
    const command = raw.slice(6).trim();
    if (command === '') return malformed(text);
    const verb = command.split(' ', 1)[0] ?? '';
    if (verb === 'enable' || verb === 'en') return one(event(ctx, 'privilege', { action: 'enable', ...user, command, pid: by.pid, detail: { ...d, mode: 'exec' } }));
    return one(event(ctx, 'command', { action: 'exec', ...user, command, pid: by.pid, detail: { ...d, mode: 'exec' } }));
  }
  const command = raw.trim();
  if (command === '') return malformed(text);
  return one(event(ctx, 'config_change', { action: 'config', ...user, command, pid: by.pid, detail: { ...d, mode: 'config' } }));
}

export function iosMessage(ctx: Ctx): ParseOutcome {
  switch (ctx.tag.facility) {
    case 'SEC_LOGIN':
      return secLogin(ctx);
    case 'SYS':
      return sys(ctx);
    case 'PARSER':
      if (ctx.tag.mnemonic === 'CFGLOG_LOGGEDCMD') return cfglog(ctx);
      return PARSER_NOISE.has(ctx.tag.mnemonic) ? NONE : unknown(ctx.text);
    case 'HA_EM':
      // Embedded Event Manager applets' own output: the commands they run are not an operator's.
      return NONE;
    default:
      return unknown(ctx.text);
  }
}
