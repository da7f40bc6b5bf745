import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startWorker, WORKER_BUNDLE, BRIDGE_URL, type WorkerHarness } from '../support/worker';
import { waitFor } from '../support/wait';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
});
afterAll(() => w?.close());

describe('the built Worker bundle', () => {
  it('imports no Node built-ins', () => {
    const bundle = readFileSync(WORKER_BUNDLE, 'utf8');
    const builtin =
      /(?:\bfrom|\bimport|\brequire)\s*\(?\s*["'](node:[\w/]+|fs|path|os|child_process|net|tls|http|https|crypto|stream|buffer|util|url|worker_threads)["']/g;
    expect([...bundle.matchAll(builtin)].map((m) => m[1])).toEqual([]);
  });

  // Our own code (services, domain, routes) is ~60 % of the bundle and grows with each feature; the
  // budget leaves it room (Cloudflare allows 3 MB on the free plan) while a dependency that defeats
  // tree-shaking (tens of KB at once) still shows up here first. Sales app (activities, settings): 254 KB.
  it('stays within the 300 KB gzip budget (a dependency that defeats tree-shaking shows up here first)', () => {
    const gzipBytes = gzipSync(readFileSync(WORKER_BUNDLE), { level: 9 }).byteLength;
    expect(gzipBytes).toBeLessThanOrEqual(300 * 1024);
  });

  it('answers /healthz with a database round trip through libSQL over HTTP', async () => {
    const res = await w.fetch('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(w.outbound.some((u) => u.startsWith(`${BRIDGE_URL}/v2/pipeline`))).toBe(true);
  });

  it('signs up, logs in and shows /api/me in workerd, stored in the libSQL file', async () => {
    const signup = await w.fetch('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'edge@example.com', password: 'correct horse battery', name: 'Edge', workspaceName: 'Edge Shop' }),
    });
    expect(signup.status).toBe(201);

    const login = await w.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'edge@example.com', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(cookie).toMatch(/^lf_session=/);

    const me = await w.fetch('/api/me', { cookie });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'edge@example.com' }, workspaces: [{ name: 'Edge Shop', role: 'owner' }] });

    // The Node side reads what the Worker wrote: the same file, through the bridge.
    const rows = await w.database.db.all<{ email: string }>(sql`select email from users`);
    expect(rows).toEqual([{ email: 'edge@example.com' }]);

    const logout = await w.fetch('/api/auth/logout', { method: 'POST', cookie });
    expect(logout.status).toBe(204);
    expect((await w.fetch('/api/me', { cookie })).status).toBe(401);
  });

  it('uses the same error shape and CSRF protection as the local runtime', async () => {
    const cross = await w.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    const missing = await w.fetch('/api/unknown');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No API route for GET /api/unknown.', status: 404 } });
  });

  it('answers 503 from /healthz when the database is unreachable, and logs it as a JSON line with the request id', async () => {
    const down = await startWorker({ bindings: { DATABASE_URL: 'http://unreachable.test' } });
    try {
      const res = await down.fetch('/healthz');
      expect(res.status).toBe(503);
      expect((await res.json()) as object).toMatchObject({ error: { code: 'database_unavailable', status: 503 } });
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const entries = (
        await waitFor(
          () => down.logs.filter((line) => line.includes(requestId!)),
          (found) => found.length > 0,
        )
      ).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries).toEqual([
        expect.objectContaining({
          level: 'error',
          message: 'Health check failed',
          requestId,
          err: expect.objectContaining({ message: expect.any(String) }),
        }),
      ]);
    } finally {
      await down.close();
    }
  });
});
