// Bench of the Linux-sessions path: (c) events parsed and sessionized per second on a generated mix
// (envelope + body parsers + sessionizer, in memory; then the derive stage writing to SQLite), and
// (d) memory per open session with 100 000 open sessions. Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { BodyParsers } from '../src/parsers/body/index.js';
import { parseEnvelope } from '../src/parsers/envelope/index.js';
import { Deriver } from '../src/pipeline/derive.js';
import { Sessionizer } from '../src/sessions/sessionizer.js';
import { openDerivedStore, openWriter, prepareStore } from '../src/store/index.js';
import type { NewRecord } from '../src/store/types.js';
import { makeSessionLines } from './session-stories.js';
import { loadRuleSet } from '../src/rules/load.js';
import type { Event } from '../src/model/event.js';
import type { Session } from '../src/model/session.js';

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const benchSessions = async (lineCount: number): Promise<void> => {
  const { lines, sessions } = makeSessionLines(lineCount, 200);
  console.log(`(c) sessions: ${fmt(lines.length)} lines of ${fmt(sessions)} interleaved Linux sessions (sshd, pam, snoopy, sudo), ~200 open at a time`);
  const frames = lines.map((l) => Buffer.from(l));
  const ctx = { receivedAt: Date.UTC(2026, 5, 1, 12), timezone: 'UTC' };

  // In memory: envelope + body + sessionizer.
  const run = (): { ms: number; events: number; sessions: number } => {
    const parsers = new BodyParsers();
    const z = new Sessionizer();
    const seen = new Set<number>();
    let events = 0;
    const t0 = performance.now();
    for (let i = 0; i < frames.length; i++) {
      const env = parseEnvelope(frames[i]!, ctx);
      if (!env.ok) continue;
      const e = env.value;
      const d = parsers.parse({ seq: i, time: e.time ?? ctx.receivedAt, host: e.hostname ?? 'h', envelope: e });
      if (d.outcome.kind !== 'events') continue;
      for (const ev of d.outcome.events) {
        const out = z.push(ev, ++events);
        for (const s of out.sessions) seen.add(s.id);
      }
      if ((i & 4095) === 0) z.tick(e.time ?? 0);
    }
    return { ms: performance.now() - t0, events, sessions: seen.size };
  };
  run(); // warm-up
  const mem = run();
  console.log(`    in memory (envelope + body parsers + sessionizer): ${fmt((frames.length / mem.ms) * 1000)} records/s, ${fmt((mem.events / mem.ms) * 1000)} events/s; ${fmt(mem.events)} events in ${fmt(mem.sessions)} sessions`);

  // The full built-in rule pack over those events, each with the session it joined (as the derive stage matches them).
  const pairs: [Event, Session | null][] = [];
  {
    const parsers = new BodyParsers();
    const z = new Sessionizer();
    let n = 0;
    for (let i = 0; i < frames.length; i++) {
      const env = parseEnvelope(frames[i]!, ctx);
      if (!env.ok) continue;
      const d = parsers.parse({ seq: i, time: env.value.time ?? ctx.receivedAt, host: env.value.hostname ?? 'h', envelope: env.value });
      if (d.outcome.kind !== 'events') continue;
      for (const ev of d.outcome.events) pairs.push([ev, z.push(ev, ++n).sessions[0] ?? null]);
    }
  }
  const rules = loadRuleSet({ builtin: true });
  const matchAll = (): { ms: number; hits: number } => {
    let hits = 0;
    const t0 = performance.now();
    for (const [ev, sess] of pairs) hits += rules.set.match(ev, sess).length;
    return { ms: performance.now() - t0, hits };
  };
  matchAll(); // warm-up
  const rm = matchAll();
  console.log(`    rules (the full built-in pack, ${rules.set.size} rules): ${fmt((pairs.length / rm.ms) * 1000)} events/s, ${fmt(rm.hits)} hits on ${fmt(pairs.length)} events`);

  // The derive stage with SQLite: records stored first, then derived and written (events, sessions, cursor).
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-sessions-'));
  try {
    await prepareStore(dir);
    const w = openWriter(dir);
    const conn = { key: 1, transport: 'tcp' as const, peer: '127.0.0.1:514', peerIdentity: null };
    const sha = new Uint8Array(32);
    for (let i = 0; i < frames.length; i += 4096) {
      const recs: NewRecord[] = [];
      for (let j = i; j < Math.min(frames.length, i + 4096); j++) {
        const env = parseEnvelope(frames[j]!, ctx);
        recs.push({ receivedAt: ctx.receivedAt, conn, raw: frames[j]!, rawSha256: sha, envelope: env.ok ? env.value : null, unparsedReason: env.ok ? null : env.error.type });
      }
      w.appendSync(recs);
    }
    w.close();
    const store = openDerivedStore(dir);
    const deriver = new Deriver(store, { clock: systemClock });
    const t0 = performance.now();
    deriver.catchUp();
    deriver.finish();
    const ms = performance.now() - t0;
    store.close();
    console.log(`    derive stage to SQLite (read bundles, parse, sessionize, write events + sessions): ${fmt((frames.length / ms) * 1000)} records/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Memory per open session: 100 000 logins that never end.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const z = new Sessionizer();
  const parsers = new BodyParsers();
  const N = 100_000;
  for (let i = 0; i < N; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const line = `<38>Jun  1 08:00:00 web${i % 500} sshd[${10000 + i}]: Accepted publickey for user${i % 1000} from ${ip} port ${20000 + (i % 40000)} ssh2: ED25519 SHA256:${'k'.repeat(43)}`;
    const env = parseEnvelope(Buffer.from(line), ctx);
    if (!env.ok) continue;
    const d = parsers.parse({ seq: i, time: env.value.time ?? 0, host: env.value.hostname ?? 'h', envelope: env.value });
    if (d.outcome.kind === 'events') for (const ev of d.outcome.events) z.push(ev, i);
  }
  gc?.();
  const after = process.memoryUsage().heapUsed;
  console.log(`(d) ${fmt(z.openCount)} open sessions: ${fmt((after - before) / z.openCount)} bytes of heap each${gc === undefined ? ' (run node with --expose-gc for an exact figure)' : ''}\n`);
};
