/**
 * The pipeline editor (/app/pipelines/:id/settings) in real Chromium on the real app: every editor
 * action a sales lead takes — rename, stage fields with the server's messages beside them, add,
 * reorder by drag and by keyboard (announced), delete a stage with its deals moved, the closing
 * stages, the automations with "Run now", delete the pipeline — checked on the server after each;
 * a viewer sees it all read-only; axe at 1280 and 390 px. Screenshots in test-artifacts/pipeline-editor/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { createDeal, createPipeline, member, stageNamed, type PipelineBody } from '../support/pipeline';
import { json } from '../support/responses';
import { waitFor } from '../support/wait';

const ARTIFACTS = join('test-artifacts', 'pipeline-editor');
const PASSWORD = 'correct horse battery';
const OWNER = { email: 'olive.owner@example.com', name: 'Olive Owner' };
const VIEWER = { email: 'vic.viewer@example.com', name: 'Vic Viewer' };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable)('the pipeline editor in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: TestClient;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Real time, as the browser's.
    t = await createTestApp({ clock: Date.now });
    owner = t.client();
    await owner.signup(OWNER.email, PASSWORD, OWNER.name);
    await member(t, owner, 'viewer', VIEWER.email);
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });
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

  async function signedIn(email: string, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The refusals this test provokes on purpose (400 invalid, 409 taken or holding deals) are logged by Chromium.
      if (message.type() === 'error' && !/status of (400|404|409)/.test(message.text())) problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\//);
    return page;
  }

  async function openEditor(page: Page, pipelineId: string) {
    await page.goto(`${server.base}/app/pipelines/${pipelineId}/settings`);
    await page.getByRole('heading', { level: 1, name: 'Pipeline settings' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress') && document.querySelector('.pe-stage'));
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  async function expectAxeClean(page: Page) {
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  async function expectNoSidewaysScroll(page: Page) {
    const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(size.scroll).toBeLessThanOrEqual(size.viewport);
  }

  const server$ = async (id: string): Promise<PipelineBody> => json(await owner.rpc.api.pipelines[':id'].$get({ param: { id } }), 200);
  const serverNames = async (id: string) => (await server$(id)).stages.map((s) => s.name);
  const rowNames = (page: Page) =>
    page.locator('.pe-stage .pe-field-name input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  /** The row of the stage now named `name` (by its id, so the locator keeps the row while its name is edited). */
  async function row(page: Page, name: string) {
    const id = await page
      .locator('.pe-stage')
      .evaluateAll(
        (rows, wanted) =>
          rows.find((r) => r.querySelector<HTMLInputElement>('.pe-field-name input')?.value === wanted)?.getAttribute('data-stage-id'),
        name,
      );
    if (!id) throw new Error(`No stage row named "${name}"`);
    return page.locator(`.pe-stage[data-stage-id="${id}"]`);
  }
  const announced = (page: Page, text: string) =>
    page.waitForFunction((t) => document.querySelector('.panel [role="status"][aria-live="assertive"]')?.textContent === t, text);

  it('renames, edits stage fields with the server’s messages, adds, reorders by drag and keyboard, deletes with the deals moved', async () => {
    const pipeline = await createPipeline(owner, 'Online store', 'b2c');
    await createPipeline(owner, 'Wholesale', 'blank');
    const leadGen = stageNamed(pipeline, 'Lead generation');
    for (const [name, value] of [
      ['Cosmetics set - Ava Smith', 25_000],
      ['Serum - Ben Lee', 4_500],
    ] as const) {
      await createDeal(owner, { pipelineId: pipeline.id, stageId: leadGen.id, name, valueMinor: value, currency: 'USD' });
    }
    const page = await signedIn(OWNER.email);
    await openEditor(page, pipeline.id);
    expect(await rowNames(page)).toEqual([
      'Lead generation',
      'Lead qualification',
      'Browse abandonment',
      'Checkout abandonment',
      'Closed won',
      'Closed lost',
      'Post-purchase',
    ]);
    await page.getByText('2 deals worth $295.00').first().waitFor();
    await shot(page, 'editor-desktop');
    await expectAxeClean(page);

    // The pipeline's name: a taken one is refused beside the field; a free one is saved.
    const name = page.getByLabel('Pipeline name');
    await name.fill('Wholesale');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.locator('#pe-pipeline-name-error').getByText('A pipeline named "Wholesale" already exists in this workspace.').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('Online store (B2C)');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Pipeline renamed to “Online store (B2C)”').waitFor();
    expect((await server$(pipeline.id)).name).toBe('Online store (B2C)');

    // Inline rename: Enter saves; a name another stage has is refused beside the field.
    const qualification = (await row(page, 'Lead qualification')).getByLabel('Stage name');
    await qualification.fill('Browse abandonment');
    await qualification.press('Enter');
    await page.getByText('This pipeline already has a stage named "Browse abandonment".').waitFor();
    await qualification.fill('Qualified');
    await qualification.press('Enter');
    await page.getByText('Stage renamed to “Qualified”').waitFor();
    await waitFor(
      () => serverNames(pipeline.id),
      (n) => n[1] === 'Qualified',
      { what: 'the renamed stage on the server' },
    );

    // Win probability: out of range is the server's message beside the field; leaving the field saves.
    const probability = (await row(page, 'Qualified')).getByLabel('Win %');
    await probability.fill('150');
    await probability.press('Tab');
    const probabilityError = (await row(page, 'Qualified')).locator('.field-error');
    await probabilityError.waitFor();
    expect(await probabilityError.textContent()).toMatch(/100/);
    expect(await probability.getAttribute('aria-invalid')).toBe('true');
    await probability.fill('30');
    await probability.press('Enter');
    await page.getByText('“Qualified” now has a 30% win probability').waitFor();
    await probabilityError.waitFor({ state: 'detached' });
    // Rotting: a number of days, or empty for never.
    const rotting = (await row(page, 'Qualified')).getByLabel('Rotting (days)');
    await rotting.fill('5');
    await rotting.press('Enter');
    await page.getByText('Deals in “Qualified” rot after 5 days').waitFor();
    await waitFor(
      () => server$(pipeline.id),
      (p) => stageNamed(p, 'Qualified').winProbability === 30 && stageNamed(p, 'Qualified').rottingDays === 5,
      { what: 'probability and rotting on the server' },
    );
    await rotting.fill('');
    await rotting.press('Enter');
    await page.getByText('Deals in “Qualified” no longer rot').waitFor();
    // Closing stages have their probability fixed and never rot: those fields are off.
    expect(await (await row(page, 'Closed won')).getByLabel('Win %').isDisabled()).toBe(true);
    expect(await (await row(page, 'Closed lost')).getByLabel('Rotting (days)').isDisabled()).toBe(true);

    // Add a stage after "Lead generation" (the article's wishlist example).
    const add = page.getByRole('form', { name: 'Add a stage' });
    await add.getByLabel('Name', { exact: true }).fill('Wishlisted');
    await add.getByLabel('Win probability (%)').fill('15');
    await add.getByLabel('Rotting (days)').fill('21');
    await add.getByLabel('Place').selectOption({ label: 'After “Lead generation”' });
    await add.getByRole('button', { name: 'Add stage' }).click();
    await page.getByText('Stage “Wishlisted” added', { exact: true }).waitFor();
    await waitFor(
      () => rowNames(page),
      (n) => n[1] === 'Wishlisted',
      { what: 'the new stage in second place' },
    );
    const wishlisted = stageNamed(await server$(pipeline.id), 'Wishlisted');
    expect(wishlisted).toMatchObject({ position: 1, kind: 'open', winProbability: 15, rottingDays: 21 });
    // A second one with a taken name: the message is beside the name field.
    await add.getByLabel('Name', { exact: true }).fill('wishlisted');
    await add.getByRole('button', { name: 'Add stage' }).click();
    await page.locator('#pe-new-stage-name-error').getByText('This pipeline already has a stage named "Wishlisted".').waitFor();

    // Keyboard: Alt+↓ twice on Wishlisted's handle, each announced, focus staying on the handle.
    await page.getByRole('button', { name: /^Reorder “Wishlisted”/ }).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await announced(page, 'Wishlisted moved to position 3 of 8.');
    await page.keyboard.press('Alt+ArrowDown');
    await announced(page, 'Wishlisted moved to position 4 of 8.');
    await waitFor(
      () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''),
      (label) => label.startsWith('Reorder “Wishlisted”, position 4 of 8'),
      { what: 'the focus on the moved handle' },
    );
    await waitFor(
      () => serverNames(pipeline.id),
      (n) => n[3] === 'Wishlisted',
      { what: 'the keyboard order on the server' },
    );
    // The ↑ button does the same without a shortcut.
    await page.getByRole('button', { name: 'Move “Wishlisted” up' }).click();
    await announced(page, 'Wishlisted moved to position 3 of 8.');
    // …and keeps the focus, so Enter moves it again.
    await waitFor(
      () => page.evaluate(() => document.activeElement?.textContent ?? ''),
      (text) => text.includes('Move “Wishlisted” up'),
      {
        what: 'the focus on the ↑ button',
      },
    );
    await page.keyboard.press('Enter');
    await announced(page, 'Wishlisted moved to position 2 of 8.');
    await page.getByRole('button', { name: 'Move “Wishlisted” down' }).click();
    await announced(page, 'Wishlisted moved to position 3 of 8.');
    await waitFor(
      () => serverNames(pipeline.id),
      (n) => n[2] === 'Wishlisted',
      { what: 'the button move on the server' },
    );

    // Drag with the mouse: Post-purchase onto the top half of Closed won.
    const handle = await page.getByRole('button', { name: /^Reorder “Post-purchase”/ }).boundingBox();
    const target = await (await row(page, 'Closed won')).boundingBox();
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height * 0.5, { steps: 5 });
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height * 0.2, { steps: 5 });
    await page.waitForSelector('.pe-stage.drop-top');
    await page.mouse.up();
    await announced(page, 'Post-purchase moved to position 6 of 8.');
    const dragged = [
      'Lead generation',
      'Qualified',
      'Wishlisted',
      'Browse abandonment',
      'Checkout abandonment',
      'Post-purchase',
      'Closed won',
      'Closed lost',
    ];
    await waitFor(
      () => serverNames(pipeline.id),
      (n) => n.join() === dragged.join(),
      { what: 'the dragged order on the server' },
    );
    expect(await rowNames(page)).toEqual(dragged);

    // Kind: an empty open stage becomes a lost stage; the closing stages panel then offers it.
    await (await row(page, 'Wishlisted')).getByLabel('Kind').selectOption('lost');
    await page.getByText('“Wishlisted” is now a lost stage').waitFor();
    const lostSelect = page.getByLabel('Deals marked lost go to');
    await waitFor(() => lostSelect.isEnabled(), Boolean, { what: 'two lost stages to choose from' });
    await lostSelect.selectOption({ label: 'Wishlisted' });
    await page.getByText('Deals marked lost now go to “Wishlisted”').waitFor();
    expect((await server$(pipeline.id)).lostStageId).toBe(wishlisted.id);
    // And back to open (it needs a probability again: 50 to start).
    await (await row(page, 'Wishlisted')).getByLabel('Kind').selectOption('open');
    await page.getByText('“Wishlisted” is now an open stage').waitFor();
    await waitFor(
      () => server$(pipeline.id),
      (p) => stageNamed(p, 'Wishlisted').kind === 'open' && p.lostStageId === stageNamed(p, 'Closed lost').id,
      { what: 'the lost stage named again' },
    );

    // Delete an empty stage: asked first; Cancel keeps it.
    await page.getByRole('button', { name: /^Delete “Wishlisted”/ }).click();
    const confirmDialog = page.getByRole('dialog', { name: 'Delete the stage “Wishlisted”?' });
    await confirmDialog.getByRole('button', { name: 'Cancel' }).click();
    await confirmDialog.waitFor({ state: 'detached' });
    expect(await serverNames(pipeline.id)).toContain('Wishlisted');
    await page.getByRole('button', { name: /^Delete “Wishlisted”/ }).click();
    await confirmDialog.getByRole('button', { name: 'Delete stage' }).click();
    await announced(page, 'Stage “Wishlisted” deleted');
    expect(await serverNames(pipeline.id)).not.toContain('Wishlisted');

    // Delete a stage that holds deals: where do they go? Closed lost needs a reason (the server says so beside the field).
    await page.getByRole('button', { name: /^Delete “Lead generation”/ }).click();
    const moveDialog = page.getByRole('dialog', { name: 'Delete the stage “Lead generation”?' });
    await moveDialog.getByText('It holds 2 deals worth $295.00.', { exact: false }).waitFor();
    expect(await moveDialog.getByLabel('Move the deals to').inputValue()).toBe(stageNamed(pipeline, 'Lead qualification').id);
    await shot(page, 'delete-stage-dialog');
    await moveDialog.getByLabel('Move the deals to').selectOption({ label: 'Closed lost (lost)' });
    await moveDialog.getByRole('button', { name: 'Move 2 deals and delete' }).click();
    await moveDialog.locator('#pe-lost-reason-error').getByText('Say why these deals were lost to move them to "Closed lost".').waitFor();
    await expectAxeClean(page);
    await moveDialog.getByLabel('Why were they lost?').fill('Duplicate leads');
    await moveDialog.getByRole('button', { name: 'Move 2 deals and delete' }).click();
    await announced(page, 'Stage “Lead generation” deleted; 2 deals moved to “Closed lost”');
    const after = await server$(pipeline.id);
    expect(after.stages.map((s) => s.name)).not.toContain('Lead generation');
    expect(stageNamed(after, 'Closed lost').dealCount).toBe(2);
    const lostDeals = await json(await owner.rpc.api.deals.$get({ query: { pipeline: pipeline.id } }), 200);
    expect(lostDeals.deals.map((d) => d.lostReason)).toEqual(['Duplicate leads', 'Duplicate leads']);
    await (await row(page, 'Closed lost')).getByText('2').first().waitFor();

    // The last open stage cannot go: the refusal is shown with the list.
    for (const stage of ['Qualified', 'Browse abandonment']) {
      await page.getByRole('button', { name: new RegExp(`^Delete “${stage}”`) }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete stage' }).click();
      await announced(page, `Stage “${stage}” deleted`);
    }
    await page.getByRole('button', { name: /^Delete “Checkout abandonment”/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete stage' }).click();
    await page.getByText('A pipeline needs at least one open stage; add another open stage first.').waitFor();

    // Reload: the URL is the view, and it shows what the server has.
    await page.reload();
    await page.locator('.pe-stage').first().waitFor();
    expect(await rowNames(page)).toEqual(['Checkout abandonment', 'Post-purchase', 'Closed won', 'Closed lost']);
  });

  it('asks where the deals go when a stage that looked empty got deals since the page loaded', async () => {
    const pipeline = await createPipeline(owner, 'Busy meanwhile', 'b2c');
    const page = await signedIn(OWNER.email);
    await openEditor(page, pipeline.id);
    // A colleague (or an automation) adds a deal to Browse abandonment after the editor loaded.
    const browse = stageNamed(pipeline, 'Browse abandonment');
    await createDeal(owner, { pipelineId: pipeline.id, stageId: browse.id, name: 'Mascara - Dan Roe', valueMinor: 1_900, currency: 'USD' });
    await page.getByRole('button', { name: /^Delete “Browse abandonment”/ }).click();
    await page
      .getByRole('dialog', { name: 'Delete the stage “Browse abandonment”?' })
      .getByRole('button', { name: 'Delete stage' })
      .click();
    // The server said it holds a deal: the question becomes where it goes, with the fresh count and value.
    const moveDialog = page.getByRole('dialog', { name: 'Delete the stage “Browse abandonment”?' });
    await moveDialog.getByText('It holds 1 deal worth $19.00.', { exact: false }).waitFor();
    expect(await moveDialog.getByLabel('Move the deals to').inputValue()).toBe(stageNamed(pipeline, 'Checkout abandonment').id);
    await moveDialog.getByRole('button', { name: 'Move 1 deal and delete' }).click();
    await announced(page, 'Stage “Browse abandonment” deleted; 1 deal moved to “Checkout abandonment”');
    const after = await server$(pipeline.id);
    expect(after.stages.map((s) => s.name)).not.toContain('Browse abandonment');
    expect(stageNamed(after, 'Checkout abandonment').dealCount).toBe(1);
    // The move is in the deal's history, as a move on the board would be.
    const { deals } = await json(await owner.rpc.api.deals.$get({ query: { pipeline: pipeline.id } }), 200);
    const deal = await json(await owner.rpc.api.deals[':id'].$get({ param: { id: deals[0]!.id } }), 200);
    expect(deal.history.map((h) => [h.fromStageId, h.toStageId])).toContainEqual([
      browse.id,
      stageNamed(pipeline, 'Checkout abandonment').id,
    ]);
  });

  it('sets the B2C automations with the server’s messages, runs them now, and deletes the pipeline by its typed name', async () => {
    const pipeline = await createPipeline(owner, 'Automated store', 'b2c');
    await createDeal(owner, {
      pipelineId: pipeline.id,
      stageId: stageNamed(pipeline, 'Lead generation').id,
      name: 'Lip kit - Cara Diaz',
      valueMinor: 3_900,
      currency: 'USD',
    });
    const page = await signedIn(OWNER.email);
    await openEditor(page, pipeline.id);
    const panel = page.getByRole('region', { name: 'B2C automations' });
    // Not saved yet: the suggestion from the template's stage names, off; "Run now" waits for it.
    expect(await panel.getByLabel('Automations on').isChecked()).toBe(false);
    expect(await panel.getByRole('button', { name: 'Run now' }).isDisabled()).toBe(true);
    expect(await panel.locator('#pe-auto-browse-stage').inputValue()).toBe(stageNamed(pipeline, 'Browse abandonment').id);
    expect(await panel.locator('#pe-auto-post-stage').inputValue()).toBe(stageNamed(pipeline, 'Post-purchase').id);

    // Out of range: the server's message beside the field; nothing saved.
    await panel.getByLabel('Automations on').check();
    await panel.getByLabel('After (hours)').fill('0');
    await panel.getByRole('button', { name: 'Save automations' }).click();
    await panel.locator('#pe-auto-browse-hours-error').waitFor();
    expect(await panel.getByLabel('After (hours)').getAttribute('aria-invalid')).toBe('true');
    await expect(json(await owner.rpc.api.pipelines[':id'].automations.$get({ param: { id: pipeline.id } }), 200)).resolves.toMatchObject({
      automations: null,
    });
    // Post-purchase in the won stage itself is refused by the server's own rule.
    await panel.getByLabel('After (hours)').fill('6');
    await panel.getByLabel('Then post-purchase').selectOption({ label: 'Closed won' });
    await panel.getByRole('button', { name: 'Save automations' }).click();
    await panel.getByText('Post-purchase needs a stage of its own, after the won stage.').waitFor();
    await panel.getByLabel('Then post-purchase').selectOption({ label: 'Post-purchase' });
    await panel.getByLabel('After (days; 0 at once)').fill('3');
    await panel.getByLabel('Visitors of every funnel').uncheck();
    await panel.getByText('This workspace has no funnels yet.').waitFor();
    await panel.getByLabel('Visitors of every funnel').check();
    await panel.getByLabel('Lost reason').fill('Unsubscribed from the newsletter');
    await panel.getByRole('button', { name: 'Save automations' }).click();
    await page.getByText('Automations saved and on').waitFor();
    const saved = json(await owner.rpc.api.pipelines[':id'].automations.$get({ param: { id: pipeline.id } }), 200);
    await expect(saved).resolves.toMatchObject({
      automations: {
        enabled: true,
        funnelIds: null,
        browseAbandonment: { afterHours: 6 },
        purchase: { postPurchaseStageId: stageNamed(pipeline, 'Post-purchase').id, postPurchaseAfterDays: 3 },
        unsubscribe: { reason: 'Unsubscribed from the newsletter' },
      },
    });

    // Run now: the report says what happened (nothing is due without visitors).
    await waitFor(() => panel.getByRole('button', { name: 'Run now' }).isEnabled(), Boolean, { what: 'Run now enabled' });
    await panel.getByRole('button', { name: 'Run now' }).click();
    await panel.getByText('Nothing was due.').waitFor();
    await page.getByText('Automations ran: 0 steps taken').waitFor();
    await shot(page, 'automations');
    await panel.locator('.pe-run').screenshot({ path: join(ARTIFACTS, 'automations-run.png') });
    await expectAxeClean(page);

    // Delete the pipeline: its name must be typed; the deal goes with it.
    await page.getByRole('button', { name: 'Delete pipeline…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Automated store”?' });
    await dialog.getByText('its 1 deal', { exact: false }).waitFor();
    const confirmButton = dialog.getByRole('button', { name: 'Delete pipeline' });
    expect(await confirmButton.isDisabled()).toBe(true);
    await dialog.getByLabel('Type “Automated store” to confirm').fill('automated store ');
    await confirmButton.click();
    await page.waitForURL(`${server.base}/app/pipelines`);
    await page.getByText('Pipeline “Automated store” deleted').waitFor();
    expect((await owner.rpc.api.pipelines[':id'].$get({ param: { id: pipeline.id } })).status).toBe(404);
  });

  it('fits a phone: no sideways scrolling, axe clean, keyboard reorder works', async () => {
    const pipeline = await createPipeline(owner, 'Phone pipeline with a rather long name for a small screen', 'b2c');
    const page = await signedIn(OWNER.email, PHONE);
    await openEditor(page, pipeline.id);
    await expectNoSidewaysScroll(page);
    await shot(page, 'editor-phone');
    await page.locator('.pe-stage').nth(4).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'editor-phone-stages.png') });
    await expectAxeClean(page);
    await page.getByRole('button', { name: /^Reorder “Closed lost”/ }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await announced(page, 'Closed lost moved to position 5 of 7.');
    await waitFor(
      () => serverNames(pipeline.id),
      (n) => n[4] === 'Closed lost',
      { what: 'the phone move on the server' },
    );
    await expectNoSidewaysScroll(page);
  });

  it('shows a viewer everything with every control off and the note saying why', async () => {
    const pipeline = await createPipeline(owner, 'Viewed pipeline', 'b2c');
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await signedIn(VIEWER.email, viewport);
      await openEditor(page, pipeline.id);
      await page.getByText('View only.').waitFor();
      await waitFor(
        () => page.locator('#pe-auto-enabled').count(),
        (n) => n === 1,
        { what: 'the automations form' },
      );
      // Every input, select and button of the editor is disabled; the links still work.
      const enabled = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLInputElement>('.pe-layout input, .pe-layout select, .pe-layout button')]
          .filter((el) => !el.disabled)
          .map((el) => el.id || el.textContent),
      );
      expect(enabled).toEqual([]);
      expect(await page.getByRole('button', { name: /^Reorder “Lead generation”/ }).getAttribute('aria-describedby')).toContain(
        'read-only-note',
      );
      // Alt+↓ on a disabled handle moves nothing.
      await page.keyboard.press('Alt+ArrowDown');
      expect((await serverNames(pipeline.id))[0]).toBe('Lead generation');
      await shot(page, `viewer-${viewport.width}`);
      await expectAxeClean(page);
      if (viewport === PHONE) await expectNoSidewaysScroll(page);
    }
  });

  it('shows nothing of another workspace’s pipeline: not found, as for one that does not exist', async () => {
    const stranger = t.client();
    await stranger.signup('sam.stranger@example.com', PASSWORD, 'Sam Stranger');
    const theirs = await createPipeline(stranger, 'Their secret pipeline', 'b2c');
    const page = await signedIn(OWNER.email);
    for (const id of [theirs.id, '01NOTAPIPELINE000000000000']) {
      await page.goto(`${server.base}/app/pipelines/${id}/settings`);
      await page.getByRole('heading', { level: 1, name: 'Pipeline not found' }).waitFor();
      await page.getByRole('link', { name: 'See all pipelines' }).waitFor();
      expect(await page.getByText('Their secret pipeline').count()).toBe(0);
    }
    await expectAxeClean(page);
  });
});
