import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runExamples } from './examples.js';
import { loadRuleDir } from './load.js';

const builtin = fileURLToPath(new URL('./builtin/', import.meta.url));

describe('loadRuleDir', () => {
  it('every rule in builtin/ compiles and passes its own examples', () => {
    const { rules, errors } = loadRuleDir(builtin);
    expect(errors).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const rule of rules) {
      expect(rule.examples.match.length, `${rule.id} has match examples`).toBeGreaterThan(0);
      expect(rule.examples.nomatch.length, `${rule.id} has nomatch examples`).toBeGreaterThan(0);
      expect(runExamples(rule), rule.id).toEqual([]);
    }
  });

  it('refuses a broken rule with file, line and reason, and keeps the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-rules-'));
    const good = (id: string) => `id: ${id}\ntitle: T\ndescription: D\nwhy: W\nlevel: low\nselections:\n  s: { kind: login }\ncondition: s\nexamples: {}\n`;
    writeFileSync(join(dir, 'a.yaml'), good('a-rule'));
    writeFileSync(join(dir, 'b.yml'), good('b-rule').replace('kind: login', 'kinds: login'));
    writeFileSync(join(dir, 'c.yaml'), good('a-rule'));
    writeFileSync(join(dir, 'd.yaml'), good('d-rule'));
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    const { rules, errors } = loadRuleDir(dir);
    expect(rules.map((r) => r.id)).toEqual(['a-rule', 'd-rule']);
    expect(errors).toEqual([
      { file: join(dir, 'b.yml'), line: 7, reason: expect.stringMatching(/unknown field 'kinds'/) },
      { file: join(dir, 'c.yaml'), line: 1, reason: `duplicate rule id 'a-rule' (first in ${join(dir, 'a.yaml')})` },
    ]);
    expect(runExamples(rules[0]!)).toEqual([]);
  });

  it('an unreadable directory is an error, not a throw', () => {
    expect(loadRuleDir('/nonexistent/rules').errors[0]).toMatchObject({ file: '/nonexistent/rules', line: 1 });
  });
});
