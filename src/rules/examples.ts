// A rule's own examples: every `match` example must hit, every `nomatch` example must not.
import type { CompiledRule } from './compile.js';

export interface ExampleFailure {
  readonly kind: 'match' | 'nomatch';
  /** 0-based index in the rule's examples.match or examples.nomatch list. */
  readonly index: number;
  readonly line: number;
  readonly reason: string;
}

export const runExamples = (rule: CompiledRule): ExampleFailure[] => {
  const failures: ExampleFailure[] = [];
  rule.examples.match.forEach((x, index) => {
    if (rule.match(x.event, x.session) === null)
      failures.push({ kind: 'match', index, line: x.line, reason: `examples.match[${index}] did not match` });
  });
  rule.examples.nomatch.forEach((x, index) => {
    const hit = rule.match(x.event, x.session);
    if (hit !== null)
      failures.push({ kind: 'nomatch', index, line: x.line, reason: `examples.nomatch[${index}] matched (selections: ${hit.matched.join(', ')})` });
  });
  return failures;
};
