// Issue 5, second Done-when: two admins at once on one JunOS router (r1) and two on one Cisco IOS
// switch (sw1) — logins, show commands, configure, set/delete lines, commit, logout and one reload —
// sent as the devices send them (their own <PRI> and header: IOS over UDP, JunOS over TCP LF-framed)
// to a private rsyslogd (imudp/imtcp on free loopback ports, no /dev/log), which forwards them over
// TCP to a real countersign (RSYSLOG_ForwardFormat, the classic relay template that keeps the IOS
// line whole after its own header). The test then reads the sessions back through the CLI and the API
// and checks each session's commands exactly, and that nothing of one admin is in another's session.
//
// Line formats: every template below imitates a real sample; the comment above it names which
// (src/parsers/body/{junos,cisco-ios}/testdata, or the public JunOS capture quoted in it). What is
// ours: names, addresses, pids, interface names, config values, times and the PRI values.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, startServer, tempDir, testConfig, type RunningServer } from './helpers/countersign.js';
import { signInToServer, type ServerSession } from '../helpers/auth.js';
import { describeWithTools } from './helpers/require-tool.js';
import { NO_DROP_QUEUE_TAIL, freePort, rsq, startRsyslog, type RsyslogProcess } from './helpers/rsyslog.js';

const execFileP = promisify(execFile);

