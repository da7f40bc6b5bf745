/**
 * The server side of the page editor and the funnel page, through the typed client: saves that
 * never overwrite each other, version history and rollback, shareable preview links, the page's
 * checks and live render, the block schema, page order, duplicates, per-page numbers, the
 * custom-domain DNS check and the embed snippets — and who may do what.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import type { DnsResolver } from '../../workers/services/ports';
import { signToken } from '../../workers/domain/signed-tokens';
import { createTestApp, errorOf, TEST_SECRET, type TestApp, type TestClient } from '../support/app';
import { json } from '../support/responses';
import { leadFormPage, type NewPage, type PageBlock } from '../support/fixtures';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { countRows, formBody, formOf, signInDemo } from '../support/landing';

const APP_HOST = 'app.leadflare.test';
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const DAY = 24 * 60 * 60 * 1000;

/** DNS as the test says it is: CNAMEs and addresses by name, or a lookup that never answers / fails. */
const dnsRecords = {
  cname: new Map<string, string>(),
  addresses: new Map<string, string[]>(),
  mode: 'answer' as 'answer' | 'hang' | 'fail',
};
const fakeDns: DnsResolver = {
  cname: (name) => lookup(() => (dnsRecords.cname.has(name) ? [dnsRecords.cname.get(name)!] : [])),
  addresses: (name) => lookup(() => dnsRecords.addresses.get(name) ?? []),
};
function lookup(answer: () => string[]): Promise<string[]> {
  if (dnsRecords.mode === 'hang') return new Promise(() => {});
  if (dnsRecords.mode === 'fail') return Promise.reject(new Error('SERVFAIL'));
  return Promise.resolve(answer());
}

let t: TestApp;
let owner: TestClient;
let editor: TestClient;
let viewer: TestClient;
let stranger: TestClient;

beforeAll(async () => {
  t = await createTestApp({ dns: fakeDns, appHosts: [APP_HOST] });
  await seedDemo(t.database, { clock: t.clock.now });
  owner = await signInDemo(t.client());
  const invite = async (role: 'editor' | 'viewer') =>
    (await json(await owner.rpc.api.workspace.invitations.$post({ json: { role } }), 201)).token;
  editor = t.client();
  await editor.signup('edna@demo-shop.test', 'correct horse battery', 'Edna Editor', { inviteToken: await invite('editor') });
  viewer = t.client();
  await viewer.signup('vic@demo-shop.test', 'correct horse battery', 'Vic Viewer', { inviteToken: await invite('viewer') });
  stranger = t.client();
  await stranger.signup('sam@other-shop.test', 'correct horse battery', 'Sam Stranger', { workspaceName: 'Other Shop' });
});
afterAll(() => t.close());

const settings: NewPage['content']['settings'] = {
  title: 'Spring sale',
  noindex: false,
  theme: { primary: '#1f4fd1', background: '#ffffff', text: '#111111', fontStack: 'system' },
};
const hero = (headline: string): PageBlock => ({ type: 'hero', id: 'hero', headline });
const content = (...blocks: PageBlock[]): NewPage['content'] => ({ settings, blocks });

let slugs = 0;
async function newFunnel(client = owner) {
  const slug = `editing-${++slugs}`;
  return json(await client.rpc.api.funnels.$post({ json: { name: `Editing ${slugs}`, slug } }), 201);
}
async function newPage(funnelId: string, slug: string, body: NewPage['content'] = content(hero(`Page ${slug}`)), client = owner) {
  return json(
    await client.rpc.api.funnels[':id'].pages.$post({
      param: { id: funnelId },
      json: { slug, name: slug, kind: 'landing', content: body },
    }),
    201,
  );
}
const getPage = async (id: string, client = owner) => json(await client.rpc.api.pages[':id'].$get({ param: { id } }), 200);
const publish = async (id: string) => json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id }, json: {} }), 201);
const visitorGet = (path: string) => t.client().get(path, { 'user-agent': BROWSER_UA });

