/**
 * The lead page's privacy actions in Chromium: "Export data" downloads the lead's JSON; "Erase
 * personal data" asks for the email or ERASE, erases, toasts, and the page shows the lead as erased.
 * axe at 1280 and 390 px; screenshots in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { fillAndPost, FUNNEL } from '../support/landing';

const ARTIFACTS = 'test-artifacts';

describe.skipIf(!chromiumAvailable)('a lead’s privacy actions in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let leadId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0, ratePerWindow: 1_000 } });
    await seedDemo(t.database, { clock: t.deps.clock });
    const { res } = await fillAndPost(t, t.client(), `${FUNNEL}/guide`, 'ebook', {
      name: 'Rosa Privacy',
      email: 'rosa@privacy.test',
      consent: 'yes',
    });
    expect(res.status).toBe(303);
    leadId = String((await t.database.client.execute(`select id from leads where email = 'rosa@privacy.test'`)).rows[0]!.id);
    server = await serveApp(t.app);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  it('exports the lead, then erases it after the email is typed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\//);
    await page.goto(`${server.base}/app/leads/${leadId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rosa Privacy');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^lead-.+\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { lead: { email: string } };
    expect(exported.lead.email).toBe('rosa@privacy.test');

    await page.getByRole('button', { name: 'Erase personal data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase this lead’s personal data?' });
    const confirmButton = dialog.getByRole('button', { name: 'Erase personal data' });
    await expect.poll(() => confirmButton.isDisabled()).toBe(true);
    await dialog.getByLabel('Type rosa@privacy.test or ERASE to confirm').fill('ROSA@privacy.test');
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/lead-erase-dialog.png` });
    await confirmButton.click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Personal data erased' }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Erased lead');
    expect(await page.getByText(/personal data was erased on/).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Erase personal data' }).count()).toBe(0);
    expect(await page.content()).not.toContain('Rosa');
    await page.setViewportSize({ width: 390, height: 844 });
    const narrow = await seriousViolations(page);
    expect(narrow, formatViolations(narrow)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/lead-erased-390.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
