// Linux sessions end to end, with the real programs: OpenSSH logins (key, password, failed, left
// open), sudo (-S, -i, wrong password, not allowed), su, snoopy (preloaded into the test logins
// only) and tlog-rec-session log to a private rsyslogd on /dev/log, which forwards RFC 5424 over
// TCP to a real Countersign. Six scenarios run concurrently and interleaved; the test checks that
// every line rsyslog wrote reached Countersign unchanged and that each scenario's logins, sudo/su
// events and commands are there. Needs root and exclusive use of /dev/log (see helpers/linux-host.ts).
//
// Fixture capture: CS_CAPTURE_FIXTURES=<name> npx vitest run test/e2e/linux-sessions.test.ts
// writes test/fixtures/real/linux-sessions/<name>.rfc5424.log and <name>.rfc3164.log (see PROVENANCE.md there).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, REPO, startServer, tempDir, testConfig, type RunningServer } from './helpers/countersign.js';
import { signInToServer, type ServerSession } from '../helpers/auth.js';
import { describeLinuxHost, runScenarios, startLinuxHost, type LinuxHost, type LoggingProgram, type ScenarioResult, type ScenarioRun } from './helpers/linux-host.js';

const execFileP = promisify(execFile);

// Shapes of `countersign sessions --json` / `session show --json` (docs/cli.md).
interface SessionJson {
  id: number;
  host: string;
  user: string | null;
  origin: string | null;
  originPort: number | null;
  auth: { method: string } | null;
  startedAt: string;
  endedAt: string | null;
  lastActivity: string;
  status: 'open' | 'closed';
  closeReason: string | null;
  eventCount: number;
  commandCount: number;
}
interface EventJson {
  seq: number;
  time: string;
  kind: string;
  user: string | null;
  targetUser: string | null;
  effectiveUser: string | null;
  command: string | null;
  parser: string;
  link: 'strong' | 'weak' | null;
  why: string | null;
  raw: string;
}
interface DetailJson {
  session: SessionJson;
  events: EventJson[];
}

const cli = async <T>(s: RunningServer, args: string[]): Promise<T> => {
  const { stdout } = await execFileP(process.execPath, [CLI, ...args, '--json', '--data', s.dataDir], { maxBuffer: 64 << 20, timeout: 60_000 });
  return JSON.parse(stdout) as T;
};

/** Every session with its events, through the CLI (the API must say the same: checked once below). */
const allSessions = async (s: RunningServer): Promise<DetailJson[]> => {
  const list = await cli<SessionJson[]>(s, ['sessions', '--limit', '1000']);
  return Promise.all(list.map((x) => cli<DetailJson>(s, ['session', 'show', String(x.id)])));
};

/** Sessions are derived after the records are stored, and weak links after the orphan wait: short here. */
const SESSION_CONFIG = { sessions: { orphanWaitSeconds: 2, idleTimeoutSeconds: 25, deriveIntervalMs: 100 } };

interface RecordJson {
  seq: number;
  kind: 'parsed' | 'unparsed';
  raw: string;
  envelope: { format: string; hostname?: string; app?: string; procid?: string; msg: string } | null;
}

/** Every stored record, via the CLI (works while the server runs). */
const allRecords = async (s: RunningServer): Promise<RecordJson[]> => {
  const { stdout } = await execFileP(process.execPath, [CLI, 'records', '--json', '--limit', '100000', '--data', s.dataDir], { maxBuffer: 256 << 20, timeout: 60_000 });
  return JSON.parse(stdout) as RecordJson[];
};

/** Polls until pred holds (bounded); returns whether it did. */
const waitUntil = async (pred: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
};

/** The message part of an RFC 5424 line as rsyslog wrote it: `<PRI>1 TS HOST APP PROCID MSGID SD MSG`. */
const msgOf5424 = (line: string): { app: string; msg: string } | null => {
  const m = /^<\d+>1 \S+ \S+ (\S+) \S+ \S+ (?:-|(?:\[.*?\])+) ?(.*)$/.exec(line);
  return m ? { app: m[1]!, msg: m[2]!.trimStart() } : null;
};

