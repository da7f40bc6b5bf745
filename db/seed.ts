/**
 * Demo data from the article: the "Demo Shop" workspace, its B2C and B2B pipelines, the
 * "Cosmetics set - Ava Smith" deal and the "Cosmetics set" funnel. Idempotent: every piece is
 * looked up by its natural key first, so running it again adds only what is missing.
 */
import { and, eq } from 'drizzle-orm';
import {
  activities,
  deals,
  dealStageHistory,
  funnelPages,
  funnels,
  memberships,
  pipelineStages,
  pipelines,
  qualificationRules,
  users,
  workspaces,
} from './schema';
import { ingestTarget, type Database, type Db } from './types';
import { newId as defaultNewId, type IdGenerator } from '../workers/domain/ids';
import { hashPassword } from '../workers/domain/password';
import { PIPELINE_TEMPLATES } from '../workers/domain/pipeline-templates';
import type { ScoringConfig } from '../workers/domain/scoring';
import { CHAT_CAPTURE_OFFER } from '../workers/domain/templates/chat-capture-offer';
import { pipelineFromTemplate } from '../workers/services/pipelines';
import { enableDefaultAutomations } from '../workers/services/automations';
import { createPage, publishPage } from '../workers/services/funnels';
import { createFunnelFromTemplate } from '../workers/services/templates';
import { bundledTemplates } from '../workers/node/template-catalog';
import type { ServiceCtx } from '../workers/services/context';
import type { PageCache } from '../workers/services/ports';
import { renderPublishedHtml } from '../pages-ui/landing/funnel-page';
import { ingestBatch, type IngestEvent, type Touch } from '../workers/services/ingest';
import { captureDemoLeads, type DemoEvaluator } from './seed-demo-leads';

export const DEMO = {
  email: 'demo@leadflare.test',
  password: 'leadflare-demo',
  name: 'Demo Marketer',
  workspace: 'Demo Shop',
  b2cPipeline: 'Demo B2C e-commerce pipeline - 1',
  b2bPipeline: 'Demo B2B sales pipeline',
  deal: { name: 'Cosmetics set - Ava Smith', valueMinor: 25_000, currency: 'USD' },
  activities: [
    { type: 'task', subject: 'Send Ava the travel-size samples', dueInMs: 0, hasTime: false, durationMinutes: null },
    { type: 'call', subject: 'Call Ava about the travel size', dueInMs: 34 * 60 * 60 * 1000, hasTime: true, durationMinutes: 15 },
  ],
  funnel: { name: 'Cosmetics set', slug: 'cosmetics-set' },
} as const;

const startOfUtcDay = (ms: number) => ms - (ms % (24 * 60 * 60 * 1000));

export interface SeedOptions {
  /** Required, so the seed and whatever reads it later (a test's app, the server) share one clock. */
  clock: () => number;
  newId?: IdGenerator;
  /**
   * Also make the journeys that reached the quiz or the ebook into leads, through the real landing
   * pages (db/seed-demo-leads.ts), so the handoff and the board have numbers. `npm start` and
   * `npm run db:seed` ask for it; tests seed without, so the leads and deals they count are their own.
   */
  leads?: boolean;
}

export interface SeedResult {
  created: string[];
  workspaceId: string;
}

