/**
 * One request per route class, the same on both runtimes (the real app in Node and the Worker
 * bundle in workerd): each answer with its headers, for the header checks of
 * test/integration/security-headers.test.ts and test/worker/security-headers.test.ts.
 * Expects the demo seeded (db/seed.ts) with the runtime's clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO } from '../../db/seed';
import { APP_ASSETS_PREFIX, APP_MANIFEST_FILE, PUBLIC_DIR, type AppManifest } from '../../workers/app-bundle';
import { expect, it } from 'vitest';
import { PERMISSIONS_POLICY } from '../../workers/middleware/security-headers';
import { fileOf, png } from './images';

export type RawFetch = (path: string, init?: RequestInit) => Promise<Response>;

export interface RouteAnswer {
  name: string;
  path: string;
  status: number;
  headers: Headers;
  body: string;
}

export const ROUTE_CLASSES = [
  'landing page',
  'landing message page',
  'app shell',
  'sign-in page',
  'sign-up page',
  'sign-in form error',
  'API JSON',
  'API error',
  'API unauthenticated',
  'API reference',
  'landing asset',
  'app asset',
  'media',
  'embed script',
  'tracker beacon',
  'health',
  'not found',
] as const;

const ORIGIN = 'http://localhost';

/** Every route class answered once; `now` is the runtime's clock (the beacon's event time). */
export async function answersOfEveryRouteClass(fetch: RawFetch, now: () => number): Promise<RouteAnswer[]> {
  const login = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  if (login.status !== 200) throw new Error(`The demo login answered ${login.status}: ${await login.text()}`);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const signedIn = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as object), cookie } });

  const upload = new FormData();
  upload.set('file', fileOf(png(8, 8), 'swatch.png'));
  upload.set('alt', 'A swatch');
  const encoded = new Response(upload);
  const uploaded = await fetch(
    '/api/media',
    signedIn({
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type')!, origin: ORIGIN },
      body: await encoded.arrayBuffer(),
    }),
  );
  if (uploaded.status !== 201) throw new Error(`The upload answered ${uploaded.status}: ${await uploaded.text()}`);
  const mediaUrl = ((await uploaded.json()) as { url: string }).url;
  const manifest = JSON.parse(readFileSync(join(PUBLIC_DIR, APP_MANIFEST_FILE), 'utf8')) as AppManifest;

  const requests: Array<[name: (typeof ROUTE_CLASSES)[number], path: string, init?: RequestInit]> = [
    ['landing page', '/p/cosmetics-set'],
    ['landing message page', '/p/cosmetics-set/no-such-page'],
    ['app shell', '/app/funnels', signedIn()],
    ['sign-in page', '/login'],
    ['sign-up page', '/signup'],
    [
      'sign-in form error',
      '/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams({ email: 'not-an-email', password: 'x' }).toString(),
      },
    ],
    ['API JSON', '/api/me', signedIn()],
    ['API error', '/api/no-such-route', signedIn()],
    ['API unauthenticated', '/api/me'],
    ['API reference', '/api/docs'],
    ['landing asset', '/assets/cosmetics-set.svg'],
    ['app asset', `${APP_ASSETS_PREFIX}${manifest.entry}`],
    ['media', mediaUrl],
    ['embed script', '/embed.js'],
    [
      'tracker beacon',
      '/e',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ events: [{ id: `headers-sweep-${now()}`, type: 'engaged', at: now(), path: '/p/cosmetics-set' }] }),
      },
    ],
    ['health', '/healthz'],
    ['not found', '/no-such-page/anywhere'],
  ];
  const answers: RouteAnswer[] = [];
  for (const [name, path, init] of requests) {
    const res = await fetch(path, init);
    answers.push({ name, path, status: res.status, headers: res.headers, body: await res.text() });
  }
  return answers;
}

/** The `sha256-…` source of an inline `<style>` element's text, as CSP hashes it. */
export async function inlineStyleHashes(html: string): Promise<string[]> {
  const hashes: string[] = [];
  for (const [, css] of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css));
    hashes.push(`'sha256-${Buffer.from(digest).toString('base64')}'`);
  }
  return hashes;
}

