/**
 * The funnel report must equal, exactly, an independent recomputation from the visitor journeys —
 * however the events arrive: shuffled, in random batches, duplicated inside and across batches,
 * whole batches redelivered. The model below re-implements issue 4's rules directly from the
 * journeys (no engine code except the duration bucket function, which defines the histogram).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { funnels, workspaces } from '../../db/schema';
import type { Database } from '../../db/types';
import { bucketRangeMs, bucketValueMs, durationBucket } from '../../workers/domain/durations';
import { ingestBatch, type IngestEvent, type Touch } from '../../workers/services/ingest';
import type { FunnelReport } from '../../workers/contract';
import { funnelReport, funnelSections } from '../../workers/services/funnel-report';
import { freshDatabase } from '../support/app';

const STAGES = ['awareness', 'interest', 'evaluation', 'desire', 'sale', 'retention'] as const;
type Stage = (typeof STAGES)[number];
const TYPES = [
  'page_view',
  'engaged',
  'cta_click',
  'form_start',
  'form_submit',
  'quiz_start',
  'quiz_answer',
  'quiz_complete',
  'lead_magnet_download',
  'chat_email',
  'offer_view',
  'checkout_start',
  'purchase',
  'repeat_purchase',
  'refund',
  'unsubscribe',
] as const;
type Type = (typeof TYPES)[number];

/** Issue 4, "Stages": the default rules, written out again on purpose. */
const RULES: Record<Type, Stage | null> = {
  page_view: 'awareness',
  engaged: 'interest',
  cta_click: 'interest',
  quiz_start: 'interest',
  form_submit: 'evaluation',
  quiz_complete: 'evaluation',
  lead_magnet_download: 'evaluation',
  chat_email: 'evaluation',
  offer_view: 'desire',
  checkout_start: 'desire',
  purchase: 'sale',
  repeat_purchase: 'retention',
  form_start: null,
  quiz_answer: null,
  refund: null,
  unsubscribe: null,
};

interface Overrides {
  events?: Partial<Record<Type, Stage | null>>;
  pages?: Record<string, Stage>;
}

const DAY = 24 * 60 * 60 * 1000;
const BASE = Date.UTC(2026, 0, 10); // a Saturday; days 2026-01-10 … 2026-01-16
const SLUGS = ['home', 'pricing', 'quiz', 'offer'] as const;
const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const dayOffset = (n: number) => day(BASE + n * DAY);

// ── Journeys ────────────────────────────────────────────────────────────────

interface JourneyEvent {
  id: string;
  workspaceId: string;
  visitorId: string;
  funnelId: string | null;
  type: Type;
  occurredAt: number;
  pageSlug: string | null;
  touch: Touch | null;
}

interface Scenario {
  overrides: [Overrides, Overrides];
  events: JourneyEvent[];
}

const touchArb: fc.Arbitrary<Touch | null> = fc.oneof(
  fc.constant(null),
  fc.record({
    source: fc.constantFrom('google', 'facebook', 'newsletter'),
    medium: fc.constantFrom('cpc', 'email', 'social'),
    campaign: fc.constantFrom('spring', 'launch', ''),
  }),
  fc.record({ source: fc.constantFrom('google', 'bing') }, { requiredKeys: [] }),
  fc.constant({ landingPage: '/p/demo/home' }),
);

/** Times over seven days; some collide on purpose (ties, zero durations, day edges). */
const timeArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 7 * DAY - 1 }).map((t) => BASE + t) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 999, 1000, 60_000, DAY - 1, DAY, DAY + 500, 3 * DAY, 3 * DAY + 1).map((t) => BASE + t) },
);

