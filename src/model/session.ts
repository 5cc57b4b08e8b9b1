// One operator's stay on one device (DESIGN §4), as stored, listed by the CLI and served by the API.
// Isomorphic: no node:* imports, shared with web/.
import type { LoginAuth } from './event.js';

export const SESSION_STATUSES = ['open', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Why a session ended: an explicit logout, the idle timeout, or the device rebooting. */
export const CLOSE_REASONS = ['logout', 'idle', 'reboot'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** How an event was tied to its session: by a shared hint (strong), or by host, user and time only (weak). */
export const LINKS = ['strong', 'weak'] as const;
export type Link = (typeof LINKS)[number];

export interface Session {
  /** The seq of the record whose event opened the session: stable, and the same when rebuilt from the log. */
  readonly id: number;
  readonly host: string;
  /** The login identity; null until an event names it. */
  readonly user: string | null;
  /** Where the login came from (address or name), when known. */
  readonly origin: string | null;
  readonly originPort: number | null;
  readonly auth: LoginAuth | null;
  /** The first terminal the session was seen on. */
  readonly tty: string | null;
  readonly startedAt: number;
  /** When it ended (logout, last activity before the idle timeout, reboot); null while open. */
  readonly endedAt: number | null;
  readonly lastActivity: number;
  readonly status: SessionStatus;
  readonly closeReason: CloseReason | null;
  readonly eventCount: number;
  /** Commands run, including those run through sudo. */
  readonly commandCount: number;
  /** su/sudo/enable steps, successful or refused. */
  readonly privilegeCount: number;
  /** Events tied by host, user and time only; the session page marks them. */
  readonly weakCount: number;
  /** 'linux' for servers; network device types come with their parsers. */
  readonly deviceType: string;
}
