import type { StageSettings } from './types';

/** The funnel stages as the API names them, with the words the app shows. */
export const STAGE_LABELS: Record<string, string> = {
  awareness: 'Awareness',
  interest: 'Interest',
  evaluation: 'Evaluation',
  desire: 'Desire',
  sale: 'Sale',
  retention: 'Retention',
};

const KIND_LABELS: Record<string, string> = {
  landing: 'Landing page',
  quiz: 'Quiz',
  lead_magnet: 'Lead magnet',
  offer: 'Offer',
  thank_you: 'Thank-you page',
  custom: 'Page',
};

export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;

/**
 * The stage a view of the page counts for under the funnel's settings (`settings.stages`, see
 * PATCH /api/funnels/:id): the page's own override, else the funnel's mapping of page views, else
 * awareness. Null when the funnel counts page views for no stage.
 */
export function pageViewStage(settings: Record<string, unknown>, pageSlug: string): string | null {
  const stages = (settings.stages ?? {}) as { pages?: Record<string, string>; events?: Record<string, string | null> };
  const own = stages.pages && Object.hasOwn(stages.pages, pageSlug) ? stages.pages[pageSlug] : undefined;
  if (own && own in STAGE_LABELS) return own;
  if (stages.events && Object.hasOwn(stages.events, 'page_view')) {
    const mapped = stages.events.page_view;
    return mapped && mapped in STAGE_LABELS ? mapped : null;
  }
  return 'awareness';
}

/** The stages, in funnel order, for a select. */
export const STAGE_OPTIONS = Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label }));

/** The page kinds a new page can be, with their labels. */
export const KIND_OPTIONS = Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }));

/** The stage a new page of this kind usually counts for: an offer is desire, a thank-you page comes after the lead. */
export function defaultStageForKind(kind: string): string {
  switch (kind) {
    case 'quiz':
      return 'interest';
    case 'lead_magnet':
    case 'thank_you':
      return 'evaluation';
    case 'offer':
      return 'desire';
    default:
      return 'awareness';
  }
}

/**
 * The funnel's `settings.stages` with views of `pageSlug` counting for `stage`. PATCH replaces the
 * whole `stages` key, so the event mapping and the other pages' overrides are carried over.
 */
export function withPageStage(settings: Record<string, unknown>, pageSlug: string, stage: string): StageSettings {
  const stages = (settings.stages ?? {}) as { pages?: Record<string, string>; events?: Record<string, string | null> };
  return { ...stages, pages: { ...stages.pages, [pageSlug]: stage } } as StageSettings;
}
