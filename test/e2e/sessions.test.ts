/**
 * Settings › Sessions in real Chromium over real HTTP: a member signed in from a laptop and a
 * phone (two browser contexts) sees both devices, this one marked, signs the phone out — and the
 * phone is signed out; then, from the phone, signs out every other session. axe at 1280 and 390 px,
 * a screenshot of each in test-artifacts/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sessions } from '../../db/schema';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';

const DESKTOP = { width: 1280, height: 900 };
const EMAIL = 'devices@sessions.test';
const PASSWORD = 'correct horse battery';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const IPAD_SAFARI =
  'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.skipIf(!chromiumAvailable)('sessions in Chromium', { timeout: 120_000 }, () => {
  // A signed-out device's first request is a 401 before it is sent to sign in: expected here.
  const b = useBrowserApp({ expectedStatuses: [401] });
  const newPage = (viewport: { width: number; height: number }, userAgent: string) => b.newPage({ viewport, userAgent });
  const signIn = (page: Page) => b.signIn(page, EMAIL, PASSWORD);
  const url = b.url;

  beforeAll(async () => {
    const client = b.t.client();
    await client.signup(EMAIL, PASSWORD, 'Dana Devices', { workspaceName: 'Devices' });
    // Only the browsers below are signed in.
    await client.post('/api/auth/logout');
  });

  async function openSessions(page: Page) {
    await page.goto(url('/app/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Sessions' }).click();
    await page.waitForURL(url('/app/settings/sessions'));
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
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
    await b.expectAccessible(laptop, 'sessions');
    await laptop.screenshot({ path: `${b.artifacts}/settings-sessions.png`, fullPage: true });

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
    await b.t.database.db.delete(sessions);
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
    await b.expectAccessible(phone, 'sessions');
    await phone.screenshot({ path: `${b.artifacts}/settings-sessions-phone.png`, fullPage: true });

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
