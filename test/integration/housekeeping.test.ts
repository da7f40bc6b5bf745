/**
 * The scheduled job prunes what nobody reads again: sessions past their expiry and rate-limit
 * counters whose window ended a day ago — and leaves live ones alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitBuckets, sessions, users } from '../../db/schema';
import { STALE_COUNTER_MS } from '../../workers/services/housekeeping';
import { runScheduledWork } from '../../workers/services/scheduler';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const client = t.client();
  await client.post('/api/auth/signup', { name: 'Pat', email: 'pat@example.com', password: 'correct horse battery', workspace: 'Pat Co' });
});
afterAll(() => t.close());

describe('pruning in the scheduled job', () => {
  it('deletes expired sessions and stale counters, keeps live ones, and says so in the report', async () => {
    const now = t.clock.now();
    const [user] = await t.database.db.select({ id: users.id }).from(users);
    const session = (id: string, expiresAt: number) => ({ id, userId: user!.id, createdAt: now - 1, lastSeenAt: now - 1, expiresAt });
    await t.database.db.insert(sessions).values([session('a'.repeat(64), now - 1), session('b'.repeat(64), now + 60_000)]);
    await t.database.db.insert(rateLimitBuckets).values([
      { key: 'stale', windowStart: now - STALE_COUNTER_MS - 1, count: 3 },
      { key: 'live', windowStart: now - 60_000, count: 3 },
    ]);

    const report = await runScheduledWork(t.deps, () => undefined);
    expect(report.errors).toEqual([]);
    expect(report.pruned).toBe(2);

    const left = await t.database.db.select({ id: sessions.id }).from(sessions);
    expect(left.map((s) => s.id)).toContain('b'.repeat(64));
    expect(left.map((s) => s.id)).not.toContain('a'.repeat(64));
    const counters = await t.database.db.select({ key: rateLimitBuckets.key }).from(rateLimitBuckets);
    expect(counters.map((c) => c.key)).toContain('live');
    expect(counters.map((c) => c.key)).not.toContain('stale');
    // The sign-up's own session is live and untouched.
    expect(left).toHaveLength(2);

    // Nothing left to prune: a second tick deletes nothing.
    expect((await runScheduledWork(t.deps, () => undefined)).pruned).toBe(0);
  });
});
