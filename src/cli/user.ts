// `countersign user …`: accounts from the command line, beside a running server (WAL). Every change is
// a tlog entry whose actor is `cli:<unix user>`. Passwords come from stdin or are generated and shown
// once; they are never taken as arguments (those end up in shell history and `ps`).
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Argument, type Command, Option } from 'commander';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { CS_ERR } from '../errors.js';
import { authDepsOver } from '../auth/deps.js';
import { cliActor } from '../auth/entries.js';
import { accountListSchema, type AccountJson } from '../auth/schema.js';
import type { Account, Accounts } from '../auth/users.js';
import { ROLES } from '../model/account.js';
import { prepareStore, storePath } from '../store/index.js';
import { openSqlite } from '../store/sqlite/open.js';

interface StoreOptions {
  readonly config?: string;
  readonly data?: string;
}

const actor = (): string => {
  try {
    return cliActor(userInfo().username);
  } catch {
    return cliActor(`uid-${process.getuid?.() ?? 'unknown'}`);
  }
};

/** Opens the accounts of a data directory; only `add` may make a new store. */
const withAccounts = async <T>(o: StoreOptions, create: boolean, fn: (a: Accounts) => Promise<T> | T): Promise<T> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  if (!create && !existsSync(storePath(config.dataDir))) throw CS_ERR.storeNotFound(storePath(config.dataDir));
  await prepareStore(config.dataDir);
  const db = openSqlite(config.dataDir);
  try {
    return await fn(authDepsOver(db, { config: config.auth, clock: systemClock, secureCookies: false }).accounts);
  } finally {
    db.close();
  }
};

const readPasswordFromStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const pw = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (pw === '') throw CS_ERR.badArgument('--password-stdin: standard input held no password');
  return pw;
};

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const oneTime = (name: string, password: string): void =>
  say(`one-time password for ${name}: ${password}\n(shown once; they must choose their own at first sign-in)`);

export const accountJson = (a: Account): AccountJson => ({
  name: a.name,
  role: a.role,
  disabled: a.disabled,
  totpEnabled: a.totpEnabled,
  totpRequired: a.totpRequired,
  mustChangePassword: a.mustChangePassword,
  createdAt: new Date(a.createdAt).toISOString(),
  identities: a.identities.map((i) => ({ username: i.username, deviceType: i.deviceType })),
});

