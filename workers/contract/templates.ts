/**
 * The template gallery as the API sends it (`GET /api/templates`, `GET /api/templates/:id`) and
 * the app renders it. A template's thumbnail is its first page rendered by the landing-page
 * renderer itself: `thumbnailUrl` answers that page as HTML, for a scaled, inert iframe.
 */
import type { Block, PageContent, Theme } from '../domain/blocks';
import type { ScoringConfig } from '../domain/scoring';
import type { FunnelStage } from '../domain/stages';
import type { TemplateGoal, TemplatePage, TemplateRule } from '../domain/templates/types';

export interface TemplatePageSummary {
  slug: string;
  name: string;
  kind: TemplatePage['kind'];
  /** The funnel stage a view of this page counts for. */
  stage: FunnelStage;
  /** The page's `<title>`. */
  title: string;
  /** The page's blocks, in order, by type. */
  blockTypes: Array<Block['type']>;
  /** Whether the page has a form that makes leads (lead form, quiz, ebook gate, chat). */
  capturesLeads: boolean;
  /** The page rendered as visitors would see it (HTML, same renderer and CSP as published pages). */
  previewUrl: string;
}

export interface TemplateSummary {
  id: string;
  name: string;
  goal: TemplateGoal;
  goalLabel: string;
  description: string;
  suggestedName: string;
  suggestedSlug: string;
  theme: Theme;
  /** The first page rendered (HTML): show it in a scaled iframe, without pointer events. */
  thumbnailUrl: string;
  pages: TemplatePageSummary[];
  qualification: { name: string; summary: string };
}

/** One template in full: every page's content, the scoring config and the qualification rule. */
export interface TemplateDetail extends Omit<TemplateSummary, 'pages' | 'qualification'> {
  pages: Array<TemplatePageSummary & { content: PageContent }>;
  scoring: ScoringConfig;
  qualification: TemplateRule & { summary: string };
}