describe('saving a draft: no lost update', () => {
  it('returns the revision (and an ETag) and bumps it with every save of the draft', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'start');
    expect(page.revision).toBe(1);
    const res = await owner.rpc.api.pages[':id'].$get({ param: { id: page.id } });
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect((await res.json()).revision).toBe(1);

    const saved = await owner.rpc.api.pages[':id'].$patch({
      param: { id: page.id },
      json: { baseRevision: 1, content: content(hero('One')) },
    });
    expect(saved.headers.get('etag')).toBe('W/"2"');
    expect(await json(saved, 200)).toMatchObject({ revision: 2, draft: { blocks: [{ headline: 'One' }] } });
    // Publishing and moving the page are not edits of the draft: the revision stays.
    await publish(page.id);
    const moved = await json(
      await owner.rpc.api.pages[':id'].$patch({ param: { id: page.id }, json: { baseRevision: 2, position: 0 } }),
      200,
    );
    expect(moved.revision).toBe(2);
  });

  it('refuses the second of two saves from the same revision with 409 edit_conflict, and loses nothing', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'shared');
    // Two editors open the page at revision 1.
    const [forEdna, forOwner] = await Promise.all([getPage(page.id, editor), getPage(page.id, owner)]);
    expect([forEdna.revision, forOwner.revision]).toEqual([1, 1]);

    const first = await editor.rpc.api.pages[':id'].$patch({
      param: { id: page.id },
      json: { baseRevision: forEdna.revision, content: content(hero('Edna’s headline')) },
    });
    expect((await json(first, 200)).revision).toBe(2);

    const second = await owner.rpc.api.pages[':id'].$patch({
      param: { id: page.id },
      json: { baseRevision: forOwner.revision, name: 'Owner’s name', content: content(hero('Owner’s headline')) },
    });
    expect(second.status).toBe(409);
    expect(second.headers.get('etag')).toBe('W/"2"');
    const conflict = await json(second, 409);
    expect(conflict.error).toMatchObject({ code: 'edit_conflict', status: 409 });
    expect(conflict.error.message).toContain('Edna Editor saved this page after you opened it');
    expect(conflict.current).toMatchObject({
      revision: 2,
      name: 'shared',
      draft: { blocks: [{ headline: 'Edna’s headline' }] },
      updatedBy: { name: 'Edna Editor' },
    });

    // Nothing of the refused save was written: Edna's draft and the page's name are as she left them.
    const stored = await getPage(page.id);
    expect(stored).toMatchObject({ revision: 2, name: 'shared', draft: { blocks: [{ headline: 'Edna’s headline' }] } });

    // On top of the current revision, the owner's save goes through.
    const retry = await owner.rpc.api.pages[':id'].$patch({
      param: { id: page.id },
      json: { baseRevision: conflict.current.revision, content: content(hero('Owner’s headline')) },
    });
    expect((await json(retry, 200)).draft).toMatchObject({ blocks: [{ headline: 'Owner’s headline' }] });
  });

  it('lets exactly one of many simultaneous saves from one revision through', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'race');
    const saves = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((who) =>
        owner.rpc.api.pages[':id'].$patch({ param: { id: page.id }, json: { baseRevision: 1, content: content(hero(`By ${who}`)) } }),
      ),
    );
    const statuses = saves.map((s) => s.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    const winner = await json(
      saves.find((s) => s.status === 200)!,
      200,
    );
    expect((await getPage(page.id)).draft).toEqual(winner.draft);
  });

  it('does not move other pages when a move comes from a stale revision', async () => {
    const funnel = await newFunnel();
    const a = await newPage(funnel.id, 'a');
    const b = await newPage(funnel.id, 'b');
    await json(await owner.rpc.api.pages[':id'].$patch({ param: { id: b.id }, json: { baseRevision: 1, name: 'B renamed' } }), 200);
    const stale = await owner.rpc.api.pages[':id'].$patch({ param: { id: b.id }, json: { baseRevision: 1, position: 0 } });
    expect(stale.status).toBe(409);
    const order = (await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnel.id } }), 200)).pages.map((p) => [
      p.id,
      p.position,
    ]);
    expect(order).toEqual([
      [a.id, 0],
      [b.id, 1],
    ]);
  });

  it('requires baseRevision, and names the block field a validation error is about', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'fields');
    const missing = await owner.request(`/api/pages/${page.id}`, { method: 'PATCH', json: { name: 'No revision' } });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).fields).toContainEqual(expect.objectContaining({ path: 'baseRevision' }));

    const blocks: PageBlock[] = [
      hero('Fine'),
      { type: 'rich_text', id: 'txt', markdown: 'Fine too' },
      { type: 'cta', id: 'go', label: 'Go', target: { kind: 'next' } },
      { type: 'hero', id: 'second', headline: ' ' },
    ];
    const invalid = await owner.rpc.api.pages[':id'].$patch({
      param: { id: page.id },
      json: { baseRevision: 1, content: content(...blocks) },
    });
    expect(invalid.status).toBe(400);
    const error = await errorOf(invalid);
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual([{ path: 'content.blocks.3.headline', message: 'This cannot be empty.' }]);
    expect((await getPage(page.id)).revision).toBe(1);
  });
});

