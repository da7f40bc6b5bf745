import type { InferRequestType, InferResponseType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { DEMO, DEMO_RULE, seedDemo } from '../../db/seed';
import { deals, leads, pipelineStages, pipelines, visitorStages, visitors, webhookEndpoints } from '../../db/schema';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { DEFAULT_SCORING, maskOf } from '../../workers/domain/scoring';
import { STAGE_INDEX } from '../../workers/domain/stages';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { moveDeal } from '../../workers/services/deals';
import { pipelineFromTemplate } from '../../workers/services/pipelines';
import { qualifyLead, qualifyLeadsForVisitors } from '../../workers/services/qualification';
import { recomputeLeadScore } from '../../workers/services/scoring';
import type { WriteCtx } from '../../workers/services/write-context';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import type { NewPage, PageBlock } from '../support/fixtures';
import { FUNNEL, fillAndPost, signInDemo, type FormValues } from '../support/landing';
import { json } from '../support/responses';

type Rules = TestClient['rpc']['api']['funnels'][':id']['rules'];
type NewRule = InferRequestType<Rules['$post']>['json'];

let t: TestApp;
let owner: TestClient;
let editor: TestClient;
let viewer: TestClient;
let stranger: TestClient;
let ws: string;
let ownerId: string;
let editorId: string;
let viewerId: string;
let funnelId: string;
let strangerFunnelId: string;
let b2c: { id: string; stage: (name: string) => string };
let b2b: { id: string; stage: (name: string) => string };
let strangerPipeline: { id: string; stage: (name: string) => string };
const dispatched: string[] = [];

const SLUG = 'wholesale';
const content = (blocks: PageBlock[]): NewPage['content'] => ({
  settings: {
    title: 'Wholesale',
    noindex: false,
    theme: { primary: '#1f6feb', background: '#ffffff', text: '#111111', fontStack: 'system' },
  },
  blocks,
});
const enquiryForm: PageBlock = {
  type: 'lead_form',
  id: 'enquiry',
  fields: [
    { name: 'email', label: 'Work email', kind: 'email', required: true },
    { name: 'name', label: 'Your name', kind: 'name', required: false },
    { name: 'company', label: 'Shop name', kind: 'company', required: false },
    { name: 'volume', label: 'Sets per month', kind: 'select', required: false, options: ['1-10', '11-50', '50+'] },
    { name: 'budget', label: 'Budget (USD)', kind: 'text', required: false },
    { name: 'src', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
  ],
  submitLabel: 'Send',
};
const demoContent = (slug: string) => DEMO_FUNNEL_PAGES.find((p) => p.slug === slug)!.content;

const ctx = (): WriteCtx => ({ db: t.database.db, clock: t.clock.now, newId: t.deps.newId, notify: (ids) => dispatched.push(...ids) });

async function addPipeline(workspaceId: string, template: 'b2b' | 'b2c') {
  const { pipeline, stages } = pipelineFromTemplate(
    { db: t.database.db, clock: t.clock.now, newId: t.deps.newId },
    workspaceId,
    PIPELINE_TEMPLATES[template],
  );
  await t.database.db.batch([t.database.db.insert(pipelines).values(pipeline), t.database.db.insert(pipelineStages).values(stages)]);
  return { id: pipeline.id, stage: (name: string) => stages.find((s) => s.name === name)!.id };
}

async function invite(role: 'editor' | 'viewer', email: string) {
  const inv = await (await owner.rpc.api.workspace.invitations.$post({ json: { role } })).json();
  const client = t.client();
  const { user } = await client.signup(email, 'correct horse battery', role === 'editor' ? 'Eddie' : 'Vera', { inviteToken: inv.token });
  return { client, id: user.id };
}

async function createFunnel(client: TestClient, slug: string, pages: Array<[string, NewPage['content']]>) {
  const funnel = await (await client.rpc.api.funnels.$post({ json: { name: slug[0]!.toUpperCase() + slug.slice(1), slug } })).json();
  for (const [pageSlug, pageContent] of pages) {
    const res = await client.rpc.api.funnels[':id'].pages.$post({
      param: { id: funnel.id },
      json: {
        slug: pageSlug,
        name: pageSlug,
        kind: 'custom',
        content: pageContent,
      },
    });
    expect(res.status).toBe(201);
    const page = await res.json();
    expect((await client.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} })).status).toBe(201);
  }
  return funnel.id;
}

/** A visitor fills a form on the funnel (each in a fresh rate-limit window). */
async function submit(pageSlug: string, block: string, values: FormValues) {
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs);
  const path = pageSlug === 'apply' ? `/p/${SLUG}` : `/p/${SLUG}/${pageSlug}`;
  const { res } = await fillAndPost(t, t.client(), path, block, values);
  expect(res.status).toBe(303);
}

const leadBy = async (email: string) => (await t.database.db.select().from(leads).where(eq(leads.email, email)))[0]!;
const dealsOf = (leadId: string) => t.database.db.select().from(deals).where(eq(deals.leadId, leadId));
const deliveries = async (type: string, needle: string) =>
  (
    await t.database.db.all<{ id: string; payload: string }>(sql`select id, payload from webhook_deliveries where event_type = ${type}`)
  ).filter((d) => d.payload.includes(needle));

