import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import type { InferRequestType } from 'hono/client';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { json } from '../support/responses';
import { savePage, type NewPage, type PageBlock as Block } from '../support/fixtures';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { countRows, formBody, FUNNEL, signInDemo } from '../support/landing';

let t: TestApp;
let owner: TestClient;
let demoWorkspace: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ workspaceId: demoWorkspace } = await seedDemo(t.database, { clock: t.clock.now }));
  owner = await signInDemo(t.client());
});
afterAll(() => t.close());

type FunnelPatch = InferRequestType<TestClient['rpc']['api']['funnels'][':id']['$patch']>['json'];

const settings: NewPage['content']['settings'] = {
  title: 'Spring sale',
  noindex: false,
  theme: { primary: '#1f6feb', background: '#ffffff', text: '#111111', fontStack: 'system' },
};
const hero = (headline: string): Block => ({ type: 'hero', id: 'hero', headline });
const content = (...blocks: Block[]): NewPage['content'] => ({ settings, blocks });

async function createFunnel(client: TestClient, slug: string, name = 'Spring sale') {
  return json(await client.rpc.api.funnels.$post({ json: { name, slug } }), 201);
}

async function createPage(client: TestClient, funnelId: string, slug: string, body: Partial<NewPage> = {}) {
  return json(
    await client.rpc.api.funnels[':id'].pages.$post({
      param: { id: funnelId },
      json: { slug, name: slug, content: content(hero(`Page ${slug}`)), ...body },
    }),
    201,
  );
}

describe('funnels', () => {
  it('creates, lists, reads, renames and deletes a funnel', async () => {
    const created = await createFunnel(owner, 'spring-sale');
    expect(created).toMatchObject({ name: 'Spring sale', slug: 'spring-sale', customDomain: null });

    const list = await json(await owner.rpc.api.funnels.$get(), 200);
    expect(list.funnels.map((f) => f.slug)).toEqual([DEMO.funnel.slug, 'spring-sale']);

    const read = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: created.id } }), 200);
    expect(read).toMatchObject({ id: created.id, pages: [] });

    const renamed = await json(
      await owner.rpc.api.funnels[':id'].$patch({ param: { id: created.id }, json: { name: 'Spring sale 2027' } }),
      200,
    );
    expect(renamed).toMatchObject({ name: 'Spring sale 2027', slug: 'spring-sale' });

    expect((await owner.rpc.api.funnels[':id'].$delete({ param: { id: created.id } })).status).toBe(204);
    const gone = await owner.rpc.api.funnels[':id'].$get({ param: { id: created.id } });
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).code).toBe('not_found');
  });

  it('merges settings key by key: a PATCH of stages keeps the scoring, and one of scoring keeps the stages', async () => {
    const funnel = await createFunnel(owner, 'merged-settings');
    const param = { id: funnel.id };
    const settingsOf = async (patch: FunnelPatch) =>
      (await json(await owner.rpc.api.funnels[':id'].$patch({ param, json: patch }), 200)).settings;
    await json(await owner.rpc.api.funnels[':id'].scoring.$put({ param, json: { events: { form_submit: 7 }, leadMagnet: 3 } }), 200);
    const stages = { pages: { offer: 'desire' as const } };
    const afterStages = await settingsOf({ settings: { stages } });
    expect(afterStages).toMatchObject({ stages, scoring: { events: { form_submit: 7 }, leadMagnet: 3 } });

    // A funnel's `settings` come back as the table's Record<string, unknown>, so the stored scoring is untyped here.
    const scoring = { ...(afterStages.scoring as Record<string, unknown>), leadMagnet: 9 };
    expect(await settingsOf({ settings: { scoring } })).toEqual({ stages, scoring });
    // No settings, or none of its keys, changes none of them.
    expect(await settingsOf({ settings: {} })).toEqual({ stages, scoring });
    expect(await settingsOf({ name: 'Renamed' })).toEqual({ stages, scoring });
    // A key sent replaces that key whole.
    expect(await settingsOf({ settings: { stages: { events: { engaged: 'interest' } } } })).toEqual({
      stages: { events: { engaged: 'interest' } },
      scoring,
    });
    // A key sent as null is removed (back to the default rules); the other stays.
    expect(await settingsOf({ settings: { stages: null } })).toEqual({ scoring });
    expect((await owner.rpc.api.funnels[':id'].$delete({ param })).status).toBe(204);
  });

  it('deletes a funnel with its pages and takes its public pages down at once', async () => {
    const funnel = await createFunnel(owner, 'short-lived');
    const page = await createPage(owner, funnel.id, 'start');
    await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} }), 201);
    expect((await t.client().get('/p/short-lived')).status).toBe(200); // now cached

    expect((await owner.rpc.api.funnels[':id'].$delete({ param: { id: funnel.id } })).status).toBe(204);
    expect((await t.client().get('/p/short-lived')).status).toBe(404);
    expect((await t.client().get('/p/short-lived/start')).status).toBe(404);
    expect(await countRows(t.database, 'funnel_pages', `funnel_id = '${funnel.id}'`)).toBe(0);
    expect(await countRows(t.database, 'page_versions', `page_id = '${page.id}'`)).toBe(0);
  });

  it('refuses a taken slug or domain with 409, and invalid ones with 400', async () => {
    const taken = await owner.rpc.api.funnels.$post({ json: { name: 'Copy', slug: DEMO.funnel.slug } });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).code).toBe('already_exists');

    // Slugs are public URLs: unique across workspaces, not just within one.
    const stranger = t.client();
    await stranger.signup('slug-thief@else.test');
    expect((await stranger.rpc.api.funnels.$post({ json: { name: 'Mine', slug: DEMO.funnel.slug } })).status).toBe(409);

    const a = await createFunnel(owner, 'domain-a');
    const b = await createFunnel(owner, 'domain-b');
    await json(await owner.rpc.api.funnels[':id'].$patch({ param: { id: a.id }, json: { customDomain: 'shop.example.com' } }), 200);
    const clash = await owner.rpc.api.funnels[':id'].$patch({ param: { id: b.id }, json: { customDomain: 'SHOP.example.com' } });
    expect(clash.status).toBe(409);
    const slugClash = await owner.rpc.api.funnels[':id'].$patch({ param: { id: b.id }, json: { slug: 'domain-a' } });
    expect(slugClash.status).toBe(409);
    expect(await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: b.id } }), 200)).toMatchObject({
      slug: 'domain-b',
      customDomain: null,
    });

    const invalid = await owner.rpc.api.funnels.$post({ json: { name: ' ', slug: 'Bad Slug!', customDomain: 'https://x.example.com/' } });
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).fields!.map((f) => f.path).sort()).toEqual(['customDomain', 'name', 'slug']);
  });
});

