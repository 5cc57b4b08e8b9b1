// Hostile log content in the browser (issue 6): the corpus of test/fixtures/hostile/strings.json (script
// tags, event handlers, javascript: URLs, entities, template lookups, bidi overrides, terminal escapes
// that clear the screen, set the title, query the terminal, write the clipboard, OSC 8 links …) is sent
// through real syslog — util-linux `logger` over TCP, octet-counted — as commands (snoopy lines), as
// usernames (sshd lines) and as hostnames (logger run in its own UTS namespace with that hostname), and
// as terminal output recorded by the real tlog-rec. Chromium then opens the queue, each session and the
// player. Nothing may execute (window.__pwned is never called, no dialog, no request leaves the app's
// origin, no CSP violation), nothing may change the page outside its box (no horizontal overflow, the
// title stays, no link in the player), and every string is visible as text, control characters shown.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { base32Decode } from '../../src/auth/base32.js';
import { totpAt } from '../../src/auth/totp.js';
import { escapeControls } from '../../src/model/escape.js';
import { describeWithBrowser, launchBrowser, screenshot, signIn, watchedPage, type WatchedPage } from './helpers/browser.js';
import { REPO, runCli, startServer, tempDir, testConfig, type RunningServer } from './helpers/countersign.js';
import { describeWithTools } from './helpers/require-tool.js';

interface Hostile {
  id: string;
  class: string;
  text: string;
  where: ('command' | 'user' | 'host')[];
}
const CORPUS = JSON.parse(readFileSync(join(REPO, 'test/fixtures/hostile/strings.json'), 'utf8')) as { items: Hostile[] };
const ITEMS = CORPUS.items;
/** argv cannot carry NUL: logger sends what is before it. The stored record says exactly what arrived. */
const sendable = (s: string): string => s.split('\u0000')[0]!;

interface SessionJson {
  id: number;
  host: string;
  user: string | null;
}

const PASSWORD = 'hostile-corpus-reviewer-pw';