describe('version history and rollback', () => {
  it('lists who published each version and when, gives one version, and rolls back to the exact published HTML', async () => {
    const funnel = await newFunnel();
    const pageContent = content(hero('Version one'), { type: 'rich_text', id: 'body', markdown: 'The **first** text.' });
    const page = await newPage(funnel.id, 'history', pageContent);
    const v1 = await publish(page.id);
    const path = `/p/${funnel.slug}`;
    const servedV1 = await (await visitorGet(path)).text();

    t.clock.advance(60_000);
    await json(
      await editor.rpc.api.pages[':id'].$patch({
        param: { id: page.id },
        json: { baseRevision: 1, content: content(hero('Version two')) },
      }),
      200,
    );
    const v2 = await json(await editor.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} }), 201);
    expect(await (await visitorGet(path)).text()).toContain('Version two');

    const history = await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: page.id } }), 200);
    expect(history.publishedVersionId).toBe(v2.id);
    expect(history.versions).toMatchObject([
      { id: v2.id, version: 2, reason: 'publish', live: true, publishedBy: { name: 'Edna Editor', email: 'edna@demo-shop.test' } },
      { id: v1.id, version: 1, reason: 'publish', live: false, publishedBy: { name: DEMO.name, email: DEMO.email } },
    ]);
    expect(history.versions[0]!.createdAt - history.versions[1]!.createdAt).toBe(60_000);

    const one = await json(await owner.rpc.api.pages[':id'].versions[':versionId'].$get({ param: { id: page.id, versionId: v1.id } }), 200);
    expect(one).toMatchObject({ version: 1, content: pageContent });
    expect(one.html).toBe(servedV1);

    // Rollback: v1's content becomes version 3 and the draft.
    const current = await getPage(page.id);
    const restored = await owner.rpc.api.pages[':id'].versions[':versionId'].restore.$post({
      param: { id: page.id, versionId: v1.id },
      json: { baseRevision: current.revision },
    });
    const body = await json(restored, 201);
    expect(body).toMatchObject({ version: { version: 3, url: path }, revision: current.revision + 1 });
    expect(restored.headers.get('etag')).toBe(`W/"${current.revision + 1}"`);

    // The cache was purged: visitors get, byte for byte, what they got at version 1.
    const servedNow = await (await visitorGet(path)).text();
    expect(servedNow).toBe(servedV1);
    const [v3] = await t.database.db.all<{ html: string; reason: string; restored_from: number }>(
      sql`select html, reason, restored_from from page_versions where id = ${body.version.id}`,
    );
    expect(v3).toEqual({ html: one.html, reason: 'restore', restored_from: 1 });
    const after = await getPage(page.id);
    expect(after).toMatchObject({ publishedVersionId: body.version.id, revision: current.revision + 1, draft: pageContent });
    const list = await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: page.id } }), 200);
    expect(list.versions[0]).toMatchObject({
      version: 3,
      reason: 'restore',
      restoredFrom: 1,
      live: true,
      publishedBy: { name: DEMO.name },
    });
  });

  it('restores a form page’s stored HTML exactly too', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'form', leadFormPage({ title: 'Form v1' }));
    const v1 = await publish(page.id);
    await json(
      await owner.rpc.api.pages[':id'].$patch({
        param: { id: page.id },
        json: { baseRevision: 1, content: leadFormPage({ title: 'Form v2' }) },
      }),
      200,
    );
    await publish(page.id);
    const ok = await json(
      await owner.rpc.api.pages[':id'].versions[':versionId'].restore.$post({ param: { id: page.id, versionId: v1.id }, json: {} }),
      201,
    );
    const stored = await t.database.db.all<{ id: string; html: string }>(
      sql`select id, html from page_versions where id in (${v1.id}, ${ok.version.id})`,
    );
    expect(stored).toHaveLength(2);
    expect(stored[0]!.html).toBe(stored[1]!.html);
    expect(await (await visitorGet(`/p/${funnel.slug}`)).text()).toContain('Form v1');
  });

  it('refuses a rollback over a draft saved since, and writes nothing', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'guarded');
    const v1 = await publish(page.id);
    await json(
      await editor.rpc.api.pages[':id'].$patch({
        param: { id: page.id },
        json: { baseRevision: 1, content: content(hero('Unpublished work')) },
      }),
      200,
    );
    const versionsBefore = await countRows(t.database, 'page_versions', `page_id = '${page.id}'`);

    const res = await owner.rpc.api.pages[':id'].versions[':versionId'].restore.$post({
      param: { id: page.id, versionId: v1.id },
      json: { baseRevision: 1 },
    });
    expect(res.status).toBe(409);
    const conflict = await json(res, 409);
    expect(conflict.current).toMatchObject({ revision: 2, draft: { blocks: [{ headline: 'Unpublished work' }] } });
    expect(await countRows(t.database, 'page_versions', `page_id = '${page.id}'`)).toBe(versionsBefore);
    expect(await getPage(page.id)).toMatchObject({
      revision: 2,
      publishedVersionId: v1.id,
      draft: { blocks: [{ headline: 'Unpublished work' }] },
    });
  });

  it('answers 404 for a version of another page', async () => {
    const funnel = await newFunnel();
    const a = await newPage(funnel.id, 'a');
    const b = await newPage(funnel.id, 'b');
    const va = await publish(a.id);
    const res = await owner.rpc.api.pages[':id'].versions[':versionId'].$get({ param: { id: b.id, versionId: va.id } });
    expect(res.status).toBe(404);
    const restore = await owner.rpc.api.pages[':id'].versions[':versionId'].restore.$post({
      param: { id: b.id, versionId: va.id },
      json: {},
    });
    expect(restore.status).toBe(404);
  });
});

describe('publishing what was checked', () => {
  it('publishes the draft at baseRevision, and refuses with 409 edit_conflict — publishing nothing — once someone saved since', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'launch', content(hero('Checked headline')));
    const path = `/p/${funnel.slug}`;
    const first = await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: { baseRevision: 1 } }), 201);
    expect(first).toMatchObject({ version: 1, url: path });
    const live = await (await visitorGet(path)).text();

    // Edna saves a change while the owner reviews revision 1 in the publish dialog.
    await json(
      await editor.rpc.api.pages[':id'].$patch({ param: { id: page.id }, json: { baseRevision: 1, content: content(hero('Unchecked')) } }),
      200,
    );
    const refused = await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: { baseRevision: 1 } });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('etag')).toBe('W/"2"');
    const body = (await refused.json()) as {
      error: { code: string; message: string; status: number };
      current: { revision: number; draft: unknown; updatedBy: { name: string } | null };
    };
    expect(body.error).toEqual({
      code: 'edit_conflict',
      status: 409,
      message:
        'Edna Editor saved this page after your last save (it is now at revision 2), so nothing was published. Load their version and check it before you publish again.',
    });
    expect(body.current).toMatchObject({ revision: 2, draft: content(hero('Unchecked')), updatedBy: { name: 'Edna Editor' } });
    // Nothing was written: no version, the same live page, the draft as Edna left it.
    const versions = await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: page.id } }), 200);
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    expect(await (await visitorGet(path)).text()).toBe(live);
    expect(await getPage(page.id)).toMatchObject({ revision: 2, publishedVersionId: first.id });

    // Checked at revision 2, it goes live (and the draft's revision stays: publishing is no edit).
    const second = await json(await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: { baseRevision: 2 } }), 201);
    expect(second.version).toBe(2);
    expect(await (await visitorGet(path)).text()).toContain('Unchecked');
    expect((await getPage(page.id)).revision).toBe(2);
  });

  it('refuses a publish from a revision that is ahead of the draft, and a malformed one', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'ahead');
    expect((await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: { baseRevision: 5 } })).status).toBe(409);
    const bad = await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: { baseRevision: 0 } });
    expect(bad.status).toBe(400);
    expect((await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: page.id } }), 200)).versions).toEqual([]);
  });
});

