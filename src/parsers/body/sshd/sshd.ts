// OpenSSH sshd (and sshd-session, OpenSSH ≥ 9.8) messages → login, login_failed, logout and alert_only
// events. Reads strings by scanning, never with backtracking regexes; never throws, never reads the clock.
// pam_* lines logged under sshd belong to the pam parser: they are 'not-mine' here.
import type { AuthMethod, Event, LoginAuth, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';

const ID = 'sshd';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

const NONE: ParseOutcome = Object.freeze({ kind: 'events', events: Object.freeze([]) as readonly Event[] });
const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });
const unknown = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'unknown-message', message: msg });
const malformed = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'malformed', message: msg });

/**
 * Messages that carry nothing for sessions (prefix match on the message, after a trailing " [preauth]"
 * is cut). Pre-authentication disconnects are handled below; the failures they summarise are already
 * events of their own ("Failed …"), so the summaries ("PAM 2 more authentication failures",
 * "Disconnecting: Too many authentication failures", "error: maximum authentication attempts
 * exceeded") are noise here, as are sshd's own "error: PAM: …" lines that precede a "Failed
 * keyboard-interactive/pam" line.
 */
const NOISE_PREFIXES = [
  'Server listening on ',
  'Received signal ',
  'Connection from ',
  'reverse mapping checking getaddrinfo for ',
  'Address ', // "Address X maps to Y, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!"
  'Nasty PTR record ',
  'Did not receive identification string',
  'Bad protocol version identification ',
  'Protocol major versions differ',
  'banner exchange: ',
  'kex_exchange_identification: ',
  'ssh_dispatch_run_fatal: ',
  'Unable to negotiate ',
  'Corrupted MAC on input',
  'Bad packet length ',
  'Disconnecting',
  'input_userauth_request: ',
  'userauth_pubkey: ',
  'Postponed ',
  'Partial ',
  'PAM ', // "PAM 2 more authentication failures; …", "PAM service(sshd) ignoring max retries; 6 > 3"
  'Authentication refused: ',
  'Accepted key ', // LogLevel VERBOSE: which authorized_keys line matched; the "Accepted publickey" line follows
  'Accepted certificate ID ',
  'subsystem request for ',
  'Transferred: ',
  'Close session: ',
  'User child is on pid ',
  'Set /proc/self/oom_score_adj',
  'Exiting on signal',
  'Timeout before authentication',
  'drop connection #',
  'beginning MaxStartups throttling',
  'exited MaxStartups throttling',
  'debug1: ',
  'debug2: ',
  'debug3: ',
  'error: ',
  'fatal: ',
] as const;

/** "[user|invalid user|authenticating user NAME ]HOST[ port PORT]" as sshd formats a connection. */
interface Conn {
  readonly who?: 'user' | 'invalid user' | 'authenticating user';
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
  /** What follows the connection id (e.g. ":11: disconnected by user"). */
  readonly rest: string;
}

const WHO = ['user ', 'invalid user ', 'authenticating user '] as const;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Digits at s[p…], at most 5 and ≤ 65535; returns [value, end] or undefined. */
function readPort(s: string, p: number): [number, number] | undefined {
  let q = p;
  while (q < s.length && q - p < 6 && isDigit(s.charCodeAt(q))) q++;
  if (q === p || q - p > 5) return undefined;
  const n = Number(s.slice(p, q));
  return n <= 65535 ? [n, q] : undefined;
}

/** A token that can be a client address or a name as sshd logged it: no spaces, not empty. */
const hostOk = (h: string): boolean => h.length > 0 && h.length <= 255;

/**
 * Reads a connection id that starts at s[p0]. With `named`, the id may begin with "user NAME ",
 * "invalid user NAME " or "authenticating user NAME " (OpenSSH ≥ 7.5), where NAME may hold spaces.
 * The port is optional (older releases log "from HOST" alone). Linear in the length of s.
 */