// Shapes of `countersign sessions --json` / `session show --json` (docs/cli.md).
interface SessionJson {
  id: number;
  host: string;
  user: string | null;
  origin: string | null;
  originPort: number | null;
  startedAt: string;
  endedAt: string | null;
  status: 'open' | 'closed';
  closeReason: string | null;
  eventCount: number;
  commandCount: number;
  privilegeCount: number;
  weakCount: number;
  deviceType: string;
}
interface EventJson {
  seq: number;
  time: string;
  kind: string;
  action: string | null;
  user: string | null;
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
interface RecordJson {
  seq: number;
  kind: 'parsed' | 'unparsed';
  raw: string;
}

type Device = 'r1' | 'sw1';
type Admin = 'alice' | 'bob';

/** What countersign must make of one line: an event of its admin's session (or of no session: the reload). */
interface Want {
  kind: 'login' | 'logout' | 'command' | 'config_change' | 'commit' | 'privilege' | 'reboot';
  action?: string;
  command?: string;
}

interface Line {
  dev: Device;
  admin: Admin;
  /** The exact bytes the device sends (without the LF that frames it on TCP). */
  wire: string;
  /** The part of the line every relay keeps verbatim: the stored record's raw ends with it. */
  body: string;
  /** Device time of the line (ms), as countersign must read it. */
  time: number;
  /** null: the device logs it, countersign makes no event of it (UI_DBASE_*: mode changes). */
  want: Want | null;
}

// ---- the devices ----

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const p2 = (n: number): string => String(n).padStart(2, '0');
/** BSD stamp `Apr 29 16:17:41` (day space-padded), UTC. */
const bsd = (t: number): string => {
  const d = new Date(t);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};
const hms = (t: number): string => new Date(t).toISOString().slice(11, 19);

const JUNOS_PID: Record<Admin, number> = { alice: 67468, bob: 67502 };
const ORIGIN: Record<Admin, { ip: string; port: number; vty: string; tty: number }> = {
  alice: { ip: '10.0.0.5', port: 51234, vty: 'vty0', tty: 2 },
  bob: { ip: '10.0.0.6', port: 40022, vty: 'vty1', tty: 3 },
};

/**
 * A JunOS mgd line as the router sends it: `<PRI>Mmm dd hh:mm:ss r1 mgd[PID]: TAG: text`.
 * Header as in juniper-doc-ssh-login.log (`Dec 20 23:17:53 bilbo mgd[16648]: UI_…`), with the PRI a
 * router puts in front: authorization info (38) for UI_AUTH/LOGIN/LOGOUT, change-log info (182) for
 * UI_CFG_AUDIT_* (`%CHANGE-6-UI_CFG_AUDIT_SET` in Juniper's audit table), interactive-commands
 * (local7) info/notice (190/189) for the rest.
 */
const junos = (admin: Admin, time: number, pri: number, tag: string, text: string, want: Want | null): Line => {
  const body = `mgd[${JUNOS_PID[admin]}]: ${tag}: ${text}`;
  // JunOS stamps whole seconds.
  return { dev: 'r1', admin, wire: `<${pri}>${bsd(time)} r1 ${body}`, body, time: Math.floor(time / 1000) * 1000, want };
};

let iosCounter = 118; // the syslog message counter IOS puts after <PRI>
let iosSeq = 2231; // `service sequence-numbers`
/**
 * A Cisco IOS line as the switch sends it with `service sequence-numbers`, `logging origin-id
 * hostname` and `service timestamps log datetime msec`: `<PRI>N: sw1: 00NNNN: Mmm dd hh:mm:ss.mmm: %TAG: text`.
 * Prefix as in elastic-test-asr920.log (`<165>7433: ASR920: 007439: 2y10w: %SEC_LOGIN-…`), the
 * millisecond stamp as in quoted-public-lines.log (`<189>30: test-ztp: May 23 13:56:15.055: %SYS-5-CONFIG_I: …`).
 */
const ios = (admin: Admin, time: number, tag: string, text: string, want: Want | null): Line => {
  const sev = Number(/-(\d)-/.exec(tag)![1]);
  const ms = String(time % 1000).padStart(3, '0');
  const body = `sw1: ${String(iosSeq++).padStart(6, '0')}: ${bsd(time)}.${ms}: %${tag}: ${text}`;
  return { dev: 'sw1', admin, wire: `<${23 * 8 + sev}>${iosCounter++}: ${body}`, body, time, want };
};

/** Everything each admin does, per device, in the order the device logs it. */
const transcript = (base: number): Line[] => {
  let t = base;
  /** Advances the clock; JunOS logs a command and its audit line in the same second (step 0). */
  const at = (stepMs: number): number => (t += stepMs);
  const A = 'alice' as const;
  const B = 'bob' as const;
  const o = ORIGIN;

  // JunOS templates:
  //  - UI_AUTH_EVENT: juniper-doc-ssh-login.log (`Authenticated user 'op' at permission level 'j-operator'`).
  //  - UI_LOGIN_EVENT: juniper-doc-event-messages.log (`User 'security-officer' login, class 'j-super-user' [6520],
  //    ssh-connection '', client-mode 'cli'`), with the ssh-connection filled in as 'client-ip client-port server-ip server-port'.
  //  - UI_CMDLINE_READ_LINE (command and a trailing blank), UI_DBASE_LOGIN/LOGOUT_EVENT, UI_CFG_AUDIT_SET
  //    (`set: [PATH] unconfigured -- "VALUE"`, logged before the command's own UI_CMDLINE_READ_LINE),
  //    UI_CFG_AUDIT_OTHER (`delete: [PATH] ` with a trailing blank, logged after it), UI_COMMIT
  //    (`requested 'commit synchronize' operation (comment: none)`) and UI_COMMIT_COMPLETED
  //    (`UI_COMMIT_COMPLETED:  : commit complete `): a real MX480 / Junos 23.2R2 mgd capture quoted in a
  //    public troubleshooting write-up on GitHub (found by code search; not in testdata, no PROVENANCE entry)
  //    (MX-BP-02-06, mgd[67468], user P1362636_RW: `edit`, `edit groups … ge-3/1/6`, `set disable`,
  //    `delete speed 100m`, `show | compare`, `commit synchronize and-quit`, `exit`), and
  //    juniper-doc-structured.log for `User 'user' exiting configuration mode`.
  //  - UI_LOGOUT_EVENT and `quit`: juniper-doc-ssh-login.log (`User 'op' logout`, command 'quit ').
  // IOS templates (header: see ios() above):
  //  - %SEC_LOGIN-5-LOGIN_SUCCESS and %SYS-6-LOGOUT: elastic-test-asr920.log (`Login Success [user: username]
  //    [Source: 192.168.0.1] [localport: 22] at 07:57:58 VIENNA Thu Jan 27 2022`, `User username has exited tty session 3(192.168.0.1)`).
  //  - %PARSER-5-CFGLOG_LOGGEDCMD: quoted-public-lines.log (`User:console  logged command:!exec: enable`,
  //    `User:aninchat  logged command:router lisp`), two blanks before `logged`. The `!exec: show …` form is that
  //    sample's `!exec:` prefix with a show command (IOS-XE `archive log config` `logging enable`); no real sample
  //    of an exec command other than `enable` exists in testdata.
  //  - %SYS-5-CONFIG_I: elastic-test-asr920.log / quoted-public-lines.log (`Configured from console by akroh on vty0 (10.100.11.10)`).
  //  - %SYS-5-RELOAD: quoted-public-lines.log (`Reload requested by console. Reload Reason: Reload Command.`), with the
  //    `by USER on LINE (ADDRESS)` of CONFIG_I in the place of `console`.
  const loginAt = (admin: Admin, time: number): string => {
    const d = new Date(time);
    return `Login Success [user: ${admin}] [Source: ${o[admin].ip}] [localport: 22] at ${hms(time)} UTC ${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
  };
  const cfglog = (admin: Admin, time: number, command: string, want: Want): Line => ios(admin, time, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:${admin}  logged command:${command}`, want);
  const cmd = (admin: Admin, time: number, command: string): Line =>
    junos(admin, time, 190, 'UI_CMDLINE_READ_LINE', `User '${admin}', command '${command} '`, { kind: 'command', action: 'cli', command });

  const lines: Line[] = [];
  const push = (...l: Line[]): void => void lines.push(...l);

  // r1 alice logs in
  let s = at(0);
  push(junos(A, s, 38, 'UI_AUTH_EVENT', `Authenticated user 'alice' at permission level 'j-super-user'`, { kind: 'login', action: 'authenticated' }));
  push(
    junos(A, s, 38, 'UI_LOGIN_EVENT', `User 'alice' login, class 'j-super-user' [${JUNOS_PID.alice}], ssh-connection '${o.alice.ip} ${o.alice.port} 10.0.0.1 22', client-mode 'cli'`, {
      kind: 'login',
      action: 'login',
    }),
  );
  // sw1 alice logs in
  s = at(1_873);
  push(ios(A, s, 'SEC_LOGIN-5-LOGIN_SUCCESS', loginAt(A, s), { kind: 'login', action: 'login-success' }));
  // r1 bob logs in
  s = at(1_000);
  push(junos(B, s, 38, 'UI_AUTH_EVENT', `Authenticated user 'bob' at permission level 'j-super-user'`, { kind: 'login', action: 'authenticated' }));
  push(
    junos(B, s, 38, 'UI_LOGIN_EVENT', `User 'bob' login, class 'j-super-user' [${JUNOS_PID.bob}], ssh-connection '${o.bob.ip} ${o.bob.port} 10.0.0.1 22', client-mode 'cli'`, {
      kind: 'login',
      action: 'login',
    }),
  );
  push(cmd(A, at(1_000), 'show route'));
  s = at(1_211);
  push(ios(B, s, 'SEC_LOGIN-5-LOGIN_SUCCESS', loginAt(B, s), { kind: 'login', action: 'login-success' }));
  push(cfglog(A, at(1_042), '!exec: enable', { kind: 'privilege', action: 'enable', command: 'enable' }));
  push(cmd(B, at(1_000), 'show interfaces terse ge-0/0/2'));
  s = at(1_000);
  push(cmd(A, s, 'configure'), junos(A, s, 190, 'UI_DBASE_LOGIN_EVENT', `User 'alice' entering configuration mode`, null));
  push(cfglog(B, at(1_317), '!exec: enable', { kind: 'privilege', action: 'enable', command: 'enable' }));
  push(cfglog(A, at(1_118), '!exec: show running-config interface Gi1/0/1', { kind: 'command', action: 'exec', command: 'show running-config interface Gi1/0/1' }));
  s = at(1_000);
  push(cmd(B, s, 'edit'), junos(B, s, 190, 'UI_DBASE_LOGIN_EVENT', `User 'bob' entering configuration mode`, null));
  s = at(1_000);
  push(
    junos(A, s, 182, 'UI_CFG_AUDIT_SET', `User 'alice' set: [interfaces ge-0/0/1 description] unconfigured -- "uplink to core"`, {
      kind: 'config_change',
      action: 'set',
      command: 'set interfaces ge-0/0/1 description "uplink to core"',
    }),
    cmd(A, s, 'set interfaces ge-0/0/1 description "uplink to core"'),
  );
  push(cfglog(A, at(1_500), 'interface Gi1/0/1', { kind: 'config_change', action: 'config', command: 'interface Gi1/0/1' }));
  push(cmd(B, at(1_000), 'edit interfaces ge-0/0/2'));
  push(cfglog(B, at(1_250), 'interface Gi1/0/2', { kind: 'config_change', action: 'config', command: 'interface Gi1/0/2' }));
  push(cfglog(A, at(1_004), 'description uplink to r1', { kind: 'config_change', action: 'config', command: 'description uplink to r1' }));
  s = at(1_000);
  push(
    junos(B, s, 182, 'UI_CFG_AUDIT_SET', `User 'bob' set: [interfaces ge-0/0/2] unconfigured -- "disable"`, {
      kind: 'config_change',
      action: 'set',
      command: 'set interfaces ge-0/0/2 disable',
    }),
    cmd(B, s, 'set disable'),
  );
  push(cfglog(B, at(1_009), 'description access server-42', { kind: 'config_change', action: 'config', command: 'description access server-42' }));
  s = at(1_000);
  push(
    cmd(A, s, 'delete system services telnet'),
    junos(A, s, 182, 'UI_CFG_AUDIT_OTHER', `User 'alice' delete: [system services telnet] `, { kind: 'config_change', action: 'delete', command: 'delete system services telnet' }),
  );
  push(cfglog(B, at(1_123), 'switchport access vlan 20', { kind: 'config_change', action: 'config', command: 'switchport access vlan 20' }));
  s = at(1_000);
  push(
    cmd(B, s, 'delete speed 100m'),
    junos(B, s, 182, 'UI_CFG_AUDIT_OTHER', `User 'bob' delete: [interfaces ge-0/0/2 speed] `, { kind: 'config_change', action: 'delete', command: 'delete interfaces ge-0/0/2 speed' }),
  );
  push(ios(A, at(1_077), 'SYS-5-CONFIG_I', `Configured from console by alice on ${o.alice.vty} (${o.alice.ip})`, { kind: 'commit', action: 'configured' }));
  push(cmd(A, at(1_000), 'show | compare'));
  s = at(1_000);
  push(cmd(B, s, 'commit and-quit'), junos(B, s, 189, 'UI_COMMIT', `User 'bob' requested 'commit' operation (comment: none)`, { kind: 'commit', action: 'commit' }));
  push(ios(B, at(1_064), 'SYS-5-CONFIG_I', `Configured from console by bob on ${o.bob.vty} (${o.bob.ip})`, { kind: 'commit', action: 'configured' }));
  s = at(1_000);
  push(cmd(A, s, 'commit'), junos(A, s, 189, 'UI_COMMIT', `User 'alice' requested 'commit' operation (comment: none)`, { kind: 'commit', action: 'commit' }));
  s = at(1_000);
  push(
    junos(B, s, 189, 'UI_COMMIT_COMPLETED', ` : commit complete `, { kind: 'commit', action: 'commit-completed' }),
    junos(B, s, 190, 'UI_DBASE_LOGOUT_EVENT', `User 'bob' exiting configuration mode`, null),
  );
  push(junos(A, at(1_000), 189, 'UI_COMMIT_COMPLETED', ` : commit complete `, { kind: 'commit', action: 'commit-completed' }));
  push(ios(A, at(1_210), 'SYS-6-LOGOUT', `User alice has exited tty session ${o.alice.tty}(${o.alice.ip})`, { kind: 'logout', action: 'exited' }));
  s = at(1_000);
  push(cmd(A, s, 'exit'), junos(A, s, 190, 'UI_DBASE_LOGOUT_EVENT', `User 'alice' exiting configuration mode`, null));
  // bob reloads sw1 while his session there is open: it must end there, as 'reboot'.
  push(ios(B, at(1_333), 'SYS-5-RELOAD', `Reload requested by bob on ${o.bob.vty} (${o.bob.ip}). Reload Reason: Reload Command.`, { kind: 'reboot', action: 'reload-requested' }));
  s = at(1_000);
  push(cmd(B, s, 'exit'), junos(B, s, 38, 'UI_LOGOUT_EVENT', `User 'bob' logout`, { kind: 'logout', action: 'logout' }));
  s = at(1_000);
  push(cmd(A, s, 'quit'), junos(A, s, 38, 'UI_LOGOUT_EVENT', `User 'alice' logout`, { kind: 'logout', action: 'logout' }));
  return lines;
};

// ---- sending, as the devices do ----

const freeUdpPort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createSocket('udp4');
    s.once('error', rej);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

const relayConfig = (udpPort: number, tcpPort: number, target: number): string => `
global(net.enableDNS="off")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port=${rsq(udpPort)} ruleset="cs_devices")
input(type="imtcp" address="127.0.0.1" port=${rsq(tcpPort)} ruleset="cs_devices")
ruleset(name="cs_devices") {
  action(type="omfwd" target="127.0.0.1" port=${rsq(target)} protocol="tcp" tcp_framing="traditional"
         template="RSYSLOG_ForwardFormat" resendLastMSGOnReconnect="on"
         queue.type="LinkedList" queue.size="100000" ${NO_DROP_QUEUE_TAIL(100_000)}
         action.resumeRetryCount="-1" action.resumeInterval="1")
}
`;

const cliJson = async <T>(s: RunningServer, args: string[]): Promise<T> => {
  const { stdout } = await execFileP(process.execPath, [CLI, ...args, '--json', '--data', s.dataDir], { maxBuffer: 64 << 20, timeout: 60_000 });
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

const DEVICE_TYPE: Record<Device, string> = { r1: 'junos', sw1: 'cisco-ios' };
const iso = (t: number): string => new Date(t).toISOString();

describeWithTools(['rsyslogd'], 'network sessions: JunOS and IOS admins at once → rsyslog (imudp/imtcp) → countersign', () => {
  let server: RunningServer | undefined;
  let viewer: ServerSession | undefined;
  let relay: RsyslogProcess | undefined;
  let junosConn: Socket | undefined;
  const udp = createSocket('udp4');
  const savedTz = process.env.TZ;
  let lines: Line[] = [];
  let records: RecordJson[] = [];
  let sessions: SessionJson[] = [];
  let details: DetailJson[] = [];

  const ours = (): SessionJson[] => sessions.filter((s) => s.host === 'r1' || s.host === 'sw1');
  const sessionOf = (dev: Device, admin: Admin): DetailJson | undefined => details.find((d) => d.session.host === dev && d.session.user === admin);
  /** The transcript line a stored record came from (its raw ends with the line's body, give or take the LF). */
  const lineOf = (raw: string): Line | undefined => lines.find((l) => raw.replace(/\n$/, '').endsWith(l.body));
  const expectedEvents = (dev: Device, admin: Admin): Line[] => lines.filter((l) => l.dev === dev && l.admin === admin && l.want !== null && l.want.kind !== 'reboot');

  beforeAll(async () => {
    server = await startServer({ config: testConfig({ sessions: { orphanWaitSeconds: 2, deriveIntervalMs: 100 } }) });
    viewer = await signInToServer(server); // the API is for signed-in viewers
    // rsyslogd stamps the JunOS BSD times (no zone) in its own zone when it relays them; the lines are UTC.
    process.env.TZ = 'UTC';
    const udpPort = await freeUdpPort();
    const tcpPort = await freePort();
    relay = await startRsyslog({ dir: tempDir('rsyslog-net'), config: relayConfig(udpPort, tcpPort, server.ports.tcp!) });

    // imtcp accepting says rsyslogd is up; imudp may bind a moment later. A probe datagram, resent
    // until countersign has it, says the UDP path works before any device line is sent.
    const probe = `<190>${bsd(Date.now())} relay-probe cs-probe: udp path ready ${process.pid}`;
    const probed = await waitUntil(
      async () => {
        udp.send(Buffer.from(probe), udpPort, '127.0.0.1');
        await sleep(300);
        return (await cliJson<RecordJson[]>(server!, ['records', '--limit', '100'])).some((r) => r.raw.includes(`udp path ready ${process.pid}`));
      },
      30_000,
      0,
    );
    if (!probed) throw new Error(`the UDP probe never reached countersign through rsyslog\n${relay.diagnostics()}\n${server.stderr()}`);

    // The router keeps one TCP connection to its syslog host; the switch sends datagrams.
    junosConn = connect({ host: '127.0.0.1', port: tcpPort });
    await new Promise<void>((res, rej) => junosConn!.once('connect', res).once('error', rej));

    // Times in the recent past (the sessions are not idle, the year is this one), milliseconds as IOS logs them.
    lines = transcript(Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000 + 117);
    for (const l of lines) {
      if (l.dev === 'sw1') await new Promise<void>((res, rej) => udp.send(Buffer.from(l.wire), udpPort, '127.0.0.1', (e) => (e ? rej(e) : res())));
      else await new Promise<void>((res, rej) => junosConn!.write(`${l.wire}\n`, (e) => (e ? rej(e) : res())));
      await sleep(10); // interleaved as sent, not two bursts
    }

    // Every line arrived ...
    const arrived = await waitUntil(async () => {
      records = await cliJson<RecordJson[]>(server!, ['records', '--limit', '10000']);
      return lines.every((l) => records.some((r) => lineOf(r.raw) === l));
    }, 30_000);
    if (!arrived) process.stderr.write(`not every line reached countersign in 30 s; asserting on what is there\n${relay.diagnostics()}\n`);

    // ... and the derive stage has put them in sessions (bounded; the assertions say what is missing).
    const settled = await waitUntil(async () => {
      sessions = await cliJson<SessionJson[]>(server!, ['sessions', '--limit', '1000']);
      details = await Promise.all(ours().map((s) => cliJson<DetailJson>(server!, ['session', 'show', String(s.id)])));
      return (
        (['r1', 'sw1'] as const).every((dev) => (['alice', 'bob'] as const).every((a) => sessionOf(dev, a)?.events.length === expectedEvents(dev, a).length)) &&
        ours().every((s) => s.status === 'closed')
      );
    }, 30_000, 250);
    if (!settled) process.stderr.write(`sessions did not settle in 30 s; asserting on what is there\n`);
  }, 120_000);

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const step of [
      () => new Promise<void>((res) => (junosConn === undefined || junosConn.destroyed ? res() : junosConn.end(res))),
      () => new Promise<void>((res) => udp.close(() => res())),
      () => relay?.stop(),
      () => server?.stop(),
    ]) {
      try {
        await step();
      } catch (e) {
        errors.push(e);
      }
    }
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
    if (errors.length > 0) throw errors[0];
  }, 60_000);