const table = (accounts: readonly Account[]): string => {
  const rows = [
    ['NAME', 'ROLE', 'STATUS', 'TOTP', 'IDENTITIES'],
    ...accounts.map((a) => [
      a.name,
      a.role,
      a.disabled ? 'disabled' : a.mustChangePassword ? 'must change password' : 'enabled',
      a.totpEnabled ? 'enrolled' : a.totpRequired ? 'required, not enrolled' : 'no',
      a.identities.map((i) => (i.deviceType === '*' ? i.username : `${i.username} (${i.deviceType})`)).join(', ') || '-',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
};

const storeOptions = (c: Command): Command =>
  c.option('-c, --config <file>', 'YAML configuration file (for dataDir and auth.requireTotpFor)').option('-d, --data <dir>', 'data directory (default ./data)');

const roleOption = () => new Option('--role <role>', 'admin (users and everything), reviewer (review sessions), viewer (read only)').choices(ROLES);
const deviceTypeOption = () => new Option('--device-type <type>', 'the device type the username is on (linux, cisco-ios, junos …); * for any').default('*');

/** Fills in the `user` command (made by main.ts with program.command('user'), so it inherits its settings). */
export const userCommand = (user: Command): Command => {
  user
    .description('Manage Countersign accounts: add, list, disable, roles, passwords, second factor, and the usernames each person uses on hosts and devices. Works while the server runs; every change is logged in the tlog as done by cli:<your unix user>.')
    .addHelpText(
      'after',
      `
Roles: viewer (read sessions, recordings, log proofs) < reviewer (also comment, approve, flag, resolve) < admin (also users).
Passwords are read from standard input (--password-stdin) or generated and printed once; a generated
one must be changed at first sign-in. The first \`countersign serve\` on an empty store makes "admin".

Examples:
  countersign user add alice --role reviewer            # prints a one-time password
  printf '%s\\n' "$PW" | countersign user add ci --role viewer --password-stdin
  countersign user link alice alice                      # alice is "alice" on every device
  countersign user link alice ALICE-ADM --device-type cisco-ios
  countersign user list --json`,
    );

  storeOptions(user.command('add').description('Add a user (a generated one-time password is printed unless --password-stdin).'))
    .argument('<name>', 'user name: a lower-case letter, then up to 63 of a-z 0-9 . _ -')
    .addOption(roleOption().makeOptionMandatory())
    .option('--password-stdin', 'read the password from standard input (at least 12 characters); it need not be changed at first sign-in')
    .action(async (name: string, o: StoreOptions & { role: string; passwordStdin?: boolean }) => {
      const password = o.passwordStdin === true ? await readPasswordFromStdin() : undefined;
      await withAccounts(o, true, async (a) => {
        const r = await a.add(actor(), { name, role: o.role, ...(password !== undefined ? { password } : {}) });
        say(`added ${name} (${r.account.role})${r.account.totpRequired ? '; they must enrol TOTP at first sign-in before they can act' : ''}`);
        if (r.password !== null) oneTime(name, r.password);
      });
    });

  storeOptions(user.command('list').description('List users: role, status, second factor and linked identities.'))
    .option('--json', 'print a JSON array: [{ name, role, disabled, totpEnabled, totpRequired, mustChangePassword, createdAt, identities: [{ username, deviceType }] }]')
    .action(async (o: StoreOptions & { json?: boolean }) =>
      withAccounts(o, false, (a) => {
        const all = a.list();
        if (o.json === true) say(JSON.stringify(accountListSchema.parse(all.map(accountJson)), null, 2));
        else say(all.length === 0 ? 'no users (the first `countersign serve` makes "admin")' : table(all));
      }),
    );

  storeOptions(user.command('disable').description('Disable a user: they cannot sign in, and their browser sessions end at once.'))
    .argument('<name>')
    .action(async (name: string, o: StoreOptions) => withAccounts(o, false, (a) => say(a.disable(actor(), name) ? `disabled ${name}` : `${name} was already disabled`)));

  storeOptions(user.command('enable').description('Enable a disabled user again.'))
    .argument('<name>')
    .action(async (name: string, o: StoreOptions) => withAccounts(o, false, (a) => say(a.enable(actor(), name) ? `enabled ${name}` : `${name} was already enabled`)));

  storeOptions(user.command('role').description("Change a user's role (takes effect on their next request)."))
    .argument('<name>')
    .addArgument(new Argument('<role>', ROLES.join(' | ')).choices(ROLES))
    .action(async (name: string, role: string, o: StoreOptions) => withAccounts(o, false, (a) => say(a.setRole(actor(), name, role) ? `${name} is now ${role}` : `${name} was already ${role}`)));

  storeOptions(user.command('reset-password').description("Set a new password for a user (generated and printed unless --password-stdin); their browser sessions end."))
    .argument('<name>')
    .option('--password-stdin', 'read the new password from standard input (at least 12 characters)')
    .action(async (name: string, o: StoreOptions & { passwordStdin?: boolean }) => {
      const password = o.passwordStdin === true ? await readPasswordFromStdin() : undefined;
      await withAccounts(o, false, async (a) => {
        const r = await a.resetPassword(actor(), name, password);
        say(`password of ${name} reset`);
        if (r.password !== null) oneTime(name, r.password);
      });
    });

  storeOptions(user.command('reset-totp').description("Remove a user's second factor (a lost phone); they enrol again after their next sign-in."))
    .argument('<name>')
    .action(async (name: string, o: StoreOptions) => withAccounts(o, false, (a) => say(a.resetTotp(actor(), name) ? `TOTP of ${name} reset` : `${name} had no TOTP`)));

  storeOptions(user.command('link').description('Link a username on hosts/devices to a user: sessions of that username count as theirs (nobody reviews their own sessions). A username + device type belongs to one user.'))
    .argument('<name>', 'the Countersign user')
    .argument('<username>', 'the login name on the hosts or devices')
    .addOption(deviceTypeOption())
    .action(async (name: string, username: string, o: StoreOptions & { deviceType: string }) =>
      withAccounts(o, false, (a) => {
        const where = o.deviceType === '*' ? 'any device type' : o.deviceType;
        say(a.link(actor(), name, username, o.deviceType) ? `linked ${username} on ${where} to ${name}` : `${username} on ${where} was already linked to ${name}`);
      }),
    );

  storeOptions(user.command('unlink').description('Remove a link made with `user link`.'))
    .argument('<name>', 'the Countersign user')
    .argument('<username>', 'the login name on the hosts or devices')
    .addOption(deviceTypeOption())
    .action(async (name: string, username: string, o: StoreOptions & { deviceType: string }) =>
      withAccounts(o, false, (a) => {
        a.unlink(actor(), name, username, o.deviceType);
        say(`unlinked ${username} on ${o.deviceType === '*' ? 'any device type' : o.deviceType} from ${name}`);
      }),
    );

  return user;
};
