// Deterministic generator of interleaved Linux operator sessions as rsyslog receives them: sshd
// accept, pam session, snoopy execs (format of snoopy 2.5 on Debian 12, as captured in
// src/parsers/body/snoopy/testdata), sudo with a terminal, su, disconnect. Pure: no clock, no Math.random.

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'deploy', 'netops'];
const COMMANDS = ['ls -la', 'uptime', 'df -h', 'systemctl status nginx', 'journalctl -u nginx -n 50', 'ss -tlpn', 'cat /etc/hosts', 'tail -n 100 /var/log/syslog', 'git pull', 'ps aux', 'free -m', 'id'];
const SUDO = ['/usr/bin/systemctl restart nginx', '/usr/bin/apt-get update', '/usr/bin/tail -n 50 /var/log/auth.log', '/usr/sbin/iptables -L -n'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const bsdTime = (ms: number): string => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
};

interface Story {
  lines: { t: number; text: string }[];
}

/** One session's lines, from `t0`. */
const story = (r: () => number, n: number, t0: number): Story => {
  const host = `web${(n % 50) + 1}`;
  const user = USERS[n % USERS.length]!;
  const uid = 1001 + (n % USERS.length);
  const port = 30000 + (n % 30000);
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const pid = 2000 + ((n * 7) % 60000);
  const child = pid + 1;
  const tty = `pts/${n % 200}`;
  let t = t0;
  const out: { t: number; text: string }[] = [];
  const at = (prefix: string, msg: string, pri = 86): void => {
    out.push({ t, text: `<${pri}>${bsdTime(t)} ${host} ${prefix}: ${msg}` });
  };
  at(`sshd[${pid}]`, `Accepted publickey for ${user} from ${ip} port ${port} ssh2: ED25519 SHA256:${'k'.repeat(43)}`, 38);
  at(`sshd[${pid}]`, `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
  const cmds = 5 + Math.floor(r() * 15);
  for (let i = 0; i < cmds; i++) {
    t += 1000 + Math.floor(r() * 20_000);
    const snoopyPid = 40000 + ((n * 31 + i) % 20000);
    const prefix = `[login:${user} ssh:(${ip} ${port} 10.0.0.1 22) sid:${child} tty:/dev/${tty} (${uid}/${user}) uid:${user}(${uid})/${user}(${uid}) cwd:/home/${user}]`;
    if (r() < 0.15) {
      const cmd = SUDO[Math.floor(r() * SUDO.length)]!;
      at(`snoopy[${snoopyPid}]`, `${prefix}: sudo ${cmd.slice(cmd.lastIndexOf('/') + 1)}`);
      at('sudo', `    ${user} : TTY=${tty} ; PWD=/home/${user} ; USER=root ; COMMAND=${cmd}`, 85);
      at('sudo', `pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${uid})`, 86);
      at('sudo', 'pam_unix(sudo:session): session closed for user root', 86);
    } else {
      at(`snoopy[${snoopyPid}]`, `${prefix}: ${COMMANDS[Math.floor(r() * COMMANDS.length)]!}`);
    }
  }
  t += 500;
  at(`sshd[${child}]`, `Received disconnect from ${ip} port ${port}:11: disconnected by user`, 38);
  at(`sshd[${child}]`, `Disconnected from user ${user} ${ip} port ${port}`, 38);
  at(`sshd[${pid}]`, `pam_unix(sshd:session): session closed for user ${user}`);
  return { lines: out };
};

/**
 * About `targetLines` lines of `concurrent` sessions at a time, interleaved by time as a central
 * receiver sees them. Returns the lines and how many sessions they hold.
 */
export const makeSessionLines = (targetLines: number, concurrent: number, seed = 11): { lines: string[]; sessions: number } => {
  const r = prng(seed);
  const t0 = Date.UTC(2026, 5, 1, 8, 0, 0);
  const all: { t: number; text: string }[] = [];
  let n = 0;
  let next = t0;
  while (all.length < targetLines) {
    const s = story(r, n++, next);
    all.push(...s.lines);
    // A new session starts every so often, so about `concurrent` overlap.
    next += Math.floor((150_000 / concurrent) * (0.5 + r()));
  }
  all.sort((a, b) => a.t - b.t);
  return { lines: all.map((x) => x.text), sessions: n };
};
