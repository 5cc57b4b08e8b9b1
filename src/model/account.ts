// Accounts as the API and the web UI see them: roles, the access a route declares, and the `user`
// object of /api/v1/auth/*. Isomorphic (shared with web/): no node:*, no DOM, nothing else of ours.

/** Each role includes the ones before it. */
export const ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route asks of its caller. 'public': anyone; 'signed-in': any valid session, whatever the role
 * (sign-out, /auth/me, password change, TOTP enrolment); otherwise at least that role.
 */
export const ACCESS_LEVELS = ['public', 'signed-in', ...ROLES] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** True when a user of `role` may use a route declaring `access` (role order viewer < reviewer < admin). */
export const roleSatisfies = (role: Role, access: Access): boolean =>
  access === 'public' || access === 'signed-in' || ROLES.indexOf(role) >= ROLES.indexOf(access);

/** A username a Countersign user acts as on hosts and devices; deviceType '*' is any device type. */
export interface IdentityView {
  readonly username: string;
  readonly deviceType: string;
}

/** The `user` of /api/v1/auth/login, /me and /totp/enable. */
export interface UserView {
  readonly name: string;
  readonly role: Role;
  readonly totpEnabled: boolean;
  /** The role must enrol TOTP before acting (auth.requireTotpFor). */
  readonly totpRequired: boolean;
  readonly mustChangePassword: boolean;
  readonly identities: readonly IdentityView[];
}