/** A CSP header as a map of directive → its sources. */
export function cspDirectives(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/**
 * The header promises, as `it` blocks over the answers of `answersOfEveryRouteClass`: every answer
 * has the Permissions-Policy and the baseline; every HTML document a strict CSP (no inline script
 * without a nonce or hash, no framing by other sites, no `<base>`), the account pages no script at
 * all and only their own inline style.
 */
export function headerPromises(answers: () => RouteAnswer[]) {
  const byName = (name: (typeof ROUTE_CLASSES)[number]) => answers().find((a) => a.name === name)!;

  it('answers every route class (the sweep reached each one)', () => {
    expect(answers().map((a) => a.name)).toEqual([...ROUTE_CLASSES]);
    const statuses = Object.fromEntries(answers().map((a) => [a.name, a.status]));
    expect(statuses).toEqual({
      'landing page': 200,
      'landing message page': 404,
      'app shell': 200,
      'sign-in page': 200,
      'sign-up page': 200,
      'sign-in form error': 400,
      'API JSON': 200,
      'API error': 404,
      'API unauthenticated': 401,
      'API reference': 200,
      'landing asset': 200,
      'app asset': 200,
      media: 200,
      'embed script': 200,
      'tracker beacon': 202,
      health: 200,
      'not found': 404,
    });
  });

  it('sends the Permissions-Policy and the baseline headers on every response', () => {
    for (const answer of answers()) {
      expect(answer.headers.get('permissions-policy'), answer.name).toBe(PERMISSIONS_POLICY);
      expect(answer.headers.get('x-content-type-options'), answer.name).toBe('nosniff');
      expect(answer.headers.get('referrer-policy'), answer.name).toBe('strict-origin-when-cross-origin');
    }
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'interest-cohort']) {
      expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
    }
  });

  it('puts every HTML document under a strict Content-Security-Policy', () => {
    const documents = answers().filter((a) => /^text\/html/.test(a.headers.get('content-type') ?? ''));
    expect(documents.map((d) => d.name)).toEqual([
      'landing page',
      'landing message page',
      'app shell',
      'sign-in page',
      'sign-up page',
      'sign-in form error',
      'API reference',
    ]);
    for (const doc of documents) {
      const csp = cspDirectives(doc.headers.get('content-security-policy'));
      expect(csp.get('default-src'), doc.name).toEqual(["'none'"]);
      expect(csp.get('base-uri'), doc.name).toEqual(["'none'"]);
      expect(csp.get('form-action')?.[0], doc.name).toMatch(/^'(self|none)'$/);
      expect(csp.get('frame-ancestors')?.[0], doc.name).toMatch(/^'(self|none)'$/);
      // Without a script-src, default-src 'none' is the script policy.
      const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
      expect(scripts.length, doc.name).toBeGreaterThan(0);
      expect(
        scripts.filter((s) => !/^'(none|strict-dynamic|nonce-[\w+/=]+|sha256-[\w+/=]+)'$/.test(s)),
        doc.name,
      ).toEqual([]);
    }
    for (const name of ['app shell', 'sign-in page', 'sign-up page', 'API reference'] as const) {
      expect(cspDirectives(byName(name).headers.get('content-security-policy')).get('frame-ancestors'), name).toEqual(["'none'"]);
    }
  });

  it('runs no script on the account pages and allows exactly their own inline style', async () => {
    for (const name of ['sign-in page', 'sign-up page', 'sign-in form error'] as const) {
      const { headers, body } = byName(name);
      const csp = cspDirectives(headers.get('content-security-policy'));
      expect(csp.get('script-src'), name).toEqual(["'none'"]);
      expect(body, name).not.toMatch(/<script\b/i);
      const styles = await inlineStyleHashes(body);
      expect(styles.length, name).toBe(1);
      expect(csp.get('style-src'), name).toEqual(styles);
    }
  });

  it('gives the app shell a fresh nonce that its scripts carry', () => {
    const { headers, body } = byName('app shell');
    const nonce = /'nonce-([^']+)'/.exec(headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeDefined();
    const tags = body.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  });
}
