/**
 * The template gallery API on the real app and a real libSQL file: the list, a template in full,
 * its pages rendered by the landing renderer (thumbnails), and funnels created from every
 * template — all at once or not at all.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { json } from '../support/responses';
import { countRows, fillAndPost } from '../support/landing';
import { contentSecurityPolicy } from '../../pages-ui/landing/render-page';
import { TRACKER_JS } from '../../pages-ui/tracker/generated';
import { COUNTDOWN_JS } from '../../pages-ui/landing/generated/countdown';
import { ISLANDS_JS } from '../../pages-ui/landing/generated/islands';
import { FUNNEL_TEMPLATES, findTemplate, instantiateTemplate } from '../../workers/domain/templates';

let t: TestApp;
let owner: TestClient;
let workspaceId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ({ workspaceId } = await owner.signup('owner@gallery.test', 'correct horse battery', 'Olivia', { workspaceName: 'Gallery' }));
});
afterAll(() => t.close());

const rows = <T>(query: ReturnType<typeof sql>) => t.database.db.all<T>(query);

/** What a creation can leave behind, to show that a failed one left nothing. */
async function footprint() {
  return {
    funnels: await countRows(t.database, 'funnels'),
    pages: await countRows(t.database, 'funnel_pages'),
    versions: await countRows(t.database, 'page_versions'),
    rules: await countRows(t.database, 'qualification_rules'),
    pipelines: await countRows(t.database, 'pipelines'),
    stages: await countRows(t.database, 'pipeline_stages'),
  };
}

function fromTemplate(client: TestClient, id: string, body: { name: string; slug: string; pipelineId?: string; publish?: boolean }) {
  return client.rpc.api.templates[':id'].funnels.$post({ param: { id }, json: body });
}

describe('GET /api/templates', () => {
  it('lists every template with its goal, pages, rule summary and a thumbnail URL', async () => {
    const { templates } = await json(await owner.rpc.api.templates.$get(), 200);
    expect(templates.map((tpl) => tpl.id)).toEqual(FUNNEL_TEMPLATES.map((tpl) => tpl.id));
    expect(new Set(templates.map((tpl) => tpl.goal)).size).toBe(6);
    const quiz = templates.find((tpl) => tpl.id === 'quiz-funnel')!;
    expect(quiz).toMatchObject({
      name: 'Quiz funnel',
      goal: 'quiz',
      goalLabel: 'Quiz funnel',
      suggestedSlug: 'coffee-quiz',
      thumbnailUrl: '/api/templates/quiz-funnel/preview',
      qualification: { name: 'Matched and saw the offer → Lead qualification' },
    });
    expect(quiz.pages[1]).toEqual({
      slug: 'quiz',
      name: 'Coffee quiz',
      kind: 'quiz',
      stage: 'interest',
      title: 'Your coffee match · Ember & Oak',
      blockTypes: ['hero', 'quiz'],
      capturesLeads: true,
      previewUrl: '/api/templates/quiz-funnel/preview?page=quiz',
    });
    expect(quiz.qualification.summary).toBe(
      'Leads who finished the quiz and reach the desire stage become deals worth $192.00 in “Lead qualification” of a B2C e-commerce pipeline.',
    );
  });

  it('needs a signed-in member', async () => {
    const res = await t.client().rpc.api.templates.$get();
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });
});

describe('GET /api/templates/:id', () => {
  it('answers a template in full, with its countdowns ahead of now', async () => {
    const { template } = await json(await owner.rpc.api.templates[':id'].$get({ param: { id: 'webinar-registration' } }), 200);
    expect(template.pages.map((p) => p.slug)).toEqual(['register', 'confirmed', 'demo']);
    const countdown = template.pages[0]!.content.blocks.find((b) => b.type === 'countdown');
    expect(countdown?.type === 'countdown' && countdown.endsAt).toBeGreaterThan(t.clock.now());
    expect(template.scoring.fields.length).toBeGreaterThan(0);
    expect(template.qualification).toMatchObject({ pipeline: 'b2b', stage: 'Lead qualification' });
  });

  it('is 404 for an unknown template', async () => {
    const res = await owner.rpc.api.templates[':id'].$get({ param: { id: 'no-such-template' } });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });
});

