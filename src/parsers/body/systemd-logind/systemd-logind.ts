// systemd-logind messages → login/logout events carrying the logind session id, the strongest hint after
// audit's ses= (DESIGN §4). Reads the message by prefix, never with regexes; never throws.
import type { Event, SessionHints } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';

const ID = 'systemd-logind';
const VERSION = 1;
const PARSER = `${ID}@${VERSION}`;

const NONE: ParseOutcome = Object.freeze({ kind: 'events', events: Object.freeze([]) as readonly Event[] });
const NOT_MINE: ParseOutcome = Object.freeze({ kind: 'not-mine' });
const unknown = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'unknown-message', message: msg });
const malformed = (msg: string): ParseOutcome => ({ kind: 'unparsed', reason: 'malformed', message: msg });

/** logind session ids: decimal for audit-backed sessions, "c1"… otherwise. */
function isSessionId(s: string): boolean {
  if (s.length === 0 || s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) return false;
  }
  return true;
}

/** Messages about seats, buttons and power keys: nothing for sessions. */
const NOISE_PREFIXES = [
  'New seat ',
  'Removed seat ',
  'Watching system buttons on ',
  'Power key pressed',
  'Suspend key pressed',
  'Hibernate key pressed',
  'Lid closed',
  'Lid opened',
  'Suspending...',
  'Operation ',
  'Delay lock is active',
  'The system will ',
  'System is ', // "System is rebooting." / "powering down.": reboots are taken from the kernel and systemd, not here
  'Failed to ',
  'Existing logind session ID ',
] as const;

function event(input: BodyInput, kind: 'login' | 'logout', action: string, session: string, user?: string): ParseOutcome {
  const hints: SessionHints = { logindSession: session };
  const e: Event = { seq: input.seq, time: input.time, host: input.host, kind, action, ...(user !== undefined ? { user } : {}), hints, parser: PARSER };
  return { kind: 'events', events: [e] };
}

const parser: BodyParser = Object.freeze({
  id: ID,
  version: VERSION,
  programs: Object.freeze(['systemd-logind']),
  parse(input: BodyInput): ParseOutcome {
    if (input.envelope.app !== 'systemd-logind') return NOT_MINE;
    const msg = input.envelope.msg.trimEnd();
    if (msg.startsWith('New session ')) {
      // "New session 12 of user alice."
      const of = msg.indexOf(' of user ', 12);
      if (of < 0 || !msg.endsWith('.')) return malformed(msg);
      const session = msg.slice(12, of);
      const user = msg.slice(of + 9, -1);
      if (!isSessionId(session) || user === '') return malformed(msg);
      return event(input, 'login', 'logind-new-session', session, user);
    }
    if (msg.startsWith('Removed session ')) {
      // "Removed session 12."
      const session = msg.endsWith('.') ? msg.slice(16, -1) : '';
      return isSessionId(session) ? event(input, 'logout', 'logind-removed', session) : malformed(msg);
    }
    if (msg.startsWith('Session ') && msg.endsWith(' logged out. Waiting for processes to exit.')) {
      const session = msg.slice(8, -43);
      return isSessionId(session) ? event(input, 'logout', 'logind-logged-out', session) : malformed(msg);
    }
    for (const p of NOISE_PREFIXES) if (msg.startsWith(p)) return NONE;
    return unknown(msg);
  },
});

export const systemdLogind: BodyParserFactory = () => parser;
