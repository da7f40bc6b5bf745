/**
 * The handoff report against an independent recomputation: a few thousand generated leads, deals
 * and rollup rows (three funnels, several sources and currencies, leads from no funnel, deals
 * without a lead, won / lost / open / post-purchase deals), then the report for several periods
 * and each funnel compared with plain TypeScript over the generated rows.
 */
import { sql } from 'drizzle-orm';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyRollups, deals, funnels, leads, pipelineStages, pipelines } from '../../db/schema';
import type { Db } from '../../db/types';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { FUNNEL_STAGES, type FunnelStage } from '../../workers/domain/stages';
import { dealSource } from '../../workers/services/deals';
import { pipelineFromTemplate } from '../../workers/services/pipelines';
import { HANDOFF_STEPS, type HandoffStep } from '../../workers/contract';
import { handoffQueries } from '../../workers/services/handoff';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { createDeal, createPipeline, json, stageNamed } from '../support/pipeline';
import { prng } from '../support/prng';

type HandoffQuery = InferRequestType<TestClient['rpc']['api']['handoff']['$get']>['query'];
type HandoffReport = InferResponseType<TestClient['rpc']['api']['handoff']['$get'], 200>;

const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 8, 1); // 1 September 2026
const DAYS = 90;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let stranger: TestClient;
let ws: string;
let strangerWs: string;

type Lead = typeof leads.$inferInsert;
type Deal = typeof deals.$inferInsert;
type Rollup = typeof dailyRollups.$inferInsert;
const generated = {
  funnels: [] as Array<{ id: string; workspaceId: string; name: string }>,
  leads: [] as Lead[],
  deals: [] as Deal[],
  rollups: [] as Rollup[],
};
const stageKind = new Map<string, string>();

async function insertChunked<T>(db: Db, table: Parameters<Db['insert']>[0], rows: T[], size = 200) {
  for (let i = 0; i < rows.length; i += size) await db.insert(table).values(rows.slice(i, i + size) as never);
}

