// The sessionizer (DESIGN §4): a pure state machine from events to sessions. push(event) attributes an
// event to an open session by its strongest shared hint, opens a session on a login, and marks links
// made by host, user and time alone as weak; tick(now) closes idle sessions and forgets what is too old
// to join. It never reads the clock and never does I/O: the caller passes time and persists the output.
import type { Event } from '../model/event.js';
import type { CloseReason, Link, Session } from '../model/session.js';
import { keyHint, keyValue, sessionKeys } from './hints.js';

export interface SessionizerOptions {
  /** A session with no event for this long is closed as idle (DESIGN §4: default 12 h). */
  readonly idleTimeoutMs: number;
  /** A closed session still takes late events that share its hints for this long. */
  readonly graceMs: number;
  /** An event whose hints match no session yet waits this long for its login to arrive (out of order). */
  readonly orphanWindowMs: number;
  /** A weak link needs the event within this long of the session's last activity. */
  readonly weakWindowMs: number;
}

export const DEFAULT_SESSIONIZER_OPTIONS: SessionizerOptions = {
  idleTimeoutMs: 12 * 3600_000,
  graceMs: 10 * 60_000,
  orphanWindowMs: 60_000,
  weakWindowMs: 5 * 60_000,
};

/** Where one event went. The same event may be attributed again later (an orphan adopted by its login). */
export interface Attribution {
  readonly eventId: number;
  readonly sessionId: number | null;
  readonly link: Link | null;
  /** Why it was tied (or not): shown on the session page next to weak links. */
  readonly why: string | null;
  /** Who the event acted as: the target of sudo/su, the command's effective user, else the login user. */
  readonly effectiveUser: string | null;
}

export interface SessionizerOutput {
  readonly attributions: readonly Attribution[];
  /** Sessions that changed, as they are now. */
  readonly sessions: readonly Session[];
}

/** What persistence keeps of an open (or recently closed) session so a restart resumes it. */
export interface SessionSnapshot {
  readonly session: Session;
  readonly keys: readonly (readonly [key: string, weak: boolean])[];
  readonly recent: readonly RecentCommand[];
}

interface RecentCommand {
  readonly time: number;
  readonly command: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Live {
  s: Mutable<Session>;
  keys: Map<string, boolean>;
  recent: RecentCommand[];
}

interface Orphan {
  readonly event: Event;
  readonly eventId: number;
  readonly keys: readonly string[];
  /** Adopted or expired: skipped wherever it is still listed. */
  settled: boolean;
}

const RECENT_MAX = 16;
/** Hints that identify one connection or login: a login carrying none of them may be a second view of one already open. */
const CONNECTION_HINTS = new Set(['auditSession', 'sshConn', 'sshdPid', 'devicePid', 'tacacsTaskId', 'proxySession']);

export class Sessionizer {
  private readonly open = new Map<string, Live>();
  private readonly closed = new Map<string, Live>();
  private readonly byHost = new Map<string, Set<Live>>();
  private readonly byId = new Map<number, Live>();
  private orphans: Orphan[] = [];
  /** Orphans by each of their keys, so a session claiming a key finds its orphans without a scan. */
  private readonly orphansByKey = new Map<string, Orphan[]>();
  private touched = new Set<Live>();
  private attributions: Attribution[] = [];

  constructor(
    private readonly opts: SessionizerOptions = DEFAULT_SESSIONIZER_OPTIONS,
    restored: readonly SessionSnapshot[] = [],
  ) {
    for (const snap of restored) this.restore(snap);
  }

  get openCount(): number {
    let n = 0;
    for (const l of this.byId.values()) if (l.s.status === 'open') n++;
    return n;
  }

