// The shapes `countersign sessions --json`, `session show --json` and /api/v1/sessions give out: kept
// stable (docs/cli.md). Isomorphic: shared with web/.
import type { Event } from './event.js';
import type { SessionRisk } from './risk.js';
import type { Link, Session } from './session.js';

/** A session as listed and shown: the stored session and its risk from the rule hits of its events. */
export interface SessionView extends Session {
  readonly risk: SessionRisk;
}

/** One event as a session's timeline shows it. */
export interface SessionEvent {
  /** The event's own id (several events may come from one record, one event from several). */
  readonly id: number;
  /** The record's seq: its leaf index in the tlog. */
  readonly seq: number;
  readonly time: number;
  readonly kind: Event['kind'];
  readonly action: string | null;
  readonly user: string | null;
  readonly targetUser: string | null;
  /** Who it acted as: sudo/su target, the command's effective user, else the login user. */
  readonly effectiveUser: string | null;
  readonly command: string | null;
  readonly cwd: string | null;
  readonly tty: string | null;
  readonly remote: string | null;
  readonly reason: string | null;
  readonly parser: string;
  /** How it was tied to the session, and why: weak links are shown as such. */
  readonly link: Link | null;
  readonly why: string | null;
  /** The record's text as received (hostile: display escaped, never as HTML). */
  readonly raw: string;
  /** The ids of the rules this event hit. */
  readonly hits: readonly string[];
  /** The whole normalized event. */
  readonly event: Event;
}

export interface SessionDetail {
  readonly session: SessionView;
  readonly events: readonly SessionEvent[];
}