/** Snoopy's default message: `[login:U ssh:(CIP CPORT SIP SPORT) sid:N tty:T (U/N) uid:NAME(UID)/ENAME(EUID) cwd:D]: CMDLINE`. */
const SNOOPY = /^\[login:(\S+) ssh:\((?:(\S+) (\d+) (\S+) (\d+))?\) sid:(\d+) tty:(.*?) uid:([^(]+)\((\d+)\)\/([^(]+)\((\d+)\) cwd:(.*?)\]: (.*)$/;
interface SnoopyLine {
  login: string;
  clientPort: number | null;
  user: string;
  euser: string;
  command: string;
}
const parseSnoopy = (msg: string): SnoopyLine | null => {
  const m = SNOOPY.exec(msg);
  if (!m) return null;
  return { login: m[1]!, clientPort: m[3] ? Number(m[3]) : null, user: m[8]!, euser: m[10]!, command: m[13]! };
};

describeLinuxHost('Linux sessions: sshd, sudo, su, snoopy, tlog → rsyslog (/dev/log) → countersign', () => {
  let server: RunningServer | undefined;
  let viewer: ServerSession | undefined;
  let host: LinuxHost | undefined;
  let run: ScenarioRun | undefined;
  let results: ScenarioResult[] = [];
  let records: RecordJson[] = [];
  /** Messages by app (syslog tag), from what Countersign stored. */
  const byApp = (app: LoggingProgram | string): string[] => records.filter((r) => r.envelope?.app === app).map((r) => r.envelope!.msg.trimStart());
  let copyAtEnd: string[] = [];
  let sessionsNow: DetailJson[] = [];
  let openAtEnd: SessionJson | undefined;
  let endMark = '';

  beforeAll(async () => {
    server = await startServer({ config: testConfig(SESSION_CONFIG) });
    viewer = await signInToServer(server); // the API is for signed-in viewers
    host = await startLinuxHost({ syslogTcpPort: server.ports.tcp!, dir: tempDir('linux-host') });
    run = await runScenarios(host);
    results = run.results;

    // Every expected line is logged locally (sshd's close lines and tlog's last chunk come a moment
    // after the clients exit; the open session's `sleep` was sent without waiting) ...
    const expectedLocally = (): boolean => {
      const msgs = host!.lines().map(msgOf5424).filter((x) => x !== null);
      return results.every(
        (r) =>
          r.expected.every((e) => msgs.some((m) => m.app === e.program && e.pattern.test(m.msg))) &&
          r.commands
            .filter((c) => c.seenBy.includes('snoopy'))
            .every((c) => msgs.some((m) => m.app === 'snoopy' && m.msg.endsWith(`]: ${c.command}`) && m.msg.startsWith(`[login:${c.loginUser} `))),
      );
    };
    await waitUntil(expectedLocally, 20_000); // on timeout the assertions below name what is missing
    // ... then a mark: rsyslog forwards in order on one connection, so once Countersign stored the
    // mark it has everything rsyslog wrote before it.
    endMark = await host.mark('end');
    copyAtEnd = host.lines();
    const arrived = await waitUntil(async () => (records = await allRecords(server!)).some((r) => r.envelope?.msg.includes(endMark)), 60_000, 250);
    if (!arrived) throw new Error(`the end mark ${endMark} did not reach countersign; ${records.length} records stored; stderr:\n${server.stderr()}`);

    // The derive stage follows; weak links (sudo without a terminal, tlog) come after the orphan wait.
    const settled = (): boolean =>
      results.every((r) => {
        if (!r.loginSucceeded) return true;
        const d = sessionsNow.find((x) => x.session.user === r.user && x.session.originPort === r.clientPort);
        if (d === undefined) return false;
        const sudoSeen = r.commands.filter((c) => c.seenBy.includes('sudo')).every((c) => d.events.some((e) => e.parser === 'sudo@1' && e.command === c.sudoCommand));
        const tlogSeen = !r.commands.some((c) => c.seenBy.includes('tlog')) || d.events.some((e) => e.kind === 'tty_io');
        return sudoSeen && tlogSeen;
      });
    const derived = await waitUntil(async () => ((sessionsNow = await allSessions(server!)), settled()), 60_000, 500);
    if (!derived) process.stderr.write(`sessions did not settle in 60 s; asserting on what is there\n`);
    openAtEnd = sessionsNow.find((d) => d.session.user === 'cs-alice' && d.session.originPort === results.find((r) => r.name === 'alice-open')!.clientPort)?.session;

    const fixtureName = process.env.CS_CAPTURE_FIXTURES;
    if (fixtureName) {
      const out = join(REPO, 'test/fixtures/real/linux-sessions');
      mkdirSync(out, { recursive: true });
      copyFileSync(host.copies.rfc5424, join(out, `${fixtureName}.rfc5424.log`));
      copyFileSync(host.copies.rfc3164, join(out, `${fixtureName}.rfc3164.log`));
      writeFileSync(
        join(out, `${fixtureName}.scenarios.json`),
        `${JSON.stringify(
          results.map(({ transcript: _t, expected, notExpected, ...r }) => ({
            ...r,
            expected: expected.map((e) => ({ program: e.program, what: e.what, pattern: e.pattern.source })),
            notExpected: notExpected.map((e) => ({ program: e.program, what: e.what, pattern: e.pattern.source })),
          })),
          null,
          2,
        )}\n`,
      );
    }
  }, 240_000);

  afterAll(async () => {
    // Everything ends even if a step failed: open sessions, sshd, rsyslogd (by pid), users, lock, server.
    const errors: unknown[] = [];
    for (const step of [() => run?.closeOpenSessions(), () => host?.stop(), () => server?.stop()]) {
      try {
        await step();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }, 60_000);

  it('every line rsyslog wrote reached countersign unchanged, parsed as RFC 5424', () => {
    const raws = new Set(records.map((r) => r.raw.replace(/\n$/, '')));
    const missing = copyAtEnd.filter((l) => !raws.has(l));
    expect(missing).toEqual([]);
    const ours = records.filter((r) => copyAtEnd.includes(r.raw.replace(/\n$/, '')));
    expect(ours.every((r) => r.kind === 'parsed' && r.envelope?.format === 'rfc5424')).toBe(true);
  });

  it('records from sshd, sudo, su, snoopy and tlog-rec-session all arrived', () => {
    for (const app of ['sshd', 'sudo', 'su', 'snoopy', 'tlog'] as const) {
      expect(byApp(app).length, `records from ${app}`).toBeGreaterThan(0);
    }
    expect(records.filter((r) => r.envelope?.hostname === host!.hostname).length).toBeGreaterThan(0);
  });

  it('each scenario did what it recorded', () => {
    expect(results.map((r) => r.name).sort()).toEqual(['alice-failed-login', 'alice-open', 'alice-sudo', 'bob-sudo-i-su', 'carol-sudo-refused', 'dave-tlog']);
    for (const r of results) {
      expect(r.loginSucceeded, r.name).toBe(r.name !== 'alice-failed-login');
      if (r.loginSucceeded) expect(r.clientPort, r.name).toBeGreaterThan(0);
    }
    expect(results.find((r) => r.name === 'alice-open')!.open).toBe(true);
  });

  it("each scenario's sshd, sudo, su and tlog lines arrived (and the open session has not closed)", () => {
    const missing: string[] = [];
    for (const r of results) {
      for (const e of r.expected) if (!byApp(e.program).some((m) => e.pattern.test(m))) missing.push(`${r.name}: ${e.program} ${e.what} ${e.pattern}`);
    }
    expect(missing).toEqual([]);
    const present: string[] = [];
    for (const r of results) {
      for (const e of r.notExpected) if (byApp(e.program).some((m) => e.pattern.test(m))) present.push(`${r.name}: ${e.program} ${e.what}`);
    }
    expect(present).toEqual([]);
    // SESSIONS: for each scenario with loginSucceeded, `countersign sessions --json` has exactly one
    // session with user r.user, host host.hostname, source ssh from 127.0.0.1 port r.clientPort,
    // start ≈ r.startedAt, end ≈ r.endedAt (alice-open: no end, state open); alice-failed-login gives
    // no session but a failed-login event for cs-alice; the two cs-alice sessions stay separate.
  });

  it("each scenario's commands appear in snoopy's records, in order, in that login's session", () => {
    const snoopy = byApp('snoopy').map(parseSnoopy);
    expect(snoopy.every((s) => s !== null)).toBe(true);
    for (const r of results.filter((x) => x.loginSucceeded)) {
      const mine = snoopy.filter((s) => s !== null && s.login === r.user && s.clientPort === r.clientPort) as SnoopyLine[];
      const want = r.commands.filter((c) => c.seenBy.includes('snoopy'));
      let i = 0;
      for (const s of mine) if (i < want.length && s.command === want[i]!.command && s.euser === want[i]!.runAs) i++;
      expect(
        want.slice(i).map((c) => c.command),
        `${r.name}: commands not seen by snoopy in order (port ${r.clientPort}); its snoopy lines: ${JSON.stringify(mine.map((s) => s.command))}`,
      ).toEqual([]);
      // SESSIONS: every one of `want` is an event of this scenario's session, in this order, with
      // effective user c.runAs; commands run as root through sudo (seenBy sudo) are events of the
      // same session with runAs root; commands with seenBy [] (inside `sudo -i`, `su -`) are absent.
    }
    // Commands inside sudo's or su's shells are invisible to snoopy (setuid drops LD_PRELOAD).
    const bob = results.find((r) => r.name === 'bob-sudo-i-su')!;
    expect(snoopy.some((s) => s!.login === 'cs-bob' && s!.command === 'head -1 /etc/shadow')).toBe(false);
    expect(bob.commands.some((c) => c.command === 'head -1 /etc/shadow' && c.seenBy.length === 0)).toBe(true);
  });

  it("sudo's lines name each command run as root; refusals are logged", () => {
    const sudo = byApp('sudo');
    for (const r of results) {
      for (const c of r.commands.filter((x) => x.seenBy.includes('sudo'))) {
        const hit = sudo.find((m) => m.trimStart().startsWith(`${r.user} : `) && m.endsWith(`COMMAND=${c.sudoCommand}`));
        expect(hit, `${r.name}: sudo ${c.sudoCommand}`).toBeDefined();
        if (c.outcome === 'incorrect-password') expect(hit).toMatch(/incorrect password attempt/);
        if (c.outcome === 'not-allowed') expect(hit).toMatch(/command not allowed/);
        if (c.outcome === 'ok') expect(hit).toMatch(/ : (TTY=\S+ ; )?PWD=/);
      }
    }
    // SESSIONS: the sudo lines (no pid, no TTY without a terminal) are tied to the session by user,
    // time and the `sudo -S …` command snoopy saw just before; refusals are events of carol's session.
  });

  it("tlog recorded dave's typed text and its output", () => {
    const tlog = byApp('tlog').map((m) => JSON.parse(m) as { user: string; in_txt: string; out_txt: string; rec: string; session: number; term: string });
    const dave = tlog.filter((t) => t.user === 'cs-dave');
    expect(dave.length).toBeGreaterThan(0);
    const typed = dave.map((t) => t.in_txt).join('');
    const shown = dave.map((t) => t.out_txt).join('');
    expect(typed).toContain('echo hello-tlog\n');
    expect(typed).toContain('date -u +%Y\n');
    expect(shown).toMatch(/\rhello-tlog\r\n/);
    // SESSIONS: the tlog recording (rec id) is attached to dave's ssh session, linked by host, user,
    // terminal and time (its "session" is the audit session, or 4294967295 without one).
  });

  const sessionOf = (r: ScenarioResult): DetailJson | undefined =>
    sessionsNow.find((d) => d.session.user === r.user && d.session.originPort === r.clientPort && d.session.host === host!.hostname);

  it('finds every login as one session: user, host, origin, start and end; none for the failed login', () => {
    const logins = results.filter((r) => r.loginSucceeded);
    const ours = sessionsNow.filter((d) => d.session.host === host!.hostname);
    expect(ours.map((d) => `${d.session.user}:${d.session.originPort}`).sort()).toEqual(logins.map((r) => `${r.user}:${r.clientPort}`).sort());
    for (const r of logins) {
      const s = sessionOf(r)!.session;
      expect(s.origin, r.name).toBe('127.0.0.1');
      expect(s.auth?.method, r.name).toBe(r.auth);
      expect(Math.abs(Date.parse(s.startedAt) - r.startedAt.getTime()), `${r.name} start`).toBeLessThan(2000);
      if (r.open) expect(s.status, r.name).toBe('open');
      else {
        expect([s.status, s.closeReason], r.name).toEqual(['closed', 'logout']);
        expect(Math.abs(Date.parse(s.endedAt!) - r.endedAt!.getTime()), `${r.name} end`).toBeLessThan(2000);
      }
    }
    // The failed login is an event of no session.
    for (const d of ours) expect(d.events.filter((e) => e.kind === 'login_failed').map((e) => e.raw)).toEqual([]);
  });

  it('attributes every command to its session, as the user it ran as, and nothing to a wrong one', () => {
    for (const r of results.filter((x) => x.loginSucceeded)) {
      const d = sessionOf(r)!;
      const commands = d.events.filter((e) => e.parser === 'snoopy@1');
      let i = 0;
      const want = r.commands.filter((c) => c.seenBy.includes('snoopy'));
      for (const e of commands) if (i < want.length && e.command === want[i]!.command && e.effectiveUser === want[i]!.runAs && e.link === 'strong') i++;
      expect(want.slice(i).map((c) => c.command), `${r.name}: snoopy commands missing or out of order`).toEqual([]);
      for (const c of r.commands.filter((x) => x.seenBy.includes('sudo'))) {
        const e = d.events.find((x) => x.parser === 'sudo@1' && x.command === c.sudoCommand);
        expect(e, `${r.name}: sudo ${c.sudoCommand}`).toBeDefined();
        expect(e!.effectiveUser).toBe(c.runAs);
        expect(e!.kind).toBe(c.outcome === 'ok' ? 'privilege' : 'privilege_failed');
        // Without a terminal sudo's line shares no hint with the session: a weak link, and it says why.
        if (!r.tty) expect([e!.link, e!.why]).toEqual(['weak', expect.stringMatching(/command was seen in this session/)]);
      }
      for (const e of d.events) if (e.user !== null) expect(e.user, `${r.name}: ${e.raw}`).toBe(r.user);
    }
    // su - inside bob's session is a privilege step to cs-carol, on his terminal.
    const bob = sessionOf(results.find((r) => r.name === 'bob-sudo-i-su')!)!;
    const su = bob.events.filter((e) => e.parser === 'su@1');
    expect(su.map((e) => [e.kind, e.targetUser, e.link]), 'su in bob\'s session').toEqual([['privilege', 'cs-carol', 'strong']]);
  });

  it("attaches dave's tlog recording to his ssh session; it holds what he typed and replays what he saw", async () => {
    const dave = results.find((r) => r.name === 'dave-tlog')!;
    const d = sessionOf(dave)!;
    const chunks = d.events.filter((e) => e.kind === 'tty_io');
    expect(chunks.length).toBeGreaterThan(0);
    const typed = chunks.map((e) => (JSON.parse(e.raw.slice(e.raw.indexOf('{'))) as { in_txt: string }).in_txt).join('');
    for (const c of dave.commands.filter((x) => x.seenBy.includes('tlog'))) expect(typed).toContain(`${c.command}\n`);
    // Replayed: the asciicast the CLI and the API give shows what dave saw, his echo's output included.
    const { stdout } = await execFileP(process.execPath, [CLI, 'session', 'show', String(d.session.id), '--recording', '--data', server!.dataDir]);
    const [header, ...frames] = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(header).toMatchObject({ version: 2 });
    const shown = (frames as [number, string, string][]).filter((f) => f[1] === 'o').map((f) => f[2]).join('');
    const logged = chunks.map((e) => (JSON.parse(e.raw.slice(e.raw.indexOf('{'))) as { out_txt: string }).out_txt).join('');
    expect(shown).toBe(logged);
    expect(shown).toMatch(/\rhello-tlog\r\n/);
    expect(await (await viewer!.fetch(`/api/v1/sessions/${d.session.id}/recording`)).text()).toBe(stdout);
  });

  it('serves the same sessions over the API as the CLI prints', async () => {
    const list = (await (await viewer!.fetch('/api/v1/sessions?limit=1000')).json()) as { sessions: SessionJson[] };
    expect(list.sessions).toEqual(await cli<SessionJson[]>(server!, ['sessions', '--limit', '1000']));
    const one = list.sessions[0]!;
    expect(await (await viewer!.fetch(`/api/v1/sessions/${one.id}`)).json()).toEqual(await cli<DetailJson>(server!, ['session', 'show', String(one.id)]));
    expect((await viewer!.fetch('/api/v1/sessions/999999999')).status).toBe(404);
    expect((await viewer!.fetch('/api/v1/sessions?status=bogus')).status).toBe(400);
  });

  it('keeps the session left open open, then closes it as idle at its last activity', async () => {
    expect(openAtEnd?.status).toBe('open');
    let s: SessionJson | undefined;
    const closed = await waitUntil(async () => (s = (await cli<DetailJson>(server!, ['session', 'show', String(openAtEnd!.id)])).session).status === 'closed', 90_000, 1000);
    expect(closed).toBe(true);
    expect(s!.closeReason).toBe('idle');
    expect(s!.endedAt).toBe(s!.lastActivity);
  }, 120_000);
});
