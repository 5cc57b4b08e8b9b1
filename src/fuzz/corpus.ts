// Real lines for the fuzz targets to start from: the body parsers' testdata and the team corpora,
// read from the repository when it is there (a few hundred lines per file at most), else a small
// built-in set. Read once per process; never written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from src/fuzz (tsx, vitest) or dist/src/fuzz (npm run fuzz). */
export const repoRoot = (): string => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../..', '../../..']) {
    const root = join(here, up);
    if (existsSync(join(root, 'package.json')) && existsSync(join(root, 'src'))) return root;
  }
  return join(here, '../..');
};

const BUILT_IN = [
  '<38>1 2026-11-29T10:00:00.123Z web01 sshd 4242 - [origin ip="10.0.0.1"][meta seq="1"] Accepted publickey for alice from 10.0.0.9 port 50022 ssh2: ED25519 SHA256:abc',
  '<86>Nov 29 10:00:01 web01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
  '<85>Nov 29 10:00:02 web01 su[812]: pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1001)',
  '<189>123: router1: *Nov 29 10:00:03.123 UTC: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)',
  '<13>Nov 29 10:00:04 mx1 mgd[4242]: UI_CMDLINE_READ_LINE: User \'netops\', command \'show route summary \'',
  'type=SYSCALL msg=audit(1700000000.123:456): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=1 pid=2 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="id" exe="/usr/bin/id" key="cmd"',
  'node=web01 type=EXECVE msg=audit(1700000000.123:456): argc=2 a0="ls" a1=2D6C61',
  '{"MESSAGE":"Accepted password for bob from 10.1.1.1 port 2222 ssh2","_HOSTNAME":"db01","SYSLOG_IDENTIFIER":"sshd","_PID":"77","__REALTIME_TIMESTAMP":"1700000000123456","PRIORITY":"6"}',
  '<14>Nov 29 10:00:05 web01 snoopy[9]: [login:alice ssh:(10.0.0.9 50022 10.0.0.1 22) sid:9 tty:/dev/pts/0 uid:0 cwd:/]: cat /etc/shadow',
  '<14>1 2026-11-29T10:00:06Z web01 tlog-rec-session 900 - - {"ver":"2.3","host":"web01","rec":"abc-1","user":"alice","term":"xterm","session":4,"id":1,"pos":0,"timing":"=80x24<5","in_txt":"ls\\r","in_bin":[],"out_txt":"","out_bin":[]}',
];

let cache: readonly string[] | null = null;

/** Real lines (any envelope format). */
export const corpusLines = (): readonly string[] => {
  if (cache !== null) return cache;
  const lines: string[] = [...BUILT_IN];
  const root = repoRoot();
  const dirs: string[] = [];
  const body = join(root, 'src/parsers/body');
  if (existsSync(body)) for (const d of readdirSync(body)) if (existsSync(join(body, d, 'testdata'))) dirs.push(join(body, d, 'testdata'));
  const journald = join(root, 'test/fixtures/corpora/journald-json');
  if (existsSync(journald)) dirs.push(journald);
  for (const dir of dirs) {
    for (const f of readdirSync(dir)) {
      if (!/\.(log|txt|json)$/.test(f) || /events\.json$|golden\.json$/.test(f)) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      let n = 0;
      for (const l of text.split('\n')) {
        if (l.trim() === '' || l.length > 20_000) continue;
        lines.push(l);
        if (++n >= 200) break;
      }
    }
  }
  cache = lines;
  return lines;
};
