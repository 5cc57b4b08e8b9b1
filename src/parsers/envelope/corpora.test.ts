// Runs parseEnvelope over every line of every copied real-world sample (test/fixtures/corpora/) and
// pins, per file, how many lines parse and how many are stored as unparsed, plus spot checks of fields.
// A change in any count is a behaviour change to look at, not noise: update the pin only on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNPARSED_REASONS, type UnparsedReason } from '../../model/record.js';
import type { ParseContext } from './types.js';
import { parseEnvelope } from './index.js';

const ROOT = new URL('../../../test/fixtures/corpora/', import.meta.url);
// Fixed receive time: BSD timestamps without a year resolve to the year nearest 2024-11-26.
const CTX: ParseContext = { receivedAt: Date.UTC(2024, 10, 26, 12), timezone: 'UTC' };

/**
 * Lines of a sample as the exact bytes a file reader would hand over (latin1 round-trips every byte),
 * with what is not a log record removed: Wazuh/OSSEC .ini syntax (only the text after
 * `log N pass|fail = ` is a sample), `#` comment lines, blank lines, loghub's Thunderbird annotation
 * (`- 1131566461 2005.11.09 dn228 ` before the syslog line) and sudo's wrap-width lines.
 */
function readLines(file: string): Buffer[] {
  let lines = readFileSync(new URL(file, ROOT)).toString('latin1').split(/\r?\n/);
  if (file.endsWith('.ini')) lines = lines.map((l) => /^log \d+ (?:pass|fail) = (.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined);
  if (file.includes('Thunderbird')) lines = lines.map((l) => l.replace(/^\S+ \d+ \d{4}\.\d\d\.\d\d \S+ /, ''));
  if (file.includes('check_wrap')) lines = lines.filter((l) => !/^[\d,\- ]+$/.test(l));
  return lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => Buffer.from(l, 'latin1'));
}

interface Spot {
  line: number;
  error?: UnparsedReason;
  hostname?: string;
  app?: string;
  procid?: string;
  /** ISO string, or undefined for "no time". */
  time?: string;
  deviceSeq?: number;
  extra?: Record<string, string>;
}
interface CorpusFile {
  file: string;
  parsed: number;
  unparsed: number;
  spots: Spot[];
}

