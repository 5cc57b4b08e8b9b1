import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { FakeClock } from '../clock.js';
import { CsError } from '../errors.js';
import { ActionLog } from '../pipeline/action-log.js';
import { prepareStore } from '../store/index.js';
import { openSqlite } from '../store/sqlite/open.js';
import { SqliteUserStore } from '../store/sqlite/user-store.js';
import { SqliteTlogStore } from '../store/sqlite/tlog-store.js';
import { base32Decode } from './base32.js';
import { verifyPassword } from './passwords.js';
import { BrowserSessions } from './sessions.js';
import { totpAt } from './totp.js';
import { Accounts } from './users.js';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 10);

/** The action entries, oldest first: each is an internal record whose bytes are the entry's canonical JSON. */
const entries = (db: BetterSqlite3.Database): Record<string, unknown>[] => {
  const t = new SqliteTlogStore(db);
  const out: Record<string, unknown>[] = [];
  for (let seq = 0; seq < t.tree().size; seq++) out.push(JSON.parse(Buffer.from(t.recordRaw(seq)!).toString('utf8')) as Record<string, unknown>);
  return out;
};

const code = (e: unknown): string | undefined => (e instanceof CsError ? e.code : undefined);
const throwsCode = async (fn: () => unknown, c: string): Promise<void> => {
  let got: unknown;
  try {
    await fn();
  } catch (e) {
    got = e;
  }
  expect(code(got), String(got)).toBe(c);
};