function rule(overrides: Partial<NewRule> = {}): NewRule {
  return {
    name: 'Serious buyers',
    conditions: [{ kind: 'score_at_least', score: 30 }],
    action: {
      pipelineId: b2c.id,
      stageId: b2c.stage('Lead qualification'),
      value: { kind: 'field', field: 'budget', fallbackMinor: 10_000 },
      currency: 'USD',
      owner: { kind: 'round_robin' },
    },
    ...overrides,
  };
}
const createRule = async (body: NewRule, client = owner) => {
  const res = await client.rpc.api.funnels[':id'].rules.$post({ param: { id: funnelId }, json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return await res.json();
};
const deleteAllRules = async () => {
  const { rules } = await (await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json();
  for (const r of rules)
    expect((await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: r.id } })).status).toBe(204);
};

beforeAll(async () => {
  t = await createTestApp({ webhooks: { dispatch: async (ids) => void dispatched.push(...ids) } });
  owner = t.client();
  const signed = await owner.signup('owner@shop.test', 'correct horse battery', 'Olivia', { workspaceName: 'Shop' });
  ws = signed.workspaceId;
  ownerId = signed.user.id;
  t.clock.advance(1000);
  ({ client: editor, id: editorId } = await invite('editor', 'editor@shop.test'));
  t.clock.advance(1000);
  ({ client: viewer, id: viewerId } = await invite('viewer', 'viewer@shop.test'));
  stranger = t.client();
  const strangerWs = (await stranger.signup('stranger@elsewhere.test')).workspaceId;

  funnelId = await createFunnel(owner, SLUG, [
    ['apply', content([enquiryForm])],
    ['quiz', demoContent('quiz')],
    ['guide', demoContent('guide')],
  ]);
  strangerFunnelId = await createFunnel(stranger, 'elsewhere', []);
  b2c = await addPipeline(ws, 'b2c');
  b2b = await addPipeline(ws, 'b2b');
  strangerPipeline = await addPipeline(strangerWs, 'b2c');
  const now = t.clock.now();
  await t.database.db.insert(webhookEndpoints).values({
    id: t.deps.newId(),
    workspaceId: ws,
    url: 'https://hooks.example.com/leadflare',
    secret: 'whsec_test',
    events: ['lead.created', 'lead.qualified', 'deal.created'],
    createdAt: now,
    updatedAt: now,
  });
});
afterAll(() => t.close());

describe('scoring config API', () => {
  it('shows the default config and the funnel’s quiz outcomes until one is saved', async () => {
    const res = await owner.rpc.api.funnels[':id'].scoring.$get({ param: { id: funnelId } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.isDefault).toBe(true);
    expect(body.scoring).toEqual(DEFAULT_SCORING);
    expect(body.quizOutcomes.map((o) => o.id)).toEqual(['dry', 'balanced', 'oily']);
  });

  it('refuses bad configs with a message per field', async () => {
    for (const bad of [
      { events: { visit: 5 } },
      { events: { page_view: 2.5 } },
      { fields: [{ field: 'volume', points: 5 }] },
      { bonus: 1 },
      [],
    ]) {
      const res = await owner.request(`/api/funnels/${funnelId}/scoring`, { method: 'PUT', json: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((await errorOf(res)).code).toBe('validation_failed');
    }
    const notJson = await owner.request(`/api/funnels/${funnelId}/scoring`, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(400);
  });

  it('stores the config in the funnel settings, kept through a settings round trip, and resets to the default', async () => {
    const config = { events: { form_submit: 7 }, leadMagnet: 3 };
    const res = await owner.rpc.api.funnels[':id'].scoring.$put({ param: { id: funnelId }, json: config });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      isDefault: false,
      scoring: { events: { form_submit: 7 }, quizOutcomes: {}, fields: [], leadMagnet: 3 },
    });
    const funnel = await (await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } })).json();
    expect(funnel.settings.scoring).toMatchObject(config);
    // The funnels API accepts the settings it returns, so a client round trip keeps the scoring.
    const patched = await owner.rpc.api.funnels[':id'].$patch({
      param: { id: funnelId },
      json: { settings: { ...funnel.settings, stages: { pages: { guide: 'evaluation' } } } },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).settings).toMatchObject({
      scoring: config,
      stages: { pages: { guide: 'evaluation' } },
    });

    const reset = await owner.rpc.api.funnels[':id'].scoring.$delete({ param: { id: funnelId } });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ isDefault: true, scoring: DEFAULT_SCORING });
    // Other settings stay.
    expect((await (await owner.rpc.api.funnels[':id'].$get({ param: { id: funnelId } })).json()).settings).toEqual({
      stages: { pages: { guide: 'evaluation' } },
    });
  });

  it('rescores the funnel’s leads when the config changes', async () => {
    await submit('apply', 'enquiry', { email: 'rescore@shop.example', volume: '1-10' });
    const lead = await leadBy('rescore@shop.example');
    expect(lead.score).toBe(DEFAULT_SCORING.events.form_submit);
    const res = await owner.rpc.api.funnels[':id'].scoring.$put({
      param: { id: funnelId },
      json: { events: { form_submit: 4 }, fields: [{ field: 'volume', equals: '1-10', points: 2 }] },
    });
    expect(await res.json()).toMatchObject({ rescoredLeads: 1, rescoring: 'done' });
    expect((await leadBy('rescore@shop.example')).score).toBe(6);
    // Recomputing from history gives the same number, every time.
    expect((await recomputeLeadScore(ctx(), ws, lead.id)).score).toBe(6);
    expect((await recomputeLeadScore(ctx(), ws, lead.id)).score).toBe(6);
  });

  it('lets viewers read but not change it, and hides other workspaces’ funnels', async () => {
    expect((await viewer.rpc.api.funnels[':id'].scoring.$get({ param: { id: funnelId } })).status).toBe(200);
    const put = await viewer.rpc.api.funnels[':id'].scoring.$put({ param: { id: funnelId }, json: {} });
    expect(put.status).toBe(403);
    expect((await errorOf(put)).code).toBe('read_only_role');
    expect((await viewer.rpc.api.funnels[':id'].scoring.$delete({ param: { id: funnelId } })).status).toBe(403);
    for (const res of [
      await stranger.rpc.api.funnels[':id'].scoring.$get({ param: { id: funnelId } }),
      await stranger.rpc.api.funnels[':id'].scoring.$put({ param: { id: funnelId }, json: {} }),
      await stranger.rpc.api.funnels[':id'].scoring.$delete({ param: { id: funnelId } }),
    ]) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(await res.json())).not.toContain('wholesale');
    }
  });
});

