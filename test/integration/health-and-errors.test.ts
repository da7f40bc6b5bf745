import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('health and error shape', () => {
  it('reports healthy after a database round trip', async () => {
    const res = await t.client().rpc.healthz.$get();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['POST', '/api/nothing-here/123/fly'],
      ['DELETE', '/api'],
    ]) {
      const res = await t.client().request(path!, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await errorOf(res)).code).toBe('not_found');
    }
  });

  it('reports 503 when the database is unreachable', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await createTestApp();
    broken.database.client.close();
    const res = await broken.client().get('/healthz');
    expect(res.status).toBe(503);
    expect((await errorOf(res)).code).toBe('database_unavailable');
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('ERROR Health check failed'));
    logged.mockRestore();
  });

  it('hides internal errors behind a 500 in the same shape', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await createTestApp();
    const client = broken.client();
    broken.database.client.close();
    const res = await client.rpc.api.auth.login.$post({ json: { email: 'a@b.test', password: 'whatever123' } });
    expect(res.status).toBe(500);
    const error = await errorOf(res);
    expect(error.code).toBe('internal_error');
    expect(error.message).not.toMatch(/libsql|sqlite|closed/i);
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/ERROR Unhandled error .*path=\/api\/auth\/login[^]*closed/i)); // the details go to the log, not to the client
    logged.mockRestore();
  });
});
