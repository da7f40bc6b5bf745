/**
 * Shareable preview links: a signed, expiring URL that shows a page's *current draft* to anyone
 * who has it (a client, a colleague without an account), rendered by the same renderer as the
 * published page. An HMAC-signed token (domain/signed-tokens.ts), so no link is stored; the link
 * shows the draft as it is when opened, not as it was when the link was made. Editors can turn off
 * every link made so far (`revokePreviewLinks`): the page keeps only the time they did.
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
  /** When it was made, epoch ms: links made at or before the page's `previewLinksRevokedAt` are off. */
  i: number;
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
  const token = await signToken(secret, { k: 'preview', p: pageId, w: workspaceId, e: expiresAt, i: now } satisfies PreviewToken);
  return { url: `${origin}/preview/${token}`, expiresAt };
}

/** Turns off every preview link of the page made until now; links made afterwards work. */
export async function revokePreviewLinks(db: Db, now: number, workspaceId: string, pageId: string): Promise<{ revokedAt: number }> {
  await findPage(db, workspaceId, pageId);
  await db
    .update(funnelPages)
    .set({ previewLinksRevokedAt: now })
    .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  return { revokedAt: now };
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
  | { kind: 'revoked'; revokedAt: number }
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
    .select({
      draft: funnelPages.draft,
      pageSlug: funnelPages.slug,
      funnelId: funnelPages.funnelId,
      funnelSlug: funnels.slug,
      revokedAt: funnelPages.previewLinksRevokedAt,
    })
    .from(funnelPages)
    .innerJoin(funnels, eq(funnels.id, funnelPages.funnelId))
    .where(and(eq(funnelPages.id, payload.p), eq(funnelPages.workspaceId, payload.w)));
  if (!row) return { kind: 'gone' };
  // A link made before links had a making time counts as made at time 0.
  if (row.revokedAt !== null && (typeof payload.i === 'number' ? payload.i : 0) <= row.revokedAt) {
    return { kind: 'revoked', revokedAt: row.revokedAt };
  }
  return {
    kind: 'draft',
    content: row.draft as PageContent,
    funnelSlug: row.funnelSlug,
    pageSlug: row.pageSlug,
    siblings: await funnelPageRefs(db, row.funnelId),
    expiresAt: payload.e,
  };
}
