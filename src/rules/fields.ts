// The field paths a rule may name, and how each is read from an event and its session.
import type { Event, SessionHints } from '../model/event.js';
import type { Session } from '../model/session.js';
import { err, ok, type Result } from '../model/result.js';

export type FieldValue = string | number | boolean | null | undefined;
export type Getter = (event: Event, session: Session | null) => FieldValue;

/** `keystrokes`: what pam_tty_audit recorded as typed (shell builtins such as `history -c` appear nowhere else). */
export const EVENT_FIELDS = ['kind', 'action', 'user', 'targetUser', 'command', 'cwd', 'tty', 'remote', 'host', 'parser', 'reason', 'keystrokes'] as const satisfies readonly (keyof Event)[];
export const SESSION_FIELDS = [
  'id', 'host', 'user', 'origin', 'originPort', 'tty', 'startedAt', 'endedAt', 'lastActivity', 'status', 'closeReason',
  'eventCount', 'commandCount', 'privilegeCount', 'weakCount', 'deviceType',
] as const satisfies readonly (keyof Session)[];
export const HINT_KEYS = [
  'auditSession', 'logindSession', 'sshConn', 'sshdPid', 'tty', 'tlogRec', 'tacacsTaskId', 'proxySession', 'devicePid', 'pid',
] as const satisfies readonly (keyof SessionHints)[];

const has = <T extends string>(list: readonly T[], s: string): s is T => (list as readonly string[]).includes(s);

const KNOWN = `${EVENT_FIELDS.join(', ')}, detail.<key>, hints.<key>, session.<field>`;

/** A getter for a field path, or the reason it is not one. */
export const fieldGetter = (path: string): Result<Getter, string> => {
  if (has(EVENT_FIELDS, path)) return ok((e) => e[path]);
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const key = dot < 0 ? '' : path.slice(dot + 1);
  if (head === 'detail' && key !== '')
    return ok((e) => (e.detail !== undefined && Object.hasOwn(e.detail, key) ? e.detail[key] : undefined));
  if (head === 'hints' && key !== '') {
    if (!has(HINT_KEYS, key)) return err(`unknown field '${path}': hints are ${HINT_KEYS.join(', ')}`);
    return ok((e) => e.hints[key]);
  }
  if (head === 'session' && key !== '') {
    if (!has(SESSION_FIELDS, key)) return err(`unknown field '${path}': session fields are ${SESSION_FIELDS.join(', ')}`);
    return ok((_e, s) => (s === null ? undefined : s[key]));
  }
  return err(`unknown field '${path}': fields are ${KNOWN}`);
};
