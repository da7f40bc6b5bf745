/**
 * The page-weight meter's numbers, measured on the published HTML itself: the first response
 * gzipped (what must fit the ~14 KB a first round trip carries: 10 TCP segments of ~1,400 B) and
 * the JavaScript the page ships inline (the islands for a quiz or chat, and the tracker).
 */

/** What one round trip carries on a fresh connection (TCP initial window 10 × ~1,400 B). */
export const FIRST_ROUND_TRIP_BYTES = 14_000;

export interface PageWeight {
  /** The whole document, gzipped. */
  gzipBytes: number;
  htmlBytes: number;
  /** Inline scripts, before and after gzip. */
  jsBytes: number;
  jsGzipBytes: number;
  /** Whether the page runs the islands script (quiz or chat capture). */
  hasIslands: boolean;
}

const encoder = new TextEncoder();

const MARKS = / data-block-index="\d+"/g;

/** The published document for a preview rendering (preview-html.ts): the editor's marks taken out. */
export function publishedHtml(previewHtml: string): string {
  return previewHtml.replace(MARKS, '');
}

/** Gzipped size in the browser (CompressionStream, default level: a little above the server's level 9). */
export async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([encoder.encode(text)]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** The inline scripts of a document (the landing pages have no external ones). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
}

export async function measurePage(html: string): Promise<PageWeight> {
  const scripts = inlineScripts(html);
  const js = scripts.join('\n');
  const [gzipBytes, jsGzipBytes] = await Promise.all([gzipSize(html), js ? gzipSize(js) : Promise.resolve(0)]);
  return {
    gzipBytes,
    htmlBytes: encoder.encode(html).length,
    jsBytes: encoder.encode(js).length,
    jsGzipBytes,
    hasIslands: /<script type="module">/.test(html),
  };
}

/** "9.8 KB" (1 KB = 1,000 B, as the budget is written). */
export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