function readConn(s: string, p0: number, named: boolean): Conn | undefined {
  let who: Conn['who'];
  let p = p0;
  if (named) {
    for (const w of WHO) {
      if (s.startsWith(w, p)) {
        who = w.slice(0, -1) as Conn['who'];
        p += w.length;
        break;
      }
    }
  }
  if (who !== undefined) {
    // The name may hold spaces: the first " port N" whose preceding token is the host.
    for (let i = s.indexOf(' port ', p); i >= 0; i = s.indexOf(' port ', i + 1)) {
      const port = portAt(s, i);
      if (port === undefined) continue;
      const hostStart = s.lastIndexOf(' ', i - 1) + 1;
      if (hostStart - 1 < p) continue;
      const host = s.slice(hostStart, i);
      if (!hostOk(host)) continue;
      return { who, user: s.slice(p, hostStart - 1), host, port: port[0], rest: s.slice(port[1]) };
    }
    return undefined;
  }
  let e = p;
  while (e < s.length && s.charCodeAt(e) !== 0x20) e++;
  const port = s.startsWith(' port ', e) ? portAt(s, e) : undefined;
  if (port !== undefined) {
    const host = s.slice(p, e);
    return hostOk(host) ? { host, port: port[0], rest: s.slice(port[1]) } : undefined;
  }
  // Old releases: "HOST" or "HOST: 11: Bye Bye".
  let host = s.slice(p, e);
  if (host.endsWith(':')) host = host.slice(0, -1);
  if (!hostOk(host)) return undefined;
  return { host, rest: s.slice(p + host.length) };
}

/** The port after " port " at s[i], if digits follow and then the end, a space or a colon. */
function portAt(s: string, i: number): [number, number] | undefined {
  const port = readPort(s, i + 6);
  if (port === undefined) return undefined;
  const after = s.charCodeAt(port[1]);
  return port[1] === s.length || after === 0x20 || after === 0x3a /* : */ ? port : undefined;
}

/**
 * " from HOST[ port PORT]" after `start`: the first that parses (a user name before it may itself
 * hold " from "). Each candidate reads one token, so this stays linear.
 */
function findFrom(s: string, start: number): { userEnd: number; conn: Conn } | undefined {
  for (let i = s.indexOf(' from ', start); i >= 0; i = s.indexOf(' from ', i + 1)) {
    const conn = readConn(s, i + 6, false);
    if (conn !== undefined && (conn.port !== undefined || conn.rest === '' || conn.rest.startsWith(' '))) return { userEnd: i, conn };
  }
  return undefined;
}

const METHODS: Readonly<Record<string, AuthMethod>> = {
  password: 'password',
  publickey: 'publickey',
  'keyboard-interactive': 'keyboard-interactive',
  hostbased: 'hostbased',
  'gssapi-with-mic': 'gssapi',
  'gssapi-keyex': 'gssapi',
  gssapi: 'gssapi',
  none: 'none',
};

/**
 * The key description after "ssh2: ": "TYPE FP", "TYPE-CERT FP ID KEYID (serial N) CA TYPE FP" and the
 * pre-7.x "TYPE-CERT ID …" (no key fingerprint); an MD5 fingerprint is kept as logged.
 */
function readKeyInfo(method: AuthMethod, info: string): LoginAuth {
  const sp = info.indexOf(' ');
  const keyType = sp < 0 ? info : info.slice(0, sp);
  let rest = sp < 0 ? '' : info.slice(sp + 1);
  let fingerprint: string | undefined;
  if (!rest.startsWith('ID ')) {
    const e = rest.indexOf(' ');
    fingerprint = e < 0 ? rest : rest.slice(0, e);
    rest = e < 0 ? '' : rest.slice(e + 1);
  }
  // Hostbased appends ', client user "…", client host "…"' in some releases: not part of the fingerprint.
  if (fingerprint !== undefined && fingerprint.endsWith(',')) fingerprint = fingerprint.slice(0, -1);
  const auth: { -readonly [K in keyof LoginAuth]: LoginAuth[K] } = { method };
  if (keyType !== '') auth.keyType = keyType;
  if (fingerprint !== undefined && fingerprint !== '') auth.fingerprint = fingerprint;
  if (keyType.endsWith('-CERT') && rest.startsWith('ID ')) {
    if (method === 'publickey') auth.method = 'certificate';
    // The key ID is the CA's choice and may hold spaces or parentheses: read it up to the last " (serial ".
    const s = rest.lastIndexOf(' (serial ');
    if (s >= 3) {
      auth.certId = rest.slice(3, s);
      const close = rest.indexOf(')', s);
      if (close > s) auth.certSerial = rest.slice(s + 9, close);
      const ca = close > s ? rest.slice(close + 1) : '';
      if (ca.startsWith(' CA ')) {
        const parts = ca.slice(4).split(' ', 3);
        let caFp = parts[1];
        if (caFp !== undefined && caFp.endsWith(',')) caFp = caFp.slice(0, -1);
        if (caFp !== undefined && caFp !== '') auth.caFingerprint = caFp;
      }
    }
  }
  return auth;
}