async function generate(workspaceId: string, seed: number, leadCount: number) {
  const db = t.database.db;
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const ctx = { db, clock: () => START, newId: t.deps.newId };
  const now = START;

  const funnelRows = ['Cosmetics set', 'Wholesale', 'Webinar'].map((name, i) => ({
    id: t.deps.newId(),
    workspaceId,
    name,
    slug: `${workspaceId.slice(-6).toLowerCase()}-f${i}`,
    createdAt: now + i,
    updatedAt: now,
  }));
  await db.insert(funnels).values(funnelRows);
  generated.funnels.push(...funnelRows);
  // A funnel id that no longer exists (deleted funnel) still shows up on old leads.
  const funnelIds = [...funnelRows.map((f) => f.id), null, 'deleted-funnel'];

  const { pipeline, stages } = pipelineFromTemplate(ctx, workspaceId, PIPELINE_TEMPLATES.b2c);
  await db.batch([db.insert(pipelines).values(pipeline), db.insert(pipelineStages).values(stages)]);
  for (const s of stages) stageKind.set(s.id, s.kind);

  const sources = ['instagram', 'google', 'newsletter', '', 'tiktok'];
  const leadRows: Lead[] = [];
  for (let i = 0; i < leadCount; i++) {
    const createdAt = START + Math.floor(random() * DAYS * DAY);
    const qualifiedAt = random() < 0.45 ? createdAt + Math.floor(random() * 20 * DAY) : null;
    leadRows.push({
      id: t.deps.newId(),
      workspaceId,
      email: `lead${i}@${seed}.example`,
      source: pick(sources),
      sourceFunnelId: pick(funnelIds),
      createdAt,
      updatedAt: createdAt,
      qualifiedAt,
    });
  }
  await insertChunked(db, leads, leadRows);
  generated.leads.push(...leadRows);

  const dealRows: Deal[] = [];
  const openStages = stages.filter((s) => s.kind === 'open');
  const wonStages = stages.filter((s) => s.kind === 'won'); // Closed won and Post-purchase
  const lost = stages.find((s) => s.kind === 'lost')!;
  const addDeal = (lead: Lead | null, createdAt: number) => {
    const r = random();
    const stage = r < 0.5 ? pick(openStages) : r < 0.8 ? pick(wonStages) : lost;
    const closedAt = stage.kind === 'open' ? null : createdAt + Math.floor(random() * 15 * DAY);
    const attribution: Record<string, string> = lead && random() < 0.5 ? {} : { source: pick(sources) };
    dealRows.push({
      id: t.deps.newId(),
      workspaceId,
      pipelineId: pipeline.id,
      stageId: stage.id,
      name: `Deal ${dealRows.length}`,
      valueMinor: Math.floor(random() * 50_000),
      currency: random() < 0.85 ? 'USD' : 'EUR',
      leadId: lead?.id ?? null,
      sourceFunnelId: lead ? (random() < 0.9 ? lead.sourceFunnelId : pick(funnelIds)) : pick(funnelIds),
      attribution,
      // What createDeal writes (and the report groups by): the lead's source, else the attribution's.
      source: dealSource(lead?.source, attribution),
      lostReason: stage.kind === 'lost' ? 'Too expensive' : null,
      stageEnteredAt: closedAt ?? createdAt,
      closedAt,
      createdAt,
      updatedAt: createdAt,
    });
  };
  for (const lead of leadRows) if (lead.qualifiedAt && random() < 0.7) addDeal(lead, lead.qualifiedAt + Math.floor(random() * 3 * DAY));
  // Deals added by hand or imported, with no lead.
  for (let i = 0; i < leadCount / 10; i++) addDeal(null, START + Math.floor(random() * DAYS * DAY));
  await insertChunked(db, deals, dealRows);
  generated.deals.push(...dealRows);

  const rollupRows: Rollup[] = [];
  for (const f of funnelRows) {
    for (let d = -5; d < DAYS + 5; d++) {
      for (const source of sources) {
        if (random() < 0.3) continue;
        for (const stage of FUNNEL_STAGES) {
          const visitors = Math.floor(random() * 40);
          if (visitors)
            rollupRows.push({
              workspaceId,
              funnelId: f.id,
              day: day(START + d * DAY),
              stage,
              source,
              medium: random() < 0.5 ? 'social' : '',
              campaign: '',
              visitors,
            });
        }
      }
    }
  }
  // One row per primary key (funnel, day, stage, source, medium, campaign), as ingest keeps them.
  const unique = dedupeRollups(rollupRows);
  await insertChunked(db, dailyRollups, unique);
  generated.rollups.push(...unique);
}

function dedupeRollups(rows: Rollup[]): Rollup[] {
  const seen = new Map<string, Rollup>();
  for (const r of rows) seen.set([r.funnelId, r.day, r.stage, r.source, r.medium, r.campaign].join('|'), r);
  return [...seen.values()];
}

// ── The independent recomputation ────────────────────────────────────────────

interface Expected {
  count: number;
  values: Map<string, number>;
}
type Steps = Map<HandoffStep, Expected>;

