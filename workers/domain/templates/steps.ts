/**
 * The pure steps of turning a template into a funnel: dates brought forward, the stage mapping,
 * and a plain-words summary of its qualification rule. No template data here, so the Worker can
 * use these without bundling every template's pages.
 */
import type { Block } from '../blocks';
import { minorPerMajor } from '../qualification';
import type { StageOverrides } from '../stages';
import type { FunnelTemplate } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;
/** A countdown created from a template starts at least this far ahead. */
const MIN_LEAD_MS = 7 * DAY_MS;

/**
 * A countdown's deadline as of `now`: kept when it is at least a week away, otherwise moved on by
 * whole weeks, so "Thursday at 17:00 UTC" stays a Thursday at 17:00 but is never in the past.
 */
export function upcomingDeadline(endsAt: number, now: number): number {
  if (endsAt - now >= MIN_LEAD_MS) return endsAt;
  return endsAt + Math.ceil((now + MIN_LEAD_MS - endsAt) / WEEK_MS) * WEEK_MS;
}

function withDeadlinesFrom(block: Block, now: number): Block {
  return block.type === 'countdown' ? { ...block, endsAt: upcomingDeadline(block.endsAt, now) } : block;
}

/** The template as a new funnel gets it at `now`: its own copy, with every countdown still ahead. */
export function instantiateTemplate(template: FunnelTemplate, now: number): FunnelTemplate {
  const copy = structuredClone(template);
  for (const page of copy.pages) page.content.blocks = page.content.blocks.map((block) => withDeadlinesFrom(block, now));
  return copy;
}

/** The funnel's `settings.stages`: every page's stage, so the funnel page shows where each counts. */
export function templateStageOverrides(template: FunnelTemplate): StageOverrides {
  return { pages: Object.fromEntries(template.pages.map((page) => [page.slug, page.stage])) };
}

function formatAmount(minor: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / minorPerMajor(currency));
}

/** What the rule does, in one sentence for the gallery: "Leads with a score of 60 or more become …". */
export function qualificationSummary(template: FunnelTemplate): string {
  const { qualification: rule } = template;
  const when = rule.conditions.map((condition) => {
    switch (condition.kind) {
      case 'score_at_least':
        return `score ${condition.score} or more`;
      case 'stage_reached':
        return `reach the ${condition.stage} stage`;
      case 'lead_magnet_used':
        return 'downloaded the lead magnet';
      case 'quiz_outcome_in':
        return 'finished the quiz';
      case 'field':
        return `${condition.field} ${condition.op === 'equals' ? 'is' : 'contains'} “${condition.value}”`;
    }
  });
  const worth =
    rule.value.kind === 'fixed'
      ? ` worth ${formatAmount(rule.value.amountMinor, rule.currency)}`
      : rule.value.kind === 'offer_price'
        ? ` worth the offer’s ${formatAmount(rule.value.offerPriceMinor, rule.currency)}`
        : '';
  const pipeline = rule.pipeline === 'b2b' ? 'a B2B sales pipeline' : 'a B2C e-commerce pipeline';
  const who = when.length ? `Leads who ${when.join(' and ')}` : 'Every lead';
  return `${who} become deals${worth} in “${rule.stage}” of ${pipeline}.`;
}
