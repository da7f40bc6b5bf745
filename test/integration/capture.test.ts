import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { SUBMISSION_TOKEN_PLACEHOLDER } from '../../pages-ui/landing/form-constants';
import type { PageContent } from '../../workers/domain/blocks';
import { DEFAULT_CAPTURE_LIMITS, hashIp } from '../../workers/services/capture';
import { createTestApp, TEST_SECRET, type TestApp, type TestClient } from '../support/app';
import {
  countRows,
  fieldError,
  FUNNEL,
  fillAndPost,
  formOf,
  openForm,
  postForm,
  signInDemo,
  tagWithId,
  type FormValues,
} from '../support/landing';

let t: TestApp;
let editor: TestClient;
let workspaceId: string;

const GUIDE = `${FUNNEL}/guide`;
const QUIZ = `${FUNNEL}/quiz`;
const guideBlock = DEMO_FUNNEL_PAGES.find((p) => p.slug === 'guide')!.content.blocks.find((b) => b.type === 'lead_magnet')!;
const CONSENT_WORDING = guideBlock.type === 'lead_magnet' ? guideBlock.consent!.text : '';

beforeAll(async () => {
  t = await createTestApp();
  ({ workspaceId } = await seedDemo(t.database, { clock: t.clock.now }));
  editor = await signInDemo(t.client());
});
afterAll(() => t.close());
// Every test posts from the same IP (app.request has no socket: 127.0.0.1); a fresh rate-limit
// window each keeps them independent. The rate-limit test checks the window itself.
beforeEach(() => t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs));

interface LeadRow {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  fields: string;
  quiz_outcome: string | null;
  created_at: number;
  updated_at: number;
}
interface SubmissionRow {
  id: string;
  lead_id: string | null;
  page_version_id: string;
  form_id: string;
  data: string;
  quiz_answers: string | null;
  quiz_score: number | null;
  quiz_outcome: string | null;
}

async function leadByEmail(email: string): Promise<LeadRow | undefined> {
  const rows = await t.database.db.all<LeadRow>(sql`select * from leads where email = ${email}`);
  return rows[0];
}
async function submissionsOf(leadId: string): Promise<SubmissionRow[]> {
  return t.database.db.all<SubmissionRow>(sql`select * from form_submissions where lead_id = ${leadId} order by created_at, id`);
}
async function totals() {
  return {
    leads: await countRows(t.database, 'leads'),
    submissions: await countRows(t.database, 'form_submissions'),
    consents: await countRows(t.database, 'consent_records'),
  };
}
async function publishedVersion(slug: string): Promise<string> {
  const [row] = await t.database.db.all<{ v: string }>(sql`select published_version_id as v from funnel_pages where slug = ${slug}`);
  return row!.v;
}

function guide(client: TestClient, values: FormValues) {
  return fillAndPost(t, client, GUIDE, 'ebook', values);
}

