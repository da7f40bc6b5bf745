/**
 * What the page editor and the funnel page get from the server, and the one pure check they may
 * also run in the browser: `accessibilityFindings(content, placement)` gives the same findings as
 * `GET /api/pages/:id/checks`, instantly, before a save.
 */
import type { AccessibilityFinding } from '../domain/accessibility';
import type { PageContent } from '../domain/blocks';
import type { PageWeight } from '../domain/page-weight';
import type { PageVersionReason } from '../domain/page-versions';

export { accessibilityFindings, ACCESSIBILITY_RULES } from '../domain/accessibility';
export type { AccessibilityFinding, AccessibilityRule, FindingSeverity, FunnelPlacement } from '../domain/accessibility';
export { contrastRatio } from '../domain/colour-contrast';
export { FIRST_RESPONSE_BUDGET_BYTES } from '../domain/page-weight';
export type { PageWeight } from '../domain/page-weight';
export type { BlockSchemaDocument, BlockTypeSchema, InspectorWidget } from '../domain/block-schema';

export { PAGE_VERSION_REASONS } from '../domain/page-versions';
export type { PageVersionReason } from '../domain/page-versions';

export interface PageVersionSummary {
  id: string;
  version: number;
  reason: PageVersionReason;
  /** For `restore`: the number of the version that was published again. */
  restoredFrom: number | null;
  /** When it was published (epoch ms). */
  createdAt: number;
  /** Who published it; null if unknown (the user was deleted). A `relink` keeps its source's publisher. */
  publishedBy: { id: string; name: string; email: string } | null;
  /** Whether visitors see this version now. */
  live: boolean;
}

export interface PageVersionDetail extends PageVersionSummary {
  content: PageContent;
  /** The HTML stored for it (forms carry a token placeholder the server fills in per view). */
  html: string;
}

/** The status of a funnel's custom domain in DNS. */
export type DomainStatus = 'connected' | 'pending' | 'wrong_target' | 'timeout' | 'lookup_failed' | 'not_set' | 'no_app_host';

export interface DomainCheck {
  domain: string | null;
  /** The record the customer creates at their DNS provider; null when no domain is set or the app host is not configured. */
  record: { type: 'CNAME'; name: string; value: string } | null;
  status: DomainStatus;
  /** True once the domain leads to this app. */
  resolves: boolean;
  /** One sentence for the marketer: what is the case and what to do next. */
  message: string;
  /** What DNS answered: the CNAME chain followed from the domain, and its addresses. */
  observed: { cname: string[]; addresses: string[] };
  checkedAt: number;
}

/** The page as it stands after someone else's save, sent with a 409 so the editor can show it. */
export interface EditConflict {
  revision: number;
  name: string;
  slug: string;
  kind: string;
  draft: unknown;
  updatedAt: number;
  /** Who saved the current revision, when known. */
  updatedBy: { id: string; name: string } | null;
}

export interface PageChecks {
  /** The draft revision checked; null when the checks ran on content that is not saved. */
  revision: number | null;
  accessibility: AccessibilityFinding[];
  /** Findings by severity, for a badge. */
  counts: { errors: number; warnings: number };
  weight: PageWeight;
}

export interface PageStatsRow {
  pageId: string;
  slug: string;
  name: string;
  position: number;
  views: number;
  conversions: number;
  /** conversions ÷ views; null without views. */
  conversionRate: number | null;
}

export interface EmbeddableForm {
  pageId: string;
  pageName: string;
  pageSlug: string;
  blockId: string;
  title: string | null;
  /** `<pageId>.<blockId>`, the `data-form` value. */
  embedId: string;
  /** Whether the page's published version has this form (only then does the embed work). */
  published: boolean;
  snippet: string;
}
