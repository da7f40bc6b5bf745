import type { MiddlewareHandler } from 'hono';

/**
 * What the OpenAPI document says about a route that its validators cannot tell: a summary, the
 * success status and the errors particular to it. Auth, validation, 401/403/404/413 are derived
 * from the route's own middleware by the generator (workers/routes/api/openapi.ts).
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** The success status (default 200; 201 for a create, 202 accepted, 204 no content). */
  status?: 200 | 201 | 202 | 204;
  /** What the success response holds. */
  returns?: string;
  /** `{ code: when }` for errors beyond the ones every route of its kind can answer. */
  errors?: Record<string, { status: number; when: string }>;
  /** Not a JSON response (a CSV download, for instance): its media type. */
  produces?: string;
}

export const DOCUMENTS = Symbol('documents');

/**
 * Documents a route where it is defined; it does nothing at request time.
 *
 * @example
 * app.post('/', apiDoc({ summary: 'Create a deal', status: 201 }), validate('json', newDeal), handler)
 */
export function apiDoc(doc: RouteDoc): MiddlewareHandler {
  const passThrough: MiddlewareHandler = (_c, next) => next();
  return Object.assign(passThrough, { [DOCUMENTS]: doc });
}
