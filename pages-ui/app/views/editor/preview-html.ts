/**
 * The editor's preview is the published page: the same renderer (pages-ui/landing) with the same
 * funnel context the publisher uses, plus only the `data-block-index` marks that let a click in the
 * preview select its block. Stripping those marks (`publishedHtml`, page-weight.ts) gives the
 * published HTML byte for byte (test/unit/editor-preview.test.ts), which the weight meter measures.
 *
 * Loaded as its own chunk by the preview (it carries the renderer, the landing CSS and the islands
 * script the weight counts), so the editor's frame appears while it arrives.
 */
import type { PageContent } from '../../../../workers/domain/blocks';
import type { FunnelPageRef } from '../../../../workers/domain/funnel-links';
import { funnelRenderContext } from '../../../landing/funnel-page';
import { renderLandingPage } from '../../../landing/render-page';

export interface PagePlace {
  funnelSlug: string;
  pageSlug: string;
  /** The funnel's pages, for "next page" buttons and links between pages. */
  siblings: FunnelPageRef[];
}

/**
 * The page as visitors will get it, with each block's section marked for the editor. Buttons to
 * pages not published yet keep their links here, so the funnel can be followed as designed; the
 * accessibility check says that visitors will see those as text until the page is published.
 */
export function renderPreview(content: PageContent, place: PagePlace): string {
  const ctx = funnelRenderContext(place.funnelSlug, place.pageSlug, place.siblings, { linkDrafts: true });
  return renderLandingPage(content, { ...ctx, markBlocks: true });
}
