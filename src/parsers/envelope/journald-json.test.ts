// Table tests for `journalctl -o json` lines: field mapping, binary and multi-valued MESSAGE, extras,
// bad-json; plus the realistic fixture files under test/fixtures/corpora/journald-json/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UNPARSED_REASONS } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { journald } from './journald-json.js';

const CTX: ParseContext = { receivedAt: Date.UTC(2024, 10, 26, 12), timezone: 'UTC' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (s: string | Uint8Array) => journald.parse(typeof s === 'string' ? enc(s) : s, CTX);
const FIXTURES = new URL('../../../test/fixtures/corpora/journald-json/', import.meta.url);
const fixtureLines = (name: string): string[] => readFileSync(new URL(name, FIXTURES), 'utf8').split('\n').filter((l) => l !== '');

const base = { format: 'journald', msgid: undefined, structuredData: undefined, deviceSeq: undefined } as const;

describe('journald fields', () => {
  it('maps the envelope fields and keeps the rest as strings', () => {
    const line = JSON.stringify({
      __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1732615200123456', __MONOTONIC_TIMESTAMP: '448743373', _BOOT_ID: 'b0',
      PRIORITY: '5', SYSLOG_FACILITY: '10', SYSLOG_IDENTIFIER: 'sudo', _COMM: 'sudo', _PID: '4242', _UID: '1000', _AUDIT_SESSION: '5',
      _SYSTEMD_UNIT: 'session-5.scope', _HOSTNAME: 'web-01', _SOURCE_REALTIME_TIMESTAMP: '1732615200120001', MESSAGE: 'alice : COMMAND=/bin/ls',
    });
    expect(parse(line)).toStrictEqual({
      ok: true,
      value: {
        ...base, facility: 10, severity: 5, time: 1732615200123, timeQuality: 'exact', hostname: 'web-01', app: 'sudo', procid: '4242',
        msg: 'alice : COMMAND=/bin/ls',
        extra: {
          __REALTIME_TIMESTAMP: '1732615200123456', __MONOTONIC_TIMESTAMP: '448743373', _BOOT_ID: 'b0', _COMM: 'sudo', _UID: '1000',
          _AUDIT_SESSION: '5', _SYSTEMD_UNIT: 'session-5.scope', _SOURCE_REALTIME_TIMESTAMP: '1732615200120001',
        },
      },
    });
  });

  it('app falls back to _COMM, procid to SYSLOG_PID', () => {
    const r = parse(JSON.stringify({ MESSAGE: 'x', _COMM: 'python3', SYSLOG_PID: '77' }));
    expect(r).toMatchObject({ ok: true, value: { app: 'python3', procid: '77', extra: {} } });
  });

  it('a binary MESSAGE (byte array) is decoded lossily and kept', () => {
    const bytes = [...Buffer.from('\x1b[1mok\x1b[0m caf'), 0xe9, 0x20, 0xff];
    expect(parse(JSON.stringify({ MESSAGE: bytes }))).toMatchObject({ ok: true, value: { msg: '\x1b[1mok\x1b[0m caf\ufffd \ufffd' } });
  });

  it('a MESSAGE set twice keeps both values, one per line', () => {
    expect(parse(JSON.stringify({ MESSAGE: ['one', [116, 119, 111]] }))).toMatchObject({ ok: true, value: { msg: 'one\ntwo' } });
  });

  it('no MESSAGE, null MESSAGE → empty msg', () => {
    expect(parse('{"_HOSTNAME":"h"}')).toMatchObject({ ok: true, value: { msg: '', hostname: 'h' } });
    expect(parse('{"MESSAGE":null}')).toMatchObject({ ok: true, value: { msg: '' } });
  });

  it('numbers and booleans are stringified; null, multi-valued, object and non-journal field names are dropped', () => {
    const r = parse(JSON.stringify({ MESSAGE: 'm', N: 5, B: true, Z: null, MULTI: ['a', 'b'], OBJ: { a: 1 }, lower: 'x', ['__proto__']: 'p', BIN: [104, 105] }));
    expect(r.ok && { ...r.value.extra }).toEqual({ N: '5', B: 'true', BIN: 'hi' });
  });

  it.each([
    ['PRIORITY out of range', { PRIORITY: '8' }, { severity: undefined }],
    ['PRIORITY not a number', { PRIORITY: 'x' }, { severity: undefined }],
    ['SYSLOG_FACILITY 23', { SYSLOG_FACILITY: '23' }, { facility: 23 }],
    ['SYSLOG_FACILITY 24', { SYSLOG_FACILITY: '24' }, { facility: undefined }],
    ['bad __REALTIME_TIMESTAMP', { __REALTIME_TIMESTAMP: '12x' }, { time: undefined, timeQuality: undefined }],
  ] as const)('%s', (_n, fields, expected) => {
    expect(parse(JSON.stringify({ MESSAGE: 'm', ...fields }))).toMatchObject({ ok: true, value: expected });
  });

  it('one trailing newline and surrounding whitespace are fine', () => {
    expect(parse('  {"MESSAGE":"m"}\n')).toMatchObject({ ok: true, value: { msg: 'm' } });
  });
});

describe('journald errors', () => {
  it.each([
    ['empty', '', 'empty'],
    ['truncated JSON', '{"MESSAGE":"m"', 'bad-json'],
    ['array', '[1,2]', 'bad-json'],
    ['a JSON string', '"x"', 'bad-json'],
    ['two objects', '{}{}', 'bad-json'],
    ['an object without journal fields', '{ "user": "root" }', 'no-envelope'],
    ['an empty object', '{}', 'no-envelope'],
  ] as const)('%s → %s', (_n, line, type) => {
    const r = parse(line);
    expect(r.ok ? 'ok' : r.error.type).toBe(type);
  });

  it('never throws on arbitrary bytes or JSON values', () => {
    const isTyped = (r: ReturnType<typeof parse>): boolean => r.ok || (UNPARSED_REASONS as readonly string[]).includes(r.error.type);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => isTyped(parse(new Uint8Array([0x7b, ...b])))), { numRuns: 2000 });
    fc.assert(fc.property(fc.jsonValue(), (v) => isTyped(parse(JSON.stringify(v) ?? 'null'))), { numRuns: 2000 });
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('MESSAGE', '_PID', 'PRIORITY', '__REALTIME_TIMESTAMP', '_HOSTNAME', 'X'), fc.jsonValue()),
      (o) => isTyped(parse(JSON.stringify(o)))), { numRuns: 2000 });
  });
});

