// The review UI as a browser first meets it: the real built server (`countersign serve` from dist/, with the
// UI that `npm run build` put in dist/web) in its own process, and Debian's Chromium opening /login. The
// page must render its form, every page must carry the CSP, the built page must hold no inline script,
// hashed assets must be cacheable and pages not, and the console must stay free of errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithBrowser, launchBrowser, screenshot, watchedPage } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/countersign.js';

describeWithBrowser('the web UI in Chromium (smoke)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the built page with a CSP, without inline script, never cached', async () => {
    for (const path of ['/', '/login', '/sessions/1']) {
      const res = await fetch(server.url(path));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      const csp = res.headers.get('content-security-policy');
      expect(csp, `${path} has a Content-Security-Policy`).toBeTruthy();
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const html = await res.text();
      // Every <script> has a src: the CSP forbids inline scripts, and the page must not need one.
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="\/assets\//);
        expect(body?.trim()).toBe('');
      }
    }
    const html = await (await fetch(server.url('/login'))).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (asset === undefined) throw new Error('no script asset in the page');
    const res = await fetch(server.url(asset));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('opens /login in Chromium: the form renders and the console stays clean', async () => {
    const { page, errors, context } = await watchedPage(browser, server.url('/'));
    try {
      const res = await page.goto('/login');
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toBeTruthy();
      await page.getByTestId('login-form').waitFor();
      await expect(page.getByTestId('login-name').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('login-password').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('login-submit').isEnabled()).resolves.toBe(true);
      expect(await page.title()).toBe('Countersign');
      await screenshot(page, 'login');

      // A page address while signed out comes back to the login page, remembering where it was going.
      await page.goto('/sessions/42');
      await page.getByTestId('login-form').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/sessions/42');

      // A wrong password is refused with a message, on the page.
      await page.getByTestId('login-name').fill('nobody');
      await page.getByTestId('login-password').fill('not the password');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
