import { describe, expect, it } from 'vitest';
import type { Event } from '../model/event.js';
import { compileRule, exampleEvent, type CompiledRule } from './compile.js';

const header = `id: test-rule
title: Test
description: A test rule.
why: Because.
level: high
tags: [t]
`;
const rule = (body: string): string => `${header}${body}`;

const compiled = (text: string): CompiledRule => {
  const r = compileRule(text, 'r.yaml');
  if (!r.ok) throw new Error(`${r.error.line}: ${r.error.reason}`);
  return r.value;
};
const refusal = (text: string) => {
  const r = compileRule(text, 'r.yaml');
  if (r.ok) throw new Error('compiled');
  return r.error;
};
const ev = (x: Partial<Event> & Pick<Event, 'kind'>, session?: Record<string, unknown>) =>
  exampleEvent(session === undefined ? x : ({ ...x, session } as never));

describe('compileRule', () => {
  it('matches event, detail, hints and session fields, and names the selections that matched', () => {
    const r = compiled(
      rule(`selections:
  sel_login:
    kind: login
    user: root
  sel_net:
    remote|cidr: [10.0.0.0/8, "2001:db8::/32"]
  shell:
    detail.shell: true
  hint:
    hints.tty|startswith: pts/
  linux:
    session.deviceType: linux
condition: 1 of sel_* or (shell and hint) or linux
examples: { match: [], nomatch: [] }
`),
    );
    const hit = r.match(...Object.values(ev({ kind: 'login', user: 'root', remote: '10.1.1.1' })) as [Event, null]);
    expect(hit).toEqual({ ruleId: 'test-rule', level: 'high', title: 'Test', why: 'Because.', tags: ['t'], matched: ['sel_login', 'sel_net'] });
    const { event, session } = ev({ kind: 'command', detail: { shell: true }, hints: { tty: 'pts/1' } });
    expect(r.match(event, session)?.matched).toEqual(['shell', 'hint']);
    const withSession = ev({ kind: 'command' }, { deviceType: 'linux' });
    expect(r.match(withSession.event, withSession.session)?.matched).toEqual(['linux']);
    const other = ev({ kind: 'command', remote: '192.0.2.1' }, { deviceType: 'cisco-ios' });
    expect(r.match(other.event, other.session)).toBeNull();
    expect(r.match(other.event, null)).toBeNull();
  });

  it('a detail key that is an Object prototype name is just absent', () => {
    const r = compiled(rule(`selections:\n  s:\n    detail.constructor|contains: x\ncondition: s\nexamples: {}\n`));
    expect(r.match(ev({ kind: 'login' }).event, null)).toBeNull();
  });

  it('refuses an unknown field, naming it, on its line', () => {
    const e = refusal(rule(`selections:\n  s:\n    kind: login\n    usr: root\ncondition: s\nexamples: {}\n`));
    expect(e).toMatchObject({ file: 'r.yaml', line: 10 });
    expect(e.reason).toMatch(/unknown field 'usr'/);
    expect(refusal(rule(`selections:\n  s:\n    session.nope: 1\ncondition: s\nexamples: {}\n`)).reason).toMatch(/unknown field 'session.nope'/);
    expect(refusal(rule(`selections:\n  s:\n    hints.nope: 1\ncondition: s\nexamples: {}\n`)).reason).toMatch(/unknown field 'hints.nope'/);
  });

  it('refuses a bad modifier', () => {
    const e = refusal(rule(`selections:\n  s:\n    command|like: x\ncondition: s\nexamples: {}\n`));
    expect(e).toMatchObject({ line: 9 });
    expect(e.reason).toMatch(/bad modifier 'like'/);
  });

  it('refuses a bad or dangerous regex on the line of the value', () => {
    const bad = refusal(rule(`selections:\n  s:\n    command|re:\n      - ok\n      - "([a-z"\ncondition: s\nexamples: {}\n`));
    expect(bad).toMatchObject({ line: 11 });
    expect(bad.reason).toMatch(/command\|re: invalid pattern/);
    const redos = refusal(rule(`selections:\n  s:\n    command|re: "(a+)+$"\ncondition: s\nexamples: {}\n`));
    expect(redos).toMatchObject({ line: 9 });
    expect(redos.reason).toMatch(/nested quantifiers/);
  });

  it('refuses bad YAML with its line', () => {
    const e = refusal(rule(`selections:\n  s:\n    kind: [login\ncondition: s\n`));
    expect(e.reason).toMatch(/^YAML: /);
    expect(e.line).toBeGreaterThanOrEqual(9);
    expect(refusal(`id: a\nid: b\n`)).toMatchObject({ line: 2, reason: expect.stringMatching(/^YAML: .*unique/i) });
  });

  it('refuses schema problems on the right line', () => {
    expect(refusal(header.replace('level: high', 'level: severe') + 'selections: {}\ncondition: x\nexamples: {}\n')).toMatchObject({
      line: 5,
      reason: expect.stringMatching(/^level: /),
    });
    expect(refusal(header.replace('id: test-rule', 'id: Test_Rule') + 'selections: {}\ncondition: x\nexamples: {}\n')).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/kebab-case/),
    });
    expect(refusal(rule(`selections:\n  s: { kind: login }\ncondition: s\nexamples: {}\nextra: 1\n`))).toMatchObject({
      line: 11,
      reason: 'unknown key: extra',
    });
    const example = refusal(rule(`selections:\n  s: { kind: login }\ncondition: s\nexamples:\n  match:\n    - kind: login\n      comand: x\n`));
    expect(example).toMatchObject({ line: 13, reason: 'examples.match.0: unknown key: comand' });
    expect(refusal('just text').reason).toMatch(/expected object/i);
  });

  it('refuses a bad condition with its column, and keywords as selection names', () => {
    const e = refusal(rule(`selections:\n  s: { kind: login }\ncondition: s and t\nexamples: {}\n`));
    expect(e).toMatchObject({ line: 9, reason: "condition, at column 7: no selection named 't'" });
    expect(refusal(rule(`selections:\n  them: { kind: login }\ncondition: 1 of them\nexamples: {}\n`)).reason).toMatch(/keyword/);
  });
});