export async function seedDemo(database: Database, options: SeedOptions): Promise<SeedResult> {
  const { db } = database;
  const { clock } = options;
  const newId = options.newId ?? (() => defaultNewId(clock()));
  const ctx = { db, clock, newId };
  const now = clock();
  const created: string[] = [];

  let [user] = await db.select().from(users).where(eq(users.email, DEMO.email));
  if (!user) {
    const values = {
      id: newId(),
      email: DEMO.email,
      name: DEMO.name,
      passwordHash: await hashPassword(DEMO.password),
      createdAt: now,
      emailVerifiedAt: now,
    };
    await db.insert(users).values(values);
    user = values;
    created.push(`user ${DEMO.email}`);
  }

  const workspaceId = await ensureWorkspace(db, user.id, newId, now, created);

  const b2c = await ensurePipeline(ctx, workspaceId, DEMO.b2cPipeline, 'b2c', created);
  await ensurePipeline(ctx, workspaceId, DEMO.b2bPipeline, 'b2b', created);

  const [deal] = await db
    .select({ id: deals.id })
    .from(deals)
    .where(and(eq(deals.workspaceId, workspaceId), eq(deals.name, DEMO.deal.name)));
  if (!deal) {
    const [firstStage] = await db
      .select()
      .from(pipelineStages)
      .where(and(eq(pipelineStages.pipelineId, b2c), eq(pipelineStages.name, 'Lead generation')));
    if (!firstStage) throw new Error('Demo pipeline has no "Lead generation" stage');
    const dealId = newId();
    await db.batch([
      db.insert(deals).values({
        id: dealId,
        workspaceId,
        pipelineId: b2c,
        stageId: firstStage.id,
        position: 0,
        name: DEMO.deal.name,
        valueMinor: DEMO.deal.valueMinor,
        currency: DEMO.deal.currency,
        ownerId: user.id,
        attribution: { campaign: 'Cosmetics set' },
        origin: 'manual',
        stageEnteredAt: now,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(dealStageHistory).values({
        id: newId(),
        workspaceId,
        dealId,
        pipelineId: b2c,
        fromStageId: null,
        toStageId: firstStage.id,
        movedBy: user.id,
        movedAt: now,
      }),
      // Its next steps, so the deal page, the board card and "My activities" have something to show:
      // a task due today (all day) and a call at 10:00 UTC tomorrow.
      db.insert(activities).values(
        DEMO.activities.map((a) => ({
          id: newId(),
          workspaceId,
          dealId,
          type: a.type,
          subject: a.subject,
          dueAt: startOfUtcDay(now) + a.dueInMs,
          hasTime: a.hasTime,
          durationMinutes: a.durationMinutes,
          assigneeId: user.id,
          createdBy: user.id,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    ]);
    created.push(`deal "${DEMO.deal.name}"`);
  }

  const pageCtx = { ...ctx, pageCache: NO_CACHE, renderPublishedPage: renderPublishedHtml, templates: bundledTemplates };
  let [funnel] = await db.select({ id: funnels.id }).from(funnels).where(eq(funnels.slug, DEMO.funnel.slug));
  if (!funnel) {
    // The "Chat capture + offer" template, published, as any workspace can create it from the gallery.
    const made = await createFunnelFromTemplate(pageCtx, workspaceId, user.id, CHAT_CAPTURE_OFFER.id, {
      name: DEMO.funnel.name,
      slug: DEMO.funnel.slug,
      pipelineId: b2c,
      publish: true,
    });
    funnel = { id: made.funnel.id };
    created.push(`funnel "${DEMO.funnel.name}"`, `${made.funnel.pages.length} published demo pages`);
  } else {
    // A funnel seeded by an older version: what it lacks is added piece by piece.
    if (await ensureDemoQualification(ctx, workspaceId, funnel.id, b2c)) created.push('demo lead scoring and qualification rule');
    await ensureDemoPages(pageCtx, workspaceId, funnel.id, user.id, created);
  }
  // The article's B2C automations on the demo pipeline, fed by the demo funnel (once: a saved configuration is kept).
  await enableDefaultAutomations(db, workspaceId, b2c, [funnel.id], now);
  const journeys = await ensureDemoJourneys(database, workspaceId, funnel.id, now);
  if (journeys) created.push(`${DEMO_JOURNEYS} demo visitor journeys`);
  // Only with new journeys: their visitors are who becomes a lead, once.
  if (journeys && options.leads) {
    const leads = await captureDemoLeads(database, funnel.id, DEMO.funnel.slug, journeys.evaluators, now);
    created.push(`${leads} demo leads`);
  }
  return { created, workspaceId };
}

async function ensureWorkspace(db: Db, userId: string, newId: IdGenerator, now: number, created: string[]): Promise<string> {
  const [existing] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .innerJoin(memberships, eq(memberships.workspaceId, workspaces.id))
    .where(and(eq(memberships.userId, userId), eq(workspaces.name, DEMO.workspace)));
  if (existing) return existing.id;
  const id = newId();
  await db.batch([
    db.insert(workspaces).values({ id, name: DEMO.workspace, createdAt: now }),
    db.insert(memberships).values({ workspaceId: id, userId, role: 'owner', createdAt: now }),
  ]);
  created.push(`workspace "${DEMO.workspace}"`);
  return id;
}

async function ensurePipeline(
  ctx: { db: Db; clock: () => number; newId: IdGenerator },
  workspaceId: string,
  name: string,
  template: 'b2b' | 'b2c',
  created: string[],
): Promise<string> {
  const { db } = ctx;
  const [existing] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.name, name)));
  if (existing) return existing.id;
  const { pipeline, stages } = pipelineFromTemplate(ctx, workspaceId, PIPELINE_TEMPLATES[template], name);
  await db.batch([db.insert(pipelines).values(pipeline), db.insert(pipelineStages).values(stages)]);
  created.push(`pipeline "${name}"`);
  return pipeline.id;
}

/** Demo lead scoring: the template's (workers/domain/templates/chat-capture-offer.ts). */
export const DEMO_SCORING: ScoringConfig = CHAT_CAPTURE_OFFER.scoring;
const demoMinScore = CHAT_CAPTURE_OFFER.qualification.conditions.find((c) => c.kind === 'score_at_least');
export const DEMO_RULE = {
  name: CHAT_CAPTURE_OFFER.qualification.name,
  minScore: demoMinScore?.kind === 'score_at_least' ? demoMinScore.score : 0,
  campaign: CHAT_CAPTURE_OFFER.qualification.campaign!,
  stage: CHAT_CAPTURE_OFFER.qualification.stage,
};

/**
 * The demo funnel's scoring config and its rule: score ≥ 60 → a "Cosmetics set - <name>" deal worth
 * the $250 offer in the B2C pipeline's "Lead qualification" stage, owners in turn. True if anything was added.
 */
async function ensureDemoQualification(
  ctx: { db: Db; clock: () => number; newId: IdGenerator },
  workspaceId: string,
  funnelId: string,
  pipelineId: string,
): Promise<boolean> {
  const { db } = ctx;
  const now = ctx.clock();
  const [funnel] = await db.select({ settings: funnels.settings }).from(funnels).where(eq(funnels.id, funnelId));
  const addScoring = funnel !== undefined && funnel.settings.scoring === undefined;
  if (addScoring)
    await db
      .update(funnels)
      .set({ settings: { ...funnel.settings, scoring: DEMO_SCORING } })
      .where(eq(funnels.id, funnelId));
  const [rule] = await db
    .select({ id: qualificationRules.id })
    .from(qualificationRules)
    .where(and(eq(qualificationRules.funnelId, funnelId), eq(qualificationRules.name, DEMO_RULE.name)));
  if (rule) return addScoring;
  const [stage] = await db
    .select({ id: pipelineStages.id })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.pipelineId, pipelineId), eq(pipelineStages.name, DEMO_RULE.stage)));
  if (!stage) throw new Error(`Demo pipeline has no "${DEMO_RULE.stage}" stage`);
  await db.insert(qualificationRules).values({
    id: ctx.newId(),
    workspaceId,
    funnelId,
    name: DEMO_RULE.name,
    position: 0,
    enabled: true,
    conditions: CHAT_CAPTURE_OFFER.qualification.conditions,
    action: {
      pipelineId,
      stageId: stage.id,
      value: CHAT_CAPTURE_OFFER.qualification.value,
      currency: CHAT_CAPTURE_OFFER.qualification.currency,
      nameTemplate: CHAT_CAPTURE_OFFER.qualification.nameTemplate,
      campaign: DEMO_RULE.campaign,
      owner: { kind: 'round_robin' },
    },
    createdAt: now,
    updatedAt: now,
  });
  return true;
}