describe('links to pages visitors cannot open', () => {
  it('makes no dead link from a published page to an unpublished one: the text stays, the link follows the publish', async () => {
    const funnel = await newFunnel();
    const landing = await newPage(
      funnel.id,
      'start',
      content(
        { type: 'hero', id: 'hero', headline: 'Start here', cta: { label: 'See the offer', target: { kind: 'page', slug: 'offer' } } },
        { type: 'cta', id: 'next', label: 'Continue to the next step', target: { kind: 'next' } },
        { type: 'cta', id: 'away', label: 'Our shop', target: { kind: 'url', url: 'https://shop.example.com/' } },
      ),
    );
    const offer = await newPage(funnel.id, 'offer', content(hero('The offer')));
    const root = `/p/${funnel.slug}`;
    const offerPath = `${root}/offer`;

    // Only the first page is published: its buttons to the offer page keep their words, without a link.
    await publish(landing.id);
    expect((await visitorGet(offerPath)).status).toBe(404);
    let html = await (await visitorGet(root)).text();
    expect(html).not.toContain(`href="${offerPath}"`);
    expect(html).toContain('<p><strong>See the offer</strong></p>');
    expect(html).toContain('<p><strong>Continue to the next step</strong></p>');
    expect(html).toContain('href="https://shop.example.com/"');
    // Before publishing, the editor is told so.
    const checks = await json(await owner.rpc.api.pages[':id'].checks.$get({ param: { id: landing.id } }), 200);
    expect(checks.accessibility.filter((f) => f.rule === 'link-target')).toEqual([
      expect.objectContaining({
        blockId: 'hero',
        field: 'cta.target.slug',
        severity: 'warning',
        message: 'The hero button leads to “offer”, which is not published: until it is, visitors see the button’s text without a link.',
      }),
      expect.objectContaining({ blockId: 'next', field: 'target', severity: 'warning' }),
    ]);
    // A draft preview links every page, as the funnel is designed.
    const preview = await json(
      await owner.rpc.api.pages[':id'].render.$post({
        param: { id: landing.id },
        json: { content: (await getPage(landing.id)).draft as NewPage['content'] },
      }),
      200,
    );
    expect(preview.html).toContain(`href="${offerPath}"`);

    // Publishing the offer page re-renders the landing page (a relink version) with its links.
    await publish(offer.id);
    html = await (await visitorGet(root)).text();
    expect(html.match(new RegExp(`<a class="btn lg" href="${offerPath}"`, 'g'))).toHaveLength(2);
    const history = await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: landing.id } }), 200);
    expect(history.versions.map((v) => [v.version, v.reason, v.live])).toEqual([
      [2, 'relink', true],
      [1, 'publish', false],
    ]);
    // Publishing it again changes no link: the landing page keeps its version.
    await publish(offer.id);
    expect((await json(await owner.rpc.api.pages[':id'].versions.$get({ param: { id: landing.id } }), 200)).versions).toHaveLength(2);

    // Taking the offer page down takes the links with it; the text stays.
    expect((await owner.rpc.api.pages[':id'].unpublish.$post({ param: { id: offer.id } })).status).toBe(204);
    expect((await visitorGet(offerPath)).status).toBe(410);
    html = await (await visitorGet(root)).text();
    expect(html).not.toContain(`href="${offerPath}"`);
    expect(html).toContain('<p><strong>See the offer</strong></p>');
  });

  it('sends a form’s visitors on only to a page they can open, else thanks them in place', async () => {
    const funnel = await newFunnel();
    const form = await newPage(funnel.id, 'signup', leadFormPage());
    const thanks = await newPage(funnel.id, 'thanks', content(hero('Thank you')));
    await publish(form.id);
    const post = async (email: string) => {
      const page = await t.client().get(`/p/${funnel.slug}`);
      const { block, token } = formOf(await page.text(), 'signup');
      t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
      return t.client().request(`/p/${funnel.slug}`, formBody({ _block: block, _token: token, website: '', email, consent: 'yes' }));
    };
    expect((await post('early@example.com')).headers.get('location')).toMatch(
      new RegExp(`^/p/${funnel.slug}\\?result=.*#signup\\.result$`),
    );
    await publish(thanks.id);
    expect((await post('later@example.com')).headers.get('location')).toBe(`/p/${funnel.slug}/thanks`);
  });
});

