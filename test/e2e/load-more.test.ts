/**
 * "Load more" paging (pages-ui/app/shell/cursor-pages.ts) in real Chromium on the demo data: a
 * failed next page keeps the rows on screen and offers a retry beside the button; answers for a
 * sort the marketer already left are never shown, and the rows of the previous sort stay dimmed,
 * marked "updating…", until the new first page arrives. The network is only touched where a test
 * has to fail or hold one answer (Playwright routes); everything else is the real app.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request, Route } from 'playwright-core';
import { DEMO } from '../../db/seed';
import { useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { json } from '../support/responses';
import { waitFor } from '../support/wait';

const BUSY = { error: { code: 'unavailable', message: 'Leadflare is busy right now. Try again in a moment.', status: 503 } };

describe.skipIf(!chromiumAvailable)('load more in Chromium', { timeout: 180_000 }, () => {
  const b = useBrowserApp({ demo: { leads: true }, expectedStatuses: [503] });

  type LeadQuery = NonNullable<Parameters<typeof b.owner.rpc.api.leads.$get>[0]>['query'];
  /** Every lead the API lists for `query`, all pages. */
  async function allLeadEmails(query: LeadQuery): Promise<string[]> {
    const emails: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await json(await b.owner.rpc.api.leads.$get({ query: { ...query, limit: '200', ...(cursor ? { cursor } : {}) } }), 200);
      emails.push(...page.leads.map((l) => l.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return emails;
  }

  /** The emails of the rows on screen, in order (a row shows the name first when there is one). */
  const rowEmails = (page: Page) =>
    page
      .locator('.lead-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r.querySelector('.lead-email') ?? r.querySelector('th a'))!.textContent.trim()));

  const showing = (page: Page, emails: string[], what: string) =>
    waitFor(
      () => rowEmails(page),
      (e) => e.join() === emails.join(),
      { what },
    );

  let newest: string[];
  let byEmail: string[];
  beforeAll(async () => {
    newest = await allLeadEmails({ sort: 'created', dir: 'desc' });
    byEmail = await allLeadEmails({ sort: 'email', dir: 'asc' });
    // Two pages and a bit: the demo captures its leads through the real landing pages.
    expect(newest.length).toBeGreaterThan(100);
  });

  it('keeps the leads on screen when the next page fails, and loads it on "Try again"', async () => {
    const page = await b.newPage();
    let failNext = true;
    await page.route(
      (u) => u.pathname === '/api/leads' && u.searchParams.has('cursor'),
      async (route) => {
        if (!failNext) return route.fallback();
        failNext = false;
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify(BUSY) });
      },
    );
    await b.signIn(page);
    await b.open(page, '/app/leads', 'Leads');
    await showing(page, newest.slice(0, 50), 'the first page');

    await page.getByRole('button', { name: 'Load 50 more' }).click();
    const failed = page.getByRole('alert').filter({ hasText: BUSY.error.message });
    await failed.waitFor();
    // The rows stay, the count still says how many are shown, and the button is back for another go.
    expect(await rowEmails(page)).toEqual(newest.slice(0, 50));
    await expect(page.locator('.lead-count').textContent()).resolves.toContain('showing 50');
    await expect(page.getByRole('button', { name: 'Load 50 more' }).isEnabled()).resolves.toBe(true);
    // The error sits right above the button it is about.
    await expect(failed.evaluate((el) => el.nextElementSibling?.querySelector('button')?.textContent === 'Load 50 more')).resolves.toBe(
      true,
    );
    await b.expectAccessible(page, 'leads with a failed next page');
    await page.getByRole('button', { name: 'Load 50 more' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${b.artifacts}/leads-load-more-failed.png` });

    await failed.getByRole('button', { name: 'Try again' }).click();
    await showing(page, newest.slice(0, 100), 'the first two pages');
    await failed.waitFor({ state: 'detached' });
    await expect(page.locator('.lead-count').textContent()).resolves.toContain('showing 100');
    // Where the first page ended: the next rows follow on, the button below them.
    await page.locator('.lead-table tbody tr').nth(49).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${b.artifacts}/leads-after-load-more.png` });
  });

  it('never shows the answer for a sort the marketer already left; the last rows stay dimmed until the new ones arrive', async () => {
    const page = await b.newPage();
    /** Requests for the first page of one sort, held until the test lets them through. */
    const held = new Map<string, Route>();
    let hold = new Set(['created:desc']);
    await page.route(
      (u) => u.pathname === '/api/leads' && !u.searchParams.has('cursor'),
      (route) => {
        const u = new URL(route.request().url());
        const sort = `${u.searchParams.get('sort')}:${u.searchParams.get('dir')}`;
        if (!hold.has(sort)) return route.fallback();
        held.set(sort, route);
      },
    );
    const release = async (sort: string) => {
      const route = held.get(sort)!;
      held.delete(sort);
      const finished = page.waitForEvent('requestfinished', (r: Request) => r === route.request());
      await route.fallback();
      await finished;
    };

    await b.signIn(page);
    await page.goto(b.url('/app/leads'));
    await waitFor(
      () => held.has('created:desc'),
      (h) => h,
      { what: 'the newest-first page to be asked for' },
    );
    await page.getByRole('status').filter({ hasText: 'Loading leads…' }).waitFor();

    // Sorted A to Z before the first answer came: the A-to-Z rows, then the stale answer lands and changes nothing.
    await page.getByLabel('Sort by').selectOption('email:asc');
    await page.waitForURL((u) => u.searchParams.get('sort') === 'email' && u.searchParams.get('dir') === 'asc');
    await showing(page, byEmail.slice(0, 50), 'the A-to-Z rows');
    await release('created:desc');
    expect(await rowEmails(page)).toEqual(byEmail.slice(0, 50));
    // Had the newest-first answer been taken, its own next page would follow here.
    await page.getByRole('button', { name: 'Load 50 more' }).click();
    await showing(page, byEmail.slice(0, 100), 'two pages A to Z');

    // Z to A while that answer is held: the A-to-Z rows stay, dimmed, "updating…", and no "Load more" for them.
    hold = new Set(['email:desc']);
    await page.getByLabel('Sort by').selectOption('email:desc');
    await waitFor(
      () => held.has('email:desc'),
      (h) => h,
      { what: 'the Z-to-A page to be asked for' },
    );
    await page.locator('.lead-table.is-stale[aria-busy="true"]').waitFor();
    await expect(page.locator('.lead-count').textContent()).resolves.toContain('updating…');
    expect(await rowEmails(page)).toEqual(byEmail.slice(0, 100));
    await expect(page.getByRole('button', { name: 'Load 50 more' }).count()).resolves.toBe(0);
    await release('email:desc');
    await showing(page, [...byEmail].reverse().slice(0, 50), 'the Z-to-A rows');
    await page.locator('.lead-table:not(.is-stale)').waitFor();
    await expect(page.locator('.lead-count').textContent()).resolves.not.toContain('updating…');
  });

  it('My activities: a failed "Show more" keeps the list and retries beside the button', async () => {
    const { deals } = await json(await b.owner.rpc.api.deals.$get({ query: { q: DEMO.deal.name } }), 200);
    const deal = deals.find((d) => d.name === DEMO.deal.name)!;
    // More than one page (100) of open activities for the team, due from tomorrow on.
    const tomorrow = Date.now() + 86_400_000;
    for (let i = 0; i < 105; i++) {
      await json(
        await b.owner.rpc.api.activities.$post({
          json: {
            dealId: deal.id,
            type: 'task',
            subject: `Follow-up ${String(i).padStart(3, '0')}`,
            dueAt: tomorrow + i * 60_000,
            hasTime: true,
          },
        }),
        201,
      );
    }
    const page = await b.newPage();
    let failNext = true;
    await page.route(
      (u) => u.pathname === '/api/activities' && u.searchParams.has('cursor'),
      async (route) => {
        if (!failNext) return route.fallback();
        failNext = false;
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify(BUSY) });
      },
    );
    await b.signIn(page);
    await b.open(page, '/app/activities?who=all', 'Activities');
    const items = page.locator('.activity-list > *');
    await expect(items.count()).resolves.toBe(100);
    await page.getByText(/open activities for the whole team so far\./).waitFor();

    await page.getByRole('button', { name: 'Show more' }).click();
    const failed = page.getByRole('alert').filter({ hasText: BUSY.error.message });
    await failed.waitFor();
    await expect(items.count()).resolves.toBe(100);
    await expect(failed.evaluate((el) => el.nextElementSibling?.textContent === 'Show more')).resolves.toBe(true);
    await b.expectAccessible(page, 'my activities with a failed next page');

    await failed.getByRole('button', { name: 'Try again' }).click();
    await waitFor(
      () => items.count(),
      (n) => n > 100,
      { what: 'the next activities' },
    );
    // The last page: no button (while it loaded it was called "Loading…").
    await expect(page.getByRole('button', { name: /^(Show more|Loading…)$/ }).count()).resolves.toBe(0);
    await failed.waitFor({ state: 'detached' });
    await page.getByText(/open activities for the whole team\./).waitFor();
  });
});
