/**
 * The team's app in real Chromium over real HTTP: a marketer from sign-up to a first funnel,
 * the dashboard and the pipeline board on the demo data, a viewer who can look but not change,
 * the phone layout, axe on every view, and a screenshot of each view in test-artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestClient } from '../support/app';
import { DESKTOP, PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { json } from '../support/responses';

const DEMO_PIPELINE = 'Demo B2C e-commerce pipeline - 1';

// Each test walks many views in one browser; in the full suite Chromium shares two cores with every other file.
describe.skipIf(!chromiumAvailable)('the team app in Chromium', { timeout: 180_000 }, () => {
  const b = useBrowserApp({ demo: { leads: true }, expectedStatuses: [400, 409] });
  const { url, signIn, signUp, viewReady, open, overflow } = b;
  const newPage = (viewport = DESKTOP, allow?: RegExp) => b.newPage({ viewport, allow });

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
  const focusedTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName);

  it('takes a new marketer from sign-up to a first funnel: empty state, create, validation, reload, back, delete', async () => {
    const page = await newPage();
    await signUp(page, { name: 'Mara Marketer', email: 'mara@example.com', workspace: 'Mara Makes' });
    await page.waitForURL(url('/app/funnels'));
    await viewReady(page, 'Funnels');
    const empty = page.getByRole('region', { name: 'No funnels yet' });
    await expect(empty.getByText('Start from a template').isVisible()).resolves.toBe(true);
    expect(await page.title()).toBe('Funnels · Mara Makes · Leadflare');
    // The first Tab reaches the skip link, which jumps over the navigation to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('main');
    expect(await page.getByRole('link', { name: 'Funnels' }).getAttribute('aria-current')).toBe('page');

    // Starting blank: the dialog has its own URL; focus in the first field, Escape closes it.
    await empty.getByRole('link', { name: 'Start blank' }).click();
    await page.waitForURL(url('/app/funnels/new?template=blank'));
    const dialog = page.getByRole('dialog', { name: 'New blank funnel' });
    await dialog.waitFor();
    expect(await focusedId(page)).toBe('funnel-name');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForURL(url('/app/funnels/new'));

    // The slug follows the name until edited; what is wrong with it shows next to the field as it is typed.
    await page.getByRole('link', { name: 'Start blank' }).click();
    await dialog.getByLabel('Name').fill('Spring Sale!');
    expect(await dialog.getByLabel('Slug').inputValue()).toBe('spring-sale');
    await dialog.getByLabel('Slug').fill('spring sale');
    const slugError = dialog.locator('#funnel-slug-error');
    await slugError.waitFor();
    expect(await slugError.textContent()).toBe('Use lower-case letters, digits and "-", up to 64 characters.');
    expect(await dialog.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('Slug').getAttribute('aria-describedby')).toContain('funnel-slug-error');
    await expect(dialog.getByRole('button', { name: 'Create funnel' }).isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Slug').fill('spring-sale');
    await dialog.getByRole('button', { name: 'Create funnel' }).click();

    // The new funnel's page, its heading focused, the toast said.
    // Not the dialog's own address (/app/funnels/new?template=…): the new funnel's page.
    await page.waitForURL((u) => /^\/app\/funnels\/(?!new$)[^/]+$/.test(u.pathname));
    const funnelUrl = page.url();
    await viewReady(page, 'Spring Sale!');
    expect(await focusedTag(page)).toBe('H1');
    await expect(page.getByRole('status').filter({ hasText: 'Funnel “Spring Sale!” created' }).isVisible()).resolves.toBe(true);
    await page.getByRole('region', { name: 'This funnel has no pages yet' }).getByRole('button', { name: 'Add the first page' }).click();
    const addPage = page.getByRole('dialog', { name: 'Add a page' });
    await addPage.getByLabel('Name').fill('Landing page');
    await addPage.getByRole('button', { name: 'Add page' }).click();
    await addPage.waitFor({ state: 'detached' });
    const row = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Landing page' }) });
    await expect(row.textContent()).resolves.toMatch(/Landing page.*Draft/);
    await expect(row.getByLabel('Counts as').inputValue()).resolves.toBe('awareness');
    await row.getByRole('link', { name: 'Edit “Landing page”' }).click();
    await page.waitForURL(/\/app\/funnels\/[^/]+\/pages\/[^/]+$/);
    await viewReady(page, 'Landing page');

    // Back returns to the funnel, which lists the page in order with its stage and status.
    await page.goBack();
    await page.waitForURL(funnelUrl);
    await viewReady(page, 'Spring Sale!');
    await expect(row.textContent()).resolves.toMatch(/Landing page.*Draft/);

    // The list has it; a reload keeps the view; back still works after the reload.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Funnels' }).click();
    await page.waitForURL(url('/app/funnels'));
    await viewReady(page, 'Funnels');
    const listed = page.getByRole('row').filter({ hasText: 'Spring Sale!' });
    await expect(listed.textContent()).resolves.toMatch(/Spring Sale!.*0.*0.*—.*\/p\/spring-sale/);
    await page.reload();
    await viewReady(page, 'Funnels');
    await expect(page.getByRole('row').filter({ hasText: 'Spring Sale!' }).isVisible()).resolves.toBe(true);
    await page.goBack();
    await page.waitForURL(funnelUrl);
    await viewReady(page, 'Spring Sale!');

    // A taken address: said next to the slug field before anything is sent.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Funnels' }).click();
    await viewReady(page, 'Funnels');
    await page.getByRole('link', { name: 'New funnel' }).click();
    await viewReady(page, 'New funnel');
    await page.getByRole('link', { name: 'Start blank' }).click();
    await dialog.getByLabel('Name').fill('Spring sale');
    await expect(slugError.textContent()).resolves.toBe('Another of your funnels already uses this slug.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Deleting asks for the funnel's name; Escape keeps the funnel; typing it and confirming deletes it.
    await page.goto(funnelUrl);
    await viewReady(page, 'Spring Sale!');
    await page.getByRole('button', { name: 'Delete funnel…' }).click();
    const confirmDialog = page.getByRole('dialog', { name: 'Delete “Spring Sale!”?' });
    await confirmDialog.waitFor();
    expect(await focusedId(page)).toBe('typed-confirm-name');
    await page.keyboard.press('Escape');
    await confirmDialog.waitFor({ state: 'detached' });
    expect(page.url()).toBe(funnelUrl);
    await page.getByRole('button', { name: 'Delete funnel…' }).click();
    await confirmDialog.getByLabel('Type “Spring Sale!” to confirm').fill('Spring Sale!');
    await confirmDialog.getByRole('button', { name: 'Delete funnel' }).click();
    await page.waitForURL(url('/app/funnels'));
    await viewReady(page, 'Funnels');
    await page.getByRole('region', { name: 'No funnels yet' }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Funnel “Spring Sale!” deleted' }).isVisible()).resolves.toBe(true);
  });

  it('shows the demo dashboard and works the pipeline board: quick add, a keyboard move, more cards as a column scrolls', async () => {
    const page = await newPage();
    await signIn(page);
    await viewReady(page, 'Funnels');
    await expect(page.getByRole('row').filter({ hasText: 'Cosmetics set' }).textContent()).resolves.toMatch(/Cosmetics set\s*400/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await viewReady(page, 'Dashboard');
    // The charts' numbers in their table views (test/e2e/dashboard.test.ts checks them against the API).
    const funnel = page.getByRole('region', { name: 'Funnel: Cosmetics set' });
    await funnel.getByRole('button', { name: 'Table view' }).click();
    await expect(funnel.getByRole('row', { name: /^Awareness/ }).textContent()).resolves.toContain('400');
    await expect(
      page
        .getByRole('region', { name: 'Sources and campaigns' })
        .getByText('instagram / social / cosmetics-set-launch', { exact: true })
        .isVisible(),
    ).resolves.toBe(true);
    await expect(page.getByRole('region', { name: 'Funnel to pipeline handoff' }).isVisible()).resolves.toBe(true);
    const summary = page.getByRole('region', { name: `Pipeline value per stage: ${DEMO_PIPELINE}` });
    await summary.getByRole('button', { name: 'Table view' }).click();
    await expect(summary.getByRole('row').filter({ hasText: 'Lead generation' }).textContent()).resolves.toContain('$250.00');
    await summary.getByRole('link', { name: `Open the ${DEMO_PIPELINE} board` }).click();
    await page.waitForURL(/\/app\/pipelines\/[^/]+$/);
    const pipelineId = page.url().split('/').pop()!;
    await viewReady(page, DEMO_PIPELINE);

    const column = (name: string) => page.getByRole('region', { name, exact: true });
    await expect(column('Lead generation').locator('.board-col-meta').textContent()).resolves.toMatch(
      /^1 deal · \$250\.00 · weighted \$25\.00/,
    );

    // Add a deal from the column head: a wrong amount is refused next to its field, a formatted one is understood.
    await page.getByRole('button', { name: 'Add a deal to Lead generation' }).click();
    const add = page.getByRole('form', { name: 'New deal in Lead generation' });
    await add.getByLabel('Deal name').fill('Serum - Bo Chen');
    await add.getByLabel('Value (USD)').fill('twelve');
    await add.getByRole('button', { name: 'Add' }).click();
    await expect(add.getByRole('alert').textContent()).resolves.toBe('Enter an amount like 250 or 1250.50.');
    await add.getByLabel('Value (USD)').fill('$1,250.50');
    await add.getByRole('button', { name: 'Add' }).click();
    await column('Lead generation').locator('.deal-card', { hasText: 'Serum - Bo Chen' }).waitFor();
    await expect(column('Lead generation').locator('.board-col-meta').textContent()).resolves.toMatch(/^2 deals · \$1,500\.50/);
    const { deals } = await json(await b.owner.rpc.api.deals.$get({ query: { pipeline: pipelineId, q: 'Serum' } }), 200);
    expect(deals).toEqual([expect.objectContaining({ valueMinor: 125_050, currency: 'USD' })]);

    // A keyboard move: Space lifts the card, arrows carry it, Space drops it in the new column, focused.
    const ava = page.locator('.deal-card', { hasText: 'Cosmetics set - Ava Smith' });
    await ava.focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await column('Checkout abandonment').locator('.deal-card', { hasText: 'Cosmetics set - Ava Smith' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Cosmetics set - Ava Smith'));
    await expect(column('Lead generation').locator('.board-col-meta').textContent()).resolves.toMatch(/^1 deal · \$1,250\.50/);

    // A long column shows its first 25 cards and loads the next 100 as it scrolls.
    const qualification = column('Lead qualification');
    const total = Number(/^(\d+) deals/.exec((await qualification.locator('.board-col-meta').textContent())!)![1]);
    expect(total).toBeGreaterThan(25);
    expect(await qualification.locator('.deal-card').count()).toBe(25);
    await qualification.locator('.board-cards').evaluate((list) => (list.scrollTop = list.scrollHeight));
    await page.waitForFunction(
      ([name, n]) =>
        [...document.querySelectorAll('.board-col')]
          .find((c) => c.querySelector('h2')?.textContent === name)
          ?.querySelectorAll('.deal-card').length === n,
      ['Lead qualification', Math.min(total, 125)] as const,
    );
  });

  it('lets a viewer see every screen with the editing controls disabled and a note why; the workspace switcher changes that', async () => {
    const { token } = await json(await b.owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    const page = await newPage();
    await signUp(page, { name: 'Vic Viewer', email: 'vic@example.com', workspace: 'Vic Co' });
    await page.waitForURL(url('/app/funnels'));
    await page.goto(url(`/invite/${token}`));
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/app\/funnels$/);
    await viewReady(page, 'Funnels');

    const note = page.locator('#read-only-note');
    await expect(note.textContent()).resolves.toBe(
      'View only. You are a viewer in Demo Shop, so editing is turned off. Ask an owner to make you an editor.',
    );
    const newFunnel = page.getByRole('button', { name: 'New funnel' });
    await expect(newFunnel.isDisabled()).resolves.toBe(true);
    expect(await newFunnel.getAttribute('aria-describedby')).toBe('read-only-note');

    await page.getByRole('link', { name: 'Cosmetics set' }).click();
    await viewReady(page, 'Cosmetics set');
    await expect(page.getByRole('button', { name: 'Delete funnel…' }).isDisabled()).resolves.toBe(true);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipelines' }).click();
    await viewReady(page, 'Pipelines');
    await page.getByRole('link', { name: DEMO_PIPELINE, exact: true }).click();
    await viewReady(page, DEMO_PIPELINE);
    // The board has no editing control for a viewer: no quick add, no new pipeline, no draggable card; only the filters.
    await expect(page.locator('.board-col-add').count()).resolves.toBe(0);
    await expect(page.locator('.deal-card[draggable="true"]').count()).resolves.toBe(0);
    // (The member's own "confirm your email" banner is not workspace editing: its Resend stays on.)
    expect(await page.locator('main :is(button, input, select):not(:disabled):not(.verify-banner *)').count()).toBe(
      await page.locator('main :is(#board-search, #board-owner, #board-status, #board-stage, .board-switch select)').count(),
    );

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await viewReady(page, 'Settings');
    await expect(page.getByText('only owners rename the workspace').isVisible()).resolves.toBe(true);

    // In their own workspace the same member edits: the switcher moves the whole app there.
    await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: 'Vic Co (owner)' });
    await note.waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Funnels' }).click();
    await viewReady(page, 'Funnels');
    await page.getByRole('region', { name: 'No funnels yet' }).waitFor();
    await expect(page.getByRole('link', { name: 'Browse templates' }).isVisible()).resolves.toBe(true);
    // Remembered for the next visit: the shell opens in Vic Co.
    await page.reload();
    await viewReady(page, 'Funnels');
    await expect(page.getByRole('combobox', { name: 'Workspace' }).inputValue()).resolves.not.toBe('');
    await expect(page.title()).resolves.toBe('Funnels · Vic Co · Leadflare');
  });

  it('shows a skeleton while loading, a failed load where it happened with a retry, and a way out when a view cannot load', async () => {
    // Chromium logs the refused requests this test provokes.
    const page = await newPage(DESKTOP, /status of (503|404)|Failed to fetch dynamically imported module/);
    await signIn(page);
    await viewReady(page, 'Funnels');

    // Hold the list's numbers: the skeleton shows until they arrive.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/funnels/stats*', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Funnels' }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Loading funnels…' }).isVisible()).resolves.toBe(true);
    release();
    await viewReady(page, 'Funnels');
    await page.unroute('**/api/funnels/stats*');

    // The server fails once: the message sits in the view, and "Try again" loads it.
    let failures = 1;
    await page.route('**/api/funnels/stats*', (route) =>
      failures-- > 0
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'database_unavailable', message: 'The database is not reachable.', status: 503 } }),
          })
        : route.continue(),
    );
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'The funnels did not load.' });
    await expect(alert.textContent()).resolves.toContain('The database is not reachable.');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('row').filter({ hasText: 'Cosmetics set' }).waitFor();
    await page.unroute('**/api/funnels/stats*');

    // A view whose file is gone (a deploy while the tab was open) offers a reload; the menu still works.
    await page.route('**/assets/app/views/settings/**', (route) => route.fulfill({ status: 404, body: '' }));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await viewReady(page, 'This screen did not load');
    await expect(page.getByRole('button', { name: 'Reload the app' }).isVisible()).resolves.toBe(true);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
    await viewReady(page, 'Leads');
  });

  it('fits a 390 px phone: the navigation folds into a menu and no view scrolls sideways', async () => {
    const page = await newPage(PHONE);
    await signIn(page);
    await viewReady(page, 'Funnels');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(nav.isVisible()).resolves.toBe(false);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await expect(nav.isVisible()).resolves.toBe(true);
    expect(await page.getByRole('button', { name: 'Close' }).getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await viewReady(page, 'Dashboard');
    await expect(nav.isVisible()).resolves.toBe(false);

    for (const [path, heading] of await viewsOf(b.owner)) {
      await open(page, path, heading);
      expect(await overflow(page), path).toBeLessThanOrEqual(0);
    }
  });

  it('has no serious or critical axe violations on any view, at 1280 and 390 px, and saves a screenshot of each', async () => {
    for (const [viewport, suffix] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      const page = await newPage(viewport);
      await signIn(page);
      for (const [path, heading, name] of await viewsOf(b.owner)) {
        await open(page, path, heading);
        await b.expectAccessible(page, `${path} at ${viewport.width} px`);
        await page.screenshot({ path: `${b.artifacts}/app-${name}-${suffix}.png`, fullPage: true });
      }
      // The dialogs too.
      await open(page, '/app/funnels/new?template=blank', 'New funnel');
      await page.getByRole('dialog', { name: 'New blank funnel' }).waitFor();
      await b.expectAccessible(page, 'the new funnel dialog');
      await page.screenshot({ path: `${b.artifacts}/app-new-funnel-dialog-${suffix}.png` });
    }
    // Every view twice (desktop and phone) with an axe run each: more than the default 30 s.
  }, 300_000);
});

