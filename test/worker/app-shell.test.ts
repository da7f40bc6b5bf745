/**
 * The team's app from the built Worker in workerd, laid out as wrangler deploys it: the Worker
 * writes the /app shell (reading the manifest through the ASSETS binding), and the hashed files
 * come straight from the asset layer with the immutable caching of dist/public/_headers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ASSETS_PREFIX, APP_MANIFEST_FILE, PUBLIC_DIR, type AppManifest } from '../../workers/app-bundle';
import { signUpOnWorker, startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let cookie: string;
const manifest = JSON.parse(readFileSync(join(PUBLIC_DIR, APP_MANIFEST_FILE), 'utf8')) as AppManifest;

beforeAll(async () => {
  w = await startWorker();
  ({ cookie } = await signUpOnWorker(w, { email: 'shell@example.com', name: 'Shell Tester', workspaceName: 'Edge Co' }));
});
afterAll(() => w?.close());

describe('the team app from the Worker', () => {
  it('writes the shell with a nonce CSP, the built entry and the session inline', async () => {
    const res = await w.fetch('/app/funnels', { cookie });
    expect(res.status).toBe(200);
    const nonce = /script-src 'nonce-([^']+)' 'strict-dynamic'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeDefined();
    const html = await res.text();
    expect(html).toContain(`<script type="module" src="${APP_ASSETS_PREFIX}${manifest.entry}" nonce="${nonce}"></script>`);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).toContain('"name":"Edge Co","role":"owner"');
  });

  it('sends strangers to sign in', async () => {
    const res = await w.fetch('/app/pipelines/x');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=/app/pipelines/x');
  });

  it('serves the hashed files from the asset layer, cached for a year', async () => {
    for (const file of [manifest.entry, ...manifest.css, ...manifest.preload]) {
      const res = await w.fetch(`${APP_ASSETS_PREFIX}${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toMatch(file.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
      expect(await res.text()).toBe(readFileSync(join(PUBLIC_DIR, APP_ASSETS_PREFIX, file), 'utf8'));
    }
  });

  it('keeps the manifest and the gated lead magnets out of reach, and the landing assets where they were', async () => {
    expect((await w.fetch(`/${APP_MANIFEST_FILE}`)).status).toBe(404);
    expect((await w.fetch('/_headers')).status).toBe(404);
    expect((await w.fetch('/assets/gated/the-5-minute-skincare-routine.pdf')).status).toBe(404);
    const image = await w.fetch('/assets/cosmetics-set.svg');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(image.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});
