import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, errorOf, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signup = { email: 'victim@example.com', password: 'correct horse battery', name: 'Victim' };
const bodies: Array<[string, string, string]> = [
  ['JSON', 'application/json', JSON.stringify(signup)],
  ['form', 'application/x-www-form-urlencoded', new URLSearchParams(signup).toString()],
  ['text', 'text/plain', JSON.stringify(signup)],
  ['multipart-less (no content type)', '', JSON.stringify(signup)],
];

describe('cross-site state changes are refused whatever the content type', () => {
  for (const [label, type, body] of bodies) {
    it(`rejects a cross-origin ${label} body by Origin`, async () => {
      const headers: Record<string, string> = { origin: 'https://evil.example' };
      if (type) headers['content-type'] = type;
      const res = await t.client().request('/api/auth/signup', { method: 'POST', headers, body });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('cross_origin_rejected');
    });

    it(`rejects a cross-site ${label} body by Sec-Fetch-Site`, async () => {
      const headers: Record<string, string> = { 'sec-fetch-site': 'cross-site' };
      if (type) headers['content-type'] = type;
      const res = await t.client().request('/api/auth/logout', { method: 'POST', headers, body });
      expect(res.status).toBe(403);
    });
  }

  it('stored nothing from the refused requests', async () => {
    const rows = await t.database.db.all<{ n: number }>(sql`select count(*) as n from users`);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('refuses a same-site but cross-origin subdomain and a null origin', async () => {
    const variants: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      { origin: 'http://localhost:9999' },
    ];
    for (const headers of variants) {
      const res = await t.client().request('/api/auth/signup', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(signup),
      });
      expect(res.status).toBe(403);
    }
  });

  it('allows same-origin browser requests and non-browser clients', async () => {
    const same = await t.client().request('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify(signup),
    });
    expect(same.status).toBe(201);
    const cli = await t.client().post('/api/auth/login', { email: signup.email, password: signup.password });
    expect(cli.status).toBe(200);
  });

  it('lets cross-site GETs through (they change nothing)', async () => {
    const res = await t.client().get('/healthz', { 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(200);
  });
});