  push(e: Event, eventId: number): SessionizerOutput {
    const keys = sessionKeys(e);
    if (e.kind === 'reboot') {
      for (const live of [...(this.byHost.get(e.host) ?? [])]) if (live.s.status === 'open') this.close(live, 'reboot', e.time);
      this.attribute(eventId, null, null, null, e.user ?? null);
      return this.drain();
    }
    const hit = this.strongMatch(keys, e);
    if (hit !== undefined) {
      const weak = hit.live.keys.get(hit.key) === true;
      this.apply(hit.live, e, eventId, weak ? 'weak' : 'strong', `${weak ? 'weakly linked ' : ''}${keyHint(hit.key)} ${keyValue(hit.key)}`);
      this.link(hit.live, keys, weak);
      return this.drain();
    }
    if (e.kind === 'login') {
      const connectionLevel = keys.some((k) => CONNECTION_HINTS.has(keyHint(k)));
      const weak = connectionLevel ? undefined : this.weakMatch(e, 10_000);
      if (weak !== undefined) {
        this.apply(weak.live, e, eventId, 'weak', weak.why);
        this.link(weak.live, keys, true);
      } else {
        const live = this.start(e);
        this.apply(live, e, eventId, 'strong', 'opened the session');
        this.link(live, keys, false);
      }
      return this.drain();
    }
    // No session shares a hint (yet). It waits as an orphan for the session that will claim its hints
    // (its login may arrive later); only when none does is a weak link by host, user and time tried
    // (tick), when the evidence for it (snoopy's `sudo …` line before sudo's own) has had time to arrive,
    // whatever the order of arrival.
    this.attribute(eventId, null, null, null, e.targetUser ?? e.user ?? null);
    const o: Orphan = { event: e, eventId, keys, settled: false };
    this.orphans.push(o);
    for (const k of keys) {
      const list = this.orphansByKey.get(k);
      if (list === undefined) this.orphansByKey.set(k, [o]);
      else list.push(o);
    }
    return this.drain();
  }

  private tryWeak(e: Event, eventId: number, keys: readonly string[]): void {
    if (e.kind !== 'command' && e.kind !== 'privilege' && e.kind !== 'privilege_failed' && e.kind !== 'tty_io') return;
    const weak = this.weakMatch(e, this.opts.weakWindowMs);
    if (weak === undefined) return;
    this.apply(weak.live, e, eventId, 'weak', weak.why);
    this.link(weak.live, keys, true);
  }

  tick(now: number): SessionizerOutput {
    for (const live of this.byId.values()) {
      if (live.s.status === 'open' && now - live.s.lastActivity > this.opts.idleTimeoutMs) this.close(live, 'idle', live.s.lastActivity);
    }
    for (const [key, live] of this.closed) {
      if (live.s.status === 'closed' && (live.s.endedAt ?? 0) + this.opts.graceMs < now) this.closed.delete(key);
    }
    for (const live of [...this.byId.values()]) {
      if (live.s.status === 'closed' && (live.s.endedAt ?? 0) + this.opts.graceMs < now) this.forget(live);
    }
    if (this.orphans.length > 0) {
      const expired: Orphan[] = [];
      const waiting: Orphan[] = [];
      for (const o of this.orphans) {
        if (o.settled) continue;
        if (o.event.time + this.opts.orphanWindowMs < now) expired.push(o);
        else waiting.push(o);
      }
      this.orphans = waiting;
      if (expired.length > 0) {
        for (const o of expired) {
          o.settled = true;
          for (const k of o.keys) {
            const list = this.orphansByKey.get(k)?.filter((x) => !x.settled);
            if (list === undefined || list.length === 0) this.orphansByKey.delete(k);
            else this.orphansByKey.set(k, list);
          }
        }
        // Oldest first: one weak link may give a session the key the later ones share (a tlog recording's chunks).
        for (const o of expired) {
          const hit = this.strongMatch(o.keys, o.event);
          if (hit === undefined) this.tryWeak(o.event, o.eventId, o.keys);
          else {
            const weak = hit.live.keys.get(hit.key) === true;
            this.apply(hit.live, o.event, o.eventId, weak ? 'weak' : 'strong', `${weak ? 'weakly linked ' : ''}${keyHint(hit.key)} ${keyValue(hit.key)}`);
            this.link(hit.live, o.keys, weak);
          }
        }
      }
    }
    return this.drain();
  }

  /** Everything a restart needs to resume the sessions still held in memory. */
  snapshot(sessionId: number): SessionSnapshot | undefined {
    const live = this.byId.get(sessionId);
    if (live === undefined) return undefined;
    return { session: { ...live.s }, keys: [...live.keys], recent: [...live.recent] };
  }

  // ---- matching ----

  /**
   * The session holding the event's strongest key. Closed sessions (within the grace period) take late
   * events; a login joins a closed one only if it happened before that session ended, so a new login
   * on a reused sshd pid or tty starts its own session.
   */
  private strongMatch(keys: readonly string[], e: Event): { live: Live; key: string } | undefined {
    for (const key of keys) {
      const live = this.open.get(key);
      if (live !== undefined) return { live, key };
    }
    for (const key of keys) {
      const live = this.closed.get(key);
      if (live !== undefined && (e.kind !== 'login' || e.time <= (live.s.endedAt ?? 0))) return { live, key };
    }
    return undefined;
  }

