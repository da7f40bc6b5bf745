/**
 * The demo funnel in real Chromium over real HTTP, stored in a real libSQL file: the quiz and
 * chat islands (mouse and keyboard), the ebook gate's download, the same forms without
 * JavaScript, escaping of hostile input, and axe-core on every demo page.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { seedDemo } from '../../db/seed';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { TRACKER_JS } from '../../pages-ui/tracker/generated';
import { createTestApp, type TestApp } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';

const FUNNEL = '/p/cosmetics-set';
const CONSENT_TEXT = 'Yes, email me skincare tips and offers from Demo Shop. I can unsubscribe at any time.';
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

/**
 * Records every state of the chat log (one entry per rendered change) from inside the page,
 * so the order "typing, line, answer, typing, line…" is checked however slow the machine is.
 */
const RECORD_CHAT_LOG = `(() => {
  window.__chatLog = [];
  let last = '';
  new MutationObserver(() => {
    const log = document.querySelector('[role="log"]');
    if (!log) return;
    const state = [...log.querySelectorAll('.bub')].map((bubble) => bubble.classList.contains('typing') ? '…' : bubble.textContent);
    const key = JSON.stringify(state);
    if (state.length && key !== last) { last = key; window.__chatLog.push(state); }
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
})();`;

interface LeadRow {
  id: string;
  email: string;
  name: string | null;
  fields: Record<string, unknown>;
  quizOutcome: string | null;
}

interface SubmissionRow {
  formId: string;
  data: Record<string, unknown>;
  quizAnswers: Record<string, string[]> | null;
  quizScore: number | null;
  quizOutcome: string | null;
}

