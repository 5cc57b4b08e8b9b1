// The live dashboard and the wall display in the browser (issue 7): a real `countersign serve`, a viewer
// added with the CLI and signed in through the login page in Debian's Chromium, /dashboard and /wall open
// side by side; util-linux `logger` then sends, over TCP, the sshd line of a direct root login from outside
// the management networks (built-in rules root-login and login-outside-management-networks, both high).
// Both pages must show it without a reload, and the alert routes' delivery (a real webhook receiver, and a
// route to a closed port that keeps failing) shows on the dashboard. Then the server stops: the wall must say it is disconnected,
// and when the server is back on the same port it must be live again by itself and show the next event.
// Screenshots: test-output/screenshots/dashboard.png, wall.png, wall-disconnected.png.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, screenshot, signIn, watchedPage, type WatchedPage } from './helpers/browser.js';
import { runCli, startServer, testConfig, type RunningServer } from './helpers/countersign.js';
import { describeWithTools } from './helpers/require-tool.js';

const PASSWORD = 'dashboard wall viewer password';
/** Bounds for waiting (not timings under test): generous, so a slow machine does not fail the suite. */
const LIVE_BOUND_MS = 15_000;

describeWithBrowser('dashboard and wall display in the browser', () =>
  describeWithTools(['logger'], 'a risky login over syslog appears live on /dashboard and /wall', () => {
    let server: RunningServer;
    let browser: Browser;
    let dash: WatchedPage;
    let wall: WatchedPage;
    let sshdPid = 41_000;
    let outage = false;
    let receiver: Server;
    let received = 0;

    const config = (webPort = 0) =>
      testConfig({
        web: { host: '127.0.0.1', port: webPort },
        sessions: { deriveIntervalMs: 100, orphanWaitSeconds: 2 },
        tlog: { checkpointIntervalSeconds: 1 },
        alerts: {
          routes: [
            { name: 'chat', minLevel: 'high', sink: { type: 'webhook', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` } },
            // Nothing listens on the discard port: every delivery fails and is retried.
            { name: 'pager', minLevel: 'high', sink: { type: 'webhook', url: 'http://127.0.0.1:9/hook' } },
          ],
        },
      });

    /** The sshd line of a password login, through util-linux logger over TCP (RFC 5424, octet-counted). */
    const sshdLogin = (user: string, from: string): void => {
      const pid = sshdPid++;
      execFileSync('logger', ['--tcp', '--octet-count', '--rfc5424', '-n', '127.0.0.1', '-P', String(server.ports.tcp), '-t', 'sshd', `--id=${pid}`, '--', `Accepted password for ${user} from ${from} port ${50_000 + (pid % 10_000)} ssh2`]);
    };

    /** A signed-in viewer page; the sign-in goes through /login as a person's would. */
    const viewerPage = async (viewport?: { width: number; height: number }): Promise<WatchedPage> => {
      // Once the server is stopped on purpose, failed requests are expected: they are the point of that test.
      const w = await watchedPage(browser, server.url('/'), {
        ...(viewport !== undefined ? { viewport } : {}),
        ignore: (m) => outage || (/\/api\/v1\/auth\/me$/.test(m.location().url) && /status of 401/.test(m.text())),
      });
      expect(await signIn(w.page, { name: 'wall', password: PASSWORD })).toBe('app');
      return w;
    };

    const state = (page: Page, testId: string): Promise<string | null> => page.getByTestId(testId).first().getAttribute('data-state');
    const waitState = (page: Page, testId: string, want: string, timeout = LIVE_BOUND_MS) => expect.poll(() => state(page, testId), { timeout }).toBe(want);
    const waitText = (page: Page, testId: string, want: string) => expect.poll(() => page.getByTestId(testId).textContent(), { timeout: LIVE_BOUND_MS }).toBe(want);
    /** A mark in the page's window: a reload would wipe it. */
    const markPage = (page: Page) => page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
    const stillMarked = (page: Page) => page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload === true);

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          received++;
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      server = await startServer({ config: config() });
      const r = runCli(['user', 'add', 'wall', '--role', 'viewer', '--password-stdin', '--data', server.dataDir], `${PASSWORD}\n`);
      if (r.status !== 0) throw new Error(`user add: ${r.stderr}`);
      browser = await launchBrowser();
      dash = await viewerPage();
      wall = await viewerPage({ width: 1920, height: 1080 });
    }, 120_000);

    afterAll(async () => {
      await dash?.context.close();
      await wall?.context.close();
      await browser?.close();
      await server?.stop();
      receiver?.close();
    }, 60_000);

    it('opens /dashboard and /wall, both live, with nothing high-risk yet', async () => {
      await dash.page.goto('/dashboard');
      await waitState(dash.page, 'link-status', 'live');
      await dash.page.getByTestId('dashboard-stream-empty').waitFor();
      expect(await dash.page.getByTestId('tile-open-value').textContent()).toBe('0');
      // Both routes listed before any alert: nothing delivered, nothing waiting.
      await expect.poll(() => dash.page.getByTestId('alerts-route').count()).toBe(2);

      await wall.page.goto('/wall');
      await wall.page.getByTestId('wall').waitFor();
      await waitState(wall.page, 'link-status', 'live');
      // No top bar on the wall: nothing to click, the whole screen is the display.
      expect(await wall.page.getByTestId('top-bar').count()).toBe(0);
      expect(await wall.page.getByTestId('wall-highrisk-value').textContent()).toBe('0');
      expect(dash.errors).toEqual([]);
      expect(wall.errors).toEqual([]);
    });

    it('shows a root login sent over syslog on both pages as it is stored, without a reload', async () => {
      for (const p of [dash.page, wall.page]) await markPage(p);
      const sent = Date.now();
      sshdLogin('root', '203.0.113.5');

      const dashHit = dash.page.locator('[data-testid="dashboard-hit"][data-rule="root-login"]');
      const wallHit = wall.page.locator('[data-testid="wall-hit"][data-rule="root-login"]');
      await Promise.all([dashHit.waitFor({ timeout: LIVE_BOUND_MS }), wallHit.waitFor({ timeout: LIVE_BOUND_MS })]);
      // How long it took is printed, not asserted (issue 7 asks for 2 s; the bound above only stops a hang).
      console.info(`dashboard e2e: root login visible on /dashboard and /wall ${Date.now() - sent} ms after logger sent it`);
      for (const p of [dash.page, wall.page]) expect(await stillMarked(p)).toBe(true);

      // Both rules of that line, as they arrived: marked new, with who and where as text.
      expect(await dashHit.getAttribute('data-live')).toBe('true');
      await dash.page.locator('[data-testid="dashboard-hit"][data-rule="login-outside-management-networks"]').waitFor({ timeout: LIVE_BOUND_MS });
      expect(await dashHit.locator('.who').textContent()).toBe('root');
      expect(await dashHit.textContent()).toMatch(/Direct login as root/);
      expect(await wallHit.textContent()).toMatch(/Direct login as root.*root.*@/s);

      // The counters follow with the next snapshot on the stream: an open session, a high-risk event this hour.
      await waitText(wall.page, 'wall-highrisk-value', '2');
      await waitText(wall.page, 'wall-open-value', '1');
      await waitText(dash.page, 'tile-open-value', '1');
      await dash.page.getByTestId('dashboard-session').first().waitFor();
      await dash.page.locator('[data-testid="chart-rules-row"]').first().waitFor();
      expect(await dash.page.getByTestId('chart-total').getAttribute('data-total')).toBe('2');
      expect(await dash.page.getByTestId('checkpoint-age').textContent()).toMatch(/ago|none yet/);

      // Alert delivery per route, with the next snapshot: the receiver got the alert; the closed port keeps failing.
      const route = (name: string) => dash.page.getByTestId('alerts-route').filter({ hasText: name });
      await expect.poll(() => route('chat').locator('td').nth(1).textContent(), { timeout: LIVE_BOUND_MS }).not.toBe('0');
      await expect.poll(() => route('pager').locator('td').nth(5).textContent(), { timeout: LIVE_BOUND_MS }).toMatch(/\S/);
      expect(await route('pager').locator('td').nth(5).textContent()).not.toBe('—');
      expect(received).toBeGreaterThan(0);
      await waitText(dash.page, 'tile-alerts-value', '1');
      await expect.poll(() => wall.page.getByTestId('wall-alerts').textContent(), { timeout: LIVE_BOUND_MS }).toMatch(/alerts: 1 route failing/);

      await screenshot(dash.page, 'dashboard');
      await screenshot(wall.page, 'wall');
      expect(dash.errors).toEqual([]);
      expect(wall.errors).toEqual([]);
    });

    it('links each high-risk event to its session', async () => {
      const link = dash.page.locator('[data-testid="dashboard-hit"][data-rule="root-login"] [data-testid="dashboard-hit-session"]');
      const href = await link.getAttribute('href');
      expect(href).toMatch(/^\/sessions\/\d+$/);
      await link.click();
      await dash.page.waitForURL(`**${href!}`);
      await dash.page.getByText('203.0.113.5').first().waitFor();
      await dash.page.goBack();
      await waitState(dash.page, 'link-status', 'live');
    });

    it('shows log content as text: a control sequence in a user name is made visible, never obeyed', async () => {
      // Any user logging in from outside the management networks is high-risk (login-outside-management-networks).
      sshdLogin('evil\u001b[2Jname', '203.0.113.66');
      const hit = (p: Page, id: string) => p.locator(`[data-testid="${id}"][data-rule="login-outside-management-networks"]`).filter({ hasText: 'evil' });
      await Promise.all([hit(dash.page, 'dashboard-hit').waitFor({ timeout: LIVE_BOUND_MS }), hit(wall.page, 'wall-hit').waitFor({ timeout: LIVE_BOUND_MS })]);
      for (const [p, id] of [[dash.page, 'dashboard-hit'], [wall.page, 'wall-hit']] as const) {
        const text = (await hit(p, id).textContent()) ?? '';
        expect(text).toContain('evil\\x1b[2Jname');
        expect(text).not.toContain('\u001b');
        expect(await hit(p, id).locator('.ctl').first().textContent()).toBe('\\x1b');
      }
      expect(dash.errors).toEqual([]);
      expect(wall.errors).toEqual([]);
    });

    it('says "disconnected — retrying" when the server is gone, and is live again by itself when it is back', async () => {
      const port = server.ports.web;
      outage = true;
      expect(await server.stop()).toBe(0);
      await waitState(wall.page, 'link-status', 'disconnected');
      await wall.page.getByTestId('wall-disconnected').waitFor();
      expect(await wall.page.getByTestId('link-status').textContent()).toMatch(/disconnected — retrying/);
      await screenshot(wall.page, 'wall-disconnected');

      // Same data, same web port: the browser session is still valid, the wall reconnects without help.
      server = await startServer({ config: config(port), dataDir: server.dataDir });
      await waitState(wall.page, 'link-status', 'live', 60_000);
      expect(await wall.page.getByTestId('wall-disconnected').count()).toBe(0);
      expect(await stillMarked(wall.page)).toBe(true);
      outage = false;

      // And it is really following again: the next risky login shows up.
      sshdLogin('root', '198.51.100.7');
      await expect.poll(() => wall.page.locator('[data-testid="wall-hit"][data-rule="root-login"]').count(), { timeout: LIVE_BOUND_MS }).toBe(2);
      expect(await state(wall.page, 'link-status')).toBe('live');
    }, 120_000);
  }),
);
