/**
 * Settings › Sessions in real Chromium over real HTTP: a member signed in from a laptop and a
 * phone (two browser contexts) sees both devices, this one marked, signs the phone out — and the
 * phone is signed out; then, from the phone, signs out every other session. axe at 1280 and 390 px,
 * a screenshot of each in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sessions } from '../../db/schema';
import { createTestApp, type TestApp } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';

const ARTIFACTS = 'test-artifacts';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const EMAIL = 'devices@sessions.test';
const PASSWORD = 'correct horse battery';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const IPAD_SAFARI =
  'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.skipIf(!chromiumAvailable)('sessions in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now });
    const client = t.client();
    await client.signup(EMAIL, PASSWORD, 'Dana Devices', { workspaceName: 'Devices' });
    // Only the browsers below are signed in.
    await client.post('/api/auth/logout');
    server = await serveApp(t.app);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });

  const url = (path: string) => `${server.base}${path}`;

  async function newPage(viewport: { width: number; height: number }, userAgent: string): Promise<Page> {
    const context = await browser.newContext({ viewport, userAgent });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A signed-out device's first request is a 401 before it is sent to sign in: expected here.
      const expected = /status of 401/.test(message.text()) || message.location().url.endsWith('/favicon.ico');
      if (message.type() === 'error' && !expected) problems.push(`console error: ${message.text()}`);
    });
    return page;
  }

  async function signIn(page: Page) {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/app/funnels'));
  }

  async function openSessions(page: Page) {
    await page.goto(url('/app/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Sessions' }).click();
    await page.waitForURL(url('/app/settings/sessions'));
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
  }

  async function expectAccessible(page: Page) {
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  const rows = (page: Page) => page.locator('table tbody tr');

  it('lists both devices, signs the other one out, and that device is signed out', async () => {
    const phone = await newPage(PHONE, IPHONE_SAFARI);
    await signIn(phone);
    const laptop = await newPage(DESKTOP, LINUX_CHROME);
    await signIn(laptop);

    await openSessions(laptop);
    await expect(rows(laptop).count()).resolves.toBe(2);
    const current = laptop.getByRole('row', { name: /Chrome on Linux/ });
    await expect(current.getByText('This device').isVisible()).resolves.toBe(true);
    await expect(current.getAttribute('aria-current')).resolves.toBe('true');
    const other = laptop.getByRole('row', { name: /Safari on iPhone/ });
    await expect(other.getByText('This device').count()).resolves.toBe(0);
    await expect(other.getByRole('cell', { name: 'Just now', exact: true }).count()).resolves.toBe(2);
    await expectAccessible(laptop);
    await laptop.screenshot({ path: `${ARTIFACTS}/settings-sessions.png`, fullPage: true });

    // Asked first; cancelling changes nothing.
    await other.getByRole('button', { name: /^Sign out Safari on iPhone/ }).click();
    const dialog = laptop.getByRole('dialog');
    await dialog.getByText('Sign out Safari on iPhone?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(rows(laptop).count()).resolves.toBe(2);

    await other.getByRole('button', { name: /^Sign out Safari on iPhone/ }).click();
    await dialog.getByRole('button', { name: 'Sign out device' }).click();
    await laptop.locator('.toast').filter({ hasText: 'Safari on iPhone signed out' }).waitFor();
    await other.waitFor({ state: 'detached' });
    await expect(rows(laptop).count()).resolves.toBe(1);
    await laptop.getByText('You are signed in on this device only.').waitFor();

    // The phone's next request finds its session gone: back to sign-in, coming back to where it was.
    await phone.goto(url('/app/leads'));
    await phone.waitForURL(/\/login\?next=/);
    expect(new URL(phone.url()).searchParams.get('next')).toBe('/app/leads');
    // The laptop stays signed in.
    await laptop.reload();
    await laptop.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
  });

  it('signs out every other session from the phone at 390 px', async () => {
    // Whatever the test before left signed in: this one starts from none.
    await t.database.db.delete(sessions);
    const laptop = await newPage(DESKTOP, LINUX_CHROME);
    await signIn(laptop);
    const phone = await newPage(PHONE, IPHONE_SAFARI);
    await signIn(phone);
    const tablet = await newPage(DESKTOP, IPAD_SAFARI);
    await signIn(tablet);
    await openSessions(phone);
    await expect(rows(phone).count()).resolves.toBe(3);
    await expect(
      phone
        .getByRole('row', { name: /Safari on iPhone/ })
        .getByText('This device')
        .isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(phone);
    await phone.screenshot({ path: `${ARTIFACTS}/settings-sessions-phone.png`, fullPage: true });

    await phone.getByRole('button', { name: 'Sign out all other sessions' }).click();
    const dialog = phone.getByRole('dialog');
    await dialog.getByText('Sign out all 2 other sessions?').waitFor();
    await dialog.getByRole('button', { name: 'Sign out other sessions' }).click();
    await phone.locator('.toast').filter({ hasText: '2 other sessions signed out' }).waitFor();
    await expect(rows(phone).count()).resolves.toBe(1);

    for (const other of [laptop, tablet]) {
      await other.goto(url('/app/funnels'));
      await other.waitForURL(/\/login\?next=/);
    }
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
  });
});
