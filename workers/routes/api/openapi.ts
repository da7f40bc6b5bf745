/**
 * The OpenAPI 3.1 document of `/api`, generated from the mounted routes themselves: each route's
 * validators give its parameters and body (zod → JSON Schema), `apiDoc` its summary and particular
 * errors, and its middleware (session, workspace scope, role, API key) its auth and common errors.
 * Nothing is written twice, so the document cannot drift from what the API accepts.
 */
import type { MiddlewareHandler } from 'hono';
import { globalRegistry, toJSONSchema, type z } from 'zod';
import { DOCUMENTS, type RouteDoc } from '../../middleware/api-doc';
import { REQUIRES_ROLE } from '../../middleware/auth';
import { VALIDATES, type ValidatorMeta } from '../../middleware/validate';

export interface MountedRoute {
  method: string;
  path: string;
  handler: unknown;
}

export interface AuthMarkers {
  /** Middleware that needs a signed-in member (session cookie). */
  requireUser: MiddlewareHandler;
  /** Middleware that resolves the workspace (session + X-Workspace-Id). */
  workspaceScope: MiddlewareHandler;
}

type Json = Record<string, unknown>;

export interface EndpointMeta {
  method: string;
  path: string;
  doc?: RouteDoc;
  validators: ValidatorMeta[];
  role?: string;
  auth: 'none' | 'session' | 'workspace' | 'apiKey';
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function matches(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === '/*') return true;
  if (pattern.endsWith('/*')) return path === pattern.slice(0, -2) || path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

/** Every `/api` endpoint with what its middleware says about it, in mounting order. */
export function apiEndpoints(routes: readonly MountedRoute[], markers: AuthMarkers): EndpointMeta[] {
  const endpoints = new Map<string, EndpointMeta>();
  const guards = routes.filter((r) => r.method === 'ALL');
  for (const route of routes) {
    if (!METHODS.has(route.method) || !route.path.startsWith('/api/')) continue;
    const key = `${route.method} ${route.path}`;
    let endpoint = endpoints.get(key);
    if (!endpoint) {
      const scoped = guards.some((g) => g.handler === markers.workspaceScope && matches(g.path, route.path));
      const auth = route.path.startsWith('/api/v1/') ? 'apiKey' : scoped ? 'workspace' : 'none';
      endpoint = { method: route.method, path: route.path, validators: [], auth };
      endpoints.set(key, endpoint);
    }
    const handler = route.handler as Record<symbol, unknown>;
    if (handler[DOCUMENTS]) endpoint.doc = handler[DOCUMENTS] as RouteDoc;
    if (handler[VALIDATES]) endpoint.validators.push(handler[VALIDATES] as ValidatorMeta);
    if (handler[REQUIRES_ROLE]) endpoint.role = handler[REQUIRES_ROLE] as string;
    if (route.handler === markers.requireUser && endpoint.auth === 'none') endpoint.auth = 'session';
  }
  return [...endpoints.values()];
}

function schemaOf(schema: z.ZodType): Json {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12 already; the per-schema dialect line is noise.
  const { $schema: _dialect, ...json } = toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  // zod leaves the metadata out of the input form of a schema with transforms; examples are input.
  const examples = globalRegistry.get(schema)?.examples;
  return examples && !json.examples ? { ...json, examples } : json;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'status'],
      properties: {
        code: { type: 'string', examples: ['validation_failed'] },
        message: { type: 'string' },
        status: { type: 'integer' },
        fields: {
          type: 'array',
          description: 'For validation_failed: one entry per invalid field.',
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

function errorResponses(endpoint: EndpointMeta): Record<string, Json> {
  const errors = new Map<number, string[]>();
  const add = (status: number, line: string) => errors.set(status, [...(errors.get(status) ?? []), line]);
  const targets = new Set(endpoint.validators.map((v) => v.target));
  if (targets.size) add(400, '`validation_failed`: a field is missing or invalid (see `fields`).');
  if (targets.has('json')) add(400, '`unsupported_content_type` / `invalid_json`: the body is not JSON.');
  if (targets.has('form')) add(400, '`malformed_body`: the form upload could not be read.');
  if (endpoint.auth === 'apiKey') add(401, '`unauthorized`: no valid API key in `Authorization: Bearer lf_key_…`.');
  if (endpoint.auth === 'session' || endpoint.auth === 'workspace') add(401, '`unauthorized`: not signed in.');
  if (endpoint.auth === 'workspace') {
    if (endpoint.method !== 'GET') add(403, '`read_only_role`: viewers cannot change anything.');
    add(404, '`not_found`: the workspace in `X-Workspace-Id` is not one of yours.');
  }
  if (endpoint.role) add(403, `\`insufficient_role\`: needs the ${endpoint.role} role.`);
  if (endpoint.path.includes('/:')) add(404, '`not_found`: no such resource in this workspace.');
  if (targets.has('json') || targets.has('form')) add(413, '`payload_too_large`: the body is over the size limit.');
  for (const [code, { status, when }] of Object.entries(endpoint.doc?.errors ?? {})) add(status, `\`${code}\`: ${when}`);
  return Object.fromEntries(
    [...errors].map(([status, lines]) => [
      String(status),
      { description: lines.join('\n\n'), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
}

function parameters(endpoint: EndpointMeta): Json[] {
  const params: Json[] = [];
  const pathSchema = endpoint.validators.find((v) => v.target === 'param');
  const pathProps = pathSchema ? ((schemaOf(pathSchema.schema).properties ?? {}) as Record<string, Json>) : {};
  for (const [, name] of endpoint.path.matchAll(/:(\w+)/g)) {
    params.push({ name, in: 'path', required: true, schema: pathProps[name!] ?? { type: 'string' } });
  }
  const query = endpoint.validators.find((v) => v.target === 'query');
  if (query) {
    const json = schemaOf(query.schema);
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((json.properties ?? {}) as Record<string, Json>)) {
      const { description, ...rest } = schema;
      params.push({
        name,
        in: 'query',
        required: required.has(name) && !('default' in schema),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return params;
}

function requestBody(endpoint: EndpointMeta): Json | undefined {
  const body = endpoint.validators.find((v) => v.target === 'json' || v.target === 'form');
  if (!body) return undefined;
  const schema = schemaOf(body.schema);
  // A form with a file field (`z.file()`, binary in JSON Schema) is only sent as multipart.
  const hasFile = Object.values((schema.properties ?? {}) as Record<string, Json>).some((p) => p.format === 'binary');
  const mediaType = body.target === 'json' ? 'application/json' : hasFile ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
  return { required: true, content: { [mediaType]: { schema } } };
}

function security(endpoint: EndpointMeta): Json[] {
  switch (endpoint.auth) {
    case 'apiKey':
      return [{ apiKey: [] }];
    case 'session':
    case 'workspace':
      return [{ session: [] }];
    case 'none':
      return [];
  }
}

const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ');

export function openApiDocument(routes: readonly MountedRoute[], markers: AuthMarkers, serverUrl?: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const endpoint of apiEndpoints(routes, markers)) {
    const openApiPath = endpoint.path.replace(/:(\w+)/g, '{$1}');
    const tag = titleCase(endpoint.path.split('/')[2] ?? 'api');
    const doc = endpoint.doc;
    const status = String(doc?.status ?? 200);
    const success: Json =
      status === '204'
        ? { description: doc?.returns ?? 'Done; no content.' }
        : { description: doc?.returns ?? 'OK', content: { [doc?.produces ?? 'application/json']: {} } };
    const body = requestBody(endpoint);
    (paths[openApiPath] ??= {})[endpoint.method.toLowerCase()] = {
      operationId: `${endpoint.method.toLowerCase()}${openApiPath.replace(/[{}]/g, '').replace(/(^|[/-])(\w)/g, (_m, _s, ch: string) => ch.toUpperCase())}`,
      tags: [tag],
      summary: doc?.summary ?? `${endpoint.method} ${endpoint.path}`,
      ...(doc?.description ? { description: doc.description } : {}),
      ...(endpoint.role ? { 'x-required-role': endpoint.role } : {}),
      security: security(endpoint),
      parameters: parameters(endpoint),
      ...(body ? { requestBody: body } : {}),
      responses: { [status]: success, ...errorResponses(endpoint) },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Leadflare API',
      version: '1',
      description:
        'Funnels, pages, leads, pipelines and deals of a Leadflare workspace. Sign in with `POST /api/auth/login` (a session cookie); ' +
        'a member of several workspaces picks one with the `X-Workspace-Id` header. Stores and back offices report purchases to ' +
        '`/api/v1` with a workspace API key. Every error has the shape `{"error": {"code", "message", "status"}}`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'lf_session',
          description: 'The session cookie set by POST /api/auth/login (`__Host-lf_session` over https).',
        },
        apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key (`lf_key_…`), created under /api/workspace/api-keys.' },
      },
    },
  };
}
