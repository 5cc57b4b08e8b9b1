import { describe, expect, it } from 'vitest';
import { compileRule } from './compile.js';
import { runExamples } from './examples.js';

const text = `id: root-anything
title: Root
description: d
why: w
level: low
selections:
  root: { user: root }
  console: { session.tty|startswith: tty }
condition: root and not console
examples:
  match:
    - { kind: login, user: root }
    - { kind: login, user: alice }
  nomatch:
    - { kind: command, user: bob }
    - kind: login
      user: root
      session: { tty: tty1 }
    - { kind: command, user: root }
`;

describe('runExamples', () => {
  it('reports each failing example with its list, index and line', () => {
    const r = compileRule(text, 'x.yaml');
    if (!r.ok) throw new Error(r.error.reason);
    expect(runExamples(r.value)).toEqual([
      { kind: 'match', index: 1, line: 13, reason: 'examples.match[1] did not match' },
      { kind: 'nomatch', index: 2, line: 19, reason: 'examples.nomatch[2] matched (selections: root)' },
    ]);
  });

  it('passes when every example behaves', () => {
    const fixed = text.replace('    - { kind: login, user: alice }\n', '').replace('    - { kind: command, user: root }\n', '');
    const r = compileRule(fixed, 'x.yaml');
    if (!r.ok) throw new Error(r.error.reason);
    expect(runExamples(r.value)).toEqual([]);
  });
});
