// A compiled rule set as the derive stage uses it: every rule that can match an event of a kind, listed
// once per kind when the set is built, so an event is only tried against those. Pure: no I/O.
import { EVENT_KINDS, type Event, type EventKind } from '../model/event.js';
import type { Session } from '../model/session.js';
import type { CompiledRule, Hit } from './compile.js';

const NO_HITS: readonly Hit[] = Object.freeze([]);

export class RuleSet {
  private readonly byKind = new Map<EventKind, readonly CompiledRule[]>();
  private readonly sessionKinds = new Set<EventKind>();

  constructor(readonly rules: readonly CompiledRule[]) {
    for (const kind of EVENT_KINDS) {
      const list = rules.filter((r) => r.kinds === null || r.kinds.has(kind));
      this.byKind.set(kind, list);
      if (list.some((r) => r.usesSession)) this.sessionKinds.add(kind);
    }
  }

  static readonly EMPTY = new RuleSet([]);

  get size(): number {
    return this.rules.length;
  }

  /** The rules the event (with its session as known now) matches, in the set's order. */
  match(event: Event, session: Session | null): readonly Hit[] {
    const rules = this.byKind.get(event.kind);
    if (rules === undefined || rules.length === 0) return NO_HITS;
    let hits: Hit[] | undefined;
    for (const r of rules) {
      const h = r.match(event, session);
      if (h !== null) (hits ??= []).push(h);
    }
    return hits ?? NO_HITS;
  }

  /** Whether some rule for this kind reads the session: an event of it may hit differently once its session is known. */
  dependsOnSession(kind: EventKind): boolean {
    return this.sessionKinds.has(kind);
  }

  /** id → title and why, for showing hits (the store keeps only the rule id and level). */
  catalogue(): Map<string, { readonly title: string; readonly why: string }> {
    return new Map(this.rules.map((r) => [r.id, { title: r.title, why: r.why }]));
  }
}