describe('pages', () => {
  let funnel: Awaited<ReturnType<typeof createFunnel>>;
  beforeAll(async () => {
    funnel = await createFunnel(owner, 'pages-test');
  });

  it('creates pages in order, reads, edits and deletes them', async () => {
    const first = await createPage(owner, funnel.id, 'welcome', { kind: 'landing' });
    const second = await createPage(owner, funnel.id, 'details');
    expect([first.position, second.position]).toEqual([0, 1]);
    expect(second.kind).toBe('custom');

    const read = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnel.id } }), 200);
    expect(read.pages.map((p) => [p.slug, p.url])).toEqual([
      ['welcome', '/p/pages-test'],
      ['details', '/p/pages-test/details'],
    ]);

    const edited = await json(await savePage(owner, second.id, { name: 'More details', content: content(hero('Edited')) }), 200);
    expect(edited).toMatchObject({
      name: 'More details',
      draft: { blocks: [{ headline: 'Edited' }] },
      publishedVersionId: null,
      versions: [],
    });

    expect((await owner.rpc.api.pages[':id'].$delete({ param: { id: second.id } })).status).toBe(204);
    expect((await owner.rpc.api.pages[':id'].$get({ param: { id: second.id } })).status).toBe(404);
    const after = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnel.id } }), 200);
    expect(after.pages.map((p) => p.slug)).toEqual(['welcome']);
  });

  it('publishes immutable versions and reports the public URL', async () => {
    const page = await createPage(owner, funnel.id, 'versions');
    const v1 = await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} }), 201);
    expect(v1).toMatchObject({ version: 1, url: '/p/pages-test/versions' });
    await json(await savePage(owner, page.id, { content: content(hero('Second take')) }), 200);
    const v2 = await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} }), 201);
    expect(v2.version).toBe(2);
    const read = await json(await owner.rpc.api.pages[':id'].$get({ param: { id: page.id } }), 200);
    expect(read.publishedVersionId).toBe(v2.id);
    expect(read.versions.map((v) => v.version)).toEqual([2, 1]);
    const [first] = await t.database.db.all<{ html: string }>(sql`select html from page_versions where id = ${v1.id}`);
    expect(first!.html).toContain('Page versions'); // the first version is kept as it was
    expect(await (await t.client().get('/p/pages-test/versions')).text()).toContain('Second take');
  });

  it('moves a page’s public URL when its slug changes, even when the old URL was cached', async () => {
    const page = await createPage(owner, funnel.id, 'old-name');
    await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} }), 201);
    expect((await t.client().get('/p/pages-test/old-name')).status).toBe(200);

    await json(await savePage(owner, page.id, { slug: 'new-name' }), 200);
    expect((await t.client().get('/p/pages-test/new-name')).status).toBe(200);
    expect((await t.client().get('/p/pages-test/old-name')).status).toBe(404);
  });

  it('serves the new first page at the funnel root after reordering', async () => {
    const f = await createFunnel(owner, 'reorder');
    const a = await createPage(owner, f.id, 'a', { content: content(hero('Page A')) });
    const b = await createPage(owner, f.id, 'b', { content: content(hero('Page B')) });
    for (const p of [a, b]) await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: p.id }, json: {} }), 201);
    expect(await (await t.client().get('/p/reorder')).text()).toContain('Page A');

    const c = await createPage(owner, f.id, 'c', { content: content(hero('Page C')) });

    // Moving a page moves the ones in between along: positions stay an order without ties.
    await json(await savePage(owner, c.id, { position: 0 }), 200);
    const order = async () =>
      (await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: f.id } }), 200)).pages.map((p) => `${p.slug}${p.position}`);
    expect(await order()).toEqual(['c0', 'a1', 'b2']);
    await json(await savePage(owner, a.id, { position: 2 }), 200);
    expect(await order()).toEqual(['c0', 'b1', 'a2']);
    await createPage(owner, f.id, 'd', { position: 1 });
    expect(await order()).toEqual(['c0', 'd1', 'b2', 'a3']);

    await json(await savePage(owner, b.id, { position: 0 }), 200);
    expect(await order()).toEqual(['b0', 'c1', 'd2', 'a3']);
    expect(await (await t.client().get('/p/reorder')).text()).toContain('Page B');
  });

  it('refuses a slug already used in the funnel with 409, and allows it in another funnel', async () => {
    await createPage(owner, funnel.id, 'unique');
    const clash = await owner.rpc.api.funnels[':id'].pages.$post({
      param: { id: funnel.id },
      json: { slug: 'unique', name: 'Again', content: content(hero('x')) },
    });
    expect(clash.status).toBe(409);
    expect((await errorOf(clash)).code).toBe('already_exists');

    const other = await createPage(owner, funnel.id, 'other');
    const rename = await savePage(owner, other.id, { slug: 'unique' });
    expect(rename.status).toBe(409);
    expect(await json(await owner.rpc.api.pages[':id'].$get({ param: { id: other.id } }), 200)).toMatchObject({ slug: 'other' });

    const elsewhere = await createFunnel(owner, 'elsewhere');
    await createPage(owner, elsewhere.id, 'unique');
  });

  describe('block validation', () => {
    const invalidBlocks: Array<[string, unknown, string]> = [
      [
        'a javascript: link on a button',
        { type: 'cta', id: 'go', label: 'Go', target: { kind: 'url', url: 'javascript:alert(1)' } },
        'content.blocks.0.target.url',
      ],
      [
        'a javascript: link in rich text',
        { type: 'rich_text', id: 'txt', markdown: 'Click [here](javascript:alert(1))' },
        'content.blocks.0.markdown',
      ],
      [
        'an unknown video provider',
        { type: 'video', id: 'vid', provider: 'dailymotion', videoId: 'x7tgad0', title: 'Demo' },
        'content.blocks.0.provider',
      ],
      [
        'a video id the provider never issues',
        { type: 'video', id: 'vid', provider: 'youtube', videoId: '"><script>', title: 'Demo' },
        'content.blocks.0.videoId',
      ],
      [
        'a lead form without an email field',
        { type: 'lead_form', id: 'form', fields: [{ name: 'name', label: 'Name', kind: 'name', required: true }], submitLabel: 'Send' },
        'content.blocks.0.fields',
      ],
      ['an unknown block type', { type: 'html', id: 'raw', html: '<script>alert(1)</script>' }, 'content.blocks.0.type'],
    ];

    for (const [label, block, path] of invalidBlocks) {
      it(`refuses ${label} with 400, names the field and writes nothing`, async () => {
        const pagesBefore = await countRows(t.database, 'funnel_pages');
        const res = await owner.post(`/api/funnels/${funnel.id}/pages`, {
          slug: 'invalid',
          name: 'Invalid',
          content: { settings, blocks: [block] },
        });
        expect(res.status).toBe(400);
        const error = await errorOf(res);
        expect(error.code).toBe('validation_failed');
        expect(error.fields!.map((f) => f.path)).toContain(path);
        expect(await countRows(t.database, 'funnel_pages')).toBe(pagesBefore);
      });
    }

    it('refuses an invalid edit and keeps the draft as it was', async () => {
      const page = await createPage(owner, funnel.id, 'keeps-draft');
      const res = await owner.rpc.api.pages[':id'].$patch({
        param: { id: page.id },
        json: {
          baseRevision: page.revision,
          name: 'Changed',
          content: content(hero('ok'), {
            type: 'cta',
            id: 'go',
            label: 'Go',
            target: { kind: 'url', url: 'data:text/html,<script>alert(1)</script>' },
          }),
        },
      });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields!.map((f) => f.path)).toEqual(['content.blocks.1.target.url']);
      expect(await json(await owner.rpc.api.pages[':id'].$get({ param: { id: page.id } }), 200)).toMatchObject({
        name: 'keeps-draft',
        draft: { blocks: [{ headline: 'Page keeps-draft' }] },
      });
    });
  });
});

