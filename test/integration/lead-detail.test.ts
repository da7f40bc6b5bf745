/**
 * A lead's page (`GET /api/leads/:id`, `/api/leads/:id/journey`) for a visitor who came from an
 * Instagram ad, took the demo quiz without JavaScript, then read the offer and started checkout:
 * everything the engine stored about them, in one typed answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, DEMO_RULE, seedDemo } from '../../db/seed';
import type { LeadDetail } from '../../workers/contract';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { formBody, formOf, FUNNEL, signInDemo } from '../support/landing';

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const QUIZ = `${FUNNEL}/quiz`;
const LANDING = `${QUIZ}?utm_source=instagram&utm_medium=social&utm_campaign=spring`;
const OILY_PATH = {
  q_midday: 'shiny',
  q_pores: 'everywhere',
  q_breakouts: 'often',
  q_shine: 'daily',
  q_products: ['cleanser', 'sunscreen'],
};

let t: TestApp;
let owner: TestClient;
let visitor: TestClient;
let leadId: string;
let capturedAt: number;
let checkoutAt: number;

function beacon(events: unknown[]) {
  return visitor.request('/e', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ events }),
  });
}

async function detail(id = leadId, client = owner): Promise<LeadDetail> {
  const res = await client.rpc.api.leads[':id'].$get({ param: { id } });
  expect(res.status).toBe(200);
  return await res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = await signInDemo(t.client());
  visitor = t.client();
  const page = await visitor.get(LANDING, { 'user-agent': BROWSER_UA });
  expect(page.status).toBe(200);
  // The page view (and the visitor's first touch) reaches the database through the sink; a person
  // takes seconds to fill the quiz, the test does not, so wait for it before submitting.
  await t.deps.events.flush();
  const form = formOf(await page.text(), 'skin-quiz');
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
  const post = formBody({ _block: form.block, _token: form.token, website: '', ...OILY_PATH, email: 'ivy@shop.example', consent: 'yes' });
  const res = await visitor.request(QUIZ, { ...post, headers: { ...(post.headers as Record<string, string>), 'user-agent': BROWSER_UA } });
  expect(res.status).toBe(303);
  capturedAt = t.clock.now();
  await t.deps.events.flush();
  [{ id: leadId }] = (await t.database.db.all<{ id: string }>(sql`select id from leads where email = 'ivy@shop.example'`)) as [
    { id: string },
  ];

  t.clock.advance(60_000);
  checkoutAt = t.clock.now() + 1;
  expect(
    (
      await beacon([
        { id: 'ivy-offer-view-000001', type: 'offer_view', at: t.clock.now(), path: `${FUNNEL}/offer` },
        { id: 'ivy-checkout-00000001', type: 'checkout_start', at: checkoutAt, path: `${FUNNEL}/offer` },
      ])
    ).status,
  ).toBe(202);
  await t.deps.events.flush();
});
afterAll(() => t.close());

describe('a lead’s page', () => {
  it('has the contact, its funnel, the furthest stage and the latest activity', async () => {
    const lead = await detail();
    expect(lead).toMatchObject({
      id: leadId,
      email: 'ivy@shop.example',
      name: null, // the quiz asks for the email only
      phone: null,
      company: null,
      quizOutcome: 'oily',
      source: 'instagram',
      funnel: { id: expect.any(String), name: DEMO.funnel.name },
      furthestStage: 'desire',
      createdAt: capturedAt,
      lastActivityAt: checkoutAt,
      fields: expect.objectContaining({ quizScore: 12 }),
    });
    // The table says the same.
    const [row] = (await (await owner.rpc.api.leads.$get({ query: { q: 'ivy@shop.example' } })).json()).leads;
    expect(row).toMatchObject({
      id: leadId,
      furthestStage: 'desire',
      lastActivityAt: checkoutAt,
      source: 'instagram',
      medium: 'social',
      campaign: 'spring',
    });
  });

  it('gives the score with the points behind it', async () => {
    const lead = await detail();
    const [stored] = await t.database.db.all<{ score: number }>(sql`select score from leads where id = ${leadId}`);
    expect(lead.score.total).toBe(stored!.score);
    expect(lead.score.lines.reduce((sum, l) => sum + l.points, 0)).toBe(lead.score.total);
    expect(lead.score.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'event', key: 'quiz_complete', funnelName: DEMO.funnel.name, points: expect.any(Number) }),
        expect.objectContaining({ kind: 'event', key: 'checkout_start' }),
        expect.objectContaining({ kind: 'event', key: 'offer_view' }),
      ]),
    );
    expect(lead.score.total).toBeGreaterThanOrEqual(DEMO_RULE.minScore);
  });

  it('keeps the first and last touch, and when each stage of the funnel was reached', async () => {
    const lead = await detail();
    expect(lead.firstTouch).toMatchObject({
      source: 'instagram',
      medium: 'social',
      campaign: 'spring',
      landingPage: expect.stringContaining('/quiz'),
    });
    expect(lead.lastTouch).toMatchObject({ source: 'instagram' });
    expect(lead.funnels).toEqual([
      {
        funnelId: lead.funnel!.id,
        funnelName: DEMO.funnel.name,
        furthestStage: 'desire',
        reachedAt: {
          awareness: expect.any(Number),
          interest: expect.any(Number),
          evaluation: capturedAt,
          desire: checkoutAt - 1,
          sale: null,
          retention: null,
        },
      },
    ]);
  });

  it('tells the journey oldest first, each event with its page and the stage it counts for', async () => {
    const { journey } = await detail();
    const steps = journey.events.map((e) => [e.type, e.page?.slug ?? null, e.stage]);
    // The demo template maps its quiz page to interest: a view of it counts there.
    expect(steps[0]).toEqual(['page_view', 'quiz', 'interest']);
    expect(steps).toEqual(expect.arrayContaining([['form_submit', 'quiz', 'evaluation']]));
    expect(steps.slice(-2)).toEqual([
      ['offer_view', 'offer', 'desire'],
      ['checkout_start', 'offer', 'desire'],
    ]);
    const times = journey.events.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(journey.events[0]!.touch).toMatchObject({ source: 'instagram', campaign: 'spring' });
    expect(journey.events.every((e) => e.funnel?.name === DEMO.funnel.name && e.visitorId === visitor.cookies.get('lf_vid'))).toBe(true);
    expect(journey.olderCursor).toBeNull();
  });

  it('pages back through a long journey', async () => {
    const first = await (await owner.rpc.api.leads[':id'].journey.$get({ param: { id: leadId }, query: { limit: '2' } })).json();
    expect(first.events.map((e) => e.type)).toEqual(['offer_view', 'checkout_start']);
    const seen = [...first.events];
    let cursor = first.olderCursor;
    while (cursor) {
      const page = await (
        await owner.rpc.api.leads[':id'].journey.$get({ param: { id: leadId }, query: { limit: '2', before: cursor } })
      ).json();
      seen.unshift(...page.events);
      cursor = page.olderCursor;
    }
    expect(seen.map((e) => e.id)).toEqual((await detail()).journey.events.map((e) => e.id));
  });

  it('spells out the quiz answers of each submission, and keeps the consent’s exact wording', async () => {
    const lead = await detail();
    expect(lead.submissions).toHaveLength(1);
    const [submission] = lead.submissions;
    expect(submission).toMatchObject({
      formId: 'skin-quiz',
      funnel: { name: DEMO.funnel.name },
      page: { slug: 'quiz' },
      data: expect.objectContaining({ email: 'ivy@shop.example', consent: true }),
      createdAt: capturedAt,
    });
    expect(submission!.quiz).toMatchObject({
      score: 12,
      outcome: { id: 'oily', title: 'Oily skin' },
      tags: ['oily-skin', 'breakout-prone'],
    });
    expect(lead.fields).toMatchObject({ quiz_tags: 'oily-skin, breakout-prone' });
    expect(submission!.quiz!.answers[0]).toEqual({
      questionId: 'midday',
      question: 'How does your skin feel by midday?',
      answers: [{ id: 'shiny', label: 'Shiny, especially on the forehead and nose', points: 3 }],
    });
    expect(submission!.quiz!.answers.find((a) => a.questionId === 'products')!.answers.map((a) => a.id)).toEqual(['cleanser', 'sunscreen']);
    expect(lead.consents).toEqual([
      {
        id: expect.any(String),
        wording: expect.stringContaining('Demo Shop'),
        pageVersionId: submission!.pageVersionId,
        ipHash: expect.stringMatching(/^[0-9a-f]{32}$/),
        grantedAt: capturedAt,
        // Set only when the lead is erased: the wording goes, its fingerprint stays as proof.
        wordingSha256: null,
      },
    ]);
  });

  it('lists the deals made from the lead, with pipeline, stage, value and status', async () => {
    const lead = await detail();
    expect(lead.qualifiedAt).not.toBeNull();
    expect(lead.deals).toEqual([
      {
        id: expect.any(String),
        name: expect.stringMatching(/^Cosmetics set - /),
        pipeline: { id: expect.any(String), name: DEMO.b2cPipeline },
        stage: { id: expect.any(String), name: DEMO_RULE.stage, kind: 'open' },
        status: 'open',
        valueMinor: DEMO.deal.valueMinor,
        currency: 'USD',
        lostReason: null,
        createdAt: expect.any(Number),
        closedAt: null,
      },
    ]);
  });

  it('is found only in its own workspace', async () => {
    const stranger = t.client();
    await stranger.signup('stranger.detail@example.com');
    for (const res of [
      await stranger.rpc.api.leads[':id'].$get({ param: { id: leadId } }),
      await stranger.rpc.api.leads[':id'].journey.$get({ param: { id: leadId }, query: {} }),
    ]) {
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('not_found');
    }
  });

  it('shows an imported lead with no visits as such', async () => {
    const res = await owner.request('/api/imports/leads', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'Email,Name\nimported@shop.example,Imported Person\n',
    });
    expect(res.status).toBe(201);
    const [{ id }] = (await t.database.db.all<{ id: string }>(sql`select id from leads where email = 'imported@shop.example'`)) as [
      { id: string },
    ];
    const lead = await detail(id);
    expect(lead).toMatchObject({
      furthestStage: null,
      funnel: null,
      lastActivityAt: lead.createdAt,
      score: { total: 0, lines: [] },
      firstTouch: {},
      funnels: [],
      journey: { events: [], olderCursor: null },
      submissions: [],
      consents: [],
      deals: [],
    });
  });
});
