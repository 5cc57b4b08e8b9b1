import { describe, expect, it } from 'vitest';
import { alertHeadline, alertJson, alertText, quote } from './render.js';
import { testAlert } from '../../test/helpers/alerts.js';

const HOSTILE = 'rm -rf /tmp/x\n<b>bold</b> \u001b[31mred\u202e @channel <!here> `tick`';

describe('alert rendering', () => {
  it('the JSON payload has the documented fields, log content as plain JSON strings', () => {
    const j = alertJson(testAlert({ command: HOSTILE }));
    expect(Object.keys(j)).toEqual(['id', 'kind', 'route', 'rule', 'title', 'level', 'why', 'host', 'user', 'session', 'command', 'seq', 'time', 'count', 'url']);
    expect(j.command).toBe(HOSTILE);
    expect(j.time).toBe('2026-11-29T20:28:41.000Z');
    expect(JSON.parse(JSON.stringify(j)).command).toBe(HOSTILE);
  });

  it('a summary carries its items', () => {
    const j = alertJson(testAlert({ kind: 'summary', items: [{ rule: 'r', host: 'h', session: null, level: 'high', count: 3 }] }));
    expect(j.items).toEqual([{ rule: 'r', host: 'h', session: null, level: 'high', count: 3 }]);
  });

  it('quote shows every control, bidi and separator character and stays a JSON string', () => {
    const q = quote(HOSTILE + '\u2028\u0085\u007f');
    expect(q).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(q)).toBe(HOSTILE + '\u2028\u0085\u007f');
  });

  it('headline and text keep hostile values on one line, quoted', () => {
    const a = testAlert({ host: 'evil\r\nBcc: x@example.net', command: HOSTILE });
    const h = alertHeadline(a);
    expect(h).not.toMatch(/[\r\n]/);
    expect(h).toBe('[HIGH] Shell history tampering on "evil\\r\\nBcc: x@example.net", session 42, user "cs-alice"');
    const t = alertText(a);
    expect(t.split('\n').find((l) => l.startsWith('command:'))).toBe(`command:  ${quote(HOSTILE)}`);
    expect(t).not.toMatch(/[\u001b\u202e]/);
  });

  it('a follow-up says how many more', () => {
    expect(alertHeadline(testAlert({ kind: 'followup', count: 100 }))).toContain('…and 99 more (100 in all)');
  });
});