describe('moving published pages', () => {
  const form: Block = {
    type: 'lead_form',
    id: 'join',
    fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }],
    submitLabel: 'Join',
  };
  const next: Block = { type: 'cta', id: 'on', label: 'Next', target: { kind: 'next' } };
  const toLast: Block = { type: 'cta', id: 'last', label: 'Last', target: { kind: 'page', slug: 'last' } };

  async function publishedFunnel(slug: string) {
    const f = await createFunnel(owner, slug);
    const first = await createPage(owner, f.id, 'first', { content: content(hero('First page'), form, next) });
    const last = await createPage(owner, f.id, 'last', { content: content(hero('Last page'), form, toLast) });
    for (const p of [first, last]) await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: p.id }, json: {} }), 201);
    return { funnel: f, first, last };
  }

  /** Where the page's form posts and where its buttons lead, as published. */
  async function published(path: string) {
    const res = await t.client().get(path);
    expect(res.status, path).toBe(200);
    const html = await res.text();
    return {
      html,
      action: /<form method="post" action="([^"]*)"/.exec(html)?.[1],
      links: [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]),
    };
  }

  async function postWorks(path: string, action: string, email: string) {
    const client = t.client();
    const res = await client.get(path);
    const html = await res.text();
    const token = /name="_token" value="([^"]+)"/.exec(html)![1]!;
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs + DEFAULT_CAPTURE_LIMITS.rateWindowMs);
    const post = await client.request(action, formBody({ _block: 'join', _token: token, email }));
    return post.status;
  }

  it('re-renders the published pages when a page is renamed, so its form and the links to it follow', async () => {
    const { first, last } = await publishedFunnel('rename-page');
    // An unpublished draft change must not go live with the re-render.
    await json(await savePage(owner, last.id, { content: content(hero('Draft only'), form) }), 200);
    expect((await published('/p/rename-page/last')).action).toBe('/p/rename-page/last');

    await json(await savePage(owner, last.id, { slug: 'final' }), 200);
    const moved = await published('/p/rename-page/final');
    expect(moved.html).toContain('Last page');
    expect(moved.html).not.toContain('Draft only');
    expect(moved.action).toBe('/p/rename-page/final');
    expect(await postWorks('/p/rename-page/final', moved.action!, 'renamed@example.com')).toBe(303);
    expect((await published('/p/rename-page')).links).toContain('/p/rename-page/final');

    // The same content each time: published while its button to "last" was text only (that page was
    // not live yet), rendered again with the link once it went live, and again for the new URL.
    const history = await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: first.id } }), 200);
    expect(history.versions.map((v) => v.reason)).toEqual(['relink', 'relink', 'publish']);
  });

  it('re-renders the published pages when the order changes, so the old first page posts to itself', async () => {
    const { first, last } = await publishedFunnel('reorder-forms');
    await json(await savePage(owner, last.id, { position: 0 }), 200);
    await json(await savePage(owner, first.id, { position: 1 }), 200);
    const root = await published('/p/reorder-forms');
    expect(root.html).toContain('Last page');
    expect(root.action).toBe('/p/reorder-forms');
    const old = await published('/p/reorder-forms/first');
    expect(old.action).toBe('/p/reorder-forms/first');
    expect(await postWorks('/p/reorder-forms/first', old.action!, 'reordered@example.com')).toBe(303);
  });

  it('re-renders the published pages when a page is deleted, so “next” skips it', async () => {
    const { funnel, last } = await publishedFunnel('delete-middle');
    const middle = await createPage(owner, funnel.id, 'middle', { position: 1, content: content(hero('Middle page')) });
    await json(await savePage(owner, last.id, { position: 2 }), 200);
    await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: middle.id }, json: {} }), 201);
    expect((await published('/p/delete-middle')).links).toContain('/p/delete-middle/middle');

    expect((await owner.rpc.api.pages[':id'].$delete({ param: { id: middle.id } })).status).toBe(204);
    const root = await published('/p/delete-middle');
    expect(root.links).toContain('/p/delete-middle/last');
    expect(root.links).not.toContain('/p/delete-middle/middle');
    expect((await t.client().get('/p/delete-middle/middle')).status).toBe(404);
  });

  it('keeps the old first page’s form working when a new page is put first', async () => {
    const { funnel } = await publishedFunnel('new-first');
    await createPage(owner, funnel.id, 'intro', { position: 0, content: content(hero('Intro draft')) });
    // The funnel root is the new first page, a draft not yet published.
    expect((await t.client().get('/p/new-first')).status).toBe(404);
    const old = await published('/p/new-first/first');
    expect(old.action).toBe('/p/new-first/first');
    expect(await postWorks('/p/new-first/first', old.action!, 'still-first@example.com')).toBe(303);
  });

  it('re-renders the published pages when the funnel is renamed', async () => {
    const { funnel } = await publishedFunnel('old-funnel');
    await json(await owner.rpc.api.funnels[':id'].$patch({ param: { id: funnel.id }, json: { slug: 'new-funnel' } }), 200);
    expect((await t.client().get('/p/old-funnel')).status).toBe(404);
    const root = await published('/p/new-funnel');
    expect(root.action).toBe('/p/new-funnel');
    expect(root.links).toContain('/p/new-funnel/last');
    expect(await postWorks('/p/new-funnel', root.action!, 'funnel-renamed@example.com')).toBe(303);
  });
});