/** The seed runs outside a server: there is no page cache to invalidate. */
const NO_CACHE: PageCache = { get: async () => undefined, put: async () => {}, delete: async () => {} };

/** The demo funnel's pages, each published once; pages that already exist are left as they are. */
async function ensureDemoPages(
  ctx: Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'pageCache' | 'renderPublishedPage'>,
  workspaceId: string,
  funnelId: string,
  userId: string,
  created: string[],
): Promise<void> {
  const existing = await ctx.db.select({ slug: funnelPages.slug }).from(funnelPages).where(eq(funnelPages.funnelId, funnelId));
  const have = new Set(existing.map((p) => p.slug));
  const added: string[] = [];
  for (const [position, page] of CHAT_CAPTURE_OFFER.pages.entries()) {
    if (have.has(page.slug)) continue;
    const row = await createPage(ctx, workspaceId, funnelId, {
      slug: page.slug,
      name: page.name,
      kind: page.kind,
      content: page.content,
      position,
    });
    added.push(row.id);
  }
  // Published after all exist, last first: the pages a page links to are live before it is, so its
  // buttons are links from version 1 and no page needs re-rendering (a relink) as the next goes live.
  for (const pageId of [...added].reverse()) await publishPage(ctx, workspaceId, pageId, userId);
  if (added.length) created.push(`${added.length} published demo pages`);
}

