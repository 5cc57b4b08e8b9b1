// Issue 7, first Done-when: the built-in rule pack on real input, asserted exactly — which rules fire,
// on which event, in which session, and the risk each session gets from them.
//
//  1. Linux: the real-program capture of the Linux-sessions issue (sshd, sudo, su, snoopy, tlog;
//     test/fixtures/real/linux-sessions) imported with the built CLI. Each scenario session of its
//     .scenarios.json is found by user and by the commands it ran (as snoopy logged them).
//  2. Network devices: test/fixtures/real/network-risky/transcript.log (JunOS mgd and Cisco IOS lines
//     in the templates of test/e2e/network-sessions.test.ts; its PROVENANCE.md says what is real and
//     what is composed) sent by each device over its own TCP connection to a private rsyslogd
//     (imtcp), which relays it over TCP to a running countersign in RSYSLOG_ForwardFormat (the relay
//     template that keeps the IOS line whole after its own header: RFC 5424 would lose the IOS
//     hostname, which IOS puts in the message text).
//
// The expectations were written from the rules' selections and the scenarios (what SHOULD fire), each
// with the reason as a comment; the risk is computed here with docs/rules.md's formula from the
// levels in the rule files, never copied from the output. What countersign stores is read back through
// the CLI (`sessions --json`, `session show --json`) and, for hits of no session (which no session
// JSON shows), from the `rule_hits` table, read-only.
//
// No timed assertions: every wait is bounded and the assertions then say what is missing.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli, startServer, tempDir, testConfig, type RunningServer } from './helpers/countersign.js';
import { describeWithTools } from './helpers/require-tool.js';
import { NO_DROP_QUEUE_TAIL, freePort, rsq, startRsyslog, type RsyslogProcess } from './helpers/rsyslog.js';

const execFileP = promisify(execFile);

// ---- shapes of `countersign sessions --json` / `session show --json` (docs/cli.md, docs/rules.md) ----

interface HitJson {
  rule: string;
  seq: number;
  level: string;
  title: string;
}
interface RiskJson {
  score: number;
  level: string;
  hits: HitJson[];
}
interface SessionJson {
  id: number;
  host: string;
  user: string | null;
  origin: string | null;
  status: 'open' | 'closed';
  closeReason: string | null;
  deviceType: string;
  risk: RiskJson;
}
interface EventJson {
  seq: number;
  kind: string;
  action: string | null;
  user: string | null;
  command: string | null;
  raw: string;
  hits: string[];
}
interface DetailJson {
  session: SessionJson;
  events: EventJson[];
}
interface RecordJson {
  seq: number;
  kind: 'parsed' | 'unparsed';
  raw: string;
}

// ---- the rule pack and the risk formula ----

type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** id → level and title, from the built-in rule files themselves (src/rules/builtin, what `npm run build` copies). */
const RULES: ReadonlyMap<string, { level: Level; title: string }> = (() => {
  const dir = join(REPO, 'src/rules/builtin');
  const m = new Map<string, { level: Level; title: string }>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const r = parseYaml(readFileSync(join(dir, f), 'utf8')) as { id: string; level: Level; title: string };
    m.set(r.id, { level: r.level, title: r.title });
  }
  return m;
})();

const levelOf = (rule: string): Level => {
  const r = RULES.get(rule);
  if (r === undefined) throw new Error(`no built-in rule ${rule}`);
  return r.level;
};

/** docs/rules.md "Risk": the weight of each level. */
const WEIGHT: Readonly<Record<Level, number>> = { informational: 0, low: 10, medium: 25, high: 50, critical: 100 };

/**
 * docs/rules.md "Risk": each rule counts once per session at its level; the weights sorted from the
 * heaviest, w1 ≥ w2 ≥ …, give score = round(min(100, w1 + w2/2 + w3/4 + …)); the level is the highest
 * level hit, `none` without hits.
 */