  it('every device line reached countersign through rsyslog, parsed, once', () => {
    const missing = lines.filter((l) => !records.some((r) => lineOf(r.raw) === l)).map((l) => l.wire);
    expect(missing).toEqual([]);
    const mine = records.filter((r) => lineOf(r.raw) !== undefined);
    expect(mine).toHaveLength(lines.length);
    expect(mine.filter((r) => r.kind !== 'parsed').map((r) => r.raw)).toEqual([]);
  });

  it('lists exactly four sessions on r1 and sw1: right user, host and device type, none open', () => {
    expect(ours().map((s) => `${s.host}/${s.user}/${s.deviceType}/${s.status}`).sort()).toEqual([
      'r1/alice/junos/closed',
      'r1/bob/junos/closed',
      'sw1/alice/cisco-ios/closed',
      'sw1/bob/cisco-ios/closed',
    ]);
    for (const s of ours()) {
      const admin = s.user as Admin;
      expect(s.origin, `${s.host}/${s.user} origin`).toBe(ORIGIN[admin].ip);
      if (s.host === 'r1') expect(s.originPort, `${s.host}/${s.user} origin port (ssh-connection)`).toBe(ORIGIN[admin].port);
      expect(s.weakCount, `${s.host}/${s.user}: nothing linked by guesswork`).toBe(0);
    }
  });

