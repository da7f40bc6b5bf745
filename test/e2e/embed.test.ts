import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { publishLeadFormFunnel } from '../support/fixtures';

describe.skipIf(!chromiumAvailable)('embeddable form on another site, in Chromium', () => {
  let t: TestApp;
  let app: Awaited<ReturnType<typeof serveApp>>;
  let shop: Server;
  let shopOrigin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0 } });
    await seedDemo(t.database, { clock: t.deps.clock }); // on the app's clock, which is real time here, as the browser's
    app = await serveApp(t.app);
    const owner = t.client();
    await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    const { pageId } = await publishLeadFormFunnel(owner);
    // The "shop" is another origin (localhost vs 127.0.0.1) serving a page with the snippet.
    shop = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><html lang="en"><head><title>Shop</title><style>input{background:red!important}</style></head><body><h1>Our shop</h1>
        <script src="${app.base}/embed.js" data-form="${pageId}.signup" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, 'localhost', resolve));
    shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
    const settings = await owner.request('/api/workspace/settings', { method: 'PATCH', json: { allowedOrigins: [shopOrigin] } });
    expect(settings.status).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => shop?.close(r));
    await app?.close();
    t?.close();
  });

  it('renders in a shadow root, shows field errors, and stores the lead', async () => {
    const page = await browser.newPage();
    await page.goto(`${shopOrigin}/?utm_source=shopify`);
    const email = page.getByLabel('Email *');
    await email.waitFor();
    // The shop's CSS does not reach into the shadow root.
    expect(await email.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgb(255, 0, 0)');
    await email.fill('nope');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect(page.getByText('Enter a valid email address.').waitFor()).resolves.toBeUndefined();
    expect(await email.getAttribute('aria-invalid')).toBe('true');

    await email.fill('shopper@example.com');
    await page.getByLabel('Name').fill('<script>alert(1)</script>');
    await page.getByRole('checkbox').check();
    let dialog = false;
    page.on('dialog', () => (dialog = true));
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('status').waitFor();
    const leads = await t.database.db.all<{ email: string; name: string; fields: string }>(
      sql`select email, name, fields from leads where email = 'shopper@example.com'`,
    );
    expect(leads).toEqual([
      { email: 'shopper@example.com', name: '<script>alert(1)</script>', fields: JSON.stringify({ source: 'shopify' }) },
    ]);
    expect(dialog).toBe(false);
    await page.close();
  });
});
