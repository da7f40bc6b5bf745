import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { readPublicImage } from '../../services/media';

/** A year: the URL holds the bytes' hash, so a changed picture is a new URL and this one never goes stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * An SVG opened on its own is a document of this origin. Uploads are checked to hold no script
 * (domain/media.ts); this policy is the second wall: no script, no requests, a sandboxed origin.
 */
const SVG_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

/** Uploaded images at their public, content-hashed address: `/media/<sha256 prefix>/<id>.<ext>`. */
export const mediaFileRoutes = new Hono<AppEnv>().get('/media/:hash/:file', async (c) => {
  const image = await readPublicImage(c.var.deps.media, c.req.param('hash'), c.req.param('file'));
  if (!image) return c.text('Not found', 404, { 'cache-control': 'no-store' });
  return c.body(image.body, 200, {
    'content-type': image.contentType,
    'content-length': String(image.size),
    'cache-control': IMMUTABLE,
    'x-content-type-options': 'nosniff',
    ...(image.ext === 'svg' ? { 'content-security-policy': SVG_POLICY } : {}),
  });
});
