/**
 * The team's app as the server delivers it (the app itself runs in Chromium: test/e2e/app-shell.test.ts):
 * one shell document for every /app URL with a nonce CSP and the session inline, sign-in first for
 * strangers, and the hashed files of the build served with immutable caching.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { APP_ASSETS_PREFIX, APP_MANIFEST_FILE, PUBLIC_DIR, type AppManifest } from '../../workers/app-bundle';
import type { AppBootstrap } from '../../workers/contract';
import { createTestApp, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
let owner: TestClient;
const manifest = JSON.parse(readFileSync(join(PUBLIC_DIR, APP_MANIFEST_FILE), 'utf8')) as AppManifest;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
});
afterAll(() => t.close());

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
}

function bootstrapIn(html: string): AppBootstrap {
  return JSON.parse(/<script type="application\/json" id="lf-bootstrap"[^>]*>([^<]*)<\/script>/.exec(html)![1]!) as AppBootstrap;
}

describe('the /app shell', () => {
  it('answers every /app URL with the same document under a strict CSP whose nonce every script carries', async () => {
    const res = await owner.get('/app/funnels/some-id/pages/other?tab=blocks');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{22,})' 'strict-dynamic'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);

    const html = await res.text();
    const scripts = scriptTags(html);
    // The bootstrap data and the one module: nothing runs without the nonce.
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toContain('style=');
    expect(html).toContain(`<script type="module" src="${APP_ASSETS_PREFIX}${manifest.entry}" nonce="${nonce}"></script>`);
    for (const css of manifest.css) expect(html).toContain(`<link rel="stylesheet" href="${APP_ASSETS_PREFIX}${css}"/>`);
    for (const chunk of manifest.preload)
      expect(html).toContain(`<link rel="modulepreload" href="${APP_ASSETS_PREFIX}${chunk}" nonce="${nonce}"/>`);

    const again = await owner.get('/app');
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('carries the signed-in member, their workspaces and roles, and the current workspace inline', async () => {
    const html = await (await owner.get('/app')).text();
    const bootstrap = bootstrapIn(html);
    expect(bootstrap.user).toMatchObject({ email: DEMO.email, name: expect.any(String) });
    expect(bootstrap.workspaces).toEqual([{ id: expect.any(String), name: 'Demo Shop', role: 'owner' }]);
    expect(bootstrap.workspaceId).toBe(bootstrap.workspaces[0]!.id);
    expect(html).toContain('<title>Demo Shop · Leadflare</title>');
  });

  it('opens the workspace named by ?workspace=, else the one remembered in the cookie, else the first', async () => {
    const member = t.client();
    const own = await member.signup('two-workspaces@example.com', 'correct horse battery', 'Sam Two', { workspaceName: 'Own Co' });
    // Memberships list in the order they were made: the invitation is accepted a minute later.
    t.clock.advance(60_000);
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'viewer' })).json()) as { token: string };
    expect((await member.post(`/api/invitations/${token}/accept`)).status).toBe(201);
    const demoId = bootstrapIn(await (await owner.get('/app')).text()).workspaceId!;

    expect(bootstrapIn(await (await member.get('/app')).text())).toMatchObject({
      workspaceId: own.workspaceId,
      workspaces: [
        { id: own.workspaceId, role: 'owner' },
        { id: demoId, role: 'viewer' },
      ],
    });
    expect(bootstrapIn(await (await member.get(`/app?workspace=${demoId}`)).text()).workspaceId).toBe(demoId);
    expect(
      bootstrapIn(await (await member.get('/app', { cookie: `${cookieHeader(member)}; lf_workspace=${demoId}` })).text()).workspaceId,
    ).toBe(demoId);
    // A workspace the member is not in is ignored, not trusted.
    expect(bootstrapIn(await (await member.get('/app?workspace=not-mine')).text()).workspaceId).toBe(own.workspaceId);
  });

  it('sends strangers to sign in first, and back to the same URL after', async () => {
    const stranger = t.client();
    const res = await stranger.get('/app');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=/app');
    const deep = await stranger.get('/app/pipelines/abc?view=board');
    expect(deep.headers.get('location')).toBe('/login?next=/app/pipelines/abc%3Fview%3Dboard');
    const login = await stranger.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: DEMO.email, password: DEMO.password, next: '/app/pipelines/abc?view=board' }).toString(),
    });
    expect(login.headers.get('location')).toBe('/app/pipelines/abc?view=board');
  });

  it('lands new accounts in the app', async () => {
    const res = await t.client().request('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        name: 'Nia New',
        email: 'nia@example.com',
        password: 'correct horse battery',
        workspaceName: 'Nia Co',
      }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app');
  });
});

describe('the app files', () => {
  it('serves every file of the build with its type and a year of immutable caching', async () => {
    const client = t.client();
    expect(manifest.chunks.length).toBeGreaterThan(3);
    for (const chunk of manifest.chunks) {
      const res = await client.get(`${APP_ASSETS_PREFIX}${chunk.file}`);
      expect(res.status, chunk.file).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toBe(
        chunk.file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.byteLength).toBe(chunk.bytes);
    }
  });

  it('names every file by its content hash, and lists the imports of each', () => {
    for (const chunk of manifest.chunks) expect(chunk.file).toMatch(/-[A-Z0-9]{8}\.(js|css)$/);
    const files = new Set(manifest.chunks.map((c) => c.file));
    for (const chunk of manifest.chunks) for (const imported of chunk.imports) expect(files.has(imported)).toBe(true);
    expect(manifest.chunks.filter((c) => c.kind === 'view').map((c) => c.source)).toEqual(
      expect.arrayContaining(['pages-ui/app/views/funnels/list.tsx', 'pages-ui/app/views/pipelines/board.tsx']),
    );
  });

  it('tells the asset layer to cache them for a year (dist/public/_headers, used on Cloudflare)', () => {
    const headers = readFileSync(join(PUBLIC_DIR, '_headers'), 'utf8');
    expect(headers).toMatch(/^\/assets\/app\/\*\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
  });

  it('serves nothing else under /assets/app/, and never the manifest', async () => {
    const client = t.client();
    for (const path of [
      `${APP_ASSETS_PREFIX}main.js`,
      `${APP_ASSETS_PREFIX}..%2F${APP_MANIFEST_FILE}`,
      `${APP_ASSETS_PREFIX}../${APP_MANIFEST_FILE}`,
      `/${APP_MANIFEST_FILE}`,
      `${APP_ASSETS_PREFIX}${manifest.entry}.map`,
    ]) {
      const res = await client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control') ?? '', path).not.toContain('immutable');
    }
    // The landing assets keep their own route and caching.
    const landing = await client.get('/assets/cosmetics-set.svg');
    expect(landing.status).toBe(200);
    expect(landing.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});

function cookieHeader(client: TestClient): string {
  return [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
