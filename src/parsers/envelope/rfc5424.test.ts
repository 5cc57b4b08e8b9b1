// Table tests for the RFC 5424 parser: every header field, NILVALUEs, timestamps, STRUCTURED-DATA
// escapes, BOM handling, and one case per ParseError type; plus a property test on arbitrary bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UNPARSED_REASONS, type Envelope, type UnparsedReason } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { rfc5424 } from './rfc5424.js';

const CTX: ParseContext = { receivedAt: Date.UTC(2024, 10, 26, 12), timezone: 'UTC' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
/** A NIL header followed by raw MSG bytes. */
const nilThen = (msgHex: string): Uint8Array => new Uint8Array([...enc('<13>1 - - - - - - '), ...hex(msgHex)]);
const parse = (input: string | Uint8Array) => rfc5424.parse(typeof input === 'string' ? enc(input) : input, CTX);
const iso = (s: string): number => Date.parse(s);

const NIL = {
  format: 'rfc5424',
  time: undefined,
  timeQuality: undefined,
  hostname: undefined,
  app: undefined,
  procid: undefined,
  msgid: undefined,
  structuredData: undefined,
} as const;

describe('rfc5424 valid messages', () => {
  const cases: [string, string | Uint8Array, Partial<Envelope>][] = [
    ['all NILVALUEs, no MSG', '<13>1 - - - - - -', { ...NIL, facility: 1, severity: 5, msg: '' }],
    ['PRI 0', '<0>1 - - - - - -', { ...NIL, facility: 0, severity: 0, msg: '' }],
    ['PRI 191', '<191>1 - - - - - -', { ...NIL, facility: 23, severity: 7, msg: '' }],
    ['empty MSG after SP', '<13>1 - - - - - - ', { ...NIL, facility: 1, severity: 5, msg: '' }],
    [
      'RFC 5424 §6.5 example 1 (no SD, BOM-less MSG)',
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8",
      {
        format: 'rfc5424', facility: 4, severity: 2, time: iso('2003-10-11T22:14:15.003Z'), timeQuality: 'exact',
        hostname: 'mymachine.example.com', app: 'su', procid: undefined, msgid: 'ID47', structuredData: undefined,
        msg: "'su root' failed for lonvick on /dev/pts/8",
      },
    ],
    [
      'RFC 5424 §6.5 example 2: microseconds and negative offset',
      '<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.',
      {
        format: 'rfc5424', facility: 20, severity: 5, time: iso('2003-08-24T12:14:15.000Z'), timeQuality: 'exact',
        hostname: '192.0.2.1', app: 'myproc', procid: '8710', msgid: undefined, msg: "%% It's time to make the do-nuts.",
      },
    ],
    [
      'RFC 5424 §6.5 example 4: two SD elements, no MSG',
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
      {
        format: 'rfc5424', facility: 20, severity: 5, time: iso('2003-10-11T22:14:15.003Z'), timeQuality: 'exact',
        hostname: 'mymachine.example.com', app: 'evntslog', procid: undefined, msgid: 'ID47',
        structuredData: [
          { id: 'exampleSDID@32473', params: [['iut', '3'], ['eventSource', 'Application'], ['eventID', '1011']] },
          { id: 'examplePriority@32473', params: [['class', 'high']] },
        ],
        msg: '',
      },
    ],
    [
      'JunOS structured-data format (UI_COMMIT)',
      "<189>1 2024-11-26T10:00:00.123+01:00 mx1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"alice\" command=\"commit\"] User 'alice' requested 'commit' operation (comment: none)",
      {
        format: 'rfc5424', facility: 23, severity: 5, time: iso('2024-11-26T09:00:00.123Z'), timeQuality: 'exact',
        hostname: 'mx1', app: 'mgd', procid: '1234', msgid: 'UI_COMMIT',
        structuredData: [{ id: 'junos@2636.1.1.1.2.18', params: [['username', 'alice'], ['command', 'commit']] }],
        msg: "User 'alice' requested 'commit' operation (comment: none)",
      },
    ],
    [
      'SD escapes \\" \\\\ \\] are decoded; an invalid escape keeps its backslash (§6.3.3)',
      '<13>1 - h a - - [x@1 q="say \\"hi\\"" b="C:\\\\dir" r="[a\\]" n="\\n"] m',
      {
        ...NIL, facility: 1, severity: 5, hostname: 'h', app: 'a',
        structuredData: [{ id: 'x@1', params: [['q', 'say "hi"'], ['b', 'C:\\dir'], ['r', '[a]'], ['n', '\\n']] }],
        msg: 'm',
      },
    ],
    [
      'SD: element without params, empty value, repeated param name, UTF-8 value',
      '<13>1 - - - - - [a][b@1 k="" k="κόσμε"] x',
      {
        ...NIL, facility: 1, severity: 5,
        structuredData: [{ id: 'a', params: [] }, { id: 'b@1', params: [['k', ''], ['k', 'κόσμε']] }],
        msg: 'x',
      },
    ],
    ['BOM is stripped from MSG', nilThen('efbbbf68c3a96c6c6f'), { ...NIL, facility: 1, severity: 5, msg: 'héllo' }],
    ['BOM only', nilThen('efbbbf'), { ...NIL, facility: 1, severity: 5, msg: '' }],
    ['a BOM not at the start stays', nilThen('78efbbbf'), { ...NIL, facility: 1, severity: 5, msg: 'x\ufeff' }],
    ['invalid UTF-8 in MSG decodes to U+FFFD', nilThen('66fc20c328'), { ...NIL, facility: 1, severity: 5, msg: 'f\ufffd \ufffd(' }],
    // §6.3.5 example 3 calls this SD invalid; syntactically the part after the SP is MSG, as here.
    ['SP between SD elements: the second one is MSG', '<13>1 - - - - - [a x="1"] [b y="2"]', {
      ...NIL, facility: 1, severity: 5, structuredData: [{ id: 'a', params: [['x', '1']] }], msg: '[b y="2"]',
    }],
    ['newline inside MSG stays', '<13>1 - - - - - - x\ny', { ...NIL, facility: 1, severity: 5, msg: 'x\ny' }],
    ['one trailing LF is removed', '<13>1 - - - - - - line\n', { ...NIL, facility: 1, severity: 5, msg: 'line' }],
    ['one trailing CRLF is removed, a second stays', '<13>1 - - - - - - line\r\n\r\n', { ...NIL, facility: 1, severity: 5, msg: 'line\r\n' }],
    ['trailing NULs are removed', '<13>1 - - - - - - nul\n\0\0', { ...NIL, facility: 1, severity: 5, msg: 'nul' }],
    ['trailing LF right after SD', '<13>1 - - - - - -\n', { ...NIL, facility: 1, severity: 5, msg: '' }],
    ['VERSION up to 999 is accepted by parse()', '<13>999 - host - - - -', { ...NIL, facility: 1, severity: 5, hostname: 'host', msg: '' }],
    ['timestamp without fraction, Z', '<13>1 2024-02-29T23:59:59Z - - - - -', { ...NIL, facility: 1, severity: 5, time: iso('2024-02-29T23:59:59Z'), timeQuality: 'exact', msg: '' }],
    ['fraction of 1 and 2 digits', '<13>1 2024-01-01T00:00:00.5+05:30 - - - - -', { ...NIL, facility: 1, severity: 5, time: iso('2023-12-31T18:30:00.500Z'), timeQuality: 'exact', msg: '' }],
    ['6-digit fraction truncates to ms', '<13>1 1985-04-12T23:20:50.529999Z - - - - -', { ...NIL, facility: 1, severity: 5, time: iso('1985-04-12T23:20:50.529Z'), timeQuality: 'exact', msg: '' }],
    ['offset -23:59 is allowed', '<13>1 2018-12-31T23:59:59.999999-23:59 - - - - -', { ...NIL, facility: 1, severity: 5, time: iso('2019-01-01T23:58:59.999Z'), timeQuality: 'exact', msg: '' }],
    ['max-length fields', `<13>1 - ${'h'.repeat(255)} ${'a'.repeat(48)} ${'p'.repeat(128)} ${'m'.repeat(32)} -`, {
      ...NIL, facility: 1, severity: 5, hostname: 'h'.repeat(255), app: 'a'.repeat(48), procid: 'p'.repeat(128), msgid: 'm'.repeat(32), msg: '',
    }],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const r = parse(input);
    expect(r).toEqual({ ok: true, value: expected });
  });

  it('returns exactly the Envelope keys, with absent fields undefined', () => {
    const r = parse('<13>1 - - - - - - m');
    expect(r.ok && Object.keys(r.value).sort()).toEqual(
      ['app', 'deviceSeq', 'extra', 'facility', 'format', 'hostname', 'msg', 'msgid', 'procid', 'severity', 'structuredData', 'time', 'timeQuality'],
    );
  });

  it('reads a frame that is a view into a larger buffer', () => {
    const big = enc('xxxx<13>1 - h a - - - hello yyyy');
    const view = big.subarray(4, big.length - 5);
    expect(rfc5424.parse(view, CTX)).toMatchObject({ ok: true, value: { hostname: 'h', app: 'a', msg: 'hello' } });
  });
});

