// Browser sessions: a random token in the cookie, only its SHA-256 in the store, a CSRF token per
// session, an idle limit and a lifetime. A session is checked against its user on every request, so
// disabling a user (or changing their role) takes effect at once. Tokens are never logged.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { SqliteUserStore, StoredUser } from '../store/sqlite/user-store.js';

export const SESSION_COOKIE = 'cs_session';
/** last_seen is written at most this often per session: a read-mostly API should not write per request. */
export const TOUCH_EVERY_MS = 60_000;

export interface SessionLifetimes {
  /** auth.sessionIdleMinutes, in ms. */
  readonly idleMs: number;
  /** auth.sessionMaxHours, in ms. */
  readonly maxMs: number;
}

export interface ActiveSession {
  readonly tokenHash: string;
  readonly csrf: string;
  readonly user: StoredUser;
}

/** 32 random bytes, base64url (43 characters). Secrets, not ids: never injected, never predictable. */
const secret = (): string => randomBytes(32).toString('base64url');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export class BrowserSessions {
  constructor(
    private readonly store: SqliteUserStore,
    private readonly clock: Clock,
    readonly lifetimes: SessionLifetimes,
  ) {}

  /** A new session for a user who just signed in: the token goes in the cookie, the csrf to the page. */
  start(userId: number): { token: string; tokenHash: string; csrf: string; expiresAt: number } {
    const now = this.clock.now();
    this.store.deleteStale(now, now - this.lifetimes.idleMs);
    const token = secret();
    const s = { tokenHash: tokenHash(token), userId, csrf: secret(), createdAt: now, expiresAt: now + this.lifetimes.maxMs, lastSeen: now };
    this.store.insertSession(s);
    return { token, tokenHash: s.tokenHash, csrf: s.csrf, expiresAt: s.expiresAt };
  }

  /** The live session this cookie token opens, or null (unknown, expired, idle too long, user disabled). */
  resolve(token: string | undefined): ActiveSession | null {
    if (token === undefined || !TOKEN.test(token)) return null;
    const hash = tokenHash(token);
    const found = this.store.session(hash);
    if (found === undefined) return null;
    const now = this.clock.now();
    const { session, user } = found;
    if (now >= session.expiresAt || now - session.lastSeen >= this.lifetimes.idleMs) {
      this.store.deleteSession(hash);
      return null;
    }
    if (user.disabled) return null;
    if (now - session.lastSeen >= TOUCH_EVERY_MS) this.store.touchSession(hash, now);
    return { tokenHash: hash, csrf: session.csrf, user };
  }

  end(tokenHash: string): void {
    this.store.deleteSession(tokenHash);
  }
}
