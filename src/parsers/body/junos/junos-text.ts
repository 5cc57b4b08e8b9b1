// Reading JunOS message shapes: the event tag (BSD `TAG: text`, `%FACILITY-N-TAG: text` with
// explicit-priority, or the RFC 5424 MSGID), the `junos@2636…` structured-data params, and the
// single-quoted fields of the UI_* texts. Scans strings with indexOf: no regexes, linear, never throws.
import type { Envelope } from '../../../model/record.js';

/** Longest tag JunOS prints is well under this (UI_COMMIT_SYNCHRONIZE_… ≈ 40). */
const TAG_MAX = 64;

const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A JunOS event tag: [A-Z][A-Z0-9_]* holding at least one '_' (UI_LOGIN_EVENT, SSHD_LOGIN_FAILED). */
export function isTag(s: string): boolean {
  if (s.length < 3 || s.length > TAG_MAX || !isUpper(s.charCodeAt(0))) return false;
  let underscore = false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f) underscore = true;
    else if (!isUpper(c) && !isDigit(c)) return false;
  }
  return underscore && s.charCodeAt(s.length - 1) !== 0x5f;
}

/** The tag at the start of a BSD-style message and the text after `TAG: `; undefined when none. */
function tagPrefix(msg: string): { tag: string; text: string; facility?: string } | undefined {
  let p = 0;
  let facility: string | undefined;
  // explicit-priority: "%INTERACT-6-UI_CMDLINE_READ_LINE: …" (facility name, severity digit, tag).
  if (msg.charCodeAt(0) === 0x25 /* % */) {
    const dash = msg.indexOf('-', 1);
    if (dash < 2 || dash > 24 || !isDigit(msg.charCodeAt(dash + 1)) || msg.charCodeAt(dash + 2) !== 0x2d) return undefined;
    facility = msg.slice(1, dash);
    p = dash + 3;
  }
  const colon = msg.indexOf(':', p);
  if (colon < 0 || colon - p > TAG_MAX) return undefined;
  const tag = msg.slice(p, colon);
  if (!isTag(tag)) return undefined;
  const text = msg.charCodeAt(colon + 1) === 0x20 ? msg.slice(colon + 2) : msg.slice(colon + 1);
  return facility === undefined ? { tag, text } : { tag, text, facility };
}

export interface Tagged {
  readonly tag: string;
  /** The English text after the tag. */
  readonly text: string;
  /** Where the tag came from: the 5424 MSGID (structured-data format) or the message text. */
  readonly form: 'structured' | 'bsd';
  /** explicit-priority facility name ("INTERACT", "CHANGE"), when the line carried one. */
  readonly facility?: string;
}

/** The JunOS tag of a record, from the RFC 5424 MSGID or from the message text; undefined when none. */
export function tagged(env: Envelope): Tagged | undefined {
  const msg = env.msg.trim();
  if (env.msgid !== undefined && isTag(env.msgid)) return { tag: env.msgid, text: msg, form: 'structured' };
  const t = tagPrefix(msg);
  if (t === undefined) return undefined;
  return { ...t, text: t.text.trim(), form: 'bsd' };
}

/** Params of the `junos@2636.…` SD element (first value of each name); empty when none. */
export function junosParams(env: Envelope): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const el of env.structuredData ?? []) {
    if (!el.id.startsWith('junos@')) continue;
    for (const [name, value] of el.params) if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/** A non-empty SD param, trimmed of JunOS's trailing blanks; undefined when absent or empty. */
export function param(params: ReadonlyMap<string, string>, name: string): string | undefined {
  const v = params.get(name)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** The text between `before` (searched from `from`) and the next `'`: a quoted field. */
export function quotedAfter(s: string, before: string, from = 0): { value: string; end: number } | undefined {
  const i = s.indexOf(before, from);
  if (i < 0) return undefined;
  const start = i + before.length;
  const q = s.indexOf("'", start);
  if (q < 0) return undefined;
  return { value: s.slice(start, q), end: q + 1 };
}

/**
 * A trailing quoted field that may itself hold quotes (a command line): from after `before` to the
 * last `'` of the text. JunOS does not escape quotes inside it. Syslog truncation can cut the closing
 * quote: then the rest is taken and `truncated` is set.
 */
export function trailingQuoted(s: string, before: string): { value: string; truncated: boolean } | undefined {
  const i = s.indexOf(before);
  if (i < 0) return undefined;
  const start = i + before.length;
  const t = s.trimEnd();
  const last = t.lastIndexOf("'");
  if (last >= start && last === t.length - 1) return { value: t.slice(start, last), truncated: false };
  return { value: t.slice(start), truncated: true };
}

/** "User 'NAME'…" at the start of most UI_* texts: the name and where the rest begins. */
export function leadingUser(text: string): { user: string; rest: string } | undefined {
  if (!text.startsWith("User '")) return undefined;
  const q = text.indexOf("'", 6);
  if (q < 6) return undefined;
  return { user: text.slice(6, q), rest: text.slice(q + 1) };
}

/** `name 'value'` pairs separated by ", " (the tail of UI_LOGIN_EVENT), in order. */
export function quotedPairs(s: string): Map<string, string> {
  const out = new Map<string, string>();
  let p = 0;
  while (p < s.length) {
    while (s.charCodeAt(p) === 0x2c /* , */ || s.charCodeAt(p) === 0x20) p++;
    const open = s.indexOf(" '", p);
    if (open < 0) break;
    const close = s.indexOf("'", open + 2);
    if (close < 0) break;
    const name = s.slice(p, open);
    if (name.length > 0 && name.length <= 32 && !name.includes(' ') && !out.has(name)) out.set(name, s.slice(open + 2, close));
    p = close + 1;
  }
  return out;
}

/** Digits only, 1..10 of them (a pid). */
export const isPid = (s: string | undefined): s is string => {
  if (s === undefined || s.length === 0 || s.length > 10) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
};

/** "client-ip client-port server-ip server-port" as UI_LOGIN_EVENT / SSHD_* report an SSH connection. */
export function sshConnection(s: string | undefined): { remote: string; remotePort?: number } | undefined {
  if (s === undefined) return undefined;
  const parts = s.trim().split(' ');
  const remote = parts[0];
  if (remote === undefined || remote === '' || remote.length > 255) return undefined;
  const port = parts[1];
  if (port !== undefined && isPid(port) && port.length <= 5 && Number(port) <= 65535) return { remote, remotePort: Number(port) };
  return { remote };
}

/** A configuration value as JunOS logs it: `"text"` → text; `<unconfigured>`/`unconfigured` → undefined. */
export function configValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let v = raw.trim();
  if (v === '' || v === 'unconfigured' || v === '<unconfigured>') return undefined;
  if (v.startsWith('"')) v = v.slice(1);
  if (v.endsWith('"')) v = v.slice(0, -1);
  return v;
}

/** A value as a `set` line needs it: quoted when it holds blanks or is empty. */
export const setWord = (v: string): string => (v === '' || v.includes(' ') || v.includes('\t') ? `"${v}"` : v);