  it("each session's command and config_change events are exactly that admin's lines, in order, with the command texts", () => {
    for (const dev of ['r1', 'sw1'] as const) {
      for (const admin of ['alice', 'bob'] as const) {
        const d = sessionOf(dev, admin);
        expect(d, `${dev}/${admin} session`).toBeDefined();
        const got = d!.events.filter((e) => e.kind === 'command' || e.kind === 'config_change').map((e) => [e.kind, e.user, e.command]);
        const want = expectedEvents(dev, admin)
          .filter((l) => l.want!.kind === 'command' || l.want!.kind === 'config_change')
          .map((l) => [l.want!.kind, admin, l.want!.command]);
        expect(got, `${dev}/${admin}: commands and config changes`).toEqual(want);
      }
    }
    // Spelled out once, so a reader sees what "exactly" means here.
    expect(sessionOf('r1', 'bob')!.events.filter((e) => e.kind === 'command' || e.kind === 'config_change').map((e) => e.command)).toEqual([
      'show interfaces terse ge-0/0/2',
      'edit',
      'edit interfaces ge-0/0/2',
      'set interfaces ge-0/0/2 disable',
      'set disable',
      'delete speed 100m',
      'delete interfaces ge-0/0/2 speed',
      'commit and-quit',
      'exit',
    ]);
    expect(sessionOf('sw1', 'alice')!.events.filter((e) => e.kind === 'command' || e.kind === 'config_change').map((e) => e.command)).toEqual([
      'show running-config interface Gi1/0/1',
      'interface Gi1/0/1',
      'description uplink to r1',
    ]);
  });