/** Where the demo's visitors come from: UTM source / medium / campaign, with a weight. */
const DEMO_SOURCES: Array<[Touch, number]> = [
  [{ source: 'instagram', medium: 'social', campaign: 'cosmetics-set-launch' }, 35],
  [{ source: 'google', medium: 'cpc', campaign: 'skincare-routine' }, 25],
  [{ source: 'newsletter', medium: 'email', campaign: 'november' }, 15],
  [{ source: 'tiktok', medium: 'social', campaign: 'cosmetics-set-launch' }, 10],
  [{}, 15],
];
const DEMO_JOURNEYS = 400;

/**
 * A few hundred visitor journeys over the last 29 days, so the funnel report has something to show
 * on a fresh install: each visitor lands from a source and goes as far as chance takes them.
 * Deterministic (a seeded generator, fixed event ids), and ingested through the real engine.
 */
async function ensureDemoJourneys(
  database: Database,
  workspaceId: string,
  funnelId: string,
  now: number,
): Promise<{ evaluators: DemoEvaluator[] } | null> {
  const existing = await database.client.execute({ sql: 'select 1 from events where id = ?', args: ['seed-0-0'] });
  if (existing.rows.length) return null;
  let state = 20261127;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(items: Array<[T, number]>): T => {
    let r = random() * items.reduce((n, [, w]) => n + w, 0);
    for (const [item, weight] of items) if ((r -= weight) < 0) return item;
    return items[0]![0];
  };
  const MINUTE = 60_000;
  // Page ids as the beacon sends them, so the per-page rollups (views, conversions) count the demo too.
  const pageRows = await database.client.execute({ sql: 'select id, slug from funnel_pages where funnel_id = ?', args: [funnelId] });
  const pageIds = new Map(pageRows.rows.map((r) => [String(r.slug), String(r.id)]));
  const events: IngestEvent[] = [];
  const evaluators: DemoEvaluator[] = [];
  for (let v = 0; v < DEMO_JOURNEYS; v++) {
    const visitorId = `seed-visitor-${String(v).padStart(4, '0')}`; // as long as a visitor cookie must be
    const touch = pick(DEMO_SOURCES);
    let at = now - Math.floor(random() * 29 * 24 * 60) * MINUTE; // within the report's default 30 days
    let n = 0;
    const add = (type: IngestEvent['type'], pageSlug: string, props: Record<string, unknown> = {}, withTouch = false) => {
      events.push({
        id: `seed-${v}-${n++}`,
        workspaceId,
        visitorId,
        type,
        occurredAt: Math.min(at, now),
        funnelId,
        pageId: pageIds.get(pageSlug) ?? null,
        pageSlug,
        props,
        ...(withTouch ? { touch: { ...touch, landingPage: '/p/cosmetics-set' } } : {}),
      });
      at += Math.floor(1 + random() * 20) * MINUTE;
    };
    add('page_view', 'landing', {}, true);
    if (random() < 0.45) continue;
    add('engaged', 'landing');
    if (random() < 0.5) add('cta_click', 'landing');
    add('page_view', 'quiz');
    add('quiz_start', 'quiz');
    if (random() < 0.4) continue;
    const form = random() < 0.7 ? 'quiz' : 'ebook';
    evaluators.push({ visitorId, at: Math.min(at, now), form, n: evaluators.length });
    add(form === 'quiz' ? 'quiz_complete' : 'lead_magnet_download', 'quiz');
    if (random() < 0.35) continue;
    add('page_view', 'offer');
    add('offer_view', 'offer');
    if (random() < 0.45) continue;
    add('checkout_start', 'offer');
    if (random() < 0.4) continue;
    add('purchase', 'offer', { amountMinor: 25_000, currency: 'USD' });
    if (random() < 0.75) continue;
    at += Math.floor(random() * 10 * 24 * 60) * MINUTE;
    add('purchase', 'offer', { amountMinor: 25_000, currency: 'USD' });
  }
  for (let i = 0; i < events.length; i += 1000) await ingestBatch(ingestTarget(database), events.slice(i, i + 1000), now);
  return { evaluators };
}
