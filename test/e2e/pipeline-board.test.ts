/**
 * The pipeline board in real Chromium over real HTTP, on the demo data (with its leads and deals):
 * it fits the screen, a real mouse drag moves a card between columns and within one, the keyboard
 * path with its announcements, the lost-reason dialog (cancel and confirm), a move the server
 * refuses put back, the rotting flag, columns that load more as they scroll, filters in the URL,
 * quick add, switching and creating pipelines, a viewer, axe at 1280 and 390 px, screenshots in
 * test-artifacts/ (the README's docs/board.jpg with UPDATE_README_SCREENSHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, readmeScreenshot, serveApp } from '../support/browser';
import { createDeal, createPipeline, json, member, stageNamed, type PipelineBody } from '../support/pipeline';
import { waitFor } from '../support/wait';

const ARTIFACTS = 'test-artifacts';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
const DEMO_PIPELINE = 'Demo B2C e-commerce pipeline - 1';
const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable)('the pipeline board in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: TestClient;
  let demoId: string;
  /** Added to the real time: a test moves the app's clock back to make deals that entered their stage long ago. */
  let offset = 0;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: () => Date.now() + offset });
    await seedDemo(t.database, { clock: t.deps.clock, leads: true });
    server = await serveApp(t.app);
    browser = await launchBrowser();
    owner = t.client();
    await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    const { pipelines } = await json(await owner.rpc.api.pipelines.$get(), 200);
    demoId = pipelines.find((p) => p.name === DEMO_PIPELINE)!.id;
    mkdirSync(ARTIFACTS, { recursive: true });
    mkdirSync('docs', { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });

  const url = (path: string) => `${server.base}${path}`;

  /** A signed-in page whose console errors fail the test, except the refusals a test provokes. */
  async function signedIn(viewport = DESKTOP, who: { email: string; password: string } = DEMO): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const expected = /status of (400|409)/.test(message.text()) || message.location().url.endsWith('/favicon.ico');
      if (message.type() === 'error' && !expected) problems.push(`console error: ${message.text()}`);
    });
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\//);
    return page;
  }

  /** Opens a board and waits until its columns are on screen. */
  async function openBoard(page: Page, pipelineId: string, search = '') {
    await page.goto(url(`/app/pipelines/${pipelineId}${search}`));
    await page.locator('.board-col').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress, .board-scroller.is-stale'));
  }

  const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
  const card = (scope: Page | Locator, name: string) => scope.locator('.deal-card', { hasText: name });
  const live = (page: Page) => page.locator('#board-live');
  const dealStage = async (id: string) => (await json(await owner.rpc.api.deals[':id'].$get({ param: { id } }), 200)).stageId;

  /** A pipeline of its own for a test, with `names` deals in its first stage (in that order, top first). */
  async function pipelineWith(name: string, names: string[], template: 'b2c' | 'blank' = 'b2c') {
    const pipe = await createPipeline(owner, name, template);
    const first = pipe.stages[0]!;
    const ids: string[] = [];
    for (const deal of names)
      ids.push((await createDeal(owner, { pipelineId: pipe.id, stageId: first.id, name: deal, valueMinor: 10_000 })).id);
    return { pipe, ids };
  }

  /** A real mouse drag: press on the card, move in steps (so Chromium starts a drag), release over `target`. */
  async function drag(page: Page, from: Locator, target: Locator, where: 'top' | 'bottom' | 'center' = 'center') {
    const a = (await from.boundingBox())!;
    const b = (await target.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 8, a.y + a.height / 2 + 8, { steps: 4 });
    const y = where === 'top' ? b.y + 4 : where === 'bottom' ? b.y + b.height - 4 : b.y + b.height / 2;
    await page.mouse.move(b.x + b.width / 2, y, { steps: 12 });
    await page.mouse.up();
  }

  it('fits the demo board on one screen at 1280 px and one column at a time at 390 px, with no axe violations', async () => {
    const page = await signedIn();
    await openBoard(page, demoId);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(DEMO_PIPELINE);
    const columns = page.locator('.board-col');
    expect(await columns.count()).toBe(7);
    // Every column as wide as the others, whatever its deals' names.
    const widths = await columns.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
    expect(new Set(widths).size).toBe(1);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThanOrEqual(DESKTOP.height * 1.5);
    // The demo has busy columns: they scroll inside the board rather than lengthening the page.
    const busiest = await page.evaluate(() => Math.max(...[...document.querySelectorAll('.board-cards')].map((l) => l.scrollHeight)));
    expect(busiest).toBeGreaterThan(DESKTOP.height);
    // Header figures: count, total and weighted value.
    await expect(column(page, 'Lead generation').locator('.board-col-meta').textContent()).resolves.toMatch(
      /^\d+ deals? · \$[\d,.]+ · weighted \$[\d,.]+/,
    );
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/board-desktop.png` });
    await readmeScreenshot(page, 'board');

    const phone = await signedIn(PHONE);
    await openBoard(phone, demoId);
    await expect(phone.locator('.board-col:visible').count()).resolves.toBe(1);
    await phone.getByLabel('Stage', { exact: true }).selectOption({ index: 1 });
    await expect(phone.locator('.board-col:visible h2').textContent()).resolves.toBe('Lead qualification');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect(await phone.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(PHONE.height * 1.5);
    const phoneViolations = await seriousViolations(phone);
    expect(phoneViolations, formatViolations(phoneViolations)).toEqual([]);
    await phone.screenshot({ path: `${ARTIFACTS}/board-phone.png` });
  });

  it('moves a card to another column and within a column with a real mouse drag, saved at once', async () => {
    const { pipe, ids } = await pipelineWith('Drag board', ['Drag A', 'Drag B', 'Drag C']);
    const page = await signedIn();
    await openBoard(page, pipe.id);
    const gen = column(page, 'Lead generation');
    const qual = column(page, 'Lead qualification');

    // Between columns: onto the empty Lead qualification column.
    await drag(page, card(gen, 'Drag B'), qual.locator('.board-cards'));
    await card(qual, 'Drag B').waitFor();
    await expect(qual.locator('.board-col-meta').textContent()).resolves.toMatch(/^1 deal · \$100\.00 · weighted \$25\.00/);
    await expect(gen.locator('.board-col-meta').textContent()).resolves.toMatch(/^2 deals · \$200\.00 · weighted \$20\.00/);
    await waitFor(
      () => dealStage(ids[1]!),
      (s) => s === stageNamed(pipe, 'Lead qualification').id,
      { what: 'the move saved' },
    );

    // Within a column: C dropped on the top edge of A goes first.
    await drag(page, card(gen, 'Drag C'), card(gen, 'Drag A'), 'top');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-stage-id] .board-cards')][0]?.textContent?.startsWith('Drag C'));
    const order = async () => {
      const board = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200);
      return board.columns[0]!.deals.map((d) => d.name);
    };
    await waitFor(order, (names) => names.join() === 'Drag C,Drag A', { what: 'the reorder saved' });
    await page.screenshot({ path: `${ARTIFACTS}/board-after-drag.png` });
  });

  it('moves a card with the keyboard, announcing each step, and Escape puts it back', async () => {
    const { pipe, ids } = await pipelineWith('Keyboard board', ['Key A', 'Key B']);
    const page = await signedIn();
    await openBoard(page, pipe.id);
    const keyA = card(page, 'Key A');
    await keyA.focus();
    await page.keyboard.press('Space');
    await expect(live(page).textContent()).resolves.toMatch(/^Picked up Key A in Lead generation, position 1 of 2\./);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('#board-live')?.textContent === 'Key A: Lead generation, position 2 of 2.');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#board-live')?.textContent === 'Key A: Lead qualification, position 1 of 1.');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#board-live')?.textContent === 'Key A: Browse abandonment, position 1 of 1.');
    // Focus follows the card, so the next key still moves it.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain('Key A');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('#board-live')?.textContent === 'Key A dropped in Browse abandonment, position 1 of 1.',
    );
    await waitFor(
      () => dealStage(ids[0]!),
      (s) => s === stageNamed(pipe, 'Browse abandonment').id,
      { what: 'the keyboard move saved' },
    );

    // Escape: the card returns and nothing is saved.
    const keyB = card(page, 'Key B');
    await keyB.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await card(column(page, 'Lead qualification'), 'Key B').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForFunction(
      () => document.querySelector('#board-live')?.textContent === 'Move cancelled. Key B is back in Lead generation.',
    );
    await card(column(page, 'Lead generation'), 'Key B').waitFor();
    expect(await dealStage(ids[1]!)).toBe(stageNamed(pipe, 'Lead generation').id);
  });

  it('asks why a deal was lost: Cancel leaves it, a reason moves it', async () => {
    const { pipe, ids } = await pipelineWith('Lost board', ['Lost A'], 'blank');
    const page = await signedIn();
    await openBoard(page, pipe.id);
    const moveToLost = async () => {
      await card(page, 'Lost A').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page
        .waitForFunction(() => document.querySelector('#board-live')?.textContent === 'Lost A: Closed lost, position 1 of 1.')
        .catch(async (e: unknown) => {
          throw new Error(`live: ${await live(page).textContent()} ${String(e)}`);
        });
      await page.keyboard.press('Space');
      return page.getByRole('dialog', { name: 'Why was “Lost A” lost?' });
    };
    let dialog = await moveToLost();
    await dialog.waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/board-lost-reason.png` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await card(column(page, 'New'), 'Lost A').waitFor();
    await expect(live(page).textContent()).resolves.toBe('Move cancelled. Lost A stays in New.');
    expect(await dealStage(ids[0]!)).toBe(stageNamed(pipe, 'New').id);

    dialog = await moveToLost();
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toBe('Say why the deal was lost.');
    await dialog.getByRole('button', { name: 'Chose a competitor' }).click();
    await expect(dialog.getByLabel('Lost reason').inputValue()).resolves.toBe('Chose a competitor');
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await card(column(page, 'Closed lost'), 'Lost A').waitFor();
    const deal = await waitFor(
      async () => json(await owner.rpc.api.deals[':id'].$get({ param: { id: ids[0]! } }), 200),
      (d) => d.lostReason === 'Chose a competitor',
      { what: 'the lost reason saved' },
    );
    expect(deal.stageId).toBe(stageNamed(pipe, 'Closed lost').id);
  });

  it('puts a card back with a message when the server refuses the move', async () => {
    const { pipe, ids } = await pipelineWith('Refused board', ['Refused A']);
    const page = await signedIn();
    await openBoard(page, pipe.id);
    // Another member deletes the (empty) stage the card is about to go to, after this board loaded.
    const gone = stageNamed(pipe, 'Lead qualification');
    const removed = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: pipe.id, stageId: gone.id },
      query: {},
    });
    expect(removed.status).toBe(200);
    await drag(page, card(page, 'Refused A'), column(page, 'Lead qualification').locator('.board-cards'));
    const toast = page.locator('.toast-error', { hasText: '“Refused A” was not moved and is back in Lead generation' });
    await toast.waitFor();
    await expect(toast.textContent()).resolves.toContain('That stage is not in this pipeline.');
    await card(column(page, 'Lead generation'), 'Refused A').waitFor();
    await expect(column(page, 'Lead qualification').locator('.deal-card').count()).resolves.toBe(0);
    await expect(column(page, 'Lead generation').locator('.board-col-meta').textContent()).resolves.toMatch(/^1 deal · \$100\.00/);
    expect(await dealStage(ids[0]!)).toBe(stageNamed(pipe, 'Lead generation').id);
    await page.screenshot({ path: `${ARTIFACTS}/board-refused.png` });
  });

  it('flags rotting deals, overdue next activities and deals without one', async () => {
    const pipe = await createPipeline(owner, 'Rotting board', 'b2c');
    offset = -20 * DAY; // Lead generation rots after 14 days
    const oldDeal = await createDeal(owner, {
      pipelineId: pipe.id,
      stageId: stageNamed(pipe, 'Lead generation').id,
      name: 'Old lead',
      valueMinor: 5_000,
    });
    offset = 0;
    const fresh = await createDeal(owner, {
      pipelineId: pipe.id,
      stageId: stageNamed(pipe, 'Lead generation').id,
      name: 'Fresh lead',
      valueMinor: 5_000,
    });
    // An overdue call on the old lead, a meeting next week on the fresh one.
    const activity = (dealId: string, type: 'call' | 'meeting', subject: string, dueAt: number) =>
      owner.rpc.api.activities.$post({ json: { dealId, type, subject, dueAt } }).then((r) => json(r, 201));
    await activity(oldDeal.id, 'call', 'Call Ava back', Date.now() - 2 * DAY);
    await activity(fresh.id, 'meeting', 'Demo of the set', Date.now() + 7 * DAY);
    const page = await signedIn();
    await openBoard(page, pipe.id);
    const old = card(page, 'Old lead');
    await expect(old.getAttribute('class')).resolves.toContain('is-rotting');
    await expect(old.locator('.deal-card-rotting').textContent()).resolves.toBe('Rotting');
    await expect(old.locator('.deal-card-age').textContent()).resolves.toBe('in stage 20 d');
    await expect(card(page, 'Fresh lead').locator('.deal-card-rotting').count()).resolves.toBe(0);
    const overdue = old.locator('.deal-card-activity');
    await expect(overdue.getAttribute('class')).resolves.toContain('is-overdue');
    await expect(overdue.textContent()).resolves.toMatch(/^Overdue Call: Call Ava back · /);
    await expect(card(page, 'Fresh lead').locator('.deal-card-activity').textContent()).resolves.toMatch(/^Meeting: Demo of the set · /);
    await expect(card(page, 'Fresh lead').locator('.deal-card-activity.is-overdue').count()).resolves.toBe(0);
    // A deal with nothing planned says so.
    await createDeal(owner, { pipelineId: pipe.id, stageId: stageNamed(pipe, 'Lead generation').id, name: 'Idle lead' });
    await page.reload();
    await expect(card(page, 'Idle lead').locator('.deal-card-noact').textContent()).resolves.toBe('No activity');
    await expect(old.locator('.deal-card-noact').count()).resolves.toBe(0);
    await expect(column(page, 'Lead generation').locator('.board-col-rotting').textContent()).resolves.toBe(' · 1 rotting');
  });

  it('loads more cards as a column scrolls', async () => {
    const pipe = await createPipeline(owner, 'Long board', 'blank');
    const stage = stageNamed(pipe, 'New');
    for (let i = 0; i < 130; i++)
      await createDeal(owner, { pipelineId: pipe.id, stageId: stage.id, name: `Bulk ${String(i).padStart(3, '0')}` });
    const page = await signedIn();
    await openBoard(page, pipe.id);
    const cards = column(page, 'New').locator('.deal-card');
    await expect(cards.count()).resolves.toBe(25);
    await expect(column(page, 'New').locator('.board-col-more').textContent()).resolves.toBe('105 more');
    await page.evaluate(() => {
      const list = document.querySelector('.board-cards')!;
      list.scrollTop = list.scrollHeight;
    });
    // 25 + 100 + the last 5: each page asked for as the end of the column comes near.
    await page.waitForFunction(() => document.querySelectorAll('.board-col .deal-card').length === 125);
    await page.evaluate(() => {
      const list = document.querySelector('.board-cards')!;
      list.scrollTop = list.scrollHeight;
    });
    await page.waitForFunction(() => document.querySelectorAll('.board-col .deal-card').length === 130);
    await expect(column(page, 'New').locator('.board-col-more').count()).resolves.toBe(0);
    const names = await cards.evaluateAll((els) => els.map((e) => e.querySelector('.deal-card-name')!.textContent));
    expect(names).toEqual(Array.from({ length: 130 }, (_, i) => `Bulk ${String(i).padStart(3, '0')}`));
  });

  it('keeps the owner, status and search filters in the URL, across a reload', async () => {
    const { userId } = await member(t, owner, 'editor', 'eddie@filters.test');
    const pipe = await createPipeline(owner, 'Filter board', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation');
    await createDeal(owner, { pipelineId: pipe.id, stageId: gen.id, name: 'Serum - Ann', valueMinor: 1_000 });
    await createDeal(owner, { pipelineId: pipe.id, stageId: gen.id, name: 'Lipstick - Bo', valueMinor: 2_000, ownerId: userId });
    await createDeal(owner, { pipelineId: pipe.id, stageId: stageNamed(pipe, 'Closed won').id, name: 'Serum - Cy', valueMinor: 3_000 });
    const page = await signedIn();
    await openBoard(page, pipe.id);

    await page.getByLabel('Search').fill('serum');
    await page.waitForURL(/\?q=serum$/);
    await page.waitForFunction(() => document.querySelectorAll('.deal-card').length === 2);
    await page.getByLabel('Status').selectOption('won');
    await page.waitForURL(/status=won/);
    await expect(page.locator('.board-col h2').allTextContents()).resolves.toEqual(['Closed won', 'Post-purchase']);
    await page.reload();
    await page.locator('.board-col').first().waitFor();
    await expect(page.getByLabel('Search').inputValue()).resolves.toBe('serum');
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('won');
    await expect(page.locator('.deal-card-name').allTextContents()).resolves.toEqual(['Serum - Cy']);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(url(`/app/pipelines/${pipe.id}`));
    await page.getByLabel('Owner').selectOption(userId);
    await page.waitForURL(new RegExp(`\\?owner=${userId}$`));
    await page.waitForFunction(() => document.querySelectorAll('.deal-card').length === 1);
    await expect(page.locator('.deal-card-name').allTextContents()).resolves.toEqual(['Lipstick - Bo']);
    await expect(page.locator('.board-summary').textContent()).resolves.toMatch(/^1 deal match · \$20\.00/);
    await page.screenshot({ path: `${ARTIFACTS}/board-filtered.png` });
  });

  it('adds a deal from a column head: Enter adds it on top at once', async () => {
    const { pipe } = await pipelineWith('Quick board', ['Existing']);
    const page = await signedIn();
    await openBoard(page, pipe.id);
    const gen = column(page, 'Lead generation');
    await page.getByRole('button', { name: 'Add a deal to Lead generation' }).click();
    const form = page.getByRole('form', { name: 'New deal in Lead generation' });
    await form.getByLabel('Deal name').fill('Cosmetics set - Dee');
    await form.getByLabel('Value (USD)').fill('twelve');
    await page.keyboard.press('Enter');
    await expect(form.getByRole('alert').textContent()).resolves.toBe('Enter an amount like 250 or 1250.50.');
    await form.getByLabel('Value (USD)').fill('250');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.board-cards .deal-card-name')?.textContent === 'Cosmetics set - Dee');
    await expect(gen.locator('.board-col-meta').textContent()).resolves.toMatch(/^2 deals · \$350\.00/);
    // The form stays open and empty for the next one.
    await expect(form.getByLabel('Deal name').inputValue()).resolves.toBe('');
    // The card shows before the server has answered: wait for the deal to be stored.
    const deals = await waitFor(
      async () => (await json(await owner.rpc.api.deals.$get({ query: { pipeline: pipe.id, q: 'Dee' } }), 200)).deals,
      (found) => found.length > 0,
    );
    expect(deals).toEqual([
      expect.objectContaining({ valueMinor: 25_000, currency: 'USD', stageId: stageNamed(pipe, 'Lead generation').id }),
    ]);
    await card(gen, 'Cosmetics set - Dee').waitFor();
    await expect(gen.locator('.deal-card').first().getAttribute('href')).resolves.toBe(`/app/deals/${deals[0]!.id}`);
  });

  it('switches pipelines and creates one from a template, from the list and from the board', async () => {
    const page = await signedIn();
    await page.goto(url('/app/pipelines'));
    await page.getByRole('button', { name: 'New pipeline' }).click();
    const dialog = page.getByRole('dialog', { name: 'New pipeline' });
    await dialog.getByLabel('Name').fill('Agency deals');
    await dialog.getByLabel(/^B2B sales/).check();
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/board-new-pipeline.png` });
    await dialog.getByRole('button', { name: 'Create pipeline' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agency deals' }).waitFor();
    await page.locator('.board-col').first().waitFor();
    await expect(page.locator('.board-col h2').allTextContents()).resolves.toEqual([
      'Prospecting',
      'Lead qualification',
      'Demo or meeting',
      'Proposal',
      'Negotiation',
      'Closed won',
      'Closed lost',
      'Post-purchase',
    ]);
    const agencyUrl = page.url();

    // The switcher changes the URL, and Back returns.
    await page.getByRole('combobox', { name: 'Pipeline' }).selectOption({ label: DEMO_PIPELINE });
    await page.waitForURL(url(`/app/pipelines/${demoId}`));
    await page.getByRole('heading', { level: 1, name: DEMO_PIPELINE }).waitFor();
    await page.goBack();
    await page.waitForURL(agencyUrl);
    await page.getByRole('heading', { level: 1, name: 'Agency deals' }).waitFor();

    // From the board: a taken name is said next to the field.
    await page.getByRole('button', { name: 'New pipeline' }).click();
    await dialog.getByLabel('Name').fill('Agency deals');
    await dialog.getByRole('button', { name: 'Create pipeline' }).click();
    await expect(dialog.locator('#new-pipeline-name-error').textContent()).resolves.toMatch(/Agency deals/);
    await dialog.getByLabel('Name').fill('Partners');
    await dialog.getByLabel(/^Blank/).check();
    await dialog.getByRole('button', { name: 'Create pipeline' }).click();
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    await page.locator('.board-col').first().waitFor();
    await expect(page.locator('.board-col h2').allTextContents()).resolves.toEqual(['New', 'Closed won', 'Closed lost']);
    const { pipelines } = await json(await owner.rpc.api.pipelines.$get(), 200);
    expect(pipelines.map((p: PipelineBody) => p.name)).toEqual(expect.arrayContaining(['Agency deals', 'Partners']));
  });

  it('shows a viewer the board without any way to change it', async () => {
    const { client } = await member(t, owner, 'viewer', 'vera@board.test');
    void client;
    const page = await signedIn(DESKTOP, { email: 'vera@board.test', password: 'correct horse battery' });
    await openBoard(page, demoId);
    await expect(page.locator('.board-col-add').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'New pipeline' }).count()).resolves.toBe(0);
    await expect(page.locator('.deal-card[draggable="true"]').count()).resolves.toBe(0);
    await card(page, DEMO.deal.name).focus();
    await page.keyboard.press('Space');
    await expect(live(page).textContent()).resolves.toBe('You are a viewer here, so deals cannot be moved.');
  });
});
