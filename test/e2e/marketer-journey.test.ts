/**
 * Issue 12's headline scenario, end to end in real Chromium over real HTTP: a marketer signs up,
 * builds a funnel from the quiz template in the editor (headline, a lead form with its consent
 * wording, blocks reordered by drag and by keyboard, an image uploaded with alt text, the phone
 * preview), publishes; a visitor in a browser of their own signs up on the live page; back in the
 * app the lead, its journey and consent wording are there and the funnel's numbers moved.
 * Screenshots of each step land in test-artifacts/marketer-journey/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { json } from '../support/responses';
import { waitFor } from '../support/wait';
import { png as onePng } from '../support/images';

const ARTIFACTS = join('test-artifacts', 'marketer-journey');
const DESKTOP = { width: 1280, height: 1000 };
/** Headless Chromium's own user agent reads as a bot, and bots are neither tracked nor captured. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const MARKETER = { name: 'Mara Marketer', email: 'mara.journey@example.com', password: 'correct horse battery', workspace: 'Ember & Oak' };
const VISITOR = { name: 'Rosa', email: 'rosa.journey@example.com' };
const FUNNEL_SLUG = 'coffee-match';
const HEADLINE = 'Your perfect morning coffee, matched in one minute';
const CONSENT = 'Email me my coffee match and Ember & Oak offers. I can unsubscribe with one click, any time.';
const ALT = 'A bag of Hearth medium roast next to a steaming mug';

/** A small one-colour PNG as a Buffer (what Playwright's file inputs and routes take). */
const png = (width: number, height: number): Buffer => Buffer.from(onePng(width, height, [0x5b, 0x5b, 0x5b]));