describe('qualification rules API', () => {
  afterAll(deleteAllRules);

  it('creates rules with defaults, in order, and lists them', async () => {
    const first = await createRule(rule());
    expect(first).toMatchObject({
      position: 0,
      enabled: true,
      action: { nameTemplate: '{campaign} - {lead.name}', currency: 'USD' },
      problems: [],
    });
    const second = await createRule(rule({ name: 'Everyone', conditions: undefined }));
    expect(second).toMatchObject({ position: 1, conditions: [] });
    const top = await createRule(rule({ name: 'Top', position: 0 }));
    expect(top.position).toBe(0);
    const { rules } = await (await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json();
    expect(rules.map((r) => [r.id, r.position])).toEqual([
      [top.id, 0],
      [first.id, 1],
      [second.id, 2],
    ]);
    expect(
      (await (await owner.rpc.api.funnels[':id'].rules[':ruleId'].$get({ param: { id: funnelId, ruleId: first.id } })).json()).name,
    ).toBe('Serious buyers');
  });

  it('refuses bad rules, with the field at fault', async () => {
    // Deliberately invalid rules, sent through the untyped client: the typed one would not build them.
    const badRule = (overrides: Record<string, unknown>) => ({ ...rule(), ...overrides });
    const cases: Array<[unknown, string]> = [
      [{ name: 'x' }, 'action'],
      [badRule({ conditions: [{ kind: 'vibes' }] }), 'conditions.0.kind'],
      [badRule({ conditions: [{ kind: 'score_at_least', score: 'high' }] }), 'conditions.0.score'],
      [
        badRule({ action: { ...rule().action, pipelineId: strangerPipeline.id, stageId: strangerPipeline.stage('Lead qualification') } }),
        'action.pipelineId',
      ],
      [badRule({ action: { ...rule().action, stageId: b2b.stage('Proposal') } }), 'action.stageId'],
      [badRule({ action: { ...rule().action, stageId: b2c.stage('Closed lost') } }), 'action.stageId'],
      [badRule({ action: { ...rule().action, owner: { kind: 'member', userId: viewerId } } }), 'action.owner.userId'],
      [badRule({ action: { ...rule().action, owner: { kind: 'member', userId: 'nobody' } } }), 'action.owner.userId'],
      [badRule({ action: { ...rule().action, nameTemplate: '{campaign} - {lead.first_name}' } }), 'action.nameTemplate'],
      [badRule({ action: { ...rule().action, currency: 'DOLLARS' } }), 'action.currency'],
      [badRule({ action: { ...rule().action, value: { kind: 'offer_price' } } }), 'action.value.offerPriceMinor'],
      [badRule({ extra: true }), '(body)'],
    ];
    for (const [body, path] of cases) {
      const res = await owner.post(`/api/funnels/${funnelId}/rules`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(res);
      expect(
        error.fields!.map((f) => f.path),
        JSON.stringify(body),
      ).toContain(path);
    }
  });

  it('edits, moves, reorders and deletes rules', async () => {
    const { rules } = await (await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json();
    const [a, b, c] = [rules[0]!.id, rules[1]!.id, rules[2]!.id];
    const patched = await owner.rpc.api.funnels[':id'].rules[':ruleId'].$patch({
      param: { id: funnelId, ruleId: b },
      json: { enabled: false, name: 'Paused', position: 2 },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: b, enabled: false, name: 'Paused', position: 2 });
    const order = async () => (await (await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json()).rules;
    expect((await order()).map((r) => r.id)).toEqual([a, c, b]);
    expect((await owner.rpc.api.funnels[':id'].rules[':ruleId'].$patch({ param: { id: funnelId, ruleId: b }, json: {} })).status).toBe(400);
    expect(
      (
        await owner.rpc.api.funnels[':id'].rules[':ruleId'].$patch({
          param: { id: funnelId, ruleId: b },
          json: { action: { ...rule().action, stageId: 'nope' } },
        })
      ).status,
    ).toBe(400);

    for (const bad of [
      [a, c],
      [a, a, b],
      [a, b, c, 'other'],
      [a, b, 'x'],
    ]) {
      const res = await owner.rpc.api.funnels[':id'].rules.reorder.$post({ param: { id: funnelId }, json: { ruleIds: bad } });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields![0]!.path).toBe('ruleIds');
    }
    const reordered = await owner.rpc.api.funnels[':id'].rules.reorder.$post({ param: { id: funnelId }, json: { ruleIds: [c, b, a] } });
    expect(reordered.status).toBe(200);
    expect((await order()).map((r) => [r.id, r.position])).toEqual([
      [c, 0],
      [b, 1],
      [a, 2],
    ]);

    expect((await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: b } })).status).toBe(204);
    expect((await owner.rpc.api.funnels[':id'].rules[':ruleId'].$get({ param: { id: funnelId, ruleId: b } })).status).toBe(404);
    expect((await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: b } })).status).toBe(404);
    expect((await order()).map((r) => [r.id, r.position])).toEqual([
      [c, 0],
      [a, 1],
    ]);
  });

  it('lets viewers read rules but not change or run them', async () => {
    const { rules } = await (await viewer.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json();
    const id = rules[0]!.id;
    expect((await viewer.rpc.api.funnels[':id'].rules[':ruleId'].$get({ param: { id: funnelId, ruleId: id } })).status).toBe(200);
    for (const res of [
      await viewer.rpc.api.funnels[':id'].rules.$post({ param: { id: funnelId }, json: rule() }),
      await viewer.rpc.api.funnels[':id'].rules[':ruleId'].$patch({ param: { id: funnelId, ruleId: id }, json: { name: 'Mine' } }),
      await viewer.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: id } }),
      await viewer.rpc.api.funnels[':id'].rules.reorder.$post({ param: { id: funnelId }, json: { ruleIds: rules.map((r) => r.id) } }),
      await viewer.post(`/api/funnels/${funnelId}/rules/${id}/test`),
    ]) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    // Editors manage rules.
    const made = await createRule(rule({ name: 'By the editor' }), editor);
    expect((await editor.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: made.id } })).status).toBe(204);
  });

  it('answers 404 with no data for another workspace’s funnel or rule', async () => {
    const { rules } = await (await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json();
    const id = rules[0]!.id;
    const responses = [
      await stranger.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } }),
      await stranger.rpc.api.funnels[':id'].rules.$post({ param: { id: funnelId }, json: rule() }),
      await stranger.rpc.api.funnels[':id'].rules[':ruleId'].$get({ param: { id: funnelId, ruleId: id } }),
      await stranger.rpc.api.funnels[':id'].rules[':ruleId'].$patch({ param: { id: funnelId, ruleId: id }, json: { name: 'x' } }),
      await stranger.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: id } }),
      await stranger.rpc.api.funnels[':id'].rules.reorder.$post({ param: { id: funnelId }, json: { ruleIds: [id] } }),
      await stranger.post(`/api/funnels/${funnelId}/rules/${id}/test`),
      // Their own funnel, our rule id: still not found.
      await stranger.rpc.api.funnels[':id'].rules[':ruleId'].$get({ param: { id: strangerFunnelId, ruleId: id } }),
      await stranger.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: strangerFunnelId, ruleId: id } }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('Serious buyers');
    }
    expect((await owner.rpc.api.funnels[':id'].rules[':ruleId'].$get({ param: { id: funnelId, ruleId: id } })).status).toBe(200);
  });
});

