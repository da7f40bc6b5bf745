/**
 * The dashboard's corrected numbers through the real API: TOFU / MOFU / BOFU as people (on a
 * hand-built set of journeys where the old sums of stage counts were wrong), medians with their
 * precision (under a second is a range, not 0), deals created split by origin so the handoff adds
 * up, the previous period, the daily series and the source filters.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { ingestTarget } from '../../db/types';
import type { EventType } from '../../workers/domain/stages';
import { ingestBatch, type IngestEvent } from '../../workers/services/ingest';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { json } from '../support/responses';

const DAY = 86_400_000;
let t: TestApp;
let owner: TestClient;
let workspaceId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  workspaceId = (await owner.signup('numbers@dashboard.test')).workspaceId;
});
afterAll(() => t.close());

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('sections are people', () => {
  let funnelId: string;
  const today = () => dayOf(t.clock.now());

  beforeAll(async () => {
    funnelId = (await json(await owner.rpc.api.funnels.$post({ json: { name: 'People', slug: 'people' } }), 201)).id;
    const now = t.clock.now();
    let n = 0;
    const events: IngestEvent[] = [];
    const journey = (visitor: string, steps: Array<[EventType, number]>, touch?: { source: string; medium: string; campaign: string }) => {
      steps.forEach(([type, at], i) =>
        events.push({
          id: `${visitor}-${n++}`,
          workspaceId,
          visitorId: visitor,
          funnelId,
          type,
          occurredAt: at,
          ...(i === 0 && touch ? { touch: { ...touch, landingPage: '/p/people' } } : {}),
        }),
      );
    };
    const t0 = now - 2 * 60 * 60 * 1000;
    // Ten visitors arrive today. Sums of stage counts would say MOFU = interest + evaluation = 6 + 6 = 12 > TOFU 10.
    for (let i = 0; i < 4; i++) journey(`v-look-${i}`, [['page_view', t0 + i * 1000]]); // TOFU only
    journey('v-engaged', [
      ['page_view', t0],
      ['engaged', t0 + 60_000],
    ]); // MOFU, interest
    for (let i = 0; i < 2; i++)
      journey(`v-quiz-${i}`, [
        ['page_view', t0],
        ['quiz_start', t0 + 30_000],
        ['quiz_complete', t0 + 90_000],
      ]); // MOFU, evaluation
    journey('v-offer', [
      ['page_view', t0],
      ['cta_click', t0 + 10_000],
      ['form_submit', t0 + 20_000],
      ['offer_view', t0 + 30_000],
    ]); // BOFU, desire
    // Two buy: the purchase arrives 400 ms after the checkout — a sub-second step.
    for (let i = 0; i < 2; i++)
      journey(
        `v-buyer-${i}`,
        [
          ['page_view', t0],
          ['engaged', t0 + 5_000],
          ['chat_email', t0 + 15_000],
          ['checkout_start', t0 + 25_000],
          ['purchase', t0 + 25_400],
        ],
        { source: 'instagram', medium: 'social', campaign: 'launch' },
      );
    // One visitor who arrived 40 days ago only comes back today to buy: the previous period's
    // arrival, so not one of today's people (a stage-count sum would count her today in BOFU).
    journey('v-returning', [
      ['page_view', now - 40 * DAY],
      ['engaged', now - 40 * DAY + 1000],
      ['checkout_start', t0],
      ['purchase', t0 + 60_000],
    ]);
    await ingestBatch(ingestTarget(t.database), events, now);
  });

  it('counts each visitor who arrived in the period once: reached and now in per section', async () => {
    const people = await json(
      await owner.rpc.api.funnels[':id'].sections.$get({ param: { id: funnelId }, query: { from: today(), to: today() } }),
      200,
    );
    const bySection = Object.fromEntries(people.sections.map((s) => [s.section, [s.reached, s.current]]));
    expect(bySection).toEqual({ TOFU: [10, 4], MOFU: [6, 3], BOFU: [3, 3] });
    expect(people.sections.map((s) => s.stages)).toEqual([['awareness'], ['interest', 'evaluation'], ['desire', 'sale', 'retention']]);
    expect(people.sections[1]!.shareOfVisitors).toBeCloseTo(0.6);
    // The stage report counts stage arrivals in the period: the returning buyer reached desire and sale today.
    const report = await json(
      await owner.rpc.api.funnels[':id'].report.$get({ param: { id: funnelId }, query: { from: today(), to: today() } }),
      200,
    );
    // (she reached evaluation today too: a checkout reaches every stage before it.)
    expect(report.stages.map((s) => s.visitors)).toEqual([10, 6, 6, 4, 3, 0]);
    const oldSums = {
      MOFU: report.stages[1]!.visitors + report.stages[2]!.visitors,
      BOFU: report.stages[3]!.visitors + report.stages[4]!.visitors,
    };
    expect(oldSums).toEqual({ MOFU: 12, BOFU: 7 }); // what the old report said: more MOFU than visitors
    expect(people.sections.reduce((n, s) => n + s.current, 0)).toBe(people.sections[0]!.reached);

    // The previous period (of equal length) is yesterday: nobody arrived then.
    expect(people.previousPeriod).toEqual({ from: dayOf(t.clock.now() - DAY), to: dayOf(t.clock.now() - DAY) });
    expect(people.sections.every((s) => s.previous.reached === 0)).toBe(true);
    // 41 days covering both arrivals: the returning buyer now counts, in BOFU.
    const wide = await json(
      await owner.rpc.api.funnels[':id'].sections.$get({
        param: { id: funnelId },
        query: { from: dayOf(t.clock.now() - 40 * DAY), to: today() },
      }),
      200,
    );
    expect(wide.sections.map((s) => s.reached)).toEqual([11, 7, 4]);
  });

  it('filters by source: the people and the stages of one first-touch source', async () => {
    const q = { from: today(), to: today(), source: 'instagram' };
    const people = await json(await owner.rpc.api.funnels[':id'].sections.$get({ param: { id: funnelId }, query: q }), 200);
    expect(people.source).toBe('instagram');
    expect(people.sections.map((s) => [s.reached, s.current])).toEqual([
      [2, 0],
      [2, 0],
      [2, 2],
    ]);
    const report = await json(await owner.rpc.api.funnels[':id'].report.$get({ param: { id: funnelId }, query: q }), 200);
    expect(report.stages.map((s) => s.visitors)).toEqual([2, 2, 2, 2, 2, 0]);
    expect(report.bySource.map((s) => s.source)).toEqual(['instagram']);
    const direct = await json(
      await owner.rpc.api.funnels[':id'].sections.$get({ param: { id: funnelId }, query: { ...q, source: '' } }),
      200,
    );
    expect(direct.sections[0]!.reached).toBe(8);
  });

  it('gives medians as approximate with their bounds; a sub-second step is "under a second", never 0 alone', async () => {
    const report = await json(
      await owner.rpc.api.funnels[':id'].report.$get({ param: { id: funnelId }, query: { from: today(), to: today() } }),
      200,
    );
    const sale = report.stages.find((s) => s.stage === 'sale')!;
    // Checkout → purchase took 400 ms for the two new buyers, 2 h 1 min for the returning one: the median is under a second.
    expect(sale.medianRangeMs).toEqual({ lowMs: 0, highMs: 1000 });
    const interest = report.stages.find((s) => s.stage === 'interest')!;
    // Interest came after 5 s (×2), 10 s, 30 s (×2), 60 s (the returning visitor's was 40 days ago): the lower middle is 10 s.
    expect(interest.medianRangeMs!.lowMs).toBeLessThanOrEqual(10_000);
    expect(interest.medianRangeMs!.highMs).toBeGreaterThan(10_000);
    expect(Math.abs(interest.medianMsFromPrevious! - 10_000) / 10_000).toBeLessThanOrEqual(0.0906);
    expect(report.stages[0]!.medianRangeMs).toBeNull();
  });

  it('validates the filters and scopes the sections to the workspace', async () => {
    const bad = await owner.rpc.api.funnels[':id'].sections.$get({
      param: { id: funnelId },
      query: { from: '2026-02-01', to: '2026-01-01' },
    });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'invalid_period' });
    const tooLong = await owner.get(`/api/funnels/${funnelId}/sections?source=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);
    const stranger = t.client();
    await stranger.signup('stranger@dashboard.test');
    expect((await stranger.rpc.api.funnels[':id'].sections.$get({ param: { id: funnelId }, query: {} })).status).toBe(404);
  });
});

describe('the handoff adds up, per day and against the previous period', () => {
  let demo: TestClient;
  beforeAll(async () => {
    await seedDemo(t.database, { clock: t.clock.now, leads: true });
    demo = t.client();
    await demo.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  });

  it('splits deals created by origin, and the split adds up to the step', async () => {
    const report = await json(await demo.rpc.api.handoff.$get({ query: {} }), 200);
    const deals = report.totals.steps.find((s) => s.step === 'deals')!;
    const qualified = report.totals.steps.find((s) => s.step === 'qualified')!.count;
    expect(deals.byOrigin!.map((o) => o.origin)).toEqual(['qualification', 'automation', 'manual', 'import', 'api']);
    expect(deals.byOrigin!.reduce((n, o) => n + o.count, 0)).toBe(deals.count);
    // More deals than qualified leads is explained: the rule-made ones follow from "qualified", automations made the rest.
    const byOrigin = Object.fromEntries(deals.byOrigin!.map((o) => [o.origin, o.count]));
    expect(byOrigin.qualification).toBeLessThanOrEqual(qualified);
    expect(byOrigin.automation).toBeGreaterThan(0);
    const sumValues = (vs: Array<{ valueMinor: number }>) => vs.reduce((n, v) => n + v.valueMinor, 0);
    expect(deals.byOrigin!.reduce((n, o) => n + sumValues(o.values), 0)).toBe(sumValues(deals.values!));
    // The same as counting the table directly.
    const from = Date.parse(`${report.period.from}T00:00:00Z`);
    const rows = await t.database.db.all<{ origin: string; n: number }>(
      sql`select origin, count(*) as n from deals where workspace_id = (select workspace_id from funnels where slug = 'cosmetics-set') and created_at >= ${from} group by origin`,
    );
    for (const r of rows) expect(byOrigin[r.origin]).toBe(Number(r.n));

    // A deal a script sends through the API is counted as such.
    const { pipelines } = await json(await demo.rpc.api.pipelines.$get(), 200);
    await json(
      await demo.rpc.api.deals.$post({ json: { name: 'From the store', pipelineId: pipelines[0]!.id, valueMinor: 1234, origin: 'api' } }),
      201,
    );
    const after = await json(await demo.rpc.api.handoff.$get({ query: {} }), 200);
    const afterDeals = after.totals.steps.find((s) => s.step === 'deals')!;
    expect(afterDeals.count).toBe(deals.count + 1);
    expect(afterDeals.byOrigin!.find((o) => o.origin === 'api')!.count).toBe(byOrigin.api! + 1);
  });

  it('compares with the previous period on request, and filters by source', async () => {
    const plain = await json(await demo.rpc.api.handoff.$get({ query: {} }), 200);
    expect(plain.previous).toBeNull();
    const compared = await json(await demo.rpc.api.handoff.$get({ query: { compare: 'previous' } }), 200);
    expect(compared.totals).toEqual(plain.totals);
    expect(compared.previous!.period.to).toBe(dayOf(Date.parse(`${plain.period.from}T00:00:00Z`) - DAY));
    // The demo's journeys are all in the last 30 days.
    expect(compared.previous!.totals.steps.every((s) => s.count === 0)).toBe(true);
    const insta = await json(await demo.rpc.api.handoff.$get({ query: { source: 'instagram' } }), 200);
    const row = plain.bySource.find((s) => s.source === 'instagram')!;
    expect(insta.totals.steps.map((s) => s.count)).toEqual(row.steps.map((s) => s.count));
    expect(insta.source).toBe('instagram');
    const bad = await demo.get('/api/handoff?compare=next');
    expect(bad.status).toBe(400);
  });

  it('gives visitors, leads and deals per day that add up to the handoff, with every previous day', async () => {
    const daily = await json(await demo.rpc.api.handoff.daily.$get({ query: {} }), 200);
    const handoff = await json(await demo.rpc.api.handoff.$get({ query: {} }), 200);
    expect(daily.days).toHaveLength(30);
    expect(daily.previous).toHaveLength(30);
    expect(daily.days[0]!.day).toBe(daily.period.from);
    expect(daily.days.at(-1)!.day).toBe(daily.period.to);
    expect(daily.previous.at(-1)!.day).toBe(dayOf(Date.parse(`${daily.period.from}T00:00:00Z`) - DAY));
    const sum = (k: 'visitors' | 'leads' | 'deals') => daily.days.reduce((n, d) => n + d[k], 0);
    const step = (s: string) => handoff.totals.steps.find((x) => x.step === s)!.count;
    expect([sum('visitors'), sum('leads'), sum('deals')]).toEqual([step('visitors'), step('leads'), step('deals')]);
    const oneFunnel = await json(
      await demo.rpc.api.handoff.daily.$get({ query: { funnel: handoff.byFunnel[0]!.funnel!.id, source: 'google' } }),
      200,
    );
    expect(oneFunnel.funnel!.id).toBe(handoff.byFunnel[0]!.funnel!.id);
    expect(oneFunnel.days.reduce((n, d) => n + d.visitors, 0)).toBe(
      handoff.bySource.find((s) => s.source === 'google')!.steps.find((s) => s.step === 'visitors')!.count,
    );
    const bad = await demo.get('/api/handoff/daily?from=2026-01-01&to=2027-06-01');
    expect(bad.status).toBe(400);
  });
});
