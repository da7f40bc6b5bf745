/**
 * Burst limits on capture and on the beacon (domain/capture-limits.ts EDGE_RATE_LIMITS), counted
 * before the post is processed, and how they layer with capture's own per-form limit in the database.
 * The local limiter runs on the app's clock, so windows pass by advancing the test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { publishLeadFormFunnel } from '../support/fixtures';
import { countRows, formOf } from '../support/landing';
import { EDGE_RATE_LIMITS } from '../../workers/domain/capture-limits';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { memoryRateLimiter } from '../../workers/node/rate-limiter';
import { bindingRateLimiter, type RateLimitBinding } from '../../workers/cloudflare/rate-limiter';

const SHOP = 'https://shop.example.com';
const PAGE = '/p/spring/join';
let t: TestApp;
let owner: TestClient;
let pageId: string;

beforeAll(async () => {
  t = await createTestApp({ clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1' });
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  ({ pageId } = await publishLeadFormFunnel(owner));
  expect((await owner.request('/api/workspace/settings', { method: 'PATCH', json: { allowedOrigins: [SHOP] } })).status).toBe(200);
});
afterAll(() => t.close());

const leadsWith = (email: string) => countRows(t.database, 'leads', `email = '${email}'`);

function postPage(ip: string, values: Record<string, string>) {
  return t.client().request(PAGE, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': ip },
    body: new URLSearchParams(values).toString(),
  });
}

async function pageToken() {
  const res = await t.client().get(PAGE);
  return formOf(await res.text(), 'signup').token;
}

describe('capture burst limit (published pages)', () => {
  it('counts every post, even ones the database limit never sees, then answers 429 with the form again', async () => {
    const ip = '192.0.2.10';
    // Forged tokens: refused by capture before its database counter, yet each one counts here.
    for (let i = 0; i < EDGE_RATE_LIMITS.capture.limit; i++) {
      const res = await postPage(ip, { _block: 'signup', _token: 'forged', website: '', email: `burst${i}@example.com`, consent: 'yes' });
      expect(res.status).toBe(400);
    }
    const token = await pageToken();
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const over = await postPage(ip, { _block: 'signup', _token: token, website: '', email: 'over@example.com', consent: 'yes' });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(EDGE_RATE_LIMITS.capture.periodSeconds * 2);
    const html = await over.text();
    expect(html).toContain('Too many submissions from your network just now');
    expect(html).toContain('value="over@example.com"'); // the visitor's values are kept
    expect(html).toContain('name="_token"'); // a working form to send again
    expect(await leadsWith('over@example.com')).toBe(0);

    // Another address is not affected.
    const other = await postPage('192.0.2.11', {
      _block: 'signup',
      _token: token,
      website: '',
      email: 'other@example.com',
      consent: 'yes',
    });
    expect(other.status).toBe(303);

    // Once the window has slid past, the same address is let in again.
    t.clock.advance(2 * EDGE_RATE_LIMITS.capture.periodSeconds * 1000);
    const fresh = await pageToken();
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const later = await postPage(ip, { _block: 'signup', _token: fresh, website: '', email: 'later@example.com', consent: 'yes' });
    expect(later.status).toBe(303);
    expect(await leadsWith('later@example.com')).toBe(1);
  });
});

describe('embedded form limits', () => {
  const formId = () => `${pageId}.signup`;
  async function token() {
    const res = await t.client().get(`/embed/forms/${formId()}`, { origin: SHOP });
    return ((await res.json()) as { token: string }).token;
  }
  function post(ip: string, body: unknown) {
    return t.client().request(`/embed/forms/${formId()}`, {
      method: 'POST',
      headers: { origin: SHOP, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', 'x-test-ip': ip },
      body: JSON.stringify(body),
    });
  }

  it('the per-form database limit answers 429 with Retry-After in the JSON error shape', async () => {
    const ip = '192.0.2.20';
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs);
    for (let i = 0; i < DEFAULT_CAPTURE_LIMITS.ratePerWindow; i++) {
      const tk = await token();
      t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
      expect((await post(ip, { token: tk, values: { email: `db${i}@example.com`, consent: 'yes' } })).status).toBe(201);
    }
    const tk = await token();
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const res = await post(ip, { token: tk, values: { email: 'db-over@example.com', consent: 'yes' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60); // the database window's ten minutes, not the edge's minute
    expect((await errorOf(res)).code).toBe('rate_limited');
    expect(await leadsWith('db-over@example.com')).toBe(0);
  });

  it('the burst limit answers 429 with Retry-After for posts the capture would refuse anyway', async () => {
    const ip = '192.0.2.21';
    t.clock.advance(2 * EDGE_RATE_LIMITS.capture.periodSeconds * 1000);
    for (let i = 0; i < EDGE_RATE_LIMITS.capture.limit; i++) {
      expect((await post(ip, { token: 'forged', values: { email: `e${i}@example.com` } })).status).toBe(400);
    }
    const res = await post(ip, { token: 'forged', values: { email: 'e-over@example.com' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(res)).code).toBe('rate_limited');
  });
});

describe('beacon burst limit', () => {
  // Event ids of a fixed, valid length (a random suffix can come out too short and be refused).
  let seq = 0;
  function beacon(ip: string) {
    return t.client().request('/e', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-ip': ip },
      body: JSON.stringify({
        events: [{ id: `evt_burst_${String(++seq).padStart(12, '0')}`, type: 'engaged', at: t.clock.now(), path: PAGE }],
      }),
    });
  }

  it('refuses beacons past the limit with 429 and Retry-After; other addresses go on', async () => {
    const ip = '192.0.2.30';
    for (let i = 0; i < EDGE_RATE_LIMITS.beacon.limit; i++) expect((await beacon(ip)).status).toBe(202);
    const over = await beacon(ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(over)).code).toBe('rate_limited');
    expect((await beacon('192.0.2.31')).status).toBe(202);
    t.clock.advance(2 * EDGE_RATE_LIMITS.beacon.periodSeconds * 1000);
    expect((await beacon(ip)).status).toBe(202);
  });
});

describe('the limiters themselves', () => {
  it('in-process: a sliding window, so a burst across a window boundary is not let through twice', async () => {
    let now = 59_000; // one second before a window boundary
    const limiter = memoryRateLimiter({ limit: 5, periodSeconds: 60 }, () => now);
    for (let i = 0; i < 5; i++) expect((await limiter.limit('k')).ok).toBe(true);
    now = 61_000; // a new fixed window (which would allow 5 more at once), but 5 hits a moment ago
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await limiter.limit('k'));
    // The previous window still weighs 59/60: at most one more gets in, the rest are told when to retry.
    expect(outcomes.filter((o) => o.ok).length).toBeLessThanOrEqual(1);
    const refused = outcomes.find((o) => !o.ok);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    if (refused && !refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    now = 121_000; // a whole window later
    expect((await limiter.limit('k')).ok).toBe(true);
  });

  it('in-process: holds at most maxKeys keys, forgetting the least recently used', async () => {
    const now = 0;
    const limiter = memoryRateLimiter({ limit: 1, periodSeconds: 60 }, () => now, 3);
    for (const key of ['a', 'b', 'c', 'd']) expect((await limiter.limit(key)).ok).toBe(true);
    // 'a' was forgotten to make room for 'd': it starts again; 'd' is still counted.
    expect((await limiter.limit('a')).ok).toBe(true);
    expect((await limiter.limit('d')).ok).toBe(false);
  });

  it('Cloudflare adapter (with a fake binding, not workerd — the Worker test covers the real one): refusal carries the period as Retry-After', async () => {
    const seen: string[] = [];
    const fakeBinding: RateLimitBinding = { limit: async ({ key }) => (seen.push(key), { success: seen.length <= 1 }) };
    const limiter = bindingRateLimiter(fakeBinding, { limit: 1, periodSeconds: 10 });
    expect(await limiter.limit('capture:x')).toEqual({ ok: true });
    expect(await limiter.limit('capture:x')).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(seen).toEqual(['capture:x', 'capture:x']);
  });
});
