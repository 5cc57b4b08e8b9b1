// The tamper suite (issue: tamper-evident log): a real data directory made by the real CLI from real
// logs, then changed the ways someone with write access to the host could change it. `countersign
// verify` must catch each one and name it; a rollback and a rebuild with a new key are caught by a
// checkpoint saved outside the host. Each case works on its own copy of the directory.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleEncoder, decodeBundle } from '../../src/store/record-bundle.js';
import { CLI, REPO, tempDir } from './helpers/countersign.js';
import { systemClock } from '../../src/clock.js';
import { ActionLog } from '../../src/pipeline/action-log.js';
import { DEFAULT_POLICY_YAML, defaultPolicy } from '../../src/review/policy.js';
import { ReviewService } from '../../src/review/service.js';
import { SqliteReviewStore } from '../../src/store/sqlite/review-store.js';
import { SqliteTlogStore } from '../../src/store/sqlite/tlog-store.js';

const execFileP = promisify(execFile);
const SSH = join(REPO, 'src/parsers/body/sshd/testdata/OpenSSH_2k.log');
const SESSIONS = join(REPO, 'test/fixtures/real/linux-sessions/debian12-ssh-sudo-su-snoopy-tlog.rfc3164.log');

interface Report {
  entries: number;
  checkpoints: number;
  reviewActions?: number;
  problems: { kind: string; at: string; message: string }[];
}

const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, ...args], { timeout: 120_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
};