describe('rfc5424 errors', () => {
  const cases: [string, string | Uint8Array, UnparsedReason][] = [
    ['empty frame', '', 'empty'],
    ['no PRI', '1 - - - - - -', 'bad-pri'],
    ['PRI overflow 192', '<192>1 - - - - - -', 'bad-pri'],
    ['PRI 4 digits', '<1000>1 - - - - - -', 'bad-pri'],
    ['negative PRI', '<-1>1 - - - - - -', 'bad-pri'],
    ['PRI leading zero', '<013>1 - - - - - -', 'bad-pri'],
    ['PRI 00', '<00>1 - - - - - -', 'bad-pri'],
    ['PRI missing >', '<13 1 - - - - - -', 'bad-pri'],
    ['PRI empty', '<>1 - - - - - -', 'bad-pri'],
    ['PRI not digits', '<aaa>1 - - - - - -', 'bad-pri'],
    ['VERSION 0', '<13>0 - - - - - -', 'bad-version'],
    ['VERSION 1000', '<13>1000 - - - - - -', 'bad-version'],
    ['VERSION letter', '<13>a - - - - - -', 'bad-version'],
    ['VERSION then end', '<13>1', 'bad-version'],
    ['VERSION not followed by SP', '<13>1a - - - - - -', 'bad-version'],
    ['missing VERSION (BSD timestamp)', '<13>Nov 26 10:00:00 host app: x', 'bad-version'],
    ['lowercase t', '<13>1 2006-01-02t15:04:05Z - - - - -', 'bad-timestamp'],
    ['lowercase z', '<13>1 2006-01-02T15:04:05z - - - - -', 'bad-timestamp'],
    ['no offset', '<13>1 2006-01-02T15:04:05 - - - - -', 'bad-timestamp'],
    ['offset hour 24', '<13>1 2003-08-24T05:14:15.000003-24:00 - - - - -', 'bad-timestamp'],
    ['offset minute 60', '<13>1 2003-08-24T05:14:15-07:60 - - - - -', 'bad-timestamp'],
    ['offset without colon', '<13>1 2003-08-24T05:14:15+0100 - - - - -', 'bad-timestamp'],
    ['7 fraction digits', '<13>1 2003-09-29T22:09:01.0000001Z - - - - -', 'bad-timestamp'],
    ['empty fraction', '<13>1 2003-09-29T22:09:01.Z - - - - -', 'bad-timestamp'],
    ['leap second', '<13>1 2016-12-31T23:59:60Z - - - - -', 'bad-timestamp'],
    ['29 Feb in a common year', '<13>1 2018-02-29T22:14:16+01:00 - - - - -', 'bad-timestamp'],
    ['31 Sep', '<13>1 2003-09-31T22:14:16Z - - - - -', 'bad-timestamp'],
    ['hour 24', '<13>1 2003-09-29T24:00:00Z - - - - -', 'bad-timestamp'],
    ['junk after timestamp', '<13>1 2006-01-02T15:04:05Z+07:00 - - - - -', 'bad-timestamp'],
    ['NIL timestamp without SP', '<13>1 -- - - - -', 'bad-timestamp'],
    ['truncated timestamp', '<13>1 2013-', 'bad-timestamp'],
    ['HOSTNAME 256 bytes', `<13>1 - ${'h'.repeat(256)} - - - -`, 'bad-header'],
    ['APP-NAME 49 bytes', `<13>1 - - ${'a'.repeat(49)} - - -`, 'bad-header'],
    ['PROCID 129 bytes', `<13>1 - - - ${'p'.repeat(129)} - -`, 'bad-header'],
    ['MSGID 33 bytes', `<13>1 - - - - ${'m'.repeat(33)} -`, 'bad-header'],
    ['empty HOSTNAME (two SPs)', '<13>1 -  - - - -', 'bad-header'],
    ['non-ASCII HOSTNAME', '<13>1 - hé - - - -', 'bad-header'],
    ['newline in APP-NAME', '<13>1 - - a\nb - - -', 'bad-header'],
    ['header ends before STRUCTURED-DATA', '<13>1 - - - - -', 'bad-header'],
    ['STRUCTURED-DATA missing', '<13>1 - - - - - hello', 'bad-structured-data'],
    ['empty SD element', '<13>1 - - - - - []', 'bad-structured-data'],
    ['SD-ID with space first', '<13>1 - - - - - [ id]', 'bad-structured-data'],
    ['SD-ID 33 bytes', `<13>1 - - - - - [${'i'.repeat(33)}]`, 'bad-structured-data'],
    ['PARAM-NAME 33 bytes', `<13>1 - - - - - [id ${'k'.repeat(33)}="v"]`, 'bad-structured-data'],
    ['unterminated element', '<13>1 - - - - - [id k="v"', 'bad-structured-data'],
    ['unterminated value', '<13>1 - - - - - [id k="v]', 'bad-structured-data'],
    ['unescaped ] in value', '<13>1 - - - - - [id k="a]b"] m', 'bad-structured-data'],
    ['unescaped " in value', '<13>1 - - - - - [id k="a"b"] m', 'bad-structured-data'],
    ['value without quotes', '<13>1 - - - - - [id k=v] m', 'bad-structured-data'],
    ['space after =', '<13>1 - - - - - [id k= "v"] m', 'bad-structured-data'],
    ['duplicate SD-ID', '<13>1 - - - - - [dupe e="1"][id1][dupe c="l"]', 'bad-structured-data'],
    ['no SP between SD and MSG', '<13>1 - - - - - [a]msg', 'bad-structured-data'],
    ['second message on the next line', '<1>1 - - - - - -\n\t\t<2>1 - - - - - -', 'bad-structured-data'],
  ];
  it.each(cases)('%s → %s', (_name, input, type) => {
    const r = parse(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.type).toBe(type);
      expect(r.error.message.length).toBeGreaterThan(0);
    }
  });
});

