/**
 * The funnel-stage engine, pure: which stage an event moves a visitor to, and how a visitor's
 * progress advances. Progress is order-independent by construction — the first time a stage was
 * reached is a minimum over events, so ingesting events in any order gives the same answer. That
 * is what lets batches arrive out of order from queues and retried beacons. Events must be
 * de-duplicated first (ingest does, by id): the same purchase applied twice would look like a
 * second purchase, i.e. retention.
 */

/** The funnel, in order: a visitor's progress is the furthest of these reached (db/schema.ts stores them by name). */
export const FUNNEL_STAGES = ['awareness', 'interest', 'evaluation', 'desire', 'sale', 'retention'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const EVENT_TYPES = [
  'page_view',
  'engaged',
  'cta_click',
  'form_start',
  'form_submit',
  'quiz_start',
  'quiz_answer',
  'quiz_complete',
  'lead_magnet_download',
  'chat_email',
  'offer_view',
  'checkout_start',
  'purchase',
  'repeat_purchase',
  'refund',
  'unsubscribe',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const STAGE_INDEX: Record<FunnelStage, number> = Object.fromEntries(FUNNEL_STAGES.map((s, i) => [s, i])) as Record<
  FunnelStage,
  number
>;
const SALE = STAGE_INDEX.sale;
const RETENTION = STAGE_INDEX.retention;

/** The article's mapping. `null`: the event is recorded but moves no stage. */
export const DEFAULT_STAGE_RULES: Record<EventType, FunnelStage | null> = {
  page_view: 'awareness',
  engaged: 'interest',
  cta_click: 'interest',
  quiz_start: 'interest',
  form_start: null,
  quiz_answer: null,
  form_submit: 'evaluation',
  quiz_complete: 'evaluation',
  lead_magnet_download: 'evaluation',
  chat_email: 'evaluation',
  offer_view: 'desire',
  checkout_start: 'desire',
  purchase: 'sale',
  repeat_purchase: 'retention',
  refund: null,
  unsubscribe: null,
};

/** A funnel's own mapping: per event type, and per page for page views ("pricing views are desire"). */
export interface StageOverrides {
  events?: Partial<Record<EventType, FunnelStage | null>>;
  pages?: Record<string, FunnelStage>;
}

const isStage = (value: unknown): value is FunnelStage => typeof value === 'string' && Object.hasOwn(STAGE_INDEX, value);

/**
 * The stage an event moves a visitor to under a funnel's overrides: a page override (page views
 * only) wins over an event-type override, which wins over the default. Overrides come from stored
 * JSON, so lookups are own-property only (a page slugged `constructor` is just a slug) and a value
 * that is not a stage name is ignored rather than trusted.
 */
export function stageForEvent(type: EventType, pageSlug: string | null, overrides: StageOverrides = {}): number | null {
  const pages = overrides.pages;
  if (type === 'page_view' && pageSlug && pages && Object.hasOwn(pages, pageSlug) && isStage(pages[pageSlug]))
    return STAGE_INDEX[pages[pageSlug]];
  const events = overrides.events;
  let stage: FunnelStage | null | undefined = Object.hasOwn(DEFAULT_STAGE_RULES, type) ? DEFAULT_STAGE_RULES[type] : null;
  if (events && Object.hasOwn(events, type)) {
    const override = events[type];
    if (override === null || isStage(override)) stage = override;
  }
  return stage ? STAGE_INDEX[stage] : null;
}

/** First time each stage was reached (index = stage), or null; furthest = highest reached, -1 for none. */
export interface StageProgress {
  reachedAt: Array<number | null>;
  /** Earliest purchase, kept to tell a first sale from a repeat one. */
  firstPurchaseAt: number | null;
}

export function emptyProgress(): StageProgress {
  return { reachedAt: FUNNEL_STAGES.map(() => null), firstPurchaseAt: null };
}

export function furthestStage(progress: StageProgress): number {
  for (let i = progress.reachedAt.length - 1; i >= 0; i--) if (progress.reachedAt[i] !== null) return i;
  return -1;
}

function reach(reachedAt: Array<number | null>, stage: number, at: number): void {
  // Reaching a stage counts as reaching every earlier one: each count means "got at least this far".
  for (let s = 0; s <= stage; s++) {
    const current = reachedAt[s];
    if (current === null || current === undefined || at < current) reachedAt[s] = at;
  }
}

/**
 * Applies one (de-duplicated) event. A purchase is a sale; a second purchase — whichever order
 * the two arrive in — is retention at the later purchase's time.
 */
export function applyEvent(
  progress: StageProgress,
  event: { type: EventType; at: number; pageSlug?: string | null },
  overrides?: StageOverrides,
): StageProgress {
  const next: StageProgress = { reachedAt: [...progress.reachedAt], firstPurchaseAt: progress.firstPurchaseAt };
  const stage = stageForEvent(event.type, event.pageSlug ?? null, overrides);
  if (event.type === 'purchase' && stage === SALE) {
    if (next.firstPurchaseAt === null) {
      next.firstPurchaseAt = event.at;
    } else {
      // Two purchases: the earlier is the sale, the later marks retention.
      const later = Math.max(next.firstPurchaseAt, event.at);
      next.firstPurchaseAt = Math.min(next.firstPurchaseAt, event.at);
      reach(next.reachedAt, RETENTION, later);
    }
    reach(next.reachedAt, SALE, next.firstPurchaseAt);
    return next;
  }
  if (stage !== null) reach(next.reachedAt, stage, event.at);
  return next;
}

/** Stages whose first-reached time changed between two progress states (what rollups must move). */
export function changedStages(before: StageProgress, after: StageProgress): Array<{ stage: number; from: number | null; to: number }> {
  const changes: Array<{ stage: number; from: number | null; to: number }> = [];
  for (let s = 0; s < after.reachedAt.length; s++) {
    const to = after.reachedAt[s];
    const from = before.reachedAt[s] ?? null;
    if (to !== null && to !== undefined && to !== from) changes.push({ stage: s, from, to });
  }
  return changes;
}

export type FunnelSection = 'TOFU' | 'MOFU' | 'BOFU';
/** The article's grouping: top (awareness), middle (interest, evaluation), bottom (desire, sale, retention). */
export const SECTION_OF_STAGE: Record<FunnelStage, FunnelSection> = {
  awareness: 'TOFU',
  interest: 'MOFU',
  evaluation: 'MOFU',
  desire: 'BOFU',
  sale: 'BOFU',
  retention: 'BOFU',
};

export const FUNNEL_SECTIONS: FunnelSection[] = ['TOFU', 'MOFU', 'BOFU'];

/**
 * Sections as people, from how many visitors have each furthest stage (index = stage): reached =
 * furthest stage at or past the section's first stage, current = furthest stage inside the
 * section. Never a sum of stage counts, so a later section never exceeds an earlier one.
 */
export function sectionPeople(byFurthestStage: readonly number[]): Record<FunnelSection, { reached: number; current: number }> {
  const out = {} as Record<FunnelSection, { reached: number; current: number }>;
  for (const section of FUNNEL_SECTIONS) {
    let reached = 0;
    let current = 0;
    const first = FUNNEL_STAGES.findIndex((s) => SECTION_OF_STAGE[s] === section);
    for (let stage = first; stage < FUNNEL_STAGES.length; stage++) {
      const n = byFurthestStage[stage] ?? 0;
      reached += n;
      if (SECTION_OF_STAGE[FUNNEL_STAGES[stage]!] === section) current += n;
    }
    out[section] = { reached, current };
  }
  return out;
}

/** UTC day of an epoch-ms time, as the rollups key it. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
