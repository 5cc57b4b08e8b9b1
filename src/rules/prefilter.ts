// What a compiled rule can be skipped for, worked out once from its selections and condition: the event
// kinds it can match at all (so a rule set only tries the rules that can hit an event of that kind).
// Conservative: when in doubt (a `not`, a selection without a `kind` equality) every kind is possible.
import { EVENT_KINDS, type EventKind } from '../model/event.js';
import { selectionsMatching, type Condition } from './condition.js';
import type { Modifier, RuleValue } from './schema.js';

/** null: any kind. */
export type KindSet = ReadonlySet<EventKind> | null;

export const intersect = (a: KindSet, b: KindSet): KindSet => (a === null ? b : b === null ? a : new Set([...a].filter((k) => b.has(k))));
const union = (a: KindSet, b: KindSet): KindSet => (a === null || b === null ? null : new Set([...a, ...b]));

/** The kinds one field spec allows: only a plain (or `equals`) test of `kind` narrows them. */
export const specKinds = (field: string, modifier: Modifier, all: boolean, values: RuleValue | readonly RuleValue[]): KindSet => {
  if (field !== 'kind' || modifier !== 'equals' || all) return null;
  const list = Array.isArray(values) ? (values as readonly RuleValue[]) : [values as RuleValue];
  return new Set(EVENT_KINDS.filter((k) => list.some((v) => v !== null && String(v) === k)));
};

/** The kinds a condition can be true for, given what each selection allows (all of its specs hold at once). */
export const conditionKinds = (c: Condition, names: readonly string[], selection: ReadonlyMap<string, KindSet>): KindSet => {
  switch (c.type) {
    case 'ref':
      return selection.get(c.name) ?? null;
    case 'not':
      return null;
    case 'and':
      return c.items.map((i) => conditionKinds(i, names, selection)).reduce(intersect, null);
    case 'or': {
      let out: KindSet = new Set();
      for (const i of c.items) out = union(out, conditionKinds(i, names, selection));
      return out;
    }
    case 'of': {
      const picked = selectionsMatching(c.pattern, names).map((n) => selection.get(n) ?? null);
      if (c.quantifier === 'all') return picked.reduce(intersect, null);
      let out: KindSet = new Set();
      for (const k of picked) out = union(out, k);
      return out;
    }
  }
};
