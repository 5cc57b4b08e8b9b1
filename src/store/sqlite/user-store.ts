// Accounts in SQLite: users, the identities they act as on devices, and browser sessions. Synchronous
// prepared statements, so the account service can write its rows inside the ActionLog's transaction
// (the tlog entry and the row commit together). No policy here: the service decides, this stores.
import type BetterSqlite3 from 'better-sqlite3';

export interface StoredUser {
  readonly id: number;
  readonly name: string;
  readonly role: string;
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
  /** base32; set while enrolling, in use once totpEnabled. */
  readonly totpSecret: string | null;
  readonly totpEnabled: boolean;
  readonly totpLastStep: number | null;
  readonly disabled: boolean;
  readonly createdAt: number;
}

export interface StoredIdentity {
  readonly username: string;
  readonly deviceType: string;
  readonly userId: number;
  readonly createdAt: number;
}

export interface StoredAuthSession {
  readonly tokenHash: string;
  readonly userId: number;
  readonly csrf: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastSeen: number;
}

interface UserRow {
  id: number;
  name: string;
  role: string;
  password_hash: string;
  must_change_password: number;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  disabled: number;
  created_at: number;
}

const USER_COLUMNS = 'u.id, u.name, u.role, u.password_hash, u.must_change_password, u.totp_secret, u.totp_enabled, u.totp_last_step, u.disabled, u.created_at';

const user = (r: UserRow): StoredUser => ({
  id: Number(r.id),
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  mustChangePassword: r.must_change_password !== 0,
  totpSecret: r.totp_secret,
  totpEnabled: r.totp_enabled !== 0,
  totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
  disabled: r.disabled !== 0,
  createdAt: Number(r.created_at),
});

const identity = (r: { username: string; device_type: string; user_id: number; created_at: number }): StoredIdentity => ({
  username: r.username,
  deviceType: r.device_type,
  userId: Number(r.user_id),
  createdAt: Number(r.created_at),
});

