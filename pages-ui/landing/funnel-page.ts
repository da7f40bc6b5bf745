/**
 * Builds the renderer's context from where a page sits in its funnel, for publish, preview and
 * re-render. Services never import this: the runtime hands `renderPublishedHtml` to them as the
 * `renderPublishedPage` port (services/ports.ts); the landing routes call it directly.
 */
import type { PageContent } from '../../workers/domain/blocks';
import type { FunnelPageRef } from '../../workers/domain/funnel-links';
import { renderLandingPage } from './render-page';
import type { RenderContext } from './render-context';

/**
 * `linkDrafts`: link every page, published or not — for draft previews, where the marketer follows
 * the funnel as designed. Published pages (the default) make no link to a page visitors cannot
 * open; the page being rendered counts as open (it is the one being published).
 */
export function funnelRenderContext(
  funnelSlug: string,
  pageSlug: string,
  siblings: FunnelPageRef[],
  options: { linkDrafts?: boolean } = {},
): RenderContext {
  const ordered = [...siblings].sort((a, b) => a.position - b.position);
  const first = ordered[0]?.slug;
  const pageUrl = (slug: string) => (slug === first ? `/p/${funnelSlug}` : `/p/${funnelSlug}/${slug}`);
  const index = ordered.findIndex((p) => p.slug === pageSlug);
  const next = index >= 0 ? ordered[index + 1] : undefined;
  const unpublished = options.linkDrafts ? [] : ordered.filter((p) => p.published === false && p.slug !== pageSlug);
  return {
    funnelSlug,
    pageSlug,
    pagePath: pageUrl(pageSlug),
    pageUrl,
    nextPageUrl: next ? pageUrl(next.slug) : null,
    ...(unpublished.length ? { unpublishedUrls: new Set(unpublished.map((p) => pageUrl(p.slug))) } : {}),
  };
}

export function renderPublishedHtml(content: PageContent, funnelSlug: string, pageSlug: string, siblings: FunnelPageRef[]): string {
  return renderLandingPage(content, funnelRenderContext(funnelSlug, pageSlug, siblings));
}

export function renderWithState(
  content: PageContent,
  funnelSlug: string,
  pageSlug: string,
  siblings: FunnelPageRef[],
  state: Partial<RenderContext>,
): string {
  return renderLandingPage(content, { ...funnelRenderContext(funnelSlug, pageSlug, siblings, { linkDrafts: !!state.preview }), ...state });
}
