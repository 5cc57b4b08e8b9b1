import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/event.js';
import type { Session } from '../model/session.js';
import { DEFAULT_SESSIONIZER_OPTIONS, Sessionizer, type Attribution, type SessionizerOutput } from './sessionizer.js';

// Events shaped as the sshd, pam, snoopy and sudo parsers produce them from the lines a real
// OpenSSH login logs (see test/e2e/linux-sessions.test.ts for the same story from the real programs).
const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
let seq = 0;
const ev = (over: Partial<Event> & Pick<Event, 'kind'>): Event => ({ seq: ++seq, time: T0, host: 'web1', hints: {}, parser: 'test@1', ...over });

const sshLogin = (user: string, port: number, pid: string, t = T0): Event =>
  ev({ kind: 'login', action: 'accepted', time: t, user, remote: '10.0.0.5', remotePort: port, auth: { method: 'publickey' }, hints: { sshdPid: pid, sshConn: `10.0.0.5 ${port}` } });
const pamOpened = (user: string, pid: string, t = T0): Event => ev({ kind: 'login', action: 'session-opened', time: t, user, hints: { sshdPid: pid } });
const snoopy = (user: string, port: number, tty: string, command: string, t: number, as = user): Event =>
  ev({ kind: 'command', action: 'exec', time: t, user, targetUser: as, command, tty, hints: { sshConn: `10.0.0.5 ${port}`, tty } });
const disconnect = (user: string, port: number, childPid: string, t: number): Event =>
  ev({ kind: 'logout', action: 'disconnected', time: t, user, hints: { sshdPid: childPid, sshConn: `10.0.0.5 ${port}` } });

const run = (events: readonly Event[], z = new Sessionizer(), tickAt?: number) => {
  const where = new Map<number, Attribution>();
  const sessions = new Map<number, Session>();
  const take = (out: SessionizerOutput): void => {
    for (const a of out.attributions) where.set(a.eventId, a);
    for (const s of out.sessions) sessions.set(s.id, s);
  };
  for (const e of events) take(z.push(e, e.seq));
  if (tickAt !== undefined) take(z.tick(tickAt));
  return { where, sessions, z };
};
/** Past the orphan wait of events at T0 + a few seconds: weak links are decided. */
const AFTER_WAIT = T0 + 10_000 + DEFAULT_SESSIONIZER_OPTIONS.orphanWindowMs;

