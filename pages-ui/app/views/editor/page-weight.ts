/**
 * The page-weight meter's numbers, measured in the browser on the HTML the publisher will store,
 * the way the server's checks measure it (services/page-checks.ts, domain/page-weight.ts): the
 * first response as a visitor gets it — each form's token placeholder filled with a token of the
 * real shape — gzipped with CompressionStream, against the 14,000 B of a first round trip, and the
 * JavaScript it ships inline (the islands for a quiz or chat, and the tracker).
 */
import { randomToken } from '../../../../workers/domain/crypto';
import { newId } from '../../../../workers/domain/ids';
import { inlineScripts, pageWeight, type PageWeight } from '../../../../workers/domain/page-weight';
import { signToken } from '../../../../workers/domain/signed-tokens';
import { SUBMISSION_TOKEN_PLACEHOLDER } from '../../../landing/form-constants';

export { FIRST_RESPONSE_BUDGET_BYTES } from '../../../../workers/domain/page-weight';
export type { PageWeight };

const MARKS = / data-block-index="\d+"/g;

/** The published document for a preview rendering (preview-html.ts): the editor's marks taken out. */
export function publishedHtml(previewHtml: string): string {
  return previewHtml.replace(MARKS, '');
}

/**
 * A stand-in for the signed submission token each form carries when served: same payload shape
 * and signature length as the server's (services/capture.ts), so the gzip size is the real one.
 */
let sampleToken: Promise<string> | null = null;
const submissionToken = () => (sampleToken ??= signToken('editor-weight-sample', { v: newId(), t: Date.now(), n: randomToken(12) }));

const utf8 = new TextEncoder();

async function gzipBytes(text: string): Promise<number> {
  const stream = new Blob([utf8.encode(text)]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** The weight of a published page (`html` as publishedHtml() gives it). */
export async function measurePage(html: string): Promise<PageWeight> {
  const served = html.replaceAll(SUBMISSION_TOKEN_PLACEHOLDER, await submissionToken());
  const scripts = inlineScripts(served);
  const of = (kind: 'islands' | 'tracker') =>
    scripts
      .filter((s) => s.kind === kind)
      .map((s) => s.source)
      .join('');
  const islands = of('islands');
  const tracker = of('tracker');
  const [gzip, islandsGzip, trackerGzip] = await Promise.all([
    gzipBytes(served),
    islands ? gzipBytes(islands) : 0,
    tracker ? gzipBytes(tracker) : 0,
  ]);
  return pageWeight({
    htmlBytes: utf8.encode(served).length,
    gzipBytes: gzip,
    islandsBytes: utf8.encode(islands).length,
    islandsGzipBytes: islandsGzip,
    trackerBytes: utf8.encode(tracker).length,
    trackerGzipBytes: trackerGzip,
  });
}

/** "9.8 KB" (1 KB = 1,000 B, as the budget is written). */
export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
