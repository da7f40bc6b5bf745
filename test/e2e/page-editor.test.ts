/**
 * The page editor in real Chromium over real HTTP, on the demo data: the outline, the live
 * preview (the published pages' renderer), undo/redo, autosave, two editors on one page, publish
 * and rollback, the phone layout, a viewer, the keyboard alone, axe, and screenshots in
 * test-artifacts/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JSHandle, Page } from 'playwright-core';
import { DEMO } from '../../db/seed';
import type { PageContent } from '../../workers/domain/blocks';
import { DESKTOP, PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { json } from '../support/responses';
import { renderPreview } from '../../pages-ui/app/views/editor/preview-html';

describe.skipIf(!chromiumAvailable)('the page editor in Chromium', { timeout: 120_000 }, () => {
  // The API's refusals the tests provoke (400 invalid draft, 409 conflict) are logged by Chromium.
  const b = useBrowserApp({ demo: { leads: false }, expectedStatuses: [400, 409] });
  const { url, signIn } = b;
  /** A page whose console errors fail the test, except the API refusals it provokes (and any `allow`ed). */
  const newPage = (viewport = DESKTOP, allow?: RegExp) => b.newPage({ viewport, allow });
  let funnelId: string;

  beforeAll(async () => {
    const { funnels } = await json(await b.owner.rpc.api.funnels.$get(), 200);
    funnelId = funnels.find((f) => f.slug === 'cosmetics-set')!.id;
  });

  async function pageIdOf(slug: string): Promise<string> {
    const { pages } = await json(await b.owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } }), 200);
    return pages.find((p) => p.slug === slug)!.id;
  }

  /*
   * The preview is read and clicked from the app's side (its contentDocument) and with the mouse:
   * Playwright's frame helpers inject a utility script into the frame, and in a frame sandboxed
   * without scripts every later mouse event then logs "Blocked script execution" — noise the
   * product does not make.
   */

  /** Opens the editor on a demo page and waits until the preview shows its blocks. */
  async function openEditor(page: Page, slug: string): Promise<{ pageId: string }> {
    const pageId = await pageIdOf(slug);
    await page.goto(url(`/app/funnels/${funnelId}/pages/${pageId}`));
    await page.locator('.editor-panes').waitFor();
    // Re-read the frame each time: until its srcdoc loads, it holds a blank document that is replaced.
    await page.waitForFunction(() =>
      document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentDocument?.querySelector('[data-block-index]'),
    );
    return { pageId };
  }

  /** The preview's document, as a handle in the app's own world. */
  function previewDoc(page: Page): Promise<JSHandle<Document>> {
    return page.evaluateHandle(() => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentDocument!);
  }

  /** Reads the preview's document. */
  async function inPreview<T>(page: Page, read: (doc: Document) => T): Promise<T> {
    const doc = await previewDoc(page);
    return await doc.evaluate(read);
  }

  async function waitInPreview(page: Page, check: (doc: Document) => boolean): Promise<void> {
    await page.waitForFunction(check, await previewDoc(page));
  }

  /** Clicks an element of the preview where it is on screen (the frame is scaled to fit its pane). */
  async function clickInPreview(page: Page, selector: string): Promise<void> {
    const point = await page.evaluate((sel) => {
      const frame = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!;
      const el = frame.contentDocument!.querySelector(sel)!;
      el.scrollIntoView({ block: 'center' });
      const outer = frame.getBoundingClientRect();
      const scale = outer.width / frame.offsetWidth;
      const inner = el.getBoundingClientRect();
      return {
        x: outer.left + (inner.left + Math.min(12, inner.width / 2)) * scale,
        y: outer.top + (inner.top + inner.height / 2) * scale,
      };
    }, selector);
    await page.mouse.click(point.x, point.y);
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
  const saveState = (page: Page) => page.locator('[data-save-state]').getAttribute('data-save-state');
  const waitSaved = (page: Page) => page.waitForSelector('[data-save-state="saved"]');

  /**
   * The preview, after all its in-place patching, is exactly the renderer's page for `content`:
   * its <main> parsed fresh by the browser, compared node for node (the editor's own marks aside).
   */
  async function expectPreviewToBe(page: Page, content: PageContent, slug: string) {
    const { pages } = await json(await b.owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } }), 200);
    const html = renderPreview(content, {
      funnelSlug: 'cosmetics-set',
      pageSlug: slug,
      siblings: pages.map((p) => ({ slug: p.slug, position: p.position })),
    });
    const same = await (
      await previewDoc(page)
    ).evaluate((doc, source) => {
      // Without what the preview leaves out on purpose: styles (adopted separately) and scripts.
      const markup = source.replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
      const fresh = new DOMParser().parseFromString(markup, 'text/html').querySelector('main')!;
      const shown = doc.querySelector('main')!.cloneNode(true) as Element;
      for (const el of shown.querySelectorAll('.lf-selected')) {
        el.classList.remove('lf-selected');
        if (!el.getAttribute('class')) el.removeAttribute('class');
      }
      for (const el of shown.querySelectorAll('[data-lf-untabbable]')) {
        const was = el.getAttribute('data-lf-untabbable')!;
        if (was) el.setAttribute('tabindex', was);
        else el.removeAttribute('tabindex');
        el.removeAttribute('data-lf-untabbable');
      }
      return shown.isEqualNode(fresh) ? 'same' : `differs:\n${shown.outerHTML.slice(0, 400)}\n${fresh.outerHTML.slice(0, 400)}`;
    }, html);
    expect(same).toBe('same');
  }

  async function checksOf(pageId: string) {
    return { checks: await json(await b.owner.rpc.api.pages[':id'].checks.$get({ param: { id: pageId } }), 200) };
  }

  async function draftOf(pageId: string): Promise<PageContent> {
    const body = await json(await b.owner.rpc.api.pages[':id'].$get({ param: { id: pageId } }), 200);
    return body.draft as PageContent;
  }

  it('opens a demo page: outline, preview by the published renderer, a click in the preview selects its block; screenshots', async () => {
    const page = await newPage();
    await signIn(page);
    await openEditor(page, 'landing');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Features', 'Testimonials', 'Call to action', 'Chat capture']);
    expect(await inPreview(page, (doc) => doc.querySelector('h1')?.textContent)).toBe('Healthy, glowing skin in five minutes a day');
    await clickInPreview(page, '[data-block-index="2"] h2');
    await page.waitForSelector('.outline-item.selected[data-outline-id="reviews"]');
    expect(await saveState(page)).toBe('saved');

    // The weight meter: the published page's first response, measured in the browser as the server's checks do.
    const meter = page.locator('.pane-preview [data-gzip-bytes]');
    await meter.waitFor();
    const measured = Number(await meter.getAttribute('data-gzip-bytes'));
    const { checks } = await checksOf(await pageIdOf('landing'));
    // The same document byte for byte; its gzip within 1 % (Chromium's zlib and Node's compress differently).
    expect(Number(await meter.getAttribute('data-html-bytes'))).toBe(checks.weight.htmlBytes);
    expect(Math.abs(measured - checks.weight.gzipBytes) / checks.weight.gzipBytes).toBeLessThan(0.01);
    const js = checks.weight.js.islandsGzipBytes + checks.weight.js.trackerGzipBytes;
    expect(Math.abs(Number(await meter.getAttribute('data-js-bytes')) - js) / js).toBeLessThan(0.01);
    await page.screenshot({ path: `${b.artifacts}/editor-desktop.png` });
  });

  it('edits a headline in the inspector: the preview follows each keystroke, typing is one undo step, autosaved across a reload', async () => {
    const page = await newPage();
    await signIn(page);
    const { pageId } = await openEditor(page, 'landing');
    await clickInPreview(page, '[data-block-index="0"] h1');
    const headline = page.locator('.pane-inspector').getByLabel('Headline', { exact: true });
    await headline.waitFor();
    const before = 'Healthy, glowing skin in five minutes a day';
    expect(await headline.inputValue()).toBe(before);

    await headline.focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' — today');
    await waitInPreview(page, (doc) => doc.querySelector('h1')?.textContent === 'Healthy, glowing skin in five minutes a day — today');
    expect(await saveState(page)).not.toBe('failed');

    // The word typed is one step back, and one step forward again.
    await page.keyboard.press('Control+z');
    await waitInPreview(page, (doc) => doc.querySelector('h1')?.textContent === 'Healthy, glowing skin in five minutes a day');
    expect(await headline.inputValue()).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    expect(await headline.inputValue()).toBe(`${before} — today`);
    await waitSaved(page);
    expect((await draftOf(pageId)).blocks[0]).toMatchObject({ headline: `${before} — today` });
    await expectPreviewToBe(page, await draftOf(pageId), 'landing');
    await page.screenshot({ path: `${b.artifacts}/editor-inspector.png` });

    await page.reload();
    await page.locator('.outline-item').first().waitFor();
    await waitInPreview(page, (doc) => doc.querySelector('h1')?.textContent === 'Healthy, glowing skin in five minutes a day — today');
    // Put back for the tests that read the demo page.
    await page.locator('[data-outline-id="hero"] .outline-select').click();
    await headline.fill(before);
    await waitSaved(page);
  });

  it('builds with the outline: add from the palette, reorder by drag and by keyboard, undo/redo, delete with undo; autosaved across a reload', async () => {
    const page = await newPage();
    await signIn(page);
    const { pageId } = await openEditor(page, 'thanks');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'Call to action']);

    // Add a FAQ after the selected hero, from the palette.
    await page.locator('[data-outline-id="hero"] .outline-select').click();
    await page.getByRole('button', { name: '+ Add block' }).click();
    const palette = page.getByRole('dialog', { name: 'Add a block' });
    await palette.getByText('It goes after Hero “Thank you!”.').waitFor();
    expect(await palette.locator('.palette-item').count()).toBe(14);
    await palette.getByRole('button', { name: /^FAQ/ }).click();
    await palette.waitFor({ state: 'detached' });
    expect(await outlineTypes(page)).toEqual(['Hero', 'FAQ', 'Text', 'Call to action']);
    await waitInPreview(page, (doc) => doc.querySelector('[data-block-index="1"] h2')?.textContent === 'Questions and answers');
    await page.getByText('Added FAQ “Questions and answers” at position 2 of 4.').waitFor();

    // Drag the FAQ below the text with the mouse (native drag and drop, as a person does it).
    const handle = await page.locator('[data-outline-id="faq"] .drag-handle').boundingBox();
    const target = await page.locator('[data-outline-id="next"]').boundingBox();
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height * 0.5, { steps: 5 });
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height * 0.85, { steps: 5 });
    await page.waitForSelector('[data-outline-id="next"].drop-bottom');
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelectorAll('.outline-item')[2]?.getAttribute('data-outline-id') === 'faq');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'FAQ', 'Call to action']);
    await waitInPreview(page, (doc) => doc.querySelector('[data-block-index="2"]')?.id === 'faq');
    await page.getByText('Moved FAQ “Questions and answers” to position 3 of 4.').waitFor();

    // And back up with the keyboard: Alt+↑ on the selected row, focus staying on it.
    await page.locator('[data-outline-id="faq"] .outline-select').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForFunction(() => document.querySelectorAll('.outline-item')[1]?.getAttribute('data-outline-id') === 'faq');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-outline-id]')?.getAttribute('data-outline-id'))).toBe('faq');
    await page.getByText('Moved FAQ “Questions and answers” to position 2 of 4.').waitFor();

    // Undo and redo: keys and buttons.
    await page.keyboard.press('Control+z');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'FAQ', 'Call to action']);
    await page.keyboard.press('Control+Shift+z');
    expect(await outlineTypes(page)).toEqual(['Hero', 'FAQ', 'Text', 'Call to action']);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await outlineTypes(page)).toEqual(['Hero', 'FAQ', 'Text', 'Call to action']);
    await page.getByRole('button', { name: 'Redo' }).click();
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'FAQ', 'Call to action']);

    // Duplicate and delete from the row's menu; the delete is undone from its toast.
    await page
      .locator('[data-outline-id="next"]')
      .getByRole('button', { name: /^Actions for Text “Your five-minute routine/ })
      .click();
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'Text', 'FAQ', 'Call to action']);
    await page.getByRole('button', { name: /^Actions for Call to action/ }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'Text', 'FAQ']);
    await page.locator('.undo-toast').getByRole('button', { name: 'Undo' }).click();
    expect(await outlineTypes(page)).toEqual(['Hero', 'Text', 'Text', 'FAQ', 'Call to action']);

    // Autosaved: "Saved", and a reload shows the same page; the preview patched all along is the renderer's page.
    await waitSaved(page);
    await expectPreviewToBe(page, await draftOf(pageId), 'thanks');
    const ids = await page.locator('.outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outline-id')));
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(ids);
    await page.reload();
    await page.locator('.outline-item').first().waitFor();
    expect(await page.locator('.outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outline-id')))).toEqual(ids);
    await page.screenshot({ path: `${b.artifacts}/editor-outline-built.png` });
  });

  it('two editors on one page: the second save is refused with the conflict message and nothing is lost', async () => {
    const ana = await newPage();
    const ben = await newPage();
    await signIn(ana);
    await signIn(ben);
    const { pageId } = await openEditor(ana, 'guide');
    await openEditor(ben, 'guide');
    const start = (await draftOf(pageId)).blocks.map((b) => b.id);

    // Ana duplicates the hero; saved.
    await ana.getByRole('button', { name: /^Actions for Hero/ }).click();
    await ana.getByRole('menuitem', { name: 'Duplicate' }).click();
    await waitSaved(ana);
    const anas = (await draftOf(pageId)).blocks.map((b) => b.id);
    expect(anas).toEqual([start[0], 'hero-copy', ...start.slice(1)]);

    // Ben, on the version he opened, moves the last block up: refused, said plainly, nothing overwritten.
    await ben.locator(`[data-outline-id="${start.at(-1)}"] .outline-select`).focus();
    await ben.keyboard.press('Alt+ArrowUp');
    const banner = ben.locator('.banner-conflict');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`${DEMO.name} saved this page while you were editing.`);
    expect(await saveState(ben)).toBe('conflict');
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(anas);
    const bens = [...start];
    bens.splice(-2, 2, start.at(-1)!, start.at(-2)!);
    expect(await ben.locator('.outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outline-id')))).toEqual(bens);
    await ben.screenshot({ path: `${b.artifacts}/editor-conflict.png` });

    // He loads Ana's version (his kept as a copy), then re-applies his move on top of it.
    await banner.getByRole('button', { name: 'Load their version (keep mine as a copy)' }).click();
    await ben.locator('.banner-stash').waitFor();
    expect(await ben.locator('.outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outline-id')))).toEqual(anas);
    await ben.getByRole('button', { name: 'Re-apply my changes' }).click();
    await ben.locator('.banner-stash').waitFor({ state: 'detached' });
    await waitSaved(ben);
    const both = [start[0], 'hero-copy', ...start.slice(1, -2), start.at(-1), start.at(-2)];
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(both);

    // Ana's next save is the one refused now; she takes Ben's version, which holds her change too.
    await ana.locator('[data-outline-id="hero-copy"] .outline-select').focus();
    await ana.keyboard.press('Delete');
    await ana.locator('.banner-conflict').waitFor();
    await ana.getByRole('button', { name: 'Load their version (keep mine as a copy)' }).click();
    expect(await ana.locator('.outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outline-id')))).toEqual(both);
    await ana.getByRole('button', { name: 'Discard my copy' }).click();
    await ana.getByRole('dialog', { name: 'Discard your copy?' }).getByRole('button', { name: 'Discard my copy' }).click();
    await ana.locator('.banner-stash').waitFor({ state: 'detached' });
  });

  it('refuses to publish a draft someone else saved after my last save: the dialog says so, nothing goes live', async () => {
    const page = await newPage();
    await signIn(page);
    const { pageId } = await openEditor(page, 'thanks');
    const live = () => fetch(url('/p/cosmetics-set/thanks')).then((r) => r.text());
    const before = await live();

    // While the dialog is open, someone saves another version of the draft (through the API).
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this page?' });
    await dialog.locator('[data-gzip-bytes]').waitFor();
    const current = await json(await b.owner.rpc.api.pages[':id'].$get({ param: { id: pageId } }), 200);
    const theirs = structuredClone(current.draft) as PageContent;
    theirs.settings.title = 'Thanks (their wording)';
    await json(
      await b.owner.rpc.api.pages[':id'].$patch({ param: { id: pageId }, json: { baseRevision: current.revision, content: theirs } }),
      200,
    );

    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    const error = dialog.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain(
      `${DEMO.name} saved this page after your last save (it is now at revision ${current.revision + 1}), so nothing was published`,
    );
    expect(await live()).toBe(before);
    await page.screenshot({ path: `${b.artifacts}/editor-publish-conflict.png` });
    // The editor offers their version, as after a refused save.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.banner-conflict').waitFor();
    expect(await saveState(page)).toBe('conflict');
    await page.getByRole('button', { name: 'Load their version (keep mine as a copy)' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Published: version \d+ is live at \/p\/cosmetics-set\/thanks/ })
      .waitFor();
    expect(await live()).toContain('<title>Thanks (their wording)</title>');
    await page.getByRole('button', { name: 'Discard my copy' }).click();
    await page.getByRole('dialog', { name: 'Discard your copy?' }).getByRole('button', { name: 'Discard my copy' }).click();
  });

  it('publishes (the live page shows the change), rolls back to the earlier HTML exactly, unpublishes', async () => {
    const page = await newPage();
    await signIn(page);
    const { pageId } = await openEditor(page, 'offer');
    const live = () => fetch(url('/p/cosmetics-set/offer')).then(async (r) => ({ status: r.status, html: await r.text() }));
    const before = await live();
    expect(before.status).toBe(200);
    const order = (html: string) => [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(order(before.html)).toEqual(['hero', 'set', 'deadline', 'faq']);

    await page.locator('[data-outline-id="faq"] .outline-select').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this page?' });
    await dialog.getByText('No accessibility problems found.').waitFor();
    await dialog.locator('[data-gzip-bytes]').waitFor();
    await page.screenshot({ path: `${b.artifacts}/editor-publish-dialog.png` });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Published: version \d+ is live at \/p\/cosmetics-set\/offer/ })
      .waitFor();
    const after = await live();
    expect(order(after.html)).toEqual(['hero', 'set', 'faq', 'deadline']);

    // Versions: who published what when; rolling back asks, then the earlier HTML is live again, exactly.
    await page.getByRole('button', { name: 'Versions' }).click();
    const drawer = page.getByRole('dialog', { name: 'Versions' });
    const rows = drawer.locator('.version');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toMatch(new RegExp(`Version \\d+ Live.*Published by ${DEMO.name}`));
    await page.screenshot({ path: `${b.artifacts}/editor-versions.png` });
    await rows.nth(1).getByRole('button', { name: 'Roll back to this' }).click();
    const confirmRollback = page.getByRole('dialog', { name: /^Roll back to version \d+\?$/ });
    await confirmRollback.getByRole('button', { name: /^Roll back to version/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Rolled back: version \d+ is live again/ })
      .waitFor();
    expect((await live()).html).toBe(before.html);
    // The draft is that version again, in the editor and on the server.
    await page.waitForFunction(() => document.querySelectorAll('.outline-item')[2]?.getAttribute('data-outline-id') === 'deadline');
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(['hero', 'set', 'deadline', 'faq']);
    expect(await rows.first().textContent()).toMatch(/Rollback to version \d+ by/);

    await drawer.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByRole('dialog', { name: 'Unpublish this page?' }).getByRole('button', { name: 'Unpublish' }).click();
    await page.getByRole('status').filter({ hasText: 'Page unpublished' }).waitFor();
    expect((await live()).status).toBe(410);
    await page.keyboard.press('Escape');
    await expect(page.locator('.view-actions .status').textContent()).resolves.toBe('Not published');
    // Published again, so the later tests find the page live.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Published: version/ })
      .waitFor();
    expect((await live()).html).toBe(before.html);
  });

  it('copies a signed preview link of the draft that opens without signing in', async () => {
    const page = await newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page);
    await openEditor(page, 'thanks');
    await page.getByRole('button', { name: 'Preview link' }).click();
    await page.getByRole('status').filter({ hasText: 'Preview link copied' }).waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\/preview\/[\w-]+\.[\w-]+$/);
    const res = await fetch(link.replace(/^https?:\/\/[^/]+/, url('')));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Thank you!');

    // Sent too widely: turned off from the Versions drawer, after a confirmation.
    await page.getByRole('button', { name: 'Versions' }).click();
    const drawer = page.getByRole('dialog', { name: 'Versions' });
    await drawer.getByRole('button', { name: 'Turn off preview links…' }).click();
    await page.screenshot({ path: `${b.artifacts}/editor-preview-links-off.png` });
    await page
      .getByRole('dialog', { name: 'Turn off this page’s preview links?' })
      .getByRole('button', { name: 'Turn off preview links' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Preview links turned off' }).waitFor();
    const off = await fetch(link.replace(/^https?:\/\/[^/]+/, url('')));
    expect(off.status).toBe(410);
    expect(await off.text()).toContain('This preview link was turned off');
  });

  it('shows the phone preview at 390 px, and on a phone switches panes', async () => {
    const desktop = await newPage();
    await signIn(desktop);
    await openEditor(desktop, 'landing');
    await desktop.getByRole('button', { name: 'Phone', exact: true }).click();
    const frameWidth = () =>
      desktop.evaluate(() => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentWindow!.innerWidth);
    await desktop.waitForFunction(
      () => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentWindow!.innerWidth === 390,
    );
    expect(await frameWidth()).toBe(390);
    await desktop.screenshot({ path: `${b.artifacts}/editor-phone-preview.png` });
    await desktop.getByRole('button', { name: 'Desktop', exact: true }).click();
    await desktop.waitForFunction(
      () => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')!.contentWindow!.innerWidth === 1280,
    );

    const phone = await newPage(PHONE);
    await signIn(phone);
    await openEditor(phone, 'landing');
    const show = phone.getByRole('group', { name: 'Show' });
    expect(await show.getByRole('button', { name: 'Preview' }).getAttribute('aria-pressed')).toBe('true');
    await expect(phone.locator('.pane-outline').isVisible()).resolves.toBe(false);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: `${b.artifacts}/editor-phone-preview-pane.png` });
    await show.getByRole('button', { name: 'Blocks' }).click();
    await expect(phone.locator('.pane-outline').isVisible()).resolves.toBe(true);
    await phone.screenshot({ path: `${b.artifacts}/editor-phone-outline.png` });
    await phone.locator('[data-outline-id="reviews"] .outline-select').click();
    await expect(phone.locator('.pane-inspector').isVisible()).resolves.toBe(true);
    expect(await phone.locator('#inspector-title').textContent()).toBe('Testimonials “Loved by more than 2,000 customers”');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: `${b.artifacts}/editor-phone-inspector.png` });
  });

  it('lets a viewer see the editor with every control that changes something disabled, and the note why', async () => {
    const { token } = await json(await b.owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    const page = await newPage();
    await page.goto(url('/signup'));
    await page.getByLabel('Your name').fill('Vera Viewer');
    await page.getByLabel('Email').fill('vera@example.com');
    await page.getByLabel('Password (10+ characters)').fill('correct horse battery');
    await page.getByLabel('Company or workspace name').fill('Vera Co');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(url('/app/funnels'));
    await page.goto(url(`/invite/${token}`));
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(/\/app\/funnels$/);
    const { pageId } = await openEditor(page, 'landing');
    const before = await draftOf(pageId);

    await expect(page.locator('#read-only-note').isVisible()).resolves.toBe(true);
    for (const name of ['+ Add block', 'Publish', 'Undo', 'Redo']) {
      await expect(page.getByRole('button', { name, exact: true }).isDisabled(), name).resolves.toBe(true);
    }
    expect(await page.getByRole('button', { name: '+ Add block' }).getAttribute('aria-describedby')).toBe('read-only-note');
    expect(await page.locator('.outline-item .menu-wrap button:not(:disabled)').count()).toBe(0);
    expect(await page.locator('.outline-item[draggable="true"]').count()).toBe(0);
    // Looking still works: a block is selected from the preview, the versions open.
    await clickInPreview(page, '[data-block-index="1"] h2');
    await page.waitForSelector('.outline-item.selected[data-outline-id="benefits"]');
    await page.locator('[data-outline-id="benefits"] .outline-select').focus();
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+z');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Features', 'Testimonials', 'Call to action', 'Chat capture']);
    await page.getByRole('button', { name: 'Versions' }).click();
    const drawer = page.getByRole('dialog', { name: 'Versions' });
    await drawer.locator('.version').first().waitFor();
    expect(await drawer.locator('button:not(.dialog-close):not(:disabled)').count()).toBe(0);
    await page.screenshot({ path: `${b.artifacts}/editor-viewer.png` });
    await page.keyboard.press('Escape');
    expect(await draftOf(pageId)).toEqual(before);
    expect(await saveState(page)).toBe('saved');
  });

  it('works by keyboard alone: add a block, move it, edit it, publish', async () => {
    const page = await newPage();
    await signIn(page);
    const { pageId } = await openEditor(page, 'quiz');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return (el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? el?.textContent ?? '').trim();
      });
    /** Presses Tab (or Shift+Tab) until the focused control is named `name`. */
    async function tabTo(name: string | RegExp, back = false) {
      for (let i = 0; i < 80; i++) {
        const now = await focused();
        if (typeof name === 'string' ? now === name : name.test(now)) return;
        await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      }
      throw new Error(`Tab never reached ${String(name)}; last focus: ${await focused()}`);
    }

    await tabTo('+ Add block');
    await page.keyboard.press('Enter');
    const palette = page.getByRole('dialog', { name: 'Add a block' });
    await palette.waitFor();
    expect(await focused()).toMatch(/^Hero/);
    await tabTo(/^Call to action/);
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    // Focus lands on the new block's row; Alt+↑ moves it above the quiz, then above the hero.
    await page.waitForFunction(() => document.activeElement?.closest('[data-outline-id]')?.getAttribute('data-outline-id') === 'cta');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Quiz', 'Call to action']);
    await page.keyboard.press('Alt+ArrowUp');
    await page.keyboard.press('Alt+ArrowUp');
    expect(await outlineTypes(page)).toEqual(['Call to action', 'Hero', 'Quiz']);
    await page.getByText('Moved Call to action “Ready when you are · Continue” to position 1 of 3.').waitFor();
    // Focus follows the row in the next frame, once it has rendered in its new place.
    await page.waitForFunction(() => document.activeElement?.closest('[data-outline-id]')?.getAttribute('data-outline-id') === 'cta');
    expect(await focused()).toBe('1. Call to action: Ready when you are · Continue');

    // The row's menu by keyboard: Move down.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Actions for Call to action “Ready when you are · Continue”');
    await page.keyboard.press('Enter');
    // The first block cannot move up: the menu opens on the first action it can take.
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
    expect(await focused()).toBe('Move down');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('Duplicate');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await outlineTypes(page)).toEqual(['Hero', 'Call to action', 'Quiz']);
    // The menu closes first; focus goes back to the moved row after the outline re-renders.
    await page.waitForFunction(() => document.activeElement?.closest('[data-outline-id]')?.getAttribute('data-outline-id') === 'cta');

    // Edit the button's text in the inspector: Tab onward from the outline (past the checks; the
    // preview's own links are not Tab stops) to its field.
    expect(await focused()).toBe('2. Call to action: Ready when you are · Continue');
    await page.keyboard.press('Enter');
    await tabTo('Button text');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('See my routine');
    await waitInPreview(page, (doc) => doc.querySelector('#cta a')?.textContent === 'See my routine');

    // Publish: back up to the top bar, Enter, and Enter again on the dialog's Publish.
    await tabTo('Publish', true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Publish this page?' });
    await dialog.waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains('publish-confirm'));
    expect(await focused()).toBe('Publish');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /Published: version \d+ is live at \/p\/cosmetics-set\/quiz/ })
      .waitFor();
    const html = await (await fetch(url('/p/cosmetics-set/quiz'))).text();
    expect([...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1])).toEqual(['hero', 'cta', 'skin-quiz']);
    expect(html).toContain('See my routine</a>');
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(['hero', 'cta', 'skin-quiz']);
  });

  it('has no serious or critical axe violations: the editor at 1280 and 390 px, the palette, publish dialog and versions', async () => {
    for (const [viewport, suffix] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      const page = await newPage(viewport);
      await signIn(page);
      await openEditor(page, 'landing');
      await page.locator('.pane-preview [data-gzip-bytes], .pane-preview .weight').first().waitFor({ state: 'attached' });
      await b.expectAccessible(page, page.url());
      if (suffix === 'phone') await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Blocks' }).click();
      await page.getByRole('button', { name: '+ Add block' }).click();
      await page.getByRole('dialog', { name: 'Add a block' }).waitFor();
      await b.expectAccessible(page, page.url());
      await page.screenshot({ path: `${b.artifacts}/editor-palette-${suffix}.png` });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByRole('dialog', { name: 'Publish this page?' }).locator('[data-gzip-bytes]').waitFor();
      await b.expectAccessible(page, page.url());
      await page.keyboard.press('Escape');
      if (suffix === 'phone') {
        await page.getByRole('button', { name: 'More', exact: true }).click();
        await page.getByRole('menuitem', { name: 'Versions' }).click();
      } else await page.getByRole('button', { name: 'Versions' }).click();
      await page.getByRole('dialog', { name: 'Versions' }).locator('.version').first().waitFor();
      await b.expectAccessible(page, page.url());
      await page.screenshot({ path: `${b.artifacts}/editor-versions-${suffix}.png` });
    }
  });

  it('lists the accessibility findings as blocks change, each one selecting its block; problems hold back Publish', async () => {
    const page = await newPage();
    await signIn(page);
    await openEditor(page, 'offer');
    const checks = page.locator('.checks');
    await expect(checks.locator('summary').textContent()).resolves.toContain('No accessibility problems found');
    await page.locator('[data-outline-id="hero"] .outline-select').click();
    await page.getByRole('button', { name: '+ Add block' }).click();
    await page
      .getByRole('dialog', { name: 'Add a block' })
      .getByRole('button', { name: /^Image/ })
      .click();
    await checks.getByText('1 problem to fix').waitFor();
    await page.locator('[data-outline-id="set"] .outline-select').click();
    await checks.getByRole('button', { name: /Image \(block 2\).*no alt text/ }).click();
    await page.waitForSelector('.outline-item.selected[data-outline-id="image"]');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this page?' });
    await dialog.getByText('1 problem to fix.').waitFor();
    expect(await dialog.getByRole('button', { name: /^Publish/ }).count()).toBe(0);
    await page.screenshot({ path: `${b.artifacts}/editor-publish-blocked.png` });
    await dialog.getByRole('button', { name: /Image \(block 2\)/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Control+z');
    await checks.getByText('No accessibility problems found').first().waitFor();
    await waitSaved(page);
  });

  it('does not lose unsaved changes when leaving: a link saves first, a failed save asks, a reload warns', async () => {
    const page = await newPage(DESKTOP, /status of 503/);
    await signIn(page);
    const { pageId } = await openEditor(page, 'thanks');
    const start = (await draftOf(pageId)).blocks.map((b) => b.id);

    // A link inside the app right after a change: the change is saved, then the link is followed.
    await page.getByRole('button', { name: /^Actions for Call to action/ }).click();
    await page.getByRole('menuitem', { name: 'Move up' }).click();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Cosmetics set' }).click();
    await page.waitForURL(url(`/app/funnels/${funnelId}`));
    const moved = [...start];
    moved.splice(-2, 2, start.at(-1)!, start.at(-2)!);
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(moved);

    // The server fails: "Not saved — retry", and leaving asks first.
    await openEditor(page, 'thanks');
    await page.route('**/api/pages/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'unavailable', message: 'The server is busy.', status: 503 } }),
          })
        : route.fallback(),
    );
    await page.getByRole('button', { name: /^Actions for Call to action/ }).click();
    await page.getByRole('menuitem', { name: 'Move down' }).click();
    await page.waitForSelector('[data-save-state="failed"]');
    await expect(page.locator('.banner-error').textContent()).resolves.toContain('The server is busy.');
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Cosmetics set' }).click();
    const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(page.url()).toContain(`/pages/${pageId}`);
    // A reload (or closing the tab) gets the browser's own warning.
    const warned = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    void page.reload().catch(() => undefined);
    expect(await warned).toBe('beforeunload');
    // The server is back: retry saves it.
    await page.unroute('**/api/pages/*');
    await page.locator('.save-state').getByRole('button', { name: 'retry' }).click();
    await waitSaved(page);
    expect((await draftOf(pageId)).blocks.map((b) => b.id)).toEqual(start);
  });
});