describe.skipIf(!chromiumAvailable)('a marketer’s first funnel, from sign-up to a lead', { timeout: 180_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      // Real time, as the browser's.
      clock: Date.now,
      // The visitor fills the form faster than a person: the too-fast guard would drop the capture as a bot's.
      captureLimits: { minFillMs: 0 },
    });
    server = await serveApp(t.app);
    browser = await launchBrowser({ userAgent: USER_AGENT });
  });
  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await browser?.close();
    await server?.close();
    t?.close();
  });

  const url = (path: string) => `${server.base}${path}`;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    // A step that cannot happen fails with its own message, well inside the test's timeout.
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
        problems.push(`console error: ${message.text()} @ ${JSON.stringify(message.location())}`);
    });
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  async function viewReady(page: Page, heading: string | RegExp) {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
  }

  /** The block types down the outline, as shown (without the position read to screen readers). */
  const outlineTypes = (page: Page) =>
    page.locator('.outline-item .outline-type').evaluateAll((els) =>
      els.map((el) =>
        [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join(''),
      ),
    );
  const outlineIds = (page: Page) =>
    page.locator('.outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outline-id')));
  const waitSaved = (page: Page) => page.waitForSelector('[data-save-state="saved"]');

  /** Waits until the editor's preview (a sandboxed srcdoc frame, read from the app's side) satisfies `check`. */
  async function waitInPreview(page: Page, check: (doc: Document) => boolean): Promise<void> {
    const doc = await page.evaluateHandle(() => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!);
    await page.waitForFunction(check, doc);
  }

  /** The funnel page's "Visitors" and "Leads" figures, as shown. */
  async function funnelNumbers(page: Page): Promise<{ visitors: string; leads: string }> {
    const cards = page.locator('.funnel-numbers .metrics');
    return {
      visitors: (await cards.locator('div').filter({ hasText: 'Visitors' }).locator('dd').textContent()) ?? '',
      leads: (await cards.locator('div').filter({ hasText: 'Leads' }).locator('dd').textContent()) ?? '',
    };
  }

  it('signs up, builds and publishes a quiz funnel; a visitor’s sign-up shows as a lead with its journey and consent', async () => {
    // ── Sign up ────────────────────────────────────────────────────────────────────────────────
    const page = await newPage();
    await page.goto(url('/signup'));
    await page.getByLabel('Your name').fill(MARKETER.name);
    await page.getByLabel('Email').fill(MARKETER.email);
    await page.getByLabel('Password (10+ characters)').fill(MARKETER.password);
    await page.getByLabel('Company or workspace name').fill(MARKETER.workspace);
    await shot(page, '01-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(url('/app/funnels'));
    await viewReady(page, 'Funnels');
    // The same account over the API, to check what the screens say against what the server stored.
    const api: TestClient = t.client();
    expect((await api.rpc.api.auth.login.$post({ json: { email: MARKETER.email, password: MARKETER.password } })).status).toBe(200);

    // ── A funnel from the quiz template ────────────────────────────────────────────────────────
    const { templates } = await json(await api.rpc.api.templates.$get(), 200);
    const quiz = templates.find((tpl) => tpl.goal === 'quiz')!;
    await page.goto(url('/app/funnels/new'));
    await page.locator('.template-card').first().waitFor();
    await shot(page, '02-template-gallery');
    await page.getByRole('link', { name: `Use this template: ${quiz.name}` }).click();
    await page.waitForURL(url(`/app/funnels/new?template=${quiz.id}`));
    const useDialog = page.getByRole('dialog', { name: `Use “${quiz.name}”` });
    await expect(useDialog.getByLabel('Name').inputValue()).resolves.toBe(quiz.suggestedName);
    await useDialog.getByLabel('Slug').fill(FUNNEL_SLUG);
    await useDialog.getByRole('button', { name: 'Create funnel' }).click();
    // The funnel's own page (not the dialog's /app/funnels/new?template=… it came from).
    await page.waitForURL((u) => /^\/app\/funnels\/[^/]+$/.test(u.pathname) && u.pathname !== '/app/funnels/new');
    const funnelId = new URL(page.url()).pathname.split('/').at(-1)!;
    await viewReady(page, quiz.suggestedName);
    await waitFor(
      () => page.locator('.funnel-page .page-name').allTextContents(),
      (names) => names.join() === quiz.pages.map((p) => p.name).join(),
      { what: 'the template’s pages' },
    );
    // Nothing has happened yet: no visitors, no leads.
    await waitFor(
      () => funnelNumbers(page),
      (n) => n.visitors === '0' && n.leads === '0',
      { what: 'zero visitors and leads on a new funnel' },
    );
    await shot(page, '03-funnel-created');

    // ── The first page in the editor ───────────────────────────────────────────────────────────
    const first = quiz.pages[0]!;
    await page.getByRole('link', { name: `Edit “${first.name}”` }).click();
    await page.waitForURL(/\/app\/funnels\/[^/]+\/pages\/[^/]+$/);
    const pageId = page.url().split('/').at(-1)!;
    await page.locator('.editor-panes').waitFor();
    await page.waitForFunction(() =>
      document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentDocument?.querySelector('[data-block-index]'),
    );
    expect(await outlineTypes(page)).toEqual(['Hero', 'Features', 'Testimonials']);
    const pane = page.locator('.pane-inspector');

    // The headline, in the inspector; the preview follows.
    await page.locator('[data-outline-id="hero"] .outline-select').click();
    const headline = pane.getByLabel('Headline', { exact: true });
    await headline.fill(HEADLINE);
    await waitInPreview(page, (doc) => doc.querySelector('h1')?.textContent === 'Your perfect morning coffee, matched in one minute');
    await waitSaved(page);
    await shot(page, '04-headline-edited');

    // A lead form from the palette, after the selected hero, with the consent wording visitors must tick.
    await page.getByRole('button', { name: '+ Add block' }).click();
    const palette = page.getByRole('dialog', { name: 'Add a block' });
    await palette.getByRole('button', { name: /^Lead form/ }).click();
    await palette.waitFor({ state: 'detached' });
    expect(await outlineTypes(page)).toEqual(['Hero', 'Lead form', 'Features', 'Testimonials']);
    const formId = (await outlineIds(page))[1]!;
    const consent = pane.locator('fieldset.consent');
    await consent.getByLabel('Consent wording').fill(CONSENT);
    await consent.getByRole('switch', { name: 'Visitors must tick it to submit' }).check();
    await waitInPreview(page, (doc) => doc.body.textContent?.includes('Email me my coffee match and Ember & Oak offers.') ?? false);
    await waitSaved(page);
    await shot(page, '05-lead-form-consent');

    // Reorder by drag: the form below the features, with real mouse events (native drag and drop).
    const handle = await page.locator(`[data-outline-id="${formId}"] .drag-handle`).boundingBox();
    const target = await page.locator('[data-outline-id="why"]').boundingBox();
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height * 0.5, { steps: 5 });
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height * 0.85, { steps: 5 });
    await page.waitForSelector('[data-outline-id="why"].drop-bottom');
    await page.mouse.up();
    await waitFor(
      () => outlineTypes(page),
      (types) => types.join() === 'Hero,Features,Lead form,Testimonials',
      { what: 'the form dragged below the features' },
    );
    await page.getByText('Moved Lead form “Get it by email” to position 3 of 4.').waitFor();

    // And by keyboard: Alt+↓ takes it below the testimonials, to the end of the page.
    await page.locator(`[data-outline-id="${formId}"] .outline-select`).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await waitFor(
      () => outlineTypes(page),
      (types) => types.join() === 'Hero,Features,Testimonials,Lead form',
      { what: 'the form moved down by keyboard' },
    );
    await page.getByText('Moved Lead form “Get it by email” to position 4 of 4.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('[data-outline-id]')?.getAttribute('data-outline-id'))).toBe(formId);
    await waitInPreview(page, (doc) => doc.querySelector('[data-block-index="3"] form') !== null);
    await waitSaved(page);
    await shot(page, '06-reordered');

    // An image uploaded with its alt text through the hero's media picker: a real PNG, made here.
    await page.locator('[data-outline-id="hero"] .outline-select').click();
    await pane.getByRole('button', { name: /^(Replace|Choose) image$/ }).click();
    const picker = page.getByRole('dialog', { name: 'Choose an image' });
    await picker.getByRole('tab', { name: 'Upload a new image' }).click();
    await picker.getByLabel('Image file').setInputFiles({ name: 'hearth.png', mimeType: 'image/png', buffer: png(240, 160) });
    await picker.getByLabel('Alt text').fill(ALT);
    await shot(page, '07-media-picker');
    await picker.getByRole('button', { name: 'Upload and use' }).click();
    await picker.waitFor({ state: 'detached' });
    await expect(pane.getByLabel('Alt text').inputValue()).resolves.toBe(ALT);
    // The check runs in the browser, so the alt text is spelled out rather than closed over.
    await waitInPreview(
      page,
      (doc) =>
        doc.querySelector('[data-block-index="0"] img')?.getAttribute('alt') === 'A bag of Hearth medium roast next to a steaming mug',
    );
    await waitSaved(page);
    const { media } = await json(await api.rpc.api.media.$get({ query: {} }), 200);
    expect(media.map((m) => [m.originalName, m.alt])).toEqual([['hearth.png', ALT]]);

    // The phone preview: the page at 390 px.
    await page.getByRole('button', { name: 'Phone', exact: true }).click();
    await page.waitForFunction(() => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentWindow!.innerWidth === 390);
    await shot(page, '08-phone-preview');

    // What the server holds is what was built.
    const { draft } = await json(await api.rpc.api.pages[':id'].$get({ param: { id: pageId } }), 200);
    const blocks = (draft as { blocks: { type: string; headline?: string; consent?: unknown; image?: { alt: string; src: string } }[] })
      .blocks;
    expect(blocks.map((b) => b.type)).toEqual(['hero', 'features', 'testimonials', 'lead_form']);
    expect(blocks[0]).toMatchObject({ headline: HEADLINE, image: { alt: ALT } });
    expect(blocks[0]!.image!.src).toMatch(/^\/media\/[0-9a-f]{16}\/[0-9A-Z]{26}\.png$/);
    expect(blocks[3]!.consent).toEqual({ text: CONSENT, required: true });

    // Publish.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const publish = page.getByRole('dialog', { name: 'Publish this page?' });
    // The hero's button leads on to the quiz page, a draft still: said before publishing (a warning,
    // not a problem), as visitors will see the button's words without a link until it is published.
    await publish.getByText('The hero button leads to “quiz”, which is not published', { exact: false }).waitFor();
    expect(await publish.locator('.finding').count()).toBe(1);
    await shot(page, '09-publish-dialog');
    await publish.getByRole('button', { name: 'Publish anyway', exact: true }).click();
    // The first page answers at the funnel's own address (the toast says so), and at its page slug too.
    await page
      .getByRole('status')
      .filter({ hasText: `is live at /p/${FUNNEL_SLUG}` })
      .waitFor();
    const livePath = `/p/${FUNNEL_SLUG}/${first.slug}`;
    await shot(page, '10-published');

    // ── A visitor, in a browser of their own ────────────────────────────────────────────────────
    const visitorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    visitorContext.setDefaultTimeout(15_000);
    contexts.push(visitorContext);
    const visitor = await visitorContext.newPage();
    visitor.on('pageerror', (error) => problems.push(`visitor page error: ${error.message}`));
    await visitor.goto(url(livePath));
    await visitor.getByRole('heading', { level: 1, name: HEADLINE }).waitFor();
    await expect(visitor.getByRole('img', { name: ALT }).isVisible()).resolves.toBe(true);
    await visitor.getByLabel('First name').fill(VISITOR.name);
    await visitor.getByLabel('Email', { exact: true }).fill(VISITOR.email);
    await visitor.getByLabel(CONSENT).check();
    await shot(visitor, '11-visitor-form');
    // With no "after submitting" set, the form would go on to the next page, a draft still: the
    // visitor is thanked in place instead of meeting a 404.
    await Promise.all([
      visitor.waitForURL(/\?result=[^#]+#[\w-]+\.result$/),
      visitor.getByRole('button', { name: 'Send it to me' }).click(),
    ]);
    await shot(visitor, '12-visitor-after-submit');

    const leadId = await waitFor(
      async () => (await json(await api.rpc.api.leads.$get({ query: { q: VISITOR.email } }), 200)).leads[0]?.id,
      Boolean,
      { what: 'the visitor’s lead' },
    );
    await waitFor(
      async () => (await json(await api.rpc.api.leads[':id'].$get({ param: { id: leadId! } }), 200)).journey.events.map((e) => e.type),
      (types) => types.includes('page_view') && types.includes('form_submit'),
      { what: 'the visit and the form post in the journey' },
    );

    // ── Back in the app: the lead, its journey and the consent wording ─────────────────────────
    await page.goto(url('/app/leads'));
    await viewReady(page, 'Leads');
    await page.getByRole('link', { name: VISITOR.name }).waitFor();
    await expect(page.getByText(VISITOR.email).first().isVisible()).resolves.toBe(true);
    await shot(page, '13-leads');
    await page.getByRole('link', { name: VISITOR.name }).click();
    await page.waitForURL(url(`/app/leads/${leadId!}`));
    await viewReady(page, VISITOR.name);
    const journey = page.getByRole('region', { name: 'Journey' });
    await journey.getByText(`Viewed a page · ${first.name}`).first().waitFor();
    await expect(journey.getByText('Sent a form').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('.consent-wording').textContent()).resolves.toBe(CONSENT);
    await expect(page.getByRole('region', { name: 'Contact' }).textContent()).resolves.toContain(VISITOR.email);
    await shot(page, '14-lead-detail');

    // The funnel's numbers moved: on its page and in the list.
    await page.goto(url(`/app/funnels/${funnelId}`));
    await viewReady(page, quiz.suggestedName);
    await waitFor(
      () => funnelNumbers(page),
      (n) => n.visitors === '1' && n.leads === '1',
      { what: 'one visitor and one lead on the funnel page' },
    );
    await shot(page, '15-funnel-numbers');
    await page.goto(url('/app/funnels'));
    await viewReady(page, 'Funnels');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: quiz.suggestedName }) });
    await expect(row.locator('td[data-label="Visitors"]').textContent()).resolves.toBe('1');
    await expect(row.locator('td[data-label="Leads"]').textContent()).resolves.toBe('1');
    await shot(page, '16-funnel-list');

    expect(problems).toEqual([]);
  });
});
