/**
 * Button labels on a 390 px phone, in real Chromium: no label may be split inside a word — not
 * at a hyphen ("5-minute" → "5-" / "minute"), a slash or a dash, in the server-rendered buttons
 * (CTA, offer, every form's submit, the download) nor in the islands' buttons (the chat's choice
 * chips and send button, the quiz's step buttons). The page is published through the API with
 * labels long enough to wrap, each with a joined word where a line would naturally end; every
 * button's words are checked by where the browser put their glyphs (a word whose characters lie
 * on two lines was broken). Screenshots go to test-artifacts/button-labels/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Block, PageContent } from '../../workers/domain/blocks';
import { createTestApp, type TestApp } from '../support/app';
import { json } from '../support/responses';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';

const ARTIFACTS = 'test-artifacts/button-labels';
const PHONE = { width: 390, height: 844 };
const CONSENT = { text: 'Email me the routine and skincare tips. I can unsubscribe at any time.', required: true };
const EMAIL = { name: 'email', label: 'Email address', kind: 'email' as const, required: true };

/** Labels of 35–60 characters: on a phone each wraps once or twice, somewhere among its joined words. */
const LABELS = [
  'Send me the five-minute skin-care check-list',
  'Yes, I want the 10%-off starter-kit today',
  'Book my free one-to-one skin consultation',
  'Get the 30-day money-back, no-questions-asked set',
  'Show me my personal three-step morning-routine',
  'Start the 2-minute skin-type quiz right now',
];

const blocks: Block[] = [
  {
    type: 'hero',
    id: 'hero',
    headline: 'Skin care in five minutes a day',
    cta: { label: LABELS[5]!, target: { kind: 'url', url: 'https://shop.example.com/quiz' } },
  },
  { type: 'cta', id: 'cta', label: LABELS[1]!, target: { kind: 'url', url: 'https://shop.example.com/kit' } },
  {
    type: 'offer',
    id: 'offer',
    title: 'The starter set',
    priceMinor: 4900,
    currency: 'USD',
    bullets: ['Cleanser, serum and SPF 50'],
    buyLabel: LABELS[3]!,
    buyTarget: { kind: 'url', url: 'https://shop.example.com/checkout' },
  },
  {
    type: 'lead_form',
    id: 'form',
    title: 'Talk to us',
    fields: [EMAIL],
    submitLabel: LABELS[2]!,
    consent: CONSENT,
  },
  {
    type: 'lead_magnet',
    id: 'ebook',
    title: 'The routine, as a guide',
    description: 'Five steps, four pages.',
    assetName: 'The five-minute skin-care routine (PDF, 4 pages)',
    assetPath: '/assets/gated/the-5-minute-skincare-routine.pdf',
    fields: [EMAIL],
    submitLabel: LABELS[0]!,
    consent: CONSENT,
  },
  {
    type: 'chat_capture',
    id: 'chat',
    botName: 'Mia',
    steps: [
      {
        id: 'concern',
        prompt: 'What would you like to change first?',
        kind: 'choice',
        options: [
          'Shine and breakouts on my T-zone by mid-afternoon',
          'Dry, tight, flaky cheeks after every face-wash',
          'Nothing, just looking',
        ],
      },
      { id: 'routine', prompt: 'And your routine today?', kind: 'text' },
    ],
    emailPrompt: 'Where can I send your plan?',
    consent: CONSENT,
    submitLabel: 'Send my three-step plan to my in-box',
    doneMessage: 'Thanks! Your plan is on its way.',
  },
  {
    type: 'quiz',
    id: 'quiz',
    title: 'Your skin type',
    questions: [
      {
        id: 'feel',
        text: 'How does your skin feel by midday?',
        multiple: false,
        answers: [
          { id: 'tight', label: 'Tight', points: 1 },
          { id: 'shiny', label: 'Shiny', points: 3 },
        ],
      },
    ],
    outcomes: [
      { id: 'dry', title: 'Dry skin', description: 'Hydrate.', minScore: 0, maxScore: 2 },
      { id: 'oily', title: 'Oily skin', description: 'Balance.', minScore: 3, maxScore: 10 },
    ],
    askEmailBeforeOutcome: true,
    submitLabel: LABELS[4]!,
    consent: CONSENT,
  },
];

