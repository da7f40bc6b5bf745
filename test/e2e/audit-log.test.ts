/**
 * Settings › Audit log in real Chromium over real HTTP: the owner renames the workspace and
 * creates an API key in the app, an editor moves a deal; the log shows each (who, what, object
 * with a link, when), filters by member and kind of change through the URL, loads older entries,
 * and the editor sees the owners-only note instead. axe at 1280 and 390 px, screenshots in
 * test-artifacts/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import type { TestClient } from '../support/app';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';

const DESKTOP = { width: 1280, height: 900 };
const EDITOR_EMAIL = 'eddie@audit.test';
const PASSWORD = 'correct horse battery';

describe.skipIf(!chromiumAvailable)('the audit log in Chromium', { timeout: 180_000 }, () => {
  const b = useBrowserApp();
  const url = b.url;
  let editor: TestClient;
  let dealId: string;

  beforeAll(async () => {
    await seedDemo(b.t.database, { clock: b.t.deps.clock });
    const owner = b.t.client();
    await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    const invite = (await (await owner.post('/api/workspace/invitations', { role: 'editor' })).json()) as { token: string };
    editor = b.t.client();
    await editor.signup(EDITOR_EMAIL, PASSWORD, 'Eddie Editor', { inviteToken: invite.token });
    await owner.post('/api/auth/logout');
    const [deal] = await b.t.database.db.all<{ id: string; stage_id: string }>(
      sql`select d.id, s.id as stage_id from deals d join pipeline_stages s on s.pipeline_id = d.pipeline_id and s.id <> d.stage_id and s.kind = 'open' limit 1`,
    );
    dealId = deal!.id;
    const moved = await editor.request(`/api/deals/${dealId}/move`, { method: 'POST', json: { stageId: deal!.stage_id } });
    expect(moved.status).toBe(200);
  });

  async function signedIn(viewport: { width: number; height: number }, email: string, password: string): Promise<Page> {
    const page = await b.newPage({ viewport });
    await b.signIn(page, email, password);
    return page;
  }

  async function settled(page: Page) {
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
  }

  async function openAuditLog(page: Page) {
    await page.goto(url('/app/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(url('/app/settings/audit-log'));
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await settled(page);
  }

  const expectAccessible = (page: Page) => b.expectAccessible(page, page.url());

  const rows = (page: Page) => page.locator('table.audit-table tbody tr');

  it('shows the changes made in the app and by another member, filters them through the URL, and links to the objects', async () => {
    const page = await signedIn(DESKTOP, DEMO.email, DEMO.password);

    // Two changes in the app.
    await page.goto(url('/app/settings'));
    await page.getByLabel('Workspace name').fill('Demo Shop EU');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Workspace renamed').waitFor();
    await page.goto(url('/app/settings/api-keys'));
    await page.getByLabel('Name').fill('Shopify');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('region', { name: 'Your new API key' }).waitFor();

    await openAuditLog(page);
    const table = page.locator('table.audit-table');
    await table.waitFor();
    const first = rows(page).first();
    await expect(first.innerText()).resolves.toMatch(/Demo Marketer[\s\S]*Created an API key[\s\S]*api_key\.create[\s\S]*API key/);
    await expect(rows(page).nth(1).innerText()).resolves.toMatch(/Renamed the workspace[\s\S]*fields: name/);
    await expect(table.innerText()).resolves.toMatch(/Eddie Editor[\s\S]*Moved a deal/);
    await expect(table.innerText()).resolves.toContain('Signed in');
    // When: relative, the exact time on hover, machine-readable.
    const when = first.locator('time');
    await expect(when.innerText()).resolves.toBe('just now');
    await expect(when.getAttribute('title')).resolves.toMatch(/\d{1,2}:\d{2}:\d{2}/);
    await expectAccessible(page);
    await page.screenshot({ path: `${b.artifacts}/settings-audit-log.png`, fullPage: true });

    // Filters live in the URL: one member, one kind of change.
    await page.getByLabel('Kind of change').selectOption('deal');
    await page.waitForURL(/\/app\/settings\/audit-log\?group=deal$/);
    await settled(page);
    await page.waitForFunction(() => document.querySelectorAll('table.audit-table tbody tr').length === 1);
    await expect(rows(page).first().innerText()).resolves.toMatch(/Eddie Editor[\s\S]*Moved a deal[\s\S]*deal\.move/);
    const memberSelect = page.getByLabel('Member');
    await memberSelect.selectOption({ label: 'Demo Marketer' });
    await page.waitForURL(/group=deal/);
    await page.waitForURL(/member=/);
    await page.getByText('Nothing matches these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL(url('/app/settings/audit-log'));
    await table.waitFor();

    // A reload of a filtered URL shows the same list; the object links to its page.
    await page.goto(url('/app/settings/audit-log?group=deal'));
    await settled(page);
    await expect(page.getByLabel('Kind of change').inputValue()).resolves.toBe('deal');
    await rows(page).first().getByRole('link', { name: /Deal/ }).click();
    await page.waitForURL(url(`/app/deals/${dealId}`));

    // The CSV link carries the filters.
    await page.goto(url('/app/settings/audit-log?group=api_key'));
    await settled(page);
    const href = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
    expect(href).toMatch(/^\/api\/audit\/export\?action=api_key&workspace=/);
    const csv = await page.evaluate(async (h) => (await fetch(h!)).text(), href);
    expect(csv.split('\r\n')[1]).toContain('api_key.create');
  });

  it('loads older entries on demand, and works on a phone', async () => {
    // More than a page: 60 changes through the API by the editor.
    for (let i = 0; i < 60; i++) {
      const res = await editor.request(`/api/deals/${dealId}`, { method: 'PATCH', json: { name: `Cosmetics set ${i}` } });
      expect(res.status).toBe(200);
    }
    const page = await signedIn(PHONE, DEMO.email, DEMO.password);
    await page.goto(url('/app/settings/audit-log'));
    await settled(page);
    await page.locator('table.audit-table').waitFor();
    await expect(rows(page).count()).resolves.toBe(50);
    await page.screenshot({ path: `${b.artifacts}/settings-audit-log-phone.png` });
    await page.getByRole('button', { name: 'Load 50 older entries' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.audit-table tbody tr').length > 50);
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await expectAccessible(page);
  });

  it('tells editors the log is for owners', async () => {
    const page = await signedIn(DESKTOP, EDITOR_EMAIL, PASSWORD);
    await page.goto(url('/app/settings/audit-log'));
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByText('Only owners read the audit log.').waitFor();
    await expect(page.locator('table.audit-table').count()).resolves.toBe(0);
    await expectAccessible(page);
  });
});