const statements = (db: BetterSqlite3.Database) => {
  const p = (sql: string): BetterSqlite3.Statement => db.prepare(sql);
  return {
    count: p('SELECT count(*) FROM users').pluck(),
    enabledAdmins: p("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck(),
    byName: p(`SELECT ${USER_COLUMNS} FROM users u WHERE u.name = ?`),
    byId: p(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`),
    list: p(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.name`),
    insert: p('INSERT INTO users (name, role, password_hash, must_change_password, disabled, totp_enabled, created_at) VALUES (@name, @role, @passwordHash, @mustChange, 0, 0, @createdAt)'),
    setDisabled: p('UPDATE users SET disabled = ? WHERE id = ?'),
    setRole: p('UPDATE users SET role = ? WHERE id = ?'),
    setPassword: p('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?'),
    setTotpPending: p('UPDATE users SET totp_secret = ?, totp_enabled = 0, totp_last_step = NULL WHERE id = ? AND totp_enabled = 0'),
    enableTotp: p('UPDATE users SET totp_enabled = 1, totp_last_step = ? WHERE id = ? AND totp_enabled = 0 AND totp_secret = ?'),
    resetTotp: p('UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = NULL WHERE id = ?'),
    // Compare-and-set: two sign-ins racing with one code cannot both win.
    claimStep: p('UPDATE users SET totp_last_step = @step WHERE id = @id AND totp_enabled = 1 AND (totp_last_step IS NULL OR totp_last_step < @step)'),
    identitiesOf: p('SELECT username, device_type, user_id, created_at FROM identities WHERE user_id = ? ORDER BY username, device_type'),
    allIdentities: p('SELECT username, device_type, user_id, created_at FROM identities ORDER BY user_id, username, device_type'),
    identity: p('SELECT username, device_type, user_id, created_at FROM identities WHERE username = ? AND device_type = ?'),
    insertIdentity: p('INSERT INTO identities (username, device_type, user_id, created_at) VALUES (?, ?, ?, ?)'),
    deleteIdentity: p('DELETE FROM identities WHERE username = ? AND device_type = ? AND user_id = ?'),
    insertSession: p('INSERT INTO auth_sessions (token_hash, user_id, csrf, created_at, expires_at, last_seen) VALUES (@tokenHash, @userId, @csrf, @createdAt, @expiresAt, @lastSeen)'),
    session: p(
      `SELECT s.token_hash, s.user_id, s.csrf, s.created_at AS s_created_at, s.expires_at, s.last_seen, ${USER_COLUMNS} FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
    ),
    touchSession: p('UPDATE auth_sessions SET last_seen = ? WHERE token_hash = ?'),
    deleteSession: p('DELETE FROM auth_sessions WHERE token_hash = ?'),
    deleteSessionsOf: p('DELETE FROM auth_sessions WHERE user_id = ? AND token_hash <> ?'),
    deleteStale: p('DELETE FROM auth_sessions WHERE expires_at <= ? OR last_seen <= ?'),
  };
};

export class SqliteUserStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.s = statements(db);
  }

  /** Runs `fn` in one IMMEDIATE transaction (or inside the caller's, if one is open). */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).immediate();
  }

  count(): number {
    return this.s.count.get() as number;
  }

  enabledAdmins(): number {
    return this.s.enabledAdmins.get() as number;
  }

  byName(name: string): StoredUser | undefined {
    const r = this.s.byName.get(name) as UserRow | undefined;
    return r === undefined ? undefined : user(r);
  }

  byId(id: number): StoredUser | undefined {
    const r = this.s.byId.get(id) as UserRow | undefined;
    return r === undefined ? undefined : user(r);
  }

  list(): StoredUser[] {
    return (this.s.list.all() as UserRow[]).map(user);
  }

  insert(u: { name: string; role: string; passwordHash: string; mustChangePassword: boolean; createdAt: number }): number {
    return Number(this.s.insert.run({ name: u.name, role: u.role, passwordHash: u.passwordHash, mustChange: u.mustChangePassword ? 1 : 0, createdAt: u.createdAt }).lastInsertRowid);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.s.setDisabled.run(disabled ? 1 : 0, id);
  }

  setRole(id: number, role: string): void {
    this.s.setRole.run(role, id);
  }

  setPassword(id: number, passwordHash: string, mustChangePassword: boolean): void {
    this.s.setPassword.run(passwordHash, mustChangePassword ? 1 : 0, id);
  }

  /** Stores a secret being enrolled; false when TOTP is already enabled. */
  setTotpPending(id: number, secret: string): boolean {
    return this.s.setTotpPending.run(secret, id).changes === 1;
  }

  /** Turns on the pending secret (if it is still `secret`), with the step of the code that confirmed it. */
  enableTotp(id: number, secret: string, step: number): boolean {
    return this.s.enableTotp.run(step, id, secret).changes === 1;
  }

  resetTotp(id: number): void {
    this.s.resetTotp.run(id);
  }

  /** Records `step` as the last TOTP step used, only if it is later than the stored one. */
  claimTotpStep(id: number, step: number): boolean {
    return this.s.claimStep.run({ id, step }).changes === 1;
  }

  identitiesOf(userId: number): StoredIdentity[] {
    return (this.s.identitiesOf.all(userId) as Parameters<typeof identity>[0][]).map(identity);
  }

  allIdentities(): StoredIdentity[] {
    return (this.s.allIdentities.all() as Parameters<typeof identity>[0][]).map(identity);
  }

  identity(username: string, deviceType: string): StoredIdentity | undefined {
    const r = this.s.identity.get(username, deviceType) as Parameters<typeof identity>[0] | undefined;
    return r === undefined ? undefined : identity(r);
  }

  insertIdentity(i: StoredIdentity): void {
    this.s.insertIdentity.run(i.username, i.deviceType, i.userId, i.createdAt);
  }

  deleteIdentity(username: string, deviceType: string, userId: number): boolean {
    return this.s.deleteIdentity.run(username, deviceType, userId).changes === 1;
  }

  insertSession(s: StoredAuthSession): void {
    this.s.insertSession.run({ ...s });
  }

  /** The session with this token hash and its user as they are now (role, disabled) — one read. */
  session(tokenHash: string): { session: StoredAuthSession; user: StoredUser } | undefined {
    const r = this.s.session.get(tokenHash) as (UserRow & { token_hash: string; user_id: number; csrf: string; s_created_at: number; expires_at: number; last_seen: number }) | undefined;
    if (r === undefined) return undefined;
    return {
      session: { tokenHash: r.token_hash, userId: Number(r.user_id), csrf: r.csrf, createdAt: Number(r.s_created_at), expiresAt: Number(r.expires_at), lastSeen: Number(r.last_seen) },
      user: user(r),
    };
  }

  touchSession(tokenHash: string, at: number): void {
    this.s.touchSession.run(at, tokenHash);
  }

  deleteSession(tokenHash: string): void {
    this.s.deleteSession.run(tokenHash);
  }

  /** Ends every session of the user except `keep` (a token hash, or '' to keep none). */
  deleteSessionsOf(userId: number, keep = ''): number {
    return this.s.deleteSessionsOf.run(userId, keep).changes;
  }

  /** Removes sessions past their end or idle since `idleBefore`. */
  deleteStale(now: number, idleBefore: number): number {
    return this.s.deleteStale.run(now, idleBefore).changes;
  }
}
