/**
 * The editor previews with the published pages' own renderer, which marks each block's section
 * for the editor only: published HTML must not change by a single byte, and every block must be
 * marked exactly once, in order.
 */
import { describe, expect, it } from 'vitest';
import type { Block, PageContent } from '../../workers/domain/blocks';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { funnelRenderContext, renderPublishedHtml, renderWithState } from '../../pages-ui/landing/funnel-page';
import { renderLandingPage } from '../../pages-ui/landing/render-page';
import { BLOCK_TYPES, defaultBlock, newBlockId } from '../../pages-ui/app/views/editor/block-defaults';
import { publishedHtml } from '../../pages-ui/app/views/editor/page-weight';
import { renderPreview } from '../../pages-ui/app/views/editor/preview-html';

const FUNNEL = 'cosmetics-set';
const SIBLINGS = DEMO_FUNNEL_PAGES.map((p, position) => ({ slug: p.slug, position }));
const place = (pageSlug: string) => ({ funnelSlug: FUNNEL, pageSlug, siblings: SIBLINGS });

function everyBlockPage(): PageContent {
  const blocks: Block[] = [];
  for (const type of BLOCK_TYPES)
    blocks.push(
      defaultBlock(
        type,
        newBlockId(
          type,
          blocks.map((b) => b.id),
        ),
        Date.UTC(2026, 0, 1),
      ),
    );
  return { settings: { ...DEMO_FUNNEL_PAGES[0]!.content.settings }, blocks };
}

const pages: Array<[string, PageContent]> = [
  ...DEMO_FUNNEL_PAGES.map((p) => [p.slug, p.content] as [string, PageContent]),
  ['landing', everyBlockPage()],
];

describe('the preview marks', () => {
  it.each(pages)('%s: published HTML carries no marks, and the preview is the published HTML plus one mark per block', (slug, content) => {
    const published = renderPublishedHtml(content, FUNNEL, slug, SIBLINGS);
    expect(published).not.toContain('data-block-index');
    const preview = renderPreview(content, place(slug));
    expect(publishedHtml(preview)).toBe(published);
    const marks = [...preview.matchAll(/<section id="([^"]+)"[^>]* data-block-index="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(marks).toEqual(content.blocks.map((b, i) => [b.id, i]));
  });

  it('leaves every other rendering (draft preview links, after a post) byte for byte as it was', () => {
    for (const { slug, content } of DEMO_FUNNEL_PAGES) {
      const ctx = funnelRenderContext(FUNNEL, slug, SIBLINGS);
      expect(renderLandingPage(content, { ...ctx, markBlocks: false })).toBe(renderLandingPage(content, ctx));
      expect(renderWithState(content, FUNNEL, slug, SIBLINGS, { preview: true })).not.toContain('data-block-index');
    }
  });

  it('cannot be faked by page text: a mark-like string typed by a marketer is escaped, not stripped', () => {
    const content = structuredClone(DEMO_FUNNEL_PAGES[0]!.content);
    const hero = content.blocks[0]!;
    if (hero.type === 'hero') hero.headline = 'Try data-block-index="7" today';
    const preview = renderPreview(content, place('landing'));
    expect(publishedHtml(preview)).toBe(renderPublishedHtml(content, FUNNEL, 'landing', SIBLINGS));
    expect(publishedHtml(preview)).toContain('Try data-block-index=&quot;7&quot; today');
  });
});
