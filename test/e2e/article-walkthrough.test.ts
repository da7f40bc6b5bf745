/**
 * The seed article's CRM walk-through (shared/seed/README.md, "The CRM walk-through"), in real
 * Chromium, through the app alone — no API call sets anything up or moves anything:
 *   sign up → create "Demo B2C e-commerce pipeline - 1" → define the deal stages and keep the
 *   closing stages "Closed won" / "Closed lost" → add "Cosmetics set - Ava Smith" for $250 in
 *   "Lead generation" → move "Post-purchase" to the last position in the editor → drag the deal
 *   to "Lead qualification" on the board and watch the column totals and weighted value change.
 * The server is read only to check each step. One screenshot per step in
 * test-artifacts/article-walkthrough/ (numbered in order).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { waitFor } from '../support/wait';

const ARTIFACTS = join('test-artifacts', 'article-walkthrough');
const PIPELINE = 'Demo B2C e-commerce pipeline - 1';
const DEAL = 'Cosmetics set - Ava Smith';
const ARTICLE_ORDER = [
  'Lead generation',
  'Lead qualification',
  'Browse abandonment',
  'Checkout abandonment',
  'Closed won',
  'Closed lost',
  'Post-purchase',
];

describe.skipIf(!chromiumAvailable)('the article’s walk-through, in the browser alone', { timeout: 240_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({ clock: Date.now });
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  let step = 0;
  async function shot(page: Page, name: string) {
    step++;
    await page.screenshot({ path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  /** What the server stored, read straight from the database (the UI made every change). */
  async function stored() {
    const stages = await t.database.db.all<{ id: string; name: string; kind: string; win_probability: number }>(
      sql`select s.id, s.name, s.kind, s.win_probability from pipeline_stages s join pipelines p on p.id = s.pipeline_id
          where p.name = ${PIPELINE} order by s.position`,
    );
    const deals = await t.database.db.all<{ name: string; value_minor: number; currency: string; stage_id: string }>(
      sql`select d.name, d.value_minor, d.currency, d.stage_id from deals d join pipelines p on p.id = d.pipeline_id where p.name = ${PIPELINE}`,
    );
    return { stages, deals, stageOf: (name: string) => stages.find((s) => s.name === name) };
  }

  const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
  const meta = (page: Page, name: string) => column(page, name).locator('.board-col-meta').textContent();
  const summary = (page: Page) => page.locator('.board-summary').textContent();

  async function boardReady(page: Page) {
    await page.locator('.board-col').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress, .board-scroller.is-stale'));
  }

  async function editorReady(page: Page) {
    await page.getByRole('heading', { level: 1, name: 'Pipeline settings' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress') && document.querySelector('.pe-stage'));
  }

  const editorNames = (page: Page) =>
    page.locator('.pe-stage .pe-field-name input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

  async function expectAxeClean(page: Page) {
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  /** A person's drag: press, nudge so Chromium starts a native drag, glide over the target, release. */
  async function drag(page: Page, from: Locator, to: Locator, where: 'top' | 'bottom' | 'center', shown?: string) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 6, a.y + a.height / 2 + 6, { steps: 4 });
    const y = where === 'top' ? b.y + b.height * 0.2 : where === 'bottom' ? b.y + b.height * 0.8 : b.y + b.height / 2;
    await page.mouse.move(b.x + b.width / 2, y, { steps: 12 });
    // Release only once the drop line is drawn where it was aimed.
    if (shown) await page.waitForSelector(shown);
    await page.mouse.up();
  }

  it('signs up, builds the pipeline, adds the deal, reorders the stages and moves the deal, step by step', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`console error: ${m.text()}`);
    });

    // Steps 1–3 of the article: create an account and fill in the company.
    await page.goto(`${server.base}/signup`);
    await page.getByLabel('Your name').fill('Ava Seller');
    await page.getByLabel('Email').fill('ava.seller@example.com');
    await page.getByLabel('Password (10+ characters)').fill('correct horse battery');
    await page.getByLabel('Company or workspace name').fill('Glow Cosmetics');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${server.base}/app/funnels`);
    await page.getByRole('heading', { level: 1, name: 'Funnels' }).waitFor();
    await shot(page, 'signed-up');

    // Step 4: create a pipeline and give it a name. Blank, as the article then defines its own stages.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pipelines' }).waitFor();
    await page.getByRole('button', { name: 'New pipeline' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New pipeline' });
    await dialog.getByLabel('Name').fill(PIPELINE);
    await dialog.getByLabel(/^Blank/).check();
    await shot(page, 'new-pipeline');
    await dialog.getByRole('button', { name: 'Create pipeline' }).click();
    await page.getByRole('heading', { level: 1, name: PIPELINE }).waitFor();
    await boardReady(page);
    expect(await page.locator('.board-col h2').allTextContents()).toEqual(['New', 'Closed won', 'Closed lost']);
    await shot(page, 'blank-board');

    // Step 5: define the deal stages in the pipeline editor.
    await page.getByRole('link', { name: 'Edit pipeline' }).click();
    await editorReady(page);
    const first = page.locator('.pe-stage').first();
    await first.getByLabel('Stage name').fill('Lead generation');
    await first.getByLabel('Stage name').press('Enter');
    await page.getByText('Stage renamed to “Lead generation”').waitFor();
    const add = page.getByRole('form', { name: 'Add a stage' });
    for (const [name, kind, probability] of [
      ['Lead qualification', 'open', '25'],
      ['Browse abandonment', 'open', '35'],
      ['Checkout abandonment', 'open', '60'],
      ['Post-purchase', 'won', ''],
    ] as const) {
      await add.getByLabel('Name', { exact: true }).fill(name);
      await add.getByLabel('Kind').selectOption(kind);
      if (probability) await add.getByLabel('Win probability (%)').fill(probability);
      await add.getByRole('button', { name: 'Add stage' }).click();
      await page.getByText(`Stage “${name}” added`, { exact: true }).waitFor();
      await waitFor(
        () => editorNames(page),
        (names) => names.includes(name),
        { what: `${name} in the list` },
      );
    }
    // New stages go after the last open one, as in HubSpot: Post-purchase lands before the closing stages.
    expect(await editorNames(page)).toEqual([
      'Lead generation',
      'Lead qualification',
      'Browse abandonment',
      'Checkout abandonment',
      'Post-purchase',
      'Closed won',
      'Closed lost',
    ]);
    await shot(page, 'stages-defined');

    // …and name the closing stages: kept as "Closed won" and "Closed lost"; deals marked won or lost go there.
    expect(await page.getByLabel('Deals marked won go to').inputValue()).toBe((await stored()).stageOf('Closed won')!.id);
    expect(await page.getByLabel('Deals marked lost go to').inputValue()).toBe((await stored()).stageOf('Closed lost')!.id);
    const kinds = await page
      .locator('.pe-stage .pe-field-kind select')
      .evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(kinds).toEqual(['open', 'open', 'open', 'open', 'won', 'won', 'lost']);
    await page.getByRole('region', { name: 'Closing stages' }).scrollIntoViewIfNeeded();
    await shot(page, 'closing-stages');

    // Step 6: add the deal — campaign and customer as its name, $250 expected revenue, in "Lead generation".
    await page.getByRole('link', { name: 'Open the board' }).click();
    await page.getByRole('heading', { level: 1, name: PIPELINE }).waitFor();
    await boardReady(page);
    await page.getByRole('button', { name: 'Add a deal to Lead generation' }).click();
    const quickAdd = page.getByRole('form', { name: 'New deal in Lead generation' });
    await quickAdd.getByLabel('Deal name').fill(DEAL);
    await quickAdd.getByLabel('Value (USD)').fill('250');
    await page.keyboard.press('Enter');
    await column(page, 'Lead generation').locator('.deal-card', { hasText: DEAL }).waitFor();
    // 10 % of $250 in the weighted forecast.
    await waitFor(
      () => meta(page, 'Lead generation'),
      (m) => /^1 deal · \$250\.00 · weighted \$25\.00/.test(m ?? ''),
      {
        what: 'the Lead generation totals',
      },
    );
    await expect(summary(page)).resolves.toMatch(/1 deal · \$250\.00 · weighted \$25\.00/);
    expect((await stored()).deals).toEqual([
      { name: DEAL, value_minor: 25_000, currency: 'USD', stage_id: (await stored()).stageOf('Lead generation')!.id },
    ]);
    await shot(page, 'deal-added');

    // …then "edit pipeline": move Post-purchase to the last position, with the mouse.
    await page.getByRole('link', { name: 'Edit pipeline' }).click();
    await editorReady(page);
    const handle = page.getByRole('button', { name: /^Reorder “Post-purchase”/ });
    const lastRow = page.locator('.pe-stage').last();
    // The mouse does not scroll: bring the end of the list on screen first.
    await lastRow.scrollIntoViewIfNeeded();
    await drag(page, handle, lastRow, 'bottom', '.pe-stage:last-child.drop-bottom');
    await page.waitForFunction(
      () =>
        document.querySelector('.panel [role="status"][aria-live="assertive"]')?.textContent === 'Post-purchase moved to position 7 of 7.',
    );
    await waitFor(
      async () => (await stored()).stages.map((s) => s.name),
      (names) => names.join() === ARTICLE_ORDER.join(),
      { what: 'Post-purchase last on the server' },
    );
    expect(await editorNames(page)).toEqual(ARTICLE_ORDER);
    await expectAxeClean(page);
    await shot(page, 'post-purchase-last');

    // Step 7: manage and track — drag the deal to "Lead qualification"; totals and the weighted value follow.
    await page.getByRole('link', { name: 'Open the board' }).click();
    await boardReady(page);
    expect(await page.locator('.board-col h2').allTextContents()).toEqual(ARTICLE_ORDER);
    await drag(
      page,
      column(page, 'Lead generation').locator('.deal-card', { hasText: DEAL }),
      column(page, 'Lead qualification'),
      'center',
    );
    await column(page, 'Lead qualification').locator('.deal-card', { hasText: DEAL }).waitFor();
    // 25 % of $250 now, and nothing left in Lead generation.
    await waitFor(
      () => meta(page, 'Lead qualification'),
      (m) => /^1 deal · \$250\.00 · weighted \$62\.50/.test(m ?? ''),
      {
        what: 'the Lead qualification totals',
      },
    );
    await expect(meta(page, 'Lead generation')).resolves.toMatch(/^0 deals/);
    await expect(summary(page)).resolves.toMatch(/1 deal · \$250\.00 · weighted \$62\.50/);
    await waitFor(
      async () => {
        const now = await stored();
        return now.deals[0]?.stage_id === now.stageOf('Lead qualification')!.id;
      },
      Boolean,
      { what: 'the deal in Lead qualification on the server' },
    );
    await expectAxeClean(page);
    await shot(page, 'deal-moved');

    // Reload: the board is the server's, not the page's memory.
    await page.reload();
    await boardReady(page);
    await column(page, 'Lead qualification').locator('.deal-card', { hasText: DEAL }).waitFor();
    await expect(meta(page, 'Lead qualification')).resolves.toMatch(/^1 deal · \$250\.00 · weighted \$62\.50/);
    await context.close();
    expect(problems).toEqual([]);
  });
});
