// `countersign rules test FILE…`: compile each rule file and run its examples. Lives here rather than
// in cli/ because it is the rules' own check; cli/main.ts only wires it. Returns the exit code:
// 0 all good, 1 a rule is broken or an example fails, 2 a file is unreadable.
import { readFileSync } from 'node:fs';
import { compileRule } from './compile.js';
import { runExamples } from './examples.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Output = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export const runRulesTest = (files: readonly string[], io: Output = stdio): number => {
  let code = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      io.err(`countersign: ${file}: cannot read the rule: ${String((e as Error)?.message ?? e)}`);
      code = 2;
      continue;
    }
    const r = compileRule(text, file);
    if (!r.ok) {
      io.out(`${r.error.file}:${r.error.line}: ${r.error.reason}`);
      code = Math.max(code, 1);
      continue;
    }
    const failures = runExamples(r.value);
    for (const f of failures) io.out(`${file}:${f.line}: ${r.value.id}: ${f.reason}`);
    if (failures.length > 0) code = Math.max(code, 1);
    else io.out(`ok ${r.value.id}: ${r.value.examples.match.length} match, ${r.value.examples.nomatch.length} nomatch examples`);
  }
  return code;
};