const verify = async (data: string, extra: string[] = []): Promise<{ code: number; report: Report }> => {
  const r = await run(['verify', '--json', '--data', data, ...extra]);
  if (r.code === 2) throw new Error(`verify could not run: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};

const dirs: string[] = [];
let base = '';
let early = ''; // a copy of the directory taken between the two imports
let saved = ''; // a checkpoint saved outside the host after the second import
let vkey = '';

const copy = (): string => {
  const d = tempDir('tamper-case');
  dirs.push(d);
  rmSync(d, { recursive: true });
  cpSync(base, d, { recursive: true });
  return d;
};
const sql = (d: string, f: (db: BetterSqlite3.Database) => void): void => {
  const db = new BetterSqlite3(join(d, 'countersign.db'));
  try {
    f(db);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  base = tempDir('tamper-base');
  dirs.push(base);
  for (const f of [SSH, SESSIONS]) {
    const r = await run(['import', '--data', base, f]);
    expect(r.code, r.stderr).toBe(0);
    if (f === SSH) {
      early = tempDir('tamper-early');
      dirs.push(early);
      rmSync(early, { recursive: true });
      cpSync(base, early, { recursive: true });
    }
  }
  const c = await run(['checkpoint', '--data', base]);
  expect(c.code, c.stderr).toBe(0);
  saved = join(tempDir('tamper-saved'), 'checkpoint.txt');
  dirs.push(join(saved, '..'));
  writeFileSync(saved, c.stdout);
  vkey = readFileSync(join(base, 'tlog', 'log.vkey'), 'utf8').trim();
}, 180_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('countersign verify catches tampering', () => {
  it('passes an untouched directory, and extends the saved checkpoint', async () => {
    const { code, report } = await verify(base, ['--checkpoint', saved, '--key', vkey]);
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
    expect(report.entries).toBe(2133);
    expect(report.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('one byte of a stored record changed', async () => {
    const d = copy();
    let seq = -1;
    sql(d, (db) => {
      const b = db.prepare('SELECT first_seq, data FROM record_bundles ORDER BY first_seq LIMIT 1 OFFSET 2').get() as { first_seq: number; data: Uint8Array };
      const recs = decodeBundle(b.data);
      const i = recs.findIndex((r, k) => k >= Math.min(37, recs.length - 1) && Buffer.from(r.raw).includes('sshd'));
      expect(i).toBeGreaterThanOrEqual(0);
      seq = b.first_seq + i;
      const data = Buffer.from(b.data);
      const raw = Buffer.from(recs[i]!.raw);
      const at = data.indexOf(raw) + raw.indexOf('sshd');
      expect(at).toBeGreaterThan(0);
      data[at] = 'S'.charCodeAt(0); // "sshd" → "Sshd": one byte
      db.prepare('UPDATE record_bundles SET data = ? WHERE first_seq = ?').run(data, b.first_seq);
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'record-bytes', at: `record ${seq}` });
  });

  it('a row deleted', async () => {
    const d = copy();
    let gone = -1;
    sql(d, (db) => {
      gone = db.prepare('SELECT first_seq FROM record_bundles ORDER BY first_seq LIMIT 1 OFFSET 1').pluck().get() as number;
      db.prepare('DELETE FROM record_bundles WHERE first_seq = ?').run(gone);
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'seq-gap', at: `record ${gone}` });
  });

  it('a row inserted', async () => {
    const d = copy();
    sql(d, (db) => {
      const b = db.prepare('SELECT data, count FROM record_bundles WHERE first_seq = 0').get() as { data: Uint8Array; count: number };
      db.prepare('INSERT INTO record_bundles (first_seq, count, data) VALUES (?, ?, ?)').run(2133, b.count, b.data);
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'tree', at: 'record 2133' });
  });

  it('two rows swapped', async () => {
    const d = copy();
    let first = -1;
    sql(d, (db) => {
      // Two bundles of the same size (bundle boundaries follow commit timing), swapped.
      const rows = db.prepare('SELECT first_seq, count FROM record_bundles ORDER BY first_seq').all() as { first_seq: number; count: number }[];
      const pair = rows.flatMap((a, i) => rows.slice(i + 1).filter((b) => b.count === a.count).map((b) => [a, b] as const))[0];
      expect(pair).toBeDefined();
      const [a, b] = pair!;
      first = a.first_seq;
      const da = db.prepare('SELECT data FROM record_bundles WHERE first_seq = ?').pluck().get(a.first_seq) as Uint8Array;
      const dbb = db.prepare('SELECT data FROM record_bundles WHERE first_seq = ?').pluck().get(b.first_seq) as Uint8Array;
      db.prepare('UPDATE record_bundles SET data = ? WHERE first_seq = ?').run(dbb, a.first_seq);
      db.prepare('UPDATE record_bundles SET data = ? WHERE first_seq = ?').run(da, b.first_seq);
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0], JSON.stringify(report.problems.slice(0, 3))).toMatchObject({ kind: 'leaf', at: `record ${first}` });
  });

  it("an event's command text edited (column and stored event alike)", async () => {
    const d = copy();
    let id = 0;
    sql(d, (db) => {
      id = db.prepare("SELECT id FROM events WHERE parser = 'snoopy@1' ORDER BY id LIMIT 1").pluck().get() as number;
      db.prepare("UPDATE events SET command = 'true', data = json_set(data, '$.command', 'true') WHERE id = ?").run(id);
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]!.kind).toBe('event');
    expect(report.problems[0]!.at).toMatch(new RegExp(`^event ${id} `));
  });

  it("a session's user edited", async () => {
    const d = copy();
    let id = 0;
    sql(d, (db) => {
      id = db.prepare("SELECT id FROM sessions WHERE user = 'cs-alice' ORDER BY id LIMIT 1").pluck().get() as number;
      db.prepare("UPDATE sessions SET user = 'cs-mallory' WHERE id = ?").run(id);
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'session', at: `session ${id}` });
  });

  it("a review's author edited", async () => {
    const d = copy();
    let seq = 0;
    // A real approval, as the server takes it: a review.approve entry in the log and its index row.
    sql(d, (db) => {
      const tlog = new SqliteTlogStore(db);
      const reviews = new ReviewService({
        store: new SqliteReviewStore(db),
        actions: new ActionLog(db, systemClock),
        leafHash: (s) => tlog.leafHash(s),
        policy: defaultPolicy(),
        policyText: DEFAULT_POLICY_YAML,
        roleOf: () => 'reviewer',
        clock: systemClock,
      });
      const id = db.prepare("SELECT id FROM sessions WHERE user = 'cs-alice' ORDER BY id LIMIT 1").pluck().get() as number;
      const bob = { name: 'bob', role: 'reviewer' as const, identities: [], mayAct: true };
      seq = reviews.act(id, bob, 'approve', { digest: reviews.review(id, bob)!.digest }).action.seq;
    });
    const before = await verify(d);
    expect(before.report.problems).toEqual([]);
    expect(before.report.reviewActions).toBeGreaterThanOrEqual(1);
    sql(d, (db) => db.prepare("UPDATE review_actions SET user_name = 'carol' WHERE seq = ?").run(seq));
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'review', at: `review action ${seq}` });
    expect(report.problems[0]!.message).toMatch(/user \("carol"\) differs from its log entry \("bob"\)/);
  });

  it("an account's role raised in the database", async () => {
    const d = copy();
    const add = await new Promise<number>((resolve) => {
      const p = execFile(process.execPath, [CLI, 'user', 'add', 'eve', '--role', 'viewer', '--password-stdin', '--data', d], (e) => resolve(e === null ? 0 : 1));
      p.stdin!.end('a long enough password for eve\n');
    });
    expect(add).toBe(0);
    expect((await verify(d)).report.problems).toEqual([]);
    sql(d, (db) => db.prepare("UPDATE users SET role = 'admin' WHERE name = 'eve'").run());
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'account', at: 'user "eve"' });
    expect(report.problems[0]!.message).toMatch(/role \(admin\) is not the one the log gives it \(viewer\)/);
  });

  it('the whole directory rolled back to an earlier copy: caught by the saved checkpoint', async () => {
    const self = await verify(early);
    expect(self.code).toBe(0); // on its own, a rolled-back copy looks intact: why checkpoints must leave the host
    expect(self.report.entries).toBe(2000);
    const { code, report } = await verify(early, ['--checkpoint', saved, '--key', vkey]);
    expect(code).toBe(1);
    expect(report.problems[0]).toMatchObject({ kind: 'outside-checkpoint' });
    expect(report.problems[0]!.message).toMatch(/rolled back or cut/);
  });

  it('a record changed and the tree rebuilt from scratch with a new key: caught by the saved checkpoint', async () => {
    const d = copy();
    sql(d, (db) => {
      const b = (db.prepare('SELECT first_seq, data FROM record_bundles ORDER BY first_seq').all() as { first_seq: number; data: Uint8Array }[]).find((x) => Buffer.from(x.data).includes('Failed password'))!;
      const data = Buffer.from(b.data);
      const at = data.indexOf('Failed password');
      data.write('Failed passwurd', at);
      // The forger keeps the record consistent with itself: a new SHA-256 for the changed bytes.
      const recs = decodeBundle(b.data);
      const i = recs.findIndex((r) => Buffer.from(r.raw).includes('Failed password'));
      const raw = Buffer.from(recs[i]!.raw);
      const changed = Buffer.from(raw.toString('latin1').replace('Failed password', 'Failed passwurd'), 'latin1');
      const oldSha = data.indexOf(Buffer.from(recs[i]!.rawSha256));
      Buffer.from(createHash('sha256').update(changed).digest()).copy(data, oldSha);
      db.prepare('UPDATE record_bundles SET data = ? WHERE first_seq = ?').run(data, b.first_seq);
      // The message is stored as a span of the frame, so it changed too, and verify would find the event
      // derived from the old words unsaid by the record: the forger drops that event and its rule hits.
      const seq = b.first_seq + i;
      db.prepare('DELETE FROM rule_hits WHERE event_id IN (SELECT id FROM events WHERE seq = ?)').run(seq);
      db.prepare('DELETE FROM events WHERE seq = ?').run(seq);
      db.exec('DELETE FROM tlog_tiles; DELETE FROM tlog_state; DELETE FROM tlog_checkpoints;');
    });
    unlinkSync(join(d, 'tlog', 'log.key'));
    unlinkSync(join(d, 'tlog', 'log.vkey'));
    const empty = join(d, '..', 'empty.log');
    writeFileSync(empty, '');
    expect((await run(['import', '--data', d, empty])).code).toBe(0); // the writer rebuilds the tree from the records
    expect((await run(['checkpoint', '--data', d])).code).toBe(0); // signed with a brand-new key
    expect((await verify(d)).code).toBe(0); // consistent with itself
    const { code, report } = await verify(d, ['--checkpoint', saved, '--key', vkey]);
    expect(code).toBe(1);
    const kinds = report.problems.map((p) => p.kind);
    expect(kinds).toContain('checkpoint'); // its checkpoints are not signed by the key the reviewers hold
    expect(kinds).toContain('outside-checkpoint'); // and the saved checkpoint's root is not this log's
  });

  it('an exported bundle verifies on its own, and a changed copy of it does not', async () => {
    const out = join(tempDir('tamper-bundle'), 'evidence.sqlite');
    dirs.push(join(out, '..'));
    const e = await run(['export', '--data', base, '--bundle', out]);
    expect(e.code, e.stderr).toBe(0);
    const ok = await run(['verify', '--json', '--bundle', out, '--key', vkey, '--checkpoint', saved]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as Report).entries).toBe(2133);
    const changed = join(out, '..', 'changed.sqlite');
    cpSync(out, changed);
    const db = new BetterSqlite3(changed);
    db.prepare("UPDATE events SET command = 'true', data = json_set(data, '$.command', 'true') WHERE id = (SELECT min(id) FROM events WHERE command IS NOT NULL)").run();
    db.close();
    const bad = await run(['verify', '--json', '--bundle', changed, '--key', vkey]);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as Report).problems[0]!.kind).toBe('event');
  });

  it("a session's evidence file verifies on a machine without the server, and edits to it do not", async () => {
    const db = new BetterSqlite3(join(base, 'countersign.db'), { readonly: true });
    const id = db.prepare("SELECT id FROM sessions WHERE user = 'cs-alice' AND command_count > 3 ORDER BY id LIMIT 1").pluck().get() as number;
    db.close();
    const out = join(tempDir('tamper-evidence'), 'session.json');
    dirs.push(join(out, '..'));
    const e = await run(['export', '--data', base, '--session', String(id), '--bundle', out]);
    expect(e.code, e.stderr).toBe(0);
    const good = await run(['verify', '--json', '--bundle', out, '--key', vkey]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { records: { raw: string }[]; events: { command: string | null; event: { command?: string } }[] };
    expect(doc.records.length).toBeGreaterThan(3);
    // A command rewritten in the evidence:
    const edited = structuredClone(doc);
    const ev = edited.events.find((x) => x.command !== null)!;
    ev.command = 'true';
    ev.event.command = 'true';
    writeFileSync(`${out}.1`, JSON.stringify(edited));
    const r1 = await run(['verify', '--json', '--bundle', `${out}.1`, '--key', vkey]);
    expect(r1.code).toBe(1);
    expect((JSON.parse(r1.stdout) as Report).problems[0]!.kind).toBe('event');
    // A record's bytes changed:
    const changed = structuredClone(doc);
    const raw = Buffer.from(changed.records[0]!.raw, 'base64');
    raw[raw.length - 1]! ^= 1;
    changed.records[0]!.raw = raw.toString('base64');
    writeFileSync(`${out}.2`, JSON.stringify(changed));
    const r2 = await run(['verify', '--json', '--bundle', `${out}.2`, '--key', vkey]);
    expect(r2.code).toBe(1);
    expect((JSON.parse(r2.stdout) as Report).problems.map((p) => p.kind)).toContain('record-bytes');
  });

  it('retention: pruned records verify as pruned; a payload erased without a prune entry does not', async () => {
    const d = copy();
    const r = await run(['prune', '--data', d, '--before', '2026-11-29T20:43:14Z']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pruned the payload of \d+ records/);
    const after = await verify(d);
    expect(after.report.problems).toEqual([]);
    expect(after.code).toBe(0);
    expect((after.report as Report & { pruned: number }).pruned).toBeGreaterThan(0);
    // Someone "prunes" one more record by hand, to hide it, with no entry saying so.
    sql(d, (db) => {
      for (const b of db.prepare('SELECT first_seq, data FROM record_bundles ORDER BY first_seq').all() as { first_seq: number; data: Uint8Array }[]) {
        const recs = decodeBundle(b.data);
        const i = recs.findIndex((x) => x.unparsedReason !== 'pruned' && x.envelope?.format !== 'countersign');
        if (i < 0) continue;
        const enc = new BundleEncoder();
        const rows = recs.map((x, k) => (k === i ? { ...x, raw: new Uint8Array(0), envelope: null, unparsedReason: 'pruned' as const } : x));
        db.prepare('UPDATE record_bundles SET data = ? WHERE first_seq = ?').run(Buffer.from(enc.encode(rows, 0, rows.length)), b.first_seq);
        return;
      }
      throw new Error('no record left to hide');
    });
    const { code, report } = await verify(d);
    expect(code).toBe(1);
    expect(report.problems[0]!.kind).toBe('record-bytes');
    expect(report.problems[0]!.message).toMatch(/erased without a retention.prune entry/);
  });
});

