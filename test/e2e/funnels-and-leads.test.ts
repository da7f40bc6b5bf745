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
import type { DnsResolver } from '../../workers/services/ports';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { leadFormPage } from '../support/fixtures';
import { waitFor } from '../support/wait';

const ARTIFACTS = join('test-artifacts', 'funnels-and-leads');
const VIEWER = { email: 'viewer.funnels@example.com', password: 'correct horse battery', name: 'Vera Viewer' };
/** A marketer of another workspace: owns a slug, and has no leads. */
const OTHER = { email: 'other.funnels@example.com', password: 'correct horse battery', name: 'Otto Other' };
const APP_HOST = 'app.leadflare.test';
/** Headless Chromium's own user agent reads as a bot, and bots are neither tracked nor captured. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** The resolver the custom-domain check asks (the port pagesapi injects in tests): answers from this table. */
const dnsRecords = { cname: new Map<string, string>() };
const fakeDns: DnsResolver = {
  cname: (name) => Promise.resolve(dnsRecords.cname.has(name) ? [dnsRecords.cname.get(name)!] : []),
  addresses: () => Promise.resolve([]),
};

describe.skipIf(!chromiumAvailable)('funnels and leads in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: TestClient;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Browser tests run on the app's own clock (real time): the browser's dates and the seed's must agree.
    t = await createTestApp({
      clock: Date.now,
      demoLogin: { email: DEMO.email, password: DEMO.password },
      dns: fakeDns,
      appHosts: [APP_HOST],
      // A visitor here fills the form faster than a person: the too-fast guard would drop the capture as a bot's.
      captureLimits: { minFillMs: 0 },
    });
    // With the demo's leads: journeys through the real landing pages, so the leads table has funnels, stages and sources to filter.
    await seedDemo(t.database, { clock: Date.now, leads: true });
    owner = t.client();
    const signIn = await owner.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } });
    expect(signIn.status).toBe(200);
    const invite = await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } });
    const { token } = await invite.json();
    await t.client().signup(VIEWER.email, VIEWER.password, VIEWER.name, { inviteToken: token });
    const other = t.client();
    await other.signup(OTHER.email, OTHER.password, OTHER.name);
    expect((await other.rpc.api.funnels.$post({ json: { name: 'Taken elsewhere', slug: 'taken-elsewhere' } })).status).toBe(201);
    server = await serveApp(t.app);
    browser = await launchBrowser({ userAgent: USER_AGENT });
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
    // Well inside the test's own timeout, so a failure names the locator it waited for.
    context.setDefaultTimeout(10_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    const page = await context.newPage();
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app/);
    return { context, page };
  }

  /** A screenshot of the whole page; long lists are cut at the viewport (`fullPage: false`). */
  async function shot(page: Page, name: string, fullPage = true) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
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
      if (name === names[0]) await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} });
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
    for (const name of ['Add page', 'Delete funnel…', 'Save', 'Save spam protection']) {
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

  /** What a copy button put on the clipboard. */
  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  it('creates a funnel from the quiz template: gallery with rendered thumbnails, slug checked as typed, 409 at the field', async () => {
    const { templates } = await (await owner.rpc.api.templates.$get()).json();
    const quiz = templates.find((tpl) => tpl.goal === 'quiz')!;
    expect(templates.length).toBeGreaterThanOrEqual(6);
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels`);
    await page.getByRole('link', { name: 'New funnel' }).click();
    await page.waitForURL(`${server.base}/app/funnels/new`);
    await waitFor(
      () => page.locator('.template-card iframe').count(),
      (n) => n === templates.length,
      { what: 'a thumbnail per template' },
    );
    // Each thumbnail is the template's first page as the renderer draws it (loaded as it scrolls into view).
    for (const tpl of templates) {
      const frame = page.locator(`.template-card iframe[src="${tpl.thumbnailUrl}"]`);
      await frame.scrollIntoViewIfNeeded();
      await page.frameLocator(`.template-card iframe[src="${tpl.thumbnailUrl}"]`).locator('h1').first().waitFor();
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await waitFor(
      () =>
        page
          .locator('.template-card iframe')
          .evaluateAll((frames) => frames.every((f) => (f as HTMLIFrameElement).contentDocument === null)),
      Boolean,
      { what: 'sandboxed (opaque) thumbnails' },
    );
    await shot(page, 'gallery');
    await expectAxeClean(page);

    await page.getByRole('link', { name: `Use this template: ${quiz.name}` }).click();
    await page.waitForURL(`${server.base}/app/funnels/new?template=${quiz.id}`);
    const dialog = page.getByRole('dialog', { name: `Use “${quiz.name}”` });
    await expect(dialog.getByLabel('Name').inputValue()).resolves.toBe(quiz.suggestedName);
    const slug = dialog.getByLabel('Slug');
    const slugError = dialog.locator('#template-funnel-slug-error');
    await slug.fill('Skin Quiz');
    await expect(slugError.textContent()).resolves.toBe('Use lower-case letters: capitals are not allowed in addresses.');
    await slug.fill(DEMO.funnel.slug);
    await expect(slugError.textContent()).resolves.toBe('Another of your funnels already uses this slug.');
    await expect(dialog.getByRole('button', { name: 'Create funnel' }).isDisabled()).resolves.toBe(true);
    // Taken in another workspace: only the server knows, and its answer lands at the field.
    await slug.fill('taken-elsewhere');
    await dialog.getByRole('button', { name: 'Create funnel' }).click();
    await expect(slugError.textContent()).resolves.toContain('/p/taken-elsewhere');
    expect(await slug.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'use-template-slug-taken');

    // The chosen template is in the URL: a reload opens the same dialog.
    await page.reload();
    await dialog.waitFor();
    await dialog.getByLabel('Slug').fill('skin-quiz-e2e');
    await dialog.getByRole('button', { name: 'Create funnel' }).click();
    // Not the dialog's own address (/app/funnels/new?template=…): the new funnel's page.
    await page.waitForURL((u) => /^\/app\/funnels\/(?!new$)[^/]+$/.test(u.pathname));
    await page.getByRole('heading', { level: 1, name: quiz.suggestedName }).waitFor();
    await waitFor(
      () => rowNames(page),
      (names) => names.join() === quiz.pages.map((p) => p.name).join(),
      { what: 'the template’s pages' },
    );
    // Each page counts for the stage the template gave it.
    for (const [i, p] of quiz.pages.entries()) await expect(page.getByLabel('Counts as').nth(i).inputValue()).resolves.toBe(p.stage);
    await context.close();
  });

  it('adds, duplicates and deletes pages (typed name for a published one) and sets the stage a page counts for', async () => {
    const funnelId = await funnelWithPages('pages', ['Alpha', 'Bravo']);
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    await page.locator('.funnel-page').first().waitFor();

    await page.getByRole('button', { name: 'Add page' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add a page' });
    await dialog.getByLabel('Name').fill('Bravo');
    await dialog.getByRole('button', { name: 'Add page' }).click();
    await expect(dialog.locator('#page-slug-error').textContent()).resolves.toBe('A page with this slug already exists in the funnel.');
    await dialog.getByLabel('Name').fill('Special offer');
    await expect(dialog.getByLabel('Slug').inputValue()).resolves.toBe('special-offer');
    await expect(dialog.locator('#page-slug-error').count()).resolves.toBe(0);
    await dialog.getByLabel('Kind').selectOption({ label: 'Offer' });
    await expect(dialog.getByLabel('Views count as').inputValue()).resolves.toBe('desire');
    await shot(page, 'add-page');
    await dialog.getByRole('button', { name: 'Add page' }).click();
    await waitFor(
      () => rowNames(page),
      (n) => n.join() === 'Alpha,Bravo,Special offer',
      { what: 'the new page at the end' },
    );
    await expect(page.getByLabel('Counts as').nth(2).inputValue()).resolves.toBe('desire');
    const funnel = async () => (await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } })).json();
    expect((await funnel()).settings).toMatchObject({ stages: { pages: { 'special-offer': 'desire' } } });

    // The stage select writes the page's own mapping.
    await page.getByLabel('Counts as').nth(1).selectOption('interest');
    await page.getByRole('status').filter({ hasText: 'Views of “Bravo” now count as Interest' }).waitFor();
    expect((await funnel()).settings).toMatchObject({ stages: { pages: { bravo: 'interest', 'special-offer': 'desire' } } });

    await page.getByRole('button', { name: 'More actions for “Bravo”' }).click();
    await page.getByRole('button', { name: 'Duplicate page' }).click();
    await waitFor(
      () => rowNames(page),
      (n) => n.length === 4 && n[2]!.startsWith('Bravo'),
      { what: 'the copy right after Bravo' },
    );

    // An unpublished page: a plain confirmation; Cancel keeps it.
    await page.getByRole('button', { name: 'More actions for “Special offer”' }).click();
    await page.getByRole('button', { name: 'Delete page…' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete “Special offer”?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await rowNames(page)).toContain('Special offer');
    await page.getByRole('button', { name: 'More actions for “Special offer”' }).click();
    await page.getByRole('button', { name: 'Delete page…' }).click();
    await dialog.getByRole('button', { name: 'Delete page' }).click();
    await waitFor(
      () => rowNames(page),
      (n) => !n.includes('Special offer'),
      { what: 'the page gone' },
    );

    // A published page: its name must be typed first.
    await page.getByRole('button', { name: 'More actions for “Alpha”' }).click();
    await page.getByRole('button', { name: 'Delete page…' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete the published page “Alpha”?' });
    const confirmButton = dialog.getByRole('button', { name: 'Delete page' });
    await expect(confirmButton.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Type “Alpha” to confirm').fill('Alph');
    await expect(confirmButton.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Type “Alpha” to confirm').fill('Alpha');
    await shot(page, 'delete-published-page');
    await confirmButton.click();
    await waitFor(
      () => rowNames(page),
      (n) => n.length === 2 && !n.includes('Alpha'),
      { what: 'the published page gone' },
    );
    expect((await funnel()).pages.map((p) => p.name)).toEqual(await rowNames(page));
    await context.close();
  });

  it('sets a custom domain, shows the DNS record with copy buttons and checks DNS until it resolves', async () => {
    const funnelId = await funnelWithPages('domain', ['Home']);
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    await page.getByLabel('Domain', { exact: true }).fill('Offers.Shop.Example');
    await page.getByRole('button', { name: 'Save domain' }).click();
    const domainPanel = page.getByRole('region', { name: 'Custom domain' });
    const record = domainPanel.getByRole('table');
    await record.waitFor();
    await expect(record.getByRole('row').nth(1).textContent()).resolves.toContain(`CNAMEoffers.shop.example`);
    await expect(record.textContent()).resolves.toContain(APP_HOST);
    await domainPanel.getByText('Waiting for DNS').waitFor();
    await record.getByRole('button', { name: 'Copy' }).nth(1).click();
    await waitFor(
      () => clipboard(page),
      (text) => text === APP_HOST,
      { what: 'the record value on the clipboard' },
    );
    await shot(page, 'domain-pending');

    dnsRecords.cname.set('offers.shop.example', APP_HOST);
    await domainPanel.getByRole('button', { name: 'Check DNS' }).click();
    await domainPanel.getByText('Connected').waitFor();
    await expect(domainPanel.getByRole('status').textContent()).resolves.toContain(`offers.shop.example points to ${APP_HOST}`);
    await shot(page, 'domain-connected');
    await expectAxeClean(page);
    await context.close();
  });

  it('copies a form’s embed snippet and explains cookieless mode as it turns it on and off', async () => {
    const funnelId = await funnelWithPages('embed', ['Signup']);
    const pageId = (await (await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } })).json()).pages[0]!.id;
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    const embed = page.getByRole('region', { name: 'Embed a form on your site' });
    await embed.getByRole('button', { name: 'Copy snippet' }).click();
    const snippet = await waitFor(
      () => clipboard(page),
      (text) => text.includes('embed.js'),
      { what: 'the snippet on the clipboard' },
    );
    expect(snippet).toBe(await embed.getByRole('textbox').inputValue());
    expect(snippet).toContain(`data-form="${pageId}.signup"`);

    const cookieless = page.getByRole('switch', { name: 'Cookieless mode' });
    await expect(page.getByText('Nothing is stored on visitors’ devices').isVisible()).resolves.toBe(true);
    await cookieless.check();
    await page.getByRole('status').filter({ hasText: 'Cookieless mode is on' }).waitFor();
    const settings = async () => ((await (await owner.rpc.api.workspace.$get()).json()).settings as { cookieless?: boolean }).cookieless;
    expect(await settings()).toBe(true);
    await cookieless.uncheck();
    await page.getByRole('status').filter({ hasText: 'Cookieless mode is off' }).waitFor();
    expect(await settings()).toBe(false);
    await context.close();
  });

  it('duplicates a funnel and deletes one only after its name is typed', async () => {
    const funnelId = await funnelWithPages('twin', ['Start', 'End']);
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/funnels/${funnelId}`);
    await page.getByRole('button', { name: 'Duplicate funnel…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Duplicate “Funnel twin”' });
    await expect(dialog.getByLabel('Slug').inputValue()).resolves.toBe('twin-copy');
    await dialog.getByRole('button', { name: 'Duplicate funnel' }).click();
    await page.waitForURL((u) => /\/app\/funnels\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(funnelId));
    await page.getByRole('heading', { level: 1, name: 'Funnel twin (copy)' }).waitFor();
    await waitFor(
      () => rowNames(page),
      (n) => n.join() === 'Start,End',
      { what: 'the copied pages' },
    );
    const copyUrl = page.url();

    await page.getByRole('button', { name: 'Delete funnel…' }).click();
    const confirmDialog = page.getByRole('dialog', { name: 'Delete “Funnel twin (copy)”?' });
    await confirmDialog.getByLabel('Type “Funnel twin (copy)” to confirm').fill('Funnel twin');
    await expect(confirmDialog.getByRole('button', { name: 'Delete funnel' }).isDisabled()).resolves.toBe(true);
    await confirmDialog.getByLabel('Type “Funnel twin (copy)” to confirm').fill('funnel twin (copy)');
    await confirmDialog.getByRole('button', { name: 'Delete funnel' }).click();
    await page.waitForURL(`${server.base}/app/funnels`);
    await page.getByRole('status').filter({ hasText: 'Funnel “Funnel twin (copy)” deleted' }).waitFor();
    await page.goto(copyUrl);
    await page.getByRole('heading', { level: 1, name: 'Funnel not found' }).waitFor();
    // The original is untouched.
    expect((await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } })).status).toBe(200);
    await context.close();
  });

  /** The emails of the rows on screen, in order (a row shows the name first when there is one). */
  const rowEmails = (page: Page) =>
    page
      .locator('.lead-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r.querySelector('.lead-email') ?? r.querySelector('th a'))!.textContent.trim()));

  type LeadQuery = Parameters<TestClient['rpc']['api']['leads']['$get']>[0]['query'];
  /** Every lead the API lists for `query`, all pages. */
  async function allLeadEmails(query: LeadQuery): Promise<string[]> {
    const emails: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await (await owner.rpc.api.leads.$get({ query: { ...query, limit: '200', ...(cursor ? { cursor } : {}) } })).json();
      emails.push(...page.leads.map((l) => l.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return emails;
  }

  it('filters, searches and sorts leads with it all in the URL; the CSV is exactly the filtered list', async () => {
    const demo = (await (await owner.rpc.api.funnels.$get()).json()).funnels.find((f) => f.slug === DEMO.funnel.slug)!;
    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/leads`);
    await page.locator('.lead-table tbody tr').first().waitFor();
    const everyone = await allLeadEmails({});
    expect(everyone.length).toBeGreaterThan(50);
    await expect(page.locator('.lead-count').textContent()).resolves.toContain(`${everyone.length.toLocaleString('en-US')} leads`);
    expect(await rowEmails(page)).toEqual(everyone.slice(0, 50));
    await shot(page, 'leads', false);
    await expectAxeClean(page);
    await page.getByRole('button', { name: 'Load 50 more' }).click();
    await waitFor(
      () => rowEmails(page),
      (e) => e.join() === everyone.slice(0, 100).join(),
      { what: 'the next page' },
    );

    await page.getByLabel('Funnel').selectOption(demo.id);
    await page.waitForURL((u) => u.searchParams.get('funnel') === demo.id);
    await page.getByLabel('Furthest stage').selectOption('evaluation');
    await page.waitForURL((u) => u.searchParams.get('stage') === 'evaluation');
    const filtered = await allLeadEmails({ funnel: demo.id, stage: 'evaluation' });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(everyone.length);
    await waitFor(
      () => rowEmails(page),
      (e) => e.join() === filtered.slice(0, 50).join(),
      { what: 'the filtered rows' },
    );

    // Sorting by score, highest first: the header says so to screen readers too.
    await page.getByRole('button', { name: 'Score' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'score' && u.searchParams.get('dir') === 'desc');
    const byScore = await allLeadEmails({ funnel: demo.id, stage: 'evaluation', sort: 'score', dir: 'desc' });
    await waitFor(
      () => rowEmails(page),
      (e) => e.join() === byScore.slice(0, 50).join(),
      { what: 'the rows by score' },
    );
    await expect(page.getByRole('columnheader', { name: /Score/ }).getAttribute('aria-sort')).resolves.toBe('descending');
    const sortedUrl = page.url();

    // Reload and Back show the same lists.
    await page.reload();
    await waitFor(
      () => rowEmails(page),
      (e) => e.join() === byScore.slice(0, 50).join(),
      { what: 'the rows after a reload' },
    );
    await expect(page.getByLabel('Furthest stage').inputValue()).resolves.toBe('evaluation');
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('sort') && u.searchParams.get('stage') === 'evaluation');
    await waitFor(
      () => rowEmails(page),
      (e) => e.join() === filtered.slice(0, 50).join(),
      { what: 'the rows after Back' },
    );
    await page.goto(sortedUrl);
    await page.locator('.lead-table tbody tr').first().waitFor();

    // The export link carries the same query; the file lists exactly those leads, in that order.
    const href = await page.getByRole('link', { name: /Export CSV/ }).getAttribute('href');
    expect(href).toContain(`stage=evaluation`);
    const csv = await (await page.request.get(`${server.base}${href!}`)).text();
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    const emailColumn = header!.split(',').indexOf('email');
    expect(lines.map((l) => l.split(',')[emailColumn]!.replace(/^"|"$/g, ''))).toEqual(byScore);

    // A date range: added from a day after today, so nothing yet.
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await page.getByLabel('Added from').fill(tomorrow);
    await page.waitForURL((u) => u.searchParams.get('from') === tomorrow);
    await page.getByRole('region', { name: 'No lead matches these filters' }).waitFor();
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('from'));
    await page.locator('.lead-table tbody tr').first().waitFor();

    // A search that matches nothing: the empty state says so and clears the filters.
    await page.getByLabel('Search leads').fill('no-such-lead-zzz');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'no-such-lead-zzz');
    const none = page.getByRole('region', { name: 'No lead matches these filters' });
    await none.waitFor();
    await shot(page, 'leads-no-match');
    await none.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'score' && !u.searchParams.has('q') && !u.searchParams.has('stage'));
    await page.locator('.lead-table tbody tr').first().waitFor();
    await context.close();
  });

  it('shows a visitor’s lead with the journey, the stages it counted for and the exact consent wording', async () => {
    const consent = 'Send me the spring recipes. I can unsubscribe with one click, any time.';
    const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: 'Journey', slug: 'journey' } })).json();
    const landing = await (
      await owner.rpc.api.funnels[':id'].pages.$post({
        param: { id: funnel.id },
        json: { slug: 'join', name: 'Join the list', kind: 'landing', content: leadFormPage({ consent }) },
      })
    ).json();
    expect((await owner.rpc.api.pages[':id'].publish.$post({ param: { id: landing.id }, json: {} })).status).toBe(201);

    // A visitor, in a browser of their own, comes from a newsletter and signs up.
    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.base}/p/journey?utm_source=newsletter&utm_medium=email&utm_campaign=spring`);
    await visitor.getByLabel('Email').fill('rosa.visitor@example.com');
    await visitor.getByLabel('Name').fill('Rosa Visitor');
    await visitor.getByLabel(consent).check();
    await visitor.getByRole('button', { name: 'Subscribe' }).click();
    await visitor.waitForLoadState('load');
    await visitorContext.close();
    const leadId = await waitFor(
      async () => (await (await owner.rpc.api.leads.$get({ query: { q: 'rosa.visitor' } })).json()).leads[0]?.id,
      Boolean,
      { what: 'the visitor’s lead' },
    );
    await waitFor(
      async () => (await (await owner.rpc.api.leads[':id'].$get({ param: { id: leadId! } })).json()).journey.events.map((e) => e.type),
      (types) => types.includes('page_view') && types.includes('form_submit'),
      { what: 'the visit and the form post in the journey' },
    );

    // Her earlier visits (last week, before she signed up): more than one page of the journey.
    const [{ visitor_id: visitorId, workspace_id: workspaceId }] = (
      await t.database.client.execute({ sql: 'select id as visitor_id, workspace_id from visitors where lead_id = ?', args: [leadId!] })
    ).rows as unknown as [{ visitor_id: string; workspace_id: string }];
    const weekAgo = Date.now() - 7 * 24 * 60 * 60 * 1000;
    await t.database.client.batch(
      Array.from({ length: 120 }, (_, i) => ({
        sql: `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at) values (?, ?, ?, ?, ?, 'page_view', ?, ?)`,
        args: [
          `old-visit-${String(i).padStart(3, '0')}`,
          workspaceId,
          funnel.id,
          landing.id,
          visitorId,
          weekAgo + i * 60_000,
          weekAgo + i * 60_000,
        ],
      })),
      'write',
    );

    const { context, page } = await signedIn(DEMO.email, DEMO.password);
    await page.goto(`${server.base}/app/leads`);
    await page.getByLabel('Search leads').fill('rosa');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'rosa');
    await page.getByRole('link', { name: 'Rosa Visitor' }).click();
    await page.waitForURL(`${server.base}/app/leads/${leadId!}`);
    await page.getByRole('heading', { level: 1, name: 'Rosa Visitor' }).waitFor();
    const journey = page.getByRole('region', { name: 'Journey' });
    await journey.getByText('Viewed a page · Join the list').last().waitFor();
    await expect(journey.getByText('Sent a form').first().isVisible()).resolves.toBe(true);
    await expect(journey.locator('.timeline-item').first().textContent()).resolves.toContain('Awareness');
    // The latest 100 events first; the older ones a page at a time, above them, oldest first.
    await expect(journey.locator('.timeline-item').count()).resolves.toBe(100);
    await journey.getByRole('button', { name: 'Show older events' }).click();
    await waitFor(
      () => journey.locator('.timeline-item').count(),
      (n) => n > 100,
      { what: 'the older events' },
    );
    await journey.getByRole('button', { name: 'Show older events' }).waitFor({ state: 'detached' });
    const total = await journey.locator('.timeline-item').count();
    expect(total).toBe(
      120 +
        (await (await owner.rpc.api.leads[':id'].$get({ param: { id: leadId! } })).json()).journey.events.filter(
          (e) => !e.id.startsWith('old-visit'),
        ).length,
    );
    const times = await journey
      .locator('.timeline-item time')
      .evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute('datetime')!)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await expect(journey.getByText('from newsletter / email · spring').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('.consent-wording').textContent()).resolves.toBe(consent);
    const attribution = page.getByRole('region', { name: 'Attribution' });
    await expect(attribution.textContent()).resolves.toContain('newsletter');
    await expect(page.getByRole('region', { name: 'Contact' }).textContent()).resolves.toContain('rosa.visitor@example.com');
    await shot(page, 'lead-detail');
    await expectAxeClean(page);

    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalOverflow(page);
    await shot(page, 'lead-detail-390');

    // The funnel's page counts the visit and the sign-up on the page where they happened.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.base}/app/funnels/${funnel.id}`);
    await waitFor(
      () => page.locator('.funnel-page .page-numbers').first().textContent(),
      (text) => text === 'Views1Conversions1 (100.0%)',
      { what: 'one view and one conversion on the page' },
    );
    await context.close();
  });

  it('shows the leads table as cards on a phone, and a first-time marketer what to do when there are no leads', async () => {
    const phone = await signedIn(DEMO.email, DEMO.password, { width: 390, height: 844 });
    await phone.page.goto(`${server.base}/app/leads`);
    await phone.page.locator('.lead-table tbody tr').first().waitFor();
    await expectNoHorizontalOverflow(phone.page);
    // Filters fold away on a phone, so the first leads are on the first screen.
    await expect(phone.page.getByLabel('Furthest stage').isVisible()).resolves.toBe(false);
    await expect(phone.page.locator('.lead-table tbody tr').first().isVisible()).resolves.toBe(true);
    await shot(phone.page, 'leads-390', false);
    await phone.page.locator('summary', { hasText: 'Filters and sort' }).click();
    await phone.page.getByLabel('Furthest stage').selectOption('desire');
    await phone.page.waitForURL((u) => u.searchParams.get('stage') === 'desire');
    await phone.page.locator('.lead-table tbody tr').first().waitFor();
    await expectNoHorizontalOverflow(phone.page);
    await phone.page.goto(`${server.base}/app/funnels/new`);
    await phone.page.locator('.template-card iframe').first().waitFor();
    await expectNoHorizontalOverflow(phone.page);
    await shot(phone.page, 'gallery-390');
    await phone.context.close();

    const fresh = await signedIn(OTHER.email, OTHER.password);
    await fresh.page.goto(`${server.base}/app/leads`);
    const empty = fresh.page.getByRole('region', { name: 'No leads yet' });
    await empty.waitFor();
    await expect(empty.textContent()).resolves.toContain('Publish a funnel');
    await shot(fresh.page, 'leads-empty');
    await expectAxeClean(fresh.page);
    await fresh.context.close();
  });

  it('lets a viewer read the gallery and the leads but start nothing', async () => {
    const { context, page } = await signedIn(VIEWER.email, VIEWER.password);
    await page.goto(`${server.base}/app/funnels`);
    await page.getByRole('heading', { level: 1, name: 'Funnels' }).waitFor();
    await expect(page.getByRole('link', { name: 'New funnel' }).count()).resolves.toBe(0);
    await page.goto(`${server.base}/app/funnels/new`);
    const use = page.getByRole('button', { name: /^Use this template/ }).first();
    await use.waitFor();
    await expect(use.isDisabled()).resolves.toBe(true);
    expect(await use.getAttribute('aria-describedby')).toBe('read-only-note');
    await expect(page.getByRole('button', { name: 'Start blank' }).isDisabled()).resolves.toBe(true);
    // Previews stay open to everyone.
    await expect(
      page
        .getByRole('link', { name: /^Preview/ })
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await expectAxeClean(page);
    await page.goto(`${server.base}/app/leads`);
    await page.locator('.lead-table tbody tr').first().waitFor();
    await page.locator('.lead-table tbody tr th a').first().click();
    await page.waitForURL(/\/app\/leads\/[^/]+$/);
    await page.getByRole('region', { name: 'Journey' }).waitFor();
    await expectAxeClean(page);
    await context.close();
  });
});
