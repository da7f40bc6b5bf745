/**
 * The template gallery: every funnel template, in the order the gallery shows them, and (from
 * steps.ts) the pure steps of turning one into a funnel. The Worker does not import this module:
 * it reads the templates as data from its static assets (services/ports.ts `TemplateCatalog`).
 */
import { CHAT_CAPTURE_OFFER } from './chat-capture-offer';
import { EBOOK_LEAD_MAGNET } from './ebook-lead-magnet';
import { PRODUCT_UPSELL } from './product-upsell';
import { QUIZ_FUNNEL } from './quiz-funnel';
import type { FunnelTemplate } from './types';
import { WAITLIST } from './waitlist';
import { WEBINAR_REGISTRATION } from './webinar-registration';

export type { FunnelTemplate, TemplateGoal, TemplatePage, TemplateRule } from './types';
export { TEMPLATE_GOAL_LABELS, TEMPLATE_GOALS } from './types';
export { instantiateTemplate, qualificationSummary, templateStageOverrides, upcomingDeadline } from './steps';

export const FUNNEL_TEMPLATES: readonly FunnelTemplate[] = [
  EBOOK_LEAD_MAGNET,
  QUIZ_FUNNEL,
  CHAT_CAPTURE_OFFER,
  WEBINAR_REGISTRATION,
  PRODUCT_UPSELL,
  WAITLIST,
];

export function findTemplate(id: string): FunnelTemplate | undefined {
  return FUNNEL_TEMPLATES.find((template) => template.id === id);
}
