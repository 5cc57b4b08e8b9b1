// Rule file text → a compiled rule: `match(event, session) → Hit | null`. Every problem is returned as
// data with the file, the line and the reason; nothing here throws on bad input.
import { LineCounter, parseDocument } from 'yaml';
import type { Event } from '../model/event.js';
import type { Session } from '../model/session.js';
import { err, ok, type Result } from '../model/result.js';
import { bindCondition, KEYWORDS, parseCondition, type ConditionError } from './condition.js';
import { fieldGetter, type Getter } from './fields.js';
import { valuesTest, type ValueTest } from './matchers.js';
import { conditionKinds, intersect, specKinds, type KindSet } from './prefilter.js';
import { MODIFIERS, ruleFileSchema, type Modifier, type RuleExample, type RuleLevel } from './schema.js';
import { lineAt } from './yaml-lines.js';

export interface RuleError {
  readonly file: string;
  /** 1-based line in the file (1 when the problem is the whole file). */
  readonly line: number;
  readonly reason: string;
}

export interface Hit {
  readonly ruleId: string;
  readonly level: RuleLevel;
  readonly title: string;
  readonly why: string;
  readonly tags: readonly string[];
  /** The selections that matched, in the order the rule lists them. */
  readonly matched: readonly string[];
}

export interface CompiledExample {
  readonly event: Event;
  readonly session: Session | null;
  readonly line: number;
}

export interface CompiledRule {
  readonly id: string;
  readonly file: string;
  /** The line of `id:`, for errors about the rule as a whole (a duplicate id). */
  readonly line: number;
  readonly title: string;
  readonly description: string;
  readonly why: string;
  readonly level: RuleLevel;
  readonly tags: readonly string[];
  readonly examples: { readonly match: readonly CompiledExample[]; readonly nomatch: readonly CompiledExample[] };
  /** The event kinds the rule can match at all; null: any (worked out from the condition, conservatively). */
  readonly kinds: KindSet;
  /** Whether any selection reads a `session.*` field: its verdict may change once an event's session is known. */
  readonly usesSession: boolean;
  match(event: Event, session: Session | null): Hit | null;
}

type SelectionTest = (event: Event, session: Session | null) => boolean;

/** `field`, `field|modifier`, `field|modifier|all`, `field|all`. */
const parseSpec = (spec: string): Result<{ field: string; modifier: Modifier; all: boolean }, string> => {
  const [field, ...mods] = spec.split('|');
  let modifier: Modifier | undefined;
  let all = false;
  for (const m of mods) {
    if (m === 'all' && !all) all = true;
    else if ((MODIFIERS as readonly string[]).includes(m) && modifier === undefined && !all) modifier = m as Modifier;
    else return err(`bad modifier '${m}' in '${spec}': expected one of ${MODIFIERS.join(', ')}, optionally followed by |all`);
  }
  return ok({ field: field ?? '', modifier: modifier ?? 'equals', all });
};

export const exampleEvent = (x: RuleExample): { event: Event; session: Session | null } => {
  const { session, ...rest } = x;
  const event: Event = { seq: 1, time: 0, host: 'example', parser: 'example@1', ...rest, hints: rest.hints ?? {} };
  if (session === undefined) return { event, session: null };
  return {
    event,
    session: {
      id: event.seq, host: event.host, user: event.user ?? null, origin: event.remote ?? null, originPort: event.remotePort ?? null,
      auth: event.auth ?? null, tty: event.tty ?? null, startedAt: event.time, endedAt: null, lastActivity: event.time,
      status: 'open', closeReason: null, eventCount: 1, commandCount: 0, privilegeCount: 0, weakCount: 0, deviceType: 'linux',
      ...session,
    },
  };
};

