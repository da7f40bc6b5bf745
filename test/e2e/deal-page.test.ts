/**
 * The deal page and "My activities" in real Chromium on the demo data: edit a deal and reload to
 * see it kept, won / lost (with the reason) / reopen from the header, move with the stage bar, the
 * lead's journey and submissions, activities created, completed and overdue (red on the deal, listed
 * in My activities), another workspace's deal not shown, a viewer who reads only, axe at 1280 and
 * 390 px and screenshots in test-artifacts/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO } from '../../db/seed';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { json } from '../support/responses';

/** Taller than the harness's default: the deal page's first screen in the screenshots. */
const DESKTOP = { width: 1280, height: 900 };

describe.skipIf(!chromiumAvailable)('the deal page and My activities in Chromium', { timeout: 180_000 }, () => {
  const b = useBrowserApp({ demo: { leads: true }, expectedStatuses: [400, 404] });
  const { url, signIn, viewReady, open, overflow } = b;
  const newPage = (viewport = DESKTOP) => b.newPage({ viewport });
  /** The demo's hand-made deal (no lead) and a deal a qualified demo lead made. */
  let ava: { id: string; pipelineId: string };
  let leadDeal: { id: string; name: string; leadId: string };

  beforeAll(async () => {
    const { deals } = await json(await b.owner.rpc.api.deals.$get({ query: { q: DEMO.deal.name } }), 200);
    ava = deals.find((d) => d.name === DEMO.deal.name)!;
    const withLeads = await json(await b.owner.rpc.api.deals.$get({ query: { limit: '100' } }), 200);
    const made = withLeads.deals.find((d) => d.leadId !== null)!;
    leadDeal = { id: made.id, name: made.name, leadId: made.leadId! };
  });

  async function signUp(page: Page, who: { name: string; email: string; workspace: string }) {
    await b.signUp(page, who);
    await page.waitForURL(url('/app/funnels'));
  }

  /** A deal of its own for a test, in the demo B2C pipeline's first stage. */
  async function newDeal(name: string) {
    return json(await b.owner.rpc.api.deals.$post({ json: { name, pipelineId: ava.pipelineId, valueMinor: 12_000 } }), 201);
  }

  it('edits a deal and keeps it over a reload; shows the server’s message next to its field', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, `/app/deals/${ava.id}`, DEMO.deal.name);
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await crumbs.getByRole('link', { name: DEMO.b2cPipeline }).getAttribute('href')).toBe(`/app/pipelines/${ava.pipelineId}`);

    const form = page.getByRole('form', { name: 'Details' });
    const save = form.getByRole('button', { name: 'Save changes' });
    await expect(save.isDisabled()).resolves.toBe(true);
    await form.getByLabel('Value').fill('310.50');
    await form.getByLabel('Expected close date').fill('2031-03-14');
    await form.getByLabel('Notes').fill('Wants the travel size too.');
    await form.getByLabel('Owner').selectOption({ label: DEMO.name });
    await form.getByText('Unsaved changes').waitFor();
    await save.click();
    await page.locator('.toast', { hasText: 'Deal saved' }).waitFor();
    await page.getByText('$310.50').first().waitFor();

    await page.reload();
    await viewReady(page, DEMO.deal.name);
    await expect(form.getByLabel('Value').inputValue()).resolves.toBe('310.50');
    await expect(form.getByLabel('Expected close date').inputValue()).resolves.toBe('2031-03-14');
    await expect(form.getByLabel('Notes').inputValue()).resolves.toBe('Wants the travel size too.');
    await page.getByText('expected to close Mar 14, 2031').waitFor();

    // The server refuses a value above its limit: its message sits under the field, wired to it.
    await form.getByLabel('Value').fill('999999999999');
    await save.click();
    await form.locator('#deal-value-error').waitFor();
    expect(await form.getByLabel('Value').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Value').getAttribute('aria-describedby')).toContain('deal-value-error');
    await page.screenshot({ path: `${b.artifacts}/deal-field-error-1280.png` });
    await form.getByRole('button', { name: 'Discard' }).click();
    await expect(form.getByLabel('Value').inputValue()).resolves.toBe('310.50');
  });

  it('moves a deal with the stage bar, marks it won, lost with a reason, and reopens it; the history says who and when', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, `/app/deals/${ava.id}`, DEMO.deal.name);
    const bar = page.getByRole('navigation', { name: 'Stage' });
    await bar.getByRole('button', { name: /Move to Lead qualification/ }).click();
    await page.locator('.toast', { hasText: 'Moved to Lead qualification' }).waitFor();
    await bar.locator('[aria-current="step"]', { hasText: 'Lead qualification' }).waitFor();
    const history = page.getByRole('region', { name: 'Stage history' });
    await history.getByText(`from Lead generation`).waitFor();
    await history.getByText(DEMO.name, { exact: false }).first().waitFor();

    await page.getByRole('button', { name: 'Won', exact: true }).click();
    await page.locator('.toast', { hasText: `Won: “${DEMO.deal.name}”` }).waitFor();
    await page.locator('.deal-status-line .status-won').waitFor();
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.locator('.deal-status-line .status-open').waitFor();
    // Back where it was before it was won.
    await bar.locator('[aria-current="step"]', { hasText: 'Lead qualification' }).waitFor();

    await page.getByRole('button', { name: 'Lost', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Mark “${DEMO.deal.name}” as lost` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await dialog.locator('#lost-reason-error').waitFor();
    await dialog.getByLabel('Why was it lost?').fill('Chose a cheaper brand');
    await page.screenshot({ path: `${b.artifacts}/deal-lost-dialog-1280.png` });
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Lost because: Chose a cheaper brand').waitFor();
    await page.reload();
    await viewReady(page, DEMO.deal.name);
    await page.locator('.deal-status-line .status-lost').waitFor();
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.locator('.deal-status-line .status-open').waitFor();
    await bar.locator('[aria-current="step"]', { hasText: 'Lead qualification' }).waitFor();
  });

  it('shows the lead behind a deal: who, first and last touch, stages reached, journey and submissions, linked to the lead', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, `/app/deals/${leadDeal.id}`, leadDeal.name);
    const lead = page.getByRole('region', { name: 'Lead' });
    expect(await lead.getByRole('link').first().getAttribute('href')).toBe(`/app/leads/${leadDeal.leadId}`);
    await page.getByRole('region', { name: 'Attribution' }).getByText('First touch').waitFor();
    const journey = page.getByRole('region', { name: 'Journey' });
    await journey
      .getByRole('list', { name: /Stages reached in/ })
      .first()
      .waitFor();
    expect(await journey.locator('.timeline-item').count()).toBeGreaterThan(0);
    await page.getByRole('region', { name: 'Submissions' }).locator('.submission').first().waitFor();
    await b.expectAccessible(page, 'deal with a lead, 1280');
    await page.screenshot({ path: `${b.artifacts}/deal-page-lead-1280.png`, fullPage: true });
  });

  it('schedules, completes and undoes activities; an overdue one is red on the deal and listed in My activities', async () => {
    const deal = await newDeal('Skincare bundle - Noor Haddad');
    const page = await newPage();
    await signIn(page);
    await open(page, `/app/deals/${deal.id}`, deal.name);
    const panel = page.getByRole('region', { name: 'Activities' });
    const flag = panel.getByRole('note');
    await flag.getByText('No next activity.').waitFor();

    await flag.getByRole('button', { name: 'Schedule one' }).click();
    const dialog = page.getByRole('dialog', { name: `Schedule an activity for “${deal.name}”` });
    await dialog.waitFor();
    await dialog.locator('label', { hasText: 'Meeting' }).click();
    await expect(dialog.getByRole('radio', { name: 'Meeting' }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Add activity' }).click();
    // Said next to the field, before anything is sent.
    await dialog.locator('#activity-subject-error').waitFor();
    await dialog.getByLabel('Subject').fill('Demo the travel kit');
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await dialog.getByLabel('Due date').fill(tomorrow);
    await dialog.getByLabel('Time (optional)').fill('10:30');
    await dialog.getByLabel('Duration').selectOption({ label: '30 min' });
    await page.screenshot({ path: `${b.artifacts}/deal-activity-dialog-1280.png` });
    await dialog.getByRole('button', { name: 'Add activity' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.toast', { hasText: 'Activity added: Demo the travel kit' }).waitFor();
    const todo = panel.getByRole('list', { name: 'To do' });
    await todo.locator('.activity-subject', { hasText: 'Demo the travel kit' }).waitFor();
    await todo.getByText('Tomorrow, 10:30 AM').waitFor();
    await flag.waitFor({ state: 'detached' });

    // One click marks it done (the list below), one more brings it back; kept over a reload.
    await todo.getByLabel('Mark done: Demo the travel kit').click();
    const doneList = panel.getByRole('list', { name: 'Done' });
    await doneList.locator('.activity-subject', { hasText: 'Demo the travel kit' }).waitFor();
    await page.locator('.toast', { hasText: 'Done: Demo the travel kit' }).waitFor();
    await panel.getByRole('note').getByText('No next activity.').waitFor();
    await page.reload();
    await viewReady(page, deal.name);
    await expect(doneList.getByLabel('Done: Demo the travel kit').isChecked()).resolves.toBe(true);
    await doneList.getByLabel('Done: Demo the travel kit').click();
    await todo.locator('.activity-subject', { hasText: 'Demo the travel kit' }).waitFor();

    // Overdue: made through the API with a due time two days ago, shown red and said in words.
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    const overdue = await json(
      await b.owner.rpc.api.activities.$post({
        json: { dealId: deal.id, type: 'call', subject: 'Call Noor back', dueAt: twoDaysAgo, hasTime: true },
      }),
      201,
    );
    await page.reload();
    await viewReady(page, deal.name);
    const late = todo.locator('.activity', { hasText: 'Call Noor back' });
    await late
      .locator('.activity-due.overdue')
      .getByText(/^Overdue/)
      .waitFor();
    expect(await late.locator('.activity-due').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(180, 35, 24)');
    // Open ones soonest first: the overdue call before tomorrow's meeting.
    expect(await todo.locator('.activity-subject').allTextContents()).toEqual([
      expect.stringContaining('Call Noor back'),
      expect.stringContaining('Demo the travel kit'),
    ]);
    await b.expectAccessible(page, 'deal with activities, 1280');
    await page.screenshot({ path: `${b.artifacts}/deal-activities-1280.png`, fullPage: true });

    // My activities: grouped, the overdue call first, linked to its deal, done with one click.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activities' }).click();
    await viewReady(page, 'Activities');
    const overdueGroup = page.getByRole('region', { name: /^Overdue/ });
    const call = overdueGroup.locator('.activity', { hasText: 'Call Noor back' });
    expect(await call.getByRole('link', { name: deal.name }).getAttribute('href')).toBe(`/app/deals/${deal.id}`);
    await call.locator('.activity-due.overdue').waitFor();
    await page
      .getByRole('region', { name: /^Upcoming/ })
      .getByText('Demo the travel kit')
      .waitFor();
    await b.expectAccessible(page, 'my activities, 1280');
    await page.screenshot({ path: `${b.artifacts}/my-activities-1280.png`, fullPage: true });
    await call.getByLabel('Mark done: Call Noor back').click();
    await page.locator('.toast', { hasText: 'Done: Call Noor back' }).waitFor();
    const stored = await json(await b.owner.rpc.api.activities[':id'].$get({ param: { id: overdue.id } }), 200);
    expect(stored.done).toBe(true);

    await page.getByRole('button', { name: 'Everyone’s' }).click();
    await page.waitForURL(url('/app/activities?who=all'));
    await page
      .getByRole('region', { name: /^Upcoming/ })
      .getByText('Demo the travel kit')
      .waitFor();
    await page
      .getByRole('region', { name: /^Upcoming/ })
      .getByRole('link', { name: deal.name })
      .click();
    await viewReady(page, deal.name);
  });

  it('shows a member of another workspace nothing of this one: the deal is not found, their list is empty', async () => {
    const page = await newPage();
    await signUp(page, { name: 'Bea Other', email: 'bea@example.com', workspace: 'Bea Beauty' });
    await open(page, `/app/deals/${ava.id}`, 'Deal not found');
    await page.getByRole('region', { name: 'There is no such deal in this workspace' }).waitFor();
    await expect(page.getByText(DEMO.deal.name).count()).resolves.toBe(0);
    await open(page, '/app/activities?who=all', 'Activities');
    await page.getByRole('region', { name: 'Nothing scheduled for the team' }).waitFor();
    await page.getByRole('button', { name: 'Mine' }).click();
    await page.getByRole('region', { name: 'Nothing on your list' }).waitFor();
    await b.expectAccessible(page, 'my activities empty, 1280');
    await page.screenshot({ path: `${b.artifacts}/my-activities-empty-1280.png` });
  });

  it('lets a viewer read the deal, its activities and lead, with every control disabled', async () => {
    const deal = await newDeal('Night cream - Ola Berg');
    await json(
      await b.owner.rpc.api.activities.$post({
        json: { dealId: deal.id, type: 'email', subject: 'Send the price list', dueAt: Date.now() + 3_600_000, hasTime: true },
      }),
      201,
    );
    const { token } = await json(await b.owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    const page = await newPage();
    await signUp(page, { name: 'Vic Viewer', email: 'vic@example.com', workspace: 'Vic Co' });
    await page.goto(url(`/invite/${token}`));
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/app\/funnels$/);
    await open(page, `/app/deals/${deal.id}`, deal.name);
    await page.locator('#read-only-note').waitFor();
    await page.locator('.activity-subject', { hasText: 'Send the price list' }).waitFor();
    for (const name of ['Won', 'Lost', 'Delete…', 'Save changes', 'Add activity']) {
      await expect(page.getByRole('button', { name, exact: true }).isDisabled(), name).resolves.toBe(true);
    }
    await expect(page.getByLabel('Mark done: Send the price list').isDisabled()).resolves.toBe(true);
    expect(await page.getByLabel('Deal name').getAttribute('aria-describedby')).toBe('read-only-note');
    // (The member's own "confirm your email" banner is not workspace editing: its Resend stays on.)
    expect(await page.locator('main :is(button, input, select, textarea):not(:disabled):not(.verify-banner *)').count()).toBe(0);
    await b.expectAccessible(page, 'deal as a viewer, 1280');
    await page.screenshot({ path: `${b.artifacts}/deal-viewer-1280.png`, fullPage: true });
  });

  it('fits a phone: the deal page and My activities at 390 px, no sideways scrolling, axe clean', async () => {
    const page = await newPage(PHONE);
    await signIn(page);
    await open(page, `/app/deals/${leadDeal.id}`, leadDeal.name);
    expect(await overflow(page)).toBe(0);
    await b.expectAccessible(page, 'deal with a lead, 390');
    await page.screenshot({ path: `${b.artifacts}/deal-page-390.png`, fullPage: true });
    await page.screenshot({ path: `${b.artifacts}/deal-page-390-first-screen.png` });
    await page.getByRole('button', { name: 'Add activity' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await overflow(page)).toBe(0);
    await b.expectAccessible(page, 'activity dialog, 390');
    await page.screenshot({ path: `${b.artifacts}/deal-activity-dialog-390.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await open(page, '/app/activities?who=all', 'Activities');
    expect(await overflow(page)).toBe(0);
    await b.expectAccessible(page, 'my activities, 390');
    await page.screenshot({ path: `${b.artifacts}/my-activities-390.png`, fullPage: true });
  });
});