describe('sessionizer', () => {
  it('follows one ssh login from accept to disconnect, through snoopy commands and sudo on its tty', () => {
    const login = sshLogin('alice', 50001, '900');
    const events = [
      login,
      pamOpened('alice', '900', T0 + 10),
      snoopy('alice', 50001, 'pts/3', 'id -u', T0 + 1000),
      ev({ kind: 'privilege', action: 'sudo', time: T0 + 2000, user: 'alice', targetUser: 'root', command: '/usr/bin/systemctl restart nginx', tty: 'pts/3', hints: { tty: 'pts/3' } }),
      disconnect('alice', 50001, '901', T0 + 5000),
      ev({ kind: 'logout', action: 'session-closed', time: T0 + 5010, user: 'alice', hints: { sshdPid: '900' } }),
    ];
    const { where, sessions } = run(events);
    expect([...sessions.keys()]).toEqual([login.seq]);
    const s = sessions.get(login.seq)!;
    expect(s).toMatchObject({ host: 'web1', user: 'alice', origin: '10.0.0.5', originPort: 50001, tty: 'pts/3', status: 'closed', closeReason: 'logout', startedAt: T0, endedAt: T0 + 5010 });
    expect(s).toMatchObject({ eventCount: 6, commandCount: 2, privilegeCount: 1, weakCount: 0 });
    for (const e of events) expect(where.get(e.seq)).toMatchObject({ sessionId: login.seq, link: 'strong' });
    expect(where.get(events[3]!.seq)!.effectiveUser).toBe('root');
    expect(where.get(events[2]!.seq)!.effectiveUser).toBe('alice');
  });

  it('keeps two concurrent logins of one user apart by their connections', () => {
    const a = sshLogin('alice', 40001, '100');
    const b = sshLogin('alice', 40002, '200', T0 + 1);
    const ca = snoopy('alice', 40001, 'pts/1', 'uptime', T0 + 50);
    const cb = snoopy('alice', 40002, 'pts/2', 'df -h', T0 + 51);
    const { where, sessions } = run([a, b, cb, ca]);
    expect(sessions.size).toBe(2);
    expect(where.get(ca.seq)!.sessionId).toBe(a.seq);
    expect(where.get(cb.seq)!.sessionId).toBe(b.seq);
  });

  it('lets a command that arrives before its login join once the login is seen', () => {
    const login = sshLogin('bob', 41000, '300', T0);
    const early = snoopy('bob', 41000, 'pts/4', 'hostname', T0 + 200);
    const { where, sessions } = run([early, login]);
    expect(where.get(early.seq)).toMatchObject({ sessionId: login.seq, link: 'strong' });
    expect(where.get(early.seq)!.why).toContain('before its session opened');
    expect(sessions.get(login.seq)!.commandCount).toBe(1);
  });

  it('closes a session after the idle timeout, at its last activity', () => {
    const login = sshLogin('carol', 42000, '400');
    const cmd = snoopy('carol', 42000, 'pts/5', 'ls', T0 + 60_000);
    const { z } = run([login, cmd]);
    expect(z.tick(T0 + 60_000 + DEFAULT_SESSIONIZER_OPTIONS.idleTimeoutMs).sessions).toEqual([]);
    const out = z.tick(T0 + 60_001 + DEFAULT_SESSIONIZER_OPTIONS.idleTimeoutMs);
    expect(out.sessions).toHaveLength(1);
    expect(out.sessions[0]).toMatchObject({ status: 'closed', closeReason: 'idle', endedAt: T0 + 60_000 });
  });

  it('ties a sudo line without a terminal weakly, to the session where the command was just seen', () => {
    const a = sshLogin('alice', 43001, '500');
    const b = sshLogin('alice', 43002, '600', T0 + 1);
    const sawSudo = snoopy('alice', 43002, 'pts/7', 'sudo -S id -u', T0 + 3000);
    const other = snoopy('alice', 43001, 'pts/6', 'uptime', T0 + 3100);
    const sudo = ev({ kind: 'privilege', action: 'sudo', time: T0 + 3200, user: 'alice', targetUser: 'root', command: '/usr/bin/id -u', hints: {} });
    const early = run([a, b, sawSudo, other, sudo]);
    expect(early.where.get(sudo.seq)).toMatchObject({ sessionId: null }); // waits for evidence first
    const { where, sessions } = run([a, b, sawSudo, other, sudo], new Sessionizer(), AFTER_WAIT);
    expect(where.get(sudo.seq)).toMatchObject({ sessionId: b.seq, link: 'weak', effectiveUser: 'root' });
    expect(where.get(sudo.seq)!.why).toMatch(/command was seen in this session/);
    expect(sessions.get(b.seq)!.weakCount).toBe(1);
  });

  it('finds the same weak link when sudo\'s line arrives before the evidence', () => {
    const a = sshLogin('alice', 43101, '510');
    const b = sshLogin('alice', 43102, '610', T0 + 1);
    const sudo = ev({ kind: 'privilege', action: 'sudo', time: T0 + 3200, user: 'alice', targetUser: 'root', command: '/usr/bin/id -u', hints: {} });
    const sawSudo = snoopy('alice', 43102, 'pts/7', 'sudo -S id -u', T0 + 3000);
    const plain = snoopy('alice', 43101, 'pts/6', 'id -u', T0 + 3100); // the same command, run without sudo elsewhere
    const { where } = run([a, b, sudo, plain, sawSudo], new Sessionizer(), AFTER_WAIT);
    expect(where.get(sudo.seq)).toMatchObject({ sessionId: b.seq, link: 'weak' });
  });

  it('refuses to guess between two equally likely sessions', () => {
    const a = sshLogin('dave', 44001, '700');
    const b = sshLogin('dave', 44002, '800', T0 + 1);
    const sudo = ev({ kind: 'privilege', action: 'sudo', time: T0 + 3200, user: 'dave', targetUser: 'root', command: '/usr/bin/id', hints: {} });
    const { where } = run([a, b, sudo], new Sessionizer(), AFTER_WAIT);
    expect(where.get(sudo.seq)).toMatchObject({ sessionId: null, link: null });
  });

  it('closes every open session of a host when it reboots', () => {
    const a = sshLogin('erin', 45001, '900');
    const other = { ...sshLogin('erin', 45002, '901'), host: 'db1' };
    const reboot = ev({ kind: 'reboot', time: T0 + 9000, hints: {} });
    const { sessions } = run([a, other, reboot]);
    expect(sessions.get(a.seq)).toMatchObject({ status: 'closed', closeReason: 'reboot', endedAt: T0 + 9000 });
    expect(sessions.get(other.seq)).toMatchObject({ status: 'open' });
  });

  it('resumes from snapshots: a restart keeps attributing to the open session', () => {
    const login = sshLogin('frank', 46000, '1000');
    const { z } = run([login, snoopy('frank', 46000, 'pts/9', 'w', T0 + 10)]);
    const snap = z.snapshot(login.seq)!;
    const resumed = new Sessionizer(DEFAULT_SESSIONIZER_OPTIONS, [JSON.parse(JSON.stringify(snap))]);
    const later = snoopy('frank', 46000, 'pts/9', 'exit', T0 + 20);
    const out = resumed.push(later, later.seq);
    expect(out.attributions[0]).toMatchObject({ sessionId: login.seq, link: 'strong' });
    expect(out.sessions[0]).toMatchObject({ eventCount: 3, commandCount: 2 });
  });

  it('does not let a new login join a closed session that reused the sshd pid', () => {
    const first = sshLogin('gina', 47001, '1100');
    const bye = disconnect('gina', 47001, '1100', T0 + 100);
    const second = sshLogin('gina', 47002, '1100', T0 + 200);
    const { sessions } = run([first, bye, second]);
    expect(sessions.size).toBe(2);
    expect(sessions.get(second.seq)).toMatchObject({ status: 'open', originPort: 47002 });
  });

  it('gives the same sessions for any arrival order of interleaved sessions (property)', () => {
    const story = (user: string, port: number, pid: string, child: string, tty: string, t: number): Event[] => [
      sshLogin(user, port, pid, t),
      pamOpened(user, pid, t + 5),
      snoopy(user, port, tty, 'id', t + 100),
      snoopy(user, port, tty, 'sudo -S whoami', t + 200),
      ev({ kind: 'privilege', action: 'sudo', time: t + 210, user, targetUser: 'root', command: '/usr/bin/whoami', tty, hints: { tty } }),
      snoopy(user, port, tty, 'uname -a', t + 300),
      disconnect(user, port, child, t + 400),
    ];
    const events = [...story('u1', 50001, '11', '12', 'pts/1', T0), ...story('u2', 50002, '21', '22', 'pts/2', T0 + 50), ...story('u1', 50003, '31', '32', 'pts/3', T0 + 120)];
    const owner = new Map<number, number>();
    for (let i = 0; i < events.length; i++) owner.set(events[i]!.seq, events[Math.floor(i / 7) * 7]!.seq);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (order) => {
        const { where, sessions } = run(order);
        expect(sessions.size).toBe(3);
        // Session ids are the seq of the event that opened it, so they follow arrival order; the grouping may not.
        const idOf = new Map<number, number>();
        for (const e of events) {
          const got = where.get(e.seq)!;
          expect(got.link).toBe('strong');
          const story = owner.get(e.seq)!;
          if (!idOf.has(story)) idOf.set(story, got.sessionId!);
          expect(got.sessionId).toBe(idOf.get(story));
        }
        expect(new Set(idOf.values()).size).toBe(3);
        for (const s of sessions.values()) expect(s).toMatchObject({ status: 'closed', eventCount: 7, commandCount: 4 });
      }),
      { numRuns: 300 },
    );
  });
});