const overridesArb: fc.Arbitrary<Overrides> = fc.oneof(
  fc.constant({}),
  fc.record(
    {
      events: fc.dictionary(fc.constantFrom(...TYPES), fc.constantFrom(null, ...STAGES), { maxKeys: 3 }),
      pages: fc.dictionary(fc.constantFrom(...SLUGS), fc.constantFrom(...STAGES), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  ),
);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    overrides: fc.tuple(overridesArb, overridesArb),
    funnelCount: fc.integer({ min: 1, max: 2 }),
    visitors: fc.array(
      fc.array(
        fc.record({
          funnel: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.constant(-1) }),
          type: fc.oneof(
            { weight: 3, arbitrary: fc.constant('page_view') },
            { weight: 1, arbitrary: fc.constant('purchase') },
            { weight: 6, arbitrary: fc.constantFrom(...TYPES) },
          ),
          at: timeArb,
          // Often the very time of an earlier event of the journey: same-millisecond ties are where order bugs hide.
          sameTimeAs: fc.option(fc.nat(), { freq: 3 }),
          pageSlug: fc.constantFrom(null, ...SLUGS),
          touch: touchArb,
        }),
        { minLength: 1, maxLength: 8 },
      ),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ overrides, funnelCount, visitors }) => ({
    overrides,
    events: visitors.flatMap((journey, v) =>
      journey
        .reduce<Array<(typeof journey)[number]>>(
          (done, e, i) => [...done, { ...e, at: e.sameTimeAs === null || i === 0 ? e.at : done[e.sameTimeAs % i]!.at }],
          [],
        )
        .map((e, i) => ({
          id: `e-${v}-${i}`,
          workspaceId: 'ws-a',
          visitorId: `v-${v}`,
          funnelId: e.funnel < 0 ? null : `f-${Math.min(e.funnel, funnelCount - 1)}`,
          type: e.type,
          occurredAt: e.at,
          pageSlug: e.type === 'page_view' ? e.pageSlug : null,
          // Touches ride on page views (other events carry none).
          touch: e.type === 'page_view' ? e.touch : null,
        })),
    ),
  }));

/** Delivery: a shuffle of all events plus duplicates, cut into batches; some batches sent again later. */
interface Delivery {
  batches: JourneyEvent[][];
}
const deliveryArb = (events: JourneyEvent[]): fc.Arbitrary<Delivery> =>
  fc
    .record({
      dupes: fc.array(fc.constantFrom(...events), { maxLength: Math.ceil(events.length / 2) }),
      cuts: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 }),
      seed: fc.integer(),
      redeliver: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
    })
    .chain(({ dupes, cuts, redeliver }) => {
      const all = [...events, ...dupes];
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }).map((shuffled) => {
        const batches: JourneyEvent[][] = [];
        let i = 0;
        for (let c = 0; i < shuffled.length; c++) {
          const size = cuts[c % cuts.length]!;
          batches.push(shuffled.slice(i, i + size));
          i += size;
        }
        // A redelivered queue message: batch `which` again, at position `where` (after it was first sent).
        for (const [which, where] of redeliver) {
          const w = which % batches.length;
          const pos = w + 1 + (where % (batches.length - w));
          batches.splice(
            pos,
            0,
            batches[w]!.map((e) => ({ ...e })),
          );
        }
        return { batches };
      });
    });

const periodArb = fc
  .record({ start: fc.integer({ min: -2, max: 7 }), length: fc.integer({ min: 1, max: 5 }) })
  .map(({ start, length }) => ({ from: dayOffset(start), to: dayOffset(start + length - 1) }));

// ── Independent model ───────────────────────────────────────────────────────

function stageOf(e: JourneyEvent, o: Overrides): Stage | null {
  if (e.type === 'page_view' && e.pageSlug !== null && o.pages && Object.hasOwn(o.pages, e.pageSlug)) return o.pages[e.pageSlug]!;
  if (o.events && Object.hasOwn(o.events, e.type)) return o.events[e.type] ?? null;
  return RULES[e.type];
}

interface VisitorFunnel {
  reached: Array<number | null>;
  attribution: { source: string; medium: string; campaign: string };
  hasPageView: boolean;
}

const cmpTuple = (a: string[], b: string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};

