import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { renderApiReference } from '../../../pages-ui/api-docs/reference';
import { openApiDocument, type AuthMarkers, type MountedRoute } from './openapi';

/** The reference is one document with its own inline style and no script. */
const REFERENCE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * `GET /api/openapi.json` and the readable reference at `GET /api/docs`, both built from the
 * mounted routes the first time they are asked for (the routes do not change while the app runs).
 */
export function apiDocsRoutes(routes: () => readonly MountedRoute[], markers: AuthMarkers) {
  let doc: Record<string, unknown> | undefined;
  let html: string | undefined;
  const document = () => (doc ??= openApiDocument(routes(), markers));
  return new Hono<AppEnv>()
    .get('/openapi.json', apiDoc({ summary: 'This API as an OpenAPI 3.1 document' }), (c) =>
      c.json(document(), 200, { 'cache-control': 'public, max-age=300' }),
    )
    .get('/docs', apiDoc({ summary: 'This reference as a web page', produces: 'text/html' }), (c) =>
      c.html((html ??= renderApiReference(document())), 200, {
        'cache-control': 'public, max-age=300',
        'content-security-policy': REFERENCE_POLICY,
      }),
    );
}