describeWithBrowser('hostile log content in the browser', () => describeWithTools(['logger', 'unshare', 'tlog-rec'], 'hostile strings through logger, sshd/snoopy/tlog formats', () => {
  let server: RunningServer;
  let browser: Browser;
  let w: WatchedPage;
  const fired: string[] = [];
  const dialogs: string[] = [];
  const foreign: string[] = [];
  let sessions: SessionJson[] = [];
  let port = 0;

  /** One syslog message through util-linux logger, octet-counted over TCP (an embedded newline stays in the message). */
  const logger = (tag: string, pid: number, msg: string, hostname?: string): void => {
    const args = ['--tcp', '--octet-count', '-n', '127.0.0.1', '-P', String(port), '--rfc3164', '-t', tag, `--id=${pid}`, '-S', '65536', '--', sendable(msg)];
    if (hostname === undefined) execFileSync('logger', args);
    // A hostname is whatever gethostname() says: set it in a private UTS namespace, then log from there.
    else execFileSync('unshare', ['--uts', 'sh', '-c', 'printf %s "$1" > /proc/sys/kernel/hostname && shift && exec logger "$@"', 'sh', sendable(hostname), ...args]);
  };

  /** A whole ssh session as sshd, PAM and snoopy log it; returns the sshd pid. */
  let nextPid = 30_000;
  const session = (o: { user: string; commands: readonly string[]; host?: string; tlog?: readonly string[] }): void => {
    const pid = nextPid++;
    const port = 40_000 + (pid % 20_000);
    const ssh = `(203.0.113.9 ${port} 10.0.0.1 22)`;
    logger('sshd', pid, `Accepted publickey for ${o.user} from 203.0.113.9 port ${port} ssh2: ED25519 SHA256:3dc5I0ZkZ2l0YWxvY2VhbmhhY2tlcg`, o.host);
    logger('sshd', pid, `pam_unix(sshd:session): session opened for user ${o.user}(uid=1500) by (uid=0)`, o.host);
    let n = 0;
    for (const c of o.commands) logger('snoopy', pid + 100 + n++, `[login:${o.user} ssh:${ssh} sid:${pid} tty:/dev/pts/7 (1500/${o.user}) uid:${o.user}(1500)/${o.user}(1500) cwd:/home/x]: ${c}`, o.host);
    for (const t of o.tlog ?? []) logger('tlog', pid + 90, t, o.host);
    logger('sshd', pid, `Disconnected from user ${o.user} 203.0.113.9 port ${port}`, o.host);
    logger('sshd', pid, `pam_unix(sshd:session): session closed for user ${o.user}`, o.host);
  };

  /** Real tlog-rec output of a program printing the terminal payloads: the player's hostile input. */
  const tlogRecording = (payloads: readonly string[]): string[] => {
    const dir = tempDir('hostile-tlog');
    const file = join(dir, 'rec.jsonl');
    execFileSync('tlog-rec', ['--writer=file', `--file-path=${file}`, '--', 'sh', '-c', 'printf "%s\\r\\n" "$@"', 'sh', ...payloads.map(sendable)], { stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{'));
    rmSync(dir, { recursive: true, force: true });
    return lines.map((l) => JSON.stringify({ ...(JSON.parse(l) as Record<string, unknown>), user: 'hostile-tty' }));
  };

  const commandItems = ITEMS.filter((i) => i.where.includes('command'));
  const userItems = ITEMS.filter((i) => i.where.includes('user'));
  const hostItems = ITEMS.filter((i) => i.where.includes('host'));
  const ansiItems = ITEMS.filter((i) => /^(ansi|osc|dcs|c1)/.test(i.class));

  beforeAll(async () => {
    server = await startServer({ config: testConfig({ sessions: { orphanWaitSeconds: 1, weakWindowSeconds: 600, deriveIntervalMs: 100 } }) });
    port = server.ports.tcp!;
    // The commands, in sessions of ten; each user payload as a login name; each host payload as the sender's hostname.
    for (let i = 0; i < commandItems.length; i += 10) session({ user: `hostile${i / 10}`, commands: commandItems.slice(i, i + 10).map((x) => x.text) });
    for (const u of userItems) session({ user: u.text, commands: ['id'] });
    for (const h of hostItems) session({ user: 'hosttest', host: h.text, commands: ['uptime'] });
    session({ user: 'hostile-tty', commands: ['cat notes.txt'], tlog: tlogRecording(ansiItems.map((x) => x.text)) });

    const add = runCli(['user', 'add', 'rita', '--role', 'reviewer', '--password-stdin', '--data', server.dataDir], `${PASSWORD}\n`);
    if (add.status !== 0) throw new Error(add.stderr);
    browser = await launchBrowser();
    w = await watchedPage(browser, server.url('/'));
    const origin = new URL(server.url('/')).origin;
    await w.context.exposeBinding('__pwned', (_src, id: string) => void fired.push(String(id)));
    await w.context.addInitScript(() => {
      const g = globalThis as unknown as { __pwned: (id: string) => void; addEventListener: (t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void) => void; navigator: { clipboard?: Record<string, unknown> } };
      g.addEventListener('securitypolicyviolation', (e) => g.__pwned(`csp:${e.violatedDirective}:${e.blockedURI}`));
      const clip = g.navigator.clipboard;
      if (clip !== undefined) {
        clip['writeText'] = async () => g.__pwned('clipboard.writeText');
        clip['write'] = async () => g.__pwned('clipboard.write');
      }
    });
    w.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    w.page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const where = await signIn(w.page, { name: 'rita', password: PASSWORD });
    if (where === 'totp-enrol') {
      const secret = ((await w.page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
      await w.page.getByTestId('totp-code').fill(totpAt(base32Decode(secret)!, Date.now()));
      await w.page.getByTestId('totp-submit').click();
      await w.page.getByTestId('top-bar').waitFor();
    }
    const want = Math.ceil(commandItems.length / 10) + userItems.length + hostItems.length + 1;
    const until = Date.now() + 60_000;
    for (;;) {
      sessions = (await w.page.evaluate(async () => (await (await fetch('/api/v1/sessions?limit=1000')).json()) as { sessions: SessionJson[] })).sessions;
      if (sessions.length >= want || Date.now() > until) break;
      await sleep(250);
    }
    expect(sessions.length).toBe(want);
  }, 180_000);

  afterAll(async () => {
    await w?.context.close();
    await browser?.close();
    await server?.stop();
  });

  /** What the page must show for a hostile string: its text with control characters made visible. */
  const shown = (s: string): string => escapeControls(sendable(s)).replace(/\s+/g, ' ').trim();
  const text = async (p: Page, testId: string): Promise<string> => (await p.getByTestId(testId).innerText()).replace(/\s+/g, ' ');
  const noOverflow = async (p: Page): Promise<void> => {
    const o = await p.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number }; title: string } }).document;
      return { scroll: d.documentElement.scrollWidth, client: d.documentElement.clientWidth, title: d.title };
    });
    expect(o.scroll, 'the page grew sideways').toBeLessThanOrEqual(o.client + 1);
    expect(o.title).toMatch(/Countersign/);
  };
  const nothingFired = (): void => {
    expect(fired).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
  };

  it(`has a corpus of at least 50 hostile strings (${ITEMS.length})`, () => {
    expect(ITEMS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(ITEMS.map((i) => i.class)).size).toBeGreaterThanOrEqual(15);
  });

  it('the queue shows every hostile user and host as text, and nothing runs', async () => {
    await w.page.goto('/');
    await w.page.getByTestId('queue-row').first().waitFor();
    const q = await text(w.page, 'queue-table');
    for (const u of userItems) expect(q, u.id).toContain(shown(u.text));
    for (const h of hostItems) expect(q, h.id).toContain(shown(h.text));
    await noOverflow(w.page);
    await screenshot(w.page, 'hostile-queue');
    nothingFired();
  });

  it('each session page shows its hostile commands as text, and nothing runs', async () => {
    const cmdSessions = sessions.filter((s) => /^hostile\d+$/.test(s.user ?? ''));
    expect(cmdSessions.length).toBe(Math.ceil(commandItems.length / 10));
    let seen = 0;
    for (const s of cmdSessions) {
      await w.page.goto(`/sessions/${s.id}`);
      await w.page.getByTestId('timeline-line').first().waitFor();
      const t = await text(w.page, 'timeline');
      const n = Number(s.user!.slice('hostile'.length));
      for (const c of commandItems.slice(n * 10, n * 10 + 10)) {
        expect(t, `${c.id} (${c.class})`).toContain(shown(c.text));
        seen++;
      }
      await noOverflow(w.page);
      if (n === 0) await screenshot(w.page, 'hostile-session');
    }
    expect(seen).toBe(commandItems.length);
    // The raw record view of a forged-newline line is one record, shown escaped.
    nothingFired();
  });

  it('reviewers’ own comments are hostile too: posted and shown as text', async () => {
    const s = sessions.find((x) => x.user === 'hostile0')!;
    await w.page.goto(`/sessions/${s.id}`);
    await w.page.getByTestId('review-comment').waitFor();
    for (const c of commandItems.slice(0, 8)) {
      await w.page.getByTestId('review-comment').fill(sendable(c.text));
      await w.page.getByTestId('comment-general-submit').click();
      await expect.poll(async () => text(w.page, 'general-comments')).toContain(shown(c.text));
    }
    await noOverflow(w.page);
    nothingFired();
  });

  it('the player replays terminal escapes inside its box: no title, no clipboard, no link, no answer to queries', async () => {
    const s = sessions.find((x) => x.user === 'hostile-tty')!;
    await w.page.goto(`/sessions/${s.id}`);
    await w.page.getByTestId('player-load').click();
    await w.page.getByTestId('player').waitFor();
    const box = await w.page.getByTestId('player-terminal').boundingBox();
    const posts: string[] = [];
    w.page.on('request', (r) => {
      if (r.method() !== 'GET') posts.push(`${r.method()} ${r.url()}`);
    });
    await w.page.getByTestId('player-speed').selectOption('4');
    await w.page.getByTestId('player-play').click();
    await expect.poll(async () => w.page.getByTestId('player-terminal').innerText(), { timeout: 30_000 }).toMatch(/C1 CSI clear|DECRQSS|docs|click me/);
    await w.page.getByTestId('player-seek').fill('100000');
    await sleep(500);
    expect(await w.page.getByTestId('player-terminal').boundingBox()).toEqual(box);
    expect(await w.page.locator('[data-testid="player"] a').count()).toBe(0);
    expect(posts).toEqual([]); // the terminal's answers to DSR/DA/title queries go nowhere
    await noOverflow(w.page);
    await screenshot(w.page, 'hostile-player');
    nothingFired();
  });

  it('every hostile record is stored byte-exact', async () => {
    const { stdout } = { stdout: execFileSync(process.execPath, [join(REPO, 'dist/src/cli/main.js'), 'records', '--json', '--limit', '100000', '--data', server.dataDir], { maxBuffer: 64 << 20 }).toString() };
    const raws = (JSON.parse(stdout) as { raw: string }[]).map((r) => r.raw);
    for (const c of commandItems) expect(raws.some((r) => r.includes(sendable(c.text))), c.id).toBe(true);
    const forged = commandItems.find((c) => c.class === 'newline-forge')!;
    // The forged sshd line inside it stays part of the one snoopy record: no separate "Accepted … root" record.
    expect(raws.filter((r) => r.includes('Accepted password for root from 10.0.0.1')).length).toBe(1);
    expect(raws.find((r) => r.includes('Accepted password for root from 10.0.0.1'))).toContain(sendable(forged.text));
  });
}));
