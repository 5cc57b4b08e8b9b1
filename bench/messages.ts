// Deterministic generator of realistic syslog lines (sshd, sudo, su, snoopy, Cisco IOS, JunOS) in
// RFC 3164 / RFC 5424 form, each carrying a unique `seq=NNNNNN` token so tests can prove none is lost.
// Pure and offline: it must never read the clock, the network or Math.random (same seed, same lines).

export type LineFormat = 'rfc3164' | 'rfc5424' | 'mixed';

export interface MakeLinesOptions {
  format: LineFormat;
  seed: number;
  /** First sequence number. Default 1. */
  startSeq?: number;
  /** Timestamp of the first line (ms since epoch). Default 2024-03-01T08:00:00Z. */
  startTimeMs?: number;
}

/** Matches the sequence token; group 1 is the number. */
export const SEQ_RE = /\bseq=(\d+)\b/;

/** The token as it appears in a line: `seq=` and at least 6 digits. */
export function seqToken(seq: number): string {
  return `seq=${String(seq).padStart(6, '0')}`;
}

/** Sequence number carried by a line (or any text containing one), else null. */
export function extractSeq(text: string): number | null {
  const m = SEQ_RE.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** Small fast PRNG (mulberry32); returns floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  host: string;
  app: string;
  pid: number | null;
  /** RFC 5424 MSGID, or '-' */
  msgid: string;
  /** RFC 5424 STRUCTURED-DATA, or '-' */
  sd: string;
  facility: number;
  severity: number;
  msg: string;
  /** Message text for the RFC 5424 form when it differs (JunOS drops the event name there). */
  msg5424?: string;
  /** Cisco IOS puts its own header in the message and has no app/pid. */
  cisco?: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'deploy', 'netops'];
