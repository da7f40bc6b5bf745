/**
 * Cookieless mode in real Chromium: a visitor opens the demo funnel's landing page, reads it,
 * opens the quiz and the guide, and sends the guide's form; afterwards the landing origin has
 * no cookie, nothing in localStorage or sessionStorage, no IndexedDB database and no Cache
 * Storage — and the lead still arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { workspaces } from '../../db/schema';
import { seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { waitFor } from '../support/wait';

const FUNNEL = '/p/cosmetics-set';

async function deviceStorage(page: Page) {
  return page.evaluate(async () => ({
    cookie: document.cookie,
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
  }));
}

describe.skipIf(!chromiumAvailable)('cookieless mode in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0, ratePerWindow: 1_000 } });
    const { workspaceId } = await seedDemo(t.database, { clock: t.deps.clock });
    await t.database.db
      .update(workspaces)
      .set({ settings: { cookieless: true } })
      .where(eq(workspaces.id, workspaceId));
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  it('leaves no cookie, web storage, IndexedDB or cache on the device, and the lead still arrives', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${server.base}${FUNNEL}?utm_source=newsletter`);
    await expect.poll(() => page.evaluate(() => document.documentElement.hasAttribute('data-lf-cookieless'))).toBe(true);
    await page.mouse.wheel(0, 2000);
    await page.goto(`${server.base}${FUNNEL}/quiz`);
    await page.goto(`${server.base}${FUNNEL}/guide`);
    const form = page.locator('form').filter({ has: page.locator('input[name="_block"][value="ebook"]') });
    await form.locator('input[name="name"]').fill('Cookie Less');
    await form.locator('input[name="email"]').fill('cookieless@example.com');
    await form.locator('input[name="consent"]').check();
    await Promise.all([
      page.waitForURL((u) => u.pathname !== `${FUNNEL}/guide` || u.search !== ''),
      form.locator('button[type="submit"]').click(),
    ]);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

    const leads = async () =>
      Number((await t.database.db.all<{ n: number }>(sql`select count(*) as n from leads where email = 'cookieless@example.com'`))[0]!.n);
    expect(await waitFor(leads, (n) => n === 1)).toBe(1);
    expect(await context.cookies(server.base)).toEqual([]);
    expect(await deviceStorage(page)).toEqual({ cookie: '', localStorage: 0, sessionStorage: 0, indexedDB: [], caches: [] });
    expect(problems).toEqual([]);
    await context.close();
  });
});