describe('preview links', () => {
  it('shows the current draft to anyone with the link, never indexed, cached or tracked', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'preview', content(hero('Draft for the client')));
    const created = await json(await owner.rpc.api.pages[':id']['preview-link'].$post({ param: { id: page.id }, json: {} }), 201);
    expect(created.expiresAt).toBe(t.clock.now() + 7 * DAY);
    expect(created.url).toMatch(new RegExp(`^https://${APP_HOST.replace(/\./g, '\\.')}/preview/[\\w-]+\\.[\\w-]+$`));
    const path = new URL(created.url).pathname;

    const res = await t.client().get(path); // no session: a client without an account
    expect(res.status).toBe(200);
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('Draft for the client');
    expect(html).toContain('<meta name="robots" content="noindex,nofollow"/>');
    expect(html).not.toContain('sendBeacon'); // no tracker in a preview

    // The link shows the draft as it is now.
    await json(
      await owner.rpc.api.pages[':id'].$patch({
        param: { id: page.id },
        json: { baseRevision: 1, content: content(hero('Revised draft')) },
      }),
      200,
    );
    expect(await (await t.client().get(path)).text()).toContain('Revised draft');
  });

  it('tells an expired, tampered or foreign link apart with a clear page', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'expiring');
    const { url, expiresAt } = await json(
      await owner.rpc.api.pages[':id']['preview-link'].$post({ param: { id: page.id }, json: { expiresInDays: 1 } }),
      201,
    );
    const path = new URL(url).pathname;
    const token = path.split('/').pop()!;

    const [body, mac] = token.split('.') as [string, string];
    const tampered = await t.client().get(`/preview/${body.slice(0, -2)}${body.slice(-2) === 'AA' ? 'AB' : 'AA'}.${mac}`);
    expect(tampered.status).toBe(404);
    expect(await tampered.text()).toContain('This preview link is not valid');
    // A token the app signed for something else is not a preview link either.
    const download = await signToken(TEST_SECRET, { l: 'lead', a: '/assets/gated/x.pdf', e: expiresAt });
    expect((await t.client().get(`/preview/${download}`)).status).toBe(404);
    // Signed with another key.
    const forged = await signToken('someone-elses-secret-value', { k: 'preview', p: page.id, w: 'ws', e: expiresAt });
    expect((await t.client().get(`/preview/${forged}`)).status).toBe(404);

    expect((await t.client().get(path)).status).toBe(200);
    t.clock.set(expiresAt);
    const expired = await t.client().get(path);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const text = await expired.text();
    expect(text).toContain('This preview link has expired');
    expect(text).toContain('Ask whoever sent it for a new link');
    t.clock.set(expiresAt - DAY);

    expect((await owner.rpc.api.pages[':id'].$delete({ param: { id: page.id } })).status).toBe(204);
    const gone = await t.client().get(path);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('This page no longer exists');
  });

  it('turns off every link made so far, and only those, at an editor’s request', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'revocable', content(hero('Shared too widely')));
    const other = await newPage(funnel.id, 'untouched', content(hero('Another page')));
    const link = async (id: string) =>
      new URL((await json(await owner.rpc.api.pages[':id']['preview-link'].$post({ param: { id }, json: {} }), 201)).url).pathname;
    const [first, second, elsewhere] = [await link(page.id), await link(page.id), await link(other.id)];

    t.clock.advance(1);
    const revoked = await owner.rpc.api.pages[':id']['preview-links'].$delete({ param: { id: page.id } });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ revokedAt: t.clock.now() });
    for (const path of [first, second]) {
      const res = await t.client().get(path);
      expect(res.status).toBe(410);
      expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
      const text = await res.text();
      expect(text).toContain('This preview link was turned off');
      expect(text).not.toContain('Shared too widely');
    }
    // Another page's links are untouched, and a link made afterwards works.
    expect((await t.client().get(elsewhere)).status).toBe(200);
    t.clock.advance(1);
    const fresh = await t.client().get(await link(page.id));
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toContain('Shared too widely');
    // Unknown pages are 404 like every page route (viewers and other workspaces: the route-table sweeps).
    expect((await owner.rpc.api.pages[':id']['preview-links'].$delete({ param: { id: 'nope' } })).status).toBe(404);
  });

  it('refuses a link valid longer than 30 days', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'too-long');
    const res = await owner.rpc.api.pages[':id']['preview-link'].$post({ param: { id: page.id }, json: { expiresInDays: 31 } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fields).toContainEqual(expect.objectContaining({ path: 'expiresInDays' }));
  });
});

describe('checks and the live render', () => {
  it('lists accessibility findings with their field paths, and the page weight against the 14 KB budget', async () => {
    const funnel = await newFunnel();
    const blocks: PageBlock[] = [
      hero('Welcome'),
      { type: 'image', id: 'photo', src: '/assets/cosmetics-set.svg', alt: '', width: 800, height: 600 },
      { type: 'rich_text', id: 'txt', markdown: '### Too deep\n\nRead [here](https://example.com).' },
    ];
    const page = await newPage(funnel.id, 'checked', {
      ...content(...blocks),
      settings: { ...settings, theme: { ...settings.theme, text: '#9a9a9a' } },
    });
    const checks = await json(await owner.rpc.api.pages[':id'].checks.$get({ param: { id: page.id } }), 200);
    expect(checks.revision).toBe(1);
    expect(checks.accessibility.map((f) => [f.path, f.rule, f.severity])).toEqual([
      ['settings.theme.text', 'contrast', 'error'],
      ['blocks.1.alt', 'image-alt', 'error'],
      ['blocks.2.markdown', 'link-text', 'warning'],
      ['blocks.2.markdown', 'heading-order', 'warning'],
    ]);
    expect(checks.accessibility[1]).toMatchObject({ blockIndex: 1, blockId: 'photo', field: 'alt' });
    expect(checks.counts).toEqual({ errors: 2, warnings: 2 });
    expect(checks.weight).toMatchObject({ budgetBytes: 14_000, withinBudget: true, js: { shipsIslands: false, islandsBytes: 0 } });
    expect(checks.weight.gzipBytes).toBeGreaterThan(1000);
    expect(checks.weight.gzipBytes).toBeLessThan(checks.weight.htmlBytes);
    expect(checks.weight.js.trackerGzipBytes).toBeGreaterThan(0);

    // The published page weighs what the checks said.
    await publish(page.id);
    const served = await (await visitorGet(`/p/${funnel.slug}`)).text();
    expect(new TextEncoder().encode(served).length).toBe(checks.weight.htmlBytes);
  });

  it('counts the islands’ JavaScript on a quiz page', async () => {
    const schema = await json(await owner.rpc.api.blocks.schema.$get(), 200);
    const quiz = schema.blocks.find((b) => b.type === 'quiz')!.example;
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'quiz', content(hero('Take the quiz'), quiz));
    const { weight } = await json(await owner.rpc.api.pages[':id'].checks.$get({ param: { id: page.id } }), 200);
    expect(weight.js.shipsIslands).toBe(true);
    expect(weight.js.islandsGzipBytes).toBeGreaterThan(1000);
  });

  it('renders unsaved content as the published renderer would, in preview mode, and checks it', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'live');
    const res = await owner.rpc.api.pages[':id'].render.$post({
      param: { id: page.id },
      json: { content: content(hero('Typed a moment ago'), { type: 'image', id: 'pic', src: '/assets/cosmetics-set.svg', alt: '' }) },
    });
    const body = await json(res, 200);
    expect(body.html).toContain('<h1>Typed a moment ago</h1>');
    expect(body.html).toContain('<section id="pic"');
    expect(body.html).toContain('noindex');
    expect(body.csp).toContain("default-src 'none'");
    expect(body.checks).toMatchObject({ revision: null, counts: { errors: 1 } });
    // Nothing was saved.
    expect(await getPage(page.id)).toMatchObject({ revision: 1, draft: { blocks: [{ headline: 'Page live' }] } });

    const invalid = await owner.rpc.api.pages[':id'].render.$post({ param: { id: page.id }, json: { content: content(hero(' ')) } });
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).fields!.map((f) => f.path)).toEqual(['content.blocks.0.headline']);
  });
});

