/**
 * A body the client broke is the client's fault: every POST/PUT/PATCH route from the route table
 * gets a corpus of malformed bodies and answers 4xx — JSON routes in the one error shape, HTML
 * forms with the page and a message — never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
let member: TestClient;
const params: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  member = t.client();
  await signIn(member);
  Object.assign(params, { funnel: 'cosmetics-set', page: 'quiz', token: 'no-such-invitation-token' });
});
afterAll(() => t.close());

async function signIn(client: TestClient) {
  expect((await client.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } })).status).toBe(200);
}

const BOUNDARY = 'zzz';
const CORPUS: Array<{ name: string; contentType: string; body: string }> = [
  {
    name: 'an unterminated multipart part',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\nava@exa`,
  },
  {
    name: 'multipart without a boundary',
    contentType: 'multipart/form-data',
    body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\nava@example.com\r\n--${BOUNDARY}--\r\n`,
  },
  { name: 'JSON labelled as multipart', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: '{"email":"ava@example.com"}' },
  {
    name: 'an upload cut short',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="deals.csv"\r\nContent-Type: text/csv\r\n\r\nDeal name,Amount\r\nCosmetics set,25`,
  },
  { name: 'malformed JSON', contentType: 'application/json', body: '{"email": "ava@example.com",' },
  { name: 'JSON that is not an object', contentType: 'application/json', body: '"just a string"' },
];

function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? '01JNOSUCHRESOURCE0000000');
}

function writeRoutes(): string[] {
  const routes = t.app.routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.path.includes('*'));
  return [...new Set(routes.map((r) => `${r.method} ${r.path}`))];
}

describe('malformed request bodies', () => {
  it('never answer 500 on any POST, PUT or PATCH route', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /p/:funnel',
        'POST /p/:funnel/:page',
        'POST /login',
        'POST /signup',
        'POST /api/deals/:id/move',
        'POST /api/imports/leads',
        'POST /api/imports/deals',
      ]),
    );
    const failures: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      for (const sample of CORPUS) {
        const res = await member.request(concretePath(path), {
          method,
          headers: { 'content-type': sample.contentType },
          body: sample.body,
        });
        if (res.status >= 500) failures.push(`${route} with ${sample.name}: ${res.status} ${await res.text()}`);
        else if (path.startsWith('/api/') && res.status >= 400) await errorOf(res); // throws unless it is the one error shape
        if (path.endsWith('/logout')) await signIn(member); // it reads no body, and signs the member out
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 400 on the JSON routes that read a form or file upload', async () => {
    for (const path of ['/api/imports/leads', '/api/imports/deals']) {
      for (const sample of CORPUS) {
        const res = await member.request(path, { method: 'POST', headers: { 'content-type': sample.contentType }, body: sample.body });
        expect(res.status, `${path} with ${sample.name}`).toBe(400);
        expect(['malformed_body', 'invalid_json', 'validation_failed', 'file_missing']).toContain((await errorOf(res)).code);
      }
    }
    const broken = await member.request('/api/deals', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(await errorOf(broken)).toMatchObject({ status: 400, code: 'invalid_json' });
    const notJson = await member.request('/api/deals', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: '{}',
    });
    expect(await errorOf(notJson)).toMatchObject({ status: 400, code: 'unsupported_content_type' });
  });

  it('shows the HTML forms again with a message instead of an error page', async () => {
    const visitor = t.client();
    const cases: Array<[TestClient, string]> = [
      [visitor, '/p/cosmetics-set'],
      [visitor, '/p/cosmetics-set/quiz'],
      [visitor, '/login'],
      [visitor, '/signup'],
    ];
    for (const [client, path] of cases) {
      for (const sample of CORPUS.filter((s) => s.contentType.startsWith('multipart/'))) {
        const res = await client.request(path, { method: 'POST', headers: { 'content-type': sample.contentType }, body: sample.body });
        expect(res.status, `${path} with ${sample.name}`).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        const html = await res.text();
        if (sample.name !== 'JSON labelled as multipart') expect(html, path).toContain('could not be read');
        expect(html).toMatch(/<form|Go back/);
      }
    }
  });
});