  it("every event of a session is one of that admin's lines on that device, all of them, in order; nothing of another admin's", () => {
    for (const dev of ['r1', 'sw1'] as const) {
      for (const admin of ['alice', 'bob'] as const) {
        const d = sessionOf(dev, admin);
        expect(d, `${dev}/${admin} session`).toBeDefined();
        const foreign = d!.events.map((e) => ({ e, l: lineOf(e.raw) })).filter(({ l }) => l === undefined || l.dev !== dev || l.admin !== admin);
        expect(foreign.map(({ e, l }) => `${e.kind} ${e.command ?? ''} from ${l === undefined ? 'no transcript line' : `${l.dev}/${l.admin}`}: ${e.raw}`), `${dev}/${admin}: foreign events`).toEqual([]);
        const got = d!.events.map((e) => {
          const l = lineOf(e.raw);
          return { kind: e.kind, action: e.action, ...(l?.want?.command !== undefined ? { command: e.command } : {}), line: l?.body ?? e.raw };
        });
        const want = expectedEvents(dev, admin).map((l) => ({ kind: l.want!.kind, action: l.want!.action, ...(l.want!.command !== undefined ? { command: l.want!.command } : {}), line: l.body }));
        expect(got, `${dev}/${admin}: the session's timeline`).toEqual(want);
        for (const e of d!.events) expect(e.link, `${dev}/${admin}: ${e.raw}`).toBe('strong');
      }
    }
  });

