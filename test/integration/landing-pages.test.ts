import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { SUBMISSION_TOKEN_PLACEHOLDER } from '../../pages-ui/landing/form-constants';
import { COUNTDOWN_JS, COUNTDOWN_JS_SHA256 } from '../../pages-ui/landing/generated/countdown';
import { ISLANDS_JS_SHA256 } from '../../pages-ui/landing/generated/islands';
import { TRACKER_JS, TRACKER_JS_SHA256 } from '../../pages-ui/tracker/generated';
import { createApp } from '../../workers/app';
import { verifyToken } from '../../workers/domain/signed-tokens';
import { nodeDeps } from '../../workers/node/deps';
import type { SubmissionTokenPayload } from '../../workers/services/capture';
import { createTestApp, freshDatabase, TEST_SECRET, testClock, TestClient, type TestApp } from '../support/app';
import type { NewPage } from '../support/fixtures';
import { countingDatabase, FUNNEL, formsOf, signInDemo } from '../support/landing';

let t: TestApp;
let editor: TestClient;
let pageIds: Record<string, string>;
let funnelId: string;

/** A page's draft with a new headline in its first block, the hero of each demo page. */
function withHeadline(draft: unknown, headline: string): NewPage['content'] {
  // Drafts are stored untyped (funnel_pages.draft is `unknown`), so the API types them as any JSON value.
  const content = structuredClone(draft) as NewPage['content'];
  const [hero, ...rest] = content.blocks;
  if (hero?.type !== 'hero') throw new Error(`The first block is a ${hero?.type}, not a hero`);
  return { ...content, blocks: [{ ...hero, headline }, ...rest] };
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  editor = await signInDemo(t.client());
  const [funnel] = await t.database.db.all<{ id: string }>(sql`select id from funnels where slug = ${DEMO.funnel.slug}`);
  funnelId = funnel!.id;
  const pages = await t.database.db.all<{ id: string; slug: string }>(sql`select id, slug from funnel_pages where funnel_id = ${funnelId}`);
  pageIds = Object.fromEntries(pages.map((p) => [p.slug, p.id]));
});
afterAll(() => t.close());

async function publishedVersionOf(slug: string): Promise<string> {
  const [row] = await t.database.db.all<{ v: string }>(
    sql`select published_version_id as v from funnel_pages where id = ${pageIds[slug]!}`,
  );
  return row!.v;
}

const FORM_PAGES = new Set(['landing', 'quiz', 'guide']);
const ISLAND_PAGES = new Set(['landing', 'quiz']);

