/** Builds the renderer's context from where a page sits in its funnel, for publish, preview and re-render. */
import type { PageContent } from '../domain/blocks';
import { renderLandingPage } from '../../pages-ui/landing/render-page';
import type { RenderContext } from '../../pages-ui/landing/render-context';

export interface FunnelPageRef {
  slug: string;
  position: number;
}

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
