/**
 * `/preview/<token>`: a page's current draft through a shareable, signed, expiring link
 * (services/page-preview.ts), drawn by the renderer of published pages in preview mode — never
 * indexed, never cached, no tracking, and the token never leaks through a Referer header.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../deps';
import { SUBMISSION_TOKEN_PLACEHOLDER } from '../../../pages-ui/landing/form-constants';
import { renderWithState } from '../../../pages-ui/landing/funnel-page';
import { contentSecurityPolicy } from '../../../pages-ui/landing/render-page';
import { openPreviewLink } from '../../services/page-preview';

const PRIVATE = { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex, nofollow', 'referrer-policy': 'no-referrer' };

const escapeText = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A plain page that says why there is nothing to preview. */
function linkMessage(c: Context<AppEnv>, status: 404 | 410, title: string, text: string) {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><title>${escapeText(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1c1f26}</style></head><body><main><h1>${escapeText(title)}</h1><p>${escapeText(text)}</p></main></body></html>`,
    status,
    { ...PRIVATE, 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'" },
  );
}

export const pagePreviewRoutes = new Hono<AppEnv>().get('/preview/:token', async (c) => {
  const { deps } = c.var;
  const now = deps.clock();
  const found = await openPreviewLink(deps.database.db, deps.secret, now, c.req.param('token'));
  switch (found.kind) {
    case 'invalid':
      return linkMessage(c, 404, 'This preview link is not valid', 'Check that you copied the whole link, or ask for a new one.');
    case 'expired':
      return linkMessage(
        c,
        410,
        'This preview link has expired',
        `It was valid until ${new Date(found.expiredAt).toUTCString()}. Ask whoever sent it for a new link.`,
      );
    case 'revoked':
      return linkMessage(
        c,
        410,
        'This preview link was turned off',
        `The page's editors turned off its preview links on ${new Date(found.revokedAt).toUTCString()}. Ask them for a new link.`,
      );
    case 'gone':
      return linkMessage(c, 410, 'This page no longer exists', 'The page this preview link showed has been deleted.');
    case 'draft': {
      const html = renderWithState(found.content, found.funnelSlug, found.pageSlug, found.siblings, { preview: true, now });
      // The draft's forms are not live: their token is no submission token, so a post is refused, never stored.
      return c.html(html.replaceAll(SUBMISSION_TOKEN_PLACEHOLDER, 'preview'), 200, {
        ...PRIVATE,
        'content-security-policy': contentSecurityPolicy(found.content),
      });
    }
  }
});
