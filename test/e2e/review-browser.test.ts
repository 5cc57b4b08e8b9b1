// Review in the browser (issue 6), on sessions the real programs made: OpenSSH logins, sudo, su, snoopy
// and tlog log to a private rsyslogd, which forwards to a real Countersign; Debian's Chromium (driven by
// playwright-core) then does what reviewers do. Every reviewer enrols TOTP through the enrolment page.
// The review policy here asks two approvals of every session. Screenshots go to test-output/screenshots/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { base32Decode } from '../../src/auth/base32.js';
import { totpAt } from '../../src/auth/totp.js';
import { describeWithBrowser, launchBrowser, screenshot, signIn, watchedPage, type WatchedPage } from './helpers/browser.js';
import { runCli, startServer, tempDir, testConfig, type RunningServer } from './helpers/countersign.js';
import { describeLinuxHost, runScenarios, startLinuxHost, type LinuxHost, type ScenarioRun } from './helpers/linux-host.js';

const POLICY = `# Every session needs two reviewers (the test's policy).
rules:
  - name: two-eyes
    require: 2
    dueHours: 24
`;

interface SessionJson {
  id: number;
  user: string | null;
  status: string;
  eventCount: number;
}
interface ReviewJson {
  review: { state: string; digest: string; changedSinceApproval: boolean; approvals: { user: string; current: boolean }[]; you: { canApprove: boolean; whyNot: string | null } };
  actions: { seq: number; action: string; user: string }[];
}

const PEOPLE = { alice: 'reviewer', bob: 'reviewer', carol: 'reviewer', vic: 'viewer' } as const;
type Person = keyof typeof PEOPLE;
const password = (who: Person): string => `correct horse ${who} battery staple`;

/** fetch from inside the page, with the page's session and its CSRF token (what the UI itself does). */
const api = async <T>(page: Page, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> =>
  page.evaluate(
    async ({ path, init }) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrf: string };
      const r = await fetch(path, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      return { status: r.status, body: (await r.json()) as T };
    },
    { path, init },
  );

const waitUntil = async (pred: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
};

