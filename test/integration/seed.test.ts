import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const counts = async () =>
  t.database.db.all<Record<string, number>>(
    sql`select (select count(*) from users) u, (select count(*) from workspaces) w, (select count(*) from pipelines) p,
               (select count(*) from pipeline_stages) s, (select count(*) from deals) d, (select count(*) from funnels) f`,
  );

describe('demo seed', () => {
  it('creates the article’s demo data once, and is a no-op the second time', async () => {
    const first = await seedDemo(t.database, { clock: t.clock.now });
    expect(first.created).toContain('5 published demo pages');
    expect(first.created).toContain('400 demo visitor journeys');
    expect(first.created.length).toBe(8);
    const after = await counts();
    const second = await seedDemo(t.database, { clock: t.clock.now });
    expect(second.created).toEqual([]);
    expect(await counts()).toEqual(after);
  });

  it('lets the demo user sign in and see Demo Shop with both pipelines', async () => {
    const client = t.client();
    expect((await client.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } })).status).toBe(200);
    const me = await (await client.rpc.api.me.$get()).json();
    expect(me.workspaces).toEqual([expect.objectContaining({ name: 'Demo Shop', role: 'owner' })]);

    const { pipelines } = await (await client.rpc.api.pipelines.$get()).json();
    const b2c = pipelines.find((p) => p.name === 'Demo B2C e-commerce pipeline - 1')!;
    expect(b2c.stages.map((s) => s.name)).toEqual([
      'Lead generation',
      'Lead qualification',
      'Browse abandonment',
      'Checkout abandonment',
      'Closed won',
      'Closed lost',
      'Post-purchase',
    ]);
    const probabilities = b2c.stages.filter((s) => s.kind === 'open').map((s) => s.winProbability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => a - b)); // rises towards the close
    expect(b2c.stages.find((s) => s.id === b2c.wonStageId)!.name).toBe('Closed won');
    expect(b2c.stages.find((s) => s.id === b2c.lostStageId)!.name).toBe('Closed lost');
    expect(b2c.stages[0]).toMatchObject({ dealCount: 1, totals: [{ currency: 'USD', count: 1, valueMinor: 25_000 }] });

    const b2b = pipelines.find((p) => p !== b2c)!;
    expect(b2b.stages.map((s) => s.name)).toEqual([
      'Prospecting',
      'Lead qualification',
      'Demo or meeting',
      'Proposal',
      'Negotiation',
      'Closed won',
      'Closed lost',
      'Post-purchase',
    ]);

    const board = await (await client.rpc.api.pipelines[':id'].board.$get({ param: { id: b2c.id }, query: {} })).json();
    expect(board.columns[0]!.deals).toEqual([
      expect.objectContaining({
        name: 'Cosmetics set - Ava Smith',
        valueMinor: 25_000,
        currency: 'USD',
        nextActivity: expect.objectContaining({
          type: 'task',
          subject: 'Send Ava the travel-size samples',
          hasTime: false,
          overdue: false,
        }),
      }),
    ]);
    // The demo member's day: the task due today (tomorrow's call is not in it yet).
    const mine = await (await client.rpc.api.activities.mine.$get({ query: {} })).json();
    expect(mine.activities.map((a) => [a.subject, a.due, a.deal.name])).toEqual([
      ['Send Ava the travel-size samples', 'today', 'Cosmetics set - Ava Smith'],
    ]);
  });

  it('records the demo funnel "Cosmetics set" at slug cosmetics-set', async () => {
    const rows = await t.database.db.all<{ name: string; slug: string }>(sql`select name, slug from funnels`);
    expect(rows).toEqual([{ name: 'Cosmetics set', slug: 'cosmetics-set' }]);
    const pages = await t.database.db.all<{ slug: string; published: string | null }>(
      sql`select slug, published_version_id as published from funnel_pages order by position`,
    );
    expect(pages.map((p) => p.slug)).toEqual(['landing', 'quiz', 'guide', 'offer', 'thanks']);
    expect(pages.every((p) => p.published)).toBe(true);
  });

  it('seeds a few hundred journeys, so the demo funnel report shows real numbers', async () => {
    const client = t.client();
    await client.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } });
    const { funnels } = await (await client.rpc.api.funnels.$get()).json();
    const report = await (await client.rpc.api.funnels[':id'].report.$get({ param: { id: funnels[0]!.id }, query: {} })).json();
    const counts = report.stages.map((s) => s.visitors);
    expect(counts[0]).toBe(400);
    expect(counts).toEqual([...counts].sort((a, b) => b - a)); // "reached at least this far"
    expect(counts[4]).toBeGreaterThan(0); // some bought
    expect(counts[5]).toBeGreaterThan(0); // and some came back
    expect(report.bySource.map((s) => s.source)).toEqual(expect.arrayContaining(['instagram', 'google', 'newsletter', 'tiktok', '']));
    expect(report.bySource.reduce((n, s) => n + s.stages.awareness, 0)).toBe(400);
    const { sections } = await (await client.rpc.api.funnels[':id'].sections.$get({ param: { id: funnels[0]!.id }, query: {} })).json();
    expect(sections.map((s) => s.section)).toEqual(['TOFU', 'MOFU', 'BOFU']);
    expect(sections[0]!.reached).toBe(400); // every journey arrived in the period: people, once each
    expect(sections.reduce((n, s) => n + s.current, 0)).toBe(400);
    expect(sections[1]!.reached).toBeLessThanOrEqual(sections[0]!.reached);
    expect(sections[2]!.reached).toBeLessThanOrEqual(sections[1]!.reached);

    // The funnel page's per-page numbers count the same journeys: every visitor viewed the landing page.
    const stats = await (await client.rpc.api.funnels[':id']['page-stats'].$get({ param: { id: funnels[0]!.id }, query: {} })).json();
    const views = Object.fromEntries(stats.pages.map((p) => [p.slug, p.views]));
    expect(views.landing).toBeGreaterThanOrEqual(400);
    expect(views.quiz).toBeGreaterThan(0);
    expect(views.offer).toBeGreaterThan(0);
  });
});

