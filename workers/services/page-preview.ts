/**
 * Shareable preview links: a signed, expiring URL that shows a page's *current draft* to anyone
 * who has it (a client, a colleague without an account), rendered by the same renderer as the
 * published page. Stateless (an HMAC-signed token, domain/signed-tokens.ts), so nothing is stored;
 * the link shows the draft as it is when opened, not as it was when the link was made.
 */
import { and, eq } from 'drizzle-orm';
import { funnelPages, funnels } from '../../db/schema';
import type { Db } from '../../db/types';
import type { PageContent } from '../domain/blocks';
import type { FunnelPageRef } from '../domain/funnel-links';
import { signToken, verifyToken } from '../domain/signed-tokens';
import { findPage } from './funnels';
import { funnelPageRefs } from './published-pages';

const DAY_MS = 24 * 60 * 60 * 1000;
export const PREVIEW_LINK_DEFAULT_DAYS = 7;
export const PREVIEW_LINK_MAX_DAYS = 30;

/** `k` tells a preview token from the app's other signed tokens (downloads, results), which it must never pass for. */
interface PreviewToken {
  k: 'preview';
  /** Page id and its workspace. */
  p: string;
  w: string;
  /** Expiry, epoch ms. */
  e: number;
}

export async function createPreviewLink(
  db: Db,
  secret: string,
  now: number,
  workspaceId: string,
  pageId: string,
  origin: string,
  days = PREVIEW_LINK_DEFAULT_DAYS,
): Promise<{ url: string; expiresAt: number }> {
  await findPage(db, workspaceId, pageId);
  const expiresAt = now + days * DAY_MS;
  const token = await signToken(secret, { k: 'preview', p: pageId, w: workspaceId, e: expiresAt } satisfies PreviewToken);
  return { url: `${origin}/preview/${token}`, expiresAt };
}

export type PreviewLookup =
  | {
      kind: 'draft';
      content: PageContent;
      funnelSlug: string;
      pageSlug: string;
      siblings: FunnelPageRef[];
      expiresAt: number;
    }
  | { kind: 'invalid' }
  | { kind: 'expired'; expiredAt: number }
  | { kind: 'gone' };

/** What a preview link shows now: the page's draft, or why there is nothing to show. */
export async function openPreviewLink(db: Db, secret: string, now: number, token: string): Promise<PreviewLookup> {
  const payload = await verifyToken<PreviewToken>(secret, token);
  if (
    !payload ||
    payload.k !== 'preview' ||
    typeof payload.p !== 'string' ||
    typeof payload.w !== 'string' ||
    typeof payload.e !== 'number'
  ) {
    return { kind: 'invalid' };
  }
  if (payload.e <= now) return { kind: 'expired', expiredAt: payload.e };
  const [row] = await db
    .select({ draft: funnelPages.draft, pageSlug: funnelPages.slug, funnelId: funnelPages.funnelId, funnelSlug: funnels.slug })
    .from(funnelPages)
    .innerJoin(funnels, eq(funnels.id, funnelPages.funnelId))
    .where(and(eq(funnelPages.id, payload.p), eq(funnelPages.workspaceId, payload.w)));
  if (!row) return { kind: 'gone' };
  return {
    kind: 'draft',
    content: row.draft as PageContent,
    funnelSlug: row.funnelSlug,
    pageSlug: row.pageSlug,
    siblings: await funnelPageRefs(db, row.funnelId),
    expiresAt: payload.e,
  };
}