  /**
   * Same host, same user, the event within `window` of the session's activity, no conflicting terminal.
   * A command text seen in the session a moment before (snoopy's `sudo id` before sudo's own line) is
   * stronger evidence than time alone. Several equally good sessions: no link (guessing is not allowed).
   */
  private weakMatch(e: Event, window: number): { live: Live; why: string } | undefined {
    if (e.user === undefined) return undefined;
    let best: { live: Live; score: number; why: string } | undefined;
    let tie = false;
    for (const live of this.byHost.get(e.host) ?? []) {
      const s = live.s;
      if (s.user !== e.user) continue;
      // A closed session (still in memory) qualifies only for what happened while it was open:
      // an orphan whose wait ran out after its session had ended (tlog's last chunk, say).
      const until = s.status === 'open' ? s.lastActivity + window : (s.endedAt ?? s.lastActivity) + 2_000;
      if (e.time < s.startedAt - 5_000 || e.time > until) continue;
      if (e.tty !== undefined && s.tty !== null && s.tty !== e.tty && [...live.keys.keys()].every((k) => keyHint(k) !== 'tty' || keyValue(k) !== e.tty)) continue;
      if (e.kind === 'login' && [...live.keys.keys()].some((k) => keyHint(k) === 'logindSession')) continue;
      const seen = e.command === undefined ? undefined : live.recent.findLast((r) => r.time <= e.time + 1_000 && e.time - r.time <= 60_000 && mentions(r.command, e.command!, e.action));
      const score = seen !== undefined ? 2 : 1;
      const why =
        seen !== undefined
          ? `same host and user; the command was seen in this session ${Math.round((e.time - seen.time) / 1000)} s earlier`
          : `same host and user, ${Math.round(Math.max(0, e.time - s.lastActivity) / 1000)} s after the session's last activity`;
      if (best === undefined || score > best.score || (score === best.score && s.lastActivity > best.live.s.lastActivity)) {
        tie = best !== undefined && score === best.score;
        best = { live, score, why };
      } else if (score === best.score) tie = true;
    }
    if (best === undefined || tie) return undefined;
    return { live: best.live, why: best.why };
  }

  // ---- state changes ----

  private start(e: Event): Live {
    let id = e.seq;
    while (this.byId.has(id)) id = -Math.abs(id) - 1; // two sessions from one record: not expected; kept apart, never merged
    const live: Live = {
      s: {
        id,
        host: e.host,
        user: null,
        origin: null,
        originPort: null,
        auth: null,
        tty: null,
        startedAt: e.time,
        endedAt: null,
        lastActivity: e.time,
        status: 'open',
        closeReason: null,
        eventCount: 0,
        commandCount: 0,
        privilegeCount: 0,
        weakCount: 0,
        deviceType: typeof e.detail?.deviceType === 'string' ? e.detail.deviceType : 'linux',
      },
      keys: new Map(),
      recent: [],
    };
    this.byId.set(id, live);
    let set = this.byHost.get(e.host);
    if (set === undefined) this.byHost.set(e.host, (set = new Set()));
    set.add(live);
    return live;
  }

  private apply(live: Live, e: Event, eventId: number, link: Link, why: string): void {
    const s = live.s;
    s.eventCount++;
    if (link === 'weak') s.weakCount++;
    if (e.command !== undefined && (e.kind === 'command' || e.kind === 'privilege')) s.commandCount++;
    if (e.kind === 'privilege' || e.kind === 'privilege_failed') s.privilegeCount++;
    if (e.time < s.startedAt) s.startedAt = e.time;
    if (e.time > s.lastActivity) s.lastActivity = e.time;
    if (e.kind === 'login') {
      // sshd's "Accepted" on a router opens the session as 'linux'; the device's own login names it.
      const dt = e.detail?.deviceType;
      if (typeof dt === 'string' && dt !== s.deviceType && s.deviceType === 'linux') s.deviceType = dt;
      s.user ??= e.user ?? null;
      s.origin ??= e.remote ?? null;
      s.originPort ??= e.remotePort ?? null;
      s.auth ??= e.auth ?? null;
    } else if (s.user === null && e.user !== undefined && e.kind !== 'privilege' && e.kind !== 'privilege_failed') s.user = e.user;
    const tty = e.hints.tty ?? e.tty;
    if (s.tty === null && tty !== undefined && /^(pts\/\d+|tty[A-Za-z]*\d+|console)$/.test(tty)) s.tty = tty;
    if (e.command !== undefined && (e.kind === 'command' || e.kind === 'privilege')) {
      live.recent.push({ time: e.time, command: e.command });
      if (live.recent.length > RECENT_MAX) live.recent.shift();
    }
    if (e.kind === 'logout') {
      if (s.status === 'open') this.close(live, 'logout', e.time);
      else if (s.closeReason === 'logout' && (s.endedAt ?? 0) < e.time) s.endedAt = e.time;
    } else if (s.status === 'closed' && s.closeReason === 'idle' && e.time > (s.endedAt ?? 0)) {
      this.reopen(live); // activity after an idle close: it was not over
    }
    this.touched.add(live);
    this.attribute(eventId, s.id, link, why, e.targetUser ?? e.user ?? s.user);
  }

