// The derive stage: follows the stored records by seq, runs the body parsers, the sessionizer and the
// rules, and writes events, sessions (with their risk), rule hits and per-parser counts with the cursor
// in one transaction. Records are the truth; everything here can be rebuilt from them (the same records
// and rule files give the same hits). Exactly one deriver runs per store (derive-lock.ts).
//
// Rules see each event with its session as the sessionizer knows it right after taking the event. An
// event that waits for its session (an orphan: its login not seen yet) is matched with no session and
// matched again when a session adopts it, its first hits replaced: so a rule on `session.*` (a commit
// without a session) judges what was finally known, and the adopting session's risk counts its hits.
import type { Clock } from '../clock.js';
import type { Event } from '../model/event.js';
import { isHitLevel, type HitLevel } from '../model/risk.js';
import type { Session } from '../model/session.js';
import { BodyParsers, unparsedEvent, type Dispatched } from '../parsers/body/index.js';
import type { BodyInput } from '../parsers/body/types.js';
import { levelsByRule, riskOfLevels } from '../rules/risk.js';
import { RuleSet } from '../rules/rule-set.js';
import { DEFAULT_SESSIONIZER_OPTIONS, Sessionizer, type Attribution, type SessionizerOptions, type SessionizerOutput } from '../sessions/sessionizer.js';
import type { DerivedStore, DeriveInputRecord, RuleHitRow, SessionRiskRow } from '../store/types.js';

export interface DeriverOptions {
  readonly sessionizer?: SessionizerOptions;
  readonly clock: Clock;
  /** The rules every event is matched against as it is stored (rules/load.ts loadRuleSet); none when absent. */
  readonly rules?: RuleSet;
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
  private readonly rules: RuleSet;
  private readonly orphanWindowMs: number;
  /** Events stored without a session whose hits may change once one adopts them (they hit, or a rule reads the session). */
  private readonly waiting = new Map<number, Event>();
  /** Per session the sessionizer still holds: each rule it hit and the highest level (loaded from the store on first use). */
  private readonly sessionRules = new Map<number, Map<string, HitLevel>>();

  constructor(
    private readonly store: DerivedStore,
    private readonly opts: DeriverOptions,
  ) {
    this.cursorSeq = store.cursor();
    this.nextId = store.nextEventId();
    this.rules = opts.rules ?? RuleSet.EMPTY;
    const so = opts.sessionizer ?? DEFAULT_SESSIONIZER_OPTIONS;
    this.orphanWindowMs = so.orphanWindowMs;
    const snaps = store.snapshots();
    this.sessionizer = new Sessionizer(so, snaps);
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
    this.tickSessions(batch, this.streamTime);
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
    this.tickSessions(batch, now);
    if (batch.changed) this.write(batch);
  }

  /** Releases what multi-record parsers still hold (end of an import, shutdown). */
  finish(): void {
    const batch = new Collector();
    for (const e of this.parsers.flush(this.streamTime, true)) this.push(batch, e);
    if (batch.changed) this.write(batch);
  }

  /**
   * End of an import: nothing more will arrive, so events still waiting for a login get their weak
   * link now rather than at a server's next wall-clock tick. Sessions stay open (no idle close).
   */
  settle(): void {
    const batch = new Collector();
    this.tickSessions(batch, this.streamTime + this.orphanWindowMs + 1);
    if (batch.changed) this.write(batch);
  }

  private push(batch: Collector, e: Event): void {
    const id = this.nextId++;
    batch.events.push({ id, event: e });
    this.take(batch, this.sessionizer.push(e, id), id, e);
  }

  private tickSessions(batch: Collector, now: number): void {
    this.take(batch, this.sessionizer.tick(now));
    // What still waits past the orphan window was not adopted in this tick and never will be.
    for (const [id, e] of this.waiting) if (e.time + this.orphanWindowMs < now) this.waiting.delete(id);
  }