const UIDS: Record<string, number> = { alice: 1001, bob: 1002, carol: 1003, dave: 1004, erin: 1005, frank: 1006, deploy: 998, netops: 1010 };
const SERVERS = ['web01', 'web02', 'db01', 'bastion1', 'app03', 'cache02', 'build7', 'lb1'];
const ROUTERS = ['router1.example.net', 'core-sw2', 'rtr3'];
const JUNIPERS = ['mx1', 'srx-fw2'];
const COMMANDS = [
  '/usr/bin/systemctl restart nginx',
  '/usr/bin/journalctl -u sshd --since today',
  '/usr/bin/apt-get install -y htop',
  '/bin/cat /etc/shadow',
  '/usr/sbin/iptables -L -n',
  '/usr/bin/vim /etc/hosts',
  '/usr/bin/docker ps -a',
];
const SHELL_CMDS = ['ls -la /var/log', 'tail -n 50 /var/log/nginx/error.log', 'df -h', 'ps aux', 'uptime', 'id', 'git pull --ff-only'];
const IOS_CMDS = ['interface GigabitEthernet0/1', 'no shutdown', 'ip route 0.0.0.0 0.0.0.0 192.0.2.1', 'description uplink-to-core', 'logging host 10.0.0.9'];
const JUNOS_CMDS = ['show configuration protocols bgp', 'show route summary', 'configure private', 'commit check', 'show interfaces terse'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Makes `n` lines, deterministic for a given (format, seed, startSeq, startTimeMs). */
export function makeLines(n: number, opts: MakeLinesOptions): string[] {
  const rnd = prng(opts.seed);
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rnd() * arr.length)] as T;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const ip = (): string => `10.${int(0, 40)}.${int(0, 255)}.${int(1, 254)}`;
  const fingerprint = (): string => Array.from({ length: 43 }, () => pick(B64.split(''))).join('');
  const startSeq = opts.startSeq ?? 1;
  let t = opts.startTimeMs ?? Date.UTC(2024, 2, 1, 8, 0, 0);
  let iosCounter = int(100, 5000);
  const out: string[] = new Array<string>(n);

  const generators: Array<[number, () => Event]> = [
    [9, () => {
      const u = pick(USERS);
      return { host: pick(SERVERS), app: 'sshd', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 4, severity: 6,
        msg: rnd() < 0.5
          ? `Accepted publickey for ${u} from ${ip()} port ${int(32768, 60999)} ssh2: ED25519 SHA256:${fingerprint()}`
          : `Accepted password for ${u} from ${ip()} port ${int(32768, 60999)} ssh2` };
    }],
    [12, () => {
      const u = pick(USERS);
      return { host: pick(SERVERS), app: 'sshd', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 10, severity: 6,
        msg: `pam_unix(sshd:session): session opened for user ${u}(uid=${UIDS[u] ?? 1000}) by (uid=0)` };
    }],
    [10, () => ({ host: pick(SERVERS), app: 'sshd', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 4, severity: 6,
      msg: `Disconnected from user ${pick(USERS)} ${ip()} port ${int(32768, 60999)}` })],
    [6, () => ({ host: pick(SERVERS), app: 'sshd', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 10, severity: 5,
      msg: `Failed password for invalid user admin from 203.0.113.${int(1, 254)} port ${int(32768, 60999)} ssh2` })],
    [14, () => {
      const u = pick(USERS);
      const tty = rnd() < 0.8 ? `TTY=pts/${int(0, 9)} ; ` : '';
      return { host: pick(SERVERS), app: 'sudo', pid: null, msgid: '-', sd: '-', facility: 10, severity: 5,
        msg: `${u} : ${tty}PWD=/home/${u} ; USER=root ; COMMAND=${pick(COMMANDS)}` };
    }],
    [5, () => {
      const u = pick(USERS);
      return { host: pick(SERVERS), app: 'sudo', pid: null, msgid: '-', sd: '-', facility: 10, severity: 6,
        msg: `pam_unix(sudo:session): session opened for user root(uid=0) by ${u}(uid=${UIDS[u] ?? 1000})` };
    }],
    [10, () => ({ host: pick(SERVERS), app: 'su', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 4, severity: 5,
      msg: `(to root) ${pick(USERS)} on pts/${int(0, 9)}` })],
    [3, () => {
      const u = pick(USERS);
      return { host: pick(SERVERS), app: 'su', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 10, severity: 6,
        msg: `pam_unix(su:session): session opened for user root(uid=0) by ${u}(uid=${UIDS[u] ?? 1000})` };
    }],
    [5, () => {
      const u = pick(USERS);
      const uid = UIDS[u] ?? 1000;
      return { host: pick(SERVERS), app: 'snoopy', pid: int(1000, 65000), msgid: '-', sd: '-', facility: 10, severity: 6,
        msg: `[login:${u} ssh:(${ip()} ${int(32768, 60999)} 10.0.0.5 22) sid:${int(1000, 65000)} tty:/dev/pts/${int(0, 9)} uid:${uid} cwd:/home/${u}]: ${pick(SHELL_CMDS)}` };
    }],
    [5, () => ({ host: pick(ROUTERS), app: '-', pid: null, msgid: 'SEC_LOGIN-5-LOGIN_SUCCESS', sd: '-', facility: 23, severity: 5, cisco: true,
      msg: `%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ${pick(USERS)}] [Source: ${ip()}] [localport: 22]` })],
    [6, () => ({ host: pick(ROUTERS), app: '-', pid: null, msgid: 'PARSER-5-CFGLOG_LOGGEDCMD', sd: '-', facility: 23, severity: 5, cisco: true,
      msg: `%PARSER-5-CFGLOG_LOGGEDCMD: User:${pick(USERS)}  logged command:${pick(IOS_CMDS)}` })],
    [8, () => {
      const u = pick(USERS);
      const cmd = pick(JUNOS_CMDS);
      return { host: pick(JUNIPERS), app: 'mgd', pid: int(1000, 65000), msgid: 'UI_CMDLINE_READ_LINE', facility: 23, severity: 6,
        sd: `[junos@2636.1.1.1.2.29 username="${u}"]`,
        msg: `UI_CMDLINE_READ_LINE: User '${u}', command '${cmd} '`,
        msg5424: `User '${u}', command '${cmd} '` };
    }],
  ];
  const totalWeight = generators.reduce((s, [w]) => s + w, 0);

  for (let i = 0; i < n; i++) {
    const seq = startSeq + i;
    t += int(1, 60);
    let r = rnd() * totalWeight;
    let gen = generators[0]![1];
    for (const [w, g] of generators) {
      if (r < w) {
        gen = g;
        break;
      }
      r -= w;
    }
    const ev = gen();
    const fmt = opts.format === 'mixed' ? (rnd() < 0.5 ? 'rfc3164' : 'rfc5424') : opts.format;
    const pri = ev.facility * 8 + ev.severity;
    const d = new Date(t);
    const text = `${ev.msg} ${seqToken(seq)}`;
    if (fmt === 'rfc5424') {
      const text5424 = ev.msg5424 === undefined ? text : `${ev.msg5424} ${seqToken(seq)}`;
      const ts = d.toISOString();
      if (ev.cisco) {
        out[i] = `<${pri}>1 ${ts} ${ev.host} IOS - ${ev.msgid} - ${text}`;
      } else {
        out[i] = `<${pri}>1 ${ts} ${ev.host} ${ev.app} ${ev.pid ?? '-'} ${ev.msgid} ${ev.sd} ${text5424}`;
      }
    } else {
      const hh = String(d.getUTCHours()).padStart(2, '0');
      const mi = String(d.getUTCMinutes()).padStart(2, '0');
      const ss = String(d.getUTCSeconds()).padStart(2, '0');
      const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hh}:${mi}:${ss}`;
      if (ev.cisco) {
        const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
        out[i] = `<${pri}>${iosCounter++}: ${ev.host}: *${stamp}.${ms} UTC: ${text}`;
      } else {
        const tag = ev.pid === null ? `${ev.app}:` : `${ev.app}[${ev.pid}]:`;
        out[i] = `<${pri}>${stamp} ${ev.host} ${tag} ${text}`;
      }
    }
  }
  return out;
}

/** Concatenates lines for a stream: LF-terminated, or RFC 6587 octet-counted (`LEN SP MSG`). */
export function buildPayload(lines: readonly string[], framing: 'lf' | 'octet'): Buffer {
  if (framing === 'lf') return Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
  const parts: Buffer[] = [];
  for (const line of lines) {
    const body = Buffer.from(line, 'utf8');
    parts.push(Buffer.from(`${body.length} `, 'ascii'), body);
  }
  return Buffer.concat(parts);
}
