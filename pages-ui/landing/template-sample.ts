/**
 * A template page rendered for the gallery: the very renderer of published pages, with the
 * funnel's links pointing at the other pages of the same preview, so a marketer can click
 * through a template (take its quiz, open its offer) before creating a funnel from it.
 */
import type { PageContent } from '../../workers/domain/blocks';
import { SUBMISSION_TOKEN_PLACEHOLDER } from './form-constants';
import { renderLandingPage } from './render-page';

export interface SamplePage {
  slug: string;
  content: PageContent;
}

/** The page's HTML (no tracker, never indexed); `previewUrl` gives each page's preview address. */
export function renderTemplateSample(
  pages: SamplePage[],
  pageSlug: string,
  funnelSlug: string,
  previewUrl: (slug: string) => string,
  now: number,
): string {
  const index = pages.findIndex((page) => page.slug === pageSlug);
  const page = pages[index]!;
  const next = pages[index + 1];
  const html = renderLandingPage(page.content, {
    funnelSlug,
    pageSlug,
    pagePath: previewUrl(pageSlug),
    pageUrl: previewUrl,
    nextPageUrl: next ? previewUrl(next.slug) : null,
    sample: true,
    now,
  });
  // Forms in a preview post to the preview, which stores nothing: no real token is needed.
  return html.replaceAll(SUBMISSION_TOKEN_PLACEHOLDER, 'preview');
}