  it('commits are commit events of the session that committed', () => {
    const commits = (dev: Device, admin: Admin): (string | null)[] => sessionOf(dev, admin)!.events.filter((e) => e.kind === 'commit').map((e) => e.action);
    expect(commits('r1', 'alice')).toEqual(['commit', 'commit-completed']);
    expect(commits('r1', 'bob')).toEqual(['commit', 'commit-completed']);
    expect(commits('sw1', 'alice')).toEqual(['configured']);
    expect(commits('sw1', 'bob')).toEqual(['configured']);
    // `enable` on IOS is a privilege step of the session that typed it.
    for (const admin of ['alice', 'bob'] as const) {
      expect(sessionOf('sw1', admin)!.events.filter((e) => e.kind === 'privilege').map((e) => [e.user, e.command])).toEqual([[admin, 'enable']]);
    }
  });

  it("the reload closed the session still open on sw1 as 'reboot' at the reload; the others closed at their logout", () => {
    const reload = lines.find((l) => l.want?.kind === 'reboot')!;
    const logoutOf = (dev: Device, admin: Admin): Line => lines.find((l) => l.dev === dev && l.admin === admin && l.want?.kind === 'logout')!;
    const closing = (dev: Device, admin: Admin): [string | null, string | null] => [sessionOf(dev, admin)?.session.closeReason ?? null, sessionOf(dev, admin)?.session.endedAt ?? null];
    expect(closing('sw1', 'bob')).toEqual(['reboot', iso(reload.time)]);
    expect(closing('sw1', 'alice')).toEqual(['logout', iso(logoutOf('sw1', 'alice').time)]);
    expect(closing('r1', 'alice')).toEqual(['logout', iso(logoutOf('r1', 'alice').time)]);
    expect(closing('r1', 'bob')).toEqual(['logout', iso(logoutOf('r1', 'bob').time)]);
    // The reload is an event of its own, of no session: it is not in bob's timeline.
    expect(sessionOf('sw1', 'bob')!.events.some((e) => e.kind === 'reboot')).toBe(false);
  });

