/**
 * What a funnel template is: a complete funnel as plain data — its pages (typed blocks, valid
 * against the block schema), the funnel stage a view of each page counts for, the lead-scoring
 * config and one qualification rule, and the theme every page shares. Creating a funnel from a
 * template (services/templates.ts) writes all of it at once.
 */
import type { PageContent, Theme } from '../blocks';
import type { PipelineTemplate } from '../pipeline-templates';
import type { Condition, DealValue } from '../qualification';
import type { ScoringConfig } from '../scoring';
import type { FunnelStage } from '../stages';

export const TEMPLATE_GOALS = ['lead_magnet', 'quiz', 'chat_offer', 'webinar', 'product', 'waitlist'] as const;
export type TemplateGoal = (typeof TEMPLATE_GOALS)[number];

/** How the gallery names each goal. */
export const TEMPLATE_GOAL_LABELS: Record<TemplateGoal, string> = {
  lead_magnet: 'Ebook lead magnet',
  quiz: 'Quiz funnel',
  chat_offer: 'Chat capture + offer',
  webinar: 'Webinar registration',
  product: 'Product offer + upsell',
  waitlist: 'Waitlist / coming soon',
};

/** The page kinds the funnels service stores (services/funnels.ts `PAGE_KINDS`). */
export type TemplatePageKind = 'landing' | 'quiz' | 'lead_magnet' | 'offer' | 'thank_you' | 'custom';

export interface TemplatePage {
  slug: string;
  name: string;
  kind: TemplatePageKind;
  /** The funnel stage a view of this page counts for (the funnel's `settings.stages.pages`). */
  stage: FunnelStage;
  content: PageContent;
}

/**
 * The template's qualification rule. A template cannot know the workspace's pipeline ids, so it
 * names the kind of pipeline and the stage by name; creating the funnel resolves them (and adds
 * the pipeline when the workspace has none that fits).
 */
export interface TemplateRule {
  name: string;
  conditions: Condition[];
  pipeline: PipelineTemplate['key'];
  /** An open stage of that pipeline template, by name. */
  stage: string;
  value: DealValue;
  currency: string;
  nameTemplate: string;
  campaign?: string;
}

export interface FunnelTemplate {
  /** Stable, URL-safe: the API and the gallery refer to templates by it. */
  id: string;
  name: string;
  goal: TemplateGoal;
  /** One or two sentences for the gallery card. */
  description: string;
  /** What the create form offers as the funnel's name and slug. */
  suggestedName: string;
  suggestedSlug: string;
  theme: Theme;
  /** In funnel order: the first page is served at the funnel's root. */
  pages: TemplatePage[];
  scoring: ScoringConfig;
  qualification: TemplateRule;
}
