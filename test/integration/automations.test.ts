/**
 * The B2C automations against the real app and a clock the test controls: visitors become known
 * through a real capture, their events arrive through the tracking beacon and the server events
 * API, and the scheduler (the same function the Cron Trigger and the Node timer call) moves deals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { pipelineStages, pipelines, qualificationRules } from '../../db/schema';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../workers/domain/automations';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { runPipelineAutomations } from '../../workers/services/automations';
import { moveDeal } from '../../workers/services/deals';
import { pipelineFromTemplate } from '../../workers/services/pipelines';
import { runScheduledWork } from '../../workers/services/scheduler';
import { serviceContext } from '../../workers/services/context';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { countingDatabase, formBody, formOf, FUNNEL, signInDemo } from '../support/landing';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

let t: TestApp;
let owner: TestClient;
let ownerId: string;
let workspaceId: string;
let apiKey: string;
let pipelineId: string;
let funnelId: string;
const stage: Record<string, string> = {};
const background: Promise<unknown>[] = [];

beforeAll(async () => {
  t = await createTestApp();
  ({ workspaceId } = await seedDemo(t.database, { clock: t.clock.now }));
  // These tests are about the automations alone: the demo's qualification rule would otherwise turn
  // the scores these events add up to into deals of its own (test/integration/ingest-qualification.test.ts).
  await t.database.db.update(qualificationRules).set({ enabled: false });
  owner = await signInDemo(t.client());
  ownerId = (await (await owner.rpc.api.me.$get()).json()).user.id;
  apiKey = (await (await owner.rpc.api.workspace['api-keys'].$post({ json: { name: 'Shop' } })).json()).key;
  const [pipeline] = await t.database.db
    .select()
    .from(pipelines)
    .where(sql`${pipelines.name} = ${DEMO.b2cPipeline}`);
  pipelineId = pipeline!.id;
  for (const s of await t.database.db
    .select()
    .from(pipelineStages)
    .where(sql`${pipelineStages.pipelineId} = ${pipelineId}`))
    stage[s.name] = s.id;
  funnelId = (await rows<{ id: string }>(sql`select id from funnels where slug = ${DEMO.funnel.slug}`))[0]!.id;
  // Shorter delays than the suggested ones, so the test can name each moment.
  const res = await owner.rpc.api.pipelines[':id'].automations.$put({
    param: { id: pipelineId },
    json: {
      enabled: true,
      browseAbandonment: { afterHours: 2 },
      checkoutAbandonment: { afterMinutes: 30 },
      purchase: { postPurchaseAfterDays: 3 },
    },
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await Promise.allSettled(background);
  t?.close();
});

const rows = <T>(query: ReturnType<typeof sql>) => t.database.db.all<T>(query);
const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(query))[0]!.n);
let seq = 0;
const eventId = () => `auto${String(++seq).padStart(16, '0')}`;

async function tick() {
  await t.deps.events.flush();
  const report = await runScheduledWork(t.deps, (work) => void background.push(work));
  expect(report.errors).toEqual([]);
  return report;
}

interface Shopper {
  client: TestClient;
  email: string;
  leadId: string;
  visitorId: string;
}

/** A visitor who lands on the demo funnel and downloads the guide: a lead, and a known visitor. */
async function knownVisitor(name: string, email: string): Promise<Shopper> {
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs); // a fresh rate-limit window for the capture
  const client = t.client();
  const page = await client.get(`${FUNNEL}/guide`, { 'user-agent': UA });
  expect(page.status).toBe(200);
  const form = formOf(await page.text(), 'ebook');
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
  const init = formBody({ _block: form.block, _token: form.token, website: '', name, email, consent: 'yes' });
  const res = await client.request(`${FUNNEL}/guide`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), 'user-agent': UA },
  });
  expect(res.status).toBe(303);
  await t.deps.events.flush();
  const visitorId = client.cookies.get('lf_vid')!;
  const [link] = await rows<{ lead_id: string }>(sql`select lead_id from visitors where id = ${visitorId}`);
  expect(link?.lead_id).toBeTruthy();
  return { client, email, leadId: link!.lead_id, visitorId };
}

async function viewOffer(s: Shopper) {
  const res = await s.client.get(`${FUNNEL}/offer`, { 'user-agent': UA });
  expect(res.status).toBe(200);
  await res.text();
  await beacon(s, 'offer_view');
}