describe('rfc5424.detect', () => {
  it.each([
    ['<13>1 - - - - - -', true],
    ['<191>1 2024-01-01T00:00:00Z h a p m - x', true],
    ['<13>Nov 26 10:00:00 host app: x', false],
    ['<13>10 - - - - - -', false], // only VERSION 1 is claimed; 3164 gets `<13>10 files`
    ['<13>1x', false],
    ['<13>', false],
    ['1 - - -', false],
    ['', false],
  ] as const)('%j → %s', (input, expected) => {
    expect(rfc5424.detect(enc(input))).toBe(expected);
  });
});

describe('rfc5424 never throws', () => {
  const isTyped = (r: ReturnType<typeof parse>): boolean => r.ok || (UNPARSED_REASONS as readonly string[]).includes(r.error.type);
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => isTyped(rfc5424.parse(bytes, CTX))), { numRuns: 3000 });
  });
  it('on arbitrary bytes after a valid header prefix', () => {
    const prefixes = ['<13>1 ', '<13>1 2024-01-01T00:00:00Z h a p m ', '<13>1 - - - - - [id k="', '<13>1 - - - - - -'];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), (prefix, tail) => {
        const frame = new Uint8Array([...enc(prefix), ...tail]);
        return isTyped(rfc5424.parse(frame, CTX));
      }),
      { numRuns: 3000 },
    );
  });
  it('on strings built from syslog-ish tokens', () => {
    const tok = fc.constantFrom('<', '>', '13', '1', ' ', '-', '[', ']', '"', '\\', '=', 'id', 'k', '2024-01-01T00:00:00Z', '\ufeff', 'é', '\n');
    fc.assert(fc.property(fc.array(tok, { maxLength: 40 }), (parts) => isTyped(parse(parts.join('')))), { numRuns: 3000 });
  });
});
