// Tests for the registry: detection order, format hints, 'empty' and 'no-envelope', detectFileFormat's
// vote, and that parseEnvelope returns ok or a typed error for any bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UNPARSED_REASONS } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { detectFileFormat, ENVELOPE_PARSERS, parseEnvelope } from './index.js';

const CTX: ParseContext = { receivedAt: Date.UTC(2024, 10, 26, 12), timezone: 'UTC' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const run = (s: string, hint?: Parameters<typeof parseEnvelope>[2]) => parseEnvelope(enc(s), CTX, hint);
const formatOf = (s: string, hint?: Parameters<typeof parseEnvelope>[2]): string => {
  const r = run(s, hint);
  return r.ok ? r.value.format : `error:${r.error.type}`;
};

describe('parseEnvelope', () => {
  it('tries journald, auditd, rfc5424, rfc3164 in that order', () => {
    expect(ENVELOPE_PARSERS.map((p) => p.id)).toEqual(['journald', 'auditd', 'rfc5424', 'rfc3164']);
  });

  it.each([
    ['{"MESSAGE":"m"}', 'journald'],
    ['  {"MESSAGE":"m"}', 'journald'],
    ['type=SYSCALL msg=audit(1700000000.123:1): x', 'auditd'],
    ['node=h type=SYSCALL msg=audit(1700000000.123:1): x', 'auditd'],
    ['<13>1 - - - - - - m', 'rfc5424'],
    ['<13>Nov 26 10:00:00 h a: m', 'rfc3164'],
    ['<13>10 files deleted', 'rfc3164'],
    ['Nov 26 10:00:00 h audispd: node=h type=SYSCALL msg=audit(1.2:3): x', 'rfc3164'],
    ['<189>123: *Mar  1 00:00:01.123: %SYS-5-CONFIG_I: x', 'rfc3164'],
    ['hello world', 'error:no-envelope'],
    ['', 'error:empty'],
    [' \t\r\n', 'error:empty'],
    ['\0\0\0', 'error:empty'],
    ['<13>1 not-a-time - - - - -', 'error:bad-timestamp'], // detected as 5424: its error, no BSD re-read
    ['{"MESSAGE":', 'error:bad-json'],
    ['type=X msg=nope', 'error:bad-audit-record'],
    ['<999>Nov 26 10:00:00 h a: m', 'error:bad-pri'],
  ])('%j → %s', (line, expected) => expect(formatOf(line)).toBe(expected));

  it.each([
    ['syslog hint never picks journald/auditd', '{"MESSAGE":"m"}', 'syslog', 'error:no-envelope'],
    ['syslog hint: 5424', '<13>1 - - - - - - m', 'syslog', 'rfc5424'],
    ['syslog hint: 3164', 'Nov 26 10:00:00 h a: m', 'syslog', 'rfc3164'],
    ['auditd hint on a syslog line', 'Nov 26 10:00:00 h a: m', 'auditd', 'error:bad-audit-record'],
    ['auditd hint', 'type=X msg=audit(1.2:3): m', 'auditd', 'auditd'],
    ['journald hint on a syslog line', '<13>1 - - - - - - m', 'journald', 'error:bad-json'],
    ['journald hint', '{"MESSAGE":"m"}', 'journald', 'journald'],
    ['auto', '{"MESSAGE":"m"}', 'auto', 'journald'],
    ['empty beats any hint', '   ', 'journald', 'error:empty'],
  ] as const)('%s', (_n, line, hint, expected) => expect(formatOf(line, hint)).toBe(expected));

  it('accepts a Buffer and a plain Uint8Array view alike', () => {
    const line = '<13>Nov 26 10:00:00 h a: m';
    const fromBuffer = parseEnvelope(Buffer.from(line), CTX);
    const big = enc(`xx${line}yy`);
    const fromView = parseEnvelope(big.subarray(2, big.length - 2), CTX);
    expect(fromView).toEqual(fromBuffer);
  });

  it('never throws and always returns ok or a typed error', () => {
    const reasons = UNPARSED_REASONS as readonly string[];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('auto', 'syslog', 'auditd', 'journald'), (bytes, hint) => {
        const r = parseEnvelope(bytes, CTX, hint as 'auto');
        return r.ok ? typeof r.value.msg === 'string' : reasons.includes(r.error.type) && typeof r.error.message === 'string';
      }),
      { numRuns: 5000 },
    );
    const head = fc.constantFrom('', '<13>', '<13>1 ', '{', 'type=', 'node=x ', 'Nov 26 10:00:00 ', '123: ', '*Mar  1 ');
    fc.assert(fc.property(head, fc.string({ maxLength: 200 }), (h, s) => {
      const r = parseEnvelope(enc(h + s), CTX);
      return r.ok || reasons.includes(r.error.type);
    }), { numRuns: 5000 });
  });
});

describe('detectFileFormat', () => {
  it.each([
    ['RFC 3164 file', ['Nov 26 10:00:00 h sshd[1]: a', 'Nov 26 10:00:01 h sshd[1]: b', ''], 'rfc3164'],
    ['RFC 3164 with PRI', ['<13>Nov 26 10:00:00 h a: b'], 'rfc3164'],
    ['rsyslog RSYSLOG_FileFormat', ['2024-03-01T12:34:56.123456+01:00 web1 app[1]: hello'], 'rfc3164'],
    ['RFC 5424 file', ['<13>1 2024-01-01T00:00:00Z h a - - - x', '<13>1 2024-01-01T00:00:01Z h a - - - y'], 'rfc5424'],
    ['raw audit.log', ['type=SYSCALL msg=audit(1.2:3): a', 'type=EXECVE msg=audit(1.2:3): b', 'type=EOE msg=audit(1.2:3): '], 'auditd'],
    ['audit.log with node=', ['node=h type=SYSCALL msg=audit(1.2:3): a'], 'auditd'],
    ['journalctl -o json', ['{"MESSAGE":"a"}', '{"MESSAGE":"b"}'], 'journald'],
    ['a truncated first line does not decide', ['ost sshd[1]: a', 'Nov 26 10:00:00 h sshd[1]: a', 'Nov 26 10:00:01 h sshd[1]: b'], 'rfc3164'],
    ['mostly unrecognised', ['hello', 'world', 'Nov 26 10:00:00 h a: b'], 'unknown'],
    ['half recognised is enough', ['hello', 'Nov 26 10:00:00 h a: b'], 'rfc3164'],
    ['tie goes to the earlier parser', ['type=X msg=audit(1.2:3): a', 'Nov 26 10:00:00 h a: b'], 'auditd'],
    ['nothing but blanks', ['', '  '], 'unknown'],
    ['no lines', [], 'unknown'],
  ] as const)('%s → %s', (_n, lines, expected) => expect(detectFileFormat(lines)).toBe(expected));
});