describe('bot and abuse checks', () => {
  it('silently drops a post sent sooner than a person could fill the form', async () => {
    const before = await totals();
    const client = t.client();
    const form = await openForm(client, GUIDE, 'ebook');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs - 500);
    const res = await postForm(client, GUIDE, { _block: 'ebook', _token: form.token, email: 'speedy@bots.test', consent: 'yes' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Thank you!');
    expect(await totals()).toEqual(before);
  });

  it('silently drops a post that filled the honeypot', async () => {
    const before = await totals();
    const { res } = await guide(t.client(), { email: 'honey@bots.test', website: 'https://spam.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await totals()).toEqual(before);
    expect(await leadByEmail('honey@bots.test')).toBeUndefined();
  });

  it('answers 429 with Retry-After after 10 posts from one IP to one form in the window', async () => {
    // Windows are fixed: start at the beginning of one, so all eleven posts fall in it.
    const window = DEFAULT_CAPTURE_LIMITS.rateWindowMs;
    t.clock.set(Math.ceil(t.clock.now() / window) * window);
    const client = t.client();
    const forms = [];
    for (let i = 0; i < 11; i++) forms.push(await openForm(client, GUIDE, 'ebook'));
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    for (let i = 0; i < 10; i++) {
      const res = await postForm(client, GUIDE, { _block: 'ebook', _token: forms[i]!.token, email: `burst${i}@example.com` });
      expect(res.status, `post ${i + 1}`).toBe(303);
    }
    const limited = await postForm(client, GUIDE, { _block: 'ebook', _token: forms[10]!.token, email: 'burst10@example.com' });
    expect(limited.status).toBe(429);
    // Seconds until the window ends.
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe((window - DEFAULT_CAPTURE_LIMITS.minFillMs) / 1000);
    expect(await leadByEmail('burst10@example.com')).toBeUndefined();

    // Other forms are counted on their own; the same form accepts posts again after the wait.
    const quiz = await fillAndPost(t, client, QUIZ, 'skin-quiz', { q_midday: 'tight' });
    expect(quiz.res.status).not.toBe(429);
    t.clock.advance(retryAfter * 1000);
    const again = await guide(client, { email: 'burst10@example.com' });
    expect(again.res.status).toBe(303);
  });

  it('refuses a form that is not on the page, and re-asks when the token is forged or stale', async () => {
    const before = await totals();
    const client = t.client();
    const form = await openForm(client, GUIDE, 'ebook');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const wrongBlock = await postForm(client, GUIDE, { _block: 'skin-quiz', _token: form.token, email: 'x@example.com' });
    expect(wrongBlock.status).toBe(400);
    expect(await wrongBlock.text()).toContain('We could not read that form');

    const forged = await postForm(client, GUIDE, { _block: 'ebook', _token: form.token.slice(0, -2) + 'xx', email: 'x@example.com' });
    expect(forged.status).toBe(400);
    const forgedHtml = await forged.text();
    expect(forgedHtml).toContain('This form had expired');
    expect(forgedHtml).toContain('value="x@example.com"');

    t.clock.advance(DEFAULT_CAPTURE_LIMITS.tokenMaxAgeMs);
    const stale = await postForm(client, GUIDE, { _block: 'ebook', _token: form.token, email: 'x@example.com' });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('This form had expired');
    expect(await totals()).toEqual(before);

    expect((await postForm(client, '/p/no-such-funnel', { _block: 'ebook', _token: form.token })).status).toBe(404);
  });
  it('refuses an oversized post with 413 before reading it into a submission', async () => {
    const before = await totals();
    const client = t.client();
    const form = await openForm(client, GUIDE, 'ebook');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const res = await postForm(client, GUIDE, {
      _block: 'ebook',
      _token: form.token,
      email: 'big@example.com',
      name: 'x'.repeat(300 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await totals()).toEqual(before);
  });

  it('does not accept a token rendered for another page', async () => {
    const before = await totals();
    const client = t.client();
    const quiz = await openForm(client, QUIZ, 'skin-quiz');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const res = await postForm(client, GUIDE, { _block: 'ebook', _token: quiz.token, email: 'elsewhere@example.com' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Please check the form and submit it again');
    expect(tagWithId(html, 'ebook.email')).toContain('value="elsewhere@example.com"');
    expect(await totals()).toEqual(before);
  });
});

describe('the lead-magnet gate (demo guide)', () => {
  it('commits lead, submission and consent before answering, then delivers the file through an expiring link', async () => {
    const client = t.client();
    const { res } = await guide(client, { name: 'Ava', email: 'Ava.Smith@Example.com', consent: 'yes' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    // The fragment brings the visitor to the download, not to the top of the page.
    expect(location).toMatch(/^\/p\/cosmetics-set\/guide\?result=[\w-]+\.[\w-]+#ebook\.result$/);

    // Committed before the visitor was answered: readable now, without waiting for anything.
    const lead = (await leadByEmail('ava.smith@example.com'))!;
    expect(lead).toMatchObject({ name: 'Ava' });
    const [submission] = await submissionsOf(lead.id);
    expect(submission).toMatchObject({ form_id: 'ebook', page_version_id: await publishedVersion('guide') });
    expect(JSON.parse(submission!.data)).toMatchObject({ email: 'ava.smith@example.com', name: 'Ava', consent: true });

    const consents = await t.database.db.all<{ wording: string; granted_at: number; page_version_id: string; ip_hash: string }>(
      sql`select wording, granted_at, page_version_id, ip_hash from consent_records where lead_id = ${lead.id}`,
    );
    expect(consents).toEqual([
      {
        wording: CONSENT_WORDING,
        granted_at: t.clock.now(),
        page_version_id: await publishedVersion('guide'),
        ip_hash: await hashIp(TEST_SECRET, '127.0.0.1'),
      },
    ]);
    expect(consents[0]!.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(consents[0]!.ip_hash).not.toContain('127.0.0.1');

    const result = await client.get(location);
    expect(result.status).toBe(200);
    const html = await result.text();
    expect(html).toContain('Your download is ready');
    const href = /href="(\/d\/[^"]+)"/.exec(html)?.[1];
    expect(href).toBeDefined();

    const file = await t.client().get(href!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="the-5-minute-skincare-routine.pdf"');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(new TextDecoder().decode((await file.arrayBuffer()).slice(0, 5))).toBe('%PDF-');

    // A tampered link is refused; the real one stops working after a week.
    expect((await t.client().get(href!.slice(0, -3) + 'abc')).status).toBe(404);
    t.clock.advance(8 * 24 * 60 * 60 * 1000);
    const expired = await t.client().get(href!);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('stores no consent when the box was not ticked', async () => {
    const { res } = await guide(t.client(), { email: 'no-consent@example.com' });
    expect(res.status).toBe(303);
    const lead = (await leadByEmail('no-consent@example.com'))!;
    expect(await countRows(t.database, 'consent_records', `lead_id = '${lead.id}'`)).toBe(0);
    expect(JSON.parse((await submissionsOf(lead.id))[0]!.data)).toMatchObject({ consent: false });
  });

  it('answers a retried post with the same redirect and stores it once', async () => {
    const client = t.client();
    const { res, form } = await guide(client, { email: 'retry@example.com', consent: 'yes' });
    expect(res.status).toBe(303);
    const before = await totals();
    // The retry arrives a moment later (a double click, a flaky connection).
    t.clock.advance(1_500);
    const again = await postForm(client, GUIDE, {
      _block: 'ebook',
      _token: form.token,
      website: '',
      email: 'retry@example.com',
      consent: 'yes',
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(res.headers.get('location'));
    expect(await totals()).toEqual(before);
    const lead = (await leadByEmail('retry@example.com'))!;
    expect(await submissionsOf(lead.id)).toHaveLength(1);
    expect(await countRows(t.database, 'consent_records', `lead_id = '${lead.id}'`)).toBe(1);
  });

  it('stores one submission when two posts with one token race', async () => {
    const client = t.client();
    const form = await openForm(client, GUIDE, 'ebook');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const values = { _block: 'ebook', _token: form.token, website: '', email: 'race@example.com', name: 'Racer', consent: 'yes' };
    const [a, b] = await Promise.all([postForm(client, GUIDE, values), postForm(client, GUIDE, values)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    const lead = (await leadByEmail('race@example.com'))!;
    expect(await submissionsOf(lead.id)).toHaveLength(1);
    expect(await countRows(t.database, 'consent_records', `lead_id = '${lead.id}'`)).toBe(1);
  });

  it('updates one lead per address and keeps every submission and earlier value', async () => {
    const first = await guide(t.client(), { name: 'Mia', email: 'mia@example.com', consent: 'yes' });
    expect(first.res.status).toBe(303);
    const created = (await leadByEmail('mia@example.com'))!;
    t.clock.advance(60_000);
    const second = await guide(t.client(), { name: '', email: '  MIA@Example.COM ' });
    expect(second.res.status).toBe(303);

    expect(await countRows(t.database, 'leads', `email like '%mia@example.com'`)).toBe(1);
    const updated = (await leadByEmail('mia@example.com'))!;
    expect(updated.id).toBe(created.id);
    expect(updated.name).toBe('Mia'); // an empty value does not erase what was given before
    expect(updated.created_at).toBe(created.created_at);
    expect(updated.updated_at).toBeGreaterThan(created.updated_at);
    const submissions = await submissionsOf(created.id);
    expect(submissions.map((s) => JSON.parse(s.data))).toEqual([
      { email: 'mia@example.com', name: 'Mia', fields: {}, consent: true },
      { email: 'mia@example.com', fields: {}, consent: false },
    ]);
    // The consent given the first time stays on record.
    expect(await countRows(t.database, 'consent_records', `lead_id = '${created.id}'`)).toBe(1);

    // A later non-empty value wins.
    await guide(t.client(), { name: 'Mia Rossi', email: 'mia@example.com' });
    expect((await leadByEmail('mia@example.com'))!.name).toBe('Mia Rossi');
    expect(await submissionsOf(created.id)).toHaveLength(3);
  });

  it('re-renders an invalid post with the values kept and the message next to the field, storing nothing', async () => {
    const before = await totals();
    const { res } = await guide(t.client(), { name: 'Zoe', email: 'not-an-email', consent: 'yes' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(tagWithId(html, 'ebook.name')).toContain('value="Zoe"');
    expect(tagWithId(html, 'ebook.name')).not.toContain('aria-invalid');
    const email = tagWithId(html, 'ebook.email');
    expect(email).toContain('value="not-an-email"');
    expect(email).toContain('aria-invalid="true"');
    expect(email).toContain('aria-describedby="ebook.email.err"');
    expect(fieldError(html, 'ebook.email')).toBe('Enter a valid email address.');
    // The message sits right after its field.
    expect(html.indexOf('id="ebook.email.err"') - html.indexOf('id="ebook.email"')).toBeLessThan(400);
    expect(tagWithId(html, 'ebook.consent')).toMatch(/\bchecked\b/);
    expect(html).toContain('role="alert"');
    // The form can be posted again: it carries a fresh token.
    expect(html).not.toContain(SUBMISSION_TOKEN_PLACEHOLDER);
    expect(formOf(html, 'ebook').token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(await totals()).toEqual(before);
  });

  it('stores a name with markup as text and escapes it in every re-rendered page', async () => {
    const name = '<script>alert(1)</script>';
    const invalid = await guide(t.client(), { name, email: 'xss@' });
    expect(invalid.res.status).toBe(400);
    const html = await invalid.res.text();
    expect(html).not.toContain(name);
    expect(html).toContain('value="&lt;script>alert(1)&lt;/script>"');

    const valid = await guide(t.client(), { name, email: 'xss@example.com' });
    expect(valid.res.status).toBe(303);
    expect((await leadByEmail('xss@example.com'))!.name).toBe(name);
    const result = await (await t.client().get(valid.res.headers.get('location')!)).text();
    expect(result).not.toContain(name);

    const lead = (await (await editor.get(`/api/leads?q=xss%40example.com`)).json()) as { leads: Array<{ name: string }> };
    expect(lead.leads[0]!.name).toBe(name);
  });
});

describe('the skin-type quiz (demo, without JavaScript)', () => {
  const OILY_PATH = {
    q_midday: 'shiny',
    q_pores: 'everywhere',
    q_breakouts: 'often',
    q_shine: 'daily',
    q_products: ['cleanser', 'sunscreen'],
  };

  it('scores a complete path, stores answers and outcome, and shows the outcome', async () => {
    const client = t.client();
    const { res } = await fillAndPost(t, client, QUIZ, 'skin-quiz', { ...OILY_PATH, email: 'quiz@example.com', consent: 'yes' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/p\/cosmetics-set\/quiz\?result=[\w-]+\.[\w-]+#skin-quiz\.result$/);

    const lead = (await leadByEmail('quiz@example.com'))!;
    expect(lead.quiz_outcome).toBe('oily');
    // The answers' outcome tags, for sales and qualification rules ("quiz_tags contains oily-skin").
    expect(JSON.parse(lead.fields)).toMatchObject({ quizScore: 12, quiz_tags: 'oily-skin, breakout-prone' });
    const [submission] = await submissionsOf(lead.id);
    expect(submission).toMatchObject({ form_id: 'skin-quiz', quiz_score: 12, quiz_outcome: 'oily' });
    expect(JSON.parse(submission!.data)).toEqual({
      email: 'quiz@example.com',
      fields: {},
      consent: true,
      quizTags: ['oily-skin', 'breakout-prone'],
    });
    expect(JSON.parse(submission!.quiz_answers!)).toEqual({
      midday: ['shiny'],
      pores: ['everywhere'],
      breakouts: ['often'],
      shine: ['daily'],
      products: ['cleanser', 'sunscreen'],
    });
    expect(await countRows(t.database, 'consent_records', `lead_id = '${lead.id}'`)).toBe(1);

    const page = await client.get(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(
      '<div class="card form c" role="status" id="skin-quiz.result"><p class="prog">Your result</p><h2>Oily skin</h2>',
    );
    // The outcome, not the internal score: the demo quiz does not opt in to showing it.
    expect(html).not.toContain('Your score');
    expect(html).toContain(`href="${FUNNEL}/guide"`); // continue to the next page
    // The finished quiz is plain HTML: no island left to run (the tracker aside).
    expect(html).not.toContain('<script type="module"');
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script>']);
  });

  it('shows the questions of a path one branch at a time, then the email', async () => {
    const before = await totals();
    const client = t.client();
    const first = await openForm(client, QUIZ, 'skin-quiz');
    // Up to the first branching question only.
    expect(first.html).toContain('name="q_breakouts"');
    expect(first.html).not.toContain('name="q_shine"');
    expect(first.html).not.toContain('name="email"');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const step = await postForm(client, QUIZ, {
      _block: 'skin-quiz',
      _token: first.token,
      _questions: 'midday pores breakouts',
      q_midday: 'tight',
      q_pores: 'barely',
      q_breakouts: 'rarely',
    });
    expect(step.status).toBe(200); // a step, not an error;
    const html = await step.text();
    // "Rarely" skips the shine question; the rest of the path and the email are shown now.
    expect(html).not.toContain('name="q_shine"');
    expect(html).toContain('name="q_products"');
    expect(html).toContain('name="email"');
    expect(html).toMatch(/name="q_breakouts" value="rarely" checked/);
    expect(html).not.toContain('class="err"'); // nothing was wrong, there was just more to ask
    expect(await totals()).toEqual(before);

    const next = formOf(html, 'skin-quiz');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const done = await postForm(client, QUIZ, {
      _block: 'skin-quiz',
      _token: next.token,
      q_midday: 'tight',
      q_pores: 'barely',
      q_breakouts: 'rarely',
      q_products: 'none',
      email: 'dry@example.com',
    });
    expect(done.status).toBe(303);
    const lead = (await leadByEmail('dry@example.com'))!;
    expect(lead.quiz_outcome).toBe('dry');
    expect((await submissionsOf(lead.id))[0]).toMatchObject({ quiz_score: 3, quiz_outcome: 'dry' });
    expect(await (await client.get(done.headers.get('location')!)).text()).toContain('<h2>Dry skin</h2>');
  });

  it('never scores answers off the path the other answers make', async () => {
    const before = await totals();
    const client = t.client();
    // "Rarely" jumps past the shine question, yet it was answered: shown the real path again.
    const { res } = await fillAndPost(t, client, QUIZ, 'skin-quiz', {
      q_midday: 'shiny',
      q_pores: 'everywhere',
      q_breakouts: 'rarely',
      q_shine: 'daily',
      q_products: 'none',
      email: 'offpath@example.com',
    });
    expect(res.status).toBe(200); // shown again with the new path: not an error;
    const html = await res.text();
    expect(html).not.toContain('name="q_shine"');
    expect(html).toContain('value="offpath@example.com"');
    // Nor is the dropped answer handed to the island to post again.
    expect(html).not.toContain('"q_shine"');
    expect(await totals()).toEqual(before);

    // Answers no form can produce are refused outright.
    const forged: FormValues[] = [{ q_midday: 'greasy' }, { q_nope: 'x' }, { q_midday: ['tight', 'shiny'] }];
    for (const bad of forged) {
      const post = await fillAndPost(t, client, QUIZ, 'skin-quiz', { ...OILY_PATH, ...bad, email: 'bad@example.com' });
      expect(post.res.status).toBe(400);
      expect(await post.res.text()).toContain('We could not read that form');
    }
    expect(await totals()).toEqual(before);
  });

  it('asks again for a missing email and missing answers, keeping what was chosen', async () => {
    const before = await totals();
    const { res } = await fillAndPost(t, t.client(), QUIZ, 'skin-quiz', { ...OILY_PATH, q_pores: '', email: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('Choose an answer.');
    expect(html).toMatch(/name="q_midday" value="shiny" checked/);
    expect(await totals()).toEqual(before);
  });
});

describe('the chat capture (demo landing page)', () => {
  it('stores the answers and the email with the required consent, then ends the chat', async () => {
    const client = t.client();
    const { res } = await fillAndPost(t, client, FUNNEL, 'chat', {
      concern: 'Dryness',
      routine: '1 or 2',
      question: 'Is the serum OK during pregnancy?',
      email: 'chat@example.com',
      consent: 'yes',
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/p\/cosmetics-set\?result=[\w-]+\.[\w-]+#chat\.result$/);
    const lead = (await leadByEmail('chat@example.com'))!;
    expect(JSON.parse(lead.fields)).toEqual({ concern: 'Dryness', routine: '1 or 2', question: 'Is the serum OK during pregnancy?' });
    const [consent] = await t.database.db.all<{ wording: string; page_version_id: string }>(
      sql`select wording, page_version_id from consent_records where lead_id = ${lead.id}`,
    );
    expect(consent).toEqual({ wording: CONSENT_WORDING, page_version_id: await publishedVersion('landing') });

    const html = await (await client.get(location)).text();
    expect(html).toContain('Your tips and your 10% code are on their way');
    expect(html).not.toContain('<form method="post"');
  });

  it('requires the consent, checks choices against the options, and keeps the answers', async () => {
    const before = await totals();
    const { res } = await fillAndPost(t, t.client(), FUNNEL, 'chat', {
      concern: 'Wrinkles',
      question: '</script><script>alert(1)</script>',
      email: 'chat2@example.com',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'chat.concern')).toBe('Choose one of the options.');
    expect(fieldError(html, 'chat.consent')).toBe('Tick this box to continue.');
    expect(tagWithId(html, 'chat.email')).toContain('value="chat2@example.com"');
    // The typed answer comes back as text in the field and as inert JSON for the island.
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('value="&lt;/script>&lt;script>alert(1)&lt;/script>"');
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    expect(await totals()).toEqual(before);
  });
});

describe('a lead form made with the admin API', () => {
  const content = (blocks: unknown[]) => ({
    settings: {
      title: 'Wholesale enquiries',
      noindex: false,
      theme: { primary: '#1f6feb', background: '#ffffff', text: '#111111', fontStack: 'system' },
    },
    blocks,
  });
  const leadForm = {
    type: 'lead_form',
    id: 'enquiry',
    title: 'Become a stockist',
    fields: [
      { name: 'email', label: 'Work email', kind: 'email', required: true },
      { name: 'name', label: 'Your name', kind: 'name', required: true },
      { name: 'phone', label: 'Phone', kind: 'phone', required: false },
      { name: 'company', label: 'Shop name', kind: 'company', required: false },
      { name: 'volume', label: 'Sets per month', kind: 'select', required: true, options: ['1-10', '11-50', '50+'] },
      { name: 'notes', label: 'Anything else?', kind: 'textarea', required: false },
      { name: 'src', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
    ],
    consent: { text: 'Demo Shop may contact me about wholesale terms.', required: true },
    submitLabel: 'Send enquiry',
  };

  const path = '/p/wholesale';
  let funnelId: string;
  let formPageId: string;
  let thanksPageId: string;
  beforeAll(async () => {
    funnelId = ((await (await editor.post('/api/funnels', { name: 'Wholesale', slug: 'wholesale' })).json()) as { id: string }).id;
    formPageId = (
      (await (
        await editor.post(`/api/funnels/${funnelId}/pages`, { slug: 'apply', name: 'Apply', kind: 'landing', content: content([leadForm]) })
      ).json()) as { id: string }
    ).id;
    const thanks = (await (
      await editor.post(`/api/funnels/${funnelId}/pages`, {
        slug: 'thanks',
        name: 'Thanks',
        kind: 'thank_you',
        content: content([{ type: 'hero', id: 'hero', headline: 'Thanks, we will be in touch' }]) as PageContent,
      })
    ).json()) as { id: string };
    thanksPageId = thanks.id;
    for (const id of [formPageId, thanks.id]) expect((await editor.post(`/api/pages/${id}/publish`)).status).toBe(201);
  });

  const validEnquiry = (email: string) => ({ email, name: 'Noor', volume: '1-10', consent: 'on' });

  it('stores every kind of field on the lead and goes on to the next page', async () => {
    const { res } = await fillAndPost(t, t.client(), path, 'enquiry', {
      email: 'buyer@beauty-shop.example',
      name: '  Noor   Haddad ',
      phone: '+44 20 7946 0958',
      company: 'Beauty Shop Ltd',
      volume: '11-50',
      notes: 'We have two stores.\r\nBoth in Leeds.',
      src: 'newsletter',
      consent: 'on',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/p/wholesale/thanks');
    const lead = (await leadByEmail('buyer@beauty-shop.example'))!;
    expect(lead).toMatchObject({ name: 'Noor Haddad', phone: '+44 20 7946 0958', company: 'Beauty Shop Ltd' });
    expect(JSON.parse(lead.fields)).toEqual({ volume: '11-50', notes: 'We have two stores.\nBoth in Leeds.', src: 'newsletter' });
    const [consent] = await t.database.db.all<{ wording: string }>(sql`select wording from consent_records where lead_id = ${lead.id}`);
    expect(consent!.wording).toBe('Demo Shop may contact me about wholesale terms.');
    expect((await t.database.db.all<{ ws: string }>(sql`select workspace_id as ws from leads where id = ${lead.id}`))[0]!.ws).toBe(
      workspaceId,
    );
  });

  it('thanks the visitor on the form’s page when the next page is not published (never a 404 after a submission)', async () => {
    expect((await editor.post(`/api/pages/${thanksPageId}/unpublish`)).status).toBe(204);
    try {
      const { res } = await fillAndPost(t, t.client(), path, 'enquiry', validEnquiry('early@beauty-shop.example'));
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location).toMatch(/^\/p\/wholesale\?result=[^#]+#enquiry/);
      expect(await leadByEmail('early@beauty-shop.example')).toBeDefined();
    } finally {
      expect((await editor.post(`/api/pages/${thanksPageId}/publish`)).status).toBe(201);
    }
  });

  it('puts a message next to each invalid field', async () => {
    const before = await totals();
    const { res } = await fillAndPost(t, t.client(), path, 'enquiry', { email: 'buyer2@beauty-shop.example', phone: '12', volume: 'lots' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'enquiry.name')).toBe('This field is required.');
    expect(fieldError(html, 'enquiry.phone')).toMatch(/^Enter a valid phone number/);
    expect(fieldError(html, 'enquiry.volume')).toBe('Choose one of the options.');
    expect(fieldError(html, 'enquiry.consent')).toBe('Tick this box to continue.');
    expect(fieldError(html, 'enquiry.email')).toBeNull();
    expect(tagWithId(html, 'enquiry.phone')).toContain('value="12"');
    expect(tagWithId(html, 'enquiry.email')).toContain('value="buyer2@beauty-shop.example"');
    expect(await totals()).toEqual(before);
  });

  it('takes posts on the funnel’s custom domain', async () => {
    expect(
      (await editor.request(`/api/funnels/${funnelId}`, { method: 'PATCH', json: { customDomain: 'stockists.example.com' } })).status,
    ).toBe(200);
    const site = t.client('http://stockists.example.com');
    // The form posts to its /p/ path, which the custom domain serves as well …
    const viaPath = await fillAndPost(t, site, '/', 'enquiry', validEnquiry('domain1@beauty-shop.example'), path);
    expect(viaPath.form.html).toContain(`action="${path}"`);
    expect(viaPath.res.status).toBe(303);
    expect(viaPath.res.headers.get('location')).toBe('/p/wholesale/thanks');
    // … and a post to the page's short path on the domain is taken the same way.
    const viaRoot = await fillAndPost(t, site, '/', 'enquiry', validEnquiry('domain2@beauty-shop.example'));
    expect(viaRoot.res.status).toBe(303);
    expect(await leadByEmail('domain1@beauty-shop.example')).toBeDefined();
    expect(await leadByEmail('domain2@beauty-shop.example')).toBeDefined();
  });

  it('asks a visitor to post again when the page was republished with other consent wording meanwhile', async () => {
    const client = t.client();
    const stale = await openForm(client, path, 'enquiry');
    const reworded = { ...leadForm, consent: { text: 'Demo Shop and its partners may contact me about wholesale terms.', required: true } };
    const { revision } = (await (await editor.get(`/api/pages/${formPageId}`)).json()) as { revision: number };
    const edit = { content: content([reworded]), baseRevision: revision };
    expect((await editor.request(`/api/pages/${formPageId}`, { method: 'PATCH', json: edit })).status).toBe(200);
    const published = (await (await editor.post(`/api/pages/${formPageId}/publish`)).json()) as { id: string };

    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const before = await totals();
    const res = await postForm(client, path, { _block: 'enquiry', _token: stale.token, ...validEnquiry('reworded@beauty-shop.example') });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Please check the form and submit it again');
    expect(html).toContain('Demo Shop and its partners may contact me');
    expect(tagWithId(html, 'enquiry.email')).toContain('value="reworded@beauty-shop.example"');
    expect(await totals()).toEqual(before);

    // Posting the form as shown now stores the wording the visitor saw, with that version.
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const again = await postForm(client, path, {
      _block: 'enquiry',
      _token: formOf(html, 'enquiry').token,
      ...validEnquiry('reworded@beauty-shop.example'),
    });
    expect(again.status).toBe(303);
    const lead = (await leadByEmail('reworded@beauty-shop.example'))!;
    const consents = await t.database.db.all<{ wording: string; page_version_id: string }>(
      sql`select wording, page_version_id from consent_records where lead_id = ${lead.id}`,
    );
    expect(consents).toEqual([
      { wording: 'Demo Shop and its partners may contact me about wholesale terms.', page_version_id: published.id },
    ]);
  });

  it('stores answers and score of a quiz that does not ask for an email, with no lead', async () => {
    const quiz = {
      type: 'quiz',
      id: 'fit',
      title: 'Are we a fit?',
      askEmailBeforeOutcome: false,
      showScore: true,
      questions: [
        {
          id: 'stores',
          text: 'Do you run a physical store?',
          multiple: false,
          answers: [
            { id: 'no', label: 'No', points: 0, next: 'end' },
            { id: 'yes', label: 'Yes', points: 5 },
          ],
        },
        {
          id: 'size',
          text: 'How many stores?',
          multiple: false,
          answers: [
            { id: 'one', label: 'One', points: 1 },
            { id: 'more', label: 'More', points: 5 },
          ],
        },
      ],
      outcomes: [
        { id: 'online', title: 'Online partner', description: 'Our affiliate programme suits you.', minScore: 0, maxScore: 4 },
        { id: 'stockist', title: 'Stockist', description: 'Apply for wholesale terms.', minScore: 5, maxScore: 10 },
      ],
    };
    const page = (await (
      await editor.post(`/api/funnels/${funnelId}/pages`, { slug: 'fit', name: 'Fit', kind: 'quiz', content: content([quiz]) })
    ).json()) as { id: string };
    expect((await editor.post(`/api/pages/${page.id}/publish`)).status).toBe(201);

    const leadsBefore = await countRows(t.database, 'leads');
    const client = t.client();
    const { res } = await fillAndPost(t, client, `${path}/fit`, 'fit', { q_stores: 'no' });
    expect(res.status).toBe(303);
    const [submission] = await t.database.db.all<SubmissionRow>(sql`select * from form_submissions where form_id = 'fit'`);
    expect(submission).toMatchObject({ lead_id: null, quiz_score: 0, quiz_outcome: 'online' });
    expect(JSON.parse(submission!.quiz_answers!)).toEqual({ stores: ['no'] });
    expect(await countRows(t.database, 'leads')).toBe(leadsBefore);
    const html = await (await client.get(res.headers.get('location')!)).text();
    expect(html).toContain('Online partner');
    expect(html).toContain('Your score: 0'); // this quiz shows its score (`showScore`)

    // "No" ends the quiz: an answer to the skipped question is not scored.
    const offPath = await fillAndPost(t, client, `${path}/fit`, 'fit', { q_stores: 'no', q_size: 'more' });
    expect(offPath.res.status).toBe(200); // re-shown with the path the answers make;
    expect(await countRows(t.database, 'form_submissions', "form_id = 'fit'")).toBe(1);
  });
});