async function beacon(s: Shopper, type: 'offer_view' | 'checkout_start') {
  const res = await s.client.request('/e', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': UA, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ events: [{ id: eventId(), type, at: t.clock.now(), path: `${FUNNEL}/offer`, props: { block: 'set' } }] }),
  });
  expect(res.status).toBe(202);
  await t.deps.events.flush();
}

async function serverEvent(body: Record<string, unknown>) {
  const res = await t.client().request('/api/v1/events', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ funnel: DEMO.funnel.slug, ...body }),
  });
  expect(res.status).toBe(202);
  await t.deps.events.flush();
}

interface DealRow {
  id: string;
  name: string;
  stage_id: string;
  value_minor: number;
  currency: string;
  closed_at: number | null;
  lost_reason: string | null;
}
const dealsOf = (s: Shopper) =>
  rows<DealRow>(
    sql`select id, name, stage_id, value_minor, currency, closed_at, lost_reason from deals where lead_id = ${s.leadId} and pipeline_id = ${pipelineId} order by created_at, id`,
  );
const historyOf = (dealId: string) =>
  rows<{ from_stage_id: string | null; to_stage_id: string; moved_by: string }>(
    sql`select from_stage_id, to_stage_id, moved_by from deal_stage_history where deal_id = ${dealId} order by moved_at, id`,
  );
const totals = async () => ({
  history: await count(sql`select count(*) as n from deal_stage_history where pipeline_id = ${pipelineId}`),
  deals: await count(sql`select count(*) as n from deals where pipeline_id = ${pipelineId}`),
  runs: await count(sql`select count(*) as n from automation_runs`),
});

describe('browse abandonment', () => {
  it('puts a known visitor who viewed the offer in "Browse abandonment" after N hours, not before — once', async () => {
    const ava = await knownVisitor('Ava Smith', 'ava.automations@example.com');
    await viewOffer(ava);

    t.clock.advance(2 * HOUR_MS - 1);
    await tick();
    expect((await dealsOf(ava)).filter((d) => d.stage_id === stage['Browse abandonment'])).toEqual([]);

    t.clock.advance(1);
    await tick();
    const [deal, ...others] = await dealsOf(ava);
    expect(others).toEqual([]);
    // The article's deal: campaign (funnel) and customer, valued at the offer's price.
    expect(deal).toMatchObject({
      name: 'Cosmetics set - Ava Smith',
      stage_id: stage['Browse abandonment'],
      value_minor: 25_000,
      currency: 'USD',
      closed_at: null,
    });
    expect((await historyOf(deal!.id)).at(-1)).toMatchObject({
      to_stage_id: stage['Browse abandonment'],
      moved_by: 'automation:browse_abandonment',
    });
    expect(await rows(sql`select origin from deals where id = ${deal!.id}`)).toEqual([{ origin: 'automation' }]);

    // Running again (and again later) changes nothing.
    const before = await totals();
    await tick();
    t.clock.advance(MINUTE_MS);
    await tick();
    expect(await totals()).toEqual(before);
  });

  it('does not fire when the visitor went on to checkout, and ignores anonymous visitors', async () => {
    const ben = await knownVisitor('Ben Jones', 'ben.automations@example.com');
    await viewOffer(ben);
    t.clock.advance(10 * MINUTE_MS);
    await serverEvent({ type: 'purchase', email: ben.email, orderId: 'ben-1', amountMinor: 25_000, currency: 'USD' });

    const anonymous = t.client();
    await anonymous.get(`${FUNNEL}/offer`, { 'user-agent': UA });
    const anonymousVisitor = anonymous.cookies.get('lf_vid')!;
    t.clock.advance(3 * HOUR_MS);
    await tick();
    expect((await dealsOf(ben)).map((d) => d.stage_id)).toEqual([stage['Closed won']]);
    expect(await count(sql`select count(*) as n from visitors where id = ${anonymousVisitor} and lead_id is not null`)).toBe(0);
  });
});

