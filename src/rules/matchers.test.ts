import { describe, expect, it } from 'vitest';
import { nestedQuantifier, valuesTest } from './matchers.js';
import type { FieldValue } from './fields.js';
import type { Modifier, RuleValue } from './schema.js';

const t = (modifier: Modifier, values: RuleValue | RuleValue[], actual: FieldValue, all = false): boolean => {
  const r = valuesTest(modifier, all, values);
  if (!r.ok) throw new Error(r.error.reason);
  return r.value(actual);
};

describe('modifiers', () => {
  it.each([
    ['equals', 'root', 'root', true],
    ['equals', 'root', 'Root', false], // case-sensitive
    ['equals', 'root', undefined, false],
    ['equals', true, true, true],
    ['equals', true, 'true', true], // a YAML scalar and its text form
    ['equals', 3, 3, true],
    ['equals', 3, '3', true],
    ['equals', null, undefined, true], // null: the field is absent
    ['equals', null, 'x', false],
    ['equals', ['a', 'b'], 'b', true],
    ['contains', 'history -c', 'bash -c history -c', true],
    ['contains', 'history -c', 'history', false],
    ['contains', 'x', undefined, false],
    ['startswith', '/usr/', '/usr/bin/ls', true],
    ['startswith', '/usr/', '/bin/ls', false],
    ['endswith', 'flash:', 'copy tftp: flash:', true],
    ['endswith', 'flash:', 'flash: x', false],
    ['re', '^sudo (-i|-s)$', 'sudo -i', true],
    ['re', '^sudo (-i|-s)$', 'sudo -u bob', false],
    ['re', 'a.c', 12, false],
    ['cidr', '10.0.0.0/8', '10.2.3.4', true],
    ['cidr', ['192.0.2.0/24', '2001:db8::/32'], '2001:db8::5', true],
    ['cidr', '10.0.0.0/8', undefined, false],
  ] as const)('%s %j on %j → %s', (modifier, values, actual, want) => {
    expect(t(modifier, values as RuleValue | RuleValue[], actual)).toBe(want);
  });

  it('|all requires every value', () => {
    expect(t('contains', ['auditctl', '-e 0'], 'auditctl -e 0', true)).toBe(true);
    expect(t('contains', ['auditctl', '-D'], 'auditctl -e 0', true)).toBe(false);
    expect(t('contains', ['auditctl', '-D'], 'auditctl -e 0', false)).toBe(true);
  });

  it.each([
    ['re', '(a+)+', /backtrack catastrophically/],
    ['re', '(\\w*\\s?)*$', /backtrack catastrophically/],
    ['re', '(?:x(.*y)+)+', /backtrack catastrophically/],
    ['re', '(.*a){20}', /backtrack catastrophically/],
    ['re', '([a-z', /invalid pattern/],
    ['cidr', '10.0.0.0/40', /not an IPv4 or IPv6 network/],
    ['contains', true, /needs a string/],
    ['startswith', null, /needs a string/],
  ] as const)('%s %j is refused', (modifier, value, reason) => {
    const r = valuesTest(modifier, false, value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toMatch(reason);
  });

  it('names the index of the bad value in a list', () => {
    const r = valuesTest('re', false, ['ok', '(x+)*']);
    expect(r.ok ? null : r.error.index).toBe(1);
  });

  it.each(['^a+b+$', '(ab)+', '(a|b)*c', '[(+]+', '\\(a+\\)+', '(?:ab)?c+', '(a+)?'])('allows %j', (p) => {
    expect(nestedQuantifier(p)).toBeNull();
  });

  it('tests a list of patterns as alternatives, each keeping its own anchors, even when one refers to its own groups', () => {
    const t = (values: string[]) => {
      const r = valuesTest('re', false, values);
      if (!r.ok) throw new Error(r.error.reason);
      return r.value;
    };
    const any = t(['^copy\\s', 'flash:$', 'u|v']);
    expect(['copy x y', 'x flash:', 'zu', 'v'].map(any)).toEqual([true, true, true, true]);
    expect(['x copy y', 'flash: x', 'zzz', null, undefined].map(any)).toEqual([false, false, false, false, false]);
    const backref = t(['^(x)\\1$', '(?<w>y)\\k<w>']);
    expect(['xx', 'yy', 'xy'].map(backref)).toEqual([true, true, false]);
    const all = valuesTest('re', true, ['a', 'b']);
    expect(all.ok && [all.value('ab'), all.value('a')]).toEqual([true, false]);
  });
});
