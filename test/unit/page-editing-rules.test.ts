import { describe, expect, it } from 'vitest';
import { copyName, copySlug } from '../../workers/domain/copy-names';
import { pageOrderIssues } from '../../workers/domain/page-order';
import { FIRST_RESPONSE_BUDGET_BYTES, inlineScripts, pageWeight } from '../../workers/domain/page-weight';
import { pageSlugSchema } from '../../workers/domain/blocks';

describe('pageOrderIssues', () => {
  const pages = ['a', 'b', 'c'];
  it('accepts any permutation', () => {
    expect(pageOrderIssues(pages, ['c', 'a', 'b'])).toEqual([]);
    expect(pageOrderIssues(pages, pages)).toEqual([]);
  });
  it('names every wrong entry, and the missing pages', () => {
    expect(pageOrderIssues(pages, ['a', 'a', 'x', 'c'])).toEqual([
      { path: 'pageIds.1', message: 'This page is listed twice.' },
      { path: 'pageIds.2', message: 'This is not a page of this funnel.' },
      { path: 'pageIds', message: 'List every page of the funnel exactly once; missing: b.' },
    ]);
    expect(pageOrderIssues(pages, [])).toEqual([
      { path: 'pageIds', message: 'List every page of the funnel exactly once; missing: a, b, c.' },
    ]);
  });
});

describe('copy names', () => {
  it('numbers copies after the first', () => {
    expect(copySlug('offer', new Set())).toBe('offer-copy');
    expect(copySlug('offer', new Set(['offer-copy']))).toBe('offer-copy-2');
    expect(copySlug('offer', new Set(['offer-copy', 'offer-copy-2']))).toBe('offer-copy-3');
    expect(copyName('Offer')).toBe('Offer (copy)');
  });
  it('keeps a long slug valid and a long name within 120 characters', () => {
    const long = `${'a'.repeat(58)}-b-c`;
    const slug = copySlug(long, new Set());
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(pageSlugSchema.safeParse(slug).success).toBe(true);
    expect(copySlug(long, new Set([slug]))).not.toBe(slug);
    expect(copyName('x'.repeat(120))).toHaveLength(120);
  });
});

describe('page weight', () => {
  it('tells island code from the tracker and leaves island data out', () => {
    const html =
      '<html><body><script type="application/json" id="p">{"a":1}</script><script type="module">import"x";islands()</script><script>tracker()</script></body></html>';
    expect(inlineScripts(html)).toEqual([
      { kind: 'islands', source: 'import"x";islands()' },
      { kind: 'tracker', source: 'tracker()' },
    ]);
  });
  it('compares the gzip size with the 14,000-byte first round trip', () => {
    const sizes = { htmlBytes: 40_000, islandsBytes: 0, islandsGzipBytes: 0, trackerBytes: 1200, trackerGzipBytes: 700 };
    expect(pageWeight({ ...sizes, gzipBytes: 9_100 })).toMatchObject({
      budgetBytes: FIRST_RESPONSE_BUDGET_BYTES,
      withinBudget: true,
      budgetShare: 0.65,
    });
    expect(pageWeight({ ...sizes, gzipBytes: 14_001 }).withinBudget).toBe(false);
    expect(pageWeight({ ...sizes, gzipBytes: 14_000 }).js).toMatchObject({ shipsIslands: false, trackerGzipBytes: 700 });
  });
});