describeWithBrowser('review in the browser', () => {
  describeLinuxHost('review in the browser, on sessions from the real sshd/sudo/su/tlog scenario', () => {
    let server: RunningServer;
    let host: LinuxHost | undefined;
    let run: ScenarioRun | undefined;
    let browser: Browser;
    const pages: Partial<Record<Person, WatchedPage>> = {};
    let ids: { aliceSudo: number; aliceOpen: number; bobSu: number; daveTlog: number };

    /** A signed-in page for `who`: the first sign-in enrols TOTP through the enrolment page. */
    const pageOf = async (who: Person): Promise<Page> => {
      const have = pages[who];
      if (have !== undefined) return have.page;
      const w = await watchedPage(browser, server.url('/'));
      pages[who] = w;
      const where = await signIn(w.page, { name: who, password: password(who) });
      if (where === 'totp-enrol') {
        const secret = ((await w.page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
        await w.page.getByTestId('totp-code').fill(totpAt(base32Decode(secret)!, Date.now()));
        await w.page.getByTestId('totp-submit').click();
        await w.page.getByTestId('top-bar').waitFor();
      } else expect(where).toBe('app');
      return w.page;
    };

    const reviewOf = async (who: Person, id: number): Promise<ReviewJson> => (await api<ReviewJson>(await pageOf(who), `/api/v1/sessions/${id}/review`)).body;

    beforeAll(async () => {
      const dir = tempDir('review-browser');
      const policyFile = join(dir, 'policy.yaml');
      writeFileSync(policyFile, POLICY);
      server = await startServer({ config: testConfig({ review: { policyFile }, sessions: { orphanWaitSeconds: 2, idleTimeoutSeconds: 600, deriveIntervalMs: 100 } }) });
      for (const [who, role] of Object.entries(PEOPLE)) {
        const r = runCli(['user', 'add', who, '--role', role, '--password-stdin', '--data', server.dataDir], `${password(who as Person)}\n`);
        if (r.status !== 0) throw new Error(`user add ${who}: ${r.stderr}`);
      }
      // alice is cs-alice on the Linux host and bob is cs-bob: they must not approve what they did there.
      for (const [who, unix] of [['alice', 'cs-alice'], ['bob', 'cs-bob']]) {
        const link = runCli(['user', 'link', who!, unix!, '--data', server.dataDir]);
        if (link.status !== 0) throw new Error(`user link: ${link.stderr}`);
      }

      host = await startLinuxHost({ syslogTcpPort: server.ports.tcp!, dir: tempDir('review-host') });
      run = await runScenarios(host);
      browser = await launchBrowser();
      const vic = await pageOf('vic');
      const list = async (): Promise<SessionJson[]> => (await api<{ sessions: SessionJson[] }>(vic, '/api/v1/sessions?limit=100')).body.sessions;
      const hasRecording = async (id: number): Promise<boolean> => vic.evaluate(async (id) => (await fetch(`/api/v1/sessions/${id}/recording`)).status === 200, id);
      let sessions: SessionJson[] = [];
      await waitUntil(
        async () => {
          sessions = await list();
          const dave = sessions.find((s) => s.user === 'cs-dave');
          return (
            sessions.filter((s) => s.user === 'cs-alice').length >= 2 &&
            sessions.some((s) => s.user === 'cs-bob' && s.status === 'closed') &&
            dave !== undefined &&
            dave.status === 'closed' &&
            (await hasRecording(dave.id))
          );
        },
        60_000,
        'the scenario sessions (alice ×2, bob, dave with a recording)',
      );
      const alice = sessions.filter((s) => s.user === 'cs-alice');
      const open = alice.find((s) => s.status === 'open')!;
      ids = {
        aliceOpen: open.id,
        aliceSudo: alice.find((s) => s.status === 'closed')!.id,
        bobSu: sessions.find((s) => s.user === 'cs-bob')!.id,
        daveTlog: sessions.find((s) => s.user === 'cs-dave')!.id,
      };
    }, 240_000);

    afterAll(async () => {
      for (const w of Object.values(pages)) await w?.context.close();
      await browser?.close();
      await run?.closeOpenSessions().catch(() => undefined);
      await host?.stop();
      await server?.stop();
    }, 60_000);

    it('alice signs in, finds her session in the queue and moves through it with the keyboard', async () => {
      const page = await pageOf('alice');
      await page.goto('/');
      await page.getByTestId('queue-row').first().waitFor();
      const rows = page.getByTestId('queue-row');
      expect(await rows.count()).toBeGreaterThanOrEqual(5);
      await expect.poll(() => page.locator(`[data-testid="queue-row"][data-session-id="${ids.aliceSudo}"]`).count()).toBe(1);
      // Every session needs review under this policy; the counts say so.
      expect(Number(await page.getByTestId('queue-count-needs_review').innerText())).toBeGreaterThanOrEqual(5);
      await screenshot(page, 'queue');

      const selected = async (): Promise<string | null> => page.locator('[data-testid="queue-row"][aria-selected="true"]').getAttribute('data-session-id');
      const first = await selected();
      await page.keyboard.press('j');
      const second = await selected();
      expect(second).not.toBe(first);
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      expect(await selected()).toBe(second);
      await page.keyboard.press('o');
      await page.waitForURL(`**/sessions/${second}`);
      await page.getByTestId('timeline').waitFor();
      // The search finds her session by a command she ran.
      await page.goto('/?q=' + encodeURIComponent('cat /etc/hostname'));
      await page.getByTestId('queue-row').first().waitFor();
      const found = await page.getByTestId('queue-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-session-id'))));
      expect(found).toContain(ids.aliceSudo);
      expect(found).not.toContain(ids.daveTlog);
    });

    it('reads the timeline, comments on a line, and may not approve her own session', async () => {
      const page = await pageOf('alice');
      await page.goto(`/sessions/${ids.aliceSudo}`);
      await page.getByTestId('timeline-line').first().waitFor();
      const timeline = (await page.getByTestId('timeline').innerText()).replace(/\s+/g, ' ');
      const scenario = run!.results.find((r) => r.name === 'alice-sudo')!;
      for (const c of scenario.commands) expect(timeline, c.command).toContain(c.command);
      expect(await page.getByTestId('privilege-step').count()).toBeGreaterThan(0);
      const ls = page.getByTestId('timeline-line').filter({ hasText: 'ls /etc/ssh' }).first();
      expect(await ls.getByTestId('explain').innerText()).toMatch(/lists files/);

      await ls.click();
      await ls.getByTestId('line-comment-button').click();
      await page.getByTestId('comment-input').fill('why list the ssh config here?');
      await page.getByTestId('comment-submit').click();
      await expect.poll(async () => ls.innerText()).toContain('why list the ssh config here?');

      expect(await page.getByTestId('approve-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('review-why-not').innerText()).toMatch(/you acted in this session \(as cs-alice\)/);
      // Not through the API either.
      const r = await reviewOf('alice', ids.aliceSudo);
      const tried = await api<{ code: string }>(page, `/api/v1/sessions/${ids.aliceSudo}/approve`, { method: 'POST', body: { digest: r.review.digest } });
      expect(tried).toMatchObject({ status: 403, body: { code: 'CS_ERR_OWN_SESSION' } });
    });

    it('a second reviewer approves; the two-approval session stays pending after one, then is approved', async () => {
      const bob = await pageOf('bob');
      await bob.goto(`/sessions/${ids.aliceSudo}`);
      await bob.getByTestId('approve-button').waitFor();
      // bob sees alice's comment on the line.
      expect(await bob.getByTestId('timeline').innerText()).toContain('why list the ssh config here?');
      await bob.getByTestId('approve-button').click();
      await expect.poll(async () => bob.getByTestId('approvals-count').getAttribute('data-have')).toBe('1');
      expect(await bob.getByTestId('approvals-count').getAttribute('data-needed')).toBe('2');
      expect(await bob.getByTestId('review-state').getAttribute('data-state')).toBe('needs_review');
      expect(await bob.getByTestId('approve-button').isDisabled()).toBe(true); // not twice
      await screenshot(bob, 'session-page');

      const carol = await pageOf('carol');
      await carol.goto(`/sessions/${ids.aliceSudo}`);
      await carol.getByTestId('approve-button').click();
      await expect.poll(async () => carol.getByTestId('review-state').getAttribute('data-state')).toBe('approved');
      const r = await reviewOf('carol', ids.aliceSudo);
      expect(r.review.approvals.map((a) => a.user).sort()).toEqual(['bob', 'carol']);
    });

    it('flag → discuss → resolve, and the actor cannot resolve', async () => {
      const carol = await pageOf('carol');
      await carol.goto(`/sessions/${ids.bobSu}`);
      await carol.getByTestId('review-comment').waitFor();
      expect(await carol.getByTestId('flag-button').isDisabled()).toBe(true); // a flag needs a comment
      await carol.getByTestId('review-comment').fill('sudo -i and su - in one session: which ticket?');
      await carol.getByTestId('flag-button').click();
      await expect.poll(async () => carol.getByTestId('review-state').getAttribute('data-state')).toBe('flagged');

      const alice = await pageOf('alice');
      await alice.goto(`/sessions/${ids.bobSu}`);
      await alice.getByTestId('review-comment').fill('CHG-4711, the certificate renewal');
      await alice.getByTestId('comment-general-submit').click();
      await expect.poll(async () => alice.getByTestId('general-comments').innerText()).toContain('CHG-4711');

      const bob = await pageOf('bob');
      await bob.goto(`/sessions/${ids.bobSu}`);
      await bob.getByTestId('review-comment').fill('it was fine');
      expect(await bob.getByTestId('resolve-button').isDisabled()).toBe(true);
      expect(await bob.getByTestId('review-why-not').innerText()).toMatch(/you acted in this session/);

      await alice.reload();
      await alice.getByTestId('review-comment').fill('covered by CHG-4711');
      await alice.getByTestId('resolve-button').click();
      await expect.poll(async () => alice.getByTestId('review-state').getAttribute('data-state')).toBe('needs_review');
      const actions = (await reviewOf('alice', ids.bobSu)).actions.filter((a) => a.action !== 'view').map((a) => `${a.action}:${a.user}`);
      expect(actions).toEqual(['flag:carol', 'comment:alice', 'resolve:alice']);
    });

    it('replays the tlog recording in the player', async () => {
      const page = await pageOf('carol');
      await page.goto(`/sessions/${ids.daveTlog}`);
      await page.getByTestId('player-load').click();
      await page.getByTestId('player').waitFor({ timeout: 20_000 });
      await page.getByTestId('player-speed').selectOption('4');
      await page.getByTestId('player-play').click();
      await expect.poll(async () => page.getByTestId('player-terminal').innerText(), { timeout: 30_000 }).toContain('hello-tlog');
      await screenshot(page, 'player');
      const r = await reviewOf('carol', ids.daveTlog);
      expect(r.actions.some((a) => a.action === 'replay' && a.user === 'carol')).toBe(true);
    });

    it('an approved session that changes goes back to the queue, and the page says so', async () => {
      const bob = await pageOf('bob');
      const carol = await pageOf('carol');
      for (const p of [bob, carol]) {
        const r = (await api<ReviewJson>(p, `/api/v1/sessions/${ids.aliceOpen}/review`)).body;
        expect((await api(p, `/api/v1/sessions/${ids.aliceOpen}/approve`, { method: 'POST', body: { digest: r.review.digest } })).status).toBe(201);
      }
      expect((await reviewOf('bob', ids.aliceOpen)).review.state).toBe('approved');
      // alice logs out of the session left open: sshd and PAM log its end, and the session changes.
      await run!.closeOpenSessions();
      await waitUntil(async () => (await reviewOf('bob', ids.aliceOpen)).review.changedSinceApproval, 60_000, 'the open session to change');
      await bob.goto(`/sessions/${ids.aliceOpen}`);
      await bob.getByTestId('changed-since-approval').waitFor();
      expect(await bob.getByTestId('review-state').getAttribute('data-state')).toBe('needs_review');
      await bob.goto('/?state=needs_review');
      await bob.getByTestId('queue-row').first().waitFor();
      const row = bob.locator(`[data-testid="queue-row"][data-session-id="${ids.aliceOpen}"]`);
      await row.waitFor();
      expect(await row.getByTestId('changed-mark').count()).toBe(1);
    });

    it('a viewer reads but cannot act; every look is in the log with its proof', async () => {
      const vic = await pageOf('vic');
      await vic.goto(`/sessions/${ids.aliceSudo}`);
      await vic.getByTestId('timeline-line').first().waitFor();
      expect(await vic.getByTestId('approve-button').isDisabled()).toBe(true);
      const r = await reviewOf('vic', ids.aliceSudo);
      expect((await api(vic, `/api/v1/sessions/${ids.aliceSudo}/comments`, { method: 'POST', body: { body: 'x' } })).status).toBe(403);
      expect(r.actions.filter((a) => a.action === 'view').map((a) => a.user)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'vic']));
      // A checkpoint on demand covers the latest actions; the page checks the proof against it.
      expect(runCli(['checkpoint', '--data', server.dataDir]).status).toBe(0);
      await vic.reload();
      await vic.getByTestId('history-proof').first().click();
      await vic.getByTestId('proof-dialog').waitFor();
      await vic.getByTestId('proof-verdict').waitFor();
      expect(await vic.getByTestId('proof-verdict').getAttribute('data-ok')).toBe('true');
      const proof = await vic.getByTestId('proof-text').innerText();
      expect(proof).toMatch(/"index": \d+/);
      expect(proof).toMatch(/"checkpoint"/);
    });

    it('the browser is a witness: a log that shrank since the last visit raises the red banner', async () => {
      const vic = await pageOf('vic');
      await vic.goto('/');
      await expect.poll(async () => vic.getByTestId('log-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
      expect(await vic.getByTestId('witness-banner').count()).toBe(0);
      // Pretend this browser once saw a bigger tree: the server's log is now "smaller" than that.
      await vic.evaluate(() => {
        const localStorage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null; setItem(k: string, v: string): void } }).localStorage;
        for (let i = 0; i < localStorage.length; i++) {
          const k = localStorage.key(i)!;
          const v = localStorage.getItem(k)!;
          if (!v.includes('"size"')) continue;
          const o = JSON.parse(v) as Record<string, unknown> & { size: number };
          localStorage.setItem(k, JSON.stringify({ ...o, size: o.size + 1000 }));
        }
      });
      await vic.reload();
      await vic.getByTestId('witness-banner').waitFor({ timeout: 20_000 });
      expect(await vic.getByTestId('witness-banner').innerText()).toMatch(/rollback|rolled back|smaller/i);
      await screenshot(vic, 'witness-banner');
      for (const w of Object.values(pages)) expect(w!.errors.filter((e) => !/40[1349]|409/.test(e))).toEqual([]);
    });
  });
});
