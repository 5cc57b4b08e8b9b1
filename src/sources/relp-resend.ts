// Spotting what a RELP sender sends again after its connection broke. RELP has no message ids: a
// client resends every message it holds no `200 OK` for, and we may have stored it already. We keep,
// per connection, the SHA-256 of its last frames; when a connection breaks, they are remembered for
// its sender, and the first frames of the sender's next connection that match are counted as resent.
// It only counts and reports: the frame is stored again (a record is never dropped on a guess), and it
// remembers nothing across a restart of the server (see docs/reliability.md).
import { hash } from 'node:crypto';

/** Senders remembered at once; a bound so that many short connections cannot grow it. */
const MAX_SENDERS = 1024;

export const frameDigest = (data: Uint8Array): string => hash('sha256', data, 'base64');

/** The digests of one connection's last `capacity` stored frames. */
export class RecentFrames {
  private readonly ring: string[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}
  add(digest: string): void {
    if (this.ring.length < this.capacity) this.ring.push(digest);
    else {
      this.ring[this.next] = digest;
      this.next = (this.next + 1) % this.capacity;
    }
  }
  get digests(): readonly string[] {
    return this.ring;
  }
}

export class RelpResendWatch {
  private readonly bySender = new Map<string, Set<string>>();

  /** A connection of `sender` ended without `close`: its last frames may come again. */
  remember(sender: string, digests: readonly string[]): void {
    if (digests.length === 0) return;
    this.bySender.delete(sender);
    if (this.bySender.size >= MAX_SENDERS) this.bySender.delete(this.bySender.keys().next().value!);
    this.bySender.set(sender, new Set(digests));
  }

  /** Whether a sender has frames that may come again (so the caller hashes only then). */
  watching(sender: string): boolean {
    return this.bySender.has(sender);
  }

  /**
   * A frame from `sender`'s new connection: true when it was among the frames of the broken one.
   * Resent frames come first (librelp resends its unanswered frames before new ones), so the first
   * frame that does not match ends the watch: later identical messages are not mistaken for resends.
   */
  check(sender: string, digest: string): boolean {
    const set = this.bySender.get(sender);
    if (set === undefined) return false;
    if (set.delete(digest)) {
      if (set.size === 0) this.bySender.delete(sender);
      return true;
    }
    this.bySender.delete(sender);
    return false;
  }
}
