// snoopy's exec lines (`[login:… ssh:(…) sid:… tty:… uid:… cwd:…]: cmdline`) → one 'command' event each.
// Reads both the built-in default format and Debian's; fields are found by name, so reordered or extra
// fields still parse. Never throws, no regexes: the header is scanned once, left to right.
import type { Event, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';

const ID = 'snoopy';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

/** What snoopy prints for a value it could not get. */
const NONE_VALUES = new Set(['(none)', '(unknown)', '(undefined)', '']);

/**
 * One header field as logged: its value is s[start, end) (kept as indexes while scanning, sliced once);
 * `extra` holds the `(owner)` group snoopy prints after `tty:` in Debian's format.
 */
interface Field {
  readonly key: string;
  readonly start: number;
  end: number;
  extra?: string;
}

const isKeyChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f; // a-z 0-9 _

/** Length of a `key:` prefix at `p` (key only), or 0 when the text there is not a field start. */
function keyLength(s: string, p: number, end: number): number {
  let q = p;
  while (q < end && isKeyChar(s.charCodeAt(q))) q++;
  return q > p && q < end && s.charCodeAt(q) === 0x3a /* : */ ? q - p : 0;
}

/** Index just past the `)` that closes the `(` at `p`, counting nesting (`ssh:((undefined))`); -1 if unclosed. */
function closeParen(s: string, p: number, end: number): number {
  let depth = 0;
  for (let i = p; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Splits the header (between `[` and `]: `) into fields. A value runs to the next space; words after it
 * that do not start a new `key:` belong to it (a cwd or filename with spaces), except a `(…)` group
 * right after `tty:`, which is the terminal's owner.
 */
function splitHeader(s: string, start: number, end: number): Field[] | undefined {
  const fields: Field[] = [];
  let p = start;
  while (p < end) {
    if (s.charCodeAt(p) === 0x20) {
      p++;
      continue;
    }
    const kl = keyLength(s, p, end);
    const last = fields[fields.length - 1];
    if (kl === 0) {
      // A word that is not `key:`: part of the previous value, or the tty owner group.
      if (last === undefined) return undefined;
      let q = s.indexOf(' ', p);
      if (q === -1 || q > end) q = end;
      if (last.key === 'tty' && last.extra === undefined && s.charCodeAt(p) === 0x28) last.extra = s.slice(p, q);
      else if (last.extra === undefined) last.end = q; // words after the tty owner group are dropped
      p = q;
      continue;
    }
    const key = s.slice(p, p + kl);
    const v = p + kl + 1;
    let q: number;
    if (s.charCodeAt(v) === 0x28 && key === 'ssh') {
      q = closeParen(s, v, end);
      if (q === -1) return undefined;
      fields.push({ key, start: v + 1, end: q - 1 });
    } else {
      q = s.indexOf(' ', v);
      if (q === -1 || q > end) q = end;
      fields.push({ key, start: v, end: q });
    }
    p = q;
  }
  return fields;
}

/** `alice(1000)` → name and number; `1000` → number only; anything else → name only. */
function nameAndId(v: string): { name?: string; id?: string } {
  const open = v.lastIndexOf('(');
  if (open > 0 && v.endsWith(')')) return { name: v.slice(0, open), id: v.slice(open + 1, -1) };
  if (isDigits(v)) return { id: v };
  return { name: v };
}

function isDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

const known = (v: string | undefined): string | undefined => (v === undefined || NONE_VALUES.has(v) ? undefined : v);

const normalizeTty = (v: string | undefined): string | undefined => {
  const t = known(v);
  return t === undefined ? undefined : t.startsWith('/dev/') ? t.slice(5) : t;
};

/** `client-ip client-port server-ip server-port` → "client-ip client-port"; anything else → undefined. */
function sshConn(v: string | undefined): string | undefined {
  const c = known(v);
  if (c === undefined) return undefined;
  const parts = c.split(' ');
  if (parts.length !== 4 || parts.some((x) => x === '')) return undefined;
  return `${parts[0]} ${parts[1]}`;
}

const FIELD_KEYS_THAT_MAKE_IT_SNOOPY = new Set(['login', 'uid', 'sid', 'tty', 'cwd', 'filename', 'username', 'ssh']);

function parse(input: BodyInput): ParseOutcome {
  const env = input.envelope;
  if (env.app === undefined || !PROGRAMS.includes(env.app)) return { kind: 'not-mine' };
  const s = env.msg;
  let p = 0;
  while (p < s.length && (s.charCodeAt(p) === 0x20 || s.charCodeAt(p) === 0x09)) p++;
  if (s.charCodeAt(p) !== 0x5b /* [ */) return { kind: 'unparsed', reason: 'unknown-message', message: 'no [header]: before the command' };
  const close = s.indexOf(']: ', p);
  const closeAtEnd = close === -1 && s.endsWith(']:') ? s.length - 2 : -1; // an empty command line
  const headerEnd = close !== -1 ? close : closeAtEnd;
  if (headerEnd === -1) return { kind: 'unparsed', reason: 'unknown-message', message: 'no ]: after the header' };
  const fields = splitHeader(s, p + 1, headerEnd);
  if (fields === undefined || !fields.some((f) => FIELD_KEYS_THAT_MAKE_IT_SNOOPY.has(f.key))) {
    return { kind: 'unparsed', reason: 'unknown-message', message: 'header has no snoopy fields' };
  }
  const f = new Map<string, Field>();
  for (const x of fields) if (!f.has(x.key)) f.set(x.key, x);
  const val = (k: string): string | undefined => {
    const x = f.get(k);
    return x === undefined ? undefined : s.slice(x.start, x.end);
  };

  const detail: Record<string, string> = {};
  let targetUser: string | undefined;
  // Debian: `uid:%{username}(%{uid})/%{eusername}(%{euid})`; built-in default: `uid:%{uid}`.
  const uidField = val('uid');
  if (uidField !== undefined) {
    const slash = uidField.indexOf(')/');
    const real = nameAndId(slash === -1 ? uidField : uidField.slice(0, slash + 1));
    const eff = slash === -1 ? undefined : nameAndId(uidField.slice(slash + 2));
    if (real.id !== undefined) detail.uid = real.id;
    if (eff?.id !== undefined) detail.euid = eff.id;
    if (real.name !== undefined && eff !== undefined) detail.username = real.name;
    targetUser = known(eff !== undefined ? eff.name : real.name);
  }
  targetUser ??= known(val('eusername')) ?? known(val('username'));
  const sid = val('sid');
  if (sid !== undefined) detail.sid = sid;
  const filename = val('filename');
  if (filename !== undefined) detail.filename = filename;
  const ttyOwner = f.get('tty')?.extra;
  if (ttyOwner !== undefined && ttyOwner !== '((none)/(none))') detail.ttyOwner = ttyOwner.slice(1, -1);

  const tty = normalizeTty(val('tty'));
  const conn = sshConn(val('ssh'));
  const pid = env.procid ?? known(val('pid'));
  const hints: SessionHints = {
    ...(conn !== undefined ? { sshConn: conn } : {}),
    ...(tty !== undefined ? { tty } : {}),
    ...(pid !== undefined ? { pid } : {}),
  };
  const user = known(val('login'));
  const cwd = known(val('cwd'));
  const event: Event = {
    seq: input.seq,
    time: input.time,
    host: input.host,
    kind: 'command',
    action: 'exec',
    ...(user !== undefined ? { user } : {}),
    ...(targetUser !== undefined ? { targetUser } : {}),
    command: close !== -1 ? s.slice(close + 3) : '',
    ...(cwd !== undefined ? { cwd } : {}),
    ...(tty !== undefined ? { tty } : {}),
    hints,
    parser: PARSER,
    ...(Object.keys(detail).length > 0 ? { detail } : {}),
  };
  return { kind: 'events', events: [event] };
}

const PROGRAMS: readonly string[] = ['snoopy'];

const parser: BodyParser = { id: ID, version: VERSION, programs: PROGRAMS, parse };

export const snoopy: BodyParserFactory = () => parser;