const base = (input: BodyInput, hints: SessionHints): Pick<Event, 'seq' | 'time' | 'host' | 'parser' | 'hints'> => ({
  seq: input.seq,
  time: input.time,
  host: input.host,
  parser: PARSER,
  hints,
});

const hintsOf = (input: BodyInput, conn?: Conn): SessionHints => {
  const h: { sshdPid?: string; sshConn?: string } = {};
  if (input.envelope.procid !== undefined && input.envelope.procid !== '') h.sshdPid = input.envelope.procid;
  if (conn?.port !== undefined) h.sshConn = `${conn.host} ${conn.port}`;
  return h;
};

const one = (e: Event): ParseOutcome => ({ kind: 'events', events: [e] });

/** "Accepted|Failed METHOD for [invalid user ]USER from HOST port PORT ssh2[: KEYINFO]". */
function authResult(input: BodyInput, msg: string, verb: 'Accepted' | 'Failed', detail: Record<string, string | number | boolean>): ParseOutcome {
  const s = msg.slice(verb.length + 1);
  const sp = s.indexOf(' ');
  if (sp <= 0 || !s.startsWith(' for ', sp)) return malformed(msg);
  const rawMethod = s.slice(0, sp);
  const slash = rawMethod.indexOf('/');
  const method: AuthMethod = METHODS[slash < 0 ? rawMethod : rawMethod.slice(0, slash)] ?? 'other';
  let userStart = sp + 5;
  let invalid = false;
  for (const p of ['invalid user ', 'illegal user ']) {
    if (s.startsWith(p, userStart)) {
      invalid = true;
      userStart += p.length;
      break;
    }
  }
  const found = findFrom(s, userStart - 1);
  if (found === undefined) return malformed(msg);
  const user = s.slice(userStart, found.userEnd);
  const { conn } = found;
  // After the port: " ssh2" (or "ssh1"), then ": KEYINFO". rsyslog's "message repeated" drops " ssh2".
  let rest = conn.rest;
  if (rest.startsWith(' ssh2') || rest.startsWith(' ssh1')) rest = rest.slice(5);
  const info = rest.startsWith(': ') ? rest.slice(2) : '';
  const auth = info !== '' && (method === 'publickey' || method === 'hostbased') ? readKeyInfo(method, info) : { method };
  const d: Record<string, string | number | boolean> = { ...detail };
  if (rawMethod !== method) d.authMethod = rawMethod;
  if (invalid) d.invalidUser = true;
  if (verb === 'Accepted') {
    if (user === '' || invalid) return malformed(msg);
    return one({
      ...base(input, hintsOf(input, conn)),
      kind: 'login',
      action: 'accepted',
      user,
      remote: conn.host,
      ...(conn.port !== undefined ? { remotePort: conn.port } : {}),
      auth,
      ...(Object.keys(d).length > 0 ? { detail: d } : {}),
    });
  }
  return one({
    ...base(input, hintsOf(input, conn)),
    kind: 'login_failed',
    action: 'failed',
    ...(user !== '' ? { user } : {}),
    remote: conn.host,
    ...(conn.port !== undefined ? { remotePort: conn.port } : {}),
    auth,
    reason: invalid ? 'invalid user' : `failed ${rawMethod}`,
    ...(Object.keys(d).length > 0 ? { detail: d } : {}),
  });
}

/**
 * Pre-authentication probes are alert_only, not login_failed: sshd logs "Invalid user X" and then, for
 * each attempt, "Failed password for invalid user X", which is the login_failed event.
 */
