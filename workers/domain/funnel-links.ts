/**
 * Where a CTA target points, given where the page sits in its funnel. The renderer uses it for
 * buttons; the capture route uses it for the 303 after a successful submission.
 */
import type { CtaTarget } from './blocks';

/** A page of a funnel, as much as its neighbours need to link to it. */
export interface FunnelPageRef {
  slug: string;
  position: number;
  /**
   * Whether visitors can open it (it has a published version). A published page makes no link to
   * a page known to be unpublished (`false`): that would be a dead end. Absent: linked.
   */
  published?: boolean;
}

export interface FunnelNavigation {
  /** URL of another page of the same funnel, by slug. */
  pageUrl(slug: string): string;
  /** The page after this one in funnel order; null on the last page. */
  nextPageUrl: string | null;
  /** URLs of this funnel's pages that visitors cannot open yet (not published): nothing links there. */
  unpublishedUrls?: ReadonlySet<string>;
}

/**
 * Where a target leads: an href, or nowhere — `unpublished` when it is a page of the funnel that
 * visitors cannot open yet (the button's text stays, without a link), not when there is no page
 * at all (a "next page" button on the last page, which is left out).
 */
export function ctaLink(target: CtaTarget, nav: FunnelNavigation): { href: string } | { href: null; unpublished: boolean } {
  const href = target.kind === 'page' ? nav.pageUrl(target.slug) : target.kind === 'next' ? nav.nextPageUrl : target.url;
  if (href === null) return { href: null, unpublished: false };
  if (target.kind !== 'url' && nav.unpublishedUrls?.has(href)) return { href: null, unpublished: true };
  return { href };
}

/** The href for a target, or null when it leads nowhere a visitor can go. */
export function resolveCtaTarget(target: CtaTarget, nav: FunnelNavigation): string | null {
  return ctaLink(target, nav).href;
}