export const compileRule = (text: string, file: string): Result<CompiledRule, RuleError> => {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return err({ file, line: e.linePos?.[0]?.line ?? 1, reason: `YAML: ${e.message.split('\n')[0] ?? 'syntax error'}` });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return err({ file, line: 1, reason: `YAML: ${(e as Error).message}` });
  }
  const fail = (path: readonly PropertyKey[], reason: string, key = false) => err({ file, line: lineAt(doc, lc, path, key), reason });

  const parsed = ruleFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    if (issue.code === 'unrecognized_keys')
      return fail([...issue.path, issue.keys[0] ?? ''], `${where}unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`, true);
    if (issue.code === 'invalid_key') return fail(issue.path, `${where}${issue.issues[0]?.message ?? issue.message}`, true);
    return fail(issue.path, `${where}${issue.message}`);
  }
  const rule = parsed.data;

  // Selections: every field spec in a selection must hold (and); values within a spec are alternatives.
  const names = Object.keys(rule.selections);
  const selections = new Map<string, SelectionTest>();
  const selectionKinds = new Map<string, KindSet>();
  let usesSession = false;
  for (const name of names) {
    const path = ['selections', name];
    if ((KEYWORDS as readonly string[]).includes(name)) return fail(path, `'${name}' is a condition keyword and cannot name a selection`, true);
    const specs = Object.entries(rule.selections[name]!);
    if (specs.length === 0) return fail(path, `selection '${name}' has no fields`);
    const tests: { get: Getter; test: ValueTest }[] = [];
    let kinds: KindSet = null;
    for (const [spec, values] of specs) {
      const s = parseSpec(spec);
      if (!s.ok) return fail([...path, spec], s.error, true);
      const get = fieldGetter(s.value.field);
      if (!get.ok) return fail([...path, spec], get.error, true);
      const t = valuesTest(s.value.modifier, s.value.all, values);
      if (!t.ok) return fail(t.error.index === null ? [...path, spec] : [...path, spec, t.error.index], `${spec}: ${t.error.reason}`);
      tests.push({ get: get.value, test: t.value });
      const k = specKinds(s.value.field, s.value.modifier, s.value.all, values);
      kinds = intersect(kinds, k);
      if (s.value.field.startsWith('session.')) usesSession = true;
    }
    selectionKinds.set(name, kinds);
    selections.set(name, (e, sess) => tests.every(({ get, test }) => test(get(e, sess))));
  }

  const conditionError = (e: ConditionError) => fail(['condition'], `condition, at column ${e.pos + 1}: ${e.message}`);
  const tree = parseCondition(rule.condition);
  if (!tree.ok) return conditionError(tree.error);
  const bound = bindCondition(tree.value, names);
  if (!bound.ok) return conditionError(bound.error);
  const condition = bound.value;
  const kinds = conditionKinds(tree.value, names, selectionKinds);

  const examples = (which: 'match' | 'nomatch'): CompiledExample[] =>
    rule.examples[which].map((x, i) => ({ ...exampleEvent(x), line: lineAt(doc, lc, ['examples', which, i]) }));

  const base = { ruleId: rule.id, level: rule.level, title: rule.title, why: rule.why, tags: rule.tags };
  const index = new Map(names.map((n, i) => [n, i]));
  const tests = names.map((n) => selections.get(n)!);
  const UNKNOWN = 2;
  const memo = new Uint8Array(names.length);
  let current: Event | undefined;
  let currentSession: Session | null = null;
  const test = (name: string): boolean => {
    const i = index.get(name)!;
    let r = memo[i]!;
    if (r === UNKNOWN) memo[i] = r = tests[i]!(current!, currentSession) ? 1 : 0;
    return r === 1;
  };
  return ok({
    id: rule.id,
    file,
    line: lineAt(doc, lc, ['id']),
    title: rule.title,
    description: rule.description,
    why: rule.why,
    level: rule.level,
    tags: rule.tags,
    examples: { match: examples('match'), nomatch: examples('nomatch') },
    kinds,
    usesSession,
    match(event, session) {
      // Each selection is tested at most once per event; the memo is reused (matching is synchronous).
      current = event;
      currentSession = session;
      memo.fill(UNKNOWN);
      if (!condition(test)) return null;
      return { ...base, matched: names.filter(test) };
    },
  });
};