function probe(input: BodyInput, msg: string, user: string, conn: Conn, reason: string, action: string, detail: Record<string, string | number | boolean>): ParseOutcome {
  return one({
    ...base(input, hintsOf(input, conn)),
    kind: 'alert_only',
    action,
    ...(user !== '' ? { user } : {}),
    remote: conn.host,
    ...(conn.port !== undefined ? { remotePort: conn.port } : {}),
    reason,
    ...(Object.keys(detail).length > 0 ? { detail } : {}),
  });
}

function logout(input: BodyInput, conn: Conn | undefined, action: string, detail: Record<string, string | number | boolean>, reason?: string): ParseOutcome {
  return one({
    ...base(input, hintsOf(input, conn)),
    kind: 'logout',
    action,
    ...(conn?.user !== undefined && conn.user !== '' ? { user: conn.user } : {}),
    ...(conn !== undefined ? { remote: conn.host } : {}),
    ...(conn?.port !== undefined ? { remotePort: conn.port } : {}),
    ...(reason !== undefined && reason !== '' ? { reason } : {}),
    ...(Object.keys(detail).length > 0 ? { detail } : {}),
  });
}

/**
 * LogLevel VERBOSE: "Starting session: shell on pts/0 for alice from HOST port P id 0" (also "command",
 * "subsystem 'sftp'", "forced-command (key-option) '…'"), logged by the session's child process. It is the
 * only sshd line that names the terminal, so it becomes a login event (action 'session-started') that
 * carries the tty and the connection, which tie it to the "Accepted" line of the same connection.
 */
function sessionStart(input: BodyInput, full: string, msg: string, detail: Record<string, string | number | boolean>): ParseOutcome {
  const from = msg.lastIndexOf(' from ');
  const forAt = from < 0 ? -1 : msg.lastIndexOf(' for ', from);
  if (forAt < 18) return malformed(full);
  const conn = readConn(msg, from + 6, false);
  const user = msg.slice(forAt + 5, from);
  if (conn === undefined || user === '') return malformed(full);
  let what = msg.slice(18, forAt);
  let tty: string | undefined;
  const on = what.lastIndexOf(' on ');
  if (on > 0 && !what.includes("'", on)) {
    tty = what.slice(on + 4);
    if (tty.startsWith('/dev/')) tty = tty.slice(5);
    what = what.slice(0, on);
  }
  const sp = what.indexOf(' ');
  const d: Record<string, string | number | boolean> = { ...detail, sessionType: sp < 0 ? what : what.slice(0, sp) };
  if (sp > 0) d.sessionDetail = what.slice(sp + 1);
  const id = conn.rest.startsWith(' id ') ? conn.rest.slice(4) : '';
  if (id !== '') d.channel = id;
  const hints = hintsOf(input, conn);
  return one({
    ...base(input, tty !== undefined ? { ...hints, tty } : hints),
    kind: 'login',
    action: 'session-started',
    user,
    remote: conn.host,
    ...(conn.port !== undefined ? { remotePort: conn.port } : {}),
    ...(tty !== undefined ? { tty } : {}),
    detail: d,
  });
}

const PREAUTH = ' [preauth]';

/** Solaris syslog prefixes a message id and facility.level: "[ID 800047 auth.notice] Failed none for …". */
function solarisTagCut(msg: string): string {
  if (!msg.startsWith('[ID ')) return msg;
  const close = msg.indexOf('] ');
  return close > 4 && close < 64 ? msg.slice(close + 2) : msg;
}

