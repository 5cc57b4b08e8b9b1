import { describe, expect, it } from 'vitest';
import { testAlert } from '../../../test/helpers/alerts.js';
import { octetCounted, syslogMessage } from './syslog-message.js';

const o = { facility: 13, hostname: 'collector 1', procId: '99', now: Date.UTC(2026, 0, 2, 3, 4, 5, 6) };

describe('RFC 5424 alert message', () => {
  it('header, structured data and a JSON MSG', () => {
    const m = syslogMessage(testAlert(), o);
    expect(m).toBe(
      '<107>1 2026-01-02T03:04:05.006Z collector1 countersign 99 alert ' +
        '[countersign@32473 id="17" kind="alert" route="ops" rule="history-tampering" level="high" session="42" host="vm" count="1" seq="7"] \ufeff' +
        m.slice(m.indexOf('\ufeff') + 1),
    );
    expect(JSON.parse(m.slice(m.indexOf('\ufeff') + 1)).command).toBe('bash -c history -c');
  });

  it('escapes SD values and shows control characters', () => {
    const m = syslogMessage(testAlert({ host: 'a"b]c\\d\ne', session: null, level: 'critical' }), o);
    expect(m.startsWith('<106>1 ')).toBe(true);
    expect(m).toContain(' host="a\\"b\\]c\\\\d\\\\ne"');
    expect(m).not.toContain('session=');
    expect(m.split('\ufeff')[0]).not.toMatch(/\n/);
  });

  it('octet counting counts bytes', () => {
    expect(octetCounted('é').toString('utf8')).toBe('2 é');
  });
});