describe('qualifying leads into deals', () => {
  let serious: { id: string };
  beforeAll(async () => {
    await deleteAllRules();
    const res = await owner.rpc.api.funnels[':id'].scoring.$put({
      param: { id: funnelId },
      json: {
        // No points for page views: ingest may or may not have recorded the test visitors' views by the time a score is read.
        events: { form_submit: 10, quiz_complete: 20, lead_magnet_download: 15, engaged: 2, offer_view: 10, checkout_start: 25 },
        quizOutcomes: { oily: 30 },
        fields: [{ field: 'volume', equals: '50+', points: 25 }],
        leadMagnet: 5,
      },
    });
    expect(res.status).toBe(200);
    serious = await createRule(rule());
  });

  it('does not qualify a lead below the score, then creates the deal when it gets there', async () => {
    await submit('apply', 'enquiry', {
      email: 'noor@beauty.example',
      name: 'Noor Haddad',
      company: 'Beauty Shop Ltd',
      volume: '1-10',
      src: 'newsletter',
    });
    let lead = await leadBy('noor@beauty.example');
    expect(lead).toMatchObject({ score: 10, qualifiedAt: null, source: 'newsletter' });
    expect(await dealsOf(lead.id)).toEqual([]);
    expect(await deliveries('lead.created', lead.id)).toHaveLength(1);

    t.clock.advance(60_000);
    await submit('apply', 'enquiry', { email: 'noor@beauty.example', volume: '50+', budget: '$1,500' });
    lead = await leadBy('noor@beauty.example');
    expect(lead.score).toBe(35);
    expect(lead.qualifiedAt).toBe(t.clock.now());
    const [deal] = await dealsOf(lead.id);
    expect(deal).toMatchObject({
      pipelineId: b2c.id,
      stageId: b2c.stage('Lead qualification'),
      name: 'Wholesale - Noor Haddad',
      valueMinor: 150_000,
      currency: 'USD',
      ownerId,
      sourceFunnelId: funnelId,
      closedAt: null,
      origin: 'qualification',
    });
    const history = await t.database.db.all<{ moved_by: string; to_stage_id: string }>(
      sql`select moved_by, to_stage_id from deal_stage_history where deal_id = ${deal!.id}`,
    );
    expect(history).toEqual([{ moved_by: `rule:${serious.id}`, to_stage_id: b2c.stage('Lead qualification') }]);
    // Webhooks: created once (the second post found the lead), qualified once, one deal.
    expect(await deliveries('lead.created', lead.id)).toHaveLength(1);
    expect(await deliveries('lead.qualified', lead.id)).toHaveLength(1);
    expect(await deliveries('deal.created', deal!.id)).toHaveLength(1);
    expect(JSON.parse((await deliveries('lead.qualified', lead.id))[0]!.payload).data).toMatchObject({
      lead: { id: lead.id, email: 'noor@beauty.example', score: 35 },
      rule: { id: serious.id, name: 'Serious buyers' },
    });
  });

  it('re-qualifying updates the open deal instead of adding one, and keeps the first qualification time', async () => {
    const before = await leadBy('noor@beauty.example');
    t.clock.advance(60_000);
    await submit('apply', 'enquiry', { email: 'noor@beauty.example', budget: '2000' });
    const lead = await leadBy('noor@beauty.example');
    expect(lead.qualifiedAt).toBe(before.qualifiedAt);
    const all = await dealsOf(lead.id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ valueMinor: 200_000, name: 'Wholesale - Noor Haddad' });
    expect(await deliveries('lead.qualified', lead.id)).toHaveLength(1);
    // Running it again changes nothing.
    const again = await qualifyLead(ctx(), ws, lead.id);
    expect(again).toMatchObject({ score: 35, newlyQualified: false, qualifiedAt: before.qualifiedAt });
    expect(again.rules).toEqual([expect.objectContaining({ ruleId: serious.id, outcome: 'unchanged', dealId: all[0]!.id })]);
    expect(await dealsOf(lead.id)).toHaveLength(1);
  });

  it('hands out owners in turn among owners and editors', async () => {
    const owners: Array<string | null> = [];
    for (const i of [1, 2, 3]) {
      await submit('apply', 'enquiry', { email: `rr${i}@beauty.example`, volume: '50+' });
      owners.push((await dealsOf((await leadBy(`rr${i}@beauty.example`)).id))[0]!.ownerId);
    }
    // Noor's deal was the first turn (the owner); the editor, the owner, the editor follow.
    expect(owners).toEqual([editorId, ownerId, editorId]);
    const [lead] = await t.database.db.select().from(leads).where(eq(leads.email, 'rr1@beauty.example'));
    expect((await dealsOf(lead!.id))[0]).toMatchObject({ name: 'Wholesale - rr1@beauty.example', valueMinor: 10_000 });
  });

  it('does not reopen a closed deal for old activity, but starts a new one after new activity', async () => {
    const lead = await leadBy('rr1@beauty.example');
    const [deal] = await dealsOf(lead.id);
    t.clock.advance(60_000);
    await moveDeal(ctx(), ws, deal!.id, { stageId: b2c.stage('Closed lost'), lostReason: 'Went with another supplier' }, ownerId);
    t.clock.advance(60_000);
    const rerun = await qualifyLead(ctx(), ws, lead.id);
    expect(rerun.rules).toEqual([expect.objectContaining({ outcome: 'skipped_closed' })]);
    expect(await dealsOf(lead.id)).toHaveLength(1);

    await submit('apply', 'enquiry', { email: 'rr1@beauty.example', budget: '300' });
    const now = await dealsOf(lead.id);
    expect(now).toHaveLength(2);
    expect(now.find((d) => d.closedAt === null)).toMatchObject({ valueMinor: 30_000, stageId: b2c.stage('Lead qualification') });
  });

  it('runs every matching rule in position order, the first one per pipeline, skipping disabled ones', async () => {
    const b2bRule = await createRule(
      rule({
        name: 'Shops to B2B',
        conditions: [{ kind: 'field', field: 'company', op: 'contains', value: 'ltd' }],
        action: {
          pipelineId: b2b.id,
          stageId: b2b.stage('Prospecting'),
          value: { kind: 'fixed', amountMinor: 99_900 },
          currency: 'EUR',
          nameTemplate: '{lead.company} ({funnel.name})',
          owner: { kind: 'member', userId: editorId },
        },
      }),
    );
    const second = await createRule(rule({ name: 'Also B2C', conditions: [] }));
    const off = await createRule(
      rule({
        name: 'Disabled',
        enabled: false,
        conditions: [],
        action: { ...rule().action, pipelineId: b2b.id, stageId: b2b.stage('Proposal') },
      }),
    );
    const result = await qualifyLead(ctx(), ws, (await leadBy('noor@beauty.example')).id);
    expect(result.rules.map((r) => [r.ruleId, r.outcome])).toEqual([
      [serious.id, 'unchanged'],
      [b2bRule.id, 'created'],
      [second.id, 'skipped_pipeline_done'],
    ]);
    const b2bDeal = (await dealsOf(result.leadId)).find((d) => d.pipelineId === b2b.id)!;
    expect(b2bDeal).toMatchObject({
      name: 'Beauty Shop Ltd (Wholesale)',
      valueMinor: 99_900,
      currency: 'EUR',
      ownerId: editorId,
      stageId: b2b.stage('Prospecting'),
    });
    // Its deal.created delivery was committed and handed to the dispatcher.
    const [created] = await deliveries('deal.created', b2bDeal.id);
    expect(dispatched).toContain(created!.id);
    expect(result.rules.some((r) => r.ruleId === off.id)).toBe(false);
    for (const id of [b2bRule.id, second.id, off.id])
      await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: id } });
  });

  it('reads the event masks of the lead’s visitors: events count once, and ingest order does not matter', async () => {
    const lead = await leadBy('rr2@beauty.example');
    const stageRule = await createRule(
      rule({
        name: 'Reached desire',
        conditions: [{ kind: 'stage_reached', stage: 'desire' }],
        action: {
          ...rule().action,
          pipelineId: b2b.id,
          stageId: b2b.stage('Lead qualification'),
          value: { kind: 'offer_price', offerPriceMinor: 25_000 },
        },
      }),
    );
    const visitorRow = (id: string, leadId: string | null, workspaceId = ws) => ({
      id,
      workspaceId,
      leadId,
      firstSeenAt: t.clock.now(),
      lastSeenAt: t.clock.now(),
    });
    await t.database.db.insert(visitors).values([visitorRow('vis-a', lead.id), visitorRow('vis-b', lead.id), visitorRow('vis-anon', null)]);
    // As ingest leaves them: two visitors (two devices) of the lead, one of them went to the offer.
    await t.database.db.insert(visitorStages).values([
      { workspaceId: ws, funnelId, visitorId: 'vis-a', furthestStage: STAGE_INDEX.interest, eventMask: maskOf(['page_view', 'engaged']) },
      {
        workspaceId: ws,
        funnelId,
        visitorId: 'vis-b',
        furthestStage: STAGE_INDEX.desire,
        eventMask: maskOf(['page_view', 'offer_view', 'checkout_start']),
      },
      { workspaceId: ws, funnelId, visitorId: 'vis-anon', furthestStage: STAGE_INDEX.desire, eventMask: maskOf(['offer_view']) },
    ]);
    const { results, failed } = await qualifyLeadsForVisitors(ctx(), ws, ['vis-a', 'vis-b', 'vis-anon', 'vis-unknown']);
    expect(failed).toEqual([]);
    expect(results.map((r) => r.leadId)).toEqual([lead.id]);
    // 10 (form) + 25 (50+) + engaged 2 + offer_view 10 + checkout_start 25; page views (both visitors) score 0 here.
    expect(results[0]!.score).toBe(72);
    expect(results[0]!.rules.find((r) => r.ruleId === stageRule.id)).toMatchObject({ outcome: 'created' });
    expect((await leadBy('rr2@beauty.example')).score).toBe(72);
    // Another workspace's call finds none of these visitors.
    expect((await qualifyLeadsForVisitors(ctx(), 'another-workspace', ['vis-a'])).results).toEqual([]);
    await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: stageRule.id } });
  });

  it('copies the first-touch UTM source onto the lead', async () => {
    const lead = await leadBy('rr3@beauty.example');
    await t.database.db
      .update(leads)
      .set({ firstTouch: { source: 'instagram', medium: 'social', campaign: 'spring-sale' } })
      .where(eq(leads.id, lead.id));
    await qualifyLead(ctx(), ws, lead.id);
    expect((await leadBy('rr3@beauty.example')).source).toBe('instagram');
  });

  it('skips a rule whose pipeline was deleted, and lists the problem', async () => {
    const doomed = await addPipeline(ws, 'b2b');
    const broken = await createRule(
      rule({ name: 'Doomed', conditions: [], action: { ...rule().action, pipelineId: doomed.id, stageId: doomed.stage('Prospecting') } }),
    );
    await t.database.db.delete(pipelines).where(eq(pipelines.id, doomed.id));
    const listed = (await (await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json()).rules;
    expect(listed.find((r) => r.id === broken.id)!.problems.map((p) => p.path)).toEqual(['action.pipelineId']);
    const result = await qualifyLead(ctx(), ws, (await leadBy('noor@beauty.example')).id);
    expect(result.rules.find((r) => r.ruleId === broken.id)).toMatchObject({ outcome: 'invalid', message: 'Pipeline not found.' });
    expect(result.rules.find((r) => r.ruleId === serious.id)).toMatchObject({ outcome: 'unchanged' });
    await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: broken.id } });
  });

  it('scores a quiz and an ebook from the submission itself, before any event is ingested', async () => {
    await submit('guide', 'ebook', { email: 'ava@quiz.example', name: 'Ava Smith' });
    expect((await leadBy('ava@quiz.example')).score).toBe(15 + 5);
    await submit('quiz', 'skin-quiz', {
      q_midday: 'shiny',
      q_pores: 'everywhere',
      q_breakouts: 'often',
      q_shine: 'daily',
      q_products: 'none',
      email: 'ava@quiz.example',
    });
    const lead = await leadBy('ava@quiz.example');
    // ebook 15 + magnet 5 + form submit 10 + quiz complete 20 + oily 30.
    expect(lead.score).toBe(80);
    expect((await dealsOf(lead.id))[0]).toMatchObject({ name: 'Wholesale - Ava Smith' });
  });

  it('dry-runs a rule over the funnel’s leads, or one lead with each condition', async () => {
    // Without any body (the typed client always sends one): the funnel's recent leads. The route answers
    // either shape, one lead's test or this summary, so the summary is picked out of its response type.
    const all = await owner.post(`/api/funnels/${funnelId}/rules/${serious.id}/test`);
    const body = await json<Extract<InferResponseType<Rules[':ruleId']['test']['$post'], 200>, { evaluated: number }>>(all, 200);
    expect(body.evaluated).toBeGreaterThanOrEqual(6);
    expect(body.leads.map((l) => l.email)).toEqual(expect.arrayContaining(['noor@beauty.example', 'ava@quiz.example']));
    expect(body.leads.map((l) => l.email)).not.toContain('rescore@shop.example');
    expect(body.leads.find((l) => l.email === 'noor@beauty.example')!.deal).toEqual({
      name: 'Wholesale - Noor Haddad',
      valueMinor: 200_000,
      currency: 'USD',
    });
    // Why each listed lead qualifies: every condition met, with what the lead has.
    expect(body.leads.find((l) => l.email === 'noor@beauty.example')!.conditions).toEqual([
      { condition: { kind: 'score_at_least', score: 30 }, met: true, actual: expect.any(Number) as number },
    ]);
    expect(body.leads.every((l) => l.conditions.every((c) => c.met))).toBe(true);

    const low = await leadBy('rescore@shop.example');
    const one = await owner.rpc.api.funnels[':id'].rules[':ruleId'].test.$post({
      param: { id: funnelId, ruleId: serious.id },
      json: { leadId: low.id },
    });
    expect(await one.json()).toMatchObject({
      lead: { id: low.id, score: 10 },
      matched: false,
      conditions: [{ condition: { kind: 'score_at_least', score: 30 }, met: false, actual: 10 }],
      deal: null,
    });
    const strangerLead = await stranger.rpc.api.funnels[':id'].rules[':ruleId'].test.$post({
      param: { id: funnelId, ruleId: serious.id },
      json: { leadId: low.id },
    });
    expect(strangerLead.status).toBe(404);
    expect(
      (
        await owner.rpc.api.funnels[':id'].rules[':ruleId'].test.$post({
          param: { id: funnelId, ruleId: serious.id },
          json: { leadId: 'nope' },
        })
      ).status,
    ).toBe(404);
    expect((await owner.post(`/api/funnels/${funnelId}/rules/${serious.id}/test`, { lead: 1 })).status).toBe(400);
    // Nothing was written.
    expect((await leadBy('rescore@shop.example')).qualifiedAt).toBeNull();
  });

  it('qualifies once and makes one deal when two runs race', async () => {
    await submit('apply', 'enquiry', { email: 'race@beauty.example', name: 'Rae', volume: '1-10' });
    const lead = await leadBy('race@beauty.example');
    expect(lead.qualifiedAt).toBeNull();
    const raceRule = await createRule(
      rule({
        name: 'Racers',
        conditions: [{ kind: 'field', field: 'email', op: 'contains', value: 'race@' }],
        action: { ...rule().action, pipelineId: b2b.id, stageId: b2b.stage('Prospecting'), owner: { kind: 'none' } },
      }),
    );
    t.clock.advance(1000);
    const results = await Promise.all([qualifyLead(ctx(), ws, lead.id), qualifyLead(ctx(), ws, lead.id), qualifyLead(ctx(), ws, lead.id)]);
    expect(results.filter((r) => r.newlyQualified)).toHaveLength(1);
    expect(new Set(results.map((r) => r.qualifiedAt))).toEqual(new Set([t.clock.now()]));
    expect(await deliveries('lead.qualified', lead.id)).toHaveLength(1);
    const all = await dealsOf(lead.id);
    expect(all).toHaveLength(1);
    expect(results.map((r) => r.rules.find((x) => x.ruleId === raceRule.id)!.dealId)).toEqual([all[0]!.id, all[0]!.id, all[0]!.id]);
    await owner.rpc.api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: funnelId, ruleId: raceRule.id } });
  });
});

