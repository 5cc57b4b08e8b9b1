// One field spec's values → a test of the field's value. Patterns and networks are compiled once here;
// a value that cannot be compiled is an error naming the index of the value in the list.
import { err, ok, type Result } from '../model/result.js';
import { inNetwork, parseNetwork } from './cidr.js';
import type { FieldValue } from './fields.js';
import type { Modifier, RuleValue } from './schema.js';

export type ValueTest = (actual: FieldValue) => boolean;

export interface ValueError {
  /** Which value of the list (null when the spec has a single value). */
  readonly index: number | null;
  readonly reason: string;
}

const MAX_PATTERN = 1000;

/**
 * Refuses patterns whose backtracking can explode: a group holding an unbounded quantifier
 * (`*`, `+`, `{n,}`) that is itself repeated, as in `(a+)+`, `(\w*\s?)*` or `(.*x){20}`.
 * A heuristic (it does not catch overlapping alternatives such as `(a|a)*`), but it stops the common case.
 */
export const nestedQuantifier = (pattern: string): number | null => {
  const stack: { start: number; unbounded: boolean }[] = [{ start: 0, unbounded: false }];
  const unboundedAt = (i: number): boolean => {
    const c = pattern[i];
    return c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}/.test(pattern.slice(i)));
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') stack.push({ start: i, unbounded: false });
    else if (c === ')' && stack.length > 1) {
      const group = stack.pop()!;
      const next = pattern[i + 1];
      const repeated = next === '*' || next === '+' || next === '{';
      if (group.unbounded && repeated) return group.start;
      stack[stack.length - 1]!.unbounded ||= group.unbounded || unboundedAt(i + 1);
    } else if (unboundedAt(i)) stack[stack.length - 1]!.unbounded = true;
  }
  return null;
};

const text = (v: FieldValue): string | null => (v === undefined || v === null ? null : String(v));

const one = (modifier: Modifier, value: RuleValue): Result<ValueTest, string> => {
  if (modifier === 'equals') {
    if (value === null) return ok((a) => a === undefined || a === null);
    return ok((a) => a !== undefined && a !== null && (typeof a === typeof value ? a === value : String(a) === String(value)));
  }
  if (value === null || typeof value === 'boolean') return err(`'${modifier}' needs a string, not ${String(value)}`);
  const s = String(value);
  switch (modifier) {
    case 'contains':
      return ok((a) => text(a)?.includes(s) ?? false);
    case 'startswith':
      return ok((a) => text(a)?.startsWith(s) ?? false);
    case 'endswith':
      return ok((a) => text(a)?.endsWith(s) ?? false);
    case 're': {
      if (s.length > MAX_PATTERN) return err(`the pattern is longer than ${MAX_PATTERN} characters`);
      const at = nestedQuantifier(s);
      if (at !== null)
        return err(`the pattern ${JSON.stringify(s)} repeats a group that holds a repeat (at offset ${at}), which can backtrack catastrophically; rewrite it without nested quantifiers`);
      let re: RegExp;
      try {
        re = new RegExp(s);
      } catch (e) {
        return err(`invalid pattern ${JSON.stringify(s)}: ${(e as Error).message}`);
      }
      return ok((a) => {
        const t = text(a);
        return t !== null && re.test(t);
      });
    }
    case 'cidr': {
      const net = parseNetwork(s);
      if (net === null) return err(`not an IPv4 or IPv6 network: ${JSON.stringify(s)} (expected e.g. 10.0.0.0/8 or 2001:db8::/32)`);
      return ok((a) => typeof a === 'string' && inNetwork(a, net));
    }
  }
};

/** A field spec's values: any of them (or all, with `|all`) must match. */
export const valuesTest = (modifier: Modifier, all: boolean, values: RuleValue | readonly RuleValue[]): Result<ValueTest, ValueError> => {
  const list = Array.isArray(values) ? (values as readonly RuleValue[]) : [values as RuleValue];
  const tests: ValueTest[] = [];
  for (const [i, v] of list.entries()) {
    const r = one(modifier, v);
    if (!r.ok) return err({ index: Array.isArray(values) ? i : null, reason: r.error });
    tests.push(r.value);
  }
  if (tests.length === 1) return ok(tests[0]!);
  if (modifier === 're' && !all) {
    // Alternatives as one pattern: one scan of the value instead of one per pattern (the hot path of
    // command rules). Not when a pattern refers to its own groups, whose numbers or names would clash.
    const patterns = list.map(String);
    if (!patterns.some((p) => /\\[1-9k]|\(\?<[A-Za-z]/.test(p))) {
      const re = new RegExp(patterns.map((p) => `(?:${p})`).join('|'));
      return ok((a) => {
        const t = text(a);
        return t !== null && re.test(t);
      });
    }
  }
  return ok(all ? (a) => tests.every((t) => t(a)) : (a) => tests.some((t) => t(a)));
};
