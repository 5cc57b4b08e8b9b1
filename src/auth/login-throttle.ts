// The per-account brake on password guessing: after MAX_FAILURES failed sign-ins within WINDOW_MS a name
// refuses sign-in for LOCK_MS, right password or not (the client sees the usual 401). Counted per name as
// typed, known or not, so the brake says nothing about which names exist. In memory: a restart forgets
// it, which costs a guesser a restart they cannot cause.
import type { Clock } from '../clock.js';

export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
/** Names tracked at most; past it the stalest are forgotten (a spray of random names cannot grow memory). */
const MAX_TRACKED = 10_000;

interface Tally {
  failures: number[];
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly byName = new Map<string, Tally>();

  constructor(private readonly clock: Clock) {}

  isLocked(name: string): boolean {
    const t = this.byName.get(name.toLowerCase());
    return t !== undefined && t.lockedUntil > this.clock.now();
  }

  /** Counts a failure; true when this one locks the account. */
  failed(name: string): boolean {
    const key = name.toLowerCase();
    const now = this.clock.now();
    const t = this.byName.get(key) ?? { failures: [], lockedUntil: 0 };
    this.byName.delete(key); // re-inserted last: the map's order is least recently failed first
    t.failures = t.failures.filter((at) => now - at < WINDOW_MS);
    t.failures.push(now);
    let locked = false;
    if (t.failures.length >= MAX_FAILURES && t.lockedUntil <= now) {
      t.lockedUntil = now + LOCK_MS;
      t.failures = [];
      locked = true;
    }
    this.byName.set(key, t);
    while (this.byName.size > MAX_TRACKED) this.byName.delete(this.byName.keys().next().value!);
    return locked;
  }

  succeeded(name: string): void {
    this.byName.delete(name.toLowerCase());
  }
}