/** Every view of the demo workspace: [path, its heading, a file name]. */
async function viewsOf(owner: TestClient): Promise<Array<[string, string | RegExp, string]>> {
  const { funnels } = await json(await owner.rpc.api.funnels.$get(), 200);
  const demo = funnels.find((f) => f.slug === 'cosmetics-set')!;
  const { pages } = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: demo.id } }), 200);
  const quiz = pages.find((p) => p.slug === 'quiz')!;
  const { pipelines } = await json(await owner.rpc.api.pipelines.$get(), 200);
  const pipeline = pipelines.find((p) => p.name === DEMO_PIPELINE)!;
  const [lead] = (await json(await owner.rpc.api.leads.$get({ query: { sort: 'score', dir: 'desc' } }), 200)).leads;
  return [
    ['/app/funnels', 'Funnels', 'funnels'],
    ['/app/funnels/new', 'New funnel', 'funnel-new'],
    [`/app/funnels/${demo.id}`, 'Cosmetics set', 'funnel'],
    [`/app/funnels/${demo.id}/pages/${quiz.id}`, quiz.name, 'funnel-page'],
    ['/app/leads', 'Leads', 'leads'],
    ['/app/leads?q=ava', 'Leads', 'leads-search'],
    [`/app/leads/${lead!.id}`, lead!.name ?? lead!.email, 'lead'],
    ['/app/pipelines', 'Pipelines', 'pipelines'],
    [`/app/pipelines/${pipeline.id}`, DEMO_PIPELINE, 'pipeline-board'],
    ['/app/dashboard', 'Dashboard', 'dashboard'],
    ['/app/settings', 'Settings', 'settings'],
    ['/app/no-such-screen', 'Page not found', 'not-found'],
  ];
}