describe('serving the published demo funnel', () => {
  for (const page of DEMO_FUNNEL_PAGES) {
    it(`serves /${page.slug} with its CSP and a fresh submission token per response`, async () => {
      const first = await t.client().get(`${FUNNEL}/${page.slug}`);
      const second = await t.client().get(`${FUNNEL}/${page.slug}`);
      for (const res of [first, second]) {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('cache-control')).toBe('private, no-cache');
        const csp = res.headers.get('content-security-policy')!;
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("form-action 'self'");
        expect(csp).toContain("base-uri 'none'");
        // Every page may run the tracker, pages with an island the islands too, with a countdown its ticker (by hash).
        const scripts = [
          TRACKER_JS_SHA256,
          ...(ISLAND_PAGES.has(page.slug) ? [ISLANDS_JS_SHA256] : []),
          ...(page.content.blocks.some((block) => block.type === 'countdown') ? [COUNTDOWN_JS_SHA256] : []),
        ];
        const allowed = /script-src ([^;]+)/.exec(csp)![1]!.split(' ').sort();
        expect(allowed).toEqual(scripts.map((hash) => `'sha256-${hash}'`).sort());
        expect(csp).toContain("connect-src 'self'");
      }
      const [a, b] = [await first.text(), await second.text()];
      for (const html of [a, b]) {
        expect(html.startsWith('<!doctype html>')).toBe(true);
        expect(html).toContain(`<title>${page.content.settings.title}</title>`);
        expect(html).not.toContain(SUBMISSION_TOKEN_PLACEHOLDER);
      }
      if (!FORM_PAGES.has(page.slug)) {
        expect(formsOf(a)).toEqual([]);
        return;
      }
      const [tokenA, tokenB] = [formsOf(a)[0]!.token, formsOf(b)[0]!.token];
      expect(tokenA).not.toBe(tokenB);
      // Each token is signed by the server for the published version the form came from.
      const payload = await verifyToken<SubmissionTokenPayload>(TEST_SECRET, tokenA);
      expect(payload).toMatchObject({ v: await publishedVersionOf(page.slug), t: t.clock.now() });
    });
  }

  it('serves the first page at the funnel root, with forms posting back to the root', async () => {
    const res = await t.client().get(FUNNEL);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Cosmetics set · Demo Shop</title>');
    expect(html).toContain('Healthy, glowing skin in five minutes a day');
    expect(html).toContain(`<form method="post" action="${FUNNEL}">`);
    // Links to the other pages use their own paths.
    expect(html).toContain(`href="${FUNNEL}/quiz"`);
  });

  it('answers an unknown page or funnel with a 404 HTML page', async () => {
    for (const path of [`${FUNNEL}/nope`, '/p/no-such-funnel', '/p/no-such-funnel/quiz', `${FUNNEL}/Quiz`]) {
      const res = await t.client().get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<h1>Page not found</h1>');
    }
  });

  it('ships no JavaScript but the tracker on pages with only forms, the countdown ticker with a countdown, and exactly one module script where a quiz or chat runs', async () => {
    const tracker = `<script>${TRACKER_JS}</script>`;
    for (const slug of ['guide', 'thanks']) {
      const html = await (await t.client().get(`${FUNNEL}/${slug}`)).text();
      expect(html.split(tracker).join(''), slug).not.toMatch(/<script/i);
      expect(html.split(tracker), slug).toHaveLength(2);
    }
    const offer = await (await t.client().get(`${FUNNEL}/offer`)).text();
    expect(offer.split(tracker).join('').split(`<script>${COUNTDOWN_JS}</script>`).join('')).not.toMatch(/<script/i);
    for (const slug of ['landing', 'quiz']) {
      const html = await (await t.client().get(`${FUNNEL}/${slug}`)).text();
      expect(html.match(/<script type="module"/g), slug).toHaveLength(1);
      expect(html.split(tracker), slug).toHaveLength(2);
      // The islands' props are data, not code.
      expect(
        html
          .split(tracker)
          .join('')
          .match(/<script(?! type="module")(?! type="application\/json")/g),
        slug,
      ).toBeNull();
    }
  });

  it('serves public assets but never gated files or paths outside the assets folder', async () => {
    const svg = await t.client().get('/assets/cosmetics-set.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    for (const path of [
      '/assets/gated/the-5-minute-skincare-routine.pdf',
      '/assets/missing.png',
      '/assets/..%2Fpackage.json',
      '/assets//etc/passwd',
    ]) {
      expect((await t.client().get(path)).status, path).toBe(404);
    }
  });
});

