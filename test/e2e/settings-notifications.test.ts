/**
 * Settings › Notifications in real Chromium over real HTTP: the "Email me when a new lead arrives"
 * switch is off by default, turns on with a toast and stays on after a reload, and a new lead then
 * reaches the member as a notification in the outbox (with the link to the lead); a viewer sets
 * their own. axe at 1280 and 390 px, a screenshot of each in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { linkIn, mailTo } from '../support/outbox';
import { waitFor } from '../support/wait';

const ARTIFACTS = 'test-artifacts';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const OWNER = 'owner@notify.test';
const VIEWER = 'viewer@notify.test';
const PASSWORD = 'correct horse battery';

describe.skipIf(!chromiumAvailable)('notification settings in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let apiKey: string;
  let workspaceId: string;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now });
    const owner = t.client();
    ({ workspaceId } = await owner.signup(OWNER, PASSWORD, 'Nora Owner', { workspaceName: 'Northwind' }));
    apiKey = ((await (await owner.post('/api/workspace/api-keys', { name: 'Store' })).json()) as { key: string }).key;
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'viewer' })).json()) as { token: string };
    const viewer = t.client();
    await viewer.signup(VIEWER, PASSWORD, 'Vic Viewer', { workspaceName: 'Vic’s own' });
    expect((await viewer.post(`/api/invitations/${token}/accept`)).status).toBe(201);
    server = await serveApp(t.app);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.deps.emails.stop?.();
    t?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });

  const url = (path: string) => `${server.base}${path}`;

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`console error: ${message.text()}`);
    });
    return page;
  }

  async function signIn(page: Page, email: string) {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/app/funnels'));
  }

  async function openNotifications(page: Page) {
    await page.goto(url('/app/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(url('/app/settings/notifications'));
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
  }

  async function expectAccessible(page: Page) {
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  const notificationsTo = async (to: string) => (await mailTo(t.database, to)).filter((m) => m.kind === 'new_lead_notification');

  async function storeEvent(email: string, name: string) {
    const res = await t.client().request('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'purchase', email, name, orderId: `#${email}`, amountMinor: 4900, currency: 'USD' }),
    });
    expect(res.status).toBe(202);
  }

  it('is off by default; turning it on saves, says so, survives a reload, and the next new lead is emailed', async () => {
    const page = await newPage(DESKTOP);
    await signIn(page, OWNER);
    await openNotifications(page);
    const toggle = page.getByRole('switch', { name: 'Email me when a new lead arrives' });
    await expect(toggle.isChecked()).resolves.toBe(false);
    await expect(page.getByText(`Sent to ${OWNER}.`, { exact: false }).isVisible()).resolves.toBe(true);
    await expectAccessible(page);

    await toggle.check();
    await page.getByText('You will be emailed about new leads in Northwind').waitFor();
    await expect(toggle.isChecked()).resolves.toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/settings-notifications.png`, fullPage: true });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
    await expect(page.getByRole('switch', { name: 'Email me when a new lead arrives' }).isChecked()).resolves.toBe(true);

    await storeEvent('ada@customer.test', 'Ada Customer');
    const [note] = await waitFor(
      () => notificationsTo(OWNER),
      (n) => n.length === 1 && n[0]!.status === 'sent',
      {
        what: 'the notification to be sent',
      },
    );
    expect(note!.subject).toBe('New lead: Ada Customer');
    const leadLink = linkIn(note!, '/app/leads/');
    // The link opens the lead in the app.
    await page.goto(leadLink.replace(/^https?:\/\/[^/]+/, server.base));
    await page.getByRole('heading', { level: 1, name: /Ada Customer/ }).waitFor();
  });

  it('a viewer sets their own at 390 px (not the workspace’s, so it is not read-only), and turning it off stops the mail', async () => {
    const page = await newPage(PHONE);
    await signIn(page, VIEWER);
    // The viewer's first workspace is their own; switch to Northwind, where they are a viewer.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByLabel('Workspace').selectOption(workspaceId);
    await page.getByText('Switched to Northwind').waitFor();
    await openNotifications(page);
    await expect(page.locator('main').innerText()).resolves.toContain('What Leadflare emails you about Northwind.');
    const toggle = page.getByRole('switch', { name: 'Email me when a new lead arrives' });
    await expect(toggle.isDisabled()).resolves.toBe(false);
    await expectAccessible(page);
    await page.screenshot({ path: `${ARTIFACTS}/settings-notifications-390.png`, fullPage: true });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);

    await toggle.check();
    await page.getByText(/You will be emailed about new leads in/).waitFor();
    await toggle.uncheck();
    await page.getByText(/No more new-lead emails from/).waitFor();
    await storeEvent('bo@customer.test', 'Bo Customer');
    await waitFor(
      () => notificationsTo(OWNER),
      (n) => n.some((m) => m.text.includes('bo@customer.test')),
      { what: 'the owner’s mail' },
    );
    expect((await notificationsTo(VIEWER)).filter((m) => m.text.includes('bo@customer.test'))).toHaveLength(0);
  });
});
