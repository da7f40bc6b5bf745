/**
 * The inspector and the media library in real Chromium over real HTTP, in the real app: uploads
 * with alt text (and bad uploads refused with the server's message, nothing stored), alt text
 * edited in place, delete with where-used, a viewer who can look but not change, axe on every
 * screen, and screenshots in test-artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Block, PageContent } from '../../workers/domain/blocks';
import { DESKTOP, PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { json } from '../support/responses';
import { waitFor } from '../support/wait';
import { png as onePng } from '../support/images';

/** A small one-colour PNG as a Buffer (what Playwright's file inputs and routes take). */
const png = (width: number, height: number): Buffer => Buffer.from(onePng(width, height, [0x5b, 0x5b, 0x5b]));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const UNSAFE_SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

describe.skipIf(!chromiumAvailable)('the inspector and the media library in Chromium', { timeout: 90_000 }, () => {
  // Chromium logs the refusals the tests provoke (400 bad upload, 409 in use, 413 too large).
  const b = useBrowserApp({ demo: { leads: false }, expectedStatuses: [400, 409, 413] });
  const { url, signIn, viewReady } = b;
  const axeClean = b.expectAccessible;
  const newPage = (viewport = DESKTOP) =>
    b.newPage({
      viewport,
      prepare: async (context) => {
        // A step that cannot happen fails with its own message, well before the test's timeout
        // (generous: the machine running the suite may be busy with other work).
        context.setDefaultTimeout(15_000);
        // The offer page's social image (set in the theme test) lives on a made-up host: answered with a picture.
        await context.route('https://cdn.example.com/**', (route) => route.fulfill({ contentType: 'image/png', body: png(120, 63) }));
      },
    });

  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: `${b.artifacts}/${name}.png`, fullPage: true });
  }

  const mediaRows = async () => {
    const { media } = await json(await b.owner.rpc.api.media.$get({ query: {} }), 200);
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
    await dialog.getByText('Describe the image for people who cannot see it (alt text).').waitFor();
    expect(await dialog.getByLabel('Alt text').getAttribute('aria-invalid')).toBe('true');
    await axeClean(page, 'upload dialog with an error');
    await shoot(page, 'media-upload-alt');
    await dialog.getByLabel('Alt text').fill('The serum bottle on a marble shelf');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.waitFor({ state: 'detached' });
    const grid = page.getByRole('list', { name: 'Media files' });
    await grid.getByText('serum.png').waitFor();
    await page.getByRole('status').filter({ hasText: '“serum.png” uploaded' }).waitFor();
    const img = grid.getByRole('img', { name: 'The serum bottle on a marble shelf' });
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.media-thumb img')].every((i) => i.complete && i.naturalWidth > 0),
    );
    expect(await img.getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{16}\/[0-9A-Z]{26}\.png$/);
    await grid.getByText('PNG · 120 × 80').waitFor();

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

    // A picture too big to be a photo (its header says 30,000 px wide).
    const huge = png(1, 1);
    huge.writeUInt32BE(30_000, 16);
    await page
      .locator('input[type=file][aria-label="Files to upload"]')
      .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await dialog.getByLabel('Alt text').fill('Huge');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toBe(
      '“huge.png” was not uploaded. Images may be at most 20,000 pixels on a side. Nothing was stored.',
    );
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
    await grid.getByText('guide.pdf').waitFor();
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
    await card.getByText('Images need alt text').waitFor();
    await alt.fill('The serum bottle, 30 ml');
    await alt.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Alt text saved' }).waitFor();
    expect((await mediaRows()).find((m) => m.originalName === 'serum.png')?.alt).toBe('The serum bottle, 30 ml');

    // Used on a page: the confirmation says where.
    const serum = (await mediaRows()).find((m) => m.originalName === 'serum.png')!;
    const { funnels } = await json(await b.owner.rpc.api.funnels.$get(), 200);
    const funnel = await json(await b.owner.rpc.api.funnels[':id'].$get({ param: { id: funnels[0]!.id } }), 200);
    const pageRef = funnel.pages[0]!;
    const full = await json(await b.owner.rpc.api.pages[':id'].$get({ param: { id: pageRef.id } }), 200);
    const draft = full.draft as PageContent;
    await json(
      await b.owner.rpc.api.pages[':id'].$patch({
        param: { id: pageRef.id },
        json: {
          baseRevision: full.revision,
          content: { ...draft, blocks: [...draft.blocks, { type: 'image', id: 'serum-shot', src: serum.url!, alt: 'Serum' }] },
        },
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
    const { token } = await json(await b.owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
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
    const { funnels } = await json(await b.owner.rpc.api.funnels.$get(), 200);
    const funnelId = funnels.find((f) => f.slug === 'cosmetics-set')!.id;
    const { pages } = await json(await b.owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } }), 200);
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

  /** Waits until the focused element is the one named `label` (focus moves after the list re-renders). */
  const focusLands = (page: Page, label: string) =>
    page.waitForFunction((name) => document.activeElement?.getAttribute('aria-label') === name, label);

  async function draftOf(pageId: string): Promise<PageContent> {
    const body = await json(await b.owner.rpc.api.pages[':id'].$get({ param: { id: pageId } }), 200);
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
    // Said to screen readers once typing pauses, in the inspector's polite live region.
    await page.waitForFunction(() =>
      document
        .querySelector('.inspector > p[role="status"]')
        ?.textContent?.startsWith('1 problem in the hero block. Headline: This cannot be empty.'),
    );
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
    const address = pane.getByRole('textbox', { name: 'Web address' });
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

  it('inspector: rich text with the toolbar, shortcuts, a link dialog and cleaned paste', async () => {
    const page = await newPage();
    page.on('dialog', (d) => {
      b.problems.push(`a dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    await signIn(page);
    const { pageId } = await openEditor(page, 'guide');
    await selectBlock(page, /\. Text/);
    const pane = inspector(page);
    const text = pane.getByRole('textbox', { name: 'Text', exact: true });
    const select = (start: number, end = start) =>
      text.evaluate((el, [a, b]) => (el as HTMLTextAreaElement).setSelectionRange(a!, b!), [start, end]);

    await text.fill('Start here.\nSecond line');
    await select(6, 10);
    await pane.getByRole('button', { name: 'Bold' }).click();
    await expect(text.inputValue()).resolves.toBe('Start **here**.\nSecond line');
    // Shortcuts: Ctrl+I on the word under the cursor; Ctrl+K opens the link dialog for the selection.
    await select(20);
    await text.press('Control+i');
    await expect(text.inputValue()).resolves.toBe('Start **here**.\n*Second* line');
    await select(25, 29);
    await text.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Add a link' });
    await dialog.waitFor();
    await expect(dialog.getByLabel('Text').inputValue()).resolves.toBe('line');
    await dialog.getByLabel('Link address').fill('javascript:alert(1)');
    await dialog.getByText('Use an https:// address, mailto: or a path on this site such as /pricing.').waitFor();
    await expect(dialog.getByRole('button', { name: 'Apply' }).isDisabled()).resolves.toBe(true);
    await axeClean(page, 'link dialog');
    await dialog.getByLabel('Link address').fill('https://example.com/routine');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The link goes in on the frame after the dialog has closed and given focus back to the text.
    await expect.poll(() => text.inputValue()).toBe('Start **here**.\n*Second* [line](https://example.com/routine)');
    // Heading on the first line, a bullet on the second.
    await select(2);
    await pane.getByRole('button', { name: 'H2 heading' }).click();
    const length = (await text.inputValue()).length;
    await select(length);
    await pane.getByRole('button', { name: 'Bullet list' }).click();
    await expect(text.inputValue()).resolves.toBe('## Start **here**.\n- *Second* [line](https://example.com/routine)');

    // The toolbar is one tab stop; arrow keys move inside it.
    await pane.getByRole('button', { name: 'H2 heading' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('H3 subheading');
    expect(await pane.getByRole('toolbar').locator('button[tabindex="0"]').count()).toBe(1);

    // Pasted HTML: kept what the subset says, dropped the rest.
    await select(length + 100);
    await text.evaluate((el) => {
      const html =
        '<meta charset="utf-8"><p>Pasted <b>bold</b> and <a href="https://ok.example/">a link</a></p>' +
        '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"><a href="javascript:alert(1)">bad link</a>' +
        '<ul><li style="color:red">one</li><li>two</li></ul>';
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Pasted bold and a link');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    const expected =
      '## Start **here**.\n- *Second* [line](https://example.com/routine)\n\nPasted **bold** and [a link](https://ok.example/)\n\nbad link\n\n- one\n- two';
    await expect(text.inputValue()).resolves.toBe(expected);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.waitForFunction(() => {
      const doc = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!;
      const block = doc.querySelector('#inside');
      return (
        block?.querySelector('h2')?.textContent === 'Start here.' &&
        block.querySelector('a[href="https://ok.example/"]') &&
        !block.querySelector('img, script')
      );
    });
    await waitSaved(page);
    expect((await draftOf(pageId)).blocks.find((b) => b.id === 'inside')).toMatchObject({ markdown: expected });
    await axeClean(page, 'rich text');
    await shoot(page, 'inspector-rich-text');
  });

  it('inspector: quiz builder — forward-only branches, outcome coverage, and walking the quiz', async () => {
    const page = await newPage({ width: 1280, height: 1400 });
    await signIn(page);
    const { pageId } = await openEditor(page, 'quiz');
    await selectBlock(page, /\. Quiz/);
    const pane = inspector(page);
    await pane.getByText('Questions (5)').waitFor();
    const coverage = pane.locator('.coverage');
    await expect(coverage.textContent()).resolves.toBe(
      'Visitors finish with a score from 3 to 12; each outcome covers a range of scores.Every possible score has exactly one outcome.',
    );

    // Q3's first answer skips to Q5; only later questions are offered.
    const q3 = pane.locator('.quiz-questions > .insp-items > li').nth(2);
    const rarely = q3.getByLabel('Then go to').first();
    await expect(rarely.inputValue()).resolves.toBe('products');
    await expect(rarely.locator('option').allTextContents()).resolves.toEqual([
      'Next question (Q4)',
      'Skip to Q5: Which of these do you already use?',
      'End of the quiz',
    ]);
    // Q2's first answer now skips Q3.
    const q2 = pane.locator('.quiz-questions > .insp-items > li').nth(1);
    await q2.getByLabel('Then go to').first().selectOption({ label: 'Skip to Q4: Do you blot or powder your face to control shine?' });
    await waitSaved(page);
    const quizOf = async () => (await draftOf(pageId)).blocks.find((b) => b.type === 'quiz') as Extract<Block, { type: 'quiz' }>;
    expect((await quizOf()).questions[1]!.answers[0]).toEqual({ id: 'barely', label: 'Barely visible', points: 1, next: 'shine' });

    // Moving Q4 above Q2 would make that branch jump back: the schema says so at the select.
    await pane.getByRole('button', { name: 'Move question 4 up' }).click();
    await focusLands(page, 'Move question 3 up');
    await pane.getByRole('button', { name: 'Move question 3 up' }).click();
    const backwards = pane.locator('#insp-quiz-questions-2-answers-0-next');
    await expect(backwards.locator('option:checked').textContent()).resolves.toBe(
      'Q2: Do you blot or powder your face to control shine? (earlier: not allowed)',
    );
    await expect(pane.locator('#insp-quiz-questions-2-answers-0-next-error').textContent()).resolves.toBe(
      'An answer can only jump to a later question or to "end".',
    );
    await shoot(page, 'inspector-quiz-backwards');
    // Undo twice puts the order back, and the message goes.
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await pane.locator('#insp-quiz-questions-2-answers-0-next-error').waitFor({ state: 'detached' });

    // An outcome range that leaves a gap is pointed out.
    const balanced = pane.locator('.quiz-outcomes > .insp-items > li').nth(1);
    await balanced.getByLabel('To score').fill('8');
    await expect(coverage.textContent()).resolves.toContain('A score of 9 gets no outcome: those visitors would see no result.');
    await balanced.getByLabel('To score').fill('9');
    await expect(coverage.textContent()).resolves.toContain('Every possible score has exactly one outcome.');

    // Outcome tags: typed as one line (commas and spaces kept while typing), stored as a list of
    // lower-case words joined by "-"; a tag the schema refuses gets its message under the line.
    const poresTags = q2.getByLabel('Tags of answer 3');
    await expect(poresTags.inputValue()).resolves.toBe('');
    await poresTags.pressSequentially('Large pores, oily-skin');
    await expect(poresTags.inputValue()).resolves.toBe('Large pores, oily-skin');
    await waitSaved(page);
    await q2.scrollIntoViewIfNeeded();
    await shoot(page, 'inspector-quiz-tags');
    expect((await quizOf()).questions[1]!.answers[2]).toEqual({
      id: 'everywhere',
      label: 'Visible across the face',
      points: 3,
      tags: ['large-pores', 'oily-skin'],
    });
    await poresTags.fill('oily_skin');
    await expect(pane.locator('#insp-quiz-questions-1-answers-2-tags-error').textContent()).resolves.toBe(
      'Use lower-case letters, digits and "-" between words, e.g. dry-skin.',
    );
    await poresTags.fill('');
    await pane.locator('#insp-quiz-questions-1-answers-2-tags-error').waitFor({ state: 'detached' });
    await waitSaved(page);
    expect((await quizOf()).questions[1]!.answers[2]).not.toHaveProperty('tags');
    await expect(q2.getByLabel('Tags of answer 1').inputValue()).resolves.toBe('');
    await expect(pane.locator('.quiz-questions > .insp-items > li').first().getByLabel('Tags of answer 3').inputValue()).resolves.toBe(
      'oily-skin',
    );

    // Walk the quiz: the path follows the branches, counts its own questions, ends in an outcome.
    const walk = pane.getByRole('region', { name: 'Walk the quiz' });
    await walk.scrollIntoViewIfNeeded();
    await expect(walk.locator('legend').textContent()).resolves.toBe('Question 1 of 5: How does your skin feel by midday?');
    await walk.getByRole('button', { name: /^Shiny/ }).click();
    // Until Q2 is answered, the path ahead is the default one: all five.
    await expect(walk.locator('legend').textContent()).resolves.toBe('Question 2 of 5: How visible are your pores?');
    await walk.getByRole('button', { name: /^Barely visible/ }).click();
    await expect(walk.locator('legend').textContent()).resolves.toBe(
      'Question 3 of 4 on this path: Do you blot or powder your face to control shine?',
    );
    await walk.getByRole('button', { name: /^Every day/ }).click();
    await walk.getByLabel(/^Cleanser/).check();
    await walk.getByRole('button', { name: 'Continue' }).click();
    const result = walk.getByRole('status');
    await expect(result.textContent()).resolves.toContain('This path asked 4 questions and scored 7 points.');
    await expect(result.textContent()).resolves.toContain('Outcome: Balanced skin');
    await expect(result.textContent()).resolves.toContain('Tags kept with the lead: oily-skin');
    await expect(walk.getByRole('list', { name: 'Your path so far' }).getByRole('listitem').count()).resolves.toBe(4);
    await axeClean(page, 'quiz builder');
    await shoot(page, 'inspector-quiz');
    // Changing an earlier answer takes the walk back there.
    await walk.getByRole('button', { name: 'Change the answer to question 2' }).click();
    await expect(walk.locator('legend').textContent()).resolves.toBe('Question 2 of 5: How visible are your pores?');
    await walk.getByRole('button', { name: /^Visible across the face/ }).click();
    await expect(walk.locator('legend').textContent()).resolves.toBe('Question 3 of 5: How often do you get breakouts?');
  });

  it('inspector: form builder — fields, required, reorder by keyboard, consent wording, after submitting', async () => {
    const page = await newPage({ width: 1280, height: 1400 });
    await signIn(page);
    const { pageId } = await openEditor(page, 'thanks');
    await page.getByRole('button', { name: '+ Add block' }).click();
    await page
      .getByRole('dialog', { name: 'Add a block' })
      .getByRole('button', { name: /^Lead form/ })
      .click();
    const pane = inspector(page);
    const builder = pane.locator('.form-builder');
    await builder.getByText('Fields (2)').waitFor();
    const card = (n: number) => builder.locator('.insp-items > li').nth(n);

    // The email field cannot go and is always required; single-use kinds are offered once.
    await expect(
      card(1)
        .getByRole('button', { name: /^Remove field 2/ })
        .isDisabled(),
    ).resolves.toBe(true);
    await expect(card(1).getByRole('switch', { name: 'Required' }).isDisabled()).resolves.toBe(true);
    await expect(card(0).getByLabel('Type').locator('option[value="email"]').textContent()).resolves.toBe('Email (already on this form)');

    // Add a phone field and a dropdown.
    await builder.getByLabel('New field').selectOption('phone');
    await builder.getByRole('button', { name: 'Add field' }).click();
    await builder.getByText('Fields (3)').waitFor();
    // Focus lands in the new field (its type), ready to go on.
    await page.waitForFunction(() => (document.activeElement as HTMLSelectElement | null)?.id === 'insp-lead_form-fields-2-kind');
    await card(2).getByRole('switch', { name: 'Required' }).check();
    await builder.getByLabel('New field').selectOption('select');
    await builder.getByRole('button', { name: 'Add field' }).click();
    await card(3).getByLabel('Label', { exact: true }).fill('Skin type');
    await card(3).getByRole('textbox', { name: 'Option 1' }).fill('Dry');
    await card(3).getByRole('textbox', { name: 'Option 2' }).fill('Oily');
    await card(3).getByRole('button', { name: 'Add option' }).click();
    await card(3).getByRole('textbox', { name: 'Option 3' }).fill('Dry');
    await expect(card(3).locator('.field-error').first().textContent()).resolves.toBe('Options must be different.');
    await card(3).getByRole('textbox', { name: 'Option 3' }).fill('Combination');

    // Keyboard reorder: the phone field moves up, focus stays on its button.
    await card(2)
      .getByRole('button', { name: /^Move field 3 \(Phone\) up/ })
      .focus();
    await page.keyboard.press('Enter');
    await expect(card(1).locator('.item-summary').textContent()).resolves.toBe('Phone');
    await focusLands(page, 'Move field 2 (Phone) up');

    // Consent: stored verbatim, and the note says so.
    const consent = pane.locator('fieldset.consent');
    await consent.getByText('Stored word for word with each lead').waitFor();
    const wording = 'I agree that Demo Shop emails me my routine and offers; I can unsubscribe at any time.';
    await consent.getByLabel('Consent wording').fill(wording);
    await consent.getByRole('switch', { name: 'Visitors must tick it to submit' }).check();

    // After submitting: a page of this funnel, chosen by name.
    await pane.getByRole('radio', { name: 'A page of this funnel' }).check();
    await pane.getByLabel('Page', { exact: true }).selectOption({ label: 'Offer: the cosmetics set (/offer)' });
    await waitSaved(page);
    const form = (await draftOf(pageId)).blocks.find((b) => b.type === 'lead_form') as Extract<Block, { type: 'lead_form' }>;
    expect(form.fields.map((f) => [f.kind, f.label, f.required])).toEqual([
      ['name', 'First name', false],
      ['phone', 'Phone', true],
      ['email', 'Email', true],
      ['select', 'Skin type', false],
    ]);
    expect(form.fields[3]!.options).toEqual(['Dry', 'Oily', 'Combination']);
    expect(form.consent).toEqual({ text: wording, required: true });
    expect(form.successTarget).toEqual({ kind: 'page', slug: 'offer' });
    await axeClean(page, 'form builder');
    await shoot(page, 'inspector-form-builder');

    // On a phone the inspector is its own pane, and nothing in it scrolls sideways.
    await page.setViewportSize(PHONE);
    await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Edit' }).click();
    await pane.locator('.form-builder').waitFor();
    expect(await pane.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await shoot(page, 'inspector-form-builder-phone');
  });

  it('inspector: a chat step switched between buttons and free text takes or drops its choices with it', async () => {
    const page = await newPage({ width: 1280, height: 1400 });
    await signIn(page);
    const { pageId } = await openEditor(page, 'landing');
    await selectBlock(page, /\. Chat capture/);
    const pane = inspector(page);
    const step3 = pane.locator('.insp-items > li').filter({ has: page.getByRole('heading', { name: /^Step 3/ }) });
    await expect(step3.getByText(/^Choices/).count()).resolves.toBe(0);
    await step3.getByRole('radio', { name: 'Buttons' }).check();
    await expect(step3.getByRole('textbox', { name: 'Choice 1' }).inputValue()).resolves.toBe('Yes');
    await expect(step3.getByRole('textbox', { name: 'Choice 2' }).inputValue()).resolves.toBe('No');
    await step3.getByRole('textbox', { name: 'Choice 2' }).fill('Not today');
    await waitSaved(page);
    const chatOf = async () =>
      (await draftOf(pageId)).blocks.find((b) => b.type === 'chat_capture') as Extract<Block, { type: 'chat_capture' }>;
    expect((await chatOf()).steps[2]).toMatchObject({ kind: 'choice', options: ['Yes', 'Not today'] });
    await step3.getByRole('radio', { name: 'Free text' }).check();
    await step3.getByRole('textbox', { name: 'Choice 1' }).waitFor({ state: 'detached' });
    await waitSaved(page);
    expect((await chatOf()).steps[2]).not.toHaveProperty('options');
    await axeClean(page, 'chat capture');
  });

  it('inspector: page theme with a live contrast warning, SEO and social settings', async () => {
    const page = await newPage({ width: 1280, height: 1400 });
    await signIn(page);
    const { pageId } = await openEditor(page, 'offer');
    await page.getByRole('button', { name: 'Page settings, theme and SEO' }).click();
    const pane = inspector(page);
    const contrast = pane.locator('.contrast');
    await expect(contrast.locator('.contrast-title').textContent()).resolves.toBe('Colours are readable (WCAG AA, 4.5:1 or more)');
    await pane.getByLabel('Text colour', { exact: true }).fill('#aaaaaa');
    await expect(contrast.locator('.contrast-title').textContent()).resolves.toBe('One colour pair is hard to read (WCAG AA needs 4.5:1)');
    await expect(contrast.locator('li.fail').textContent()).resolves.toMatch(/^Text on the background: 2\.\d\d:1 — too low/);
    expect(await contrast.getAttribute('role')).toBe('status');
    // A mid-grey brand colour: neither white nor black labels pass.
    await pane.getByLabel('Primary colour', { exact: true }).fill('#777777');
    await expect(contrast.locator('.contrast-title').textContent()).resolves.toBe('2 colour pairs are hard to read (WCAG AA needs 4.5:1)');
    // Not a colour yet: the schema's message, and no false alarm about its contrast.
    await pane.getByLabel('Text colour', { exact: true }).fill('#12');
    await expect(pane.locator('#insp-theme-text-error').textContent()).resolves.toBe('Use a colour like #1f6feb.');
    await pane.getByLabel('Text colour', { exact: true }).fill('#1c1f26');
    await axeClean(page, 'theme with a warning');
    await shoot(page, 'inspector-theme-warning');
    await pane.getByLabel('Primary colour', { exact: true }).fill('#4338ca');
    await expect(contrast.locator('.contrast-title').textContent()).resolves.toBe('Colours are readable (WCAG AA, 4.5:1 or more)');
    await pane.getByLabel('Font').selectOption({ label: 'Serif' });
    await page.waitForFunction(() =>
      getComputedStyle(document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!.body).fontFamily.startsWith(
        'Charter',
      ),
    );
    // Button style: shown as the default (rounded, filled) until chosen; the preview's buttons follow.
    const corners = pane.getByRole('group', { name: 'Button corners' });
    const fill = pane.getByRole('group', { name: 'Button style' });
    expect(await corners.getByRole('radio', { name: 'Rounded' }).isChecked()).toBe(true);
    expect(await fill.getByRole('radio', { name: 'Filled' }).isChecked()).toBe(true);
    const previewButton = () =>
      page.evaluate(() => {
        const doc = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!;
        const style = getComputedStyle(doc.querySelector('.offer .btn')!);
        return { radius: style.borderTopLeftRadius, background: style.backgroundColor, shadow: style.boxShadow };
      });
    expect((await previewButton()).radius).toBe('10px');
    await corners.getByRole('radio', { name: 'Pill' }).check();
    await fill.getByRole('radio', { name: 'Outline' }).check();
    await page.waitForFunction(() => {
      const doc = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!;
      return getComputedStyle(doc.querySelector('.offer .btn')!).borderTopLeftRadius === '99px';
    });
    await page.waitForFunction(() => {
      const doc = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!;
      return getComputedStyle(doc.querySelector('.offer .btn')!).backgroundColor === 'rgba(0, 0, 0, 0)';
    });
    expect((await previewButton()).shadow).toMatch(/ 0px 0px 0px 2px inset$/);
    await shoot(page, 'inspector-theme-buttons');

    // SEO: the title's length is counted against what search results show; noindex is said.
    const title = 'The cosmetics set: five gentle essentials, one routine, every skin type';
    await pane.getByLabel('Page title').fill(title);
    await pane.getByText(`The title is ${title.length} characters: search results show about 60, so the end will be cut.`).waitFor();
    await expect(pane.locator('.serp-title').textContent()).resolves.toBe(`${title.slice(0, 59).trimEnd()}…`);
    await pane.getByRole('switch', { name: 'Hide from search engines' }).check();
    await expect(pane.locator('.serp-note').textContent()).resolves.toBe('Hidden from search engines (noindex).');
    await pane.getByRole('textbox', { name: 'Social image' }).fill('http://insecure.example/x.png');
    await expect(pane.locator('#insp-settings-ogImage-error').textContent()).resolves.toBe('Use a full https:// address.');
    await pane.getByRole('textbox', { name: 'Social image' }).fill('https://cdn.example.com/share.png');
    await waitSaved(page);
    const settings = (await draftOf(pageId)).settings;
    expect(settings).toMatchObject({
      title,
      noindex: true,
      ogImage: 'https://cdn.example.com/share.png',
      theme: { primary: '#4338ca', text: '#1c1f26', fontStack: 'serif', buttonShape: 'pill', buttonFill: 'outline' },
    });
    await axeClean(page, 'page settings');
    await shoot(page, 'inspector-page-settings');
  });

  it('inspector: an image uploaded with its alt text from the picker; a bad upload is refused there', async () => {
    const page = await newPage({ width: 1280, height: 1100 });
    await signIn(page);
    const { pageId } = await openEditor(page, 'offer');
    await selectBlock(page, /\. Offer/);
    const pane = inspector(page);
    await pane.getByRole('button', { name: 'Choose image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose an image' });
    await dialog.waitFor();
    await dialog.getByRole('tab', { name: 'Upload a new image' }).click();
    // A bad file first: the server's message, nothing chosen.
    await dialog
      .getByLabel('Image file')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('<html>not an image</html>') });
    await dialog.getByLabel('Alt text').fill('A photo');
    await dialog.getByRole('button', { name: 'Upload and use' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain(
      '“photo.png” was not uploaded. This file type is not supported.',
    );
    expect(await dialog.getByLabel('Image file').getAttribute('aria-invalid')).toBe('true');
    await axeClean(page, 'picker with a refused upload');
    await shoot(page, 'inspector-picker-refused');
    // A real picture, its alt text required.
    await dialog.getByLabel('Image file').setInputFiles({ name: 'set.png', mimeType: 'image/png', buffer: png(300, 200) });
    await dialog.getByLabel('Alt text').fill('');
    await dialog.getByRole('button', { name: 'Upload and use' }).click();
    await dialog.getByText('Describe the image for people who cannot see it (alt text).').waitFor();
    await dialog.getByLabel('Alt text').fill('The five bottles of the set in a row');
    await dialog.getByRole('button', { name: 'Upload and use' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(pane.getByLabel('Alt text').inputValue()).resolves.toBe('The five bottles of the set in a row');
    await pane.getByRole('img', { name: 'Preview: The five bottles of the set in a row' }).waitFor();
    await waitSaved(page);
    const offer = (await draftOf(pageId)).blocks.find((b) => b.type === 'offer') as Extract<Block, { type: 'offer' }>;
    expect(offer.image?.alt).toBe('The five bottles of the set in a row');
    expect(offer.image?.src).toMatch(/^\/media\/[0-9a-f]{16}\/[0-9A-Z]{26}\.png$/);
    // The library has it; choosing from the library fills address and alt text.
    await selectBlock(page, /^1\. Hero/);
    await pane.getByRole('button', { name: 'Choose image' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /Use set\.png/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(pane.getByLabel('Alt text').inputValue()).resolves.toBe('The five bottles of the set in a row');
    await axeClean(page, 'image field');
    await shoot(page, 'inspector-image');

    // A lead magnet's file: a PDF uploaded from the picker becomes its media reference.
    const guide = await openEditor(page, 'guide');
    await selectBlock(page, /\. Lead magnet/);
    await pane.getByRole('button', { name: 'Choose another PDF' }).click();
    const pdfDialog = page.getByRole('dialog', { name: 'Choose a PDF' });
    await pdfDialog.getByRole('tab', { name: 'Upload a new PDF' }).click();
    await pdfDialog.getByLabel('PDF file').setInputFiles({ name: 'routine.pdf', mimeType: 'application/pdf', buffer: PDF });
    await pdfDialog.getByRole('button', { name: 'Upload and use' }).click();
    await pdfDialog.waitFor({ state: 'detached' });
    await pane.locator('.file-current').getByText('routine.pdf').waitFor();
    await waitSaved(page);
    const magnet = (await draftOf(guide.pageId)).blocks.find((b) => b.type === 'lead_magnet') as Extract<Block, { type: 'lead_magnet' }>;
    const routine = (await mediaRows()).find((m) => m.originalName === 'routine.pdf')!;
    expect(magnet.assetPath).toBe(`media:${routine.id}`);
    await axeClean(page, 'lead magnet file');
  });

  it('inspector for a viewer: everything shown, nothing editable, the quiz walk still works', async () => {
    const { token } = await json(await b.owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    const page = await newPage({ width: 1280, height: 1400 });
    await page.goto(url('/signup'));
    await page.getByLabel('Your name').fill('Val Viewer');
    await page.getByLabel('Email').fill('val.inspector@example.com');
    await page.getByLabel('Password (10+ characters)').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(url('/app/funnels'));
    await page.goto(url(`/invite/${token}`));
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/app\/funnels$/);
    await openEditor(page, 'quiz');
    await selectBlock(page, /\. Quiz/);
    const pane = inspector(page);
    await expect(pane.getByLabel('Title', { exact: true }).isDisabled()).resolves.toBe(true);
    expect(await pane.locator('.insp-form :is(input, select, textarea, button):not(:disabled)').count()).toBe(0);
    expect(await pane.locator('.insp-form :is(input, select, textarea, button)').count()).toBeGreaterThan(50);
    await pane
      .getByRole('region', { name: 'Walk the quiz' })
      .getByRole('button', { name: /^Comfortable/ })
      .click();
    await expect(pane.getByRole('region', { name: 'Walk the quiz' }).locator('legend').textContent()).resolves.toContain('Question 2');
    await page.getByRole('button', { name: 'Page settings, theme and SEO' }).click();
    await expect(pane.getByLabel('Primary colour', { exact: true }).isDisabled()).resolves.toBe(true);
    await axeClean(page, 'inspector for a viewer');
    await shoot(page, 'inspector-viewer');
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