describe('template previews (thumbnails)', () => {
  it.each(FUNNEL_TEMPLATES.map((tpl) => [tpl.id] as const))(
    'renders the first page of %s with the landing renderer and CSP, without the tracker',
    async (id) => {
      const template = instantiateTemplate(findTemplate(id)!, t.clock.now());
      const res = await owner.get(`/api/templates/${id}/preview`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy(template.pages[0]!.content));
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const html = await res.text();
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain(`<title>${template.pages[0]!.content.settings.title.replace(/&/g, '&amp;')}</title>`);
      expect(html).toContain('<meta name="robots" content="noindex,nofollow"/>');
      expect(html).not.toContain(TRACKER_JS);
      expect(html).not.toContain('__LF_SUBMISSION_TOKEN__');
      const hero = template.pages[0]!.content.blocks.find((b) => b.type === 'hero');
      expect(html).toContain(`<h1>${hero?.type === 'hero' ? hero.headline : ''}</h1>`);
    },
  );

  it('links the pages of a preview to each other, and its forms to a sink that stores nothing', async () => {
    const html = await (await owner.get('/api/templates/quiz-funnel/preview')).text();
    expect(html).toContain('href="/api/templates/quiz-funnel/preview?page=quiz"');
    const quiz = await (await owner.get('/api/templates/quiz-funnel/preview?page=quiz')).text();
    expect(quiz).toContain('<form method="post" action="/api/templates/quiz-funnel/preview?page=quiz">');
    const before = await countRows(t.database, 'form_submissions');
    const posted = await owner.request('/api/templates/quiz-funnel/preview?page=quiz', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.co',
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('<h1>Nothing was sent</h1>');
    expect(await countRows(t.database, 'form_submissions')).toBe(before);
  });

  it('is 404 for a page the template does not have', async () => {
    const res = await owner.get('/api/templates/quiz-funnel/preview?page=nope');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });
});

describe('POST /api/templates/:id/funnels', () => {
  it.each(FUNNEL_TEMPLATES.map((tpl) => [tpl.id, tpl] as const))(
    'creates a complete funnel from %s: pages, stage mapping, scoring and its rule',
    async (id, template) => {
      const slug = `from-${id}`;
      const created = await json(await fromTemplate(owner, id, { name: template.suggestedName, slug }), 201);
      const { funnel, pipeline, qualificationRule } = created;
      expect(funnel).toMatchObject({ name: template.suggestedName, slug, workspaceId });
      expect(funnel.pages.map((p) => [p.slug, p.kind, p.position])).toEqual(template.pages.map((p, i) => [p.slug, p.kind, i]));
      // Drafts to edit first: nothing is public yet.
      expect(funnel.pages.every((p) => p.publishedVersionId === null)).toBe(true);
      expect((await t.client().get(`/p/${slug}`)).status).toBe(404);
      expect(funnel.settings).toEqual({
        stages: { pages: Object.fromEntries(template.pages.map((p) => [p.slug, p.stage])) },
        scoring: template.scoring,
      });
      expect(pipeline.stageName).toBe(template.qualification.stage);
      expect(qualificationRule).toMatchObject({
        funnelId: funnel.id,
        name: template.qualification.name,
        enabled: true,
        conditions: template.qualification.conditions,
        action: { pipelineId: pipeline.id, stageId: pipeline.stageId, value: template.qualification.value, owner: { kind: 'round_robin' } },
        problems: [],
      });
      // The page drafts are the template's content, read back through the pages API.
      const page = await json(await owner.rpc.api.pages[':id'].$get({ param: { id: funnel.pages[0]!.id } }), 200);
      expect(page.draft).toEqual(instantiateTemplate(template, t.clock.now()).pages[0]!.content);
      const rules = await json(await owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnel.id } }), 200);
      expect(rules.rules.map((r) => r.id)).toEqual([qualificationRule.id]);
    },
  );

  it('adds a pipeline of the template’s kind once, then reuses it; a chosen pipeline wins', async () => {
    const fresh = t.client();
    await fresh.signup('fresh@gallery.test', 'correct horse battery', 'Fred', { workspaceName: 'Fresh' });
    const first = await json(await fromTemplate(fresh, 'product-upsell', { name: 'Daypack', slug: 'fresh-daypack' }), 201);
    expect(first.pipeline).toMatchObject({ name: 'B2C e-commerce pipeline', stageName: 'Lead qualification', created: true });
    const second = await json(await fromTemplate(fresh, 'quiz-funnel', { name: 'Coffee', slug: 'fresh-coffee' }), 201);
    expect(second.pipeline).toMatchObject({ id: first.pipeline.id, created: false });
    const b2b = await json(await fromTemplate(fresh, 'waitlist', { name: 'Waitlist', slug: 'fresh-waitlist' }), 201);
    expect(b2b.pipeline).toMatchObject({ name: 'B2B sales pipeline', stageName: 'Prospecting', created: true });

    // Sent to the B2C pipeline on purpose: its "Prospecting" does not exist, so the first open stage.
    const chosen = await json(
      await fromTemplate(fresh, 'waitlist', { name: 'Waitlist 2', slug: 'fresh-waitlist-2', pipelineId: first.pipeline.id }),
      201,
    );
    expect(chosen.pipeline).toMatchObject({ id: first.pipeline.id, stageName: 'Lead generation', created: false });

    const unknown = await fromTemplate(fresh, 'waitlist', { name: 'Waitlist 3', slug: 'fresh-waitlist-3', pipelineId: 'nope' });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).fields).toEqual([{ path: 'pipelineId', message: 'No such pipeline in this workspace.' }]);
    // Another workspace's pipeline is not this workspace's either.
    const foreign = await json(await fromTemplate(owner, 'quiz-funnel', { name: 'Coffee', slug: 'owner-coffee' }), 201);
    const stolen = await fromTemplate(fresh, 'quiz-funnel', { name: 'Coffee', slug: 'fresh-coffee-2', pipelineId: foreign.pipeline.id });
    expect(stolen.status).toBe(400);
  });

  it('publishes every page at once when asked, served with working links and forms', async () => {
    const created = await json(
      await fromTemplate(owner, 'ebook-lead-magnet', { name: 'Checklist', slug: 'live-checklist', publish: true }),
      201,
    );
    expect(created.funnel.pages.every((p) => p.publishedVersionId !== null)).toBe(true);
    const first = await t.client().get('/p/live-checklist');
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('<form method="post" action="/p/live-checklist" data-lf-form="checklist">');
    expect(html).toContain('href="/p/live-checklist/review"');
    expect((await t.client().get('/p/live-checklist/thanks')).status).toBe(200);
  });

  it('answers 409 with a field error on a taken slug, and writes nothing — not even the new pipeline', async () => {
    const other = t.client();
    await other.signup('other@gallery.test', 'correct horse battery', 'Otto', { workspaceName: 'Other' });
    await json(await fromTemplate(owner, 'waitlist', { name: 'Taken', slug: 'taken-slug' }), 201);
    const before = await footprint();
    // This workspace has no pipeline yet: the batch starts by adding one, then the funnel fails.
    const res = await fromTemplate(other, 'quiz-funnel', { name: 'Mine', slug: 'taken-slug' });
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.code).toBe('already_exists');
    expect(error.fields).toEqual([{ path: 'slug', message: 'Another funnel is already at /p/taken-slug: choose another slug.' }]);
    expect(await footprint()).toEqual(before);
  });

  it('writes nothing when its last statement fails', async () => {
    const before = await footprint();
    await t.database.client.execute(
      "create trigger refuse_rules before insert on qualification_rules begin select raise(abort, 'refused by test'); end",
    );
    try {
      const res = await fromTemplate(owner, 'webinar-registration', { name: 'Workshop', slug: 'half-written', publish: true });
      expect(res.status).toBe(500);
    } finally {
      await t.database.client.execute('drop trigger refuse_rules');
    }
    expect(await footprint()).toEqual(before);
    expect(await rows(sql`select id from funnels where slug = 'half-written'`)).toEqual([]);
  });

  it('validates the body and refuses viewers', async () => {
    const bad = await owner.request('/api/templates/waitlist/funnels', { method: 'POST', json: { name: '', slug: 'Not A Slug' } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.map((f) => f.path).sort()).toEqual(['name', 'slug']);
    const missing = await fromTemplate(owner, 'no-such-template', { name: 'X', slug: 'no-such' });
    expect(missing.status).toBe(404);

    const invite = await json(await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    const viewer = t.client();
    await viewer.signup('viewer@gallery.test', 'correct horse battery', 'Vera', { inviteToken: invite.token });
    expect((await viewer.rpc.api.templates.$get()).status).toBe(200);
    const refused = await fromTemplate(viewer, 'waitlist', { name: 'Nope', slug: 'viewer-nope' });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('read_only_role');
  });
});

