// Loads rules from files or a directory: each file compiled on its own, so a broken rule is refused
// with its file, line and reason while the rest keep working. Later ids that repeat an earlier one are refused.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRule, type CompiledRule, type RuleError } from './compile.js';

export interface LoadedRules {
  readonly rules: readonly CompiledRule[];
  readonly errors: readonly RuleError[];
}

const reasonOf = (e: unknown): string => String((e as Error)?.message ?? e);

export const loadRuleFiles = (files: readonly string[], already: readonly CompiledRule[] = []): LoadedRules => {
  const rules: CompiledRule[] = [];
  const errors: RuleError[] = [];
  const ids = new Map(already.map((r) => [r.id, r.file]));
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      errors.push({ file, line: 1, reason: `cannot read the rule: ${reasonOf(e)}` });
      continue;
    }
    const r = compileRule(text, file);
    if (!r.ok) errors.push(r.error);
    else if (ids.has(r.value.id)) errors.push({ file, line: r.value.line, reason: `duplicate rule id '${r.value.id}' (first in ${ids.get(r.value.id)})` });
    else {
      ids.set(r.value.id, file);
      rules.push(r.value);
    }
  }
  return { rules, errors };
};

/** Every *.yaml / *.yml file directly in `dir`, in name order. */
export const loadRuleDir = (dir: string, already: readonly CompiledRule[] = []): LoadedRules => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    return { rules: [], errors: [{ file: dir, line: 1, reason: `cannot read the rule directory: ${reasonOf(e)}` }] };
  }
  return loadRuleFiles(names.map((n) => join(dir, n)), already);
};