describe('journald fixtures', () => {
  it('tlog-journal-good.json (converted from journal export format): every line parses', () => {
    const results = fixtureLines('tlog-journal-good.json').map((l) => parse(l));
    expect(results.length).toBe(58);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[2]).toMatchObject({
      ok: true,
      value: { hostname: 'mytesthost.example.test', app: 'sshd', procid: '1515', severity: 6, facility: 10, msg: 'Accepted password for localuser1 from ::1 port 54432 ssh2' },
    });
    const su = results.find((r) => r.ok && r.value.msg.startsWith('FAILED SU'));
    expect(su?.ok && new Date(su.value.time ?? 0).toISOString()).toBe('2018-11-28T19:26:30.519Z') // __REALTIME_TIMESTAMP 1543433190519915 µs, truncated to ms;
    expect(su?.ok && su.value.extra?._AUDIT_SESSION).toBe('5');
  });

  it('handwritten.json: binary, kernel, _COMM fallback, null and multi-valued fields', () => {
    const r = fixtureLines('handwritten.json').map((l) => parse(l));
    expect(r.every((x) => x.ok)).toBe(true);
    const v = r.map((x) => (x.ok ? x.value : undefined));
    expect(v[0]).toMatchObject({ app: 'sudo', procid: '4242', severity: 5, facility: 10, hostname: 'web-01.example.net', extra: { _AUDIT_SESSION: '5', _SYSTEMD_UNIT: 'session-5.scope' } });
    expect(v[0]?.extra).not.toHaveProperty('__CURSOR');
    expect(v[1]?.msg).toBe('\x1b[1mcopied\x1b[0m /srv/caf\ufffd \ufffd done');
    expect(v[2]).toMatchObject({ app: 'kernel', procid: undefined, facility: 0, severity: 4, time: 1732615202500 });
    expect(v[3]).toMatchObject({ app: 'python3', procid: '6060', msg: expect.stringContaining('\nTraceback') });
    expect(v[4]?.extra).not.toHaveProperty('COREDUMP');
    expect(v[4]?.extra).not.toHaveProperty('DOCUMENTATION');
    expect(v[4]?.extra?.COREDUMP_SIGNAL_NAME).toBe('SIGSEGV');
    expect(v[5]).toMatchObject({ app: 'sshd', procid: '8080', extra: { SYSLOG_PID: '8080' } });
  });
});
