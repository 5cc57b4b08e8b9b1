// Table tests for raw audit.log records: node= prefix, time from the audit stamp, type/serial extras,
// the whole line as msg, and bad-audit-record for everything that is not a record header.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UNPARSED_REASONS } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { auditd } from './auditd-raw.js';

const CTX: ParseContext = { receivedAt: Date.UTC(2024, 10, 26, 12), timezone: 'Europe/Berlin' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (s: string | Uint8Array) => auditd.parse(typeof s === 'string' ? enc(s) : s, CTX);

const base = {
  format: 'auditd', facility: undefined, severity: undefined, app: undefined, procid: undefined, msgid: undefined,
  structuredData: undefined, deviceSeq: undefined, timeQuality: 'exact',
} as const;

describe('auditd records', () => {
  it.each([
    [
      'plain record',
      'type=USER_LOGIN msg=audit(1700000000.123:456): pid=1234 uid=0 auid=1000 ses=7 msg=\'op=login acct="alice" exe="/usr/sbin/sshd" hostname=? addr=192.0.2.10 terminal=/dev/pts/0 res=success\'',
      { hostname: undefined, time: 1700000000123, extra: { type: 'USER_LOGIN', serial: '456' } },
    ],
    [
      'node= prefix gives the hostname',
      'node=web-01.example.net type=SYSCALL msg=audit(1491924063.550:1065565): arch=c000003e syscall=59 success=yes',
      { hostname: 'web-01.example.net', time: 1491924063550, extra: { type: 'SYSCALL', serial: '1065565' } },
    ],
    ['empty body (EOE)', 'type=EOE msg=audit(1640027821.949:151316): ', { hostname: undefined, time: 1640027821949, extra: { type: 'EOE', serial: '151316' } }],
    ['unknown record type number', 'type=UNKNOWN[1334] msg=audit(1521757638.392:262332): pid=1 uid=0', { hostname: undefined, time: 1521757638392, extra: { type: 'UNKNOWN[1334]', serial: '262332' } }],
    ['a non-3-digit fraction is read as a decimal fraction', 'type=X msg=audit(1.5:1): y', { hostname: undefined, time: 1500, extra: { type: 'X', serial: '1' } }],
  ] as const)('%s', (_n, line, fields) => {
    expect(parse(line)).toStrictEqual({ ok: true, value: { ...base, ...fields, msg: line } });
  });

  it('msg is the whole line, enriched suffixes and all, minus the line ending', () => {
    const line = 'type=LOGIN msg=audit(1640027821.949:151316): pid=72605 uid=0 res=1\x1dUID="root" AUID="root"';
    expect(parse(`${line}\n`)).toMatchObject({ ok: true, value: { msg: line } });
  });

  it('invalid UTF-8 in the record does not fail', () => {
    const frame = new Uint8Array([...enc('type=TTY msg=audit(1.000:2): data='), 0xff, 0xfe]);
    expect(parse(frame)).toMatchObject({ ok: true, value: { msg: 'type=TTY msg=audit(1.000:2): data=\ufffd\ufffd' } });
  });
});

describe('auditd errors', () => {
  it.each([
    ['empty', '', 'empty'],
    ['no type=', 'msg=audit(1.2:3): x', 'bad-audit-record'],
    ['node= without value', 'node= type=X msg=audit(1.2:3): x', 'bad-audit-record'],
    ['node= only', 'node=host', 'bad-audit-record'],
    ['type without msg', 'type=DAEMON_START', 'bad-audit-record'],
    ['empty type', 'type= msg=audit(1.2:3): x', 'bad-audit-record'],
    ['not msg=audit(', 'type=X msg=foo', 'bad-audit-record'],
    ['missing serial', 'type=X msg=audit(1700000000.123): x', 'bad-audit-record'],
    ['missing fraction', 'type=X msg=audit(1700000000:5): x', 'bad-audit-record'],
    ['missing ): after serial', 'type=X msg=audit(1700000000.123:5) x', 'bad-audit-record'],
    // auditd's own DAEMON_CONFIG lines (go-libaudit testdata) have `msg=audit(...)` without the colon.
    ['no colon after the stamp', 'type=DAEMON_CONFIG msg=audit(1490239800.477:34) config changed', 'bad-audit-record'],
    ['kernel `msg=?`', 'type=UNKNOWN[1329] msg=?', 'bad-audit-record'],
  ] as const)('%s → %s', (_n, line, type) => {
    const r = parse(line);
    expect(r.ok ? 'ok' : r.error.type).toBe(type);
  });
});

describe('auditd.detect', () => {
  it.each([
    ['type=SYSCALL msg=audit(1.2:3): x', true],
    ['node=h type=SYSCALL msg=audit(1.2:3): x', true],
    ['Nov 26 10:00:00 h audispd: node=h type=SYSCALL msg=audit(1.2:3): x', false], // a 3164 record whose msg is an audit line
    ['<13>type=X', false],
    ['typo=X', false],
    ['', false],
  ] as const)('%j → %s', (line, expected) => expect(auditd.detect(enc(line))).toBe(expected));
});

it('auditd never throws on arbitrary bytes', () => {
  const isTyped = (r: ReturnType<typeof parse>): boolean => r.ok || (UNPARSED_REASONS as readonly string[]).includes(r.error.type);
  fc.assert(fc.property(fc.constantFrom('', 'type=', 'node=h type=', 'type=X msg=audit(', 'type=X msg=audit(1.2:'), fc.uint8Array({ maxLength: 120 }),
    (prefix, tail) => isTyped(parse(new Uint8Array([...enc(prefix), ...tail])))), { numRuns: 3000 });
});
