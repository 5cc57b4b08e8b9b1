// The derive stage: follows the stored records by seq, runs the body parsers and the sessionizer, and
// writes events, sessions and per-parser counts with the cursor in one transaction. Records are the
// truth; everything here can be rebuilt from them. Exactly one deriver runs per store (derive-lock.ts).
import type { Clock } from '../clock.js';
import type { Event } from '../model/event.js';
import type { Session } from '../model/session.js';
import { BodyParsers, unparsedEvent, type Dispatched } from '../parsers/body/index.js';
import type { BodyInput } from '../parsers/body/types.js';
import { DEFAULT_SESSIONIZER_OPTIONS, Sessionizer, type Attribution, type SessionizerOptions, type SessionizerOutput } from '../sessions/sessionizer.js';
import type { DerivedStore, DeriveInputRecord } from '../store/types.js';

export interface DeriverOptions {
  readonly sessionizer?: SessionizerOptions;
  readonly clock: Clock;
}

/** A device clock far ahead must not close everyone's sessions: stream time trusts event time only this far past receipt. */
const MAX_AHEAD_MS = 3600_000;

/** Counts of records per body parser and outcome: the derive stage persists them, `import` prints them. */
export class BodyTally {
  readonly counts = new Map<string, number>();

  add(d: Dispatched): void {
    const parser = d.parser === null ? 'none' : d.parser.id;
    const outcome = d.outcome.kind === 'unparsed' ? `unparsed:${d.outcome.reason}` : d.outcome.kind === 'not-mine' ? 'unclaimed' : 'parsed';
    const key = `${parser}\t${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** parser → { parsed, unparsed } for summaries. */
  byParser(): Map<string, { parsed: number; unparsed: number }> {
    const out = new Map<string, { parsed: number; unparsed: number }>();
    for (const [key, n] of this.counts) {
      const [parser, outcome] = key.split('\t') as [string, string];
      const row = out.get(parser) ?? { parsed: 0, unparsed: 0 };
      if (outcome === 'parsed') row.parsed += n;
      else row.unparsed += n;
      out.set(parser, row);
    }
    return out;
  }
}

/** The body parser's input for a stored record: envelope time else receipt, envelope host else the peer. */
export const bodyInput = (r: DeriveInputRecord): BodyInput | null =>
  r.envelope === null ? null : { seq: r.seq, time: r.envelope.time ?? r.receivedAt, host: r.envelope.hostname ?? r.peer, envelope: r.envelope };

export class Deriver {
  private cursorSeq: number;
  private nextId: number;
  private streamTime = 0;
  private readonly sessionizer: Sessionizer;
  private readonly parsers = new BodyParsers();

  constructor(
    private readonly store: DerivedStore,
    private readonly opts: DeriverOptions,
  ) {
    this.cursorSeq = store.cursor();
    this.nextId = store.nextEventId();
    const snaps = store.snapshots();
    this.sessionizer = new Sessionizer(opts.sessionizer ?? DEFAULT_SESSIONIZER_OPTIONS, snaps);
    for (const s of snaps) this.streamTime = Math.max(this.streamTime, s.session.lastActivity);
  }

  get cursor(): number {
    return this.cursorSeq;
  }

  get openSessions(): number {
    return this.sessionizer.openCount;
  }

  /** Derives the next records (up to about `limit`); returns how many were read (0: caught up). */
  step(limit = 2048): number {
    const recs = this.store.readAfter(this.cursorSeq, limit);
    if (recs.length === 0) return 0;
    const batch = new Collector();
    const events: Event[] = [];
    for (const r of recs) {
      const input = bodyInput(r);
      if (input === null) continue; // an unparsed record: already counted and listed by the ingest side
      const d = this.parsers.parse(input);
      batch.tally.add(d);
      if (d.outcome.kind === 'events') events.push(...d.outcome.events);
      else if (d.outcome.kind === 'unparsed' && d.parser !== null) events.push(unparsedEvent(input, d.parser, d.outcome.reason, d.outcome.message));
      const t = Math.min(input.time, r.receivedAt + MAX_AHEAD_MS);
      if (t > this.streamTime) this.streamTime = t;
    }
    events.push(...this.parsers.flush(this.streamTime, false));
    for (const e of events) this.push(batch, e);
    batch.add(this.sessionizer.tick(this.streamTime));
    this.cursorSeq = recs[recs.length - 1]!.seq;
    this.write(batch);
    return recs.length;
  }

  /** Derives everything stored so far. */
  catchUp(onProgress?: (cursor: number) => void): number {
    let total = 0;
    for (let n = this.step(); n > 0; n = this.step()) {
      total += n;
      onProgress?.(this.cursorSeq);
    }
    return total;
  }

  /** Wall-clock tick for a live server: closes sessions idle for longer than the timeout while nothing arrives. */
  tick(): void {
    const batch = new Collector();
    const now = Math.max(this.streamTime, this.opts.clock.now());
    for (const e of this.parsers.flush(now, false)) this.push(batch, e); // auditd serials whose last record came long ago
    batch.add(this.sessionizer.tick(now));
    if (batch.events.length > 0 || batch.sessions.size > 0 || batch.attributions.length > 0) this.write(batch);
  }

  /** Releases what multi-record parsers still hold (end of an import, shutdown). */
  finish(): void {
    const batch = new Collector();
    for (const e of this.parsers.flush(this.streamTime, true)) this.push(batch, e);
    if (batch.events.length > 0 || batch.sessions.size > 0) this.write(batch);
  }

  /**
   * End of an import: nothing more will arrive, so events still waiting for a login get their weak
   * link now rather than at a server's next wall-clock tick. Sessions stay open (no idle close).
   */
  settle(): void {
    const batch = new Collector();
    const wait = (this.opts.sessionizer ?? DEFAULT_SESSIONIZER_OPTIONS).orphanWindowMs;
    batch.add(this.sessionizer.tick(this.streamTime + wait + 1));
    if (batch.sessions.size > 0 || batch.attributions.length > 0) this.write(batch);
  }

  private push(batch: Collector, e: Event): void {
    const id = this.nextId++;
    batch.events.push({ id, event: e });
    batch.add(this.sessionizer.push(e, id));
  }

  private write(batch: Collector): void {
    this.store.write({
      events: batch.events,
      attributions: batch.attributions,
      sessions: [...batch.sessions.values()].map((session) => ({ session, snapshot: this.sessionizer.snapshot(session.id) })),
      counters: batch.tally.counts,
      cursor: this.cursorSeq,
      now: this.opts.clock.now(),
    });
  }
}

class Collector {
  readonly events: { id: number; event: Event }[] = [];
  readonly attributions: Attribution[] = [];
  readonly sessions = new Map<number, Session>();
  readonly tally = new BodyTally();

  add(out: SessionizerOutput): void {
    this.attributions.push(...out.attributions);
    for (const s of out.sessions) this.sessions.set(s.id, s);
  }
}