function classify(input: BodyInput, full: string, detail: Record<string, string | number | boolean>, depth: number): ParseOutcome {
  // rsyslog's repeat reduction: "message repeated 5 times: [ Failed password for root from … ssh2]".
  if (full.startsWith('message repeated ') && depth === 0) {
    const t = full.indexOf(' times: [ ');
    const n = Number(full.slice(17, t));
    if (t > 17 && Number.isInteger(n) && full.endsWith(']')) {
      return classify(input, full.slice(t + 10, -1).trimEnd(), { ...detail, repeated: n }, 1);
    }
    return malformed(full);
  }
  const preauth = full.endsWith(PREAUTH);
  const msg = preauth ? full.slice(0, -PREAUTH.length) : full;

  if (msg.startsWith('Accepted ') && !msg.startsWith('Accepted key ') && !msg.startsWith('Accepted certificate ')) {
    return authResult(input, msg, 'Accepted', detail);
  }
  if (msg.startsWith('Failed ')) return authResult(input, msg, 'Failed', detail);

  if (msg.startsWith('Invalid user ') || msg.startsWith('Illegal user ')) {
    // "Invalid user NAME from HOST[ port PORT]"; NAME may be empty or hold spaces.
    const found = findFrom(msg, 12);
    if (found === undefined) return malformed(full);
    return probe(input, full, msg.slice(13, found.userEnd), found.conn, 'invalid user', 'invalid-user', detail);
  }
  if (msg.startsWith('User ') && msg.includes(' not allowed because ')) {
    // "User root from HOST not allowed because not listed in AllowUsers"
    const found = findFrom(msg, 4);
    const because = msg.indexOf(' not allowed because ');
    if (found === undefined || found.userEnd > because) return malformed(full);
    return probe(input, full, msg.slice(5, found.userEnd), found.conn, msg.slice(because + 1), 'not-allowed', detail);
  }

  // Session ends. The same messages with [preauth] end a connection that never logged in: noise.
  if (msg.startsWith('Disconnected from ')) {
    if (preauth) return NONE;
    const conn = readConn(msg, 18, true);
    if (conn === undefined) return malformed(full);
    if (conn.who !== undefined && conn.who !== 'user') return NONE; // invalid/authenticating: never logged in
    return logout(input, conn, 'disconnected', detail);
  }
  if (msg.startsWith('Received disconnect from ')) {
    if (preauth) return NONE;
    const conn = readConn(msg, 25, true);
    if (conn === undefined) return malformed(full);
    // ":11: disconnected by user" (≥ 7.x) or ": 11: Bye Bye" (older).
    let r = conn.rest.startsWith(':') ? conn.rest.slice(1).trimStart() : conn.rest;
    const c = r.indexOf(': ');
    const code = c > 0 ? r.slice(0, c) : '';
    if (c > 0) r = r.slice(c + 2);
    return logout(input, conn, 'received-disconnect', code !== '' ? { ...detail, disconnectCode: code } : detail, r.trim());
  }
  for (const [prefix, action] of [
    ['Connection closed by ', 'closed'],
    ['Connection reset by ', 'reset'],
    ['Timeout, client not responding from ', 'timeout'],
  ] as const) {
    if (!msg.startsWith(prefix)) continue;
    if (preauth) return NONE;
    const conn = readConn(msg, prefix.length, true);
    if (conn === undefined) return malformed(full);
    if (conn.who !== undefined && conn.who !== 'user') return NONE;
    return logout(input, conn, action, detail);
  }
  if (msg === 'Timeout, client not responding.') return preauth ? NONE : logout(input, undefined, 'timeout', detail);
  if (msg.startsWith('Read error from remote host ')) {
    // "Read error from remote host HOST[ port PORT]: Connection reset by peer"
    if (preauth) return NONE;
    const conn = readConn(msg, 28, false);
    if (conn === undefined) return malformed(full);
    const reason = conn.rest.startsWith(': ') ? conn.rest.slice(2) : conn.rest.trim();
    return logout(input, conn, 'read-error', detail, reason);
  }

  if (msg.startsWith('Starting session: ')) return sessionStart(input, full, msg, detail);

  for (const p of NOISE_PREFIXES) if (msg.startsWith(p)) return NONE;
  return unknown(full);
}

const parser: BodyParser = Object.freeze({
  id: ID,
  version: VERSION,
  programs: Object.freeze(['sshd', 'sshd-session']),
  parse(input: BodyInput): ParseOutcome {
    const app = input.envelope.app;
    if (app !== 'sshd' && app !== 'sshd-session') return NOT_MINE;
    const msg = input.envelope.msg.trimEnd();
    if (msg.startsWith('pam_')) return NOT_MINE; // the pam parser's (it claims them before dispatch)
    if (msg === '') return malformed(input.envelope.msg);
    return classify(input, solarisTagCut(msg), {}, 0);
  },
});

export const sshd: BodyParserFactory = () => parser;
