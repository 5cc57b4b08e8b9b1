// Accounts with the real programs: `countersign serve` makes the first admin and prints its one-time
// password once; `countersign user …` changes accounts beside the running server, and the server obeys
// at once (a disabled user's cookie stops working); every change is a tlog entry that verify accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, tempDir, type RunningServer } from './helpers/countersign.js';

interface UserJson {
  name: string;
  role: string;
  disabled: boolean;
  totpEnabled: boolean;
  totpRequired: boolean;
  mustChangePassword: boolean;
  identities: { username: string; deviceType: string }[];
}

describe('accounts: serve and the user command', () => {
  let server: RunningServer;
  const dataDir = tempDir('accounts');
  const cli = (args: string[], input?: string) => runCli(['user', ...args, '--data', dataDir], input);
  const list = (): UserJson[] => JSON.parse(cli(['list', '--json']).stdout) as UserJson[];
  const login = (name: string, password: string) =>
    fetch(server.url('/api/v1/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  const cookieOf = (r: Response): string => r.headers.getSetCookie()[0]!.split(';')[0]!;

  beforeAll(async () => {
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('makes "admin" on the first start and prints its one-time password once, on stderr only', async () => {
    const m = /first start: sign in as "admin" with one-time password (\S+) \(you will be asked to change it\)/.exec(server.stderr());
    expect(m, server.stderr()).not.toBeNull();
    const password = m![1]!;
    expect(JSON.stringify(server.logs)).not.toContain(password);
    const r = await login('admin', password);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { user: UserJson }).user).toMatchObject({ name: 'admin', role: 'admin', mustChangePassword: true, totpRequired: true });
    expect(list().map((u) => u.name)).toEqual(['admin']);
  });

  it('adds, links and disables users beside the running server, which obeys at once', async () => {
    const add = cli(['add', 'alice', '--role', 'viewer']);
    expect(add.status, add.stderr).toBe(0);
    const once = /one-time password for alice: (\S+)/.exec(add.stdout)![1]!;
    expect(cli(['add', 'bob', '--role', 'reviewer', '--password-stdin'], 'bob has a long password\n').status).toBe(0);
    expect(cli(['link', 'alice', 'alice']).stdout).toMatch(/linked alice on any device type to alice/);
    expect(cli(['link', 'bob', 'admin', '--device-type', 'cisco-ios']).status).toBe(0);
    expect(list().find((u) => u.name === 'alice')).toMatchObject({ role: 'viewer', mustChangePassword: true, identities: [{ username: 'alice', deviceType: '*' }] });

    // alice signs in with the one-time password, must change it, then reads.
    const r = await login('alice', once);
    const { csrf } = (await r.json()) as { csrf: string };
    const cookie = cookieOf(r);
    expect((await fetch(server.url('/api/v1/sessions'), { headers: { cookie } })).status).toBe(403);
    const changed = await fetch(server.url('/api/v1/auth/password'), {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ current: once, next: 'alice chose this one' }),
    });
    expect(changed.status).toBe(204);
    expect((await fetch(server.url('/api/v1/sessions'), { headers: { cookie } })).status).toBe(200);

    expect(cli(['disable', 'alice']).stdout).toMatch(/disabled alice/);
    const after = await fetch(server.url('/api/v1/sessions'), { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await login('alice', 'alice chose this one')).status).toBe(401);
    expect(cli(['enable', 'alice']).status).toBe(0);
    expect((await login('alice', 'alice chose this one')).status).toBe(200);
  });

  it('changes roles, resets passwords and TOTP, and says clearly what went wrong', () => {
    expect(cli(['role', 'bob', 'admin']).stdout).toMatch(/bob is now admin/);
    const reset = cli(['reset-password', 'bob']);
    expect(reset.stdout).toMatch(/one-time password for bob: \S{20}/);
    expect(list().find((u) => u.name === 'bob')).toMatchObject({ role: 'admin', mustChangePassword: true });
    expect(cli(['reset-totp', 'bob']).stdout).toMatch(/bob had no TOTP/);

    const cases: [string[], RegExp][] = [
      [['add', 'Bad', '--role', 'viewer'], /"Bad" is not a user name/],
      [['add', 'alice', '--role', 'viewer'], /there is already a user alice/],
      [['disable', 'nobody'], /no user nobody/],
      [['link', 'alice', 'admin', '--device-type', 'cisco-ios'], /admin on cisco-ios is already linked to bob/],
      [['unlink', 'alice', 'admin'], /admin on any device type is not linked to alice/],
      [['add', 'carol', '--role', 'viewer', '--password-stdin'], /standard input held no password/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args, '');
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const badRole = cli(['role', 'bob', 'boss']);
    expect(badRole.status).not.toBe(0);
    expect(badRole.stderr).toMatch(/Allowed choices are viewer, reviewer, admin/);
    expect(runCli(['user', 'list', '--data', tempDir('accounts-none')]).stderr).toMatch(/no Countersign store here/);
  });

  it('logs every account change as a tlog entry that verify accepts', async () => {
    expect(await server.stop()).toBe(0);
    const v = runCli(['verify', '--json', '--data', dataDir]);
    expect(JSON.parse(v.stdout)).toMatchObject({ problems: [] });
    const records = JSON.parse(runCli(['records', '--json', '--limit', '1000', '--data', dataDir]).stdout) as { transport: string; envelope: { msgid: string | null; msg: string } }[];
    const actions = records.filter((r) => r.transport === 'internal').map((r) => JSON.parse(r.envelope.msg) as { type: string; actor: string; user: string });
    expect(actions.map((a) => `${a.type} ${a.user} by ${a.actor.replace(/^cli:.*/, 'cli')}`)).toEqual([
      'user.add admin by countersign',
      'auth.login admin by admin',
      'user.add alice by cli',
      'user.add bob by cli',
      'user.link alice by cli',
      'user.link bob by cli',
      'auth.login alice by alice',
      'user.password alice by alice',
      'user.disable alice by cli',
      'user.enable alice by cli',
      'auth.login alice by alice',
      'user.role bob by cli',
      'user.password bob by cli',
    ]);
    expect(JSON.stringify(actions)).not.toMatch(/argon2|password_hash|chose this one/);
    // A second start finds users: no new admin, nothing printed.
    server = await startServer({ dataDir });
    expect(server.stderr()).not.toMatch(/first start/);
  });
});
