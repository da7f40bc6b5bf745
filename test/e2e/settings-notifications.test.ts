/**
 * Settings › Notifications in real Chromium over real HTTP: the "Email me when a new lead arrives"
 * switch is off by default, turns on with a toast and stays on after a reload, and a new lead then
 * reaches the member as a notification in the outbox (with the link to the lead); a viewer sets
 * their own. axe at 1280 and 390 px, a screenshot of each in test-artifacts/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { linkIn, mailTo } from '../support/outbox';
import { waitFor } from '../support/wait';

const DESKTOP = { width: 1280, height: 900 };
const OWNER = 'owner@notify.test';
const VIEWER = 'viewer@notify.test';
const PASSWORD = 'correct horse battery';

describe.skipIf(!chromiumAvailable)('notification settings in Chromium', { timeout: 120_000 }, () => {
  const b = useBrowserApp();
  const url = b.url;
  const newPage = (viewport: { width: number; height: number }) => b.newPage({ viewport });
  const signIn = (page: Page, email: string) => b.signIn(page, email, PASSWORD);
  let apiKey: string;
  let workspaceId: string;

  beforeAll(async () => {
    const owner = b.t.client();
    ({ workspaceId } = await owner.signup(OWNER, PASSWORD, 'Nora Owner', { workspaceName: 'Northwind' }));
    apiKey = ((await (await owner.post('/api/workspace/api-keys', { name: 'Store' })).json()) as { key: string }).key;
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'viewer' })).json()) as { token: string };
    const viewer = b.t.client();
    await viewer.signup(VIEWER, PASSWORD, 'Vic Viewer', { workspaceName: 'Vic’s own' });
    expect((await viewer.post(`/api/invitations/${token}/accept`)).status).toBe(201);
  });

  async function openNotifications(page: Page) {
    await page.goto(url('/app/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(url('/app/settings/notifications'));
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
  }

  const notificationsTo = async (to: string) => (await mailTo(b.t.database, to)).filter((m) => m.kind === 'new_lead_notification');

  async function storeEvent(email: string, name: string) {
    const res = await b.t.client().request('/api/v1/events', {
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
    await b.expectAccessible(page, page.url());

    await toggle.check();
    await page.getByText('You will be emailed about new leads in Northwind').waitFor();
    await expect(toggle.isChecked()).resolves.toBe(true);
    await page.screenshot({ path: `${b.artifacts}/settings-notifications.png`, fullPage: true });

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
    await page.goto(leadLink.replace(/^https?:\/\/[^/]+/, url('')));
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
    await b.expectAccessible(page, page.url());
    await page.screenshot({ path: `${b.artifacts}/settings-notifications-390.png`, fullPage: true });
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
