// The account service: users, their roles, passwords, second factor and the identities they act as on
// devices. Every change is a tlog entry written with its rows in one transaction (ActionLog), so an
// account change cannot happen without the log saying who made it. Never logs or returns a hash.
import type { Clock } from '../clock.js';
import { CS_ERR } from '../errors.js';
import { isRole, type IdentityView, type Role, type UserView } from '../model/account.js';
import type { ActionEntry, ActionLog } from '../pipeline/action-log.js';
import type { SqliteUserStore, StoredUser } from '../store/sqlite/user-store.js';
import { SYSTEM_ACTOR, type AccountEntryType } from './entries.js';
import { dummyHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { newTotpSecret, totpUri, verifyTotp } from './totp.js';

export const USER_NAME = /^[a-z][a-z0-9._-]{0,63}$/;
/** A device type as the sessionizer names it (linux, cisco-ios, junos …), or '*' for any. */
export const DEVICE_TYPE = /^(?:\*|[a-z0-9][a-z0-9._-]{0,63})$/;
/** A username on a device: printable, no blanks (they come from logs: DOMAIN\user, user@realm …). */
export const DEVICE_USERNAME = /^[^\s\p{Cc}]{1,256}$/u;
export const FIRST_ADMIN = 'admin';

/** Who is signed in, as the API sees them on `request.user`. */
export interface AuthUser {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly totpEnabled: boolean;
  /** The role must enrol TOTP before acting (auth.requireTotpFor). */
  readonly totpRequired: boolean;
  readonly mustChangePassword: boolean;
}

/** An account with its identities, for listings (CLI) and the API's `user`. */
export interface Account extends AuthUser {
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly identities: readonly IdentityView[];
}

export interface AccountsDeps {
  readonly store: SqliteUserStore;
  readonly actions: ActionLog;
  readonly clock: Clock;
  /** auth.requireTotpFor */
  readonly requireTotpFor: readonly Role[];
}

/** May this user act (review, administer)? False while a required second factor is missing. */
export const mayAct = (u: AuthUser): boolean => !u.totpRequired || u.totpEnabled;

export const userView = (a: Account): UserView => ({
  name: a.name,
  role: a.role,
  totpEnabled: a.totpEnabled,
  totpRequired: a.totpRequired,
  mustChangePassword: a.mustChangePassword,
  identities: a.identities,
});

const checkName = (name: string): void => {
  if (!USER_NAME.test(name)) throw CS_ERR.badRequest(`${JSON.stringify(name)} is not a user name: a lower-case letter, then up to 63 of a-z 0-9 . _ -`);
};
const checkRole = (role: string): Role => {
  if (!isRole(role)) throw CS_ERR.badRequest(`${JSON.stringify(role)} is not a role: admin, reviewer or viewer`);
  return role;
};
const checkIdentity = (username: string, deviceType: string): void => {
  if (!DEVICE_USERNAME.test(username)) throw CS_ERR.badRequest(`${JSON.stringify(username)} is not a username: 1 to 256 characters, no blanks or control characters`);
  if (!DEVICE_TYPE.test(deviceType)) throw CS_ERR.badRequest(`${JSON.stringify(deviceType)} is not a device type (linux, cisco-ios, junos …, or * for any)`);
};

export class Accounts {
  constructor(private readonly d: AccountsDeps) {}

  private account(u: StoredUser): Account {
    const role: Role = isRole(u.role) ? u.role : 'viewer';
    return {
      id: u.id,
      name: u.name,
      role,
      totpEnabled: u.totpEnabled,
      totpRequired: this.d.requireTotpFor.includes(role),
      mustChangePassword: u.mustChangePassword,
      disabled: u.disabled,
      createdAt: u.createdAt,
      identities: this.d.store.identitiesOf(u.id).map((i) => ({ username: i.username, deviceType: i.deviceType })),
    };
  }

  /** The signed-in view of a stored user; null when it may not sign in (disabled, or an unknown role). */
  authUser(u: StoredUser): AuthUser | null {
    if (u.disabled || !isRole(u.role)) return null;
    return {
      id: u.id,
      name: u.name,
      role: u.role,
      totpEnabled: u.totpEnabled,
      totpRequired: this.d.requireTotpFor.includes(u.role),
      mustChangePassword: u.mustChangePassword,
    };
  }

  private must(name: string): StoredUser {
    const u = this.d.store.byName(name);
    if (u === undefined) throw CS_ERR.noSuchUser(name);
    return u;
  }

  /** Appends the entry and runs `rows` in its transaction; `rows` may throw to refuse (nothing is kept). */
  private log(type: AccountEntryType, actor: string, fields: Omit<ActionEntry, 'type' | 'v' | 'at' | 'actor'>, rows: () => void): number {
    return this.d.actions.append({ type, v: 1, at: this.d.clock.now(), actor, ...fields }, rows);
  }

  get(name: string): Account | null {
    const u = this.d.store.byName(name);
    return u === undefined ? null : this.account(u);
  }

  byId(id: number): Account | null {
    const u = this.d.store.byId(id);
    return u === undefined ? null : this.account(u);
  }

  list(): Account[] {
    return this.d.store.list().map((u) => this.account(u));
  }

  /** The role of an enabled user, or null (no such user, or disabled). */
  roleOf(name: string): Role | null {
    const u = this.d.store.byName(name);
    return u === undefined || u.disabled || !isRole(u.role) ? null : u.role;
  }

  /**
   * Adds a user. Without `password` one is generated, returned once, and must be changed at first
   * sign-in; a given password is the user's until they change it.
   */
  async add(actor: string, input: { name: string; role: string; password?: string }): Promise<{ account: Account; password: string | null }> {
    checkName(input.name);
    const role = checkRole(input.role);
    if (input.password !== undefined) {
      const why = passwordProblem(input.password);
      if (why !== null) throw CS_ERR.passwordWeak(why);
    }
    if (this.d.store.byName(input.name) !== undefined) throw CS_ERR.userExists(input.name);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    this.log('user.add', actor, { user: input.name, role }, () => {
      if (this.d.store.byName(input.name) !== undefined) throw CS_ERR.userExists(input.name);
      this.d.store.insert({ name: input.name, role, passwordHash, mustChangePassword: input.password === undefined, createdAt: this.d.clock.now() });
    });
    return { account: this.get(input.name)!, password: input.password === undefined ? password : null };
  }

  /**
   * On a store without users: makes `admin` with a one-time password that must be changed at first
   * sign-in, and returns that password (to be shown once). Otherwise null.
   */
  async ensureFirstAdmin(): Promise<string | null> {
    if (this.d.store.count() > 0) return null;
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    let made = false;
    try {
      this.log('user.add', SYSTEM_ACTOR, { user: FIRST_ADMIN, role: 'admin' }, () => {
        // Another process (a `user add` at this moment) may have won: then there is nothing to do.
        if (this.d.store.count() > 0) throw new FirstAdminRace();
        this.d.store.insert({ name: FIRST_ADMIN, role: 'admin', passwordHash, mustChangePassword: true, createdAt: this.d.clock.now() });
        made = true;
      });
    } catch (e) {
      if (!(e instanceof FirstAdminRace)) throw e;
    }
    return made ? password : null;
  }

  private wouldLeaveNoAdmin(u: StoredUser): boolean {
    return u.role === 'admin' && !u.disabled && this.d.store.enabledAdmins() <= 1;
  }

  /** Disables a user; their browser sessions end in the same transaction. False when already disabled. */
  disable(actor: string, name: string): boolean {
    if (this.must(name).disabled) return false;
    this.log('user.disable', actor, { user: name }, () => {
      const u = this.must(name);
      if (this.wouldLeaveNoAdmin(u)) throw CS_ERR.lastAdmin();
      this.d.store.setDisabled(u.id, true);
      this.d.store.deleteSessionsOf(u.id);
    });
    return true;
  }

  enable(actor: string, name: string): boolean {
    if (!this.must(name).disabled) return false;
    this.log('user.enable', actor, { user: name }, () => this.d.store.setDisabled(this.must(name).id, false));
    return true;
  }

  setRole(actor: string, name: string, role: string): boolean {
    const r = checkRole(role);
    const before = this.must(name);
    if (before.role === r) return false;
    this.log('user.role', actor, { user: name, role: r, from: before.role }, () => {
      const u = this.must(name);
      if (r !== 'admin' && this.wouldLeaveNoAdmin(u)) throw CS_ERR.lastAdmin();
      this.d.store.setRole(u.id, r);
    });
    return true;
  }

  /**
   * Sets a new password for someone (an admin's reset): generated when none is given (returned once,
   * must be changed at next sign-in). Their browser sessions end.
   */
  async resetPassword(actor: string, name: string, password?: string): Promise<{ password: string | null }> {
    this.must(name);
    if (password !== undefined) {
      const why = passwordProblem(password);
      if (why !== null) throw CS_ERR.passwordWeak(why);
    }
    const next = password ?? generatePassword();
    const hash = await hashPassword(next);
    this.log('user.password', actor, { user: name, change: 'reset' }, () => {
      const u = this.must(name);
      this.d.store.setPassword(u.id, hash, password === undefined);
      this.d.store.deleteSessionsOf(u.id);
    });
    return { password: password === undefined ? next : null };
  }

  /** A user changes their own password; their other browser sessions end (`keepSession`: a token hash). */
  async changePassword(userId: number, current: string, next: string, keepSession: string): Promise<void> {
    const u = this.d.store.byId(userId);
    if (u === undefined) throw CS_ERR.unauthenticated();
    if (!(await verifyPassword(current, u.passwordHash))) throw CS_ERR.passwordWrong();
    const why = passwordProblem(next);
    if (why !== null) throw CS_ERR.passwordWeak(why);
    if (next === current) throw CS_ERR.passwordWeak('the new password must differ from the current one');
    const hash = await hashPassword(next);
    this.log('user.password', u.name, { user: u.name, change: 'changed' }, () => {
      this.d.store.setPassword(u.id, hash, false);
      this.d.store.deleteSessionsOf(u.id, keepSession);
    });
  }

  /**
   * The user this name and password sign in, or null — for an unknown, disabled or wrong one alike, in
   * the same argon2 time (an unknown name is checked against a dummy hash).
   */
  async authenticate(name: string, password: string): Promise<StoredUser | null> {
    const u = USER_NAME.test(name) ? this.d.store.byName(name) : undefined;
    const ok = await verifyPassword(password, u?.passwordHash ?? (await dummyHash()));
    return ok && u !== undefined && this.authUser(u) !== null ? u : null;
  }

  /** Spends a password check's time on nothing (a locked account refuses in the same time). */
  async wasteCheck(password: string): Promise<void> {
    await verifyPassword(password, await dummyHash());
  }

  /** Links `username` on `deviceType` ('*': any) to a user. False when it already is. */
  link(actor: string, name: string, username: string, deviceType = '*'): boolean {
    checkIdentity(username, deviceType);
    const u = this.must(name);
    const owner = this.d.store.identity(username, deviceType);
    if (owner !== undefined && owner.userId === u.id) return false;
    this.log('user.link', actor, { user: name, username, deviceType }, () => {
      const o = this.d.store.identity(username, deviceType);
      if (o !== undefined) throw CS_ERR.identityTaken(username, deviceType, this.d.store.byId(o.userId)?.name ?? `user #${o.userId}`);
      this.d.store.insertIdentity({ username, deviceType, userId: this.must(name).id, createdAt: this.d.clock.now() });
    });
    return true;
  }

  unlink(actor: string, name: string, username: string, deviceType = '*'): void {
    checkIdentity(username, deviceType);
    const notLinked = () => CS_ERR.notFound(`${username} on ${deviceType === '*' ? 'any device type' : deviceType} is not linked to ${name}`);
    const u = this.must(name);
    if (this.d.store.identity(username, deviceType)?.userId !== u.id) throw notLinked();
    this.log('user.unlink', actor, { user: name, username, deviceType }, () => {
      if (!this.d.store.deleteIdentity(username, deviceType, this.must(name).id)) throw notLinked();
    });
  }

  identitiesOf(name: string): IdentityView[] {
    return [...this.account(this.must(name)).identities];
  }

  /** The user a device username belongs to: linked for exactly this device type first, then for '*'. */
  userOwningIdentity(username: string, deviceType: string): Account | null {
    const i = this.d.store.identity(username, deviceType) ?? this.d.store.identity(username, '*');
    if (i === undefined) return null;
    const u = this.d.store.byId(i.userId);
    return u === undefined ? null : this.account(u);
  }

  /** Starts (or restarts) TOTP enrolment: a new secret kept aside until a code confirms it. */
  startTotp(userId: number): { secret: string; uri: string } {
    const u = this.d.store.byId(userId);
    if (u === undefined) throw CS_ERR.unauthenticated();
    if (u.totpEnabled) throw CS_ERR.totpEnrolled();
    const secret = newTotpSecret();
    if (!this.d.store.setTotpPending(userId, secret)) throw CS_ERR.totpEnrolled();
    return { secret, uri: totpUri(u.name, secret) };
  }

  /** Finishes enrolment with a code from the app; the code's step counts as used. */
  enableTotp(userId: number, code: string): Account {
    const u = this.d.store.byId(userId);
    if (u === undefined) throw CS_ERR.unauthenticated();
    if (u.totpEnabled) throw CS_ERR.totpEnrolled();
    if (u.totpSecret === null) throw CS_ERR.totpNotStarted();
    const step = verifyTotp(u.totpSecret, code, this.d.clock.now(), null);
    if (step === null) throw CS_ERR.totpInvalid();
    const secret = u.totpSecret;
    this.log('user.totp', u.name, { user: u.name, change: 'enrolled' }, () => {
      if (!this.d.store.enableTotp(userId, secret, step)) throw CS_ERR.totpNotStarted();
    });
    return this.byId(userId)!;
  }

  /** An admin removes someone's second factor (a lost phone): they enrol again at next sign-in. */
  resetTotp(actor: string, name: string): boolean {
    const u = this.must(name);
    if (!u.totpEnabled && u.totpSecret === null) return false;
    this.log('user.totp', actor, { user: name, change: 'reset' }, () => this.d.store.resetTotp(this.must(name).id));
    return true;
  }

  /** Checks a sign-in code for an enrolled user and uses up its step: the same code never works twice. */
  checkTotp(u: StoredUser, code: string | undefined): boolean {
    if (!u.totpEnabled || u.totpSecret === null || code === undefined) return false;
    const step = verifyTotp(u.totpSecret, code, this.d.clock.now(), u.totpLastStep);
    return step !== null && this.d.store.claimTotpStep(u.id, step);
  }

  /** A successful sign-in, as a tlog entry. */
  recordLogin(name: string, from: string): void {
    this.log('auth.login', name, { user: name, from }, () => undefined);
  }
}

class FirstAdminRace extends Error {}