describe('Accounts', () => {
  let db: BetterSqlite3.Database;
  let clock: FakeClock;
  let store: SqliteUserStore;
  let accounts: Accounts;
  let actionCount: () => number;

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-users-'));
    await prepareStore(dir);
    db = openSqlite(dir);
    clock = new FakeClock(T0);
    store = new SqliteUserStore(db);
    accounts = new Accounts({ store, actions: new ActionLog(db, clock), clock, requireTotpFor: ['reviewer', 'admin'] });
    actionCount = () => (db.prepare('SELECT size FROM tlog_state').pluck().get() as number | undefined) ?? 0;
  });
  afterEach(() => db.close());

  it('makes the first admin once, with a one-time password that must be changed', async () => {
    const pw = await accounts.ensureFirstAdmin();
    expect(pw).toMatch(/^[A-Za-z2-9]{20}$/);
    const admin = accounts.get('admin')!;
    expect(admin).toMatchObject({ role: 'admin', mustChangePassword: true, disabled: false, totpRequired: true, totpEnabled: false });
    expect(await verifyPassword(pw!, store.byName('admin')!.passwordHash)).toBe(true);
    expect(await accounts.ensureFirstAdmin()).toBeNull();
    expect(accounts.list()).toHaveLength(1);
    expect(entries(db)).toEqual([{ type: 'user.add', v: 1, at: T0, actor: 'countersign', user: 'admin', role: 'admin' }]);
  });

  it('adds users with validated names and roles; every change is one tlog entry, never with a hash', async () => {
    const r = await accounts.add('cli:root', { name: 'alice', role: 'reviewer' });
    expect(r.password).toMatch(/^\S{20}$/);
    expect(r.account).toMatchObject({ name: 'alice', role: 'reviewer', mustChangePassword: true });
    const given = await accounts.add('cli:root', { name: 'bob.smith-2', role: 'viewer', password: 'a long enough password' });
    expect(given.password).toBeNull();
    expect(given.account.mustChangePassword).toBe(false);

    await throwsCode(() => accounts.add('cli:root', { name: 'alice', role: 'viewer' }), 'CS_ERR_USER_EXISTS');
    for (const name of ['Alice', '1alice', '', 'a'.repeat(65), 'al ice', 'al/ice']) await throwsCode(() => accounts.add('x', { name, role: 'viewer' }), 'CS_ERR_BAD_REQUEST');
    await throwsCode(() => accounts.add('x', { name: 'carol', role: 'root' }), 'CS_ERR_BAD_REQUEST');
    await throwsCode(() => accounts.add('x', { name: 'carol', role: 'viewer', password: 'short' }), 'CS_ERR_PASSWORD_WEAK');
    expect(accounts.list().map((a) => a.name)).toEqual(['alice', 'bob.smith-2']);

    const before = actionCount();
    expect(accounts.disable('cli:root', 'alice')).toBe(true);
    expect(accounts.disable('cli:root', 'alice')).toBe(false); // no change, no entry
    expect(accounts.enable('cli:root', 'alice')).toBe(true);
    expect(accounts.setRole('cli:root', 'alice', 'admin')).toBe(true);
    await accounts.resetPassword('cli:root', 'bob.smith-2');
    expect(accounts.link('cli:root', 'alice', 'alice')).toBe(true);
    accounts.unlink('cli:root', 'alice', 'alice');
    expect(actionCount()).toBe(before + 6);
    const log = entries(db).slice(-6);
    expect(log.map((e) => e.type)).toEqual(['user.disable', 'user.enable', 'user.role', 'user.password', 'user.link', 'user.unlink']);
    expect(log[2]).toMatchObject({ actor: 'cli:root', user: 'alice', role: 'admin', from: 'reviewer' });
    expect(log[3]).toEqual({ type: 'user.password', v: 1, at: T0, actor: 'cli:root', user: 'bob.smith-2', change: 'reset' });
    expect(JSON.stringify(entries(db))).not.toMatch(/argon2/);
  });

  it('refuses to disable or demote the last enabled admin', async () => {
    await accounts.ensureFirstAdmin();
    await throwsCode(() => accounts.disable('x', 'admin'), 'CS_ERR_LAST_ADMIN');
    await throwsCode(() => accounts.setRole('x', 'admin', 'viewer'), 'CS_ERR_LAST_ADMIN');
    await accounts.add('x', { name: 'second', role: 'admin' });
    expect(accounts.setRole('x', 'admin', 'viewer')).toBe(true);
    await throwsCode(() => accounts.disable('x', 'second'), 'CS_ERR_LAST_ADMIN');
    expect(accounts.get('second')!.disabled).toBe(false);
  });

  it('a refused change leaves neither a row nor an entry', async () => {
    await accounts.add('x', { name: 'alice', role: 'viewer' });
    await accounts.add('x', { name: 'bob', role: 'viewer' });
    accounts.link('x', 'alice', 'root', 'linux');
    const before = actionCount();
    await throwsCode(() => accounts.link('x', 'bob', 'root', 'linux'), 'CS_ERR_IDENTITY_TAKEN');
    await throwsCode(() => accounts.unlink('x', 'bob', 'root', 'linux'), 'CS_ERR_NOT_FOUND');
    await throwsCode(() => accounts.disable('x', 'nobody'), 'CS_ERR_NO_SUCH_USER');
    expect(actionCount()).toBe(before);
    expect(accounts.identitiesOf('bob')).toEqual([]);
  });

  it('links identities per device type or for any, and finds the owner exact type first', async () => {
    await accounts.add('x', { name: 'alice', role: 'viewer' });
    await accounts.add('x', { name: 'bob', role: 'viewer' });
    expect(accounts.link('x', 'alice', 'admin')).toBe(true); // '*'
    expect(accounts.link('x', 'alice', 'admin')).toBe(false);
    expect(accounts.link('x', 'bob', 'admin', 'cisco-ios')).toBe(true); // same username, another device type: allowed
    expect(accounts.link('x', 'bob', 'CORP\\bob', 'linux')).toBe(true);
    await throwsCode(() => accounts.link('x', 'bob', 'has space'), 'CS_ERR_BAD_REQUEST');
    await throwsCode(() => accounts.link('x', 'bob', 'bob', 'Cisco IOS'), 'CS_ERR_BAD_REQUEST');

    expect(accounts.identitiesOf('alice')).toEqual([{ username: 'admin', deviceType: '*' }]);
    expect(accounts.identitiesOf('bob')).toEqual([
      { username: 'CORP\\bob', deviceType: 'linux' },
      { username: 'admin', deviceType: 'cisco-ios' },
    ]);
    expect(accounts.userOwningIdentity('admin', 'cisco-ios')?.name).toBe('bob');
    expect(accounts.userOwningIdentity('admin', 'linux')?.name).toBe('alice');
    expect(accounts.userOwningIdentity('admin', 'junos')?.name).toBe('alice');
    expect(accounts.userOwningIdentity('CORP\\bob', 'junos')).toBeNull();
    expect(accounts.userOwningIdentity('nobody', 'linux')).toBeNull();
  });

  it('authenticates the right password only, and never a disabled user', async () => {
    await accounts.add('x', { name: 'alice', role: 'viewer', password: 'alice password 1' });
    await accounts.add('x', { name: 'admin2', role: 'admin' });
    expect((await accounts.authenticate('alice', 'alice password 1'))?.name).toBe('alice');
    expect(await accounts.authenticate('alice', 'alice password 2')).toBeNull();
    expect(await accounts.authenticate('nobody', 'alice password 1')).toBeNull();
    expect(await accounts.authenticate('NOT A NAME', 'x')).toBeNull();
    accounts.disable('x', 'alice');
    expect(await accounts.authenticate('alice', 'alice password 1')).toBeNull();
    expect(accounts.roleOf('alice')).toBeNull();
    expect(accounts.roleOf('admin2')).toBe('admin');
  });

  it('ends browser sessions when a user is disabled or their password reset; a change keeps the current one', async () => {
    const sessions = new BrowserSessions(store, clock, { idleMs: 3_600_000, maxMs: 12 * 3_600_000 });
    const { account } = await accounts.add('x', { name: 'alice', role: 'viewer', password: 'alice password 1' });
    const a = sessions.start(account.id);
    const b = sessions.start(account.id);
    expect(sessions.resolve(a.token)?.user.name).toBe('alice');
    await accounts.changePassword(account.id, 'alice password 1', 'alice password 2', a.tokenHash);
    expect(sessions.resolve(a.token)).not.toBeNull();
    expect(sessions.resolve(b.token)).toBeNull();
    await throwsCode(() => accounts.changePassword(account.id, 'wrong current pw', 'alice password 3', a.tokenHash), 'CS_ERR_PASSWORD_WRONG');
    await throwsCode(() => accounts.changePassword(account.id, 'alice password 2', 'short', a.tokenHash), 'CS_ERR_PASSWORD_WEAK');
    await throwsCode(() => accounts.changePassword(account.id, 'alice password 2', 'alice password 2', a.tokenHash), 'CS_ERR_PASSWORD_WEAK');
    expect(entries(db).at(-1)).toEqual({ type: 'user.password', v: 1, at: T0, actor: 'alice', user: 'alice', change: 'changed' });

    accounts.disable('x', 'alice');
    expect(sessions.resolve(a.token)).toBeNull();
    accounts.enable('x', 'alice');
    expect(sessions.resolve(a.token)).toBeNull(); // ended, not suspended

    const c = sessions.start(account.id);
    await accounts.resetPassword('x', 'alice', 'alice password 9');
    expect(sessions.resolve(c.token)).toBeNull();
    expect(accounts.get('alice')!.mustChangePassword).toBe(false);
  });

  it('expires sessions after the idle limit and the lifetime', async () => {
    const sessions = new BrowserSessions(store, clock, { idleMs: 10 * 60_000, maxMs: 60 * 60_000 });
    const { account } = await accounts.add('x', { name: 'alice', role: 'viewer' });
    const s = sessions.start(account.id);
    clock.advance(9 * 60_000);
    expect(sessions.resolve(s.token)).not.toBeNull(); // used: idle time starts again
    clock.advance(9 * 60_000);
    expect(sessions.resolve(s.token)).not.toBeNull();
    clock.advance(10 * 60_000);
    expect(sessions.resolve(s.token)).toBeNull();

    const t = sessions.start(account.id);
    for (let i = 0; i < 6; i++) {
      clock.advance(9 * 60_000);
      expect(sessions.resolve(t.token)).not.toBeNull();
    }
    clock.advance(7 * 60_000); // 61 minutes after sign-in, used all along
    expect(sessions.resolve(t.token)).toBeNull();
    expect(sessions.resolve(undefined)).toBeNull();
    expect(sessions.resolve('not a token')).toBeNull();
  });

  it('stores only the SHA-256 of a session token', async () => {
    const sessions = new BrowserSessions(store, clock, { idleMs: 60_000, maxMs: 60_000 });
    const { account } = await accounts.add('x', { name: 'alice', role: 'viewer' });
    const s = sessions.start(account.id);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = db.prepare('SELECT token_hash FROM auth_sessions').pluck().all() as string[];
    expect(rows).toEqual([s.tokenHash]);
    expect(rows[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]).not.toContain(s.token);
  });

  it('enrols TOTP with a code from the app, refuses replays at sign-in, and an admin can reset it', async () => {
    const { account } = await accounts.add('x', { name: 'alice', role: 'reviewer' });
    expect(accounts.get('alice')).toMatchObject({ totpRequired: true, totpEnabled: false });
    await throwsCode(() => accounts.enableTotp(account.id, '123456'), 'CS_ERR_TOTP_NOT_STARTED');
    const { secret, uri } = accounts.startTotp(account.id);
    expect(uri).toBe(`otpauth://totp/Countersign:alice?secret=${secret}&issuer=Countersign`);
    const key = base32Decode(secret)!;
    const wrong = String((Number(totpAt(key, clock.now())) + 1) % 1_000_000).padStart(6, '0');
    await throwsCode(() => accounts.enableTotp(account.id, wrong), 'CS_ERR_TOTP_INVALID');
    const enrolling = totpAt(key, clock.now());
    expect(accounts.enableTotp(account.id, enrolling).totpEnabled).toBe(true);
    expect(entries(db).at(-1)).toMatchObject({ type: 'user.totp', actor: 'alice', user: 'alice', change: 'enrolled' });
    await throwsCode(() => accounts.startTotp(account.id), 'CS_ERR_TOTP_ENROLLED');

    // The enrolling code's step is used: that code cannot sign in.
    const u = () => store.byName('alice')!;
    expect(accounts.checkTotp(u(), enrolling)).toBe(false);
    clock.advance(30_000);
    const next = totpAt(key, clock.now());
    expect(accounts.checkTotp(u(), next)).toBe(true);
    expect(accounts.checkTotp(u(), next)).toBe(false); // replay
    expect(accounts.checkTotp(u(), undefined)).toBe(false);

    expect(accounts.resetTotp('cli:root', 'alice')).toBe(true);
    expect(accounts.get('alice')).toMatchObject({ totpEnabled: false });
    expect(accounts.resetTotp('cli:root', 'alice')).toBe(false);
    expect(entries(db).at(-1)).toMatchObject({ type: 'user.totp', actor: 'cli:root', user: 'alice', change: 'reset' });
    expect(accounts.startTotp(account.id).secret).not.toBe(secret);
  });
});