describe('checkout abandonment', () => {
  it('moves the deal to "Checkout abandonment" N minutes after a checkout without purchase, forward only', async () => {
    const cleo = await knownVisitor('Cleo Park', 'cleo.automations@example.com');
    await viewOffer(cleo);
    t.clock.advance(2 * HOUR_MS);
    await tick();
    const [deal] = await dealsOf(cleo);
    expect(deal!.stage_id).toBe(stage['Browse abandonment']);

    await beacon(cleo, 'checkout_start');
    t.clock.advance(30 * MINUTE_MS - 1);
    await tick();
    expect((await dealsOf(cleo))[0]!.stage_id).toBe(stage['Browse abandonment']);
    t.clock.advance(1);
    await tick();
    expect(await dealsOf(cleo)).toEqual([
      expect.objectContaining({ id: deal!.id, stage_id: stage['Checkout abandonment'], value_minor: 25_000 }),
    ]);

    // A later view of the offer, abandoned too, never pulls the deal back to browse abandonment.
    t.clock.advance(MINUTE_MS);
    await viewOffer(cleo);
    t.clock.advance(2 * HOUR_MS);
    await tick();
    expect((await dealsOf(cleo)).map((d) => d.stage_id)).toEqual([stage['Checkout abandonment']]);
    expect((await historyOf(deal!.id)).map((h) => h.moved_by)).toEqual([
      'automation:browse_abandonment',
      'automation:checkout_abandonment',
    ]);
  });

  it('creates the deal in "Checkout abandonment" for a lead without one, valued at the cart the store reported', async () => {
    const dora = await knownVisitor('Dora Lee', 'dora.automations@example.com');
    await serverEvent({ type: 'checkout_start', email: dora.email, orderId: 'cart-dora', amountMinor: 31_500, currency: 'EUR' });
    t.clock.advance(30 * MINUTE_MS);
    await tick();
    expect(await dealsOf(dora)).toEqual([
      expect.objectContaining({
        name: 'Cosmetics set - Dora Lee',
        stage_id: stage['Checkout abandonment'],
        value_minor: 31_500,
        currency: 'EUR',
      }),
    ]);
  });
});

describe('purchase and post-purchase', () => {
  it('closes the open deal as won with the order amount, then moves it to "Post-purchase" after the configured days', async () => {
    const eve = await knownVisitor('Eve Adams', 'eve.automations@example.com');
    await viewOffer(eve);
    await beacon(eve, 'checkout_start');
    t.clock.advance(45 * MINUTE_MS);
    await tick();
    const [deal] = await dealsOf(eve);
    expect(deal!.stage_id).toBe(stage['Checkout abandonment']);

    t.clock.advance(HOUR_MS);
    await serverEvent({ type: 'purchase', email: eve.email, orderId: 'eve-1', amountMinor: 19_900, currency: 'USD' });
    const wonAt = t.clock.now();
    await tick();
    expect(await dealsOf(eve)).toEqual([
      expect.objectContaining({ id: deal!.id, stage_id: stage['Closed won'], value_minor: 19_900, closed_at: wonAt }),
    ]);

    t.clock.advance(3 * DAY_MS - 1);
    await tick();
    expect((await dealsOf(eve))[0]!.stage_id).toBe(stage['Closed won']);
    t.clock.advance(1);
    await tick();
    expect(await dealsOf(eve)).toEqual([
      expect.objectContaining({ id: deal!.id, stage_id: stage['Post-purchase'], closed_at: wonAt, value_minor: 19_900 }),
    ]);
    expect((await historyOf(deal!.id)).slice(-2).map((h) => [h.to_stage_id, h.moved_by])).toEqual([
      [stage['Closed won'], 'automation:purchase'],
      [stage['Post-purchase'], 'automation:post_purchase'],
    ]);

    // Unsubscribing later does not make a customer's deal lost.
    await serverEvent({ type: 'unsubscribe', email: eve.email });
    await tick();
    expect((await dealsOf(eve)).map((d) => d.stage_id)).toEqual([stage['Post-purchase']]);
  });

  it('creates a won deal for a purchase from a lead without an open deal, and moves it on at once with 0 days', async () => {
    expect(
      (
        await owner.rpc.api.pipelines[':id'].automations.$put({
          param: { id: pipelineId },
          json: { purchase: { postPurchaseAfterDays: 0 } },
        })
      ).status,
    ).toBe(200);
    try {
      const finn = await knownVisitor('Finn Wu', 'finn.automations@example.com');
      await serverEvent({ type: 'purchase', email: finn.email, orderId: 'finn-1', amountMinor: 25_000, currency: 'USD' });
      await tick();
      const [deal, ...others] = await dealsOf(finn);
      expect(others).toEqual([]);
      expect(deal).toMatchObject({ name: 'Cosmetics set - Finn Wu', stage_id: stage['Post-purchase'], value_minor: 25_000 });
      expect((await historyOf(deal!.id)).map((h) => [h.from_stage_id, h.to_stage_id, h.moved_by])).toEqual([
        [null, stage['Closed won'], 'automation:purchase'],
        [stage['Closed won'], stage['Post-purchase'], 'automation:post_purchase'],
      ]);
    } finally {
      await owner.rpc.api.pipelines[':id'].automations.$put({
        param: { id: pipelineId },
        json: { purchase: { postPurchaseAfterDays: 3 } },
      });
    }
  });
});