describe('a funnel made from a template at work', () => {
  it('turns a qualifying webinar registration into a deal in the rule’s stage', async () => {
    const created = await json(
      await fromTemplate(owner, 'webinar-registration', { name: 'Workshop', slug: 'live-workshop', publish: true }),
      201,
    );
    const visitor = t.client();
    const { res } = await fillAndPost(t, visitor, '/p/live-workshop', 'register', {
      name: 'Elena',
      email: 'elena@northwind.example',
      company: 'Northwind',
      role: 'Sales leader (VP, Director, Head of Sales)',
      team_size: 'More than 50 reps',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/p/live-workshop/confirmed');
    const deals = await rows<{ name: string; value_minor: number; stage_id: string }>(
      sql`select d.name, d.value_minor, d.stage_id from deals d join leads l on l.id = d.lead_id where l.email = 'elena@northwind.example'`,
    );
    expect(deals).toEqual([{ name: 'Northwind - Workshop', value_minor: 1_200_000, stage_id: created.pipeline.stageId }]);
  });
});

describe('the budgets of published template pages', () => {
  it('serves every page of every template in one round trip (≤ 14,000 B gzip), with no JavaScript on form-only pages', async () => {
    for (const template of FUNNEL_TEMPLATES) {
      const slug = `budget-${template.id}`;
      await json(await fromTemplate(owner, template.id, { name: template.name, slug, publish: true }), 201);
      for (const [index, page] of template.pages.entries()) {
        const path = index === 0 ? `/p/${slug}` : `/p/${slug}/${page.slug}`;
        const res = await t.client().get(path);
        expect(res.status, path).toBe(200);
        const html = await res.text();
        expect(gzipSync(html, { level: 9 }).length, path).toBeLessThanOrEqual(14_000);
        // Scripts are the tracker, the islands where a quiz or chat runs, the ticker where a countdown does: nothing else.
        const scripts = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
        const expected = [
          ...(page.content.blocks.some((b) => b.type === 'quiz' || b.type === 'chat_capture') ? [ISLANDS_JS] : []),
          ...(page.content.blocks.some((b) => b.type === 'countdown') ? [COUNTDOWN_JS] : []),
          TRACKER_JS,
        ];
        expect(scripts, path).toEqual(expected);
      }
    }
  });
});