describe('the demo: a visitor who completes the quiz with a high score becomes a deal nobody touched', () => {
  let demo: TestApp;
  let demoPipeline: { id: string; stage: (name: string) => string };
  let demoUserId: string;
  const post = async (path: string, block: string, values: FormValues) => {
    demo.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs);
    const { res } = await fillAndPost(demo, demo.client(), path, block, values);
    expect(res.status).toBe(303);
  };
  const demoLead = async (email: string) => (await demo.database.db.select().from(leads).where(eq(leads.email, email)))[0]!;
  const demoDeals = (leadId: string) => demo.database.db.select().from(deals).where(eq(deals.leadId, leadId));
  /** The demo config gives page views 1 point, once per funnel: 0 or 1 more, depending on whether ingest has recorded the visit yet. */
  const scoreOf = async (email: string, points: number) => expect([points, points + 1]).toContain((await demoLead(email)).score);
  const HIGH = { q_midday: 'shiny', q_pores: 'everywhere', q_breakouts: 'often', q_shine: 'daily', q_products: ['cleanser', 'sunscreen'] };
  const LOW = { q_midday: 'tight', q_pores: 'barely', q_breakouts: 'rarely', q_products: 'none' };

  beforeAll(async () => {
    demo = await createTestApp();
    const { workspaceId } = await seedDemo(demo.database, { clock: demo.clock.now });
    const [p] = await demo.database.db
      .select({ id: pipelines.id })
      .from(pipelines)
      .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.name, DEMO.b2cPipeline)));
    const stages = await demo.database.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, p!.id));
    demoPipeline = { id: p!.id, stage: (name) => stages.find((s) => s.name === name)!.id };
    demoUserId = (await demo.database.db.all<{ id: string }>(sql`select id from users where email = ${DEMO.email}`))[0]!.id;
  });
  afterAll(() => demo.close());

  it('Ava takes the ebook, then the quiz with a high score: "Cosmetics set - Ava Smith", $250, in Lead qualification', async () => {
    await post(`${FUNNEL}/guide`, 'ebook', { name: 'Ava Smith', email: 'ava.smith@example.com', consent: 'yes' });
    const afterEbook = await demoLead('ava.smith@example.com');
    await scoreOf('ava.smith@example.com', 25); // ebook 15 + lead magnet 10
    expect(await demoDeals(afterEbook.id)).toEqual([]);

    await post(`${FUNNEL}/quiz`, 'skin-quiz', { ...HIGH, email: 'ava.smith@example.com', consent: 'yes' });
    const lead = await demoLead('ava.smith@example.com');
    expect(lead.quizOutcome).toBe('oily');
    await scoreOf('ava.smith@example.com', 85); // + form submit 10, quiz complete 20, oily 30
    expect(lead.qualifiedAt).toBe(demo.clock.now());
    const [deal] = await demoDeals(lead.id);
    expect(deal).toMatchObject({
      pipelineId: demoPipeline.id,
      stageId: demoPipeline.stage(DEMO_RULE.stage),
      name: 'Cosmetics set - Ava Smith',
      valueMinor: 25_000,
      currency: 'USD',
      ownerId: demoUserId,
    });

    // The team sees it on the pipeline board, signed in as the demo user.
    const client = await signInDemo(demo.client());
    const res = await client.rpc.api.pipelines[':id'].board.$get({ param: { id: demoPipeline.id }, query: {} });
    expect(res.status).toBe(200);
    const board = await res.json();
    const column = board.columns.find((c) => c.stage.name === DEMO_RULE.stage)!;
    expect(column.deals).toEqual([expect.objectContaining({ name: 'Cosmetics set - Ava Smith', valueMinor: 25_000 })]);
  });

  it('a quiz alone with a high score qualifies; a low score does not', async () => {
    await post(`${FUNNEL}/quiz`, 'skin-quiz', { ...LOW, email: 'dry@example.com' });
    const dry = await demoLead('dry@example.com');
    expect(dry).toMatchObject({ quizOutcome: 'dry', qualifiedAt: null });
    await scoreOf('dry@example.com', 40);
    expect(await demoDeals(dry.id)).toEqual([]);

    await post(`${FUNNEL}/quiz`, 'skin-quiz', { ...HIGH, email: 'oily@example.com' });
    const oily = await demoLead('oily@example.com');
    await scoreOf('oily@example.com', 60);
    expect((await demoDeals(oily.id))[0]).toMatchObject({
      name: 'Cosmetics set - oily@example.com',
      stageId: demoPipeline.stage(DEMO_RULE.stage),
    });
  });
});