const riskOf = (levels: readonly Level[]): { score: number; level: Level | 'none' } => {
  const weights = levels.map((l) => WEIGHT[l]).sort((a, b) => b - a);
  const score = Math.round(Math.min(100, weights.reduce((sum, w, i) => sum + w / 2 ** i, 0)));
  const level = levels.length === 0 ? 'none' : levels.reduce((a, b) => (LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a));
  return { score, level };
};
/** The risk a session must get when exactly these rules hit in it (each rule once, at its file's level). */
const expectedRisk = (rules: readonly string[]): { score: number; level: Level | 'none' } => riskOf([...new Set(rules)].map(levelOf));

// ---- what fired ----

/** An event as the expectations name it: `kind/action command`. */
const label = (e: { kind: string; action: string | null; command: string | null }): string => `${e.kind}/${e.action ?? '-'}${e.command === null ? '' : ` ${e.command}`}`;
/** `rule ← event` for every hit of a session's events, sorted (one entry per hit). */
const firedIn = (d: DetailJson): string[] => d.events.flatMap((e) => e.hits.map((r) => `${r} ← ${label(e)}`)).sort();
/** The expectation in the same form. */
const want = (hits: readonly (readonly [string, string])[]): string[] => hits.map(([r, l]) => `${r} ← ${l}`).sort();

