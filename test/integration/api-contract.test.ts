import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireUser, workspaceScope } from '../../workers/middleware/auth';
import { apiEndpoints } from '../../workers/routes/api/openapi';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Operation {
  summary: string;
  security: Array<Record<string, string[]>>;
  parameters: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { content: Record<string, { schema: { examples?: unknown[] } }> };
  responses: Record<string, { description: string }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

async function document(): Promise<Document> {
  const res = await t.client().get('/api/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Document; // the document is JSON Schema data, not an app type
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every mounted /api route, each with a summary, auth and its errors', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    const mounted = t.app.routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL');
    const unique = new Set(mounted.map((r) => `${r.method} ${r.path}`));
    expect(unique.size).toBeGreaterThan(70);
    for (const key of unique) {
      const [method, path] = key.split(' ') as [string, string];
      const op = doc.paths[toOpenApiPath(path)]?.[method.toLowerCase()];
      expect(op, `${key} is missing from the document`).toBeDefined();
      expect(op!.summary, `${key} has no summary (apiDoc)`).not.toMatch(/^(GET|POST|PUT|PATCH|DELETE) /);
      for (const [, name] of path.matchAll(/:(\w+)/g)) {
        expect(op!.parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
      }
      if (path.startsWith('/api/v1/')) expect(op!.security).toEqual([{ apiKey: [] }]);
      if (/^\/api\/(deals|pipelines|funnels|leads|webhooks)\b/.test(path)) {
        expect(op!.security).toEqual([{ session: [] }]);
        expect(op!.responses['401']?.description).toMatch(/unauthorized/);
      }
      if (op!.requestBody) expect(op!.responses['400']?.description).toMatch(/validation_failed/);
    }
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.length).toBe(unique.size);
  });

  it('gives every JSON body an example, and every example passes the route’s own validation', async () => {
    const doc = await document();
    const endpoints = apiEndpoints(t.app.routes, { requireUser, workspaceScope });
    let checked = 0;
    for (const endpoint of endpoints) {
      const body = endpoint.validators.find((v) => v.target === 'json');
      if (!body) continue;
      const op = doc.paths[toOpenApiPath(endpoint.path)]![endpoint.method.toLowerCase()]!;
      const examples = op.requestBody?.content['application/json']?.schema.examples;
      expect(examples ?? [], `${endpoint.method} ${endpoint.path} has no example`).not.toHaveLength(0);
      for (const example of examples!) {
        const result = body.schema.safeParse(example);
        expect(result.success, `${endpoint.method} ${endpoint.path}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('documents the parameters a route validates, so a query option is never a secret', async () => {
    const doc = await document();
    const deals = doc.paths['/api/deals']!.get!;
    expect(deals.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['pipeline', 'stage', 'owner', 'status', 'q', 'cursor', 'limit']),
    );
    expect(deals.parameters.find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false });
  });
});

describe('the API reference page', () => {
  it('renders every operation as readable HTML, without scripts', async () => {
    const doc = await document();
    const res = await t.client().get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(html).toContain(op.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
        expect(html).toContain(`${method.toUpperCase()}</span> ${path}`);
      }
    }
    expect(html).toContain('Authorization: Bearer lf_key_…');
  });
});