describe('unsubscribe', () => {
  it('moves the open deal of someone who never bought to "Closed lost" with the reason "unsubscribed"', async () => {
    const gus = await knownVisitor('Gus Hill', 'gus.automations@example.com');
    await viewOffer(gus);
    t.clock.advance(2 * HOUR_MS);
    await tick();
    const [deal] = await dealsOf(gus);
    expect(deal!.stage_id).toBe(stage['Browse abandonment']);

    t.clock.advance(DAY_MS);
    await serverEvent({ type: 'unsubscribe', email: gus.email });
    await tick();
    expect(await dealsOf(gus)).toEqual([
      expect.objectContaining({ id: deal!.id, stage_id: stage['Closed lost'], lost_reason: 'unsubscribed', closed_at: t.clock.now() }),
    ]);
    const before = await totals();
    await tick();
    expect(await totals()).toEqual(before);
  });
});

describe('people win', () => {
  it('does not undo a manual move; new activity after it counts again', async () => {
    const hana = await knownVisitor('Hana Ito', 'hana.automations@example.com');
    await beacon(hana, 'checkout_start');
    t.clock.advance(30 * MINUTE_MS);
    await tick();
    const [deal] = await dealsOf(hana);
    expect(deal!.stage_id).toBe(stage['Checkout abandonment']);

    // A rep talks to her and moves the deal back by hand.
    t.clock.advance(MINUTE_MS);
    await moveDeal(
      serviceContext(t.deps, (w) => void background.push(w)),
      workspaceId,
      deal!.id,
      { stageId: stage['Lead qualification']! },
      ownerId,
    );
    t.clock.advance(HOUR_MS);
    await tick();
    expect((await dealsOf(hana))[0]!.stage_id).toBe(stage['Lead qualification']);

    // She starts another checkout after the rep's move and abandons it: that is new.
    await beacon(hana, 'checkout_start');
    t.clock.advance(30 * MINUTE_MS);
    await tick();
    expect((await dealsOf(hana))[0]!.stage_id).toBe(stage['Checkout abandonment']);
    expect((await historyOf(deal!.id)).map((h) => h.moved_by)).toEqual([
      'automation:checkout_abandonment',
      ownerId,
      'automation:checkout_abandonment',
    ]);
  });
});

describe('a person moving the deal while a run is deciding', () => {
  it('wins: the run’s move does not apply, and nothing of it is recorded', async () => {
    const jay = await knownVisitor('Jay Ross', 'jay.automations@example.com');
    await viewOffer(jay);
    t.clock.advance(2 * HOUR_MS);
    await tick();
    const [deal] = await dealsOf(jay);
    expect(deal!.stage_id).toBe(stage['Browse abandonment']);

    t.clock.advance(MINUTE_MS);
    await beacon(jay, 'checkout_start');
    t.clock.advance(30 * MINUTE_MS);
    await t.deps.events.flush();
    const before = await totals();
    // Right after the run has read the deals' history, and before it writes, a rep moves the deal.
    const db = countingDatabase(t.database);
    db.afterNextRead(/from "deal_stage_history"/, async () => {
      await moveDeal(
        serviceContext(t.deps, (w) => void background.push(w)),
        workspaceId,
        deal!.id,
        { stageId: stage['Lead qualification']! },
        ownerId,
      );
    });
    const ctx = { ...serviceContext(t.deps, (w) => void background.push(w)), db: db.db };
    const report = await runPipelineAutomations(ctx, workspaceId, pipelineId);
    expect(report).toMatchObject({ steps: [], raced: 1, errors: [] });
    expect((await dealsOf(jay))[0]!.stage_id).toBe(stage['Lead qualification']);
    expect(await totals()).toEqual({ ...before, history: before.history + 1 }); // the rep's move only
    expect((await historyOf(deal!.id)).at(-1)!.moved_by).toBe(ownerId);
    // The next run sees the rep's move, made after the checkout: it stays.
    await tick();
    expect((await dealsOf(jay))[0]!.stage_id).toBe(stage['Lead qualification']);
  });
});

