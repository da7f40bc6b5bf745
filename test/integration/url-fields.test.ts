/**
 * URL fields through the real API: a value that means something else once decoded (a script, CSS,
 * another host) is refused with a field error in the one error shape, and nothing is saved; the
 * sign-in redirect stays on this site however `next` is disguised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { leadFormPage, savePage, type PageBlock } from '../support/fixtures';

let t: TestApp;
let owner: TestClient;
let pageId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: 'URL checks', slug: 'url-checks' } })).json();
  const page = await (
    await owner.rpc.api.funnels[':id'].pages.$post({
      param: { id: funnel.id },
      json: { slug: 'join', name: 'Join', kind: 'landing', content: leadFormPage() },
    })
  ).json();
  pageId = page.id;
});
afterAll(() => t.close());

/** Saves the draft with one block added; the answer and the draft as stored afterwards. */
async function saveWith(block: PageBlock) {
  const base = leadFormPage();
  const res = await savePage(owner, pageId, { content: { ...base, blocks: [...base.blocks, block] } });
  const stored = await (await owner.rpc.api.pages[':id'].$get({ param: { id: pageId } })).json();
  return { res, stored: JSON.stringify(stored) };
}

describe('the page draft API', () => {
  it.each<[string, PageBlock, string]>([
    ['an image src carrying CSS', { id: 'pic', type: 'image', src: '#000000;background:url(javascript:alert(1))', alt: '' }, 'src'],
    ['an image src that is a script once decoded', { id: 'pic', type: 'image', src: '/%6a%61vascript:alert(1)', alt: '' }, 'src'],
    ['a markdown link with a tab in its scheme', { id: 'copy', type: 'rich_text', markdown: '[x](java\tscript:alert(1))' }, 'markdown'],
    [
      'a markdown link with a character reference',
      { id: 'copy', type: 'rich_text', markdown: '[x](jav&#x09;ascript:alert(1))' },
      'markdown',
    ],
    [
      'a protocol-relative button',
      { id: 'go', type: 'cta', label: 'Go', target: { kind: 'url', url: '//evil.example.com/' } },
      'target.url',
    ],
  ])('refuses %s with a field error and keeps the draft', async (_, block, field) => {
    const { res, stored } = await saveWith(block);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(error.fields).toEqual([{ path: `content.blocks.2.${field}`, message: expect.any(String) }]);
    expect(stored).not.toContain('"pic"');
    expect(stored).not.toContain('ascript');
  });

  it('saves plain links and images', async () => {
    const { res } = await saveWith({
      id: 'copy',
      type: 'rich_text',
      markdown: 'Shop [here](https://shop.example.com/?utm_source=page) or read [the FAQ](#faq).',
    });
    expect(res.status).toBe(200);
  });
});

describe('the sign-in redirect', () => {
  it.each(['//evil.example/steal', '/\t/evil.example/steal', '/%2F%2Fevil.example/steal', '/\\evil.example'])(
    'goes to the app, not to %j',
    async (next) => {
      const res = await t.client().request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: DEMO.email, password: DEMO.password, next }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/app');
    },
  );

  it('keeps a path on this site', async () => {
    const res = await t.client().request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: DEMO.email, password: DEMO.password, next: '/app/funnels?tab=pages' }).toString(),
    });
    expect(res.headers.get('location')).toBe('/app/funnels?tab=pages');
  });
});

describe('the webhook URL', () => {
  it('refuses an address that hides a script once decoded, at `url`', async () => {
    const res = await owner.rpc.api.webhooks.$post({
      json: { url: 'https://hooks.example.com/x?next=%6a%61vascript:alert(1)', events: ['deal.created'] },
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fields).toEqual([{ path: 'url', message: expect.stringContaining('javascript:') }]);
  });
});
