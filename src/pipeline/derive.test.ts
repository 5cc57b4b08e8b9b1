// The derive stage over a real capture: what OpenSSH, sudo, su, snoopy and tlog logged on Debian 12
// while four users worked at once (test/fixtures/real/linux-sessions, with the scenario each user ran).
// The records go through the real envelope parser and store, then the deriver; the sessions and their
// events are read back through the same reader the CLI and API use.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import type { TtyChunk } from '../model/event.js';
import type { SessionDetail } from '../model/session-view.js';
import type { Session } from '../model/session.js';
import { parseEnvelope } from '../parsers/envelope/index.js';
import { BodyParsers } from '../parsers/body/index.js';
import { reassemble } from '../parsers/body/tlog-rec/recording.js';
import { DEFAULT_SESSIONIZER_OPTIONS, Sessionizer } from '../sessions/sessionizer.js';
import { openDerivedStore, openSessionReader, openWriter, prepareStore } from '../store/index.js';
import type { NewRecord } from '../store/types.js';
import { Deriver } from './derive.js';

const FIXTURE = new URL('../../test/fixtures/real/linux-sessions/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURE), 'utf8');

interface Scenario {
  name: string;
  user: string;
  clientPort: number | null;
  loginSucceeded: boolean;
  open: boolean;
  startedAt: string;
  endedAt: string | null;
  commands: { command: string; runAs: string; seenBy: string[]; sudoCommand?: string; outcome?: string }[];
}

const RECEIVED_AT = Date.UTC(2026, 10, 29, 21, 0, 0);
let dir: string;
let sessions: Session[];
const details = new Map<number, SessionDetail>();
const scenarios = JSON.parse(fixture('debian12-ssh-sudo-su-snoopy-tlog.scenarios.json')) as Scenario[];

const storeLines = (lines: string[]): void => {
  const w = openWriter(dir);
  const conn = { key: 1, transport: 'tcp' as const, peer: '127.0.0.1:40000', peerIdentity: null };
  const recs: NewRecord[] = lines.map((line) => {
    const raw = Buffer.from(line);
    const env = parseEnvelope(raw, { receivedAt: RECEIVED_AT, timezone: 'UTC' });
    return { receivedAt: RECEIVED_AT, conn, raw, rawSha256: new Uint8Array(32), envelope: env.ok ? env.value : null, unparsedReason: env.ok ? null : env.error.type };
  });
  w.appendSync(recs);
  w.close();
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-derive-'));
  await prepareStore(dir);
  storeLines(fixture('debian12-ssh-sudo-su-snoopy-tlog.rfc3164.log').split('\n').filter((l) => l !== ''));
  const clock = new FakeClock(RECEIVED_AT);
  const store = openDerivedStore(dir);
  const deriver = new Deriver(store, { clock });
  deriver.catchUp();
  deriver.finish();
  // As `import` does at the end: events that waited for a login in vain get their weak link now.
  deriver.settle();
  store.close();
  const reader = openSessionReader(dir);
  sessions = await reader.list({ limit: 100 });
  for (const s of sessions) details.set(s.id, (await reader.get(s.id))!);
  await reader.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sessionOf = (sc: Scenario): Session | undefined => sessions.find((s) => s.user === sc.user && s.originPort === sc.clientPort);

describe('derive over a real capture of four users at once', () => {
  it('finds one session per successful login, with user, origin, start and end', () => {
    const logins = scenarios.filter((s) => s.loginSucceeded);
    expect(sessions).toHaveLength(logins.length);
    for (const sc of logins) {
      const s = sessionOf(sc);
      expect(s, sc.name).toBeDefined();
      expect(s!.host).toBe('cs-linux-host');
      expect(s!.origin).toBe('127.0.0.1');
      // syslog timestamps have whole seconds; the scenario's clock has milliseconds
      expect(Math.abs(s!.startedAt - Date.parse(sc.startedAt)), sc.name).toBeLessThan(2000);
      if (sc.open) expect(s!.status, sc.name).toBe('open');
      else {
        expect(s!).toMatchObject({ status: 'closed', closeReason: 'logout' });
        expect(Math.abs(s!.endedAt! - Date.parse(sc.endedAt!)), sc.name).toBeLessThan(2000);
      }
    }
  });

  it('attributes every command snoopy and sudo saw to its session, as the user it ran as', () => {
    for (const sc of scenarios.filter((s) => s.loginSucceeded)) {
      const d = details.get(sessionOf(sc)!.id)!;
      for (const c of sc.commands) {
        if (c.seenBy.includes('snoopy')) {
          const ev = d.events.find((e) => e.parser === 'snoopy@1' && e.command === c.command);
          expect(ev, `${sc.name}: ${c.command}`).toBeDefined();
          expect(ev!.effectiveUser).toBe(c.runAs);
          expect(ev!.link).toBe('strong');
        }
        if (c.seenBy.includes('sudo')) {
          const ev = d.events.find((e) => e.parser === 'sudo@1' && e.command === c.sudoCommand);
          expect(ev, `${sc.name}: sudo ${c.sudoCommand}`).toBeDefined();
          expect(ev!.effectiveUser).toBe(c.runAs);
          expect(ev!.kind).toBe(c.outcome === 'ok' ? 'privilege' : 'privilege_failed');
        }
      }
    }
  });

  it('attributes nothing to a wrong session', () => {
    for (const d of details.values()) {
      for (const e of d.events) if (e.user !== null) expect(e.user, `${e.raw}`).toBe(d.session.user);
    }
  });

  it('keeps the failed login out of every session', () => {
    expect(scenarios.some((s) => !s.loginSucceeded)).toBe(true);
    for (const d of details.values()) expect(d.events.filter((e) => e.kind === 'login_failed').map((e) => e.raw)).toEqual([]);
  });

  it("ties dave's tlog recording to his session, and it replays to what he typed", () => {
    const sc = scenarios.find((s) => s.name === 'dave-tlog')!;
    const d = details.get(sessionOf(sc)!.id)!;
    const chunks = d.events.filter((e) => e.kind === 'tty_io').map((e) => e.event.recording as TtyChunk);
    expect(chunks.length).toBeGreaterThan(0);
    const r = reassemble(chunks);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const c of sc.commands.filter((x) => x.seenBy.includes('tlog'))) {
      expect(r.value.input).toContain(c.command);
      expect(r.value.output).toContain(c.command);
    }
  });
});

/** The pipeline in memory (envelope → body parsers → sessionizer, then the end-of-import wait): session → its lines. */
const sessionsInMemory = (lines: readonly string[]): Map<string, string[]> => {
  const parsers = new BodyParsers();
  const z = new Sessionizer();
  const lineOf = new Map<number, string>();
  const where = new Map<number, number | null>();
  const label = new Map<number, string>();
  let id = 0;
  let maxTime = 0;
  const take = (out: ReturnType<Sessionizer['push']>): void => {
    for (const a of out.attributions) where.set(a.eventId, a.sessionId);
    for (const s of out.sessions) label.set(s.id, `${s.user} port ${s.originPort}`);
  };
  lines.forEach((line, seq) => {
    const env = parseEnvelope(Buffer.from(line), { receivedAt: RECEIVED_AT, timezone: 'UTC' });
    if (!env.ok) return;
    const input = { seq, time: env.value.time ?? RECEIVED_AT, host: env.value.hostname ?? 'h', envelope: env.value };
    maxTime = Math.max(maxTime, input.time);
    const d = parsers.parse(input);
    const events = d.outcome.kind === 'events' ? d.outcome.events : [];
    for (const e of [...events, ...parsers.flush(maxTime, false)]) {
      lineOf.set(++id, line);
      take(z.push(e, id));
    }
  });
  for (const e of parsers.flush(maxTime, true)) take(z.push(e, ++id));
  take(z.tick(maxTime + DEFAULT_SESSIONIZER_OPTIONS.orphanWindowMs + 1));
  const out = new Map<string, string[]>();
  for (const [eventId, sid] of where) {
    const key = sid === null ? '(none)' : label.get(sid)!;
    out.set(key, [...(out.get(key) ?? []), lineOf.get(eventId)!]);
  }
  for (const v of out.values()) v.sort();
  return out;
};

describe('derive under other arrival orders', () => {
  const lines = fixture('debian12-ssh-sudo-su-snoopy-tlog.rfc3164.log').split('\n').filter((l) => l !== '');
  const inOrder = sessionsInMemory(lines);

  it('gives the same sessions for any interleaving of the sessions\' lines (property)', () => {
    // Each session keeps its own order (a sender's TCP stream does); the sessions interleave arbitrarily.
    const group = new Map<string, string>();
    for (const [key, ls] of inOrder) for (const l of ls) group.set(l, key);
    const streams = new Map<string, string[]>();
    for (const l of lines) {
      const g = group.get(l) ?? '(no event)';
      streams.set(g, [...(streams.get(g) ?? []), l]);
    }
    const queues = [...streams.values()];
    expect(queues.length).toBeGreaterThan(4);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: lines.length, maxLength: lines.length }), (choices) => {
        const pos = queues.map(() => 0);
        const merged: string[] = [];
        for (const c of choices) {
          const open = queues.map((q, i) => i).filter((i) => pos[i]! < queues[i]!.length);
          const i = open[c % open.length]!;
          merged.push(queues[i]![pos[i]!++]!);
        }
        expect(sessionsInMemory(merged)).toEqual(inOrder);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same sessions from the RFC 5424 copy rsyslog forwarded (leading space kept in MSG)', () => {
    const rfc5424 = fixture('debian12-ssh-sudo-su-snoopy-tlog.rfc5424.log').split('\n').filter((l) => l !== '');
    const a = sessionsInMemory(rfc5424);
    expect([...a.keys()].sort()).toEqual([...inOrder.keys()].sort());
    for (const [k, v] of a) expect(v.length, k).toBe(inOrder.get(k)!.length);
  });

  it('resumes after a restart in the middle: the same sessions as one pass', async () => {
    const half = Math.floor(lines.length / 2);
    const d2 = mkdtempSync(join(tmpdir(), 'cs-derive-restart-'));
    try {
      await prepareStore(d2);
      const saved = dir;
      dir = d2;
      const clock = new FakeClock(RECEIVED_AT);
      storeLines(lines.slice(0, half));
      let store = openDerivedStore(d2);
      new Deriver(store, { clock }).catchUp(); // no finish(): as if the process were killed here
      store.close();
      storeLines(lines.slice(half));
      store = openDerivedStore(d2);
      const deriver = new Deriver(store, { clock });
      deriver.catchUp();
      deriver.finish();
      deriver.settle();
      store.close();
      dir = saved;
      const reader = openSessionReader(d2);
      const again = await reader.list({ limit: 100 });
      await reader.close();
      const strip = (x: Session[]) => x.map((s) => ({ ...s })).sort((a, b) => a.id - b.id);
      expect(strip(again)).toEqual(strip(sessions));
    } finally {
      rmSync(d2, { recursive: true, force: true });
    }
  });
});
