// Table tests for the BSD syslog parser: PRI and PRI-less lines, every timestamp form, the hostname
// heuristic, TAG forms, Cisco IOS/ASA and JunOS lines, year and zone inference, and each error type.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UNPARSED_REASONS, type Envelope, type UnparsedReason } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { rfc3164 } from './rfc3164.js';

const RECEIVED = Date.UTC(2024, 10, 26, 12, 0, 0); // 2024-11-26T12:00:00Z
const CTX: ParseContext = { receivedAt: RECEIVED, timezone: 'UTC' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (input: string | Uint8Array, ctx: ParseContext = CTX) => rfc3164.parse(typeof input === 'string' ? enc(input) : input, ctx);
const t = (s: string): number => Date.parse(s);

/** A full expected envelope: everything not given is undefined. */
function env(fields: Partial<Envelope> & { msg: string }): Envelope {
  return {
    format: 'rfc3164', facility: undefined, severity: undefined, time: undefined, timeQuality: undefined, hostname: undefined,
    app: undefined, procid: undefined, msgid: undefined, structuredData: undefined, deviceSeq: undefined, extra: undefined,
    ...fields,
  };
}

function expectOk(input: string | Uint8Array, expected: Envelope, ctx: ParseContext = CTX): void {
  const r = parse(input, ctx);
  expect(r).toStrictEqual({ ok: true, value: expected });
}

const YZ = 'inferred-year-zone' as const;

describe('BSD header forms', () => {
  const cases: [string, string, Envelope][] = [
    ['RFC 3164 §5.4 example', "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      env({ facility: 4, severity: 2, time: t('2024-10-11T22:14:15Z'), timeQuality: YZ, hostname: 'mymachine', app: 'su', msg: "'su root' failed for lonvick on /dev/pts/8" })],
    ['day not padded', '<13>Nov 6 10:00:00 host app: x', env({ facility: 1, severity: 5, time: t('2024-11-06T10:00:00Z'), timeQuality: YZ, hostname: 'host', app: 'app', msg: 'x' })],
    ['day space-padded', '<13>Nov  6 10:00:00 host app: x', env({ facility: 1, severity: 5, time: t('2024-11-06T10:00:00Z'), timeQuality: YZ, hostname: 'host', app: 'app', msg: 'x' })],
    ['month in capitals', '<13>NOV 26 10:00:00 host app: x', env({ facility: 1, severity: 5, time: t('2024-11-26T10:00:00Z'), timeQuality: YZ, hostname: 'host', app: 'app', msg: 'x' })],
    ['with year: Mmm dd yyyy hh:mm:ss', '<13>Nov 26 2023 10:00:00 host app: x',
      env({ facility: 1, severity: 5, time: t('2023-11-26T10:00:00Z'), timeQuality: 'inferred-zone', hostname: 'host', app: 'app', msg: 'x' })],
    ['with year and a colon after the time', '<167>Mar 7 2008 19:06:53: example tag: testmessage',
      env({ facility: 20, severity: 7, time: t('2008-03-07T19:06:53Z'), timeQuality: 'inferred-zone', hostname: 'example', app: 'tag', msg: 'testmessage' })],
    ['syslog-ng $YEAR form: yyyy Mmm dd', '2015 Nov 13 13:40:01 ether rsyslogd-2177: imuxsock begins to drop messages',
      env({ time: t('2015-11-13T13:40:01Z'), timeQuality: 'inferred-zone', hostname: 'ether', app: 'rsyslogd-2177', msg: 'imuxsock begins to drop messages' })],
    ['rsyslog high-precision (RSYSLOG_ForwardFormat)', '<13>2024-03-01T12:34:56.123456+01:00 web1 app[1]: hello',
      env({ facility: 1, severity: 5, time: t('2024-03-01T11:34:56.123Z'), timeQuality: 'exact', hostname: 'web1', app: 'app', procid: '1', msg: 'hello' })],
    ['rsyslog RSYSLOG_FileFormat (no PRI)', '2024-03-01T12:34:56.123456+01:00 web1 app[1]: hello',
      env({ time: t('2024-03-01T11:34:56.123Z'), timeQuality: 'exact', hostname: 'web1', app: 'app', procid: '1', msg: 'hello' })],
    ['RFC 3339 with Z', '<14>2017-05-21T00:00:01.123Z hostname.domain Hostd: verbose hostd[81480B70]',
      env({ facility: 1, severity: 6, time: t('2017-05-21T00:00:01.123Z'), timeQuality: 'exact', hostname: 'hostname.domain', app: 'Hostd', msg: 'verbose hostd[81480B70]' })],
    ['RFC 3339 without offset uses the configured zone', '<13>2024-01-01T00:00:00 h app: b',
      env({ facility: 1, severity: 5, time: t('2024-01-01T00:00:00Z'), timeQuality: 'inferred-zone', hostname: 'h', app: 'app', msg: 'b' })],
    ['macOS syslog style (space for T, ±hhmm)', '2020-03-23 06:47:42.801612-0700  localhost sshd[3186]: error: PAM: unknown user',
      env({ time: t('2020-03-23T13:47:42.801Z'), timeQuality: 'exact', hostname: 'localhost', app: 'sshd', procid: '3186', msg: 'error: PAM: unknown user' })],
    ['no PRI (a line from /var/log/auth.log)', 'Nov 26 10:00:00 host sshd[42]: Accepted publickey for alice',
      env({ time: t('2024-11-26T10:00:00Z'), timeQuality: YZ, hostname: 'host', app: 'sshd', procid: '42', msg: 'Accepted publickey for alice' })],
    ['space after PRI', '<38> Mar  7 19:06:53 example tag: testmessage',
      env({ facility: 4, severity: 6, time: t('2025-03-07T19:06:53Z'), timeQuality: YZ, hostname: 'example', app: 'tag', msg: 'testmessage' })],
    ['leading space, no PRI', ' Apr 14 19:18:56 mozart in.telnetd[11634]: connect from 192.168.11.200',
      env({ time: t('2025-04-14T19:18:56Z'), timeQuality: YZ, hostname: 'mozart', app: 'in.telnetd', procid: '11634', msg: 'connect from 192.168.11.200' })],
    ['PRI and no timestamp: tag only', '<27>xapi: [error|xen3|15] Connection to master died.',
      env({ facility: 3, severity: 3, app: 'xapi', msg: '[error|xen3|15] Connection to master died.' })],
    ['PRI and free text only', '<13>last message repeated 5 times', env({ facility: 1, severity: 5, msg: 'last message repeated 5 times' })],
    ['PRI only', '<13>', env({ facility: 1, severity: 5, msg: '' })],
    ['timestamp only', '<14>Aug 30 23:00:05', env({ facility: 1, severity: 6, time: t('2024-08-30T23:00:05Z'), timeQuality: YZ, msg: '' })],
  ];
  it.each(cases)('%s', (_n, input, expected) => expectOk(input, expected));
});

describe('HOSTNAME heuristic and TAG forms', () => {
  const ts = { time: t('2024-11-26T10:00:00Z'), timeQuality: YZ } as const;
  const cases: [string, string, Envelope][] = [
    ['missing hostname does not swallow the tag', '<13>Nov 26 10:00:00 sshd[42]: msg', env({ facility: 1, severity: 5, ...ts, app: 'sshd', procid: '42', msg: 'msg' })],
    ['missing hostname, tag without pid', '<13>Nov 26 10:00:00 kernel: [ 1.234] eth0 up', env({ facility: 1, severity: 5, ...ts, app: 'kernel', msg: '[ 1.234] eth0 up' })],
    ['host + app[pid]:', '<13>Nov 26 10:00:00 web-01 sshd[42]: msg', env({ facility: 1, severity: 5, ...ts, hostname: 'web-01', app: 'sshd', procid: '42', msg: 'msg' })],
    ['tag with slash and parentheses', 'Nov 26 10:00:00 mail postfix/smtpd[123]: connect', env({ ...ts, hostname: 'mail', app: 'postfix/smtpd', procid: '123', msg: 'connect' })],
    ['old RedHat tag', 'Nov 26 10:00:00 combo sshd(pam_unix)[19939]: check pass; user unknown', env({ ...ts, hostname: 'combo', app: 'sshd(pam_unix)', procid: '19939', msg: 'check pass; user unknown' })],
    ['text right after ]:', 'Nov 26 10:00:00 h app[7]:msg', env({ ...ts, hostname: 'h', app: 'app', procid: '7', msg: 'msg' })],
    ['only one space after the colon is dropped', 'Nov 26 10:00:00 h tag:  two', env({ ...ts, hostname: 'h', app: 'tag', msg: ' two' })],
    ['tag at end of line', 'Nov 26 10:00:00 h tag4:', env({ ...ts, hostname: 'h', app: 'tag4', msg: '' })],
    ['name:text is not a tag', 'Nov 26 10:00:00 10.1.1.1 tag:msgnum:3', env({ ...ts, hostname: '10.1.1.1', msg: 'tag:msgnum:3' })],
    ['plain word + non-tag: no hostname', '<13>Nov 26 10:00:00 host tag This msg', env({ facility: 1, severity: 5, ...ts, msg: 'host tag This msg' })],
    ['mixed letters/digits/dashes: hostname without tag', '<166>Nov 26 10:00:00 ABC-1-234567 Some message here',
      env({ facility: 20, severity: 6, ...ts, hostname: 'ABC-1-234567', msg: 'Some message here' })],
    ['IPv4 hostname without tag', '<13>Nov 26 10:00:00 10.0.0.99 Use the BFG!', env({ facility: 1, severity: 5, ...ts, hostname: '10.0.0.99', msg: 'Use the BFG!' })],
    ['IPv6 hostname before a tag', '<13>Nov 26 10:00:00 fe80::1 sshd[1]: x', env({ facility: 1, severity: 5, ...ts, hostname: 'fe80::1', app: 'sshd', procid: '1', msg: 'x' })],
    ['IPv6 hostname without tag', '<13>Nov 26 10:00:00 2001:db8::5 link down', env({ facility: 1, severity: 5, ...ts, hostname: '2001:db8::5', msg: 'link down' })],
    ['hostname as last token', '<14>Nov 26 10:00:00 localhost', env({ facility: 1, severity: 6, ...ts, hostname: 'localhost', msg: '' })],
    ['hostname then trailing space', '<14>Nov 26 10:00:00 X4711 ', env({ facility: 1, severity: 6, ...ts, hostname: 'X4711', msg: '' })],
    ['any printable token before a tag (Thunderbird)', 'Nov 26 10:00:00 dn228/dn228 crond[2916]: (root) CMD (run-parts)',
      env({ ...ts, hostname: 'dn228/dn228', app: 'crond', procid: '2916', msg: '(root) CMD (run-parts)' })],
    ['a year is never a hostname', '<6>Nov 26 10:00:00 2009  netips [audit] user', env({ facility: 0, severity: 6, ...ts, msg: '2009  netips [audit] user' })],
    ['sudo logfile: user name is not a hostname', 'Nov 26 10:00:00 czanik : TTY=pts/1 ; PWD=/home/czanik ; USER=root ; COMMAND=/usr/bin/id',
      env({ ...ts, msg: 'czanik : TTY=pts/1 ; PWD=/home/czanik ; USER=root ; COMMAND=/usr/bin/id' })],
    ['-- MARK -- keeps its host only if it looks like one', 'Nov 26 10:00:00 server-x -- MARK --', env({ ...ts, hostname: 'server-x', msg: '-- MARK --' })],
    ['extra spaces between host and tag', 'Nov 26 10:00:00 combo  app: x', env({ ...ts, hostname: 'combo', app: 'app', msg: 'x' })],
    ['JunOS classic (UI_COMMIT)', "<189>Nov 26 10:00:00 mx1 mgd[1234]: UI_COMMIT: User 'alice' requested 'commit' operation",
      env({ facility: 23, severity: 5, ...ts, hostname: 'mx1', app: 'mgd', procid: '1234', msg: "UI_COMMIT: User 'alice' requested 'commit' operation" })],
    ['JunOS SD form relayed inside a BSD line stays MSG', 'Nov 26 10:00:00 192.168.1.1 junos-flow: 2017-09-23T13:54:54.803Z srx RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 a="b"]',
      env({ ...ts, hostname: '192.168.1.1', app: 'junos-flow', msg: '2017-09-23T13:54:54.803Z srx RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 a="b"]' })],
  ];
  it.each(cases)('%s', (_n, input, expected) => expectOk(input, expected));
});

describe('Cisco IOS / ASA', () => {
  // app keeps the leading `%` of the mnemonic (see rfc3164.ts).
  const cases: [string, string, Envelope][] = [
    ['sequence number, unsynchronised clock, ms', '<189>123: *Mar  1 00:00:01.123: %SYS-5-CONFIG_I: Configured from console by vty0',
      env({ facility: 23, severity: 5, deviceSeq: 123, time: t('2025-03-01T00:00:01.123Z'), timeQuality: 'unsynchronised', app: '%SYS-5-CONFIG_I', msg: 'Configured from console by vty0' })],
    ['sequence number, origin-id hostname, zone', '<189>4567: router1: Nov 26 10:01:02.345 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.0.0.5]',
      env({ facility: 23, severity: 5, deviceSeq: 4567, hostname: 'router1', time: t('2024-11-26T10:01:02.345Z'), timeQuality: 'inferred-year', app: '%SEC_LOGIN-5-LOGIN_SUCCESS', msg: 'Login Success [user: admin] [Source: 10.0.0.5]' })],
    ['zero-padded sequence number, no PRI, CET', '000123: Nov 26 10:01:02 CET: %SYS-5-CONFIG_I: Configured from console by console',
      env({ deviceSeq: 123, time: t('2024-11-26T09:01:02Z'), timeQuality: 'inferred-year', app: '%SYS-5-CONFIG_I', msg: 'Configured from console by console' })],
    ['`.` mark: synchronisation lost', '1348: .Jun 12 18:22:22.555 UTC: %SYS-5-CONFIG_I:',
      env({ deviceSeq: 1348, time: t('2024-06-12T18:22:22.555Z'), timeQuality: 'unsynchronised', app: '%SYS-5-CONFIG_I', msg: '' })],
    ['lower-case known zone', '3924923: *Oct  6 03:32:04.114 gmt: %SEC-6-IPACCESSLOGP: list bcv_out denied tcp',
      env({ deviceSeq: 3924923, time: t('2024-10-06T03:32:04.114Z'), timeQuality: 'unsynchronised', app: '%SEC-6-IPACCESSLOGP', msg: 'list bcv_out denied tcp' })],
    ['operator-defined zone name falls back to ctx.timezone', 'Oct 6 03:32:02 mng: %SEC-6-IPACCESSLOGP: list 1111 denied udp',
      env({ time: t('2024-10-06T03:32:02Z'), timeQuality: YZ, app: '%SEC-6-IPACCESSLOGP', msg: 'list 1111 denied udp' })],
    ['AEST', '681: Aug 17 17:41:24.776 AEST: %SEC-6-IPACCESSLOGP: list 102 denied tcp',
      env({ deviceSeq: 681, time: t('2024-08-17T07:41:24.776Z'), timeQuality: 'inferred-year', app: '%SEC-6-IPACCESSLOGP', msg: 'list 102 denied tcp' })],
    ['year and zone: exact', 'Mar  1 2019 18:48:50.483 UTC: %SYS-5-CONFIG_I: Configured from console by vty2 (10.34.195.36)',
      env({ time: t('2019-03-01T18:48:50.483Z'), timeQuality: 'exact', app: '%SYS-5-CONFIG_I', msg: 'Configured from console by vty2 (10.34.195.36)' })],
    ['year, zone and `*`: unsynchronised wins', '*Mar  1 2019 18:48:50 UTC: %SYS-5-CONFIG_I: x',
      env({ time: t('2019-03-01T18:48:50Z'), timeQuality: 'unsynchronised', app: '%SYS-5-CONFIG_I', msg: 'x' })],
    ['two counters and origin-id: the later counter is deviceSeq', '<174>15162564: BGP-BETA: 29391555: Jun 26 16:44:58.802 CEST: %FMANFP-6-IPACCESSLOGP: F0/0: fman_fp_image: list denied tcp',
      env({ facility: 21, severity: 6, deviceSeq: 29391555, hostname: 'BGP-BETA', time: t('2024-06-26T14:44:58.802Z'), timeQuality: 'inferred-year', app: '%FMANFP-6-IPACCESSLOGP', msg: 'F0/0: fman_fp_image: list denied tcp' })],
    ['uptime timestamp: no time', '00:00:46: %LINK-3-UPDOWN: Interface Port-channel1, changed state to up',
      env({ app: '%LINK-3-UPDOWN', msg: 'Interface Port-channel1, changed state to up' })],
    ['uptime 1d02h after seq', '<189>12: 1d02h: %SYS-5-RESTART: System restarted', env({ facility: 23, severity: 5, deviceSeq: 12, app: '%SYS-5-RESTART', msg: 'System restarted' })],
    ['origin-id, seq and uptime', '1111: ROUTERHOSTNAME: 000012: 00:11:22: %SYS-5-CONFIG_I: text...',
      env({ deviceSeq: 12, hostname: 'ROUTERHOSTNAME', app: '%SYS-5-CONFIG_I', msg: 'text...' })],
    ['sequence number, no timestamp', '000019: %SYS-5-CONFIG_I: Configured from console by vty2', env({ deviceSeq: 19, app: '%SYS-5-CONFIG_I', msg: 'Configured from console by vty2' })],
    ['bare mnemonic line', '%SEC-6-IPACCESSLOGP: list 199 denied tcp 10.0.61.108(1477) -> 10.0.127.20(445), 1 packet',
      env({ app: '%SEC-6-IPACCESSLOGP', msg: 'list 199 denied tcp 10.0.61.108(1477) -> 10.0.127.20(445), 1 packet' })],
    ['relayed: a BSD header in front; the device timestamp wins', 'Feb  8 04:00:48 192.168.100.2 585917: Feb  8 04:00:47.272: %SEC-6-IPACCESSLOGRP: list 177 denied igmp',
      env({ hostname: '192.168.100.2', deviceSeq: 585917, time: t('2025-02-08T04:00:47.272Z'), timeQuality: YZ, app: '%SEC-6-IPACCESSLOGRP', msg: 'list 177 denied igmp' })],
    ['host + mnemonic (no sequence numbers)', '<167>Mar  6 16:57:54 172.20.245.8 %PIX-7-710005: UDP request discarded',
      env({ facility: 20, severity: 7, hostname: '172.20.245.8', time: t('2025-03-06T16:57:54Z'), timeQuality: YZ, app: '%PIX-7-710005', msg: 'UDP request discarded' })],
    ['ASA: year and colon, no host', '<14>May 21 2017 00:00:00: %ASA-4-102030: Deny udp src vlan_12302:192.168.0.11/514',
      env({ facility: 1, severity: 6, time: t('2017-05-21T00:00:00Z'), timeQuality: 'inferred-zone', app: '%ASA-4-102030', msg: 'Deny udp src vlan_12302:192.168.0.11/514' })],
  ];
  it.each(cases)('%s', (_n, input, expected) => expectOk(input, expected));
});

describe('TAB after the timestamp: TAB-separated log files (tac_plus accounting)', () => {
  // Lines of src/parsers/body/tacacs/testdata/ (see its PROVENANCE.md). No HOSTNAME or TAG is read after
  // the TAB; msg is everything after it.
  const cases: [string, string, Envelope][] = [
    ['BSD (tac_plus-ios.acct line 1)', 'Sep 24 16:08:12\t10.200.201.71\tuser\ttty0\tasync\tstop\ttask_id=2\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=aaa accounting exec default start-stop group tacacs+ <cr>',
      env({ time: t('2024-09-24T16:08:12Z'), timeQuality: YZ, msg: '10.200.201.71\tuser\ttty0\tasync\tstop\ttask_id=2\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=aaa accounting exec default start-stop group tacacs+ <cr>' })],
    ['BSD, space-padded day (tac_plus-junos.acct line 9)', 'Feb  2 18:41:38\t192.168.0.202\tjathan\tttyp1\t192.168.0.10\tstop\ttask_id=3\tservice=shell\tprocess*mgd[7741]\tcmd=configure exclusive <cr>',
      env({ time: t('2025-02-02T18:41:38Z'), timeQuality: YZ, msg: '192.168.0.202\tjathan\tttyp1\t192.168.0.10\tstop\ttask_id=3\tservice=shell\tprocess*mgd[7741]\tcmd=configure exclusive <cr>' })],
    ['ctime(3) with its year (tac_plus-faq.acct line 1)', 'Thu Jul 13 13:35:28 1995\tcherub.cisco.com\tchein\ttty5\t171.69.1.141\tstop\ttask_id=12028\tservice=exec\tport=5\telapsed_time=875',
      env({ time: t('1995-07-13T13:35:28Z'), timeQuality: 'inferred-zone', msg: 'cherub.cisco.com\tchein\ttty5\t171.69.1.141\tstop\ttask_id=12028\tservice=exec\tport=5\telapsed_time=875' })],
    ['ISO with a numeric zone after a space (tac_plus-srlinux.log line 1)', '2020-07-17 17:41:26 +0000\t10.1.1.2\tadmin\tssh\t10.1.1.1\tstop\ttask_id=129\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=commit stay',
      env({ time: t('2020-07-17T17:41:26Z'), timeQuality: 'exact', msg: '10.1.1.2\tadmin\tssh\t10.1.1.1\tstop\ttask_id=129\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=commit stay' })],
    ['the Oct 19 form of the brief', 'Oct 19 10:12:13\t192.168.0.1\tadmin\ttty2\tx', env({ time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: '192.168.0.1\tadmin\ttty2\tx' })],
    ['ctime, space-padded day', 'Sat Jul  1 00:00:00 2000\tx', env({ time: t('2000-07-01T00:00:00Z'), timeQuality: 'inferred-zone', msg: 'x' })],
    ['ISO, negative zone with a colon', '2020-07-17 17:41:26 -05:30\tx', env({ time: t('2020-07-17T23:11:26Z'), timeQuality: 'exact', msg: 'x' })],
    ['ISO without a zone', '2020-07-17T17:41:26\tx', env({ time: t('2020-07-17T17:41:26Z'), timeQuality: 'inferred-zone', msg: 'x' })],
    ['RFC 3339 with its offset', '2020-07-17T17:41:26.5+02:00\tx', env({ time: t('2020-07-17T15:41:26.500Z'), timeQuality: 'exact', msg: 'x' })],
    ['with PRI', '<13>Oct 19 10:12:13\tx\ty', env({ facility: 1, severity: 5, time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: 'x\ty' })],
    ['a word that looks like a tag is still a field', 'Oct 19 10:12:13\tsshd[1]: x', env({ time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: 'sshd[1]: x' })],
    ['only the first TAB goes; empty fields stay', 'Oct 19 10:12:13\t\tx\t', env({ time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: '\tx\t' })],
    ['TAB at the end', 'Oct 19 10:12:13\t', env({ time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: '' })],
    ['a Cisco sequence number before it is kept', '1: Oct 19 10:12:13\tx', env({ deviceSeq: 1, time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: 'x' })],
    // With a space after the timestamp the line reads as it always did.
    ['space, then a TAB: not this form', 'Oct 19 10:12:13 \tx', env({ time: t('2024-10-19T10:12:13Z'), timeQuality: YZ, msg: '\tx' })],
    ['ISO zone after a space and a space after it: message text as before', '2020-07-17 17:41:26 +0000 10.1.1.2 x',
      env({ time: t('2020-07-17T17:41:26Z'), timeQuality: 'inferred-zone', msg: '+0000 10.1.1.2 x' })],
    ['ISO, an impossible zone before the TAB stays text', '2020-07-17 17:41:26 +9900\tx', env({ time: t('2020-07-17T17:41:26Z'), timeQuality: 'inferred-zone', msg: '+9900\tx' })],
  ];
  it.each(cases)('%s', (_n, input, expected) => expectOk(input, expected));

  it.each([
    ['ctime followed by a space is no header', 'Thu Jul 13 13:35:28 1995 cherub.cisco.com chein', 'no-envelope'],
    ['ctime at the end of the line', 'Thu Jul 13 13:35:28 1995', 'no-envelope'],
    ['ctime with an impossible date', 'Thu Feb 30 13:35:28 1995\tx', 'bad-timestamp'],
    ['ctime with an impossible time', 'Thu Jul 13 24:35:28 1995\tx', 'bad-timestamp'],
    ['BSD with an impossible date', 'Feb 30 10:00:00\tx', 'bad-timestamp'],
    ['a colon, then a TAB', 'Oct 19 10:12:13:\tx', 'bad-timestamp'],
  ] as const)('%s → %s', (_n, line, type) => {
    const r = parse(line);
    expect(r.ok ? 'ok' : r.error.type).toBe(type);
  });

  it('reads every line of the tac_plus fixture files', () => {
    const dir = new URL('../body/tacacs/testdata/', import.meta.url);
    let n = 0;
    for (const f of ['tac_plus-ios.acct', 'tac_plus-junos.acct', 'tac_plus-srlinux.log', 'tac_plus-faq.acct']) {
      for (const line of readFileSync(new URL(f, dir), 'utf8').split('\n')) {
        if (line === '') continue;
        n++;
        const r = parse(line);
        expect(r.ok, line).toBe(true);
        if (!r.ok) continue;
        expect(r.value.time, line).toBeTypeOf('number');
        expect(r.value.hostname).toBeUndefined();
        expect(r.value.app).toBeUndefined();
        expect(r.value.msg).toBe(line.slice(line.indexOf('\t') + 1));
      }
    }
    expect(n).toBe(128);
  });

  it('property: a BSD timestamp + TAB reads the same time as with a space, and msg is the rest verbatim', () => {
    const month = fc.constantFrom('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec');
    const two = (max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(2, '0'));
    const rest = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', '\t', ':', '[', ']', '%', '=', '.', '-'), maxLength: 40 });
    fc.assert(
      fc.property(month, fc.integer({ min: 1, max: 28 }), two(23), two(59), two(59), rest, (mo, d, h, mi, se, tail) => {
        const stamp = `${mo} ${String(d).padStart(2, ' ')} ${h}:${mi}:${se}`;
        const tabbed = parse(`${stamp}\t${tail}`);
        const spaced = parse(`${stamp} x`);
        expect(tabbed.ok && spaced.ok).toBe(true);
        if (!tabbed.ok || !spaced.ok) return;
        expect(tabbed.value.time).toBe(spaced.value.time);
        expect(tabbed.value.msg).toBe(tail); // verbatim, blanks and TABs included
        expect(tabbed.value.hostname).toBeUndefined();
        expect(tabbed.value.app).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('Cisco prefixes and zones (lines of src/parsers/body/cisco-ios/testdata/)', () => {
  const fixtures = new URL('../body/cisco-ios/testdata/', import.meta.url);
  const cases: [string, string, string, Envelope][] = [
    ['empty message counter', 'elastic-test-syslog.log', '<189>: Jan  6 2022 20:54:26.961: %SYS-5-CONFIG_I: Configured from console by akroh on vty0 (10.100.11.10)',
      env({ facility: 23, severity: 5, time: t('2022-01-06T20:54:26.961Z'), timeQuality: 'inferred-zone', app: '%SYS-5-CONFIG_I', msg: 'Configured from console by akroh on vty0 (10.100.11.10)' })],
    ['empty message counter, origin-id hostname', 'elastic-test-syslog.log', '<189>: sw01: Jan  6 2022 21:01:34.964: %SYS-5-CONFIG_I: Configured from console by akroh on vty0 (10.100.11.10)',
      env({ facility: 23, severity: 5, hostname: 'sw01', time: t('2022-01-06T21:01:34.964Z'), timeQuality: 'inferred-zone', app: '%SYS-5-CONFIG_I', msg: 'Configured from console by akroh on vty0 (10.100.11.10)' })],
    ['empty message counter, origin-id, no mnemonic', 'elastic-test-syslog.log', '<191>: rt401-rk30409: Aug 18 07:15:04.461 CEST: last message repeated 66 times',
      env({ facility: 23, severity: 7, hostname: 'rt401-rk30409', time: t('2024-08-18T05:15:04.461Z'), timeQuality: 'inferred-year', msg: 'last message repeated 66 times' })],
    ['NX-OS: hostname first, year first', 'napalm-logs-samples.log', '<190>sw01.pdx01: 2017 Jul 28 14:42:46 UTC: %AUTHPRIV-6-SYSTEM_MSG: pam_unix(dcos_sshd:session): session opened for user luke by (uid=0) - dcos_sshd[12977]',
      env({ facility: 23, severity: 6, hostname: 'sw01.pdx01', time: t('2017-07-28T14:42:46Z'), timeQuality: 'exact', app: '%AUTHPRIV-6-SYSTEM_MSG', msg: 'pam_unix(dcos_sshd:session): session opened for user luke by (uid=0) - dcos_sshd[12977]' })],
    ['zone UTC+1', 'elastic-test-syslog.log', '<189>387448: host-01: May 6 16:13:09.123 UTC+1: %DOT1X-5-FAIL: Authentication failed for client (001e.0b80.13b5) on Interface Gi1/0/16 AuditSessionID 000000000000011D51B826E5',
      env({ facility: 23, severity: 5, deviceSeq: 387448, hostname: 'host-01', time: t('2025-05-06T15:13:09.123Z'), timeQuality: 'inferred-year', app: '%DOT1X-5-FAIL', msg: 'Authentication failed for client (001e.0b80.13b5) on Interface Gi1/0/16 AuditSessionID 000000000000011D51B826E5' })],
    ['zone UTC+07:30', 'elastic-test-syslog.log', '<189>387448: host-01: May 6 16:13:09.123 UTC+07:30: %DOT1X-5-FAIL: Authentication failed for client (001e.0b80.13b5) on Interface Gi1/0/16 AuditSessionID 000000000000011D51B826E5',
      env({ facility: 23, severity: 5, deviceSeq: 387448, hostname: 'host-01', time: t('2025-05-06T08:43:09.123Z'), timeQuality: 'inferred-year', app: '%DOT1X-5-FAIL', msg: 'Authentication failed for client (001e.0b80.13b5) on Interface Gi1/0/16 AuditSessionID 000000000000011D51B826E5' })],
    ['no space between the timestamp colon and the mnemonic', 'quoted-public-lines.log', '<189>642: Feb  2 02:07:13.198:%CLEAR-5-COUNTERS: Clear counter on all interfaces by kspop on vty0 (192.168.3.1)',
      env({ facility: 23, severity: 5, deviceSeq: 642, time: t('2025-02-02T02:07:13.198Z'), timeQuality: YZ, app: '%CLEAR-5-COUNTERS', msg: 'Clear counter on all interfaces by kspop on vty0 (192.168.3.1)' })],
  ];
  it.each(cases)('%s (%s)', (_n, file, input, expected) => {
    expect(readFileSync(new URL(file, fixtures), 'utf8').split('\n')).toContain(input);
    expectOk(input, expected);
  });

  const ts = { time: t('2024-11-26T10:00:00Z'), timeQuality: YZ } as const;
  const more: [string, string, Envelope][] = [
    ['GMT-5', '1: Nov 26 10:00:00 GMT-5: %A-1-B: x', env({ deviceSeq: 1, time: t('2024-11-26T15:00:00Z'), timeQuality: 'inferred-year', app: '%A-1-B', msg: 'x' })],
    ['UTC+0530', '1: Nov 26 10:00:00 utc+0530: %A-1-B: x', env({ deviceSeq: 1, time: t('2024-11-26T04:30:00Z'), timeQuality: 'inferred-year', app: '%A-1-B', msg: 'x' })],
    ['an offset after another name: the configured zone, if a mnemonic follows', '1: Nov 26 10:00:00 CET+1: %A-1-B: x', env({ deviceSeq: 1, ...ts, app: '%A-1-B', msg: 'x' })],
    ['an offset after another name without a mnemonic stays the tag', 'Nov 26 10:00:00 CET+1: x', env({ ...ts, app: 'CET+1', msg: 'x' })],
    ['an impossible offset is no zone', '1: Nov 26 10:00:00 UTC+25: %A-1-B: x', env({ deviceSeq: 1, ...ts, app: 'UTC+25', msg: '%A-1-B: x' })],
    ['zone colon glued to the mnemonic', '1: Nov 26 10:00:00 UTC:%A-1-B: x', env({ deviceSeq: 1, time: t('2024-11-26T10:00:00Z'), timeQuality: 'inferred-year', app: '%A-1-B', msg: 'x' })],
    ['empty counter before a bare mnemonic', '<189>: %SYS-5-CONFIG_I: x', env({ facility: 23, severity: 5, app: '%SYS-5-CONFIG_I', msg: 'x' })],
    ['`<PRI>: ` before free text is message text, as before', '<13>: hello there', env({ facility: 1, severity: 5, msg: ': hello there' })],
    ['`<PRI>: ` before an impossible date is message text, as before', '<13>: Nov 31 10:00:00: %A-1-B: x', env({ facility: 1, severity: 5, msg: ': Nov 31 10:00:00: %A-1-B: x' })],
    ['`<PRI>: word: ` without IOS material after it is message text, as before', '<13>: word: text', env({ facility: 1, severity: 5, msg: ': word: text' })],
    ['a tag whose text starts with a date stays a tag', '<13>app: Nov 26 10:00:00 did x', env({ facility: 1, severity: 5, app: 'app', msg: 'Nov 26 10:00:00 did x' })],
    ['host: timestamp without a mnemonic is a tag, as before', '<13>sw01: 2017 Jul 28 14:42:46 UTC: text', env({ facility: 1, severity: 5, app: 'sw01', msg: '2017 Jul 28 14:42:46 UTC: text' })],
  ];
  it.each(more)('%s', (_n, input, expected) => expectOk(input, expected));

  it.each([
    ['a colon glued to something that is not a mnemonic', '<189>642: Feb  2 02:07:13.198:CLEAR x', 'bad-timestamp'],
    ['a colon glued to a bare %', '<189>642: Feb  2 02:07:13.198:% x', 'bad-timestamp'],
  ] as const)('%s → %s', (_n, line, type) => {
    const r = parse(line);
    expect(r.ok ? 'ok' : r.error.type).toBe(type);
  });
});

describe('year and zone inference', () => {
  const at = (iso: string, timezone = 'UTC'): ParseContext => ({ receivedAt: t(iso), timezone });
  it.each([
    ['a December line received on 1 January is last year', 'Dec 31 23:59:59 h a: x', at('2025-01-01T00:00:10Z'), '2024-12-31T23:59:59.000Z'],
    ['a January line received on 31 December is next year', 'Jan  1 00:00:05 h a: x', at('2024-12-31T23:59:00Z'), '2025-01-01T00:00:05.000Z'],
    ['same year when near', 'Jun 15 08:00:00 h a: x', at('2024-06-20T00:00:00Z'), '2024-06-15T08:00:00.000Z'],
    ['29 February picks the leap year', 'Feb 29 12:00:00 h a: x', at('2025-01-10T00:00:00Z'), '2024-02-29T12:00:00.000Z'],
    ['Berlin summer time (+2)', 'Jul 15 12:00:00 h a: x', at('2024-07-20T00:00:00Z', 'Europe/Berlin'), '2024-07-15T10:00:00.000Z'],
    ['Berlin winter time (+1)', 'Jan 15 12:00:00 h a: x', at('2024-01-20T00:00:00Z', 'Europe/Berlin'), '2024-01-15T11:00:00.000Z'],
    ['Berlin DST gap: 02:30 does not exist, read with the offset before the switch', 'Mar 31 02:30:00 h a: x', at('2024-04-01T00:00:00Z', 'Europe/Berlin'), '2024-03-31T01:30:00.000Z'],
    ['New York (-5)', 'Nov 26 07:00:00 h a: x', at('2024-11-26T12:00:00Z', 'America/New_York'), '2024-11-26T12:00:00.000Z'],
    ['Kathmandu (+5:45)', 'Nov 26 17:45:00 h a: x', at('2024-11-26T12:00:00Z', 'Asia/Kathmandu'), '2024-11-26T12:00:00.000Z'],
    ['a year in the line still gets the zone', 'Jul 15 2020 12:00:00 h a: x', at('2024-11-26T12:00:00Z', 'Europe/Berlin'), '2020-07-15T10:00:00.000Z'],
    ['a zone abbreviation beats ctx.timezone', '1: Jul 15 12:00:00 UTC: %A-1-B: x', at('2024-07-20T00:00:00Z', 'Europe/Berlin'), '2024-07-15T12:00:00.000Z'],
    ['an unknown IANA zone reads as UTC', 'Jul 15 12:00:00 h a: x', at('2024-07-20T00:00:00Z', 'Mars/Olympus_Mons'), '2024-07-15T12:00:00.000Z'],
  ] as const)('%s', (_n, line, ctx, expected) => {
    const r = parse(line, ctx);
    expect(r.ok && r.value.time !== undefined && new Date(r.value.time).toISOString()).toBe(expected);
  });

  it('the repeated autumn hour resolves to one of its two instants', () => {
    const r = parse('Oct 27 02:30:00 h a: x', at('2024-10-28T00:00:00Z', 'Europe/Berlin'));
    expect(r.ok && [t('2024-10-27T00:30:00Z'), t('2024-10-27T01:30:00Z')].includes(r.value.time ?? 0)).toBe(true);
  });

  it('29 February with no leap year within a year of receipt: no time, still parsed', () => {
    expectOk('Feb 29 12:00:00 h a: x', env({ hostname: 'h', app: 'a', msg: 'x' }), at('2026-06-01T00:00:00Z'));
  });

  it('a Berlin offset is cached per half hour without mixing up neighbouring hours', () => {
    const ctx = at('2024-03-31T12:00:00Z', 'Europe/Berlin');
    const times = ['01:59:59', '02:00:00', '03:00:00', '03:30:00'].map((hms) => {
      const r = parse(`Mar 31 ${hms} h a: x`, ctx);
      return r.ok ? new Date(r.value.time ?? 0).toISOString() : 'error';
    });
    expect(times).toEqual(['2024-03-31T00:59:59.000Z', '2024-03-31T01:00:00.000Z', '2024-03-31T01:00:00.000Z', '2024-03-31T01:30:00.000Z']);
  });
});

describe('bytes', () => {
  it.each([
    ['one trailing LF', 'Nov 26 10:00:00 h a: x\n', 'x'],
    ['one trailing CRLF', 'Nov 26 10:00:00 h a: x\r\n', 'x'],
    ['a CR left by a framer that took the LF of a CRLF file', 'Nov 26 10:00:00 h a: x\r', 'x'],
    ['only one line ending goes', 'Nov 26 10:00:00 h a: x\n\n', 'x\n'],
    ['trailing NULs', 'Nov 26 10:00:00 h a: x\0\0', 'x'],
    ['NULs after LF', 'Nov 26 10:00:00 h a: x\n\0', 'x'],
    ['inner newline kept', 'Nov 26 10:00:00 h a: x\ny', 'x\ny'],
  ])('%s', (_n, line, msg) => {
    const r = parse(line);
    expect(r.ok && r.value.msg).toBe(msg);
  });

  it('invalid UTF-8 in the message decodes with U+FFFD', () => {
    const frame = new Uint8Array([...enc('<13>Nov 26 10:00:00 h a: caf'), 0xe9, 0x20, 0xff, 0xc3]);
    expect(parse(frame)).toMatchObject({ ok: true, value: { msg: 'caf\ufffd \ufffd\ufffd' } });
  });

  it('8-bit text stays text', () => {
    expect(parse('<167>Nov 26 10:00:00 host tag: äöü')).toMatchObject({ ok: true, value: { msg: 'äöü' } });
  });
});

describe('rfc3164 errors', () => {
  const cases: [string, string, UnparsedReason][] = [
    ['empty', '', 'empty'],
    ['only a line ending', '\r\n', 'empty'],
    ['PRI overflow', '<192>Nov 26 10:00:00 h a: x', 'bad-pri'],
    ['PRI leading zero', '<013>Nov 26 10:00:00 h a: x', 'bad-pri'],
    ['PRI negative', '<-1>Nov 26 10:00:00 h a: x', 'bad-pri'],
    ['PRI without >', '<13 Nov 26 10:00:00 h a: x', 'bad-pri'],
    ['PRI with letters', '<1a>Nov 26 10:00:00 h a: x', 'bad-pri'],
    ['31 November', '<13>Nov 31 10:00:00 h a: x', 'bad-timestamp'],
    ['day 0', 'Nov  0 10:00:00 h a: x', 'bad-timestamp'],
    ['hour 25', 'Nov 26 25:00:00 h a: x', 'bad-timestamp'],
    ['29 February in a stated common year', 'Feb 29 2023 10:00:00 h a: x', 'bad-timestamp'],
    ['junk glued to the time', '<13>Nov 26 10:00:00x h a: x', 'bad-timestamp'],
    ['bad RFC 3339 month', '2024-13-01T00:00:00Z h a: x', 'bad-timestamp'],
    ['plain text', 'This is a message!', 'no-envelope'],
    ['tag but no header', 'su[2921936]: succeeded: ttyq4 changing from root to ldap', 'no-envelope'],
    ['month word that is not a date', 'May 5 people came', 'no-envelope'],
  ];
  it.each(cases)('%s → %s', (_n, line, type) => {
    const r = parse(line);
    expect(r.ok ? 'ok' : r.error.type).toBe(type);
  });
});

describe('rfc3164.detect', () => {
  it.each([
    ['<13>anything', true],
    ['Nov 26 10:00:00 h a: x', true],
    ['  Nov 26 10:00:00 h a: x', true],
    ['2024-03-01T12:34:56Z h a: x', true],
    ['2015 Nov 13 13:40:01 h a: x', true],
    ['*Mar  1 18:46:11: %SYS-5-CONFIG_I: x', true],
    ['000019: %SYS-5-CONFIG_I: x', true],
    ['00:00:46: %LINK-3-UPDOWN: x', true],
    ['%SEC-6-IPACCESSLOGP: list', true],
    ['Nov 31 10:00:00 h a: x', true], // detected; parse() then reports bad-timestamp
    ['Oct 19 10:12:13\t192.168.0.1\tadmin', true],
    ['Thu Jul 13 13:35:28 1995\tcherub.cisco.com', true],
    ['Thu Jul 13 13:35:28 1995 cherub.cisco.com', false],
    ['2020-07-17 17:41:26 +0000\t10.1.1.2', true],
    ['type=SYSCALL msg=audit(1.2:3): x', false],
    ['hello world', false],
    ['{"MESSAGE":"x"}', false],
    ['', false],
  ] as const)('%j → %s', (line, expected) => {
    expect(rfc3164.detect(enc(line))).toBe(expected);
  });
});

describe('rfc3164 never throws', () => {
  const isTyped = (r: ReturnType<typeof parse>): boolean => r.ok || (UNPARSED_REASONS as readonly string[]).includes(r.error.type);
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => isTyped(rfc3164.parse(bytes, CTX))), { numRuns: 3000 });
  });
  it('on token soups that look like BSD and Cisco headers', () => {
    const tok = fc.constantFrom('<13>', '<189>', 'Nov', 'Mar', ' ', '  ', '1', '26', '2024', '10:00:00', '.123', '*', '.', ':', 'UTC', 'mng',
      'host', '10.0.0.1', 'fe80::1', 'app', '[42]', '%SYS-5-CONFIG_I', '000123', 'é', '\n', '\0', '-', '2024-03-01T12:34:56', '+01:00', 'Z');
    fc.assert(fc.property(fc.array(tok, { maxLength: 30 }), fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom('UTC', 'Europe/Berlin', 'Nope/Nope', ''),
      (parts, receivedAt, timezone) => isTyped(rfc3164.parse(enc(parts.join('')), { receivedAt, timezone }))), { numRuns: 3000 });
  });
  it('on token soups of TAB-separated stamps, ctime, zone offsets and Cisco prefixes', () => {
    const tok = fc.constantFrom('<13>', '<189>', ': ', ':', '\t', ' ', '  ', 'Thu', 'Sun', 'Jul', 'Feb', '13', ' 2', '1995', '2020-07-17', '17:41:26',
      '13:35:28', '.198', '+0000', '-05:30', '+1', '+07:30', 'UTC', 'UTC+1', 'GMT-5', 'CET+1', ':%', '%CLEAR-5-COUNTERS', '%', 'sw01.pdx01', '642',
      'host-01', '2017 Jul 28', 'x', '=', '*', '\n');
    fc.assert(fc.property(fc.array(tok, { maxLength: 30 }), fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom('UTC', 'Europe/Berlin', ''),
      (parts, receivedAt, timezone) => isTyped(rfc3164.parse(enc(parts.join('')), { receivedAt, timezone }))), { numRuns: 3000 });
  });
  it('on mutated real tac_plus and Cisco lines', () => {
    const seeds = [
      'Feb  2 18:41:38\t192.168.0.202\tjathan\tttyp1\t192.168.0.10\tstop\ttask_id=3',
      'Thu Jul 13 13:35:28 1995\tcherub.cisco.com\tchein',
      '2020-07-17 17:41:26 +0000\t10.1.1.2\tadmin',
      '<189>: sw01: Jan  6 2022 21:01:34.964: %SYS-5-CONFIG_I: Configured',
      '<190>sw01.pdx01: 2017 Jul 28 14:42:46 UTC: %AUTHPRIV-6-SYSTEM_MSG: x',
      '<189>387448: host-01: May 6 16:13:09.123 UTC+07:30: %DOT1X-5-FAIL: x',
      '<189>642: Feb  2 02:07:13.198:%CLEAR-5-COUNTERS: Clear',
    ];
    const mutated = fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }))
      .map(([s, a, b, ins]) => {
        const i = a % (s.length + 1);
        const j = i + (b % (s.length - i + 1));
        return s.slice(0, i) + ins + s.slice(j);
      });
    fc.assert(fc.property(mutated, (line) => isTyped(rfc3164.parse(enc(line), CTX))), { numRuns: 3000 });
  });
  it('on 64 KiB lines of repeated header material (no timing asserted; a catastrophic scan would time out)', () => {
    for (const unit of ['Oct 19 10:12:13\t', 'Thu Jul 13 13:35:28 1995\t', ': ', 'sw01: ', '1: ', 'UTC+07:30:', ':%', '2020-07-17 17:41:26 +0000 ', '\t']) {
      for (const prefix of ['', '<189>', '<189>: ', '<190>sw01.pdx01: 2017 Jul 28 14:42:46 UTC: ']) {
        const line = prefix + unit.repeat(Math.ceil(65536 / unit.length));
        expect(isTyped(rfc3164.parse(enc(line), CTX))).toBe(true);
      }
    }
  });
});
