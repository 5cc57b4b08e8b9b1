// The tlog entries accounts write (STYLE 7: dotted noun.verb, stable). Each is an ActionEntry
// ({ type, v: 1, at, actor, … }) whose `user` names the account changed; `actor` is the Countersign user
// who did it, `cli:<unix user>` from the CLI, or 'countersign' for the system. Never a password or hash.
export const ACCOUNT_ENTRY_TYPES = [
  'user.add', // + role
  'user.disable',
  'user.enable',
  'user.role', // + role, from
  'user.password', // + change: 'reset' | 'changed'
  'user.link', // + username, deviceType
  'user.unlink', // + username, deviceType
  'user.totp', // + change: 'enrolled' | 'reset'
  'auth.login', // a successful sign-in; + from (client address)
] as const;
export type AccountEntryType = (typeof ACCOUNT_ENTRY_TYPES)[number];

/** The actor of changes made by the system itself (the first admin). */
export const SYSTEM_ACTOR = 'countersign';

/** The actor of changes made with `countersign user …` by this Unix user. */
export const cliActor = (unixUser: string): string => `cli:${unixUser}`;