const content: PageContent = {
  settings: {
    title: 'Button labels',
    noindex: true,
    theme: { primary: '#9d174d', background: '#fffaf7', text: '#1c1f26', fontStack: 'system' },
  },
  blocks,
};

/**
 * Words of button labels (`.btn` and every `<button>`) that the browser split over two lines:
 * the characters of one word whose boxes sit on different lines.
 */
function brokenButtonWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const button of document.querySelectorAll<HTMLElement>('.btn, button')) {
      if (!button.offsetParent) continue;
      // The label's text nodes joined: a word may be split across a <span class="nw"> and its neighbour.
      const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
      const chars: Array<{ ch: string; top: number | null }> = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          chars.push({ ch: text[i]!, top: rect && rect.width > 0 ? Math.round(rect.top) : null });
        }
      }
      let word = '';
      let tops = new Set<number>();
      const end = () => {
        if (tops.size > 1) broken.push(word);
        word = '';
        tops = new Set();
      };
      for (const { ch, top } of chars) {
        if (/\s/.test(ch)) end();
        else {
          word += ch;
          if (top !== null) tops.add(top);
        }
      }
      end();
    }
    return broken;
  });
}

/** How many lines each visible button's label takes, so the test knows its labels did wrap. */
function wrappedButtons(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll<HTMLElement>('.btn, button')].filter((button) => {
        if (!button.offsetParent) return false;
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
      }).length,
  );
}

describe.skipIf(!chromiumAvailable)('button labels on a phone', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0, ratePerWindow: 1_000 } });
    const owner = t.client();
    await owner.signup('owner@buttons.test', 'correct horse battery', 'Olivia', { workspaceName: 'Buttons' });
    const funnel = await json(await owner.rpc.api.funnels.$post({ json: { name: 'Buttons', slug: 'buttons' } }), 201);
    const page = await json(
      await owner.rpc.api.funnels[':id'].pages.$post({ param: { id: funnel.id }, json: { slug: 'labels', name: 'Labels', content } }),
      201,
    );
    await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} }), 201);
    server = await serveApp(t.app);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  it.each([
    ['with JavaScript (islands running)', true],
    ['without JavaScript', false],
  ] as const)('keeps every word of every button whole at 390 px, %s', async (label, javaScriptEnabled) => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.base}/p/buttons`);
    if (javaScriptEnabled) {
      // The chat island types its first line, then offers its choice chips; the quiz island its step button.
      await page.locator('.chips button').first().waitFor();
      await page.locator('[data-island="quiz"] > div').first().waitFor();
    }
    // The test's own check: at this width its labels do wrap, so "whole words" is a real constraint.
    expect(await wrappedButtons(page)).toBeGreaterThanOrEqual(6);
    expect(await brokenButtonWords(page), label).toEqual([]);
    // No label pushes the page sideways either.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/labels-${javaScriptEnabled ? 'js' : 'no-js'}-390.png`, fullPage: true });

    if (javaScriptEnabled) {
      // The chat's text step, then its email step with the block's send label.
      const chat = page.locator('[data-island="chat"]');
      await chat.getByRole('button', { name: 'Nothing, just looking' }).click();
      await chat.getByLabel('And your routine today?').fill('Soap and water');
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.getByRole('button', { name: 'Send my three-step plan to my in-box' }).waitFor();
      expect(await brokenButtonWords(page)).toEqual([]);
      // The quiz island's own submit (its label is the block's) once its one question is answered.
      await page.getByLabel('Shiny').check();
      await page.locator('[data-island="quiz"]').getByRole('button', { name: 'Next' }).click();
      await page.locator('[data-island="quiz"]').getByRole('button', { name: LABELS[4]! }).waitFor();
      expect(await brokenButtonWords(page)).toEqual([]);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
