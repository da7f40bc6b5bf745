import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
});
afterAll(() => w?.close());

const login = (password: string, ip: string) =>
  w.fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
    body: JSON.stringify({ email: 'edge-throttle@example.com', password }),
  });

describe('sign-in throttle in workerd', () => {
  it('answers 429 with Retry-After after 10 wrong passwords, counted in the database every isolate shares', async () => {
    const signup = await w.fetch('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.1' },
      body: JSON.stringify({ email: 'edge-throttle@example.com', password: 'correct horse battery', name: 'Edge' }),
    });
    expect(signup.status).toBe(201);

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(`wrong ${i}`, '198.51.100.1')).status);
    expect(statuses).toEqual(Array<number>(10).fill(401));

    const refused = await login('correct horse battery', '198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_attempts', status: 429 } });

    // Not in the isolate's memory: the counters are rows of the shared database (keyed hashes only).
    const rows = await w.database.db.all<{ key: string; count: number }>(
      sql`select key, count from rate_limit_buckets where key like 'login:%'`,
    );
    expect(rows.map((r) => Number(r.count)).sort((a, b) => a - b)).toEqual([11, 11]);
    expect(rows.some((r) => r.key.includes('198.51.100.1') || r.key.includes('@'))).toBe(false);
  });
});