function recompute(workspaceId: string, from: string, to: string, funnelId?: string) {
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`) + DAY;
  const inPeriod = (ms: number | null | undefined) => ms !== null && ms !== undefined && ms >= fromMs && ms < toMs;
  const wsFunnels = new Set(
    generated.funnels.filter((f) => f.workspaceId === workspaceId && (!funnelId || f.id === funnelId)).map((f) => f.id),
  );
  const totals: Steps = new Map();
  const byFunnel = new Map<string | null, Steps>();
  const bySource = new Map<string, Steps>();
  const add = (step: HandoffStep, funnel: string | null, source: string, count: number, currency?: string, value?: number) => {
    for (const steps of [totals, getOr(byFunnel, funnel), getOr(bySource, source)]) {
      const e = steps.get(step) ?? { count: 0, values: new Map() };
      e.count += count;
      if (currency) e.values.set(currency, (e.values.get(currency) ?? 0) + value!);
      steps.set(step, e);
    }
  };
  for (const r of generated.rollups) {
    if (wsFunnels.has(r.funnelId) && r.stage === ('awareness' satisfies FunnelStage) && r.day >= from && r.day <= to)
      add('visitors', r.funnelId, r.source ?? '', r.visitors ?? 0);
  }
  const leadById = new Map(generated.leads.map((l) => [l.id, l]));
  for (const l of generated.leads) {
    if (l.workspaceId !== workspaceId || (funnelId && l.sourceFunnelId !== funnelId)) continue;
    if (inPeriod(l.createdAt)) add('leads', l.sourceFunnelId ?? null, l.source ?? '', 1);
    if (inPeriod(l.qualifiedAt)) add('qualified', l.sourceFunnelId ?? null, l.source ?? '', 1);
  }
  for (const d of generated.deals) {
    if (d.workspaceId !== workspaceId || (funnelId && d.sourceFunnelId !== funnelId)) continue;
    const lead = d.leadId ? leadById.get(d.leadId) : undefined;
    const source = lead?.source || d.attribution?.source || '';
    if (inPeriod(d.createdAt)) add('deals', d.sourceFunnelId ?? null, source, 1, d.currency, d.valueMinor);
    if (inPeriod(d.closedAt) && stageKind.get(d.stageId) === 'won')
      add('won', d.sourceFunnelId ?? null, source, 1, d.currency, d.valueMinor);
  }
  return { totals, byFunnel, bySource };
}

function getOr<K>(map: Map<K, Steps>, key: K): Steps {
  let v = map.get(key);
  if (!v) map.set(key, (v = new Map()));
  return v;
}

/** The report's steps in the recomputation's shape, dropping all-zero rows the recomputation never creates. */
function normalise(steps: HandoffReport['totals']['steps']) {
  return HANDOFF_STEPS.map((step, i) => {
    const row = steps[i]!;
    expect(row.step).toBe(step);
    return { step, count: row.count, values: Object.fromEntries((row.values ?? []).map((v) => [v.currency, v.valueMinor])) };
  });
}
function expectedSteps(steps: Steps | undefined) {
  return HANDOFF_STEPS.map((step) => {
    const e = steps?.get(step);
    return { step, count: e?.count ?? 0, values: Object.fromEntries(step === 'deals' || step === 'won' ? [...(e?.values ?? [])] : []) };
  });
}

async function report(query: HandoffQuery, client = owner) {
  return json(await client.rpc.api.handoff.$get({ query }), 200);
}

function compare(actual: HandoffReport, workspaceId: string, from: string, to: string, funnelId?: string) {
  const expected = recompute(workspaceId, from, to, funnelId);
  expect(normalise(actual.totals.steps)).toEqual(expectedSteps(expected.totals));
  for (const row of actual.byFunnel)
    expect(normalise(row.steps), `funnel ${row.funnel?.id}`).toEqual(expectedSteps(expected.byFunnel.get(row.funnel?.id ?? null)));
  for (const row of actual.bySource)
    expect(normalise(row.steps), `source ${row.source}`).toEqual(expectedSteps(expected.bySource.get(row.source)));
  // Every group of the recomputation is in the report (and every funnel of the workspace, even with zeros).
  expect(new Set(actual.byFunnel.map((r) => r.funnel?.id ?? null))).toEqual(
    new Set([
      ...expected.byFunnel.keys(),
      ...generated.funnels.filter((f) => f.workspaceId === workspaceId && (!funnelId || f.id === funnelId)).map((f) => f.id),
    ]),
  );
  expect(new Set(actual.bySource.map((r) => r.source))).toEqual(new Set(expected.bySource.keys()));
  // Conversions are the ratio of consecutive counts.
  for (const b of [actual.totals, ...actual.byFunnel, ...actual.bySource]) {
    b.steps.forEach((s, i) => {
      const previous = i === 0 ? 0 : b.steps[i - 1]!.count;
      expect(s.conversionFromPrevious).toBe(i === 0 || previous === 0 ? null : s.count / previous);
    });
  }
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(START + 60 * DAY);
  owner = t.client();
  ws = (await owner.signup('owner@handoff.test', 'correct horse battery', 'Olivia', { workspaceName: 'Shop' })).workspaceId;
  const inv = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } })).json();
  viewer = t.client();
  await viewer.signup('viewer@handoff.test', 'correct horse battery', 'Vera', { inviteToken: inv.token });
  stranger = t.client();
  strangerWs = (await stranger.signup('stranger@elsewhere.test')).workspaceId;
  await generate(ws, 7, 2500);
  await generate(strangerWs, 11, 400);
});
afterAll(() => t.close());

describe('GET /api/handoff', () => {
  it('matches an independent recomputation over the generated rows, for several periods', async () => {
    expect(generated.leads.length).toBe(2900);
    for (const [from, to] of [
      [day(START), day(START + (DAYS - 1) * DAY)],
      [day(START + 10 * DAY), day(START + 40 * DAY)],
      [day(START + 33 * DAY), day(START + 33 * DAY)],
      [day(START - 30 * DAY), day(START + 200 * DAY)],
    ] as const) {
      const r = await report({ from, to });
      expect(r.period).toEqual({ from, to });
      expect(r.funnel).toBeNull();
      compare(r, ws, from, to);
    }
  });

  it('has real numbers in every step, values per currency, and deal values at each step', async () => {
    const r = await report({ from: day(START), to: day(START + (DAYS - 1) * DAY) });
    const [visitors, leadsStep, qualified, dealsStep, won] = r.totals.steps;
    for (const s of [visitors, leadsStep, qualified, dealsStep, won]) expect(s!.count).toBeGreaterThan(0);
    expect(dealsStep!.values!.map((v) => v.currency)).toEqual(['EUR', 'USD']);
    expect(won!.values!.map((v) => v.currency)).toEqual(['EUR', 'USD']);
    expect(leadsStep!.values).toBeUndefined();
    // Leads from no funnel, and from a funnel since deleted, are their own rows.
    expect(r.byFunnel.some((f) => f.funnel === null)).toBe(true);
    expect(r.byFunnel.find((f) => f.funnel?.id === 'deleted-funnel')!.funnel!.name).toBeNull();
    expect(
      r.byFunnel
        .filter((f) => f.funnel?.name)
        .map((f) => f.funnel!.name)
        .sort(),
    ).toEqual(['Cosmetics set', 'Webinar', 'Wholesale']);
    expect(r.bySource.map((s) => s.source)).toEqual(expect.arrayContaining(['instagram', 'google', 'newsletter', 'tiktok', '']));
  });

  it('narrows to one funnel', async () => {
    const funnel = generated.funnels.find((f) => f.workspaceId === ws && f.name === 'Wholesale')!;
    const [from, to] = [day(START + 5 * DAY), day(START + 70 * DAY)];
    const r = await report({ from, to, funnel: funnel.id });
    expect(r.funnel).toEqual({ id: funnel.id, name: 'Wholesale' });
    expect(r.byFunnel.map((f) => f.funnel?.id)).toEqual([funnel.id]);
    compare(r, ws, from, to, funnel.id);
  });

  it('defaults to the last 30 days', async () => {
    const r = await report({});
    expect(r.period).toEqual({ from: day(t.clock.now() - 29 * DAY), to: day(t.clock.now()) });
    compare(r, ws, r.period.from, r.period.to);
  });

  it('refuses bad periods and unknown funnels', async () => {
    for (const q of [
      '?from=2026-13-01',
      '?from=yesterday',
      '?to=2026-02-30x',
      '?from=2026-10-02&to=2026-10-01',
      '?from=2025-01-01&to=2026-10-01',
      '?funnel=',
    ]) {
      const res = await owner.get(`/api/handoff${q}`);
      expect(res.status, q).toBe(400);
      expect(['validation_failed', 'invalid_period']).toContain((await errorOf(res)).code);
    }
    const res = await owner.rpc.api.handoff.$get({ query: { funnel: 'nope' } });
    expect(res.status).toBe(404);
  });

  it('lets viewers read it, and shows each workspace only its own data', async () => {
    const [from, to] = [day(START), day(START + 89 * DAY)];
    const asViewer = await report({ from, to }, viewer);
    expect(asViewer).toEqual(await report({ from, to }));

    const theirs = await report({ from, to }, stranger);
    compare(theirs, strangerWs, from, to);
    expect(theirs.totals.steps[1]!.count).toBeLessThanOrEqual(400);
    const ours = generated.funnels.find((f) => f.workspaceId === ws)!;
    const peek = await stranger.rpc.api.handoff.$get({ query: { funnel: ours.id } });
    expect(peek.status).toBe(404);
    expect(await peek.text()).not.toContain(ours.name);
  });
  it("files deals made through the API under the lead's source, else their attribution's, and counts a won move", async () => {
    const shop = t.client();
    const shopWs = (await shop.signup('owner@podcast.test')).workspaceId;
    const pipeline = await createPipeline(shop, 'Shop', 'b2c');
    const now = t.clock.now();
    await t.database.db
      .insert(leads)
      .values({ id: 'lead-pod', workspaceId: shopWs, email: 'pod@example.com', source: 'podcast', createdAt: now, updatedAt: now });
    const fromLead = await createDeal(shop, {
      name: 'Ava',
      valueMinor: 25_000,
      pipelineId: pipeline.id,
      leadId: 'lead-pod',
      attribution: { source: 'google' },
    });
    await createDeal(shop, { name: 'Walk-in', valueMinor: 4_000, pipelineId: pipeline.id, attribution: { source: 'google' } });
    await createDeal(shop, { name: 'Unknown', valueMinor: 1_000, pipelineId: pipeline.id });
    t.clock.advance(60_000);
    await json(
      await shop.rpc.api.deals[':id'].move.$post({ param: { id: fromLead.id }, json: { stageId: stageNamed(pipeline, 'Closed won').id } }),
      200,
    );

    const r = await report({}, shop);
    const steps = (source: string) =>
      Object.fromEntries(r.bySource.find((s) => s.source === source)!.steps.map((s) => [s.step, [s.count, s.values ?? null]]));
    expect(steps('podcast')).toEqual({
      visitors: [0, null],
      leads: [1, null],
      qualified: [0, null],
      deals: [1, [{ currency: 'USD', valueMinor: 25_000 }]],
      won: [1, [{ currency: 'USD', valueMinor: 25_000 }]],
    });
    expect(steps('google')).toMatchObject({ leads: [0, null], deals: [1, [{ currency: 'USD', valueMinor: 4_000 }]], won: [0, []] });
    expect(steps('')).toMatchObject({ deals: [1, [{ currency: 'USD', valueMinor: 1_000 }]] });
    expect(r.bySource.map((s) => s.source).sort()).toEqual(['', 'google', 'podcast']);
  });

  it('reads leads and deals in one pass over their covering indexes, without sorting', async () => {
    const q = handoffQueries(ws, START, START + DAYS * DAY);
    const withFunnel = handoffQueries(ws, START, START + DAYS * DAY, generated.funnels[0]!.id);
    for (const [query, index] of [
      [q.leads, 'leads_ws_handoff_idx'],
      [q.deals, 'deals_ws_handoff_idx'],
      [withFunnel.leads, 'leads_ws_handoff_idx'],
      [withFunnel.deals, 'deals_ws_handoff_idx'],
    ] as const) {
      const plan = (await t.database.db.all<{ detail: string }>(sql`explain query plan ${query}`)).map((r) => r.detail);
      expect(plan[0]).toMatch(new RegExp(`^SEARCH \\w+ USING COVERING INDEX ${index} \\(workspace_id=\\?`));
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  });
});
