import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../model/event.js';
import { compileRule, exampleEvent, type CompiledRule } from './compile.js';
import { runExamples } from './examples.js';
import { BUILTIN_RULES_DIR, loadRuleDir, loadRuleSet } from './load.js';
import { RuleSet } from './rule-set.js';

const rule = (id: string, body: string): CompiledRule => {
  const r = compileRule(`id: ${id}\ntitle: T ${id}\ndescription: D\nwhy: W ${id}\nlevel: low\n${body}examples: {}\n`, `${id}.yaml`);
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
};

describe('rule prefilter', () => {
  it('works out the kinds a condition can match, conservatively', () => {
    const kinds = (body: string) => {
      const k = rule('r', body).kinds;
      return k === null ? null : [...k].sort();
    };
    expect(kinds('selections:\n  s: { kind: login, user: root }\ncondition: s\n')).toEqual(['login']);
    expect(kinds('selections:\n  a: { kind: [command, privilege] }\n  b: { kind: command }\ncondition: a and b\n')).toEqual(['command']);
    expect(kinds('selections:\n  a: { kind: login }\n  b: { kind: logout }\ncondition: a or b\n')).toEqual(['login', 'logout']);
    expect(kinds('selections:\n  a: { kind: login }\n  b: { user: root }\ncondition: a or b\n')).toBeNull();
    expect(kinds('selections:\n  a: { kind: login }\ncondition: not a\n')).toBeNull();
    expect(kinds('selections:\n  a: { kind|startswith: log }\ncondition: a\n')).toBeNull();
    expect(kinds('selections:\n  x_1: { kind: login }\n  x_2: { kind: [login, logout] }\ncondition: all of x_*\n')).toEqual(['login']);
    expect(kinds('selections:\n  x_1: { kind: login }\n  x_2: { kind: logout }\ncondition: 1 of x_*\n')).toEqual(['login', 'logout']);
    expect(rule('r', 'selections:\n  s: { session.id: null }\ncondition: s\n').usesSession).toBe(true);
    expect(rule('r', 'selections:\n  s: { kind: login }\ncondition: s\n').usesSession).toBe(false);
  });

  it('gives the same hits as trying every rule, for every example of the built-in pack and every kind', () => {
    const { rules } = loadRuleDir(BUILTIN_RULES_DIR);
    const set = new RuleSet(rules);
    const all = (e: Parameters<RuleSet['match']>[0], s: Parameters<RuleSet['match']>[1]) => rules.map((r) => r.match(e, s)).filter((h) => h !== null);
    let tried = 0;
    for (const r of rules) {
      for (const x of [...r.examples.match, ...r.examples.nomatch]) {
        for (const kind of EVENT_KINDS) {
          const event = { ...x.event, kind };
          expect(set.match(event, x.session)).toEqual(all(event, x.session));
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });

  it('knows which kinds can hit differently once the session is known', () => {
    const set = new RuleSet([rule('commit-alone', 'selections:\n  c: { kind: commit }\n  n: { session.id: null }\ncondition: c and n\n'), rule('r2', 'selections:\n  s: { kind: login }\ncondition: s\n')]);
    expect(set.dependsOnSession('commit')).toBe(true);
    expect(set.dependsOnSession('login')).toBe(false);
    const { event } = exampleEvent({ kind: 'commit' });
    expect(set.match(event, null).map((h) => h.ruleId)).toEqual(['commit-alone']);
  });
});

describe('loadRuleSet', () => {
  it('loads the built-in pack and the configured directory; a rule there with a built-in id replaces it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-rules-set-'));
    const mine = readFileSync(join(BUILTIN_RULES_DIR, 'login-outside-management-networks.yaml'), 'utf8').replace("'fc00::/7']", "'fc00::/7', 198.51.100.0/24]");
    writeFileSync(join(dir, 'mgmt.yaml'), mine);
    writeFileSync(join(dir, 'broken.yaml'), 'id: broken\n');
    const builtinOnly = loadRuleSet({ builtin: true });
    const both = loadRuleSet({ builtin: true, dir });
    expect(both.replaced).toEqual(['login-outside-management-networks']);
    expect(both.set.size).toBe(builtinOnly.set.size);
    expect(both.errors).toEqual([{ file: join(dir, 'broken.yaml'), line: 1, reason: expect.any(String) }]);
    const ours = both.set.rules.find((r) => r.id === 'login-outside-management-networks')!;
    expect(ours.file).toBe(join(dir, 'mgmt.yaml'));
    const { event } = exampleEvent({ kind: 'login', user: 'alice', remote: '198.51.100.23' });
    expect(ours.match(event, null)).toBeNull();
    expect(loadRuleSet({ builtin: false }).set.size).toBe(0);
    expect(loadRuleSet({ builtin: false, dir }).set.size).toBe(1);
  });

  it('names each rule for the hits shown to reviewers', () => {
    const c = loadRuleSet({ builtin: true }).set.catalogue();
    expect(c.get('root-login')).toEqual({ title: 'Direct login as root', why: expect.stringMatching(/not tied to a person/) });
  });
});

describe('docs/rules.md', () => {
  it('shows a rule that compiles and passes its own examples', () => {
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const r = compileRule(yaml!, 'docs/rules.md');
    if (!r.ok) throw new Error(`${r.error.line}: ${r.error.reason}`);
    expect(runExamples(r.value)).toEqual([]);
    expect(r.value.examples.match.length).toBeGreaterThan(0);
  });
});