  /** Gives the session the keys nobody holds yet, then adopts the orphans waiting on any of them. */
  private link(live: Live, keys: readonly string[], weak: boolean): void {
    const added: string[] = [];
    for (const key of keys) {
      if (this.open.has(key) || live.keys.has(key)) continue;
      live.keys.set(key, weak);
      added.push(key);
      if (live.s.status === 'open') this.open.set(key, live);
      else this.closed.set(key, live);
    }
    if (added.length === 0 || this.orphansByKey.size === 0) return;
    const waiting: Orphan[] = [];
    for (const k of added) {
      const list = this.orphansByKey.get(k);
      if (list === undefined) continue;
      this.orphansByKey.delete(k);
      for (const o of list) {
        if (o.settled) continue;
        o.settled = true;
        waiting.push(o);
      }
    }
    if (waiting.length === 0) return;
    waiting.sort((a, b) => a.eventId - b.eventId); // in arrival order, as a scan of the queue would give
    for (const o of waiting) {
      const key = o.keys.find((k) => live.keys.has(k))!;
      const viaWeak = live.keys.get(key) === true;
      this.apply(live, o.event, o.eventId, viaWeak ? 'weak' : 'strong', `${viaWeak ? 'weakly linked ' : ''}${keyHint(key)} ${keyValue(key)} (arrived before its session opened)`);
      this.link(live, o.keys, viaWeak);
    }
  }

  private close(live: Live, reason: CloseReason, at: number): void {
    const s = live.s;
    s.status = 'closed';
    s.closeReason = reason;
    s.endedAt = at;
    for (const key of live.keys.keys()) {
      if (this.open.get(key) === live) this.open.delete(key);
      this.closed.set(key, live);
    }
    this.touched.add(live);
  }

  private reopen(live: Live): void {
    const s = live.s;
    s.status = 'open';
    s.closeReason = null;
    s.endedAt = null;
    for (const key of live.keys.keys()) {
      if (this.closed.get(key) === live) this.closed.delete(key);
      if (!this.open.has(key)) this.open.set(key, live);
    }
  }

  private forget(live: Live): void {
    this.touched.add(live); // written once more, without resume state
    this.byId.delete(live.s.id);
    this.byHost.get(live.s.host)?.delete(live);
    for (const key of live.keys.keys()) if (this.closed.get(key) === live) this.closed.delete(key);
  }

  private restore(snap: SessionSnapshot): void {
    const live: Live = { s: { ...snap.session }, keys: new Map(snap.keys), recent: [...snap.recent] };
    this.byId.set(live.s.id, live);
    let set = this.byHost.get(live.s.host);
    if (set === undefined) this.byHost.set(live.s.host, (set = new Set()));
    set.add(live);
    for (const key of live.keys.keys()) (live.s.status === 'open' ? this.open : this.closed).set(key, live);
  }

  private attribute(eventId: number, sessionId: number | null, link: Link | null, why: string | null, effectiveUser: string | null): void {
    this.attributions.push({ eventId, sessionId, link, why, effectiveUser });
  }

  private drain(): SessionizerOutput {
    const out = { attributions: this.attributions, sessions: [...this.touched].map((l) => ({ ...l.s })) };
    this.attributions = [];
    this.touched = new Set();
    return out;
  }
}

/** Does an earlier command line show the one a privilege line reports? `sudo -S id -u` shows `/usr/bin/id -u`. */
const mentions = (earlier: string, command: string, via: string | undefined): boolean => {
  // The earlier line must show the privilege program itself (`sudo -S id`), not the same command run plainly.
  if ((via === 'sudo' || via === 'su') && !new RegExp(`(^|[\\s/])${via}(\\s|$)`).test(earlier)) return false;
  const sp = command.indexOf(' ');
  const prog = sp < 0 ? command : command.slice(0, sp);
  const base = prog.slice(prog.lastIndexOf('/') + 1);
  // Quotes differ between the two views (sudo logs `sh -c 'a; b'`, snoopy the argv `sh -c a; b`).
  const tail = unquote(base + (sp < 0 ? '' : command.slice(sp)));
  return tail.length > 0 && earlier !== command && unquote(earlier).endsWith(tail);
};

const unquote = (s: string): string => s.replace(/['"]/g, '');
