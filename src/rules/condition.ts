// A rule's condition: selection names combined with and, or, not, parentheses, and
// `1 of <prefix>*` / `all of <prefix>*` / `1 of them` / `all of them`. Precedence: not > and > or.
// Bad input is data: parseCondition never throws and every error carries its 0-based position.
import { err, ok, type Result } from '../model/result.js';

export type Condition =
  | { readonly type: 'ref'; readonly name: string; readonly pos: number }
  | { readonly type: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly type: 'not'; readonly operand: Condition }
  /** pattern: a name, or a prefix ending in '*'; null for `them` (every selection). */
  | { readonly type: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string | null; readonly pos: number };

export interface ConditionError {
  /** 0-based offset into the condition string. */
  readonly pos: number;
  readonly message: string;
}

export const KEYWORDS = ['and', 'or', 'not', 'of', 'them', 'all', '1'] as const;
const MAX_LENGTH = 4000;
const MAX_DEPTH = 64;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\*?$|^\*$/;

interface Token {
  readonly text: string;
  readonly pos: number;
}

class Fail {
  constructor(readonly error: ConditionError) {}
}
const fail = (pos: number, message: string): never => {
  throw new Fail({ pos, message });
};

const tokenize = (src: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push({ text: c, pos: i++ });
    else if (/[A-Za-z0-9_*]/.test(c)) {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_*]/.test(src[i]!)) i++;
      tokens.push({ text: src.slice(start, i), pos: start });
    } else fail(i, `unexpected character ${JSON.stringify(c)}`);
  }
  return tokens;
};

const describe = (t: Token | undefined): string => (t === undefined ? 'the end of the condition' : `'${t.text}'`);

export const parseCondition = (src: string): Result<Condition, ConditionError> => {
  try {
    if (src.length > MAX_LENGTH) fail(MAX_LENGTH, `the condition is longer than ${MAX_LENGTH} characters`);
    const tokens = tokenize(src);
    let i = 0;
    const peek = (): Token | undefined => tokens[i];
    const here = (): number => tokens[i]?.pos ?? src.length;

    const parseOr = (depth: number): Condition => {
      const items = [parseAnd(depth)];
      while (peek()?.text === 'or') {
        i++;
        items.push(parseAnd(depth));
      }
      return items.length === 1 ? items[0]! : { type: 'or', items };
    };
    const parseAnd = (depth: number): Condition => {
      const items = [parseNot(depth)];
      while (peek()?.text === 'and') {
        i++;
        items.push(parseNot(depth));
      }
      return items.length === 1 ? items[0]! : { type: 'and', items };
    };
    const parseNot = (depth: number): Condition => {
      if (depth > MAX_DEPTH) fail(here(), `the condition nests deeper than ${MAX_DEPTH} levels`);
      if (peek()?.text === 'not') {
        i++;
        return { type: 'not', operand: parseNot(depth + 1) };
      }
      return parsePrimary(depth);
    };
    const parsePrimary = (depth: number): Condition => {
      const t = peek();
      if (t === undefined) return fail(src.length, 'unexpected end of the condition: expected a selection name, "not", "(" or "1 of"/"all of"');
      if (t.text === '(') {
        i++;
        const inner = parseOr(depth + 1);
        if (peek()?.text !== ')') fail(here(), `expected ')' to close the '(' at ${t.pos}, got ${describe(peek())}`);
        i++;
        return inner;
      }
      if (t.text === '1' || t.text === 'all') {
        i++;
        if (peek()?.text !== 'of') fail(here(), `expected 'of' after '${t.text}', got ${describe(peek())}`);
        i++;
        const p = peek();
        if (p === undefined) return fail(src.length, `expected a selection prefix ('name*') or 'them' after '${t.text} of'`);
        i++;
        const quantifier = t.text === '1' ? 'one' : 'all';
        if (p.text === 'them') return { type: 'of', quantifier, pattern: null, pos: t.pos };
        if (!PATTERN.test(p.text) || (KEYWORDS as readonly string[]).includes(p.text))
          fail(p.pos, `expected a selection prefix ('name*') or 'them' after '${t.text} of', got '${p.text}'`);
        return { type: 'of', quantifier, pattern: p.text, pos: t.pos };
      }
      if ((KEYWORDS as readonly string[]).includes(t.text) || !NAME.test(t.text))
        fail(t.pos, `expected a selection name, "not", "(" or "1 of"/"all of", got '${t.text}'`);
      i++;
      return { type: 'ref', name: t.text, pos: t.pos };
    };

    const tree = parseOr(0);
    if (i < tokens.length) fail(here(), `unexpected ${describe(peek())}: expected 'and', 'or' or the end of the condition`);
    return ok(tree);
  } catch (e) {
    if (e instanceof Fail) return err(e.error);
    throw e;
  }
};

const matches = (pattern: string | null, name: string): boolean =>
  pattern === null || (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);

/** The selections a `1 of` / `all of` pattern names (null: `them`, every selection). */
export const selectionsMatching = (pattern: string | null, names: readonly string[]): string[] => names.filter((n) => matches(pattern, n));

/** The names a condition refers to (directly or through a pattern), or an error for a name or pattern that matches no selection. */
export const bindCondition = (
  tree: Condition,
  names: readonly string[],
): Result<(test: (name: string) => boolean) => boolean, ConditionError> => {
  type Eval = (test: (name: string) => boolean) => boolean;
  const build = (c: Condition): Result<Eval, ConditionError> => {
    switch (c.type) {
      case 'ref': {
        if (!names.includes(c.name)) return err({ pos: c.pos, message: `no selection named '${c.name}'` });
        const name = c.name;
        return ok((test) => test(name));
      }
      case 'not': {
        const r = build(c.operand);
        if (!r.ok) return r;
        const f = r.value;
        return ok((test) => !f(test));
      }
      case 'and':
      case 'or': {
        const fs: Eval[] = [];
        for (const item of c.items) {
          const r = build(item);
          if (!r.ok) return r;
          fs.push(r.value);
        }
        return ok(c.type === 'and' ? (test) => fs.every((f) => f(test)) : (test) => fs.some((f) => f(test)));
      }
      case 'of': {
        const picked = selectionsMatching(c.pattern, names);
        if (picked.length === 0)
          return err({ pos: c.pos, message: c.pattern === null ? 'the rule has no selections' : `no selection matches '${c.pattern}'` });
        return ok(c.quantifier === 'one' ? (test) => picked.some(test) : (test) => picked.every(test));
      }
    }
  };
  return build(tree);
};