/** Per (funnel, visitor): first-reach times and first-touch attribution, straight from the definitions. */
function model(events: JourneyEvent[], overridesByFunnel: Map<string, Overrides>): Map<string, Map<string, VisitorFunnel>> {
  const groups = new Map<string, JourneyEvent[]>();
  for (const e of events) {
    if (!e.funnelId || !overridesByFunnel.has(e.funnelId)) continue;
    const k = `${e.funnelId}|${e.visitorId}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const out = new Map<string, Map<string, VisitorFunnel>>();
  for (const [k, evs] of groups) {
    const [funnelId, visitorId] = k.split('|') as [string, string];
    const o = overridesByFunnel.get(funnelId)!;
    // Candidate times per stage: each event's own stage; purchases are a sale, the second one retention.
    const candidates: number[][] = STAGES.map(() => []);
    const purchases: number[] = [];
    for (const e of evs) {
      const stage = stageOf(e, o);
      if (stage === null) continue;
      if (e.type === 'purchase' && stage === 'sale') purchases.push(e.occurredAt);
      else candidates[STAGES.indexOf(stage)]!.push(e.occurredAt);
    }
    purchases.sort((a, b) => a - b);
    if (purchases.length >= 1) candidates[STAGES.indexOf('sale')]!.push(purchases[0]!);
    if (purchases.length >= 2) candidates[STAGES.indexOf('retention')]!.push(purchases[1]!);
    // Reaching a stage is reaching every earlier one: first time of s = min over candidates of stages ≥ s.
    const reached = STAGES.map((_, s) => {
      const ts = candidates.slice(s).flat();
      return ts.length ? Math.min(...ts) : null;
    });
    // Attribution: the earliest page view's UTM (none = direct, ''), ties broken by the smallest (source, medium, campaign).
    let attribution = { source: '', medium: '', campaign: '' };
    let best: { at: number; key: string[] } | null = null;
    for (const e of evs) {
      if (e.type !== 'page_view') continue;
      const key = [e.touch?.source ?? '', e.touch?.medium ?? '', e.touch?.campaign ?? ''];
      if (!best || e.occurredAt < best.at || (e.occurredAt === best.at && cmpTuple(key, best.key) < 0)) best = { at: e.occurredAt, key };
    }
    if (best) attribution = { source: best.key[0]!, medium: best.key[1]!, campaign: best.key[2]! };
    if (!out.has(funnelId)) out.set(funnelId, new Map());
    out.get(funnelId)!.set(visitorId, { reached, attribution, hasPageView: best !== null });
  }
  return out;
}

function expectedReport(
  funnel: { id: string; name: string },
  visitors: Map<string, VisitorFunnel>,
  period: { from: string; to: string },
): FunnelReport {
  const length = (Date.parse(period.to) - Date.parse(period.from)) / DAY + 1;
  const previous = { from: day(Date.parse(period.from) - length * DAY), to: day(Date.parse(period.from) - DAY) };
  const inRange = (at: number | null, p: { from: string; to: string }) => at !== null && day(at) >= p.from && day(at) <= p.to;
  const all = [...visitors.values()];
  const count = (s: number, p: { from: string; to: string }) => all.filter((v) => inRange(v.reached[s]!, p)).length;
  const current = STAGES.map((_, s) => count(s, period));
  const median = (s: number): number | null => {
    const buckets = all
      .filter((v) => inRange(v.reached[s]!, period))
      .map((v) => durationBucket(v.reached[s]! - v.reached[s - 1]!))
      .sort((a, b) => a - b);
    return buckets.length ? buckets[Math.floor((buckets.length - 1) / 2)]! : null;
  };
  const stages = STAGES.map((stage, s) => ({
    stage,
    visitors: current[s]!,
    conversionFromPrevious: s === 0 || current[s - 1] === 0 ? null : current[s]! / current[s - 1]!,
    conversionFromTop: current[0] === 0 ? null : current[s]! / current[0]!,
    dropOff: s === 0 ? null : current[s - 1]! - current[s]!,
    medianMsFromPrevious: s === 0 || median(s) === null ? null : bucketValueMs(median(s)!),
    medianRangeMs: s === 0 || median(s) === null ? null : bucketRangeMs(median(s)!),
    previousPeriodVisitors: count(s, previous),
  }));
  const bySourceMap = new Map<string, FunnelReport['bySource'][number]>();
  for (const v of all) {
    const { source, medium, campaign } = v.attribution;
    for (let s = 0; s < STAGES.length; s++) {
      if (!inRange(v.reached[s]!, period)) continue;
      const k = [source, medium, campaign].join('|');
      if (!bySourceMap.has(k))
        bySourceMap.set(k, { source, medium, campaign, stages: Object.fromEntries(STAGES.map((x) => [x, 0])) as Record<Stage, number> });
      bySourceMap.get(k)!.stages[STAGES[s]!]++;
    }
  }
  const bySource = [...bySourceMap.values()].sort(
    (a, b) => b.stages.awareness - a.stages.awareness || cmpTuple([a.source, a.medium, a.campaign], [b.source, b.medium, b.campaign]),
  );
  return { funnel, period, previousPeriod: previous, source: null, stages, bySource };
}

/**
 * The sections as people, straight from the modelled journeys: visitors who first arrived in the
 * period, by the furthest stage they reached (by now); with `source`, only that first touch's.
 */
function expectedSections(
  visitors: Map<string, VisitorFunnel>,
  period: { from: string; to: string },
  previous: { from: string; to: string },
  source?: string,
) {
  const inRange = (at: number | null, p: { from: string; to: string }) => at !== null && day(at) >= p.from && day(at) <= p.to;
  const furthest = (v: VisitorFunnel) => v.reached.reduce<number>((f, at, i) => (at !== null ? i : f), -1);
  const count = (p: { from: string; to: string }, test: (f: number) => boolean) =>
    [...visitors.values()].filter(
      (v) => inRange(v.reached[0]!, p) && test(furthest(v)) && (source === undefined || v.attribution.source === source),
    ).length;
  const figures = (p: { from: string; to: string }, first: number, last: number) => ({
    reached: count(p, (f) => f >= first),
    current: count(p, (f) => f >= first && f <= last),
  });
  return (
    [
      ['TOFU', 0, 0],
      ['MOFU', 1, 2],
      ['BOFU', 3, 5],
    ] as const
  ).map(([section, first, last]) => {
    const now = figures(period, first, last);
    return [section, now.reached, now.current, figures(previous, first, last)];
  });
}

// ── Database ────────────────────────────────────────────────────────────────

const opened: Database[] = [];
afterAll(() => opened.forEach((d) => d.client.close()));

async function setup(overrides: [Overrides, Overrides]) {
  const database = await freshDatabase('ingest-property');
  opened.push(database);
  const now = BASE;
  await database.db.insert(workspaces).values([
    { id: 'ws-a', name: 'A', createdAt: now },
    { id: 'ws-b', name: 'B', createdAt: now },
  ]);
  await database.db.insert(funnels).values([
    { id: 'f-0', workspaceId: 'ws-a', name: 'Funnel 0', slug: 'f0', settings: { stages: overrides[0] }, createdAt: now, updatedAt: now },
    { id: 'f-1', workspaceId: 'ws-a', name: 'Funnel 1', slug: 'f1', settings: { stages: overrides[1] }, createdAt: now, updatedAt: now },
    { id: 'f-b', workspaceId: 'ws-b', name: 'Other workspace', slug: 'fb', settings: {}, createdAt: now, updatedAt: now },
  ]);
  return database;
}

const toIngest = (e: JourneyEvent): IngestEvent => ({
  id: e.id,
  workspaceId: e.workspaceId,
  visitorId: e.visitorId,
  funnelId: e.funnelId,
  type: e.type,
  occurredAt: e.occurredAt,
  pageSlug: e.pageSlug,
  touch: e.touch,
});

async function snapshot({ client }: Database) {
  const q = async (sql: string) => (await client.execute(sql)).rows.map((r) => ({ ...r }));
  return {
    events: await q('select * from events order by id'),
    visitors: await q('select * from visitors order by id'),
    stages: await q('select * from visitor_stages order by funnel_id, visitor_id'),
    rollups: await q('select * from daily_rollups where visitors <> 0 order by funnel_id, day, stage, source, medium, campaign'),
    durations: await q('select * from stage_duration_rollups where visitors <> 0 order by funnel_id, day, stage, bucket'),
    people: await q('select * from people_rollups where visitors <> 0 order by funnel_id, day, furthest_stage, source'),
    /** The people rollup as migration 0014 backfills it, from the stage rows. */
    peopleFromStages: await q(`
      select workspace_id, funnel_id, date(awareness_at / 1000.0, 'unixepoch') as day, furthest_stage, source, count(*) as visitors
      from visitor_stages where awareness_at is not null and furthest_stage >= 0
      group by funnel_id, day, furthest_stage, source, workspace_id order by funnel_id, day, furthest_stage, source`),
  };
}

// ── Properties ──────────────────────────────────────────────────────────────

/** 25 keeps the file fast; INGEST_PROPERTY_RUNS=2000 for a longer hunt. */
const RUNS = Number(process.env.INGEST_PROPERTY_RUNS ?? 25);

describe('ingest → funnel report equals a recomputation from the journeys', () => {
  it(
    'holds for random journeys, random order, random batches, duplicates and redeliveries',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          scenarioArb.chain((scenario) =>
            fc.record({
              scenario: fc.constant(scenario),
              delivery: deliveryArb(scenario.events),
              periods: fc.array(periodArb, { minLength: 1, maxLength: 3 }),
            }),
          ),
          async ({ scenario, delivery, periods }) => {
            const database = await setup(scenario.overrides);
            try {
              let received = 0;
              let stored = 0;
              for (const [i, batch] of delivery.batches.entries()) {
                const result = await ingestBatch(database.client, batch.map(toIngest), BASE + 8 * DAY + i);
                received += result.received;
                stored += result.stored;
              }
              expect(stored).toBe(scenario.events.length);
              expect(received).toBe(delivery.batches.reduce((n, b) => n + b.length, 0));

              const overridesByFunnel = new Map([
                ['f-0', scenario.overrides[0]],
                ['f-1', scenario.overrides[1]],
              ]);
              const expected = model(scenario.events, overridesByFunnel);
              const snap = await snapshot(database);

              // Stored state: every event once, stage progress per (funnel, visitor), no negative cells.
              expect(snap.events.map((e) => e.id)).toEqual(scenario.events.map((e) => e.id).sort());
              const stageRows = snap.stages.filter((r) => Number(r.furthest_stage) >= 0);
              const expectedRows = [...expected].flatMap(([f, vs]) =>
                [...vs].filter(([, v]) => v.reached[0] !== null).map(([v, m]) => ({ f, v, m })),
              );
              expect(stageRows.map((r) => `${String(r.funnel_id)}|${String(r.visitor_id)}`).sort()).toEqual(
                expectedRows.map((r) => `${r.f}|${r.v}`).sort(),
              );
              for (const { f, v, m } of expectedRows) {
                const row = snap.stages.find((r) => r.funnel_id === f && r.visitor_id === v)!;
                expect(STAGES.map((s) => (row[`${s}_at`] === null ? null : Number(row[`${s}_at`])))).toEqual(m.reached);
                expect({ source: row.source, medium: row.medium, campaign: row.campaign }).toEqual(m.attribution);
              }
              for (const r of [...snap.rollups, ...snap.durations, ...snap.people]) expect(Number(r.visitors)).toBeGreaterThan(0);
              // Ingest's moves between people cells land where a regrouping of the stage rows would.
              expect(snap.people).toEqual(snap.peopleFromStages);

              // Visitors: first/last seen over all their events; first/last touch = the touch of the earliest/latest touched event.
              for (const v of new Set(scenario.events.map((e) => e.visitorId))) {
                const mine = scenario.events.filter((e) => e.visitorId === v);
                const row = snap.visitors.find((r) => r.id === v)!;
                expect(Number(row.first_seen_at)).toBe(Math.min(...mine.map((e) => e.occurredAt)));
                expect(Number(row.last_seen_at)).toBe(Math.max(...mine.map((e) => e.occurredAt)));
                const touched = mine
                  .filter((e) => e.touch)
                  .map((e) => ({ at: e.occurredAt, json: JSON.stringify({ at: e.occurredAt, ...e.touch }) }));
                const first = touched.reduce<(typeof touched)[number] | null>(
                  (b, t) => (!b || t.at < b.at || (t.at === b.at && t.json < b.json) ? t : b),
                  null,
                );
                const last = touched.reduce<(typeof touched)[number] | null>(
                  (b, t) => (!b || t.at > b.at || (t.at === b.at && t.json < b.json) ? t : b),
                  null,
                );
                expect(JSON.parse(String(row.first_touch))).toEqual(first ? JSON.parse(first.json) : {});
                expect(JSON.parse(String(row.last_touch))).toEqual(last ? JSON.parse(last.json) : {});
              }

              // The report, for each funnel and period.
              for (const [funnelId, name] of [
                ['f-0', 'Funnel 0'],
                ['f-1', 'Funnel 1'],
              ] as const) {
                for (const period of periods) {
                  const report = await funnelReport(database.db, 'ws-a', funnelId, period);
                  expect(report).toEqual(expectedReport({ id: funnelId, name }, expected.get(funnelId) ?? new Map(), period));
                  const people = await funnelSections(database.db, 'ws-a', funnelId, period);
                  expect(people.sections.map((x) => [x.section, x.reached, x.current, x.previous])).toEqual(
                    expectedSections(expected.get(funnelId) ?? new Map(), period, report.previousPeriod),
                  );
                  // Per first-touch source, '' (direct) included: the rollup keeps each visitor's current attribution.
                  for (const source of ['', 'google', 'facebook', 'newsletter', 'bing']) {
                    const one = await funnelSections(database.db, 'ws-a', funnelId, period, source);
                    expect(one.sections.map((x) => [x.section, x.reached, x.current, x.previous])).toEqual(
                      expectedSections(expected.get(funnelId) ?? new Map(), period, report.previousPeriod, source),
                    );
                  }
                }
              }
            } finally {
              opened.splice(opened.indexOf(database), 1);
              database.client.close();
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    Math.max(30_000, RUNS * 250),
  );
});

describe('idempotence and isolation', () => {
  const at = (d: number, h = 0) => BASE + d * DAY + h * 3_600_000;
  const ev = (id: string, visitorId: string, type: Type, occurredAt: number, extra: Partial<IngestEvent> = {}): IngestEvent => ({
    id,
    workspaceId: 'ws-a',
    visitorId,
    funnelId: 'f-0',
    type,
    occurredAt,
    ...extra,
  });
  const batch: IngestEvent[] = [
    ev('a1', 'va', 'page_view', at(0, 1), { touch: { source: 'google', medium: 'cpc', campaign: 'spring' }, pageSlug: 'home' }),
    ev('a2', 'va', 'engaged', at(0, 2)),
    ev('a3', 'va', 'purchase', at(1, 3)),
    ev('a4', 'va', 'purchase', at(2, 3)),
    ev('b1', 'vb', 'offer_view', at(1)),
    ev('b2', 'vb', 'page_view', at(2), { touch: { source: 'facebook' } }),
  ];

  it('ingesting the same batch twice leaves every table unchanged', async () => {
    const database = await setup([{}, {}]);
    expect(await ingestBatch(database.client, batch, at(3))).toMatchObject({ received: 6, stored: 6 });
    const once = await snapshot(database);
    const report = await funnelReport(database.db, 'ws-a', 'f-0', { from: dayOffset(0), to: dayOffset(2) });
    expect(await ingestBatch(database.client, batch, at(4))).toEqual({ received: 6, stored: 0, changedVisitors: new Map() });
    expect(await ingestBatch(database.client, [...batch].reverse().slice(2), at(5))).toEqual({
      received: 4,
      stored: 0,
      changedVisitors: new Map(),
    });
    expect(await snapshot(database)).toEqual(once);
    expect(await funnelReport(database.db, 'ws-a', 'f-0', { from: dayOffset(0), to: dayOffset(2) })).toEqual(report);
    expect(report.stages.map((s) => s.visitors)).toEqual([2, 2, 2, 2, 1, 1]);
    expect(report.bySource.map((s) => [s.source, s.stages.awareness])).toEqual([
      ['facebook', 1],
      ['google', 1],
    ]);
  });

  it('a batch of many statements (over 250 rows per table) stores what small batches store', async () => {
    // 300 visitors × 4 events: events, visitors and stage rows each span more than one statement.
    const many = Array.from({ length: 300 }, (_, i) => {
      const v = `v${String(i).padStart(3, '0')}`;
      return [
        ev(`${v}-1`, v, 'page_view', at(0, i % 24), { touch: { source: `s${i % 7}` }, pageSlug: 'home' }),
        ev(`${v}-2`, v, 'engaged', at(0, i % 24) + 60_000),
        ev(`${v}-3`, v, i % 3 ? 'quiz_complete' : 'offer_view', at(1, i % 24)),
        ev(`${v}-4`, v, 'purchase', at(2, i % 24), { props: { amountMinor: 100 + i, currency: 'USD' } }),
      ];
    }).flat();
    const whole = await setup([{}, {}]);
    expect(await ingestBatch(whole.client, many, at(3))).toMatchObject({ received: 1200, stored: 1200 });
    const pieces = await setup([{}, {}]);
    for (let i = 0; i < many.length; i += 7) await ingestBatch(pieces.client, many.slice(i, i + 7), at(3));
    expect(await snapshot(whole)).toEqual(await snapshot(pieces));
    const props = await whole.client.execute(`select props from events where id = 'v007-4'`);
    expect(JSON.parse(String(props.rows[0]!.props))).toEqual({ amountMinor: 107, currency: 'USD' });
  });

  it("another workspace's or funnel's events do not leak into a report", async () => {
    const database = await setup([{}, {}]);
    await ingestBatch(database.client, batch, at(3));
    const before = await funnelReport(database.db, 'ws-a', 'f-0', { from: dayOffset(0), to: dayOffset(6) });
    const before1 = await funnelReport(database.db, 'ws-a', 'f-1', { from: dayOffset(0), to: dayOffset(6) });
    await ingestBatch(
      database.client,
      [
        // Same visitor ids, other funnel of the same workspace.
        ev('x2', 'vc', 'page_view', at(1), { funnelId: 'f-1' }),
        ev('x3', 'va', 'repeat_purchase', at(1), { funnelId: 'f-1' }),
        // Another workspace's funnel and visitors.
        ev('y1', 'vz', 'page_view', at(0), { workspaceId: 'ws-b', funnelId: 'f-b' }),
        ev('y2', 'va', 'purchase', at(0), { workspaceId: 'ws-b', funnelId: 'f-b' }),
        // Events claiming a funnel that is not their workspace's, or no funnel, or an unknown one.
        ev('z1', 'vz', 'purchase', at(0), { workspaceId: 'ws-b', funnelId: 'f-0' }),
        ev('z2', 'vz', 'page_view', at(0), { workspaceId: 'ws-b', funnelId: 'f-0', touch: { source: 'spam' } }),
        ev('z3', 'va', 'purchase', at(0), { funnelId: null }),
        ev('z4', 'va', 'purchase', at(0), { funnelId: 'no-such-funnel' }),
      ],
      at(3),
    );
    expect(await funnelReport(database.db, 'ws-a', 'f-0', { from: dayOffset(0), to: dayOffset(6) })).toEqual(before);
    const after1 = await funnelReport(database.db, 'ws-a', 'f-1', { from: dayOffset(0), to: dayOffset(6) });
    expect(before1.stages.every((s) => s.visitors === 0)).toBe(true);
    expect(after1.stages.map((s) => s.visitors)).toEqual([2, 1, 1, 1, 1, 1]);
    const fb = await funnelReport(database.db, 'ws-b', 'f-b', { from: dayOffset(0), to: dayOffset(6) });
    expect(fb.stages.map((s) => s.visitors)).toEqual([2, 1, 1, 1, 1, 0]);
    // A report is scoped to the workspace that owns the funnel.
    await expect(funnelReport(database.db, 'ws-b', 'f-0', { from: dayOffset(0), to: dayOffset(6) })).rejects.toMatchObject({ status: 404 });
    // The mismatched events are still stored once (idempotency), they just advance nothing.
    const stored = await database.client.execute("select count(*) as n from events where id in ('z1','z2','z3','z4')");
    expect(Number(stored.rows[0]!.n)).toBe(4);
    const rows = await database.client.execute("select count(*) as n from visitor_stages where visitor_id = 'vz' and funnel_id = 'f-0'");
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });
});
