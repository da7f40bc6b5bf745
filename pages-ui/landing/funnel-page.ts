/**
 * Builds the renderer's context from where a page sits in its funnel, for publish, preview and
 * re-render. Services never import this: the runtime hands `renderPublishedHtml` to them as the
 * `renderPublishedPage` port (services/ports.ts); the landing routes call it directly.
 */
import type { PageContent } from '../../workers/domain/blocks';
import type { FunnelPageRef } from '../../workers/domain/funnel-links';
import { renderLandingPage } from './render-page';
import type { RenderContext } from './render-context';

export function funnelRenderContext(funnelSlug: string, pageSlug: string, siblings: FunnelPageRef[]): RenderContext {
  const ordered = [...siblings].sort((a, b) => a.position - b.position);
  const first = ordered[0]?.slug;
  const pageUrl = (slug: string) => (slug === first ? `/p/${funnelSlug}` : `/p/${funnelSlug}/${slug}`);
  const index = ordered.findIndex((p) => p.slug === pageSlug);
  const next = index >= 0 ? ordered[index + 1] : undefined;
  return {
    funnelSlug,
    pageSlug,
    pagePath: pageUrl(pageSlug),
    pageUrl,
    nextPageUrl: next ? pageUrl(next.slug) : null,
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
  return renderLandingPage(content, { ...funnelRenderContext(funnelSlug, pageSlug, siblings), ...state });
}