describe.skipIf(!chromiumAvailable)('the demo funnel in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  /**
   * One page per kind of context (scripts on or off, reduced motion), reused by the tests: opening
   * a context and page costs about a second on a busy machine. Each test navigates first.
   */
  const pages = new Map<string, Page>();
  /** Uncaught errors, CSP refusals and dialogs seen in the current test's pages. */
  let pageProblems: string[] = [];

  beforeAll(async () => {
    // A real clock (the browser takes real time between render and post) without the 2 s
    // bot threshold, and a rate limit no test reaches: every post comes from 127.0.0.1.
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0, ratePerWindow: 1_000 } });
    await seedDemo(t.database, { clock: t.deps.clock }); // on the app's clock, which is real time here, as the browser's
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  afterEach(async () => {
    // Leave no island timer or pending navigation running into the next test.
    await Promise.all([...pages.values()].map((page) => page.goto('about:blank')));
    pageProblems = [];
  });

  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    const key = JSON.stringify(options);
    const open = pages.get(key);
    if (open) {
      await open.context().clearCookies();
      return open;
    }
    const context = await browser.newContext(options);
    await context.addInitScript({ content: RECORD_CHAT_LOG });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Expected: a form re-rendered with its errors is a 400 response, and Chromium logs it;
      // the pages declare no icon, so Chromium's own /favicon.ico request is a 404.
      const expected = /status of 400 \(Bad Request\)/.test(message.text()) || message.location().url.endsWith('/favicon.ico');
      if (message.type() === 'error' && !expected) pageProblems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    page.on('dialog', (dialog) => {
      pageProblems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
      void dialog.dismiss();
    });
    pages.set(key, page);
    return page;
  }

  const url = (path: string) => `${server.base}${path}`;

  async function leadByEmail(email: string): Promise<LeadRow | undefined> {
    const rs = await t.database.client.execute({
      sql: 'select id, email, name, fields, quiz_outcome from leads where email = ?',
      args: [email],
    });
    const row = rs.rows[0];
    if (!row) return undefined;
    return {
      id: String(row.id),
      email: String(row.email),
      name: row.name === null ? null : String(row.name),
      fields: JSON.parse(String(row.fields)),
      quizOutcome: row.quiz_outcome === null ? null : String(row.quiz_outcome),
    };
  }

  async function submissionsOf(leadId: string): Promise<SubmissionRow[]> {
    const rs = await t.database.client.execute({
      sql: 'select form_id, data, quiz_answers, quiz_score, quiz_outcome from form_submissions where lead_id = ? order by created_at',
      args: [leadId],
    });
    return rs.rows.map((row) => ({
      formId: String(row.form_id),
      data: JSON.parse(String(row.data)),
      quizAnswers: row.quiz_answers === null ? null : JSON.parse(String(row.quiz_answers)),
      quizScore: row.quiz_score === null ? null : Number(row.quiz_score),
      quizOutcome: row.quiz_outcome === null ? null : String(row.quiz_outcome),
    }));
  }

  async function consentWordingsOf(leadId: string): Promise<string[]> {
    const rs = await t.database.client.execute({
      sql: 'select wording, ip_hash, page_version_id from consent_records where lead_id = ?',
      args: [leadId],
    });
    for (const row of rs.rows) {
      expect(row.ip_hash, 'consent keeps a hash of the IP').toMatch(/^[0-9a-f]{32}$/);
      expect(row.page_version_id, 'consent keeps the page version').toBeTruthy();
    }
    return rs.rows.map((row) => String(row.wording));
  }

  /** What has keyboard focus, e.g. `input[radio] Tight or flaky` or `h3 How visible…`. */
  function focused(page: Page): Promise<string> {
    return page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el || el === document.body) return 'body';
      const label = el.labels?.[0]?.textContent ?? el.textContent ?? '';
      const kind = el.tagName === 'INPUT' ? `input[${el.type}]` : el.tagName.toLowerCase();
      return `${kind} ${label.trim()}`;
    });
  }

  /** Presses Tab until `target` (as `focused` names it) has focus; fails if it is not reachable. */
  async function tabTo(page: Page, target: string, maxPresses = 40): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < maxPresses; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (now === target) return;
      seen.push(now);
    }
    throw new Error(`${target} not reached with Tab; focus went through:\n${seen.join('\n')}`);
  }

  /** Waits for the quiz island's progress line to read exactly `text`, e.g. "Question 2 of 4 or 5" or "Last step". */
  function progress(page: Page, text: string): Promise<void> {
    return page.locator('p.prog', { hasText: new RegExp(`^${text}$`) }).waitFor();
  }

  /** The questions of the quiz island on screen (it must show exactly one at a time). */
  async function visibleQuestions(page: Page): Promise<string[]> {
    return page.locator('form fieldset legend').allInnerTexts();
  }

  async function readDownload(page: Page, link: ReturnType<Page['getByRole']>) {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: await readFile(path) };
  }

  describe('quiz island', () => {
    it('is taken by keyboard alone, one question at a time, and stores the lead with answers, score, outcome and consent', async () => {
      const page = await openPage();
      await page.goto(url(`${FUNNEL}/quiz`));
      // The third question branches: four or five questions, until it is answered.
      await progress(page, 'Question 1 of 4 or 5');
      expect(await visibleQuestions(page)).toEqual(['How does your skin feel by midday?']);

      // Q1: Tab into the radio group, arrow keys pick "Shiny" (3 points), Enter submits the step.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input[radio] Tight or flaky');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.getByLabel('Shiny, especially on the forehead and nose').isChecked()).toBe(true);
      await page.keyboard.press('Enter');

      // Q2: focus moved to the new question's heading; Space picks, Tab reaches Back then Next.
      await progress(page, 'Question 2 of 4 or 5');
      expect(await focused(page)).toBe('h3 How visible are your pores?');
      expect(await visibleQuestions(page)).toEqual(['How visible are your pores?']);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input[radio] Barely visible');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.getByLabel('Visible across the face').isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button Back');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button Next');
      await page.keyboard.press('Space');

      // Q3: ArrowUp from the first answer wraps to "Often" (3), which does not skip Q4.
      await progress(page, 'Question 3 of 4 or 5');
      expect(await visibleQuestions(page)).toEqual(['How often do you get breakouts?']);
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowUp');
      expect(await page.getByLabel('Often').isChecked()).toBe(true);
      await page.keyboard.press('Enter');

      // Q4: "Every day" (3).
      await progress(page, 'Question 4 of 5');
      expect(await visibleQuestions(page)).toEqual(['Do you blot or powder your face to control shine?']);
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.getByLabel('Every day').isChecked()).toBe(true);
      await page.keyboard.press('Enter');

      // Q5, several answers: Space toggles checkboxes, Tab moves between them.
      await progress(page, 'Question 5 of 5');
      expect(await visibleQuestions(page)).toEqual(['Which of these do you already use?']);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input[checkbox] Cleanser');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input[checkbox] Sunscreen');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab'); // None of these
      await page.keyboard.press('Tab'); // Back
      await page.keyboard.press('Tab'); // Next
      expect(await focused(page)).toBe('button Next');
      await page.keyboard.press('Enter');

      // The email step, before the outcome.
      await progress(page, 'Last step');
      expect(await focused(page)).toBe('h3 Where should we send your result and your routine?');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input[email] Email address');
      await page.keyboard.type('Keyboard.Quiz@Example.com');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe(`input[checkbox] ${CONSENT_TEXT}`);
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button See my result');
      await Promise.all([page.waitForURL(/\?result=/), page.keyboard.press('Enter')]);

      const result = page.getByRole('status');
      expect(await result.getByRole('heading').innerText()).toBe('Oily skin');
      // The outcome, not the internal score (stored below, shown only if the quiz opts in).
      expect(await result.innerText()).toContain('Use the gel cleanser twice a day');
      expect(await result.innerText()).not.toMatch(/score/i);

      const lead = await leadByEmail('keyboard.quiz@example.com');
      expect(lead).toMatchObject({ quizOutcome: 'oily', fields: { quizScore: 12, quiz_tags: 'oily-skin, breakout-prone' } });
      const submissions = await submissionsOf(lead!.id);
      expect(submissions).toEqual([
        {
          formId: 'skin-quiz',
          // The outcome tags of the answers given, for sales.
          data: { email: 'keyboard.quiz@example.com', fields: {}, consent: true, quizTags: ['oily-skin', 'breakout-prone'] },
          quizAnswers: {
            midday: ['shiny'],
            pores: ['everywhere'],
            breakouts: ['often'],
            shine: ['daily'],
            products: ['cleanser', 'sunscreen'],
          },
          quizScore: 12,
          quizOutcome: 'oily',
        },
      ]);
      expect(await consentWordingsOf(lead!.id)).toEqual([CONSENT_TEXT]);
      expect(pageProblems).toEqual([]);
    });

    it('follows a branch, goes Back, asks for a missing answer, resumes after a refused email, and stores no consent when the box is left empty', async () => {
      const page = await openPage();
      await page.goto(url(`${FUNNEL}/quiz`));
      await progress(page, 'Question 1 of 4 or 5');
      await page.getByLabel('Tight or flaky').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Barely visible').check();
      await page.getByRole('button', { name: 'Next' }).click();
      // "Rarely" skips the shine question: the path is now four questions long.
      await page.getByLabel('Rarely').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await progress(page, 'Question 4 of 4');
      expect(await visibleQuestions(page)).toEqual(['Which of these do you already use?']);

      // Back at the branching question, the path is open again.
      await page.getByRole('button', { name: 'Back' }).click();
      await progress(page, 'Question 3 of 4 or 5');
      expect(await page.getByLabel('Rarely').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Next' }).click();

      await page.getByRole('button', { name: 'Next' }).click();
      expect(await page.locator('form .err').innerText()).toBe('Choose at least one answer.');
      await page.getByLabel('None of these').check();
      await page.getByRole('button', { name: 'Next' }).click();

      // An address the server refuses: the page comes back and the island resumes at the email
      // step with the message next to the field, the value and the answers kept.
      await page.getByLabel('Email address').fill('branch.quiz@example');
      await page.getByRole('button', { name: 'See my result' }).click();
      await page.getByText('Enter a valid email address.').first().waitFor();
      await progress(page, 'Last step');
      const email = page.getByLabel('Email address');
      expect(await email.inputValue()).toBe('branch.quiz@example');
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      const message = page.locator('.fld', { has: email }).locator('.err');
      expect(await message.innerText()).toBe('Enter a valid email address.');
      expect(await email.getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
      await email.fill('branch.quiz@example.com');
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'See my result' }).click()]);
      expect(await page.getByRole('status').getByRole('heading').innerText()).toBe('Dry skin');
      expect(await page.getByRole('status').innerText()).not.toMatch(/score/i);

      const lead = await leadByEmail('branch.quiz@example.com');
      expect(lead?.quizOutcome).toBe('dry');
      const [submission] = await submissionsOf(lead!.id);
      expect(submission).toMatchObject({
        quizAnswers: { midday: ['tight'], pores: ['barely'], breakouts: ['rarely'], products: ['none'] },
        quizScore: 3,
        quizOutcome: 'dry',
        data: { consent: false },
      });
      expect(await consentWordingsOf(lead!.id)).toEqual([]);
      expect(pageProblems).toEqual([]);
    });
  });

  describe('ebook gate', () => {
    it('delivers the PDF after email and consent, once for a double click', async () => {
      const page = await openPage();
      await page.goto(url(`${FUNNEL}/guide`));
      await page.getByLabel('First name').fill('Grace');
      await page.getByLabel('Email address').fill('grace@example.com');
      await page.getByLabel(CONSENT_TEXT).check();
      // An impatient double click still stores one submission: Chromium replaces the first post
      // with the second (aborting the first navigation, so no waitForURL here), and a post that
      // reaches the server twice is a replay of its token.
      await page.getByRole('button', { name: 'Send me the guide' }).dblclick();
      await page.getByRole('heading', { name: 'Your download is ready' }).waitFor();
      const link = page.getByRole('link', { name: 'Download The 5-minute skincare routine (PDF)' });
      expect(await link.getAttribute('href')).toMatch(/^\/d\/[^/]+$/);
      const file = await readDownload(page, link);
      expect(file.name).toBe('the-5-minute-skincare-routine.pdf');
      expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(file.bytes.subarray(-8).toString('latin1')).toContain('%%EOF');

      // The link is the only way to the file: a forged token is refused.
      expect((await page.request.get(url('/d/not-a-real-token'))).status()).toBe(404);

      const lead = await leadByEmail('grace@example.com');
      expect(lead?.name).toBe('Grace');
      const submissions = await submissionsOf(lead!.id);
      expect(submissions.map((s) => s.formId)).toEqual(['ebook']);
      expect(await consentWordingsOf(lead!.id)).toEqual([CONSENT_TEXT]);
      expect(pageProblems).toEqual([]);
    });
  });

  describe('chat capture', () => {
    it('asks one scripted question at a time with a typing indicator, then the email with consent, by keyboard', async () => {
      const page = await openPage();
      const log = page.getByRole('log');
      const typing = page.locator('.bub.typing');
      await page.goto(url(FUNNEL));

      await log.getByText('What is your main skin concern right now?').waitFor();
      expect(await typing.count()).toBe(0);

      const chips = page.getByRole('group', { name: 'Hi, I am Mia! What is your main skin concern right now?' });
      expect(await chips.getByRole('button').allInnerTexts()).toEqual(['Dryness', 'Shine and breakouts', 'Dullness', 'Sensitivity']);
      // Keyboard only from here: Tab from the top of the page through its links to the answers.
      await tabTo(page, 'button Dryness');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button Dullness');
      await page.keyboard.press('Enter');

      // The answer shows at once and the old choices go; the next question follows.
      await log.locator('.bub.me', { hasText: 'Dullness' }).waitFor();
      expect(await chips.count()).toBe(0);
      await log.getByText('How many steps does your routine have today?').waitFor();
      expect(await typing.count()).toBe(0);
      // Focus follows the conversation to the new answers.
      expect(await focused(page)).toBe('button None yet');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');

      await log.getByText('Anything you would like to ask our skincare team?').waitFor();
      expect(await focused(page)).toBe('input[text] Anything you would like to ask our skincare team?');
      await page.keyboard.type('Is the serum OK for sensitive skin?');
      await page.keyboard.press('Enter');

      await log.getByText('Thanks! Leave your email').waitFor();
      const bot = (line: string) => `Mia from Demo Shop: ${line}`;
      const q1 = bot('Hi, I am Mia! What is your main skin concern right now?');
      const q2 = bot('How many steps does your routine have today?');
      const q3 = bot('Anything you would like to ask our skincare team?');
      const ask = bot('Thanks! Leave your email and I will send you tips for your skin, plus 10% off your first set.');
      const a1 = 'You: Dullness';
      const a2 = 'You: 1 or 2';
      const a3 = 'You: Is the serum OK for sensitive skin?';
      expect(await page.evaluate(() => (window as unknown as { __chatLog: string[][] }).__chatLog)).toEqual([
        ['…'],
        [q1],
        [q1, a1, '…'],
        [q1, a1, q2],
        [q1, a1, q2, a2, '…'],
        [q1, a1, q2, a2, q3],
        [q1, a1, q2, a2, q3, a3, '…'],
        [q1, a1, q2, a2, q3, a3, ask],
      ]);
      expect(await typing.count()).toBe(0);

      expect(await focused(page)).toBe('input[email] Email address');
      await page.keyboard.type('chat.visitor@example.com');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe(`input[checkbox] ${CONSENT_TEXT}`);
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button Send me tips');
      await Promise.all([page.waitForURL(/\?result=/), page.keyboard.press('Enter')]);
      await page.getByText('Thank you! Your tips and your 10% code are on their way to your inbox.').waitFor();
      expect(await page.locator('script[type="module"]').count(), 'the finished chat is plain HTML').toBe(0);

      const lead = await leadByEmail('chat.visitor@example.com');
      expect(lead?.fields).toEqual({ concern: 'Dullness', routine: '1 or 2', question: 'Is the serum OK for sensitive skin?' });
      const [submission] = await submissionsOf(lead!.id);
      expect(submission).toMatchObject({ formId: 'chat', data: { email: 'chat.visitor@example.com', consent: true } });
      expect(await consentWordingsOf(lead!.id)).toEqual([CONSENT_TEXT]);
      expect(pageProblems).toEqual([]);
    });
  });

  describe('without JavaScript', () => {
    const noScript = { javaScriptEnabled: false };

    it('takes the quiz in two posts (the branching question first) and shows the outcome', async () => {
      const page = await openPage(noScript);
      await page.goto(url(`${FUNNEL}/quiz`));
      // Up to the first branching question; the rest depends on its answer.
      expect(await visibleQuestions(page)).toEqual([
        '1. How does your skin feel by midday?',
        '2. How visible are your pores?',
        '3. How often do you get breakouts?',
      ]);
      expect(await page.getByLabel('Email address').count()).toBe(0);
      await page.getByLabel('Comfortable').check();
      await page.getByLabel('Visible on the nose').check();
      await page.getByLabel('Now and then').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.getByLabel('Email address').waitFor();
      expect(await visibleQuestions(page)).toEqual([
        '1. How does your skin feel by midday?',
        '2. How visible are your pores?',
        '3. How often do you get breakouts?',
        '4. Do you blot or powder your face to control shine?',
        '5. Which of these do you already use? (choose all that apply)',
      ]);
      expect(await page.getByLabel('Visible on the nose').isChecked()).toBe(true);
      expect(await page.getByRole('alert').count()).toBe(0); // revealing questions is not an error
      await page.getByLabel('Sometimes').check();
      await page.getByLabel('Moisturiser').check();
      await page.getByLabel('Email address').fill('noscript.quiz@example.com');
      await page.getByLabel(CONSENT_TEXT).check();
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'See my result' }).click()]);

      expect(await page.getByRole('status').getByRole('heading').innerText()).toBe('Balanced skin');
      expect(await page.getByRole('status').innerText()).not.toMatch(/score/i);
      const lead = await leadByEmail('noscript.quiz@example.com');
      const [submission] = await submissionsOf(lead!.id);
      expect(submission).toMatchObject({
        quizAnswers: {
          midday: ['comfortable'],
          pores: ['nose'],
          breakouts: ['sometimes'],
          shine: ['sometimes'],
          products: ['moisturiser'],
        },
        quizScore: 8,
        quizOutcome: 'balanced',
      });
      expect(await consentWordingsOf(lead!.id)).toEqual([CONSENT_TEXT]);
      expect(pageProblems).toEqual([]);
    });

    it('sends the chat as one form', async () => {
      const page = await openPage(noScript);
      await page.goto(url(FUNNEL));
      await page.getByLabel('Shine and breakouts').check();
      await page.getByLabel('3 or more').check();
      await page.getByLabel('Anything you would like to ask our skincare team?').fill('Do you ship to Canada?');
      await page.getByLabel('Email address').fill('noscript.chat@example.com');
      await page.getByLabel(CONSENT_TEXT).check();
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'Send me tips' }).click()]);
      await page.getByText('Thank you! Your tips and your 10% code are on their way to your inbox.').waitFor();
      const lead = await leadByEmail('noscript.chat@example.com');
      expect(lead?.fields).toEqual({ concern: 'Shine and breakouts', routine: '3 or more', question: 'Do you ship to Canada?' });
      expect(await consentWordingsOf(lead!.id)).toEqual([CONSENT_TEXT]);
    });

    it('shows an invalid email next to the field with the values kept, then delivers the ebook', async () => {
      const page = await openPage(noScript);
      await page.goto(url(`${FUNNEL}/guide`));
      await page.getByLabel('First name').fill('Zoë');
      // Passes the browser's own type=email check, fails ours (no dot in the domain).
      await page.getByLabel('Email address').fill('zoe@example');
      await page.getByLabel(CONSENT_TEXT).check();
      const [response] = await Promise.all([
        page.waitForResponse((res) => res.request().method() === 'POST'),
        page.getByRole('button', { name: 'Send me the guide' }).click(),
      ]);
      expect(response.status()).toBe(400);

      const email = page.getByLabel('Email address');
      await email.waitFor();
      expect(await email.inputValue()).toBe('zoe@example');
      expect(await page.getByLabel('First name').inputValue()).toBe('Zoë');
      expect(await page.getByLabel(CONSENT_TEXT).isChecked()).toBe(true);
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      // The message sits in the field's own container and is the field's description.
      const message = page.locator('.fld', { has: email }).locator('.err');
      expect(await message.innerText()).toBe('Enter a valid email address.');
      expect(await email.getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
      expect(await page.getByLabel('First name').getAttribute('aria-invalid')).toBeNull();
      // The summary links to the field.
      await page.getByRole('alert').getByRole('link', { name: 'Email address: Enter a valid email address.' }).waitFor();

      await email.fill('zoe@example.org');
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'Send me the guide' }).click()]);
      const file = await readDownload(page, page.getByRole('link', { name: 'Download The 5-minute skincare routine (PDF)' }));
      expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const lead = await leadByEmail('zoe@example.org');
      expect(lead?.name).toBe('Zoë');
      expect(await submissionsOf(lead!.id)).toHaveLength(1);
      expect(pageProblems).toEqual([]);
    });
  });

  describe('hostile input', () => {
    it('stores a chat answer with markup as text and shows it literally, before and after a failed post', async () => {
      const page = await openPage({ reducedMotion: 'reduce' }); // the bot answers without typing
      await page.goto(url(FUNNEL));
      const log = page.getByRole('log');
      await page.getByRole('button', { name: 'Sensitivity' }).click();
      await page.getByRole('button', { name: 'None yet' }).click();
      await page.getByLabel('Anything you would like to ask our skincare team?').fill(HOSTILE);
      await page.getByRole('button', { name: 'Send' }).click();
      await log.locator('.bub.me', { hasText: HOSTILE }).waitFor();
      expect(await page.locator('img[src="x"]').count()).toBe(0);

      // A server-side validation failure re-renders the page; the island replays the transcript.
      await page.getByLabel('Email address').fill('hostile@example');
      await page.getByLabel(CONSENT_TEXT).check();
      await page.getByRole('button', { name: 'Send me tips' }).click();
      await page.getByText('Enter a valid email address.').first().waitFor();
      await log.locator('.bub.me', { hasText: HOSTILE }).waitFor();
      expect(await page.getByLabel('Email address').inputValue()).toBe('hostile@example');
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      // The answer also rode in the island's JSON props without ending their <script> element
      // (then come the islands and the tracker, a classic script).
      expect(await page.locator('script').evaluateAll((scripts) => scripts.map((script) => script.getAttribute('type')))).toEqual([
        'application/json',
        'module',
        null,
      ]);

      await page.getByLabel('Email address').fill('hostile.chat@example.com');
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'Send me tips' }).click()]);
      const lead = await leadByEmail('hostile.chat@example.com');
      expect(lead?.fields.question).toBe(HOSTILE);
      // An injected handler would have run by the load event: scripts run before it, and an image
      // (the `onerror` kind) added before it holds it until the image has failed.
      await page.waitForLoadState('load');
      expect(pageProblems).toEqual([]);
    });

    it('stores a name with markup as text and shows it literally in the re-rendered form, with and without JavaScript', async () => {
      for (const javaScriptEnabled of [true, false]) {
        const page = await openPage({ javaScriptEnabled });
        await page.goto(url(`${FUNNEL}/guide`));
        await page.getByLabel('First name').fill(HOSTILE);
        await page.getByLabel('Email address').fill('name@example');
        await page.getByRole('button', { name: 'Send me the guide' }).click();
        await page.getByRole('alert').waitFor();
        expect(await page.getByLabel('First name').inputValue()).toBe(HOSTILE);
        expect(await page.locator('img[src="x"]').count()).toBe(0);
        // The tracker is the page's only script.
        expect(
          await page.locator('script:not([type="application/json"])').evaluateAll((scripts) => scripts.map((script) => script.textContent)),
        ).toEqual([TRACKER_JS]);

        const email = `hostile.name.${javaScriptEnabled ? 'js' : 'nojs'}@example.com`;
        await page.getByLabel('Email address').fill(email);
        await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'Send me the guide' }).click()]);
        expect((await leadByEmail(email))?.name).toBe(HOSTILE);
      }
      expect(pageProblems).toEqual([]);
    });
  });

  describe('axe-core', () => {
    async function expectNoSeriousViolations(page: Page, what: string) {
      const violations = await seriousViolations(page);
      // Soft, so one run reports every page that fails.
      expect.soft(violations.length, `${what}: serious or critical axe violations\n${formatViolations(violations)}`).toBe(0);
    }

    /** Waits for the islands to have replaced their no-script forms. */
    async function islandsReady(page: Page, slug: string) {
      if (slug === 'landing') await page.getByRole('log').getByText('What is your main skin concern right now?').waitFor();
      if (slug === 'quiz') await progress(page, 'Question 1 of 4 or 5');
    }

    it('finds no serious or critical violation on any demo page', async () => {
      const page = await openPage();
      for (const { slug } of DEMO_FUNNEL_PAGES) {
        await page.goto(url(slug === 'landing' ? FUNNEL : `${FUNNEL}/${slug}`));
        await islandsReady(page, slug);
        await expectNoSeriousViolations(page, `${slug} page`);
      }
      expect(pageProblems).toEqual([]);
    });

    it('finds none on the no-script quiz and chat forms', async () => {
      // axe needs script, so rather than disabling JavaScript the islands script is taken out of
      // the HTML: the page keeps exactly the DOM a visitor without JavaScript gets.
      const page = await openPage();
      await page.route(`${server.base}${FUNNEL}**`, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(/<script type="module">[\s\S]*?<\/script>/, '');
        await route.fulfill({ response, body: html });
      });
      try {
        for (const path of [FUNNEL, `${FUNNEL}/quiz`]) {
          await page.goto(url(path));
          expect(await page.locator('[data-island] form').count(), 'the no-script form is in place').toBe(1);
          await expectNoSeriousViolations(page, `${path} without JavaScript`);
        }
      } finally {
        await page.unrouteAll(); // the page is reused by the next tests
      }
    });

    it('finds none on pages re-rendered with form errors', async () => {
      const page = await openPage({ reducedMotion: 'reduce' });
      await page.goto(url(`${FUNNEL}/guide`));
      await page.getByLabel('Email address').fill('bad@example');
      await page.getByRole('button', { name: 'Send me the guide' }).click();
      await page.getByRole('alert').waitFor();
      await expectNoSeriousViolations(page, 'guide with an invalid email');

      await page.goto(url(FUNNEL));
      await page.getByRole('button', { name: 'Dryness' }).click();
      await page.getByRole('button', { name: '1 or 2' }).click();
      await page.getByLabel('Anything you would like to ask our skincare team?').fill('Hello');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByLabel('Email address').fill('bad@example');
      await page.getByLabel(CONSENT_TEXT).check();
      await page.getByRole('button', { name: 'Send me tips' }).click();
      await page.getByText('Enter a valid email address.').first().waitFor();
      await expectNoSeriousViolations(page, 'landing page with a chat email error');
    });

    it('finds none on the quiz email step, the quiz result and the download page', async () => {
      const page = await openPage();
      await page.goto(url(`${FUNNEL}/quiz`));
      for (const answer of ['Comfortable', 'Barely visible', 'Rarely']) {
        await page.getByLabel(answer).check();
        await page.getByRole('button', { name: 'Next' }).click();
      }
      await page.getByLabel('Cleanser').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Email address').waitFor();
      await expectNoSeriousViolations(page, 'quiz email step');
      await page.getByLabel('Email address').fill('axe.quiz@example.com');
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'See my result' }).click()]);
      await expectNoSeriousViolations(page, 'quiz result');

      await page.goto(url(`${FUNNEL}/guide`));
      await page.getByLabel('Email address').fill('axe.guide@example.com');
      await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'Send me the guide' }).click()]);
      await expectNoSeriousViolations(page, 'download page');
      expect(pageProblems).toEqual([]);
    });
  });
});