describe('the block schema', () => {
  it('describes every block type with titled fields and a valid example, for signed-in users', async () => {
    const res = await owner.rpc.api.blocks.schema.$get();
    const doc = await json(res, 200);
    expect(doc.blocks.map((b) => b.type)).toEqual([
      'hero',
      'rich_text',
      'image',
      'features',
      'testimonials',
      'cta',
      'lead_form',
      'quiz',
      'lead_magnet',
      'chat_capture',
      'offer',
      'countdown',
      'faq',
      'video',
    ]);
    const hero = doc.blocks[0]!;
    expect(hero.schema).toMatchObject({
      type: 'object',
      required: ['type', 'id', 'headline'],
      properties: { headline: { type: 'string', maxLength: 160, title: 'Headline' } },
    });
    expect(doc.settings).toMatchObject({ properties: { theme: { properties: { primary: { 'x-widget': 'color' } } } } });
    expect((await t.client().rpc.api.blocks.schema.$get()).status).toBe(401);
  });
});

describe('the funnel page', () => {
  it('reorders pages all at once, and refuses anything but a permutation without moving a page', async () => {
    const funnel = await newFunnel();
    const [a, b, c] = [
      await newPage(funnel.id, 'a', content(hero('Page A'))),
      await newPage(funnel.id, 'b', content(hero('Page B'))),
      await newPage(funnel.id, 'c', content(hero('Page C'))),
    ];
    for (const p of [a, b, c]) await publish(p.id);
    expect(await (await visitorGet(`/p/${funnel.slug}`)).text()).toContain('Page A'); // cached now

    const reordered = await json(
      await owner.rpc.api.funnels[':id']['page-order'].$put({ param: { id: funnel.id }, json: { pageIds: [c.id, a.id, b.id] } }),
      200,
    );
    expect(reordered.pages.map((p) => [p.slug, p.position, p.url])).toEqual([
      ['c', 0, `/p/${funnel.slug}`],
      ['a', 1, `/p/${funnel.slug}/a`],
      ['b', 2, `/p/${funnel.slug}/b`],
    ]);
    expect(await (await visitorGet(`/p/${funnel.slug}`)).text()).toContain('Page C');
    expect((await getPage(c.id)).revision).toBe(1); // a move is not an edit

    const other = await newFunnel();
    const foreign = await newPage(other.id, 'x');
    const wrong: Array<[string[], string[]]> = [
      [[c.id, a.id], ['pageIds']],
      [
        [c.id, a.id, a.id],
        ['pageIds.2', 'pageIds'],
      ],
      [[c.id, a.id, b.id, foreign.id], ['pageIds.3']],
      [
        [c.id, a.id, 'nope'],
        ['pageIds.2', 'pageIds'],
      ],
    ];
    for (const [pageIds, paths] of wrong) {
      const res = await owner.rpc.api.funnels[':id']['page-order'].$put({ param: { id: funnel.id }, json: { pageIds } });
      expect(res.status, JSON.stringify(pageIds)).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('validation_failed');
      expect(error.fields!.map((f) => f.path)).toEqual(paths);
    }
    const unchanged = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnel.id } }), 200);
    expect(unchanged.pages.map((p) => p.slug)).toEqual(['c', 'a', 'b']);
  });

  it('duplicates a page right after the original, as an unpublished draft', async () => {
    const funnel = await newFunnel();
    const first = await newPage(funnel.id, 'offer', leadFormPage({ title: 'Offer page' }));
    const last = await newPage(funnel.id, 'thanks');
    await publish(first.id);

    const copy = await json(await owner.rpc.api.pages[':id'].duplicate.$post({ param: { id: first.id }, json: {} }), 201);
    expect(copy).toMatchObject({
      slug: 'offer-copy',
      name: 'offer (copy)',
      position: 1,
      revision: 1,
      publishedVersionId: null,
      versions: [],
    });
    expect(copy.draft).toEqual(leadFormPage({ title: 'Offer page' }));
    const again = await json(await owner.rpc.api.pages[':id'].duplicate.$post({ param: { id: first.id }, json: { name: 'Offer B' } }), 201);
    expect(again).toMatchObject({ slug: 'offer-copy-2', name: 'Offer B', position: 1 });
    const order = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: funnel.id } }), 200);
    expect(order.pages.map((p) => p.slug)).toEqual(['offer', 'offer-copy-2', 'offer-copy', 'thanks']);
    expect(order.pages.find((p) => p.id === last.id)!.position).toBe(3);

    const taken = await owner.rpc.api.pages[':id'].duplicate.$post({ param: { id: first.id }, json: { slug: 'thanks' } });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).code).toBe('already_exists');
  });

  it('duplicates a whole funnel — pages, blocks, scoring, rules — in one transaction', async () => {
    const [demo] = await t.database.db.all<{ id: string }>(sql`select id from funnels where slug = ${DEMO.funnel.slug}`);
    const original = await json(await owner.rpc.api.funnels[':id'].$get({ param: { id: demo!.id } }), 200);
    const rulesBefore = await t.database.db.all<{ name: string; conditions: string; action: string }>(
      sql`select name, conditions, action from qualification_rules where funnel_id = ${demo!.id} order by position`,
    );
    expect(rulesBefore.length).toBeGreaterThan(0);

    const copy = await json(await owner.rpc.api.funnels[':id'].duplicate.$post({ param: { id: demo!.id }, json: {} }), 201);
    expect(copy).toMatchObject({
      slug: `${DEMO.funnel.slug}-copy`,
      name: `${DEMO.funnel.name} (copy)`,
      customDomain: null,
      settings: original.settings,
    });
    expect(copy.pages.map((p) => [p.slug, p.name, p.position, p.publishedVersionId])).toEqual(
      original.pages.map((p) => [p.slug, p.name, p.position, null]),
    );
    for (const [i, page] of copy.pages.entries()) {
      expect((await getPage(page.id)).draft).toEqual((await getPage(original.pages[i]!.id)).draft);
    }
    const rulesAfter = await t.database.db.all<{ name: string; conditions: string; action: string }>(
      sql`select name, conditions, action from qualification_rules where funnel_id = ${copy.id} order by position`,
    );
    expect(rulesAfter).toEqual(rulesBefore);
    // The copy is not live: nothing was published.
    expect((await visitorGet(`/p/${copy.slug}`)).status).toBe(404);

    // A taken slug fails the whole copy: not a funnel, page or rule more.
    const counts = async () => [
      await countRows(t.database, 'funnels'),
      await countRows(t.database, 'funnel_pages'),
      await countRows(t.database, 'qualification_rules'),
    ];
    const before = await counts();
    const clash = await owner.rpc.api.funnels[':id'].duplicate.$post({ param: { id: demo!.id }, json: { slug: copy.slug } });
    expect(clash.status).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('counts views and conversions per page over the last 30 days', async () => {
    const funnel = await newFunnel();
    const form = await newPage(funnel.id, 'join', leadFormPage());
    const thanks = await newPage(funnel.id, 'thanks');
    for (const p of [form, thanks]) await publish(p.id);

    for (let i = 0; i < 3; i++) {
      const visitor = t.client();
      const res = await visitor.get(`/p/${funnel.slug}`, { 'user-agent': BROWSER_UA });
      expect(res.status).toBe(200);
      if (i > 0) continue;
      // The first visitor signs up, as a browser does: the post carries the page's token and the visitor's cookie.
      const { token } = formOf(await res.text(), 'signup');
      t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
      const body = formBody({ _block: 'signup', _token: token, website: '', email: 'stats@example.com', consent: 'yes' });
      const posted = await visitor.request(`/p/${funnel.slug}`, { ...body, headers: { ...body.headers, 'user-agent': BROWSER_UA } });
      expect(posted.status).toBe(303);
    }
    await visitorGet(`/p/${funnel.slug}/thanks`);
    await t.deps.events.flush();

    const stats = await json(await owner.rpc.api.funnels[':id']['page-stats'].$get({ param: { id: funnel.id }, query: {} }), 200);
    expect(stats.pages).toMatchObject([
      { pageId: form.id, slug: 'join', views: 3, conversions: 1 },
      { pageId: thanks.id, slug: 'thanks', views: 1, conversions: 0, conversionRate: 0 },
    ]);
    expect(stats.pages[0]!.conversionRate).toBeCloseTo(1 / 3);
    expect(stats.totals).toMatchObject({ views: 4, conversions: 1 });

    // A period that ends the day before has none of them; one of just today has all.
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);
    const yesterday = new Date(t.clock.now() - DAY).toISOString().slice(0, 10);
    const before = await json(
      await owner.rpc.api.funnels[':id']['page-stats'].$get({ param: { id: funnel.id }, query: { to: yesterday } }),
      200,
    );
    expect(before.totals).toMatchObject({ views: 0, conversions: 0 });
    const todayOnly = await json(
      await owner.rpc.api.funnels[':id']['page-stats'].$get({ param: { id: funnel.id }, query: { from: today, to: today } }),
      200,
    );
    expect(todayOnly.totals).toMatchObject({ views: 4, conversions: 1 });
  });

  it('lists the embed snippet of every lead form, and whether it is live', async () => {
    const funnel = await newFunnel();
    const page = await newPage(funnel.id, 'embed', leadFormPage());
    const before = await json(await owner.rpc.api.funnels[':id'].embeds.$get({ param: { id: funnel.id } }), 200);
    expect(before.scriptUrl).toBe(`https://${APP_HOST}/embed.js`);
    expect(before.forms).toEqual([
      {
        pageId: page.id,
        pageName: 'embed',
        pageSlug: 'embed',
        blockId: 'signup',
        title: 'Join the list',
        embedId: `${page.id}.signup`,
        published: false,
        snippet: `<script src="https://${APP_HOST}/embed.js" data-form="${page.id}.signup" async></script>`,
      },
    ]);
    await publish(page.id);
    const after = await json(await owner.rpc.api.funnels[':id'].embeds.$get({ param: { id: funnel.id } }), 200);
    expect(after.forms[0]!.published).toBe(true);
    // The snippet's form is the one the embed endpoint serves.
    expect((await t.client().get(`/embed/forms/${after.forms[0]!.embedId}`)).status).toBe(200);
  });
});