describe('roles and workspaces', () => {
  let viewer: TestClient;
  let stranger: TestClient;
  let demoFunnelId: string;
  let guideId: string;
  let leadId: string;

  beforeAll(async () => {
    const invitation = await json(await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } }), 201);
    viewer = t.client();
    await viewer.signup('viewer@demo-shop.test', 'correct horse battery', 'Vic', { inviteToken: invitation.token });
    stranger = t.client();
    await stranger.signup('stranger@other-shop.test', 'correct horse battery', 'Sam', { workspaceName: 'Other Shop' });
    [{ id: demoFunnelId }] = (await t.database.db.all<{ id: string }>(sql`select id from funnels where slug = ${DEMO.funnel.slug}`)) as [
      { id: string },
    ];
    [{ id: guideId }] = (await t.database.db.all<{ id: string }>(
      sql`select id from funnel_pages where slug = 'guide' and funnel_id = ${demoFunnelId}`,
    )) as [{ id: string }];
    leadId = 'L'.padEnd(26, '0');
    await t.database.db.run(
      sql`insert into leads (id, workspace_id, email, name, created_at, updated_at) values (${leadId}, ${demoWorkspace}, 'secret-lead@example.com', 'Secret Lead', 1, 1)`,
    );
  });

  it('lets a viewer read funnels and pages but not change or publish them', async () => {
    expect((await viewer.rpc.api.funnels.$get()).status).toBe(200);
    expect((await json(await viewer.rpc.api.funnels[':id'].$get({ param: { id: demoFunnelId } }), 200)).pages).toHaveLength(5);
    expect((await viewer.rpc.api.pages[':id'].$get({ param: { id: guideId } })).status).toBe(200);

    const before = await json(await owner.rpc.api.pages[':id'].$get({ param: { id: guideId } }), 200);
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', `/api/pages/${guideId}/publish`],
      ['POST', `/api/pages/${guideId}/unpublish`],
      ['PATCH', `/api/pages/${guideId}`, { name: 'Hijacked', baseRevision: 1 }],
      ['DELETE', `/api/pages/${guideId}`],
      ['POST', '/api/funnels', { name: 'Viewer funnel', slug: 'viewer-funnel' }],
      ['PATCH', `/api/funnels/${demoFunnelId}`, { customDomain: 'evil.example.com' }],
      ['DELETE', `/api/funnels/${demoFunnelId}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await viewer.request(path, { method, ...(body ? { json: body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    const after = await json(await owner.rpc.api.pages[':id'].$get({ param: { id: guideId } }), 200);
    expect(after).toMatchObject({ name: before.name, publishedVersionId: before.publishedVersionId });
    expect(after.versions).toHaveLength(before.versions.length);
    expect((await t.client().get(`${FUNNEL}/guide`)).status).toBe(200);
  });

  it('reports another workspace’s funnels, pages and leads as not found, and changes nothing', async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/funnels/${demoFunnelId}`],
      ['PATCH', `/api/funnels/${demoFunnelId}`, { name: 'Mine now' }],
      ['DELETE', `/api/funnels/${demoFunnelId}`],
      ['POST', `/api/funnels/${demoFunnelId}/pages`, { slug: 'intruder', name: 'Intruder', content: content(hero('Hi')) }],
      ['GET', `/api/pages/${guideId}`],
      ['PATCH', `/api/pages/${guideId}`, { name: 'Mine now', baseRevision: 1 }],
      ['DELETE', `/api/pages/${guideId}`],
      ['POST', `/api/pages/${guideId}/publish`],
      ['POST', `/api/pages/${guideId}/unpublish`],
      ['GET', `/api/leads/${leadId}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await stranger.request(path, { method, ...(body ? { json: body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      const text = await res.clone().text();
      expect(text).not.toContain('Cosmetics');
      expect(text).not.toContain('secret-lead');
      expect((await errorOf(res)).code).toBe('not_found');
    }
    // Asking for the demo workspace by id does not help either.
    const scoped = await stranger.get(`/api/funnels/${demoFunnelId}`, { 'x-workspace-id': demoWorkspace });
    expect(scoped.status).toBe(404);

    const lists = await json(await stranger.rpc.api.funnels.$get(), 200);
    expect(lists.funnels).toEqual([]);
    expect(await json(await stranger.rpc.api.leads.$get({ query: {} }), 200)).toMatchObject({ leads: [] });

    expect(await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: demoFunnelId } }), 200)).toMatchObject({
      name: DEMO.funnel.name,
      pages: expect.arrayContaining([expect.objectContaining({ slug: 'guide' })]),
    });
    expect((await t.client().get(`${FUNNEL}/guide`)).status).toBe(200);
  });

  it('requires a session', async () => {
    const res = await t.client().rpc.api.funnels.$get();
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });
});