  it('`sessions --host sw1` and the API with ?host=sw1 list only the switch sessions', async () => {
    const cliSw1 = await cliJson<SessionJson[]>(server!, ['sessions', '--host', 'sw1', '--limit', '1000']);
    expect(cliSw1.map((s) => `${s.host}/${s.user}/${s.deviceType}`).sort()).toEqual(['sw1/alice/cisco-ios', 'sw1/bob/cisco-ios']);
    const res = await viewer!.fetch('/api/v1/sessions?host=sw1&limit=1000');
    expect(res.status).toBe(200);
    const api = (await res.json()) as { sessions: SessionJson[] };
    expect(api.sessions).toEqual(cliSw1);
    const cliR1 = await cliJson<SessionJson[]>(server!, ['sessions', '--host', 'r1', '--limit', '1000']);
    expect(cliR1.map((s) => `${s.host}/${s.user}/${s.deviceType}`).sort()).toEqual(['r1/alice/junos', 'r1/bob/junos']);
    // The API's session detail says what the CLI says.
    const one = cliSw1[0]!;
    expect(await (await viewer!.fetch(`/api/v1/sessions/${one.id}`)).json()).toEqual(await cliJson<DetailJson>(server!, ['session', 'show', String(one.id)]));
    for (const s of [...cliSw1, ...cliR1]) expect(s.deviceType).toBe(DEVICE_TYPE[s.host as Device]);
  });
});
