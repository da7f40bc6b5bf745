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
import { leadFormPage } from '../support/fixtures';
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

  /** A funnel of the demo owner with pages named A, B, C, … in that order (A published); returns its id. */
  async function funnelWithPages(slug: string, names: string[]): Promise<string> {
    const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: `Funnel ${slug}`, slug } })).json();
    for (const name of names) {
      const page = await (
        await owner.rpc.api.funnels[':id'].pages.$post({
          param: { id: funnel.id },
          json: { slug: name.toLowerCase(), name, kind: 'custom', content: leadFormPage({ title: name }) },
        })
      ).json();
      if (name === names[0]) await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id } });
    }
    return funnel.id;
  }

  async function serverOrder(funnelId: string): Promise<string[]> {
    const funnel = await (await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } })).json();
    return funnel.pages.map((p) => p.name);
  }

  const rowNames = (page: Page) => page.locator('.funnel-page .page-name').allTextContents();

  it('reorders pages by drag and by keyboard, announces each move and keeps the order the server saved', async () => {
    const funnelId = await funnelWithPages('reorder', ['Alpha', 'Bravo', 'Charlie', 'Delta']);
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    await page.locator('.funnel-page').first().waitFor();

    // Keyboard: Alt+↓ twice on Alpha's handle, then Alt+↑ once on Delta's.
    const alphaHandle = page.getByRole('button', { name: /^Reorder “Alpha”/ });
    await alphaHandle.focus();
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+ArrowDown');
    expect(await rowNames(page)).toEqual(['Bravo', 'Charlie', 'Alpha', 'Delta']);
    await expect(page.locator('[role="status"][aria-live="assertive"]').textContent()).resolves.toBe('Alpha moved to position 3 of 4.');
    // Focus stays on the moved page's handle, so the next press moves it again.
    await waitFor(
      () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''),
      (label) => label.startsWith('Reorder “Alpha”, position 3 of 4'),
      { what: 'the focus on the moved handle' },
    );
    await page.getByRole('button', { name: /^Reorder “Delta”/ }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    expect(await rowNames(page)).toEqual(['Bravo', 'Charlie', 'Delta', 'Alpha']);
    await waitFor(
      () => serverOrder(funnelId),
      (o) => o.join() === 'Bravo,Charlie,Delta,Alpha',
      { what: 'the keyboard order on the server' },
    );

    // Drag: Alpha's handle onto the top half of Bravo's row.
    await page
      .getByRole('button', { name: /^Reorder “Alpha”/ })
      .dragTo(page.locator('.funnel-page').first(), { targetPosition: { x: 200, y: 5 } });
    await waitFor(
      () => rowNames(page),
      (o) => o.join() === 'Alpha,Bravo,Charlie,Delta',
      { what: 'the dragged order on screen' },
    );
    await waitFor(
      () => serverOrder(funnelId),
      (o) => o.join() === 'Alpha,Bravo,Charlie,Delta',
      { what: 'the dragged order on the server' },
    );

    // The move menu does the same without a shortcut.
    await page.getByRole('button', { name: 'More actions for “Charlie”' }).click();
    await page.getByRole('button', { name: 'Move down' }).click();
    await waitFor(
      () => serverOrder(funnelId),
      (o) => o.join() === 'Alpha,Bravo,Delta,Charlie',
      { what: 'the menu move on the server' },
    );

    await page.reload();
    await page.locator('.funnel-page').first().waitFor();
    expect(await rowNames(page)).toEqual(['Alpha', 'Bravo', 'Delta', 'Charlie']);
    await context.close();
  });

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

  /** Nothing on the page is wider than the viewport: no sideways scrolling on a phone. */
  async function expectNoHorizontalOverflow(page: Page) {
    const size = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(size.scrollWidth).toBeLessThanOrEqual(size.viewport);
  }

  it('fits a 390 px phone without sideways scrolling', async () => {
    const funnelId = await funnelWithPages('phone', ['Welcome', 'Offer with a rather long page name for a phone', 'Thanks']);
    const { context, page } = await signedIn(DEMO.email, DEMO.password, { width: 390, height: 844 });
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    await page.locator('.funnel-page').first().waitFor();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'funnel-page-390');
    await context.close();
  });

  it('shows a viewer every funnel control disabled, with the note why', async () => {
    const funnelId = await funnelWithPages('viewer', ['Start', 'Finish']);
    const { context, page } = await signedIn(VIEWER.email, VIEWER.password);
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    await page.locator('.funnel-page').first().waitFor();
    await expect(page.getByText('You are a viewer in Demo Shop').isVisible()).resolves.toBe(true);
    for (const name of ['Add page', 'Delete funnel…', 'Save']) {
      await expect(page.getByRole('button', { name, exact: true }).isDisabled(), name).resolves.toBe(true);
    }
    await expect(page.getByRole('button', { name: /^Reorder “Start”/ }).isDisabled()).resolves.toBe(true);
    await expect(page.getByLabel('Counts as').first().isDisabled()).resolves.toBe(true);
    await expect(page.getByLabel('Name', { exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('switch', { name: 'Cookieless mode' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'More actions for “Start”' }).click();
    await expect(page.getByRole('button', { name: 'Delete page…' }).isDisabled()).resolves.toBe(true);
    await shot(page, 'funnel-page-viewer');
    await expectAxeClean(page);
    await context.close();
  });
});
