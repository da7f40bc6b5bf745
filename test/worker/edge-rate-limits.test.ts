/**
 * The beacon and capture burst limits in workerd, through Cloudflare's rate-limiting binding as
 * Miniflare runs it (wrangler.toml `[[ratelimits]]`; here with tiny limits so they are reached in
 * a few requests), keyed by the hashed CF-Connecting-IP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker({
    ratelimits: { BEACON_LIMITER: { simple: { limit: 3, period: 60 } }, CAPTURE_LIMITER: { simple: { limit: 2, period: 60 } } },
  });
  await seedDemo(w.database, { clock: w.now });
});
afterAll(() => w?.close());

const beacon = (ip: string, n: number) =>
  w.fetch('/e', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({
      events: [
        {
          id: `edge-limit-${ip.replace(/\D/g, '')}-${String(n).padStart(8, '0')}`,
          type: 'engaged',
          at: w.now(),
          path: '/p/cosmetics-set/offer',
        },
      ],
    }),
  });

describe('edge rate limits in workerd (rate-limiting binding)', () => {
  it('answers the beacon 429 with Retry-After once an address is over the binding’s limit', async () => {
    for (let i = 0; i < 3; i++) expect((await beacon('203.0.113.50', i)).status).toBe(202);
    const over = await beacon('203.0.113.50', 3);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await beacon('203.0.113.51', 0)).status).toBe(202);
  });

  it('answers form posts 429 with Retry-After past the capture limit', async () => {
    const post = () =>
      w.fetch('/p/cosmetics-set/offer', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'cf-connecting-ip': '203.0.113.60',
          'sec-fetch-site': 'same-origin',
        },
        body: new URLSearchParams({ _block: 'nope', _token: 'forged', email: 'x@example.com' }).toString(),
      });
    expect((await post()).status).toBe(400);
    expect((await post()).status).toBe(400);
    const over = await post();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    await over.text();
  });
});