  /** Collects the sessionizer's output and matches the rules on each event it placed: the one just pushed, and adopted orphans again. */
  private take(batch: Collector, out: SessionizerOutput, pushedId?: number, pushed?: Event): void {
    batch.add(out);
    if (this.rules.size === 0) return;
    for (const a of out.attributions) {
      const again = a.eventId !== pushedId;
      const event = again ? this.waiting.get(a.eventId) : pushed;
      if (event === undefined) continue; // placed before, or stored without hits that a session could change
      const session = a.sessionId === null ? null : (out.sessions.find((s) => s.id === a.sessionId) ?? this.sessionizer.snapshot(a.sessionId)?.session ?? null);
      const hits = this.rules.match(event, session);
      if (again) {
        this.waiting.delete(a.eventId);
        batch.rematched.add(a.eventId);
      }
      if (session === null && (hits.length > 0 || this.rules.dependsOnSession(event.kind))) this.waiting.set(a.eventId, event);
      if (hits.length === 0 && !again) continue;
      batch.hits.set(
        a.eventId,
        hits.map((h) => ({ eventId: a.eventId, rule: h.ruleId, seq: event.seq, sessionId: a.sessionId, host: event.host, level: h.level, time: event.time })),
      );
    }
  }

  /**
   * The risk of every session that got hits in this batch, from all its hits (stored and new), and the
   * rule levels to remember for them once the batch is written.
   */
  private risks(batch: Collector): { rows: SessionRiskRow[]; levels: Map<number, Map<string, HitLevel>> } {
    const touched = new Map<number, RuleHitRow[]>();
    for (const rows of batch.hits.values()) {
      for (const h of rows) {
        if (h.sessionId === null) continue;
        const list = touched.get(h.sessionId);
        if (list === undefined) touched.set(h.sessionId, [h]);
        else list.push(h);
      }
    }
    const levels = new Map<number, Map<string, HitLevel>>();
    if (touched.size === 0) return { rows: [], levels };
    const unknown = [...touched.keys()].filter((id) => !this.sessionRules.has(id));
    if (unknown.length > 0) {
      for (const [id, stored] of this.store.ruleLevels(unknown)) {
        this.sessionRules.set(id, levelsByRule(stored.flatMap((h) => (isHitLevel(h.level) ? [{ rule: h.rule, level: h.level }] : []))));
      }
    }
    const out: SessionRiskRow[] = [];
    for (const [sessionId, rows] of touched) {
      const byRule = levelsByRule(
        rows.flatMap((h) => (isHitLevel(h.level) ? [{ rule: h.rule, level: h.level }] : [])),
        new Map(this.sessionRules.get(sessionId) ?? []),
      );
      levels.set(sessionId, byRule);
      const r = riskOfLevels(byRule);
      out.push({ sessionId, score: r.score, level: r.level });
    }
    return { rows: out, levels };
  }

  private write(batch: Collector): void {
    const risks = this.risks(batch);
    const sessions = [...batch.sessions.values()].map((session) => ({ session, snapshot: this.sessionizer.snapshot(session.id) }));
    this.store.write({
      events: batch.events,
      attributions: batch.attributions,
      rematched: [...batch.rematched],
      hits: [...batch.hits.values()].flat(),
      risks: risks.rows,
      sessions,
      counters: batch.tally.counts,
      cursor: this.cursorSeq,
      now: this.opts.clock.now(),
    });
    for (const [id, byRule] of risks.levels) this.sessionRules.set(id, byRule);
    // A session the sessionizer let go of takes no more events, so no more hits.
    for (const { session, snapshot } of sessions) if (snapshot === undefined) this.sessionRules.delete(session.id);
  }
}

class Collector {
  readonly events: { id: number; event: Event }[] = [];
  readonly attributions: Attribution[] = [];
  readonly sessions = new Map<number, Session>();
  readonly tally = new BodyTally();
  /** Event id → its hits (the latest match wins: an orphan matched again in the same batch). */
  readonly hits = new Map<number, readonly RuleHitRow[]>();
  readonly rematched = new Set<number>();

  add(out: SessionizerOutput): void {
    this.attributions.push(...out.attributions);
    for (const s of out.sessions) this.sessions.set(s.id, s);
  }

  get changed(): boolean {
    return this.events.length > 0 || this.sessions.size > 0 || this.attributions.length > 0 || this.hits.size > 0;
  }
}
