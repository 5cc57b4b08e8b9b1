// Rule hits and session risk in the SQLite store: what the derive stage writes (derived-store.ts) and
// what the CLI and API read back (session-reader.ts), with rule titles from the loaded rules.
import { hash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../model/event.js';
import type { Session } from '../../model/session.js';
import { openDerivedStore, openSessionReader, openWriter, prepareStore } from '../index.js';
import type { DerivedBatch, NewRecord, RuleHitRow } from '../types.js';

const T = 1_795_984_992_000;
const rec = (text: string): NewRecord => {
  const raw = Buffer.from(text);
  return {
    receivedAt: T,
    conn: { key: 1, transport: 'tcp', peer: '10.0.0.1:5000', peerIdentity: null },
    raw,
    rawSha256: hash('sha256', raw, 'buffer') as unknown as Buffer,
    envelope: { format: 'rfc3164', hostname: 'h', app: 'x', msg: text, time: T },
    unparsedReason: null,
  };
};
const session = (id: number, extra: Partial<Session> = {}): Session => ({
  id, host: 'h', user: 'alice', origin: null, originPort: null, auth: null, tty: null, startedAt: T + id, endedAt: null, lastActivity: T + id,
  status: 'open', closeReason: null, eventCount: 1, commandCount: 0, privilegeCount: 0, weakCount: 0, deviceType: 'linux', ...extra,
});
const event = (seq: number, command: string): Event => ({ seq, time: T + seq, host: 'h', kind: 'command', user: 'alice', command, hints: {}, parser: 'x@1' });
const hit = (eventId: number, rule: string, seq: number, sessionId: number | null, level = 'high'): RuleHitRow => ({ eventId, rule, seq, sessionId, host: 'h', level, time: T + seq });
const batch = (b: Partial<DerivedBatch>): DerivedBatch => ({
  events: [], attributions: [], rematched: [], hits: [], risks: [], sessions: [], counters: new Map(), cursor: -1, now: T, ...b,
});

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-risk-store-'));
  await prepareStore(dir);
  const w = openWriter(dir);
  // One record per append: one bundle each, so a one-bundle read is exercised at every boundary.
  for (let i = 0; i < 6; i++) w.appendSync([rec(`line ${i}`)]);
  w.close();
});

describe('derived store: hits and risk', () => {
  it('reads the bundle after the one the cursor ended (a one-bundle read never comes back empty early)', () => {
    const store = openDerivedStore(dir);
    try {
      expect(store.readAfter(-1, 1).map((r) => r.seq)).toEqual([0]);
      expect(store.readAfter(0, 1).map((r) => r.seq)).toEqual([1]);
      expect(store.readAfter(4, 1).map((r) => r.seq)).toEqual([5]);
      expect(store.readAfter(5, 1)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('writes hits with their events, the risk after the session row, and replaces the hits of a rematched event', async () => {
    const store = openDerivedStore(dir);
    try {
      // Batch 1: session 0 opens with a hit; event 3 waits without a session, with a hit of its own.
      store.write(
        batch({
          events: [{ id: 1, event: event(0, 'sudo -i') }, { id: 2, event: event(1, 'ls') }, { id: 3, event: event(2, 'commit') }],
          attributions: [
            { eventId: 1, sessionId: 0, link: 'strong', why: 'opened', effectiveUser: 'alice' },
            { eventId: 2, sessionId: 0, link: 'strong', why: 'x', effectiveUser: 'alice' },
            { eventId: 3, sessionId: null, link: null, why: null, effectiveUser: 'alice' },
          ],
          hits: [hit(1, 'root-shell', 0, 0), hit(1, 'to-root', 0, 0, 'low'), hit(3, 'alone', 2, null)],
          risks: [{ sessionId: 0, score: 55, level: 'high' }],
          sessions: [{ session: session(0, { eventCount: 2 }), snapshot: undefined }],
          cursor: 2,
        }),
      );
      expect(store.ruleLevels([0, 7])).toEqual(
        new Map([
          [0, expect.arrayContaining([{ rule: 'root-shell', level: 'high' }, { rule: 'to-root', level: 'low' }])],
          [7, []],
        ]),
      );
      // Batch 2: event 3 joins session 0 after all and no longer hits; a later event hits again.
      store.write(
        batch({
          events: [{ id: 4, event: event(3, 'tcpdump') }],
          attributions: [
            { eventId: 3, sessionId: 0, link: 'strong', why: 'late', effectiveUser: 'alice' },
            { eventId: 4, sessionId: 0, link: 'strong', why: 'x', effectiveUser: 'alice' },
          ],
          rematched: [3],
          hits: [hit(4, 'capture', 3, 0, 'medium')],
          risks: [{ sessionId: 0, score: 63, level: 'high' }],
          sessions: [{ session: session(0, { eventCount: 4 }), snapshot: undefined }],
          cursor: 3,
        }),
      );
    } finally {
      store.close();
    }
    const reader = openSessionReader(dir, { rules: new Map([['root-shell', { title: 'Interactive root shell' }]]) });
    try {
      const [s] = await reader.list({ limit: 10 });
      expect(s!.risk).toEqual({
        score: 63,
        level: 'high',
        hits: [
          { rule: 'root-shell', seq: 0, level: 'high', title: 'Interactive root shell' },
          { rule: 'to-root', seq: 0, level: 'low', title: 'to-root' }, // a rule no longer loaded: its id
          { rule: 'capture', seq: 3, level: 'medium', title: 'capture' },
        ],
      });
      const d = (await reader.get(0))!;
      expect(d.session).toEqual(s);
      expect(d.events.map((e) => [e.id, e.hits])).toEqual([
        [1, ['root-shell', 'to-root']],
        [2, []],
        [3, []],
        [4, ['capture']],
      ]);
      expect(await reader.hitsOutsideSessions(10)).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('lists hits that belong to no session, newest first', async () => {
    const store = openDerivedStore(dir);
    try {
      store.write(
        batch({
          events: [{ id: 5, event: event(4, 'commit') }, { id: 6, event: event(5, 'reboot') }],
          attributions: [
            { eventId: 5, sessionId: null, link: null, why: null, effectiveUser: null },
            { eventId: 6, sessionId: null, link: null, why: null, effectiveUser: null },
          ],
          hits: [hit(5, 'alone', 4, null), hit(6, 'restarted', 5, null, 'medium')],
          cursor: 5,
        }),
      );
    } finally {
      store.close();
    }
    const reader = openSessionReader(dir);
    try {
      expect(await reader.hitsOutsideSessions(10)).toEqual([
        { rule: 'restarted', seq: 5, host: 'h', level: 'medium', time: T + 5, title: 'restarted' },
        { rule: 'alone', seq: 4, host: 'h', level: 'high', time: T + 4, title: 'alone' },
      ]);
    } finally {
      await reader.close();
    }
  });
});
