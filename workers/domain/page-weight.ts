/**
 * What a published page weighs on the wire: its first response against the 14,000-byte budget
 * (about what TCP's first round trip delivers, initial window of 10 segments), and the
 * JavaScript inlined in it. The page is one self-contained HTML document (inline CSS, inline
 * scripts), so its first response is the whole page.
 */

/** The first round trip: the whole published page, gzip-compressed, must fit (issue budgets). */
export const FIRST_RESPONSE_BUDGET_BYTES = 14_000;

export interface InlineScript {
  /** `islands`: the quiz / chat code (module scripts); `tracker`: the visitor tracker (the classic script). */
  kind: 'islands' | 'tracker';
  source: string;
}

/**
 * The executable inline scripts of a rendered page. Island props travel as
 * `<script type="application/json">` data and are not code; the islands are the page's module
 * scripts and the tracker its classic script (pages-ui/landing/render-page.tsx).
 */
export function inlineScripts(html: string): InlineScript[] {
  const scripts: InlineScript[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attributes = m[1] ?? '';
    if (/\btype="application\/(?:ld\+)?json"/.test(attributes) || !m[2]) continue;
    scripts.push({ kind: /\btype="module"/.test(attributes) ? 'islands' : 'tracker', source: m[2] });
  }
  return scripts;
}

export interface PageWeight {
  /** The rendered HTML, UTF-8. */
  htmlBytes: number;
  /** The same, gzip-compressed: what the first response carries. */
  gzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  /** Share of the budget used, e.g. 0.62. */
  budgetShare: number;
  js: {
    /** Whether the page ships the islands (a quiz or chat capture that can run). */
    shipsIslands: boolean;
    /** Quiz / chat code, UTF-8 and gzip. Zero on a page with forms only: those work without JavaScript. */
    islandsBytes: number;
    islandsGzipBytes: number;
    /** The visitor tracker every published page carries. */
    trackerBytes: number;
    trackerGzipBytes: number;
  };
}

/** Builds the weight from the byte counts the caller measured (gzip is a runtime API, not domain logic). */
export function pageWeight(sizes: {
  htmlBytes: number;
  gzipBytes: number;
  islandsBytes: number;
  islandsGzipBytes: number;
  trackerBytes: number;
  trackerGzipBytes: number;
}): PageWeight {
  return {
    htmlBytes: sizes.htmlBytes,
    gzipBytes: sizes.gzipBytes,
    budgetBytes: FIRST_RESPONSE_BUDGET_BYTES,
    withinBudget: sizes.gzipBytes <= FIRST_RESPONSE_BUDGET_BYTES,
    budgetShare: Math.round((sizes.gzipBytes / FIRST_RESPONSE_BUDGET_BYTES) * 1000) / 1000,
    js: {
      shipsIslands: sizes.islandsBytes > 0,
      islandsBytes: sizes.islandsBytes,
      islandsGzipBytes: sizes.islandsGzipBytes,
      trackerBytes: sizes.trackerBytes,
      trackerGzipBytes: sizes.trackerGzipBytes,
    },
  };
}