describe('demo seed with leads (npm start, npm run db:seed)', () => {
  let s: TestApp;
  let first: string[];
  beforeAll(async () => {
    s = await createTestApp();
    first = (await seedDemo(s.database, { clock: s.clock.now, leads: true })).created;
  });
  afterAll(() => s.close());

  it('turns the journeys that reached the quiz or the ebook into leads through the landing pages, each linked to its visitor', async () => {
    const leadLine = first.find((line) => line.endsWith(' demo leads'));
    expect(leadLine).toBeDefined();
    const leads = Number(leadLine!.split(' ')[0]);
    expect(leads).toBeGreaterThan(50);
    const [row] = await s.database.db.all<{ leads: number; linked: number; submissions: number; evaluators: number }>(sql`
      select (select count(*) from leads) leads,
             (select count(distinct lead_id) from visitors where lead_id is not null) linked,
             (select count(*) from form_submissions) submissions,
             (select count(distinct visitor_id) from events where id like 'seed-%' and type in ('quiz_complete', 'lead_magnet_download')) evaluators`);
    expect(row).toEqual({ leads, linked: leads, submissions: leads, evaluators: leads });
  });

  it('gives the dashboard a handoff with numbers at every step, and the board its qualified, won and abandoned deals', async () => {
    const client = s.client();
    await client.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } });
    const handoff = await (await client.rpc.api.handoff.$get({ query: {} })).json();
    const [visitors, leads, qualified, deals, won] = handoff.totals.steps;
    expect(visitors!.count).toBe(400);
    for (const step of [leads, qualified, deals, won]) expect(step!.count).toBeGreaterThan(0);
    expect(won!.values).toEqual([{ currency: 'USD', valueMinor: won!.count * 25_000 }]);

    const stages = await s.database.db.all<{ name: string; n: number }>(sql`
      select s.name, count(*) n from deals d join pipeline_stages s on s.id = d.stage_id group by s.name`);
    const byStage = Object.fromEntries(stages.map((r) => [r.name, r.n]));
    expect(byStage['Lead qualification']).toBeGreaterThan(0); // the qualification rule
    expect(byStage['Closed won']).toBeGreaterThan(0); // purchases, by the automations
  });

  it('adds no second set of leads when run again', async () => {
    const again = await seedDemo(s.database, { clock: s.clock.now, leads: true });
    expect(again.created).toEqual([]);
  });
});
