// Drives Debian's Chromium (/usr/bin/chromium, installed by .ci/run) with playwright-core for the browser
// tests: launch, a page that collects console errors and uncaught exceptions, sign-in through the real login
// page, and screenshots under test-output/screenshots/. In CI (CI=true) a missing Chromium FAILS the suite;
// elsewhere it skips loudly. It never downloads a browser.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { REPO } from './countersign.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO, 'test-output/screenshots');

export const hasChromium = (): boolean => {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `describe` for suites that need Chromium: fails in CI when it is missing, skips (loudly) elsewhere. */
export function describeWithBrowser(title: string, fn: () => void): void {
  if (hasChromium()) {
    describe(title, fn);
    return;
  }
  const message = `missing ${CHROMIUM}: install Debian package chromium`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has Chromium', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPING browser suite "${title}": ${message} (this would FAIL with CI=true) ***\n`);
  describe.skip(title, fn);
}

/** Headless Chromium. --no-sandbox because the tests run as root in a container. */
export const launchBrowser = async (): Promise<Browser> => {
  if (!hasChromium()) throw new Error(`missing ${CHROMIUM}: install Debian package chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
};

export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page exceptions, as text, in order. */
  readonly errors: string[];
  /** Console messages of every type, for debugging a failure. */
  readonly console: string[];
}

export interface WatchOptions {
  /** Console errors that are expected, e.g. the 401 of /api/v1/auth/me before signing in. */
  readonly ignore?: (m: ConsoleMessage) => boolean;
  readonly viewport?: { width: number; height: number };
}

/** The browser logs every failed fetch as a console error; a signed-out visit always has this one. */
export const isSignedOutProbe = (m: ConsoleMessage): boolean => /\/api\/v1\/auth\/me$/.test(m.location().url) && /status of 401/.test(m.text());

/** A fresh context (no cookies, no localStorage) and page on `baseUrl`, recording console errors and page errors. */
export const watchedPage = async (browser: Browser, baseUrl: string, o: WatchOptions = {}): Promise<WatchedPage> => {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: o.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const log: string[] = [];
  page.on('console', (m) => {
    log.push(`${m.type()}: ${m.text()} (${m.location().url})`);
    if (m.type() === 'error' && !(o.ignore ?? isSignedOutProbe)(m)) errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { context, page, errors, console: log };
};

export interface Credentials {
  readonly name: string;
  readonly password: string;
  /** The TOTP code, or a function making one when the login page asks for it. */
  readonly totp?: string | (() => string);
}

/** Where a sign-in ended: a normal page, or a gate the account must pass first. */
export type SignedIn = 'app' | 'change-password' | 'totp-enrol';

/**
 * Signs in through /login as a person would: name and password, then the TOTP code when the page asks for it.
 * Resolves once the app (its top bar) or a first-sign-in gate shows; throws with the page's error text otherwise.
 */
export const signIn = async (page: Page, c: Credentials, o: { next?: string } = {}): Promise<SignedIn> => {
  await page.goto(o.next === undefined ? '/login' : `/login?next=${encodeURIComponent(o.next)}`);
  await page.getByTestId('login-name').fill(c.name);
  await page.getByTestId('login-password').fill(c.password);
  await page.getByTestId('login-submit').click();
  const landed = async (): Promise<SignedIn | 'totp' | 'error'> => {
    const which = await Promise.race([
      page.getByTestId('top-bar').waitFor().then(() => 'top' as const),
      page.getByTestId('login-totp').waitFor().then(() => 'totp' as const),
      page.getByTestId('login-error').waitFor().then(() => 'error' as const),
    ]);
    if (which === 'totp' || which === 'error') return which;
    if (await page.getByTestId('change-password-page').isVisible()) return 'change-password';
    if (await page.getByTestId('totp-enrol-page').isVisible()) return 'totp-enrol';
    return 'app';
  };
  let where = await landed();
  if (where === 'totp') {
    if (c.totp === undefined) throw new Error(`${c.name}: the login page asks for a TOTP code and none was given`);
    await page.getByTestId('login-totp').fill(typeof c.totp === 'string' ? c.totp : c.totp());
    await page.getByTestId('login-submit').click();
    // The TOTP field stays after a wrong code, so wait for the app or an error, not for the field.
    const which = await Promise.race([page.getByTestId('top-bar').waitFor().then(() => 'top' as const), page.getByTestId('login-error').waitFor().then(() => 'error' as const)]);
    where = which === 'error' ? 'error' : await landed();
  }
  if (where === 'error' || where === 'totp') throw new Error(`sign-in of ${c.name} failed: ${(await page.getByTestId('login-error').textContent()) ?? 'no message'}`);
  return where;
};

/** Saves a full-page screenshot as test-output/screenshots/<name>.png and returns its path. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)}: letters, digits, . _ - only`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};
