/**
 * Cloudflare Turnstile on capture forms, against a local stand-in for siteverify
 * (test/support/turnstile-verifier.ts): the setting and its secret, the widget on the published
 * page and its CSP, and every way a post can fail — no token, a bad token, a replayed token
 * (refused by us even when the verifier is lenient), a verifier that does not answer — with
 * nothing stored, and the embedded form's JSON answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { publishLeadFormFunnel } from '../support/fixtures';
import { countRows, formOf } from '../support/landing';
import { startStandInVerifier, STAND_IN_SECRET, STAND_IN_SITE_KEY, type StandInVerifier } from '../support/turnstile-verifier';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { TURNSTILE_NO_SCRIPT_MESSAGE } from '../../pages-ui/landing/turnstile';

const SHOP = 'https://shop.example.com';
const PAGE = '/p/spring/join';
let t: TestApp;
let verifier: StandInVerifier;
let owner: TestClient;
let funnelId: string;
let pageId: string;

beforeAll(async () => {
  verifier = await startStandInVerifier();
  t = await createTestApp({
    turnstile: { verifyUrl: verifier.url, timeoutMs: 500 },
    clientIp: (c) => c.req.header('x-test-ip') ?? '203.0.113.7',
  });
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  ({ funnelId, pageId } = await publishLeadFormFunnel(owner));
  expect((await owner.request('/api/workspace/settings', { method: 'PATCH', json: { allowedOrigins: [SHOP] } })).status).toBe(200);
});
afterAll(async () => {
  t.close();
  await verifier.close();
});

const leadsWith = (email: string) => countRows(t.database, 'leads', `email = '${email}'`);
let ip = 0;
/** Each post from its own address, so the per-IP limits stay out of these tests. */
const nextIp = () => `198.51.100.${++ip}`;

async function openPage(client: TestClient) {
  const res = await client.get(PAGE);
  expect(res.status).toBe(200);
  const html = await res.text();
  return { res, html, form: formOf(html, 'signup') };
}