interface DbHit {
  rule: string;
  seq: number;
  sessionId: number | null;
  host: string;
  user: string | null;
  level: string;
  label: string;
}
/** Every row of `rule_hits`, with its event (read-only; the server may be running: WAL). */
const dbHits = (dataDir: string): DbHit[] => {
  const db = new BetterSqlite3(join(dataDir, 'countersign.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT h.rule AS rule, h.seq AS seq, h.session_id AS sessionId, h.host AS host, h.level AS level, e.user AS user, e.kind AS kind, e.command AS command, e.data AS data
         FROM rule_hits h JOIN events e ON e.id = h.event_id ORDER BY h.seq, h.rule`,
      )
      .all() as { rule: string; seq: number; sessionId: number | null; host: string; level: string; user: string | null; kind: string; command: string | null; data: string }[];
    return rows.map((r) => ({
      rule: r.rule,
      seq: Number(r.seq),
      sessionId: r.sessionId === null ? null : Number(r.sessionId),
      host: r.host,
      user: r.user,
      level: r.level,
      label: label({ kind: r.kind, action: (JSON.parse(r.data) as { action?: string }).action ?? null, command: r.command }),
    }));
  } finally {
    db.close();
  }
};
const deriveCursor = (dataDir: string): number => {
  const db = new BetterSqlite3(join(dataDir, 'countersign.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'derive_cursor'").get() as { value: string } | undefined;
    return row === undefined ? -1 : Number(row.value);
  } finally {
    db.close();
  }
};

const cliJson = async <T>(dataDir: string, args: string[]): Promise<T> => {
  const { stdout } = await execFileP(process.execPath, [CLI, ...args, '--json', '--data', dataDir], { maxBuffer: 64 << 20, timeout: 60_000 });
  return JSON.parse(stdout) as T;
};

const waitUntil = async (pred: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
};

/** The checks every session gets: its hits, its risk from the formula, and the JSON's risk.hits saying the same as its events. */
const checkSession = (name: string, d: DetailJson, expected: readonly (readonly [string, string])[]): void => {
  expect(firedIn(d), `${name}: rule ← event`).toEqual(want(expected));
  const rules = expected.map(([r]) => r);
  expect({ score: d.session.risk.score, level: d.session.risk.level }, `${name}: risk (docs/rules.md formula)`).toEqual(expectedRisk(rules));
  // risk.hits lists the same hits as the events do, each with its rule file's level and title.
  const fromEvents = d.events.flatMap((e) => e.hits.map((r) => ({ rule: r, seq: e.seq, level: levelOf(r), title: RULES.get(r)!.title })));
  const byKey = (a: HitJson, b: HitJson): number => a.seq - b.seq || a.rule.localeCompare(b.rule);
  expect([...d.session.risk.hits].sort(byKey), `${name}: risk.hits`).toEqual(fromEvents.sort(byKey));
};

// The docs' own worked examples of the formula, so the formula above is the documented one.
describe('risk formula of docs/rules.md, as this test computes it', () => {
  it('gives the documented examples', () => {
    expect(riskOf(['high'])).toEqual({ score: 50, level: 'high' });
    expect(riskOf(['high', 'high'])).toEqual({ score: 75, level: 'high' });
    expect(riskOf(['high', 'low'])).toEqual({ score: 55, level: 'high' });
    expect(riskOf(['medium', 'medium', 'medium'])).toEqual({ score: 44, level: 'medium' });
    expect(riskOf(['critical', 'low'])).toEqual({ score: 100, level: 'critical' });
    expect(riskOf(['informational'])).toEqual({ score: 0, level: 'informational' });
    expect(riskOf([])).toEqual({ score: 0, level: 'none' });
  });
});

// =====================================================================================================
// 1. Linux: the real sshd/sudo/su/snoopy/tlog capture
// =====================================================================================================

const LINUX_DIR = join(REPO, 'test/fixtures/real/linux-sessions');
const LINUX_LOG = join(LINUX_DIR, 'debian12-ssh-sudo-su-snoopy-tlog.rfc5424.log');

interface Scenario {
  name: string;
  user: string;
  loginSucceeded: boolean;
  commands: { loginUser: string; command: string; runAs: string; seenBy: string[] }[];
}

/**
 * What must fire in each scenario session: [rule, event]. Reasons from the rules' selections:
 *  - su-sudo-to-root (low): `kind: privilege` with targetUser root, not PAM's session lines. sudo's own
 *    line for each command run as root is such an event; snoopy's `sudo …` exec line is a command, not
 *    a privilege event, so it does not count again.
 *  - interactive-root-shell (high): sudo to root whose command is a shell (the sudo parser's
 *    detail.shell: `sudo -i` is logged as COMMAND=/bin/bash), su to root, or an `su`/`su -` command
 *    with no user or root. `sudo sh -c '…'` runs a command, not an interactive shell; `su - cs-carol`
 *    is su to someone else.
 *  - privilege-failed (medium): every privilege_failed event.
 *  - nothing else: no root login, 127.0.0.1 is inside the management networks, no command of the
 *    scenarios touches logging, accounts, keys, firmware, firewall, history or capture.
 */
const LINUX_EXPECTED: Record<string, readonly (readonly [string, string])[]> = {
  // Three commands through sudo -S, each logged by sudo as run as root.
  'alice-sudo': [
    ['su-sudo-to-root', 'privilege/sudo /usr/bin/id -un'],
    ['su-sudo-to-root', 'privilege/sudo /usr/bin/cat /etc/hostname'],
    ['su-sudo-to-root', "privilege/sudo /usr/bin/sh -c 'whoami; ls /root'"],
  ],
  // sudo -i: one sudo line (COMMAND=/bin/bash) that is both a raise to root and a root shell.
  // Its PAM line (pam_unix(sudo-i:session) opened for root) is not counted again; `su - cs-carol`
  // (su's `(to cs-carol)`) is not to root.
  'bob-sudo-i-su': [
    ['interactive-root-shell', 'privilege/sudo /bin/bash'],
    ['su-sudo-to-root', 'privilege/sudo /bin/bash'],
  ],
  // Refused twice (wrong password, not allowed by sudoers), then one allowed sudo.
  // The wrong password is written twice by the real programs: pam_unix(sudo:auth) "authentication
  // failure" and sudo's "1 incorrect password attempt"; both are privilege_failed events of the same
  // attempt, so both hit (the rule counts once in the risk). We expected only sudo's line at first; the
  // PAM line is a true record of a refused attempt (and the only one when a retry then succeeds), so
  // the expectation, not the rule, was wrong.
  'carol-sudo-refused': [
    ['privilege-failed', 'privilege_failed/auth-failure'],
    ['privilege-failed', 'privilege_failed/sudo /usr/bin/id'],
    ['privilege-failed', 'privilege_failed/sudo /usr/bin/cat /etc/shadow'],
    ['su-sudo-to-root', 'privilege/sudo /usr/bin/whoami'],
  ],
  // Quiet: ls -d /tmp, sleep 3600 (left open).
  'alice-open': [],
  // Quiet: typed echo and date under tlog; nothing privileged, no history tampering in the keystrokes.
  'dave-tlog': [],
};

describe('rules on the real Linux-sessions capture (sshd, sudo, su, snoopy, tlog), imported with the CLI', () => {
  const scenarios = JSON.parse(readFileSync(join(LINUX_DIR, 'debian12-ssh-sudo-su-snoopy-tlog.scenarios.json'), 'utf8')) as Scenario[];
  let dataDir = '';
  let details: DetailJson[] = [];
  let listed: SessionJson[] = [];

  beforeAll(async () => {
    dataDir = join(tempDir('rules-linux'), 'data');
    const r = runCli(['import', '--data', dataDir, LINUX_LOG]);
    if (r.status !== 0) throw new Error(`import failed (${r.status}): ${r.stderr}`);
    listed = await cliJson<SessionJson[]>(dataDir, ['sessions', '--limit', '1000']);
    details = await Promise.all(listed.map((s) => cliJson<DetailJson>(dataDir, ['session', 'show', String(s.id)])));
  });

  /** The one session of a scenario: its user, and every command it ran itself that snoopy logged. */
  const sessionOf = (sc: Scenario): DetailJson => {
    const mine = sc.commands.filter((c) => c.seenBy.includes('snoopy') && c.runAs === sc.user).map((c) => c.command);
    expect(mine.length, `${sc.name}: commands to find it by`).toBeGreaterThan(0);
    const found = details.filter((d) => d.session.user === sc.user && mine.every((c) => d.events.some((e) => e.kind === 'command' && e.command === c)));
    expect(found.map((d) => d.session.id), `${sc.name}: sessions of ${sc.user} with ${JSON.stringify(mine)}`).toHaveLength(1);
    return found[0]!;
  };

  it('the expectations name every scenario with a login, and only those', () => {
    expect(Object.keys(LINUX_EXPECTED).sort()).toEqual(scenarios.filter((s) => s.loginSucceeded).map((s) => s.name).sort());
  });

  for (const [name, expected] of Object.entries(LINUX_EXPECTED)) {
    it(`${name}: ${expected.length === 0 ? 'no rule fires, risk none/0' : `fires exactly ${[...new Set(expected.map(([r]) => r))].join(', ')}`}`, () => {
      const sc = scenarios.find((s) => s.name === name);
      expect(sc, name).toBeDefined();
      const d = sessionOf(sc!);
      checkSession(name, d, expected);
      if (expected.length === 0) expect(d.session.risk).toEqual({ score: 0, level: 'none', hits: [] });
      // `sessions --json` carries the same risk as `session show --json`.
      expect(listed.find((s) => s.id === d.session.id)?.risk).toEqual(d.session.risk);
    });
  }

  it('spelled out: bob 55 high (high + low/2), carol 30 medium (medium + low/2), alice-sudo 10 low', () => {
    // The same numbers the formula gives (checked above); written out once so a reader sees them.
    const risk = (name: string): [number, string] => {
      const d = sessionOf(scenarios.find((s) => s.name === name)!);
      return [d.session.risk.score, d.session.risk.level];
    };
    expect(risk('bob-sudo-i-su')).toEqual([55, 'high']);
    expect(risk('carol-sudo-refused')).toEqual([30, 'medium']);
    expect(risk('alice-sudo')).toEqual([10, 'low']);
  });

  it('rule_hits holds exactly these hits: none outside the scenario sessions, none without a session (the failed login fires nothing)', () => {
    const names = new Map(Object.keys(LINUX_EXPECTED).map((n) => [sessionOf(scenarios.find((s) => s.name === n)!).session.id, n]));
    const got = dbHits(dataDir).map((h) => `${h.sessionId === null ? '(no session)' : (names.get(h.sessionId) ?? `session ${h.sessionId}`)}: ${h.rule} ← ${h.label}`);
    const expected = Object.entries(LINUX_EXPECTED).flatMap(([n, hits]) => hits.map(([r, l]) => `${n}: ${r} ← ${l}`));
    expect(got.sort()).toEqual(expected.sort());
  });
});

// =====================================================================================================
// 2. Network devices: a JunOS router (r1) and an IOS switch (sw1) through a real rsyslog relay
// =====================================================================================================

const TRANSCRIPT = join(REPO, 'test/fixtures/real/network-risky/transcript.log');
/** The year of the transcript's stamps (BSD stamps carry none; the IOS login line states it). */
const TRANSCRIPT_YEAR = 2026;

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const p2 = (n: number): string => String(n).padStart(2, '0');
const bsd = (t: number): string => {
  const d = new Date(t);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};
const fromBsd = (stamp: string): number => {
  const m = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)$/.exec(stamp);
  if (m === null) throw new Error(`not a BSD stamp: ${stamp}`);
  return Date.UTC(TRANSCRIPT_YEAR, MON.indexOf(m[1] as (typeof MON)[number]), Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
};

type Device = 'r1' | 'sw1';
interface WireLine {
  dev: Device;
  /** The bytes the device sends (without the LF that frames it). */
  wire: string;
  /** What every relay keeps verbatim: the stored record's raw ends with it. */
  body: string;
}

// JunOS: `<PRI>Mmm dd hh:mm:ss r1 mgd[PID]: TAG: …`; IOS: `<PRI>N: sw1: SEQ: Mmm dd hh:mm:ss.mmm: %TAG: …`.
const JUNOS_LINE = /^(<\d+>)([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)( r1 )(.*)$/;
const IOS_LINE = /^(<\d+>\d+: )(sw1: \d+: )([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)(\.\d{3}: .*)$/;
const IOS_LOGIN_AT = / at (\d\d:\d\d:\d\d) UTC ([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{4})$/;

/**
 * The transcript's lines with every device stamp moved by `offsetMs` (whole seconds): the file is
 * fixed, a replay happens now, and sessions of a day-old (or year-old) transcript would be judged idle
 * or years away by the relay's and countersign's year inference. Nothing else of a line changes.
 */
const replayLines = (offsetMs: number): WireLine[] =>
  readFileSync(TRANSCRIPT, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((line): WireLine => {
      const j = JUNOS_LINE.exec(line);
      if (j !== null) return { dev: 'r1', wire: `${j[1]}${bsd(fromBsd(j[2]!) + offsetMs)}${j[3]}${j[4]}`, body: j[4]! };
      const i = IOS_LINE.exec(line);
      if (i === null) throw new Error(`transcript line is neither the JunOS nor the IOS template: ${line}`);
      let rest = i[4]!;
      const at = IOS_LOGIN_AT.exec(rest);
      if (at !== null) {
        const t = Date.parse(`${at[5]}-${p2(MON.indexOf(at[3] as (typeof MON)[number]) + 1)}-${p2(Number(at[4]))}T${at[1]}Z`) + offsetMs;
        const d = new Date(t);
        rest = rest.slice(0, at.index) + ` at ${new Date(t).toISOString().slice(11, 19)} UTC ${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
      }
      const body = `${i[2]}${bsd(fromBsd(i[3]!) + offsetMs)}${rest}`;
      return { dev: 'sw1', wire: `${i[1]}${body}`, body };
    });

const relayConfig = (tcpPort: number, target: number): string => `
global(net.enableDNS="off")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port=${rsq(tcpPort)} ruleset="cs_devices")
ruleset(name="cs_devices") {
  action(type="omfwd" target="127.0.0.1" port=${rsq(target)} protocol="tcp" tcp_framing="traditional"
         template="RSYSLOG_ForwardFormat" resendLastMSGOnReconnect="on"
         queue.type="LinkedList" queue.size="100000" ${NO_DROP_QUEUE_TAIL(100_000)}
         action.resumeRetryCount="-1" action.resumeInterval="1")
}
`;

/**
 * What must fire in each session of the transcript (host/user): [rule, event]. JunOS logs a
 * configuration command twice, as typed (UI_CMDLINE_READ_LINE: command/cli) and as the change it made
 * (UI_CFG_AUDIT_*: config_change/set|delete), and both are events of the session: a rule on the command
 * text hits both (counted once in the risk). IOS logs each line once (PARSER-5-CFGLOG_LOGGEDCMD:
 * config_change/config, or command/exec for `!exec:` lines).
 */
const NET_EXPECTED: Record<string, readonly (readonly [string, string])[]> = {
  'r1/alice': [
    // logging-disabled: `^(?:delete|deactivate)\s+system\s+(?:syslog|accounting)\b`
    ['logging-disabled', 'command/cli delete system syslog host 10.0.0.9'],
    ['logging-disabled', 'config_change/delete delete system syslog host 10.0.0.9'],
    // traffic-mirroring: `\bforwarding-options\s+(?:port-mirroring|analyzer)\b`, not a removal
    ['traffic-mirroring', 'config_change/set set forwarding-options port-mirroring input rate 1'],
    ['traffic-mirroring', 'command/cli set forwarding-options port-mirroring input rate 1'],
    // firmware-change: `^(?:run\s+)?request\s+(?:system|vmhost)\s+software\s+(?:add|…)\b`
    ['firmware-change', 'command/cli request system software add /var/tmp/junos.tgz'],
    // Her commit (UI_COMMIT, commit/commit) is in her session: config-commit-without-session does not fire.
  ],
  'sw1/frank': [
    // su-sudo-to-root: a privilege event with action enable (`!exec: enable`)
    ['su-sudo-to-root', 'privilege/enable enable'],
    // logging-disabled: `^no\s+logging\s+(?!console\b|monitor\b)\S` (logging-config-changed wants `^logging\s`)
    ['logging-disabled', 'config_change/config no logging host 10.0.0.9'],
    // traffic-mirroring: `^monitor\s+session\b`, source and destination alike
    ['traffic-mirroring', 'config_change/config monitor session 1 source interface Gi1/0/1'],
    ['traffic-mirroring', 'config_change/config monitor session 1 destination interface Gi1/0/24'],
    // one line, two rules: any IOS `username …` is an account change; `privilege 15` grants admin rights
    ['account-change', 'config_change/config username eve privilege 15 secret *'],
    ['admin-account-granted', 'config_change/config username eve privilege 15 secret *'],
    // firmware-change: `^copy(?:\s+/\S+)?\s+\S+\s+\S*(?:flash|slot|disk|usb)\d*:\S*\s*$`, not a config copy
    ['firmware-change', 'command/exec copy tftp://10.0.0.9/ios.bin flash:'],
    // reboot-requested: `^reload\b` typed (the %SYS-5-RELOAD that follows is no session's: below)
    ['reboot-requested', 'command/exec reload'],
    // `configure terminal` fires nothing; %SYS-5-CONFIG_I (commit/configured) is in his session.
  ],
  'r1/root': [
    // root-login: a login event whose user is root (UI_LOGIN_EVENT; no UI_AUTH_EVENT for root in the transcript)
    ['root-login', 'login/login'],
    // login-outside-management-networks: 203.0.113.50 (the ssh-connection's client) is outside the RFC 1918/loopback defaults
    ['login-outside-management-networks', 'login/login'],
  ],
  // Quiet: show route, show interfaces terse, quit.
  'r1/bob': [],
};

/** Hits that belong to no session (stored with session_id null; they raise no session's risk). */
const NET_SESSIONLESS: readonly string[] = [
  // UI_COMMIT of an mgd (pid 70115, user netops) whose login was never logged. Its UI_COMMIT_COMPLETED
  // (action commit-completed) is a follow-up the rule leaves out.
  'r1 netops: config-commit-without-session ← commit/commit',
  // %SYS-5-RELOAD: the device going down is an event of its own, of no session (it closes frank's).
  'sw1 frank: device-restarted ← reboot/reload-requested',
];

describeWithTools(['rsyslogd'], 'rules on JunOS and IOS transcripts with risky commands → rsyslog (imtcp) → countersign', () => {
  let server: RunningServer | undefined;
  let relay: RsyslogProcess | undefined;
  const conns: Socket[] = [];
  let lines: WireLine[] = [];
  let records: RecordJson[] = [];
  let details: DetailJson[] = [];

  const ours = (): DetailJson[] => details.filter((d) => d.session.host === 'r1' || d.session.host === 'sw1');
  const sessionOf = (key: string): DetailJson | undefined => ours().find((d) => `${d.session.host}/${d.session.user}` === key);
  const arrivedOnce = (l: WireLine): number => records.filter((r) => r.raw.replace(/\n$/, '').endsWith(l.body)).length;

  beforeAll(async () => {
    server = await startServer({ config: testConfig({ sessions: { orphanWaitSeconds: 2, deriveIntervalMs: 100 } }) });
    const tcpPort = await freePort();
    // rsyslogd reads the JunOS BSD stamps (no zone) in its own zone when it relays them; they are UTC.
    const savedTz = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      relay = await startRsyslog({ dir: tempDir('rsyslog-rules'), config: relayConfig(tcpPort, server.ports.tcp!) });
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }

    // The transcript, moved to five minutes ago (whole seconds; IOS keeps its milliseconds).
    const first = JUNOS_LINE.exec(readFileSync(TRANSCRIPT, 'utf8').split('\n')[0]!);
    if (first === null) throw new Error('the transcript must start with a JunOS line');
    lines = replayLines(Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000 - fromBsd(first[2]!));

    // Each device keeps its own TCP connection to its syslog host (IOS: `logging host … transport tcp`).
    const conn = async (): Promise<Socket> => {
      const s = connect({ host: '127.0.0.1', port: tcpPort });
      await new Promise<void>((res, rej) => s.once('connect', res).once('error', rej));
      conns.push(s);
      return s;
    };
    const to: Record<Device, Socket> = { r1: await conn(), sw1: await conn() };
    for (const l of lines) {
      await new Promise<void>((res, rej) => to[l.dev].write(`${l.wire}\n`, (e) => (e ? rej(e) : res())));
      await sleep(5); // interleaved as the file has them, not two bursts
    }

    // Every line arrived ...
    const arrived = await waitUntil(async () => {
      records = await cliJson<RecordJson[]>(server!.dataDir, ['records', '--limit', '10000']);
      return lines.every((l) => arrivedOnce(l) >= 1);
    }, 30_000);
    if (!arrived) process.stderr.write(`not every line reached countersign in 30 s; asserting on what is there\n${relay.diagnostics()}\n`);

    // ... and the derive stage has taken every stored record and closed the four sessions.
    const lastSeq = Math.max(-1, ...records.map((r) => r.seq));
    const settled = await waitUntil(
      async () => {
        if (deriveCursor(server!.dataDir) < lastSeq) return false;
        const sessions = await cliJson<SessionJson[]>(server!.dataDir, ['sessions', '--limit', '1000']);
        details = await Promise.all(sessions.filter((s) => s.host === 'r1' || s.host === 'sw1').map((s) => cliJson<DetailJson>(server!.dataDir, ['session', 'show', String(s.id)])));
        return Object.keys(NET_EXPECTED).every((k) => sessionOf(k)?.session.status === 'closed');
      },
      30_000,
      250,
    );
    if (!settled) process.stderr.write(`sessions did not settle in 30 s; asserting on what is there\n`);
  }, 120_000);

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const step of [
      ...conns.map((s) => () => new Promise<void>((res) => (s.destroyed ? res() : s.end(res)))),
      () => relay?.stop(),
      () => server?.stop(),
    ]) {
      try {
        await step();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }, 60_000);

  it('every transcript line reached countersign through rsyslog, parsed, once', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => arrivedOnce(l) !== 1).map((l) => `${arrivedOnce(l)}× ${l.wire}`)).toEqual([]);
    const mine = records.filter((r) => lines.some((l) => r.raw.replace(/\n$/, '').endsWith(l.body)));
    expect(mine.filter((r) => r.kind !== 'parsed').map((r) => r.raw)).toEqual([]);
  });

  it('makes exactly the four sessions: alice, bob and root on r1, frank on sw1', () => {
    expect(ours().map((d) => `${d.session.host}/${d.session.user}/${d.session.deviceType}/${d.session.closeReason}`).sort()).toEqual([
      'r1/alice/junos/logout',
      'r1/bob/junos/logout',
      'r1/root/junos/logout',
      'sw1/frank/cisco-ios/reboot',
    ]);
  });

  for (const [key, expected] of Object.entries(NET_EXPECTED)) {
    it(`${key}: ${expected.length === 0 ? 'no rule fires, risk none/0' : `fires exactly ${[...new Set(expected.map(([r]) => r))].join(', ')}`}`, () => {
      const d = sessionOf(key);
      expect(d, `${key} session`).toBeDefined();
      checkSession(key, d!, expected);
      if (expected.length === 0) {
        expect(d!.session.risk).toEqual({ score: 0, level: 'none', hits: [] });
        expect(d!.events.filter((e) => e.kind === 'command').map((e) => e.command)).toEqual(['show route', 'show interfaces terse', 'quit']);
      }
    });
  }

  it('spelled out: alice and frank 100 critical (critical rules), root 75 high (two high rules: 50 + 50/2), bob 0 none', () => {
    const risk = (key: string): [number | undefined, string | undefined] => [sessionOf(key)?.session.risk.score, sessionOf(key)?.session.risk.level];
    expect(risk('r1/alice')).toEqual([100, 'critical']);
    expect(risk('sw1/frank')).toEqual([100, 'critical']);
    expect(risk('r1/root')).toEqual([75, 'high']);
    expect(risk('r1/bob')).toEqual([0, 'none']);
  });

  it('commits inside a session are not "without a session": alice\'s UI_COMMIT and frank\'s %SYS-5-CONFIG_I are in their sessions, with no hit', () => {
    const commits = (key: string): [string, string | null, string[]][] =>
      (sessionOf(key)?.events ?? []).filter((e) => e.kind === 'commit').map((e) => [e.kind, e.action, e.hits]);
    expect(commits('r1/alice')).toEqual([
      ['commit', 'commit', []],
      ['commit', 'commit-completed', []],
    ]);
    expect(commits('sw1/frank')).toEqual([['commit', 'configured', []]]);
  });

  it('rule_hits holds exactly the sessions\' hits plus two of no session: the commit nobody logged in for, and the reload', () => {
    const ids = new Map(ours().map((d) => [d.session.id, `${d.session.host}/${d.session.user}`]));
    const hits = dbHits(server!.dataDir).filter((h) => h.host === 'r1' || h.host === 'sw1');
    const inSessions = hits.filter((h) => h.sessionId !== null).map((h) => `${ids.get(h.sessionId!) ?? `session ${h.sessionId}`}: ${h.rule} ← ${h.label}`);
    expect(inSessions.sort()).toEqual(Object.entries(NET_EXPECTED).flatMap(([k, hs]) => hs.map(([r, l]) => `${k}: ${r} ← ${l}`)).sort());
    const sessionless = hits.filter((h) => h.sessionId === null);
    expect(sessionless.map((h) => `${h.host} ${h.user ?? '-'}: ${h.rule} ← ${h.label}`).sort()).toEqual([...NET_SESSIONLESS].sort());
    // Each stored at its rule file's level.
    for (const h of hits) expect(h.level, `${h.rule} level`).toBe(levelOf(h.rule));
  });
});