describe('the published-page cache', () => {
  it('costs at most one database read on a miss and none on a hit', async () => {
    const database = await freshDatabase('page-cache');
    const clock = testClock();
    await seedDemo(database, { clock: clock.now });
    const counted = countingDatabase(database);
    const app = createApp(nodeDeps(counted, TEST_SECRET, { clock: clock.now }));
    const visitor = new TestClient(app, 'http://localhost');
    try {
      for (const path of [FUNNEL, ...DEMO_FUNNEL_PAGES.map((p) => `${FUNNEL}/${p.slug}`)]) {
        counted.reset();
        expect((await visitor.get(path)).status, path).toBe(200);
        expect(counted.roundTrips(), `miss on ${path}`).toBe(1);
        counted.reset();
        for (let i = 0; i < 3; i++) expect((await visitor.get(path)).status).toBe(200);
        expect(counted.roundTrips(), `hits on ${path}`).toBe(0);
      }

      // A page taken down is remembered too: the 410 costs one read, then none.
      const editorClient = await signInDemo(new TestClient(app, 'http://localhost'));
      const [guide] = await database.db.all<{ id: string }>(sql`select id from funnel_pages where slug = 'guide'`);
      expect((await editorClient.rpc.api.pages[':id'].unpublish.$post({ param: { id: guide!.id } })).status).toBe(204);
      counted.reset();
      expect((await visitor.get(`${FUNNEL}/guide`)).status).toBe(410);
      expect(counted.roundTrips()).toBe(1);
      counted.reset();
      expect((await visitor.get(`${FUNNEL}/guide`)).status).toBe(410);
      expect(counted.roundTrips()).toBe(0);

      // An unknown page is one read each time (nothing to remember it by), never more.
      counted.reset();
      expect((await visitor.get(`${FUNNEL}/nope`)).status).toBe(404);
      expect(counted.roundTrips()).toBe(1);
    } finally {
      database.client.close();
    }
  });

  it('does not keep a page read just before a publish landed', async () => {
    const database = await freshDatabase('page-cache-race');
    const clock = testClock();
    await seedDemo(database, { clock: clock.now });
    const counted = countingDatabase(database);
    const app = createApp(nodeDeps(counted, TEST_SECRET, { clock: clock.now }));
    const visitor = new TestClient(app, 'http://localhost');
    const editorClient = await signInDemo(new TestClient(app, 'http://localhost'));
    try {
      const [offer] = await database.db.all<{ id: string; draft: string; revision: number }>(
        sql`select id, draft, revision from funnel_pages where slug = 'offer'`,
      );
      const draft = withHeadline(JSON.parse(offer!.draft), 'Republished while a visitor was loading');
      const edit = { content: draft, baseRevision: offer!.revision };
      expect((await editorClient.rpc.api.pages[':id'].$patch({ param: { id: offer!.id }, json: edit })).status).toBe(200);

      // A visitor's cache miss reads the old version; the publish commits and invalidates before
      // that visitor's response is cached.
      counted.afterNextRead(/from funnels f/, async () => {
        expect((await editorClient.rpc.api.pages[':id'].publish.$post({ param: { id: offer!.id }, json: {} })).status).toBe(201);
      });
      expect(await (await visitor.get(`${FUNNEL}/offer`)).text()).not.toContain('Republished');
      expect(await (await visitor.get(`${FUNNEL}/offer`)).text()).toContain('Republished while a visitor was loading');
    } finally {
      database.client.close();
    }
  });

  it('keeps serving the published version while the draft changes, and the new one right after publishing', async () => {
    const page = await (await editor.rpc.api.pages[':id'].$get({ param: { id: pageIds.offer! } })).json();
    const draft = withHeadline(page.draft, 'The complete cosmetics set, now with a travel bag');
    expect(
      (await editor.rpc.api.pages[':id'].$patch({ param: { id: pageIds.offer! }, json: { content: draft, baseRevision: page.revision } }))
        .status,
    ).toBe(200);

    const before = await (await t.client().get(`${FUNNEL}/offer`)).text();
    expect(before).toContain('The complete cosmetics set</h1>');
    expect(before).not.toContain('travel bag');

    const published = await editor.rpc.api.pages[':id'].publish.$post({ param: { id: pageIds.offer! }, json: {} });
    expect(published.status).toBe(201);
    expect(await published.json()).toMatchObject({ version: page.versions.length + 1, url: `${FUNNEL}/offer` });
    const after = await (await t.client().get(`${FUNNEL}/offer`)).text();
    expect(after).toContain('The complete cosmetics set, now with a travel bag</h1>');
  });

  it('takes a page down with 410 when unpublished and brings it back when published again', async () => {
    // Warm the cache so the test proves invalidation, not just a cold read.
    expect((await t.client().get(`${FUNNEL}/thanks`)).status).toBe(200);
    expect((await t.client().get(FUNNEL)).status).toBe(200);

    expect((await editor.rpc.api.pages[':id'].unpublish.$post({ param: { id: pageIds.thanks! } })).status).toBe(204);
    const gone = await t.client().get(`${FUNNEL}/thanks`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('cache-control')).toBe('no-store');
    expect(await gone.text()).toContain('This page is no longer available');
    // A form on a page that was taken down is not accepted either.
    expect(
      (
        await t.client().request(`${FUNNEL}/thanks`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: '_block=x',
        })
      ).status,
    ).toBe(410);

    // Taking down the first page takes down the funnel root with it.
    expect((await editor.rpc.api.pages[':id'].unpublish.$post({ param: { id: pageIds.landing! } })).status).toBe(204);
    expect((await t.client().get(FUNNEL)).status).toBe(410);

    expect((await editor.rpc.api.pages[':id'].publish.$post({ param: { id: pageIds.thanks! }, json: {} })).status).toBe(201);
    expect((await editor.rpc.api.pages[':id'].publish.$post({ param: { id: pageIds.landing! }, json: {} })).status).toBe(201);
    const back = await t.client().get(`${FUNNEL}/thanks`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('Thank you!');
    expect((await t.client().get(FUNNEL)).status).toBe(200);
  });
});

