/**
 * The inspector and the media library in real Chromium over real HTTP, in the real app: uploads
 * with alt text (and bad uploads refused with the server's message, nothing stored), alt text
 * edited in place, delete with where-used, a viewer who can look but not change, axe on every
 * screen, and screenshots in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import type { PageContent } from '../../workers/domain/blocks';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { json } from '../support/responses';
import { waitFor } from '../support/wait';

const ARTIFACTS = 'test-artifacts';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

/** A small one-colour PNG, built byte by byte. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5b)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const UNSAFE_SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

describe.skipIf(!chromiumAvailable)('the inspector and the media library in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: TestClient;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now });
    await seedDemo(t.database, { clock: t.deps.clock, leads: false });
    server = await serveApp(t.app);
    browser = await launchBrowser();
    owner = t.client();
    await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    mkdirSync(ARTIFACTS, { recursive: true });
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

  const url = (path: string) => `${server.base}${path}`;

  async function newPage(viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport });
    // A step that cannot happen fails with its own message, well before the test's timeout.
    context.setDefaultTimeout(8000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Chromium logs the refusals the tests provoke (400 bad upload, 409 in use).
      const expected = /status of (400|409|413)/.test(message.text()) || message.location().url.endsWith('/favicon.ico');
      if (message.type() === 'error' && !expected)
        problems.push(`console error: ${message.text()} @ ${JSON.stringify(message.location())}`);
    });
    return page;
  }

  async function signIn(page: Page, email = DEMO.email, password = DEMO.password) {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/app/funnels'));
  }

  async function viewReady(page: Page, heading: string | RegExp) {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
  }

  async function axeClean(page: Page, what: string) {
    const violations = await seriousViolations(page);
    expect(violations, `${what}:\n${formatViolations(violations)}`).toEqual([]);
  }

  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  }

  const mediaRows = async () => {
    const { media } = await json(await owner.rpc.api.media.$get({ query: {} }), 200);
    return media;
  };

  it('media library: empty state, upload with alt text by picking and by dropping, bad uploads refused with the server’s message', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Media' }).click();
    await page.waitForURL(url('/app/media'));
    await viewReady(page, 'Media');
    const empty = page.getByRole('region', { name: 'No media yet' });
    await empty.waitFor();
    await axeClean(page, 'empty media library');
    await shoot(page, 'media-empty');

    // Pick an image: the alt text is asked first, and is required.
    await page
      .locator('input[type=file][aria-label="Files to upload"]')
      .setInputFiles({ name: 'serum.png', mimeType: 'image/png', buffer: png(120, 80) });
    const dialog = page.getByRole('dialog', { name: 'Describe the image' });
    await dialog.waitFor();
    // The chosen picture is previewed before it is uploaded.
    await dialog.locator('img.upload-preview').waitFor();
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await expect(dialog.getByText('Describe the image for people who cannot see it (alt text).').isVisible()).resolves.toBe(true);
    expect(await dialog.getByLabel('Alt text').getAttribute('aria-invalid')).toBe('true');
    await axeClean(page, 'upload dialog with an error');
    await shoot(page, 'media-upload-alt');
    await dialog.getByLabel('Alt text').fill('The serum bottle on a marble shelf');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.waitFor({ state: 'detached' });
    const grid = page.getByRole('list', { name: 'Media files' });
    await grid.getByText('serum.png').waitFor();
    await expect(page.getByRole('status').filter({ hasText: '“serum.png” uploaded' }).isVisible()).resolves.toBe(true);
    const img = grid.getByRole('img', { name: 'The serum bottle on a marble shelf' });
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.media-thumb img')].every((i) => i.complete && i.naturalWidth > 0),
    );
    expect(await img.getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{16}\/[0-9A-Z]{26}\.png$/);
    await expect(grid.getByText('PNG · 120 × 80').isVisible()).resolves.toBe(true);

    // A text file renamed .png: the server reads the bytes, refuses it, and nothing appears.
    await page
      .locator('input[type=file][aria-label="Files to upload"]')
      .setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text, not a picture') });
    await dialog.waitFor();
    await dialog.getByLabel('Alt text').fill('Not really an image');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toBe(
      '“notes.png” was not uploaded. This file type is not supported. Upload a PNG, JPEG, WebP, GIF or SVG image, or a PDF file. Nothing was stored.',
    );
    await shoot(page, 'media-upload-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // An SVG with a script, dropped onto the screen.
    await dropFiles(page, [{ name: 'logo.svg', mimeType: 'image/svg+xml', text: UNSAFE_SVG.toString() }]);
    await dialog.waitFor();
    await dialog.getByLabel('Alt text').fill('Logo');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain(
      'This SVG is not accepted: the element <script> is not allowed',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // A PDF dropped onto the screen uploads straight away (files need no alt text).
    await dropFiles(page, [{ name: 'guide.pdf', mimeType: 'application/pdf', text: PDF.toString('latin1') }]);
    await grid.getByText('guide.pdf').waitFor();
    expect((await mediaRows()).map((m) => m.originalName).sort()).toEqual(['guide.pdf', 'serum.png']);

    // Filters have their own URL.
    await page.getByRole('navigation', { name: 'Show' }).getByRole('link', { name: 'PDFs' }).click();
    await page.waitForURL(url('/app/media?kind=file'));
    await waitFor(
      () => grid.getByRole('listitem').count(),
      (n) => n === 1,
    );
    await page.reload();
    await viewReady(page, 'Media');
    await expect(grid.getByText('guide.pdf').isVisible()).resolves.toBe(true);
    await expect(grid.getByText('serum.png').count()).resolves.toBe(0);
    await page.goBack();
    await page.waitForURL(url('/app/media'));
    await waitFor(
      () => grid.getByRole('listitem').count(),
      (n) => n === 2,
    );
    await axeClean(page, 'media library');
    await shoot(page, 'media-library');
  });

  it('media library: alt text edited in place, delete asks first and names where a file is used', async () => {
    const page = await newPage();
    await signIn(page);
    await page.goto(url('/app/media'));
    await viewReady(page, 'Media');
    const card = page.getByRole('listitem').filter({ hasText: 'serum.png' });
    const alt = card.getByLabel('Alt text');
    await alt.fill('   ');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByText('Images need alt text').isVisible()).resolves.toBe(true);
    await alt.fill('The serum bottle, 30 ml');
    await alt.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Alt text saved' }).isVisible()).resolves.toBe(true);
    expect((await mediaRows()).find((m) => m.originalName === 'serum.png')?.alt).toBe('The serum bottle, 30 ml');

    // Used on a page: the confirmation says where.
    const serum = (await mediaRows()).find((m) => m.originalName === 'serum.png')!;
    const { funnels } = await json(await owner.rpc.api.funnels.$get(), 200);
    const funnel = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnels[0]!.id } }), 200);
    const pageRef = funnel.pages[0]!;
    const full = await json(await owner.rpc.api.pages[':id'].$get({ param: { id: pageRef.id } }), 200);
    const draft = full.draft as { settings: unknown; blocks: Array<Record<string, unknown>> };
    await json(
      await owner.rpc.api.pages[':id'].$patch({
        param: { id: pageRef.id },
        json: {
          content: { ...draft, blocks: [...draft.blocks, { type: 'image', id: 'serum-shot', src: serum.url!, alt: 'Serum' }] },
        } as never,
      }),
      200,
    );
    await card.getByRole('button', { name: 'Delete serum.png' }).click();
    const confirmDialog = page.getByRole('dialog', { name: 'Delete “serum.png”?' });
    await confirmDialog.waitFor();
    await expect(confirmDialog.textContent()).resolves.toContain(`It is used on ${funnel.name} › ${pageRef.name} (draft)`);
    await axeClean(page, 'delete confirmation');
    await shoot(page, 'media-delete-confirm');
    await confirmDialog.getByRole('button', { name: 'Cancel' }).click();
    await confirmDialog.waitFor({ state: 'detached' });
    expect((await mediaRows()).length).toBe(2);

    const pdf = page.getByRole('listitem').filter({ hasText: 'guide.pdf' });
    await pdf.getByRole('button', { name: 'Delete guide.pdf' }).click();
    const pdfDialog = page.getByRole('dialog', { name: 'Delete “guide.pdf”?' });
    await pdfDialog.getByText('No page uses it.').waitFor();
    await pdfDialog.getByRole('button', { name: 'Delete file' }).click();
    await pdf.waitFor({ state: 'detached' });
    expect((await mediaRows()).map((m) => m.originalName)).toEqual(['serum.png']);

    // At phone width nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await shoot(page, 'media-library-phone');
  });

  it('media library for a viewer: everything shown, nothing changeable', async () => {
    const { token } = await json(await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    const page = await newPage();
    await page.goto(url('/signup'));
    await page.getByLabel('Your name').fill('Vic Viewer');
    await page.getByLabel('Email').fill('vic.media@example.com');
    await page.getByLabel('Password (10+ characters)').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(url('/app/funnels'));
    await page.goto(url(`/invite/${token}`));
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/app\/funnels$/);
    await page.goto(url('/app/media'));
    await viewReady(page, 'Media');
    await expect(page.getByRole('button', { name: 'Upload files' }).isDisabled()).resolves.toBe(true);
    const card = page.getByRole('listitem').filter({ hasText: 'serum.png' });
    await expect(card.getByLabel('Alt text').isDisabled()).resolves.toBe(true);
    await expect(card.getByRole('button', { name: 'Delete serum.png' }).isDisabled()).resolves.toBe(true);
    // A file dropped by a viewer goes nowhere.
    await dropFiles(page, [{ name: 'x.pdf', mimeType: 'application/pdf', text: PDF.toString('latin1') }]);
    expect((await mediaRows()).length).toBe(1);
    await axeClean(page, 'media library for a viewer');
    await shoot(page, 'media-viewer');
  });

  // ── The inspector, in the page editor ─────────────────────────────────────────────────────────

  async function pageIdOf(slug: string): Promise<{ funnelId: string; pageId: string }> {
    const { funnels } = await json(await owner.rpc.api.funnels.$get(), 200);
    const funnelId = funnels.find((f) => f.slug === 'cosmetics-set')!.id;
    const { pages } = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } }), 200);
    return { funnelId, pageId: pages.find((p) => p.slug === slug)!.id };
  }

  /** Opens the editor on a demo page and waits for its preview. */
  async function openEditor(page: Page, slug: string): Promise<{ pageId: string }> {
    const { funnelId, pageId } = await pageIdOf(slug);
    await page.goto(url(`/app/funnels/${funnelId}/pages/${pageId}`));
    await page.getByRole('heading', { level: 2, name: 'Blocks' }).waitFor();
    await page.waitForFunction(() =>
      document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentDocument?.querySelector('[data-block-index]'),
    );
    return { pageId };
  }

  /** Selects a block in the outline by its position and type ("2. Quiz"). */
  async function selectBlock(page: Page, label: RegExp) {
    await page.locator('.outline-list').getByRole('button', { name: label }).first().click();
    await inspector(page).locator('.inspector').waitFor();
  }

  const inspector = (page: Page) => page.locator('.pane-inspector');

  /** Text of the preview's document (the published pages' renderer), read from the app's side. */
  async function previewText(page: Page, selector: string): Promise<string> {
    return page.evaluate(
      (sel) => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!.querySelector(sel)?.textContent ?? '',
      selector,
    );
  }

  const waitSaved = (page: Page) => page.waitForSelector('[data-save-state="saved"]');

  async function draftOf(pageId: string): Promise<PageContent> {
    const body = await json(await owner.rpc.api.pages[':id'].$get({ param: { id: pageId } }), 200);
    return body.draft as PageContent;
  }

  it('inspector: a headline edited in the generated form, with the live and the server’s messages next to the field', async () => {
    const page = await newPage();
    await signIn(page);
    const { pageId } = await openEditor(page, 'landing');
    await selectBlock(page, /^1\. Hero/);
    const pane = inspector(page);
    const headline = pane.getByLabel('Headline', { exact: true });
    await expect(headline.inputValue()).resolves.toBe(
      (await draftOf(pageId)).blocks[0]!.type === 'hero' ? ((await draftOf(pageId)).blocks[0] as { headline: string }).headline : '',
    );

    await headline.fill('Glow in five minutes a day');
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!.querySelector('h1')?.textContent ===
        'Glow in five minutes a day',
    );
    await waitSaved(page);
    expect((await draftOf(pageId)).blocks[0]).toMatchObject({ headline: 'Glow in five minutes a day' });

    // Emptied: the schema's own message, at once, linked to the field; the summary says where.
    await headline.fill('');
    const error = pane.locator('#insp-hero-headline-error');
    await expect(error.textContent()).resolves.toBe('This cannot be empty.');
    expect(await headline.getAttribute('aria-invalid')).toBe('true');
    expect(await headline.getAttribute('aria-describedby')).toContain('insp-hero-headline-error');
    const summary = pane.getByRole('region', { name: /1 thing to fix/ });
    await expect(summary.textContent()).resolves.toContain('Headline: This cannot be empty.');
    // The server refuses the draft too, and says the same next to the field.
    await page.waitForSelector('[data-save-state="invalid"]');
    await expect(error.textContent()).resolves.toBe('This cannot be empty.');
    await axeClean(page, 'inspector with an error');
    await shoot(page, 'inspector-hero-error');

    // Over the limit: the counter turns, the message says the limit.
    await headline.fill('x'.repeat(161));
    await expect(pane.locator('#insp-hero-headline-count').textContent()).resolves.toBe('Characters used: 161/160');
    await expect(error.textContent()).resolves.toBe('Use at most 160 characters.');
    await summary.getByRole('button', { name: 'Headline' }).click();
    expect(await headline.evaluate((el) => el === document.activeElement)).toBe(true);

    // The button's target: a variant, its own field, the URL rule (no javascript:).
    await headline.fill('Glow in five minutes a day');
    await pane.getByRole('radio', { name: 'A web address' }).check();
    const address = pane.getByLabel('Web address');
    await address.fill('javascript:alert(1)');
    await expect(pane.locator('#insp-hero-cta-target-url-error').textContent()).resolves.toBe('Use a full http:// or https:// address.');
    await address.fill('https://shop.example.com/set');
    await pane.locator('#insp-hero-cta-target-url-error').waitFor({ state: 'detached' });
    await waitSaved(page);
    expect((await draftOf(pageId)).blocks[0]).toMatchObject({
      headline: 'Glow in five minutes a day',
      cta: { target: { kind: 'url', url: 'https://shop.example.com/set' } },
    });
    expect(await previewText(page, 'h1')).toBe('Glow in five minutes a day');
    await axeClean(page, 'hero inspector');
    await shoot(page, 'inspector-hero');
  });
});

/** Drops files onto the page as a drag from the desktop would: dragenter, dragover and drop with a DataTransfer. */
async function dropFiles(page: Page, files: Array<{ name: string; mimeType: string; text: string }>) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(f.text, (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }));
    return dt;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('main', type, { dataTransfer: transfer });
}