describe('the custom-domain check', () => {
  let funnelId: string;
  const check = async () => json(await owner.rpc.api.funnels[':id']['domain-check'].$get({ param: { id: funnelId } }), 200);

  beforeAll(async () => {
    funnelId = (await newFunnel()).id;
  });
  beforeEach(() => {
    dnsRecords.cname.clear();
    dnsRecords.addresses.clear();
    dnsRecords.mode = 'answer';
  });

  it('says when there is no domain to check', async () => {
    expect(await check()).toMatchObject({ domain: null, record: null, status: 'not_set', resolves: false });
  });

  it('gives the CNAME record to create, and whether DNS leads here yet', async () => {
    await json(await owner.rpc.api.funnels[':id'].$patch({ param: { id: funnelId }, json: { customDomain: 'offers.shop.example' } }), 200);
    const record = { type: 'CNAME', name: 'offers.shop.example', value: APP_HOST };

    const pending = await check();
    expect(pending).toMatchObject({ domain: 'offers.shop.example', record, status: 'pending', resolves: false });
    expect(pending.message).toContain(`Create a CNAME record from offers.shop.example to ${APP_HOST}`);

    dnsRecords.cname.set('offers.shop.example', 'old-host.example.net');
    const wrong = await check();
    expect(wrong).toMatchObject({ status: 'wrong_target', resolves: false, observed: { cname: ['old-host.example.net'] } });
    expect(wrong.message).toContain(`Change its CNAME record to ${APP_HOST}`);

    // Through an intermediate name (a provider's alias), as DNS allows.
    dnsRecords.cname.set('offers.shop.example', 'shop-alias.example.net');
    dnsRecords.cname.set('shop-alias.example.net', APP_HOST);
    const connected = await check();
    expect(connected).toMatchObject({ status: 'connected', resolves: true, observed: { cname: ['shop-alias.example.net', APP_HOST] } });
  });

  it('accepts a flattened CNAME (an apex answering with the app’s own addresses)', async () => {
    await json(await owner.rpc.api.funnels[':id'].$patch({ param: { id: funnelId }, json: { customDomain: 'shop.example' } }), 200);
    dnsRecords.addresses.set(APP_HOST, ['203.0.113.7', '2001:db8::7']);
    dnsRecords.addresses.set('shop.example', ['203.0.113.7']);
    expect(await check()).toMatchObject({ status: 'connected', resolves: true });
    dnsRecords.addresses.set('shop.example', ['198.51.100.1']);
    expect(await check()).toMatchObject({ status: 'wrong_target', resolves: false, observed: { addresses: ['198.51.100.1'] } });
  });

  it('answers within 2 seconds when DNS does not, and says so; and reports a failing lookup', async () => {
    dnsRecords.mode = 'hang';
    const started = Date.now();
    const timeout = await check();
    const took = Date.now() - started;
    expect(timeout).toMatchObject({ status: 'timeout', resolves: false, record: { type: 'CNAME', value: APP_HOST } });
    expect(timeout.message).toBe('DNS did not answer within 2 seconds. This is usually temporary: check again in a minute.');
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(2900);

    dnsRecords.mode = 'fail';
    const failed = await check();
    expect(failed).toMatchObject({ status: 'lookup_failed', resolves: false });
    expect(failed.message).toContain('SERVFAIL');
  });
});

