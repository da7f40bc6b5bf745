import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';

describe.skipIf(!chromiumAvailable)('sign-in in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ demoLogin: { email: DEMO.email, password: DEMO.password } });
    await seedDemo(t.database, { clock: t.clock.now });
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  it('signs the demo user in to the app, moves the demo deal on the pipeline board, and signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    expect(page.url()).toBe(`${server.base}/login`);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The app opens on the funnel list; the board is a view of it.
    await page.waitForURL(`${server.base}/app/funnels`);
    await page.getByRole('heading', { level: 1, name: 'Funnels' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('link', { name: 'Demo B2C e-commerce pipeline - 1', exact: true }).click();
    await page.waitForURL(/\/app\/pipelines\//);

    // Move the deal on the board by keyboard and find it in the new column.
    await page.locator('.deal-card', { hasText: 'Cosmetics set - Ava Smith' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    const column = page.getByRole('region', { name: 'Lead qualification', exact: true });
    await column.locator('.deal-card', { hasText: 'Cosmetics set - Ava Smith' }).waitFor();
    await expect(column.locator('.board-col-meta').textContent()).resolves.toMatch(/^1 deal · \$250\.00/);

    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'lf_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.base}/login`);
    await page.goto(`${server.base}/app`);
    expect(page.url()).toBe(`${server.base}/login?next=/app`);
    await page.close();
  });

  it('shows a field message when the email is invalid', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill('nope');
    await page.getByLabel('Password').fill('x');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Enter a valid email address.').isVisible()).resolves.toBe(true);
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await page.close();
  });

  it('draws the account pages under their strict CSP: styled, no script, nothing refused in the console', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // HTTP statuses are logged as errors too (the 400 of the refused form, the missing favicon): not a refusal.
      if (message.text().startsWith('Failed to load resource')) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    for (const path of ['/login', '/signup']) {
      const res = await page.goto(`${server.base}${path}`);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'none'");
      expect(res?.headers()['permissions-policy']).toContain('camera=()');
      // The inline stylesheet applied, i.e. its hash in the policy matched.
      await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe('rgb(245, 246, 248)');
    }
    await page.getByLabel('Email').fill('nope');
    await page.getByLabel('Password').fill('x');
    await page.getByLabel('Your name').fill('Nope');
    await page.getByLabel('Company or workspace name').fill('Nope Co');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter a valid email address.').waitFor();
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe('rgb(245, 246, 248)');
    expect(problems).toEqual([]);
    await page.close();
  });
});
