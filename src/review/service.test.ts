// The review service over a real store: the real sshd/sudo/su capture imported, then reviewed.
import { rmSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { ActionLog } from '../pipeline/action-log.js';
import { openSqlite } from '../store/sqlite/open.js';
import { SqliteReviewStore } from '../store/sqlite/review-store.js';
import { SqliteTlogStore } from '../store/sqlite/tlog-store.js';
import type { Reviewer } from './permissions.js';
import { parsePolicy } from './policy.js';
import { ReviewService } from './service.js';
import { importRealCapture } from '../../test/helpers/real-capture.js';

const POLICY = 'rules:\n  - name: everything\n    require: 2\n';
const roles = new Map([['alice', 'reviewer'], ['bob', 'reviewer'], ['carol', 'admin'], ['vic', 'viewer']]);
const who = (name: string, extra: Partial<Reviewer> = {}): Reviewer => ({ name, role: roles.get(name) as Reviewer['role'], identities: [], mayAct: true, ...extra });

let dir: string;
let db: BetterSqlite3.Database;
let svc: ReviewService;
let store: SqliteReviewStore;
let tlog: SqliteTlogStore;
const clock = new FakeClock(Date.parse('2026-11-30T08:00:00Z'));
let aliceSession: number;

beforeAll(async () => {
  dir = await importRealCapture('review');
  db = openSqlite(dir);
  store = new SqliteReviewStore(db);
  tlog = new SqliteTlogStore(db);
  const p = parsePolicy(POLICY, 'test-policy.yaml');
  if (!p.ok) throw new Error(p.error.reason);
  svc = new ReviewService({ store, actions: new ActionLog(db, clock), leafHash: (s) => tlog.leafHash(s), policy: p.value, policyText: POLICY, roleOf: (n) => roles.get(n) ?? null, clock });
  aliceSession = Number(db.prepare("SELECT id FROM sessions WHERE user = 'cs-alice' ORDER BY id LIMIT 1").pluck().get());
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const entryOf = (seq: number): Record<string, unknown> => JSON.parse(Buffer.from(tlog.recordRaw(seq)!).toString('utf8'));

describe('review service on the real sshd/sudo capture', () => {
  it('puts every session in the queue, needing review', () => {
    const { counts, rows } = svc.queue({ limit: 100 });
    expect(rows.length).toBeGreaterThan(3);
    expect(counts['needs_review']).toBe(rows.length);
    expect(rows.some((r) => Number(r.session.id) === aliceSession)).toBe(true);
    const q = svc.queue({ limit: 100, q: 'cat /etc/host' });
    expect(q.rows.map((r) => Number(r.session.id))).toContain(aliceSession);
    expect(svc.queue({ limit: 100, q: 'no-such-command-anywhere' }).rows).toEqual([]);
  });

  it("the actor's own account cannot approve; a two-approval session stays pending after one", () => {
    const alice = who('alice', { identities: [{ username: 'cs-alice', deviceType: '*' }] });
    const r = svc.review(aliceSession, alice)!;
    expect(r.you.canApprove).toBe(false);
    expect(() => svc.act(aliceSession, alice, 'approve', { digest: r.digest })).toThrow(/you acted in this session \(as cs-alice\)/);
    const one = svc.act(aliceSession, who('bob'), 'approve', { digest: r.digest });
    expect(one.review.status).toMatchObject({ state: 'needs_review', approvalCount: 1, needed: 2 });
    expect(() => svc.act(aliceSession, who('bob'), 'approve', { digest: r.digest })).toThrow(/already approved/);
    expect(() => svc.act(aliceSession, who('vic'), 'approve', { digest: r.digest })).toThrow(/viewers/);
    expect(() => svc.act(aliceSession, who('carol'), 'approve', { digest: 'f'.repeat(64) })).toThrow(/changed since you loaded it/);
    const two = svc.act(aliceSession, who('carol'), 'approve', { digest: r.digest });
    expect(two.review.status.state).toBe('approved');
    // The approval is a tlog entry naming the session digest.
    expect(entryOf(two.action.seq)).toMatchObject({ type: 'review.approve', actor: 'carol', session: aliceSession, digest: r.digest });
    expect(two.action.seq).toBeLessThan(tlog.tree().size);
  });

  it('flag → discuss → resolve, with comments on lines', () => {
    const ev = Number(db.prepare('SELECT id FROM events WHERE session_id = ? ORDER BY id LIMIT 1').pluck().get(aliceSession));
    expect(() => svc.act(aliceSession, who('bob'), 'flag', { body: '  ' })).toThrow(/needs a comment/);
    svc.act(aliceSession, who('bob'), 'flag', { body: 'why read /etc/hostname as root?' });
    expect(svc.review(aliceSession, who('carol'))!.status.state).toBe('flagged');
    const c = svc.act(aliceSession, who('carol'), 'comment', { eventId: ev, body: 'checking the change ticket' });
    expect(c.action.eventId).toBe(ev);
    expect(() => svc.act(aliceSession, who('carol'), 'comment', { eventId: 999_999_999, body: 'x' })).toThrow(/not part of session/);
    expect(() => svc.act(aliceSession, who('alice', { identities: [{ username: 'cs-alice', deviceType: 'linux' }] }), 'resolve', { body: 'fine' })).toThrow(/someone else/);
    const done = svc.act(aliceSession, who('carol'), 'resolve', { body: 'ticket CHG-1 covers it' });
    expect(done.review.status.state).toBe('approved');
    expect(svc.review(aliceSession, who('bob'))!.actions.map((a) => a.action)).toEqual(['approve', 'approve', 'flag', 'comment', 'resolve']);
  });

  it('records who looked, once a minute per reader', () => {
    const before = store.actions(aliceSession).length;
    svc.recordView(aliceSession, who('vic'), 'view');
    svc.recordView(aliceSession, who('vic'), 'view');
    expect(store.actions(aliceSession).length).toBe(before + 1);
    clock.advance(61_000);
    svc.recordView(aliceSession, who('vic'), 'view');
    svc.recordView(aliceSession, who('vic'), 'replay');
    expect(store.actions(aliceSession).length).toBe(before + 3);
  });

  it('the digest is over the leaf hashes of the session records', () => {
    const d = svc.digest(aliceSession);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(svc.digest(aliceSession)).toBe(d);
    const other = Number(db.prepare('SELECT id FROM sessions WHERE id <> ? LIMIT 1').pluck().get(aliceSession));
    expect(svc.digest(other)).not.toBe(d);
  });
});

describe('verify holds the review table to the log', () => {
  it('passes as written, names an edited author, a deleted and an added action', async () => {
    const { verifyStore } = await import('../pipeline/verify.js');
    const ok = verifyStore(dir);
    expect(ok.problems).toEqual([]);
    expect(ok.reviewActions).toBeGreaterThanOrEqual(8);
    const approval = db.prepare("SELECT seq FROM review_actions WHERE action = 'approve' ORDER BY seq LIMIT 1").pluck().get() as number;
    db.prepare("UPDATE review_actions SET user_name = 'mallory' WHERE seq = ?").run(approval);
    const edited = verifyStore(dir).problems;
    expect(edited[0]).toMatchObject({ kind: 'review', at: `review action ${approval}` });
    expect(edited[0]!.message).toMatch(/user \("mallory"\) differs from its log entry \("bob"\)/);
    db.prepare("UPDATE review_actions SET user_name = 'bob' WHERE seq = ?").run(approval);
    const row = db.prepare('SELECT * FROM review_actions WHERE seq = ?').get(approval) as Record<string, unknown>;
    db.prepare('DELETE FROM review_actions WHERE seq = ?').run(approval);
    expect(verifyStore(dir).problems[0]!.message).toMatch(/table lacks the review.approve by "bob"/);
    db.prepare('INSERT INTO review_actions (seq, session_id, action, user_name, at, digest, event_count, event_id, body) VALUES (@seq, @session_id, @action, @user_name, @at, @digest, @event_count, @event_id, @body)').run(row);
    db.prepare("INSERT INTO review_actions (seq, session_id, action, user_name, at) VALUES (1, ?, 'approve', 'mallory', 0)").run(aliceSession);
    expect(verifyStore(dir).problems[0]!.message).toMatch(/no review entry at 1/);
    db.prepare('DELETE FROM review_actions WHERE seq = 1').run();
    expect(verifyStore(dir).problems).toEqual([]);
  });
});

describe('approval by policy', () => {
  it('approves closed sessions whose every command is on the allowlist, as a logged approval, never an open one', () => {
    const text = 'allowlists:\n  - name: anything\n    commands: [".*"]\nrules:\n  - name: routine\n    require: 1\n    autoApprove: anything\n';
    const p = parsePolicy(text, 'auto.yaml');
    if (!p.ok) throw new Error(p.error.reason);
    const auto = new ReviewService({ store, actions: new ActionLog(db, clock), leafHash: (s) => tlog.leafHash(s), policy: p.value, policyText: text, roleOf: (n) => roles.get(n) ?? null, clock });
    const { rows } = auto.queue({ limit: 100 });
    // alice's session was approved by people above: it needs no policy approval.
    const closed = rows.filter((r) => r.session.status === 'closed' && r.session.command_count > 0 && Number(r.session.id) !== aliceSession);
    expect(store.actions(aliceSession).some((a) => a.user.startsWith('policy:'))).toBe(false);
    const open = rows.filter((r) => r.session.status === 'open');
    expect(closed.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
    for (const r of closed) {
      expect(r.review.state).toBe('approved');
      const approval = store.actions(Number(r.session.id)).filter((a) => a.action === 'approve').at(-1)!;
      expect(approval.user).toBe('policy:routine/anything');
      expect(entryOf(approval.seq)).toMatchObject({ type: 'review.approve', actor: 'policy:routine/anything', session: Number(r.session.id) });
      expect(auto.review(Number(r.session.id), who('bob'))!.status.approvedByPolicy).toBe('routine/anything');
    }
    for (const r of open) expect(r.review.state).toBe('needs_review');
  });
});