describe('who may do what', () => {
  let funnelId: string;
  let pageId: string;
  let versionId: string;

  beforeAll(async () => {
    funnelId = (await newFunnel()).id;
    pageId = (await newPage(funnelId, 'guarded')).id;
    versionId = (await publish(pageId)).id;
  });

  const reads = () => [
    `/api/pages/${pageId}/versions`,
    `/api/pages/${pageId}/versions/${versionId}`,
    `/api/pages/${pageId}/checks`,
    `/api/funnels/${funnelId}/page-stats`,
    `/api/funnels/${funnelId}/domain-check`,
    `/api/funnels/${funnelId}/embeds`,
  ];
  const writes = (): Array<[string, string, unknown]> => [
    ['PATCH', `/api/pages/${pageId}`, { baseRevision: 1, name: 'Taken over' }],
    ['POST', `/api/pages/${pageId}/versions/${versionId}/restore`, {}],
    ['POST', `/api/pages/${pageId}/preview-link`, {}],
    ['POST', `/api/pages/${pageId}/duplicate`, {}],
    ['POST', `/api/pages/${pageId}/render`, { content: content(hero('Mine')) }],
    ['PUT', `/api/funnels/${funnelId}/page-order`, { pageIds: [pageId] }],
    ['POST', `/api/funnels/${funnelId}/duplicate`, {}],
  ];
  const unchanged = async () => {
    const page = await getPage(pageId);
    expect(page).toMatchObject({ name: 'guarded', revision: 1, publishedVersionId: versionId });
    expect(await countRows(t.database, 'page_versions', `page_id = '${pageId}'`)).toBe(1);
    expect(await countRows(t.database, 'funnel_pages', `funnel_id = '${funnelId}'`)).toBe(1);
  };

  it('lets a viewer read everything and change nothing (403)', async () => {
    for (const path of reads()) expect((await viewer.get(path)).status, path).toBe(200);
    for (const [method, path, body] of writes()) {
      const res = await viewer.request(path, { method, json: body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    await unchanged();
  });

  it('shows another workspace nothing (404) and lets it change nothing', async () => {
    for (const path of reads()) {
      const res = await stranger.get(path);
      expect(res.status, path).toBe(404);
      expect((await errorOf(res)).code).toBe('not_found');
    }
    for (const [method, path, body] of writes()) {
      const res = await stranger.request(path, { method, json: body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    await unchanged();
    expect(await countRows(t.database, 'funnels', `slug like 'editing-%-copy%'`)).toBe(0);
  });
});
