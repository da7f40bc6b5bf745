/**
 * The editor's checks of a page before it is published: the accessibility findings
 * (domain/accessibility.ts) and the page weight — the page rendered exactly as publishing would
 * render it, gzip-compressed, against the 14,000-byte first round trip, and the JavaScript it
 * ships. Nothing is stored: the checks run on the saved draft, or on content not saved yet.
 */
import type { PageChecks } from '../contract/page-editor';
import { accessibilityFindings } from '../domain/accessibility';
import type { PageContent } from '../domain/blocks';
import type { FunnelPageRef } from '../domain/funnel-links';
import { inlineScripts, pageWeight, type PageWeight } from '../domain/page-weight';
import type { ServiceCtx } from './context';
import { findPage, funnelSiblings } from './funnels';

type Ctx = Pick<ServiceCtx, 'db' | 'renderPublishedPage'>;

const utf8 = new TextEncoder();

/** gzip with the runtime's CompressionStream (Node 18+, workerd): the size a gzip-encoded response would have. */
async function gzipBytes(text: string): Promise<number> {
  const stream = new Blob([utf8.encode(text)]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function measure(html: string): Promise<PageWeight> {
  const scripts = inlineScripts(html);
  const of = (kind: 'islands' | 'tracker') =>
    scripts
      .filter((s) => s.kind === kind)
      .map((s) => s.source)
      .join('');
  const islands = of('islands');
  const tracker = of('tracker');
  const [gzip, islandsGzip, trackerGzip] = await Promise.all([
    gzipBytes(html),
    islands ? gzipBytes(islands) : 0,
    tracker ? gzipBytes(tracker) : 0,
  ]);
  return pageWeight({
    htmlBytes: utf8.encode(html).length,
    gzipBytes: gzip,
    islandsBytes: utf8.encode(islands).length,
    islandsGzipBytes: islandsGzip,
    trackerBytes: utf8.encode(tracker).length,
    trackerGzipBytes: trackerGzip,
  });
}

export interface CheckedPage {
  checks: PageChecks;
  content: PageContent;
  funnelSlug: string;
  pageSlug: string;
  siblings: FunnelPageRef[];
}

/**
 * Checks the page's saved draft, or `content` when given (the editor's unsaved state). `served`
 * turns the stored render into what a visitor is sent (each form's token placeholder becomes a
 * signed token), so the weight is that of the real first response.
 */
export async function checkPage(
  ctx: Ctx,
  workspaceId: string,
  pageId: string,
  options: { content?: PageContent; served?: (html: string) => Promise<string> | string } = {},
): Promise<CheckedPage> {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  const siblings = await funnelSiblings(ctx, page.funnelId);
  const content = options.content ?? (page.draft as PageContent);
  const rendered = ctx.renderPublishedPage(content, funnelSlug, page.slug, siblings);
  const html = options.served ? await options.served(rendered) : rendered;
  const accessibility = accessibilityFindings(content, {
    pageSlugs: siblings.map((s) => s.slug),
    pageSlug: page.slug,
    unpublishedSlugs: siblings.filter((s) => !s.published && s.slug !== page.slug).map((s) => s.slug),
  });
  return {
    checks: {
      revision: options.content ? null : page.revision,
      accessibility,
      counts: {
        errors: accessibility.filter((f) => f.severity === 'error').length,
        warnings: accessibility.filter((f) => f.severity === 'warning').length,
      },
      weight: await measure(html),
    },
    content,
    funnelSlug,
    pageSlug: page.slug,
    siblings,
  };
}
