// What the IOS and NX-OS readers of the cisco-ios parser share: the `%FACILITY[-SUB]-SEV-MNEMONIC`
// tag, the event builder (deviceType, mnemonic, device sequence on every event) and the "by WHO on
// LINE (ADDRESS)" phrase. Pure string scanning, linear in the input; never throws.
import type { Event, EventKind, SessionHints } from '../../../model/event.js';
import type { BodyInput, ParseOutcome } from '../types.js';

export const ID = 'cisco-ios';
export const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

export type DeviceType = 'cisco-ios' | 'cisco-nxos';
export type Detail = Record<string, string | number | boolean>;

export const NONE: ParseOutcome = Object.freeze({ kind: 'events', events: Object.freeze([]) as readonly Event[] });
export const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });
export const unknown = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'unknown-message', message: msg });
export const malformed = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'malformed', message: msg });

/** A Cisco message tag, `%SYS-SW1-5-CONFIG_I` → facility SYS, severity 5, mnemonic CONFIG_I (the slot part kept apart). */
export interface Tag {
  readonly facility: string;
  readonly severity: number;
  readonly mnemonic: string;
  /** `SW1`, `SP`, `STBY`…: the stack member or processor that logged it, where the tag names one. */
  readonly sub?: string;
  /** The tag as logged, without the `%`: detail.mnemonic. */
  readonly text: string;
}

const isWordChar = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f; // A-Z 0-9 _

/** Reads `%FAC[-SUB…]-SEV-MNEMONIC` from s[p…e) exactly; undefined when it is not one. */
export function readTag(s: string, p: number, e: number): Tag | undefined {
  if (s.charCodeAt(p) !== 0x25 /* % */ || e - p < 6 || e - p > 96) return undefined;
  const parts: string[] = [];
  let start = p + 1;
  for (let i = start; i <= e; i++) {
    if (i === e || s.charCodeAt(i) === 0x2d /* - */) {
      if (i === start) return undefined;
      parts.push(s.slice(start, i));
      start = i + 1;
    } else if (!isWordChar(s.charCodeAt(i))) return undefined;
  }
  if (parts.length < 3 || parts.length > 5) return undefined;
  const sev = parts[parts.length - 2]!;
  const facility = parts[0]!;
  const mnemonic = parts[parts.length - 1]!;
  if (sev.length !== 1 || sev < '0' || sev > '7') return undefined;
  const f0 = facility.charCodeAt(0);
  if (f0 < 0x41 || f0 > 0x5a) return undefined; // facilities start with a letter
  const sub = parts.length > 3 ? parts.slice(1, -2).join('-') : undefined;
  return { facility, severity: Number(sev), mnemonic, ...(sub !== undefined ? { sub } : {}), text: s.slice(p + 1, e) };
}

/** Line names IOS prints where a user name would go when the line has no user login: vty0, vty0/0/0, console, con0, tty2, aux0. */
export const isLineName = (w: string): boolean => /^(?:vty|tty|aux|con|console|lin)[0-9/]*$/.test(w);

/** "WHO[ on LINE][ (ADDRESS)]" after "by " (IOS also writes "byvty0 (…)" without the space). */
export interface By {
  /** The user; absent when IOS named only a line. */
  readonly user?: string;
  /** The line: from " on LINE", or the line IOS printed in the user's place. */
  readonly line?: string;
  readonly remote?: string;
  /** What keys the session: the user as IOS printed it (or the line that stands in for one). */
  readonly pid: string;
}

export function readBy(text: string): By | undefined {
  let s = text.trim();
  if (s.endsWith('.')) s = s.slice(0, -1);
  let remote: string | undefined;
  if (s.endsWith(')')) {
    const open = s.lastIndexOf('(');
    if (open < 0) return undefined;
    const addr = s.slice(open + 1, -1).trim();
    if (addr !== '') remote = addr;
    s = s.slice(0, open).trimEnd();
  }
  let line: string | undefined;
  const on = s.lastIndexOf(' on ');
  if (on > 0) {
    line = s.slice(on + 4).trim();
    s = s.slice(0, on);
  }
  const who = s.trim();
  if (who === '' || who.includes(' ')) return undefined;
  if (isLineName(who)) return { line: line ?? who, pid: who, ...(remote !== undefined ? { remote } : {}) };
  // "by unknown on console": IOS's word for a line without a user login.
  if (who === 'unknown' && line !== undefined && line !== '') return { line, pid: line, ...(remote !== undefined ? { remote } : {}) };
  return { user: who, pid: who, ...(line !== undefined && line !== '' ? { line } : {}), ...(remote !== undefined ? { remote } : {}) };
}

/** What every event of this parser carries. */
export interface Ctx {
  readonly input: BodyInput;
  readonly tag: Tag;
  readonly deviceType: DeviceType;
  /** The message text after the tag. */
  readonly text: string;
}

export interface EventFields {
  readonly action: string;
  readonly user?: string;
  readonly targetUser?: string;
  readonly command?: string;
  readonly remote?: string;
  readonly remotePort?: number;
  readonly reason?: string;
  /** devicePid; absent for events that must not join a session by it (failed logins). */
  readonly pid?: string;
  readonly detail?: Detail;
}

export function event(ctx: Ctx, kind: EventKind, f: EventFields): Event {
  const { input, tag } = ctx;
  const detail: Detail = { deviceType: ctx.deviceType, mnemonic: tag.text };
  if (tag.sub !== undefined) detail.slot = tag.sub;
  if (input.envelope.deviceSeq !== undefined) detail.deviceSeq = input.envelope.deviceSeq;
  if (f.detail !== undefined) Object.assign(detail, f.detail);
  const hints: SessionHints = f.pid !== undefined && f.pid !== '' ? { devicePid: f.pid } : {};
  const e: { -readonly [K in keyof Event]: Event[K] } = {
    seq: input.seq,
    time: input.time,
    host: input.host,
    kind,
    action: f.action,
    hints,
    parser: PARSER,
    detail,
  };
  if (f.user !== undefined && f.user !== '') e.user = f.user;
  if (f.targetUser !== undefined) e.targetUser = f.targetUser;
  if (f.command !== undefined) e.command = f.command;
  if (f.remote !== undefined && f.remote !== '') e.remote = f.remote;
  if (f.remotePort !== undefined) e.remotePort = f.remotePort;
  if (f.reason !== undefined && f.reason !== '') e.reason = f.reason;
  return e;
}

export const one = (e: Event): ParseOutcome => ({ kind: 'events', events: [e] });
