/**
 * Where a CTA target points, given where the page sits in its funnel. The renderer uses it for
 * buttons; the capture route uses it for the 303 after a successful submission.
 */
import type { CtaTarget } from './blocks';

/** A page of a funnel, as much as its neighbours need to link to it. */
export interface FunnelPageRef {
  slug: string;
  position: number;
  /** Whether visitors can open it (it has a published version); links are made either way. */
  published?: boolean;
}

export interface FunnelNavigation {
  /** URL of another page of the same funnel, by slug. */
  pageUrl(slug: string): string;
  /** The page after this one in funnel order; null on the last page. */
  nextPageUrl: string | null;
}

/** The href for a target, or null when it leads nowhere (a "next page" link on the last page). */
export function resolveCtaTarget(target: CtaTarget, nav: FunnelNavigation): string | null {
  switch (target.kind) {
    case 'page':
      return nav.pageUrl(target.slug);
    case 'next':
      return nav.nextPageUrl;
    case 'url':
      return target.url;
  }
}