/** Opens the page, waits past the minimum fill time, posts the form with `extra` fields. */
async function submit(email: string, extra: Record<string, string>) {
  const visitor = t.client();
  const { form } = await openPage(visitor);
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
  const res = await visitor.request(PAGE, {
    ...postBody({ _block: form.block, _token: form.token, website: '', email, consent: 'yes', ...extra }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': nextIp() },
  });
  return res;
}

function postBody(values: Record<string, string>): RequestInit {
  return { method: 'POST', body: new URLSearchParams(values).toString() };
}

describe('Turnstile settings', () => {
  it('is off by default and cannot be turned on without a secret key', async () => {
    const res = await owner.rpc.api.funnels[':id'].turnstile.$get({ param: { id: funnelId } });
    expect(await res.json()).toEqual({ enabled: false, siteKey: null, secret: { source: null, hint: null } });
    const on = await owner.rpc.api.funnels[':id'].turnstile.$put({
      param: { id: funnelId },
      json: { enabled: true, siteKey: STAND_IN_SITE_KEY },
    });
    expect(on.status).toBe(400);
    expect((await errorOf(on)).fields?.map((f) => f.path)).toEqual(['enabled']);
  });

  it('refuses a site key that is not one, and turning on without a site key', async () => {
    const bad = await owner.rpc.api.funnels[':id'].turnstile.$put({
      param: { id: funnelId },
      json: { enabled: true, siteKey: '<script>' },
    });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.[0]?.path).toBe('siteKey');
  });

  it('stores the workspace secret key and never sends it back', async () => {
    const put = await owner.rpc.api.workspace['turnstile-secret'].$put({ json: { secretKey: STAND_IN_SECRET } });
    expect(put.status).toBe(200);
    const text = await put.text();
    expect(text).not.toContain(STAND_IN_SECRET);
    expect(JSON.parse(text)).toEqual({ source: 'workspace', hint: `…${STAND_IN_SECRET.slice(-4)}` });
    const get = await owner.rpc.api.workspace['turnstile-secret'].$get();
    expect(await get.text()).not.toContain(STAND_IN_SECRET);
    const noSite = await owner.rpc.api.funnels[':id'].turnstile.$put({ param: { id: funnelId }, json: { enabled: true, siteKey: null } });
    expect((await errorOf(noSite)).fields?.[0]?.path).toBe('siteKey');
  });

  it('turns the check on for the funnel; the published page shows the widget at once', async () => {
    // Cached before the change: the setting must clear it.
    expect((await openPage(t.client())).html).not.toContain('data-lf-turnstile');
    const on = await owner.rpc.api.funnels[':id'].turnstile.$put({
      param: { id: funnelId },
      json: { enabled: true, siteKey: STAND_IN_SITE_KEY },
    });
    expect(on.status).toBe(200);
    const body = await on.json();
    expect(body).toMatchObject({ enabled: true, siteKey: STAND_IN_SITE_KEY, secret: { source: 'workspace' } });
    expect(JSON.stringify(body)).not.toContain(STAND_IN_SECRET);

    const { res, html } = await openPage(t.client());
    expect(html).toContain('data-lf-turnstile="signup"');
    expect(html).toContain(JSON.stringify(STAND_IN_SITE_KEY));
    expect(html).toContain('https://challenges.cloudflare.com/turnstile/v0/api.js');
    expect(html).toContain(`<noscript><p class="err" role="alert">${TURNSTILE_NO_SCRIPT_MESSAGE}</p></noscript>`);
    const csp = res.headers.get('content-security-policy')!;
    const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toContain('https://challenges.cloudflare.com');
    expect(directive('frame-src')).toContain('https://challenges.cloudflare.com');
    // The inline script is allowed by its hash, like every other script of the page.
    expect(directive('script-src')).not.toContain("'unsafe-inline'");
  });

  it('keeps Turnstile out of the policy of pages whose funnel does not use it', async () => {
    const res = await t.client().get(`/p/${DEMO.funnel.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).not.toContain('challenges.cloudflare.com');
    expect(await res.text()).not.toContain('data-lf-turnstile');
  });
});

describe('a form post with Turnstile on', () => {
  it('without a token: the form again with a message, nothing stored', async () => {
    const calls = verifier.calls.length;
    const res = await submit('no-token@example.com', {});
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Please complete the “I am human” check');
    expect(html).toContain('value="no-token@example.com"');
    expect(html).toContain('data-lf-turnstile="signup"');
    expect(res.headers.get('content-security-policy')).toContain('https://challenges.cloudflare.com');
    expect(await leadsWith('no-token@example.com')).toBe(0);
    expect(verifier.calls.length).toBe(calls);
  });

  it('with a token the verifier does not know: refused, nothing stored', async () => {
    const res = await submit('forged@example.com', { 'cf-turnstile-response': 'forged-token' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('did not pass');
    expect(await leadsWith('forged@example.com')).toBe(0);
  });

  it('with a valid token: stored, the token verified with the secret and the visitor’s address', async () => {
    const token = verifier.issue();
    const res = await submit('human@example.com', { 'cf-turnstile-response': token });
    expect(res.status).toBe(303);
    expect(await leadsWith('human@example.com')).toBe(1);
    const call = verifier.calls.at(-1)!;
    expect(call).toEqual({ secret: STAND_IN_SECRET, response: token, remoteip: `198.51.100.${ip}` });
  });

  it('a replayed token is refused by the verifier (timeout-or-duplicate), nothing stored', async () => {
    const token = verifier.issue();
    verifier.consume(token); // used elsewhere first: we never saw it
    const res = await submit('replay-cf@example.com', { 'cf-turnstile-response': token });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('already used');
    expect(await leadsWith('replay-cf@example.com')).toBe(0);
  });

  it('a replayed token is refused by us even when the verifier would accept it again', async () => {
    verifier.lenient = true;
    try {
      const token = verifier.issue();
      expect((await submit('first@example.com', { 'cf-turnstile-response': token })).status).toBe(303);
      const calls = verifier.calls.length;
      const again = await submit('second@example.com', { 'cf-turnstile-response': token });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('already used');
      expect(verifier.calls.length).toBe(calls); // refused before asking
      expect(await leadsWith('second@example.com')).toBe(0);
    } finally {
      verifier.lenient = false;
    }
  });

  it('a token is remembered only for its lifetime (the table does not grow forever)', async () => {
    verifier.lenient = true;
    try {
      const token = verifier.issue();
      expect((await submit('life-1@example.com', { 'cf-turnstile-response': token })).status).toBe(303);
      t.clock.advance(5 * 60_000 + 1);
      // Cloudflare refuses an expired token itself; with a lenient verifier our table no longer holds it.
      expect((await submit('life-2@example.com', { 'cf-turnstile-response': token })).status).toBe(303);
      expect(await countRows(t.database, 'turnstile_tokens', `expires_at <= ${t.clock.now()}`)).toBe(0);
    } finally {
      verifier.lenient = false;
    }
  });

  it('a verifier that does not answer in time: a retryable error, nothing stored', async () => {
    verifier.hang = true;
    try {
      const res = await submit('slow@example.com', { 'cf-turnstile-response': verifier.issue() });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const html = await res.text();
      expect(html).toContain('Nothing was saved; please try again');
      expect(html).toContain('value="slow@example.com"');
      expect(await leadsWith('slow@example.com')).toBe(0);
    } finally {
      verifier.hang = false;
    }
  });

  it('a wrong secret key is the owner’s problem: the visitor is told to retry, nothing stored', async () => {
    await owner.rpc.api.workspace['turnstile-secret'].$put({ json: { secretKey: '1x0000000000000000000000000000000XX' } });
    try {
      const res = await submit('wrong-secret@example.com', { 'cf-turnstile-response': verifier.issue() });
      expect(res.status).toBe(503);
      expect(await leadsWith('wrong-secret@example.com')).toBe(0);
    } finally {
      await owner.rpc.api.workspace['turnstile-secret'].$put({ json: { secretKey: STAND_IN_SECRET } });
    }
  });

  it('a post with mistakes does not use up the token', async () => {
    const token = verifier.issue();
    const calls = verifier.calls.length;
    const res = await submit('not-an-email', { 'cf-turnstile-response': token });
    expect(res.status).toBe(400);
    expect(verifier.calls.length).toBe(calls);
  });
});

describe('the embedded form with Turnstile on', () => {
  const formId = () => `${pageId}.signup`;
  async function definition() {
    const res = await t.client().get(`/embed/forms/${formId()}`, { origin: SHOP });
    expect(res.status).toBe(200);
    return (await res.json()) as { token: string; turnstile: { siteKey: string } | null };
  }
  async function post(body: unknown) {
    return t.client().request(`/embed/forms/${formId()}`, {
      method: 'POST',
      headers: { origin: SHOP, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', 'x-test-ip': nextIp() },
      body: JSON.stringify(body),
    });
  }

  it('tells the embed to show the widget, refuses a post without a token and takes one with a token', async () => {
    const form = await definition();
    expect(form.turnstile).toEqual({ siteKey: STAND_IN_SITE_KEY });
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const without = await post({ token: form.token, values: { email: 'embed-no@example.com', consent: 'yes' } });
    expect(without.status).toBe(400);
    expect((await errorOf(without)).code).toBe('human_check_failed');
    expect(await leadsWith('embed-no@example.com')).toBe(0);

    const token = verifier.issue();
    const ok = await post({ token: form.token, turnstileToken: token, values: { email: 'embed-yes@example.com', consent: 'yes' } });
    expect(ok.status).toBe(201);
    expect(await leadsWith('embed-yes@example.com')).toBe(1);

    const again = await definition();
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const replay = await post({ token: again.token, turnstileToken: token, values: { email: 'embed-replay@example.com', consent: 'yes' } });
    expect(replay.status).toBe(400);
    expect((await errorOf(replay)).message).toContain('already used');
    expect(await leadsWith('embed-replay@example.com')).toBe(0);
  });

  it('a verifier that does not answer: 503 in the JSON error shape', async () => {
    verifier.hang = true;
    try {
      const form = await definition();
      t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
      const res = await post({
        token: form.token,
        turnstileToken: verifier.issue(),
        values: { email: 'embed-slow@example.com', consent: 'yes' },
      });
      expect(res.status).toBe(503);
      expect((await errorOf(res)).code).toBe('human_check_unavailable');
      expect(await leadsWith('embed-slow@example.com')).toBe(0);
    } finally {
      verifier.hang = false;
    }
  });

  it('turning the check off removes the widget and the requirement', async () => {
    const off = await owner.rpc.api.funnels[':id'].turnstile.$put({
      param: { id: funnelId },
      json: { enabled: false, siteKey: STAND_IN_SITE_KEY },
    });
    expect(await off.json()).toMatchObject({ enabled: false, siteKey: STAND_IN_SITE_KEY });
    expect((await definition()).turnstile).toBeNull();
    const { html } = await openPage(t.client());
    expect(html).not.toContain('data-lf-turnstile');
    expect((await submit('off@example.com', {})).status).toBe(303);
  });
});
