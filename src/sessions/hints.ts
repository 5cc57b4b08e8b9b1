// Which of an event's hints can key a session, strongest first (DESIGN §4), as index keys scoped to
// the host. Pure. The order here is the tie-break when an event's hints point at different sessions.
import type { Event, SessionHints } from '../model/event.js';

export const KEY_HINTS = [
  'auditSession',
  'tlogRec',
  'tacacsTaskId',
  'proxySession',
  'logindSession',
  'sshConn',
  'sshdPid',
  'devicePid',
  'tty',
] as const satisfies readonly (keyof SessionHints)[];
export type KeyHint = (typeof KEY_HINTS)[number];

/** A terminal worth keying on: a real pts/tty, not auditd's 'ssh' or '(none)'. */
const isTerminal = (t: string): boolean => /^(pts\/\d+|tty[A-Za-z]*\d+|console)$/.test(t);

/** The event's usable session keys, strongest first: "host\0hint\0value". */
export const sessionKeys = (e: Event): string[] => {
  const keys: string[] = [];
  for (const h of KEY_HINTS) {
    const v = h === 'tty' ? (e.hints.tty ?? e.tty) : e.hints[h];
    if (v === undefined || v === '') continue;
    if (h === 'tty' && !isTerminal(v)) continue;
    if (h === 'auditSession' && v === '4294967295') continue;
    keys.push(`${e.host}\0${h}\0${v}`);
  }
  return keys;
};

/** The hint name inside a key, for explanations. */
export const keyHint = (key: string): string => key.split('\0')[1] ?? '';
export const keyValue = (key: string): string => key.split('\0')[2] ?? '';