describe('draft preview', () => {
  it('shows the current draft to a signed-in member, never cached or indexed', async () => {
    const page = await (await editor.rpc.api.pages[':id'].$get({ param: { id: pageIds.guide! } })).json();
    const draft = withHeadline(page.draft, 'The 5-minute routine, second edition');
    expect(
      (await editor.rpc.api.pages[':id'].$patch({ param: { id: pageIds.guide! }, json: { content: draft, baseRevision: page.revision } }))
        .status,
    ).toBe(200);

    const res = await editor.get(`${FUNNEL}/guide?preview`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('The 5-minute routine, second edition');
    expect(html).toContain('Draft preview');
    expect(html).toContain('<meta name="robots" content="noindex,nofollow"/>');
    expect(html).not.toContain(SUBMISSION_TOKEN_PLACEHOLDER);

    // Visitors still get the published version.
    const visitor = await (await t.client().get(`${FUNNEL}/guide`)).text();
    expect(visitor).not.toContain('second edition');
    expect(visitor).not.toContain('Draft preview');
  });

  it('sends anyone not signed in to the login page, and shows a stranger nothing', async () => {
    const anonymous = await t.client().get(`${FUNNEL}/guide?preview`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`${FUNNEL}/guide?preview`)}`);

    const stranger = t.client();
    await stranger.signup('stranger@elsewhere.test');
    const res = await stranger.get(`${FUNNEL}/guide?preview`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('second edition');
  });
});

describe('custom domains', () => {
  it('serves the funnel on its own host name: the first page at / and the others by slug', async () => {
    const patch = await editor.rpc.api.funnels[':id'].$patch({ param: { id: funnelId }, json: { customDomain: 'Offers.Example.com' } });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ customDomain: 'offers.example.com' });

    const site = t.client('http://offers.example.com');
    const home = await site.get('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await home.text()).toContain('Healthy, glowing skin in five minutes a day');

    const quiz = await site.get('/quiz');
    expect(quiz.status).toBe(200);
    const html = await quiz.text();
    expect(html).toContain('The skin-type quiz');
    expect(formsOf(html)).toHaveLength(1);

    expect((await site.get('/no-such-page')).status).toBe(404);
    // The app's own host is unaffected.
    expect((await t.client().get(`${FUNNEL}/quiz`)).status).toBe(200);
  });

  it('stops serving a removed domain once the per-instance memo expires', async () => {
    expect((await editor.rpc.api.funnels[':id'].$patch({ param: { id: funnelId }, json: { customDomain: null } })).status).toBe(200);
    t.clock.advance(61_000);
    const res = await t.client('http://offers.example.com').get('/quiz');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('The skin-type quiz');
  });
});