const CORPUS: CorpusFile[] = [
  { file: 'audit-userspace/test.log', parsed: 12, unparsed: 0, spots: [
      // type=AVC msg=audit(1170021493.977:293): avc:  denied  { read write } for  pid=13010 comm="pickup" name="maildr
      { line: 0, hostname: undefined, time: '2007-01-28T21:58:13.977Z', extra: { type: 'AVC', serial: '293' } },
  ] },
  { file: 'audit-userspace/test2.log', parsed: 12, unparsed: 0, spots: [
      // type=AVC msg=audit(1170021493.977:283): avc:  denied  { read } for  pid=13010 comm="pickup" name="maildrop" de
      { line: 0, hostname: undefined, time: '2007-01-28T21:58:13.977Z', extra: { type: 'AVC', serial: '283' } },
  ] },
  { file: 'audit-userspace/test3.log', parsed: 15, unparsed: 0, spots: [
      // node=auditdtest.a1959.org type=SYSCALL msg=audit(1451781471.394:194435): arch=c000003e syscall=23 success=yes 
      { line: 0, hostname: 'auditdtest.a1959.org', time: '2016-01-03T00:37:51.394Z', extra: { type: 'SYSCALL', serial: '194435' } },
  ] },
  { file: 'audit-userspace/test4.log', parsed: 13, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1655465398.534:25618): arch=c000003e syscall=59 success=yes exit=0 a0=8c403a0 a1=8c3e8b
      { line: 0, hostname: undefined, time: '2022-06-17T11:29:58.534Z', extra: { type: 'SYSCALL', serial: '25618' } },
  ] },
  { file: 'elastic-beats-integrations/beats_filebeat_auditd_test.log', parsed: 15, unparsed: 0, spots: [
      // type=MAC_IPSEC_EVENT msg=audit(1485893834.891:18877201): op=SPD-delete auid=4294967295 ses=4294967295 res=1 sr
      { line: 0, hostname: undefined, time: '2017-01-31T20:17:14.891Z', extra: { type: 'MAC_IPSEC_EVENT', serial: '18877201' } },
  ] },
  { file: 'elastic-beats-integrations/integrations_cisco_ios_test-cisco-ios.log', parsed: 28, unparsed: 0, spots: [
      // Feb  8 04:00:48 192.168.100.2 585917: Feb  8 04:00:47.272: %SEC-6-IPACCESSLOGRP: list 177 denied igmp 192.168.
      { line: 0, hostname: '192.168.100.2', app: '%SEC-6-IPACCESSLOGRP', procid: undefined, time: '2025-02-08T04:00:47.272Z', deviceSeq: 585917 },
      // Mar 24 18:06:03 192.168.100.2 1991219: Mar 24 18:06:03.424 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [use
      { line: 13, hostname: '192.168.100.2', app: '%SEC_LOGIN-5-LOGIN_SUCCESS', procid: undefined, time: '2025-03-24T18:06:03.424Z', deviceSeq: 1991219 },
      // <174>15162564: BGP-BETA: 29391555: Jun 26 16:44:58.802 CEST: %FMANFP-6-IPACCESSLOGP: F0/0: fman_fp_image: list
      { line: 27, hostname: 'BGP-BETA', app: '%FMANFP-6-IPACCESSLOGP', procid: undefined, time: '2024-06-26T14:44:58.802Z', deviceSeq: 29391555 },
  ] },
  { file: 'elastic-beats-integrations/integrations_system_auth_test-auth-rhel79.log', parsed: 3, unparsed: 0, spots: [
      // Oct 11 09:10:48 plinode useradd[25494]: failed adding user 'aol', exit code: 4
      { line: 0, hostname: 'plinode', app: 'useradd', procid: '25494', time: '2024-10-11T09:10:48.000Z' },
  ] },
  { file: 'elastic-beats-integrations/integrations_system_auth_test-auth.log', parsed: 12, unparsed: 0, spots: [
      // Feb 21 21:54:44 localhost sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:
      { line: 0, hostname: 'localhost', app: 'sshd', procid: '3402', time: '2025-02-21T21:54:44.000Z' },
      // Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls
      { line: 4, hostname: 'localhost', app: 'sudo', procid: undefined, time: '2025-02-21T23:35:33.000Z' },
  ] },
  { file: 'elastic-beats-integrations/integrations_system_auth_test-sudo-no-tty.log', parsed: 1, unparsed: 0, spots: [
      // Aug  6 19:42:10 server01 sudo[18432]: alice : PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id
      { line: 0, hostname: 'server01', app: 'sudo', procid: '18432', time: '2024-08-06T19:42:10.000Z' },
  ] },
  { file: 'go-libaudit/auparse/testdata/audit-rhel6.log', parsed: 2, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1490995752.404:20614537): arch=c000003e syscall=44 success=yes exit=464 a0=9 a1=7f56476
      { line: 0, hostname: undefined, time: '2017-03-31T21:29:12.404Z', extra: { type: 'SYSCALL', serial: '20614537' } },
  ] },
  { file: 'go-libaudit/auparse/testdata/audit-rhel7.log', parsed: 48, unparsed: 2, spots: [
      // type=ADD_GROUP msg=audit(1481076992.414:385): pid=1235 uid=0 auid=4294967295 ses=4294967295 subj=system_u:syst
      { line: 0, hostname: undefined, time: '2016-12-07T02:16:32.414Z', extra: { type: 'ADD_GROUP', serial: '385' } },
  ] },
  { file: 'go-libaudit/auparse/testdata/audit-ubuntu14.log', parsed: 1, unparsed: 0, spots: [
      // type=PATH msg=audit(1521758453.536:1428931): item=0 name=2F73686172652F67656E6572616C2F706174685F7265646163746
      { line: 0, hostname: undefined, time: '2018-03-22T22:40:53.536Z', extra: { type: 'PATH', serial: '1428931' } },
  ] },
  { file: 'go-libaudit/auparse/testdata/audit-ubuntu16.log', parsed: 3, unparsed: 0, spots: [
      // type=USER_LOGIN msg=audit(1492896301.818:19955): pid=12635 uid=0 auid=4294967295 ses=4294967295 msg='op=login 
      { line: 0, hostname: undefined, time: '2017-04-22T21:25:01.818Z', extra: { type: 'USER_LOGIN', serial: '19955' } },
  ] },
  { file: 'go-libaudit/auparse/testdata/audit-ubuntu17.log', parsed: 1, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1515619721.392:106081): arch=c000003e syscall=59 success=yes exit=0 a0=55df1048ec88 a1=
      { line: 0, hostname: undefined, time: '2018-01-10T21:28:41.392Z', extra: { type: 'SYSCALL', serial: '106081' } },
  ] },
  { file: 'go-libaudit/auparse/testdata/test2.log', parsed: 10, unparsed: 0, spots: [
      // type=AVC msg=audit(1170021493.977:293): avc:  denied  { read } for  pid=13010 comm="pickup" name="maildrop" de
      { line: 0, hostname: undefined, time: '2007-01-28T21:58:13.977Z', extra: { type: 'AVC', serial: '293' } },
  ] },
  { file: 'go-libaudit/auparse/testdata/test3.log', parsed: 17, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1451781471.394:194435): arch=c000003e syscall=23 success=yes exit=1 a0=c a1=56420184ade
      { line: 0, hostname: undefined, time: '2016-01-03T00:37:51.394Z', extra: { type: 'SYSCALL', serial: '194435' } },
  ] },
  { file: 'go-libaudit/testdata/lost_messages.log', parsed: 17, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1492037289.295:49): arch=c000003e syscall=42 success=no exit=-115 a0=6 a1=7ffed2893080 
      { line: 0, hostname: undefined, time: '2017-04-12T22:48:09.295Z', extra: { type: 'SYSCALL', serial: '49' } },
  ] },
  { file: 'go-libaudit/testdata/normal.log', parsed: 17, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1492037289.295:58): arch=c000003e syscall=42 success=no exit=-115 a0=6 a1=7ffed2893080 
      { line: 0, hostname: undefined, time: '2017-04-12T22:48:09.295Z', extra: { type: 'SYSCALL', serial: '58' } },
  ] },
  { file: 'go-libaudit/testdata/out_of_order.log', parsed: 17, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1492037289.295:58): arch=c000003e syscall=42 success=no exit=-115 a0=6 a1=7ffed2893080 
      { line: 0, hostname: undefined, time: '2017-04-12T22:48:09.295Z', extra: { type: 'SYSCALL', serial: '58' } },
  ] },
  { file: 'go-libaudit/testdata/rollover.log', parsed: 5, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1492037289.295:4294967294): arch=c000003e syscall=42 success=no exit=-115 a0=6 a1=7ffed
      { line: 0, hostname: undefined, time: '2017-04-12T22:48:09.295Z', extra: { type: 'SYSCALL', serial: '4294967294' } },
  ] },
  { file: 'journald-json/handwritten.json', parsed: 6, unparsed: 0, spots: [
      // {"__CURSOR":"s=7a1b2c3d4e5f60718293a4b5c6d7e8f9;i=1a01;b=8f3c2b1e9d7a4c6e8b0a1f2d3c4b5a69;m=beda440;t=627cde98
      { line: 0, hostname: 'web-01.example.net', app: 'sudo', procid: '4242', time: '2024-11-26T10:00:00.123Z' },
  ] },
  { file: 'journald-json/tlog-journal-good.json', parsed: 58, unparsed: 0, spots: [
      // {"__CURSOR":"s=5b44fc664970453197b9b6b8c1e4e5eb;i=2fa4;b=6211b985bd1e49908726bd24cd514099;m=1af49090;t=57bbe89
      { line: 2, hostname: 'mytesthost.example.test', app: 'sshd', procid: '1515', time: '2018-11-28T19:26:04.747Z' },
      // {"__CURSOR":"s=db47182d407741acaa66c4bc00ceebbc;i=2fc4;b=6211b985bd1e49908726bd24cd514099;m=1c7dd347;t=57bbe8b
      { line: 34, hostname: 'mytesthost.example.test', app: 'su', procid: '1801', time: '2018-11-28T19:26:30.519Z' },
  ] },
  { file: 'laurel-auditd/fork-sleep-exec.txt', parsed: 13, unparsed: 0, spots: [
      // type=PATH msg=audit(1783860945.368:6104005): item=2 name="/lib/ld-linux-aarch64.so.1" inode=79199 dev=fd:01 mo
      { line: 0, hostname: undefined, time: '2026-07-12T12:55:45.368Z', extra: { type: 'PATH', serial: '6104005' } },
  ] },
  { file: 'laurel-auditd/line-user-acct.txt', parsed: 1, unparsed: 0, spots: [
      // type=USER_ACCT msg=audit(1615113648.981:15220): pid=9460 uid=1000 auid=1000 ses=1 msg='op=PAM:accounting grant
      { line: 0, hostname: undefined, time: '2021-03-07T10:40:48.981Z', extra: { type: 'USER_ACCT', serial: '15220' } },
  ] },
  { file: 'laurel-auditd/proc-trace-dpkg-l.txt', parsed: 68, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1778355633.147:2322535): arch=c000003e syscall=56 success=yes exit=1140453 a0=1200011 a
      { line: 0, hostname: undefined, time: '2026-05-09T19:40:33.147Z', extra: { type: 'SYSCALL', serial: '2322535' } },
  ] },
  { file: 'laurel-auditd/record-adjntpval.txt', parsed: 3, unparsed: 0, spots: [
      // type=TIME_ADJNTPVAL msg=audit(1640024915.264:4237): op=freq old=-37201248256000 new=-37237817344000
      { line: 0, hostname: undefined, time: '2021-12-20T18:28:35.264Z', extra: { type: 'TIME_ADJNTPVAL', serial: '4237' } },
  ] },
  { file: 'laurel-auditd/record-anom-promiscuous.txt', parsed: 4, unparsed: 0, spots: [
      // type=ANOM_PROMISCUOUS msg=audit(1708689989.768:339749193): dev=veth5f40f62 prom=256 old_prom=0 auid=4294967295
      { line: 0, hostname: undefined, time: '2024-02-23T12:06:29.768Z', extra: { type: 'ANOM_PROMISCUOUS', serial: '339749193' } },
  ] },
  { file: 'laurel-auditd/record-avc-apparmor.txt', parsed: 3, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1634728455.294:53732): arch=c000003e syscall=1 success=yes exit=19577 a0=7 a1=560174cd7
      { line: 0, hostname: undefined, time: '2021-10-20T11:14:15.294Z', extra: { type: 'SYSCALL', serial: '53732' } },
  ] },
  { file: 'laurel-auditd/record-bind-ipv4-bigendian.txt', parsed: 4, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1708028025.033:10): arch=80000015 syscall=327 success=yes exit=0 a0=3 a1=33ee202d0 a2=1
      { line: 0, hostname: undefined, time: '2024-02-15T20:13:45.033Z', extra: { type: 'SYSCALL', serial: '10' } },
  ] },
  { file: 'laurel-auditd/record-connect.txt', parsed: 6, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1723819442.459:2482681): arch=c000003e syscall=42 success=yes exit=0 a0=8 a1=5556eca10a
      { line: 0, hostname: undefined, time: '2024-08-16T14:44:02.459Z', extra: { type: 'SYSCALL', serial: '2482681' } },
  ] },
  { file: 'laurel-auditd/record-execve-long.txt', parsed: 9, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1615150974.493:21028): arch=c000003e syscall=59 success=yes exit=0 a0=593d4c9f5f50 a1=5
      { line: 0, hostname: undefined, time: '2021-03-07T21:02:54.493Z', extra: { type: 'SYSCALL', serial: '21028' } },
  ] },
  { file: 'laurel-auditd/record-execve.txt', parsed: 7, unparsed: 0, spots: [
      // node=work type=SYSCALL msg=audit(1615114232.375:15558): arch=c000003e syscall=59 success=yes exit=0 a0=63b2933
      { line: 0, hostname: 'work', time: '2021-03-07T10:50:32.375Z', extra: { type: 'SYSCALL', serial: '15558' } },
  ] },
  { file: 'laurel-auditd/record-login.txt', parsed: 3, unparsed: 0, spots: [
      // type=LOGIN msg=audit(1640027821.949:151316): pid=72605 uid=0 subj=unconfined old-auid=4294967295 auid=0 tty=(n
      { line: 0, hostname: undefined, time: '2021-12-20T19:17:01.949Z', extra: { type: 'LOGIN', serial: '151316' } },
  ] },
  { file: 'laurel-auditd/record-nscd.txt', parsed: 5, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1705071450.879:29498378): arch=c000003e syscall=42 success=no exit=-2 a0=4 a1=7ffeabb1a
      { line: 0, hostname: undefined, time: '2024-01-12T14:57:30.879Z', extra: { type: 'SYSCALL', serial: '29498378' } },
  ] },
  { file: 'laurel-auditd/record-perl-reverse-shell.txt', parsed: 8, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1626611363.720:348501): arch=c000003e syscall=59 success=yes exit=0 a0=55c094deb5c0 a1=
      { line: 0, hostname: undefined, time: '2021-07-18T12:29:23.720Z', extra: { type: 'SYSCALL', serial: '348501' } },
  ] },
  { file: 'laurel-auditd/record-ptrace.txt', parsed: 3, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1739218487.007:22145057): arch=c000003e syscall=101 success=yes exit=0 a0=4206 a1=29b07
      { line: 0, hostname: undefined, time: '2025-02-10T20:14:47.007Z', extra: { type: 'SYSCALL', serial: '22145057' } },
  ] },
  { file: 'laurel-auditd/record-service-start.txt', parsed: 5, unparsed: 0, spots: [
      // type=SERVICE_START msg=audit(1661853391.646:4486226): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=? msg='u
      { line: 0, hostname: undefined, time: '2022-08-30T09:56:31.646Z', extra: { type: 'SERVICE_START', serial: '4486226' } },
  ] },
  { file: 'laurel-auditd/record-syscall-key.txt', parsed: 6, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1628602815.266:2365): arch=c000003e syscall=59 success=yes exit=0 a0=2557470 a1=247b510
      { line: 0, hostname: undefined, time: '2021-08-10T13:40:15.266Z', extra: { type: 'SYSCALL', serial: '2365' } },
  ] },
  { file: 'laurel-auditd/record-syscall-nullkey.txt', parsed: 8, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1678282381.452:102336): arch=c000003e syscall=59 success=yes exit=5 a0=9 a1=7ffd4ac563d
      { line: 0, hostname: undefined, time: '2023-03-08T13:33:01.452Z', extra: { type: 'SYSCALL', serial: '102336' } },
  ] },
  { file: 'laurel-auditd/record-uringop.txt', parsed: 2, unparsed: 0, spots: [
      // type=URINGOP msg=audit(1737533617.373:12266329): uring_op=18 success=yes exit=0 items=0 ppid=140504 pid=317880
      { line: 0, hostname: undefined, time: '2025-01-22T08:13:37.373Z', extra: { type: 'URINGOP', serial: '12266329' } },
  ] },
  { file: 'laurel-auditd/record-weblogic.txt', parsed: 6, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1734013587.483:2679223): arch=c000003e syscall=59 success="yes" exit=0 a0=1b5cda0 a1=1b
      { line: 0, hostname: undefined, time: '2024-12-12T14:26:27.483Z', extra: { type: 'SYSCALL', serial: '2679223' } },
  ] },
  { file: 'laurel-auditd/shell-proc-trace-confusion.txt', parsed: 164, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1697091525.582:2588684): arch=c000003e syscall=59 success="yes" exit=0 a0=2479518 a1=24
      { line: 0, hostname: undefined, time: '2023-10-12T06:18:45.582Z', extra: { type: 'SYSCALL', serial: '2588684' } },
  ] },
  { file: 'laurel-auditd/shell-proc-trace-reordered.txt', parsed: 39, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1682609045.526:29237): arch=c000003e syscall=56 success=yes exit=71505 a0=1200011 a1=0 
      { line: 0, hostname: undefined, time: '2023-04-27T15:24:05.526Z', extra: { type: 'SYSCALL', serial: '29237' } },
  ] },
  { file: 'laurel-auditd/shell-proc-trace.txt', parsed: 39, unparsed: 0, spots: [
      // type=SYSCALL msg=audit(1682609045.526:29237): arch=c000003e syscall=56 success=yes exit=71505 a0=1200011 a1=0 
      { line: 0, hostname: undefined, time: '2023-04-27T15:24:05.526Z', extra: { type: 'SYSCALL', serial: '29237' } },
  ] },
  { file: 'loghub/Linux_2k.log', parsed: 2000, unparsed: 0, spots: [
      // Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser=
      { line: 0, hostname: 'combo', app: 'sshd(pam_unix)', procid: '19939', time: '2024-06-14T15:16:01.000Z' },
      // Jun 15 04:12:43 combo su(pam_unix)[22644]: session closed for user news
      { line: 17, hostname: 'combo', app: 'su(pam_unix)', procid: '22644', time: '2024-06-15T04:12:43.000Z' },
      // Jul 27 14:42:00 combo kernel: Linux agpgart interface v0.100 (c) Dave Jones
      { line: 1999, hostname: 'combo', app: 'kernel', procid: undefined, time: '2024-07-27T14:42:00.000Z' },
  ] },
  { file: 'loghub/OpenSSH_2k.head500.log', parsed: 500, unparsed: 0, spots: [
      // Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31
      { line: 0, hostname: 'LabSZ', app: 'sshd', procid: '24200', time: '2024-12-10T06:55:46.000Z' },
      // Dec 10 09:12:37 LabSZ sshd[24494]: Failed password for invalid user PlcmSpIp from 103.99.0.122 port 51966 ssh2
      { line: 499, hostname: 'LabSZ', app: 'sshd', procid: '24494', time: '2024-12-10T09:12:37.000Z' },
  ] },
  { file: 'loghub/Thunderbird_2k.head500.log', parsed: 500, unparsed: 0, spots: [
      // Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root
      { line: 0, hostname: 'dn228/dn228', app: 'crond(pam_unix)', procid: '2915', time: '2024-11-09T12:01:01.000Z' },
      // Nov 9 12:01:01 local@tbird-admin1 /apps/x86_64/system/ganglia-3.0.1/sbin/gmetad[1682]: data_thread() got not a
      { line: 40, hostname: 'local@tbird-admin1', app: '/apps/x86_64/system/ganglia-3.0.1/sbin/gmetad', procid: '1682', time: '2024-11-09T12:01:01.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/101', parsed: 4, unparsed: 0, spots: [
      // Feb 15 16:08:14 triumph PAM-securetty[741]: Couldn't open /etc/securetty
      { line: 0, hostname: 'triumph', app: 'PAM-securetty', procid: '741', time: '2025-02-15T16:08:14.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1101', parsed: 10, unparsed: 4, spots: [
      // su[2921936]: succeeded: ttyq4 changing from root to ldap
      { line: 0, error: 'no-envelope' },
      // Sep 11 01:40:59 bogus.com su: ericx to root on /dev/ttyu0
      { line: 4, hostname: 'bogus.com', app: 'su', procid: undefined, time: '2024-09-11T01:40:59.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1301_1302_1303', parsed: 30, unparsed: 0, spots: [
      // May 21 10:24:54 niban useradd[6070]: new group: name=test, gid=5006 
      { line: 0, hostname: 'niban', app: 'useradd', procid: '6070', time: '2025-05-21T10:24:54.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1401', parsed: 3, unparsed: 0, spots: [
      // Feb  1 14:39:16 nogan sudo:    test2 : 3 incorrect password attempts ; TTY=pts/4 ; PWD=/home/test2 ; USER=root
      { line: 0, hostname: 'nogan', app: 'sudo', procid: undefined, time: '2025-02-01T14:39:16.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1402', parsed: 5, unparsed: 0, spots: [
      // Feb  4 10:43:02 niban sudo:     dcid : TTY=pts/4 ; PWD=/home/dcid ; USER=root ; COMMAND=/bin/ls
      { line: 0, hostname: 'niban', app: 'sudo', procid: undefined, time: '2025-02-04T10:43:02.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1602', parsed: 4, unparsed: 17, spots: [
      // Oct 26 18:07:45 ccs rpc.statd[189]: gethostbyname error for ^X÷ÿ¿^X÷ÿ¿^Z÷ÿ¿^Z÷ÿ¿%8x%8x%8x%8x%8x%8x%8x%8x%8x%62
      { line: 0, hostname: 'ccs', app: 'rpc.statd', procid: '189', time: '2024-10-26T18:07:45.000Z' },
      // Jul  9 01:21:11 blue /sbin/rpc.statd[166]: gethostbyname error for
      { line: 1, hostname: 'blue', app: '/sbin/rpc.statd', procid: '166', time: '2024-07-09T01:21:11.000Z' },
      // ^X<F7><FF><BF>^X<F7><FF><BF>^Y<F7><FF><BF>^Y<F7><FF><BF>^Z<F7><FF><BF>^Z
      { line: 2, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/1603', parsed: 1, unparsed: 2, spots: [
      // May 17 01:01:19 server ftpd[746]: ANONYMOUS FTP LOGIN FROM emaca.here.com
      { line: 0, hostname: 'server', app: 'ftpd', procid: '746', time: '2025-05-17T01:01:19.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1607', parsed: 10, unparsed: 0, spots: [
      // May 16 22:46:08 victim-host inetd[600]: /usr/lib/fs/cachefs/cachefsd: Segmentation Fault - core dumped
      { line: 0, hostname: 'victim-host', app: 'inetd', procid: '600', time: '2025-05-16T22:46:08.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1609', parsed: 6, unparsed: 1, spots: [
      // a.out[347] attempt to execute code on stack by uid 555
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/1901', parsed: 6, unparsed: 3, spots: [
      // Apr 17 22:20:21 hostj named[312]: [ID 295310 daemon.notice] security: notice: dropping source port zero packet
      { line: 0, hostname: 'hostj', app: 'named', procid: '312', time: '2025-04-17T22:20:21.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1902', parsed: 2, unparsed: 1, spots: [
      // Apr 20 09:14:45 hostname named[98]: denied AXFR from [1.2.3.4].1329 for
      { line: 0, hostname: 'hostname', app: 'named', procid: '98', time: '2025-04-20T09:14:45.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1903', parsed: 3, unparsed: 1, spots: [
      // Jan  6 13:40:28 drew named[128838]: denied update from [24.64.63.195].41151 for in-addr.arpa
      { line: 0, hostname: 'drew', app: 'named', procid: '128838', time: '2025-01-06T13:40:28.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/1905', parsed: 0, unparsed: 2, spots: [
      // named[8020]: unexpected RCODE (REFUSED) resolving 'inteligentes.cjb.net/AAAA/IN': 200.206.159.96#53
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/201', parsed: 3, unparsed: 0, spots: [
      // May 26 12:53:57 atlas kernel: svc: unknown program 100227 (me 100003)
      { line: 0, hostname: 'atlas', app: 'kernel', procid: undefined, time: '2025-05-26T12:53:57.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/202', parsed: 5, unparsed: 1, spots: [
      // Mar 30 12:01:25 compute-0-0.local automount[6447]: mount(nfs): nfs: mount failure cares.local:/export/home/jfi
      { line: 0, hostname: 'compute-0-0.local', app: 'automount', procid: '6447', time: '2025-03-30T12:01:25.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/204', parsed: 3, unparsed: 1, spots: [
      // rpc.mountd: refused mount request from 10.0.0.12 for /home2/files (/): no export entry
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/2501', parsed: 6, unparsed: 22, spots: [
      // Nov 9 05:00:07 ensim
      { line: 0, hostname: 'ensim', app: undefined, procid: undefined, time: '2024-11-09T05:00:07.000Z' },
      // proftpd[21141]: ensim.domain.com
      { line: 1, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/2601', parsed: 0, unparsed: 4, spots: [
      // pptpd[7282]: GRE: read(fd=7,buffer=80567c0,len=8260) from network failed: status = -1 error = Protocol not ava
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/301', parsed: 2, unparsed: 0, spots: [
      // Jan 25 21:05:40 horus xinetd[4479]: Deactivating service ftp due to excessive incoming connections.  Restartin
      { line: 0, hostname: 'horus', app: 'xinetd', procid: '4479', time: '2025-01-25T21:05:40.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/401', parsed: 0, unparsed: 5, spots: [
      // login: 1 LOGIN FAILURE ON ttyv0
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/403', parsed: 16, unparsed: 3, spots: [
      // Dec  7 13:52:12 casal in.telnetd[27798]: refused connect from unknown
      { line: 0, hostname: 'casal', app: 'in.telnetd', procid: '27798', time: '2024-12-07T13:52:12.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/408', parsed: 1, unparsed: 0, spots: [
      // Feb  4 16:54:28 niban login[1074]: FAILED LOGIN 1 FROM (null) FOR dcid, Authentication failure
      { line: 0, hostname: 'niban', app: 'login', procid: '1074', time: '2025-02-04T16:54:28.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/409', parsed: 6, unparsed: 0, spots: [
      // Feb 15 14:32:20 freebsd-1 sshd[1374]: Illegal user dcid from 192.168.1.2
      { line: 0, hostname: 'freebsd-1', app: 'sshd', procid: '1374', time: '2025-02-15T14:32:20.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/access-control', parsed: 7, unparsed: 0, spots: [
      // Apr 27 17:27:19 niban login(pam_unix)[1059]: authentication failure; logname=LOGIN uid=0 euid=0 tty=tty2 ruser
      { line: 0, hostname: 'niban', app: 'login(pam_unix)', procid: '1059', time: '2025-04-27T17:27:19.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/cisco-ios-ids', parsed: 25, unparsed: 0, spots: [
      // Sep  1 10:24:59 10.10.10.1 %SYS-5-CONFIG_I: Configured from console by console
      { line: 0, hostname: '10.10.10.1', app: '%SYS-5-CONFIG_I', procid: undefined, time: '2024-09-01T10:24:59.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/ciscoios', parsed: 9, unparsed: 0, spots: [
      // Jul 10 16:07:14 cisco2621 %SEC-6-IPACCESSLOGP: list 102 denied tcp 10.0.6.56(3067) -> 172.36.4.7(139), 1 packe
      { line: 0, hostname: 'cisco2621', app: '%SEC-6-IPACCESSLOGP', procid: undefined, time: '2024-07-10T16:07:14.000Z' },
      // %SEC-6-IPACCESSLOGP: list 199 permitted tcp 10.0.40.16(3059) -> 10.0.4.101(1060), 2 packets
      { line: 1, hostname: undefined, app: '%SEC-6-IPACCESSLOGP', procid: undefined, time: undefined },
  ] },
  { file: 'ossec-hids/log-entries/ftpd', parsed: 15, unparsed: 0, spots: [
      // May 28 19:38:24 valhalla ftpd[24474]: FTPD: IMPORT file local /mnt/1//ide9/s09099/public_html/tasarim_files/ak
      { line: 0, hostname: 'valhalla', app: 'ftpd', procid: '24474', time: '2024-05-28T19:38:24.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/kernel', parsed: 0, unparsed: 1, spots: [
      // kernel: tcp_parse_options: Illegal window scaling value 200 >14 received.
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/proftpd', parsed: 40, unparsed: 0, spots: [
      // May 21 20:20:44 slacker proftpd[25526] slacker.lab.ossec.net: ProFTPD 1.2.10 (stable) (built Tue Aug 2 22:33:0
      { line: 0, hostname: 'slacker', app: 'proftpd', procid: '25526', time: '2025-05-21T20:20:44.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/smbd', parsed: 1, unparsed: 7, spots: [
      // smbd[12252]:   getpeername failed. Error was Transport endpoint is not connected
      { line: 0, error: 'no-envelope' },
  ] },
  { file: 'ossec-hids/log-entries/sshd', parsed: 345, unparsed: 0, spots: [
      // Jul  7 10:51:24 eva sshd[19537]: Invalid user admin from 83.15.231.75
      { line: 0, hostname: 'eva', app: 'sshd', procid: '19537', time: '2024-07-07T10:51:24.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/telnetd', parsed: 15, unparsed: 0, spots: [
      // May 27 15:52:37 valhalla telnetd[4882]: refused connect from mstr195175-16075.dial-in.ttnet.net.tr
      { line: 0, hostname: 'valhalla', app: 'telnetd', procid: '4882', time: '2025-05-27T15:52:37.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/unkown', parsed: 15, unparsed: 0, spots: [
      //  Apr 14 19:18:56 mozart in.telnetd[11634]: connect from 192.168.11.200
      { line: 0, hostname: 'mozart', app: 'in.telnetd', procid: '11634', time: '2025-04-14T19:18:56.000Z' },
  ] },
  { file: 'ossec-hids/log-entries/vpopmail', parsed: 26, unparsed: 0, spots: [
      // Sep 14 07:21:42 iron vpopmail[939]: vchkpw-pop3: password fail keith1@xxxx.com:219.136.100.198
      { line: 0, hostname: 'iron', app: 'vpopmail', procid: '939', time: '2024-09-14T07:21:42.000Z' },
  ] },
  { file: 'snoopy/snoopy_doc_examples.log', parsed: 22, unparsed: 0, spots: [
      // 2015-02-11T19:05:10+00:00 labrat-1 snoopy[896]: [uid:0 sid:11679 tty:/dev/pts/2 cwd:/root filename:/usr/bin/ca
      { line: 0, hostname: 'labrat-1', app: 'snoopy', procid: '896', time: '2015-02-11T19:05:10.000Z' },
  ] },
  { file: 'sudo/czanik-opensource-article/sudo_json_cee_example.log', parsed: 1, unparsed: 0, spots: [
      // Jan 28 13:58:20 localhost.localdomain sudo[10518]: @cee:{"sudo":{"accept":{"uuid":"616bc9efcf-b239-469d-60ee-d
      { line: 0, hostname: 'localhost.localdomain', app: 'sudo', procid: '10518', time: '2025-01-28T13:58:20.000Z' },
  ] },
  { file: 'sudo/czanik-opensource-article/sudo_logfile_log_subcmds_examples.log', parsed: 7, unparsed: 0, spots: [
      // Aug 30 13:13:14 czanik : TTY=pts/1 ; PWD=/home/czanik ; USER=root ; COMMAND=/usr/bin/joe
      { line: 0, hostname: undefined, app: undefined, procid: undefined, time: '2024-08-30T13:13:14.000Z' },
  ] },
  { file: 'sudo/czanik-opensource-article/sudo_syslog_examples.log', parsed: 5, unparsed: 0, spots: [
      // Jan 28 13:56:27 localhost.localdomain sudo[10419]: czanik : TTY=pts/0 ; PWD=/home/czanik ; USER=root ; COMMAND
      { line: 0, hostname: 'localhost.localdomain', app: 'sudo', procid: '10419', time: '2025-01-28T13:56:27.000Z' },
  ] },
  { file: 'sudo/lib/eventlog/regress/logwrap/check_wrap.in', parsed: 2, unparsed: 0, spots: [
      // Jul 11 11:30:17 : tu2sp3-a : command not allowed ; TTY=pts/1 ; PWD=/home/tu2sp3-a ; USER=root ; COMMAND=/opt/q
      { line: 0, hostname: undefined, app: undefined, procid: undefined, time: '2024-07-11T11:30:17.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/audit_scp.ini', parsed: 7, unparsed: 1, spots: [
      //  type=SYSCALL msg=audit(1624643172.076:11843): arch=c000003e syscall=59 success=yes exit=0 a0=25c81f0 a1=255f0
      { line: 0, error: 'no-envelope' },
      // type=SYSCALL msg=audit(1624643172.076:11843): arch=c000003e syscall=59 success=yes exit=0 a0=25c81f0 a1=255f00
      { line: 1, hostname: undefined, time: '2021-06-25T17:46:12.076Z', extra: { type: 'SYSCALL', serial: '11843' } },
  ] },
  { file: 'wazuh-ruleset-tests/auditd.ini', parsed: 35, unparsed: 0, spots: [
      // type=DAEMON_RESUME msg=audit(1300385209.456:8846): auditd resuming logging, sending auid=? pid=? subj=? res=su
      { line: 0, hostname: undefined, time: '2011-03-17T18:06:49.456Z', extra: { type: 'DAEMON_RESUME', serial: '8846' } },
  ] },
  { file: 'wazuh-ruleset-tests/cisco-ios_decoders_comment_examples.txt', parsed: 51, unparsed: 0, spots: [
      // 1111: ROUTERHOSTNAME: 000012: 00:11:22: %SYS-5-CONFIG_I: text...
      { line: 0, hostname: 'ROUTERHOSTNAME', app: '%SYS-5-CONFIG_I', procid: undefined, time: undefined, deviceSeq: 12 },
      // *Mar  1 18:46:11: %SYS-5-CONFIG_I: Configured from console by vty2 (10.34.195.36)
      { line: 4, hostname: undefined, app: '%SYS-5-CONFIG_I', procid: undefined, time: '2025-03-01T18:46:11.000Z' },
      // *Mar  1 2019 18:48:50 UTC: %SYS-5-CONFIG_I: Configured from console by vty2 (10.34.195.36)
      { line: 9, hostname: undefined, app: '%SYS-5-CONFIG_I', procid: undefined, time: '2019-03-01T18:48:50.000Z' },
      // %SEC-6-IPACCESSLOGP: list 102 denied tcp 10.0.6.56(3067) -> 172.36.4.7(139), 1 packet
      { line: 44, hostname: undefined, app: '%SEC-6-IPACCESSLOGP', procid: undefined, time: undefined },
      // Sep  1 10:25:29 10.10.10.1 %IPS-4-SIGNATURE: Sig:5123 Subsig:2 Sev:5 WWW IIS Internet Printing Overflow [192.1
      { line: 48, hostname: '10.10.10.1', app: '%IPS-4-SIGNATURE', procid: undefined, time: '2024-09-01T10:25:29.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/cisco_ios.ini', parsed: 17, unparsed: 0, spots: [
      // 3924923: *Oct  6 03:32:04.114 gmt: %SEC-6-IPACCESSLOGP: list bcv_out denied tcp 10.0.3.100(50150) -> 192.168.2
      { line: 5, hostname: undefined, app: '%SEC-6-IPACCESSLOGP', procid: undefined, time: '2024-10-06T03:32:04.114Z', deviceSeq: 3924923 },
      // 681: Aug 17 17:41:24.776 AEST: %SEC-6-IPACCESSLOGP: list 102 denied tcp 10.0.6.56(3067) -> 172.36.4.7(139), 1 
      { line: 7, hostname: undefined, app: '%SEC-6-IPACCESSLOGP', procid: undefined, time: '2024-08-17T07:41:24.776Z', deviceSeq: 681 },
  ] },
  { file: 'wazuh-ruleset-tests/doas.ini', parsed: 4, unparsed: 0, spots: [
      // Apr 13 08:49:20 ix doas: failed command for ddp2: ls
      { line: 0, hostname: 'ix', app: 'doas', procid: undefined, time: '2025-04-13T08:49:20.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/dropbear.ini', parsed: 3, unparsed: 0, spots: [
      // Jan  8 16:39:33 tp.lan dropbear[14824]: Bad password attempt for 'root' from 193.219.28.149:48629
      { line: 0, hostname: 'tp.lan', app: 'dropbear', procid: '14824', time: '2025-01-08T16:39:33.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/junos.ini', parsed: 3, unparsed: 0, spots: [
      // Sep 23 13:54:55 192.168.1.1 junos-flow: 2017-09-23T13:54:54.803Z sis-srx-mic-01 RT_FLOW - RT_FLOW_SESSION_DENY
      { line: 1, hostname: '192.168.1.1', app: 'junos-flow', procid: undefined, time: '2024-09-23T13:54:55.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/pam.ini', parsed: 5, unparsed: 0, spots: [
      // Nov 11 22:46:29 localhost su(pam_unix)[23164]: authentication failure; logname= uid=1342 euid=0 tty= ruser=dci
      { line: 0, hostname: 'localhost', app: 'su(pam_unix)', procid: '23164', time: '2024-11-11T22:46:29.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/rsh.ini', parsed: 2, unparsed: 0, spots: [
      // Dec 17 10:49:23 hostname rshd[347339]: Connection from 10.217.223.31 on illegal port 
      { line: 0, hostname: 'hostname', app: 'rshd', procid: '347339', time: '2024-12-17T10:49:23.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/sshd.ini', parsed: 71, unparsed: 0, spots: [
      // Feb  9 11:44:56 someserver sshd[1234]: error: Could not stat AuthorizedKeysCommand "/usr/local/sbin/ssh-ldap-a
      { line: 0, hostname: 'someserver', app: 'sshd', procid: '1234', time: '2025-02-09T11:44:56.000Z' },
      // 2020-03-24 08:38:47.230409-0700  localhost sshd[2531]: Disconnecting invalid user root 172.18.1.100 port 43042
      { line: 40, hostname: 'localhost', app: 'sshd', procid: '2531', time: '2020-03-24T15:38:47.230Z' },
  ] },
  { file: 'wazuh-ruleset-tests/su.ini', parsed: 5, unparsed: 0, spots: [
      // Apr 27 15:22:23 niban su[2921936]: failed: ttyq4 changing from ldap to root
      { line: 0, hostname: 'niban', app: 'su', procid: '2921936', time: '2025-04-27T15:22:23.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/sudo.ini', parsed: 8, unparsed: 0, spots: [
      // Apr 27 15:22:23 niban sudo:     dcid : TTY=pts/4 ; PWD=/home/dcid ; USER=root ; COMMAND=/usr/bin/tail /var/log
      { line: 0, hostname: 'niban', app: 'sudo', procid: undefined, time: '2025-04-27T15:22:23.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/syslog.ini', parsed: 6, unparsed: 0, spots: [
      // Jul 18 09:21:57 localhost kernel: nouveau E[  PGRAPH][0000:0f:00.0] DATA_ERROR BEGIN_END_ACTIVE
      { line: 0, hostname: 'localhost', app: 'kernel', procid: undefined, time: '2024-07-18T09:21:57.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/systemd.ini', parsed: 2, unparsed: 0, spots: [
      // Jul 19 07:28:02 localhost systemd: Failed to mark scope session-1024.scope as abandoned : Stale file handle
      { line: 0, hostname: 'localhost', app: 'systemd', procid: undefined, time: '2024-07-19T07:28:02.000Z' },
  ] },
  { file: 'wazuh-ruleset-tests/user.ini', parsed: 0, unparsed: 1, spots: [
      // { "user": "root" }
      { line: 0, error: 'no-envelope' },
  ] },
];

describe('real-world corpora', () => {
  it('covers every copied sample file', () => {
    const walk = (dir: URL, rel: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`) : [`${rel}${e.name}`]);
    // Not samples: provenance notes, the loghub licence, the converter script, the vector file (syslog-vectors.test.ts).
    const samples = walk(ROOT, '').filter((f) => !/(^|\/)(PROVENANCE\.md|LICENSE_loghub\.txt)$|\.py$|syslog_parser_vectors\.json$/.test(f));
    expect(CORPUS.map((c) => c.file).sort()).toEqual(samples.sort());
  });

  it.each(CORPUS.map((c) => [c.file, c] as const))('%s', (_f, c) => {
    const lines = readLines(c.file);
    const results = lines.map((l) => parseEnvelope(l, CTX));
    const reasons = UNPARSED_REASONS as readonly string[];
    for (const r of results) expect(r.ok || reasons.includes(r.error.type)).toBe(true);
    const parsed = results.filter((r) => r.ok).length;
    expect({ parsed, unparsed: results.length - parsed }).toEqual({ parsed: c.parsed, unparsed: c.unparsed });

    for (const s of c.spots) {
      const r = results[s.line];
      expect(r, `line ${s.line} exists`).toBeDefined();
      if (!r) continue;
      if (s.error !== undefined) {
        expect(r.ok ? 'ok' : r.error.type, `line ${s.line}`).toBe(s.error);
        continue;
      }
      expect(r.ok, `line ${s.line} parses`).toBe(true);
      if (!r.ok) continue;
      const v = r.value;
      // hostname and time are always compared (undefined included); app/procid whenever the spot names
      // an app (audit records have none), deviceSeq and extra when given.
      const got: Record<string, unknown> = { hostname: v.hostname, time: v.time === undefined ? undefined : new Date(v.time).toISOString() };
      const want: Record<string, unknown> = { hostname: s.hostname, time: s.time };
      if ('app' in s) {
        got.app = v.app;
        got.procid = v.procid;
        want.app = s.app;
        want.procid = s.procid;
      }
      if (s.deviceSeq !== undefined) {
        got.deviceSeq = v.deviceSeq;
        want.deviceSeq = s.deviceSeq;
      }
      if (s.extra !== undefined) {
        got.extra = v.extra;
        want.extra = s.extra;
      }
      expect(got, `line ${s.line}`).toEqual(want);
    }
  });
});