describe('cost', () => {
  it('a run with nothing new to do reads a fixed handful of statements, however many steps were taken before', async () => {
    await tick();
    const db = countingDatabase(t.database);
    const report = await runPipelineAutomations(
      { ...serviceContext(t.deps, (w) => void background.push(w)), db: db.db },
      workspaceId,
      pipelineId,
    );
    expect(report.steps).toEqual([]);
    expect(await count(sql`select count(*) as n from automation_runs`)).toBeGreaterThan(10);
    // Pipeline and stages, funnels, product pages, events (funnels + funnel-less), taken keys, post-purchase;
    // and, for due steps decided against (a person's move, a customer's unsubscribe), looked at again
    // while in the window: those leads, their deals, history and purchases — one statement each.
    expect(db.roundTrips()).toBeLessThanOrEqual(12);
  });
});

describe('overlapping runs', () => {
  it('take each step once', async () => {
    const ivy = await knownVisitor('Ivy Chen', 'ivy.automations@example.com');
    await viewOffer(ivy);
    await beacon(ivy, 'checkout_start');
    t.clock.advance(30 * MINUTE_MS);
    await t.deps.events.flush();
    const before = await totals();
    const ctx = serviceContext(t.deps, (w) => void background.push(w));
    const reports = await Promise.all([1, 2, 3].map(() => runPipelineAutomations(ctx, workspaceId, pipelineId)));
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    expect(reports.reduce((n, r) => n + r.steps.length, 0)).toBe(1);
    expect(await totals()).toEqual({ history: before.history + 1, deals: before.deals + 1, runs: before.runs + 1 });
    expect((await dealsOf(ivy)).map((d) => d.stage_id)).toEqual([stage['Checkout abandonment']]);
  });
});

