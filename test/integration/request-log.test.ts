/**
 * Every request has an id, sent back as `X-Request-Id` and carried by every line it logs, so a
 * user's report ("it failed, request 5f1c…") finds the server's side of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { createLogger, log, setLogger, type LogLevel } from '../../workers/logger';
import { createTestApp, errorOf, type TestApp } from '../support/app';

const lines: Array<{ level: LogLevel; entry: Record<string, unknown> }> = [];
const processLogger = log;
let t: TestApp;

beforeAll(async () => {
  setLogger(
    createLogger({ format: 'json', write: (level, line) => lines.push({ level, entry: JSON.parse(line) as Record<string, unknown> }) }),
  );
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
});
afterAll(() => {
  setLogger(processLogger);
  t?.close();
});

describe('request ids', () => {
  it('logs an unhandled error with the id the response carries', async () => {
    const broken = await createTestApp();
    broken.database.client.close();
    lines.length = 0;
    const res = await broken.client().post('/api/auth/login', { email: 'a@b.test', password: 'whatever123' });
    expect(res.status).toBe(500);
    expect((await errorOf(res)).code).toBe('internal_error');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([
      {
        level: 'error',
        entry: expect.objectContaining({
          level: 'error',
          message: 'Unhandled error',
          requestId: id,
          method: 'POST',
          path: '/api/auth/login',
          err: expect.objectContaining({ message: expect.any(String), stack: expect.any(String) }),
        }),
      },
    ]);
  });

  it('logs a failed health check with its request id, and keeps a plain id the client sent', async () => {
    const broken = await createTestApp();
    broken.database.client.close();
    lines.length = 0;
    const res = await broken.client().get('/healthz', { 'x-request-id': 'support-ticket-42' });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-request-id')).toBe('support-ticket-42');
    expect(lines.map((l) => [l.level, l.entry.message, l.entry.requestId])).toEqual([
      ['error', 'Health check failed', 'support-ticket-42'],
    ]);
  });

  it('gives every response an id of its own: JSON, HTML, a published page, a 404', async () => {
    const client = t.client();
    const ids = new Set<string>();
    for (const path of ['/healthz', '/login', '/p/cosmetics-set', '/p/cosmetics-set', '/api/nope', '/p/nope']) {
      const res = await client.get(path);
      const id = res.headers.get('x-request-id');
      expect(id, path).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id!);
    }
    expect(ids.size).toBe(6);
  });

  it('replaces an id that is too long or not plain', async () => {
    for (const sent of ['x'.repeat(65), 'has spaces in it', 'semi;colon']) {
      const res = await t.client().get('/healthz', { 'x-request-id': sent });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