describe('API', () => {
  let viewer: TestClient;
  let stranger: TestClient;
  let strangerPipeline: string;

  beforeAll(async () => {
    const { token } = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } })).json();
    viewer = t.client();
    await viewer.signup('viewer.automations@example.com', 'correct horse battery', 'Vic', { inviteToken: token });
    stranger = t.client();
    const { workspaceId: otherWs } = await stranger.signup('stranger.automations@example.com');
    const { pipeline, stages } = pipelineFromTemplate(
      { db: t.database.db, clock: t.clock.now, newId: t.deps.newId },
      otherWs,
      PIPELINE_TEMPLATES.b2c,
      'Their shop',
    );
    await t.database.db.batch([t.database.db.insert(pipelines).values(pipeline), t.database.db.insert(pipelineStages).values(stages)]);
    strangerPipeline = pipeline.id;
  });

  it('shows the configuration, the suggested one and the latest steps; viewers may read', async () => {
    for (const client of [owner, viewer]) {
      const res = await client.rpc.api.pipelines[':id'].automations.$get({ param: { id: pipelineId } });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.automations).toMatchObject({
        enabled: true,
        funnelIds: [funnelId],
        browseAbandonment: { stageId: stage['Browse abandonment'], afterHours: 2 },
      });
      expect(body.defaults).toMatchObject({
        enabled: false,
        checkoutAbandonment: { stageId: stage['Checkout abandonment'], afterMinutes: 60 },
      });
      expect(body.recent.length).toBeGreaterThan(0);
      expect(body.recent.every((r) => r.movedBy?.startsWith('automation:'))).toBe(true);
    }
  });

  it('turns the article’s automations on with one call on a fresh B2C pipeline', async () => {
    const before = await (await stranger.rpc.api.pipelines[':id'].automations.$get({ param: { id: strangerPipeline } })).json();
    expect(before.automations).toBeNull();
    const res = await stranger.rpc.api.pipelines[':id'].automations.$put({ param: { id: strangerPipeline }, json: { enabled: true } });
    expect(res.status).toBe(200);
    const { automations } = await res.json();
    expect(automations).toMatchObject({
      enabled: true,
      funnelIds: null,
      unsubscribe: { reason: 'unsubscribed' },
      purchase: { postPurchaseAfterDays: 7 },
    });
    const run = await stranger.rpc.api.pipelines[':id'].automations.run.$post({ param: { id: strangerPipeline } });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ run: { pipelineId: strangerPipeline, steps: [], problems: [], errors: [] } });

    // A stage changed since: the step that names it is skipped (and shown), the others still run.
    await t.database.db.run(
      sql`update pipeline_stages set kind = 'open' where pipeline_id = ${strangerPipeline} and name = 'Post-purchase'`,
    );
    const shown = await (await stranger.rpc.api.pipelines[':id'].automations.$get({ param: { id: strangerPipeline } })).json();
    expect(shown.problems.map((p) => p.path)).toEqual(['purchase.postPurchaseStageId']);
    const again = await (await stranger.rpc.api.pipelines[':id'].automations.run.$post({ param: { id: strangerPipeline } })).json();
    expect(again.run.problems).toEqual([expect.stringMatching(/^purchase\.postPurchaseStageId: "Post-purchase" is an open stage/)]);
    expect(again.run.errors).toEqual([]);
  });

  it('refuses bad input with the fields named', async () => {
    const put = (json: unknown) => owner.request(`/api/pipelines/${pipelineId}/automations`, { method: 'PUT', json });
    const wrongKind = await put({ browseAbandonment: { stageId: stage['Closed won'] }, unsubscribe: { lostStageId: 'no-such-stage' } });
    expect(wrongKind.status).toBe(400);
    expect((await errorOf(wrongKind)).fields!.map((f) => f.path).sort()).toEqual(['browseAbandonment.stageId', 'unsubscribe.lostStageId']);
    const otherTenantsStage = await put({
      checkoutAbandonment: {
        stageId: (await rows<{ id: string }>(sql`select id from pipeline_stages where pipeline_id = ${strangerPipeline} limit 1`))[0]!.id,
      },
    });
    expect((await errorOf(otherTenantsStage)).fields).toEqual([
      { path: 'checkoutAbandonment.stageId', message: 'That stage is not in this pipeline.' },
    ]);
    const unknownFunnel = await put({ funnelIds: ['nope'] });
    expect((await errorOf(unknownFunnel)).fields).toEqual([{ path: 'funnelIds.0', message: 'No such funnel in this workspace.' }]);
    expect((await errorOf(await put({ checkoutAbandonment: { afterMinutes: 0 } }))).code).toBe('validation_failed');
    expect((await errorOf(await put({ surprise: 1 }))).code).toBe('validation_failed');
    const notJson = await owner.request(`/api/pipelines/${pipelineId}/automations`, {
      method: 'PUT',
      body: 'enabled',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(400);
    // Nothing was saved by the refused calls.
    const { automations } = await (await owner.rpc.api.pipelines[':id'].automations.$get({ param: { id: pipelineId } })).json();
    expect(automations?.checkoutAbandonment?.afterMinutes).toBe(30);
    expect(automations?.funnelIds).toEqual([funnelId]);
  });

  it('lets viewers read only', async () => {
    const put = await viewer.rpc.api.pipelines[':id'].automations.$put({ param: { id: pipelineId }, json: { enabled: false } });
    expect(put.status).toBe(403);
    expect((await viewer.rpc.api.pipelines[':id'].automations.run.$post({ param: { id: pipelineId } })).status).toBe(403);
  });

  it('answers 404 for another workspace’s pipeline, revealing nothing', async () => {
    for (const res of [
      await stranger.rpc.api.pipelines[':id'].automations.$get({ param: { id: pipelineId } }),
      await stranger.rpc.api.pipelines[':id'].automations.$put({ param: { id: pipelineId }, json: { enabled: false } }),
      await stranger.rpc.api.pipelines[':id'].automations.run.$post({ param: { id: pipelineId } }),
      await owner.rpc.api.pipelines[':id'].automations.$get({ param: { id: 'no-such-pipeline' } }),
    ]) {
      expect(res.status).toBe(404);
      const error = await errorOf(res);
      expect(error.code).toBe('not_found');
      expect(JSON.stringify(error)).not.toContain(stage['Browse abandonment']);
    }
    const [row] = await t.database.db
      .select()
      .from(pipelines)
      .where(sql`${pipelines.id} = ${pipelineId}`);
    expect(row!.automations).toMatchObject({ enabled: true });
  });

  it('runs now on request, and refuses to while the automations are off', async () => {
    const run = await owner.rpc.api.pipelines[':id'].automations.run.$post({ param: { id: pipelineId } });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ run: { pipelineId, errors: [] } });
    expect((await owner.rpc.api.pipelines[':id'].automations.$put({ param: { id: pipelineId }, json: { enabled: false } })).status).toBe(
      200,
    );
    const off = await owner.rpc.api.pipelines[':id'].automations.run.$post({ param: { id: pipelineId } });
    expect(off.status).toBe(409);
    expect((await errorOf(off)).code).toBe('automations_disabled');
    // The scheduler skips it too.
    const report = await runScheduledWork(t.deps, (w) => void background.push(w));
    expect(report.runs.map((r) => r.pipelineId)).not.toContain(pipelineId);
  });
});
