/**
 * Lead scoring, pure: a funnel's scoring config applied to what a lead did in that funnel.
 *
 * The score is a function of history, never of how the history arrived:
 * - event types count **once per funnel**: the history is the *set* of event types seen (the
 *   OR of the lead's visitors' `visitor_stages.event_mask` bits), so duplicates, redeliveries and
 *   ingest order change nothing, and ten page views score what one does;
 * - a submission implies the event its block produces (a quiz submission is a completed quiz and a
 *   form submit, an ebook gate a lead-magnet download, a chat an email given), OR-ed into the same
 *   set — so the score is right the moment the lead is captured and stays the same once ingest
 *   has recorded that event too;
 * - the quiz outcome and form answers are the **latest** ones in the funnel (by submission time,
 *   then id): a retaken quiz replaces the earlier result, it does not add to it;
 * - lead-magnet points count once per funnel, however many magnets were used.
 * A lead's score is the sum over every funnel it has history in, each with that funnel's config.
 */
import * as z from 'zod';
import { EVENT_TYPES, stageForEvent, type EventType, type StageOverrides } from './stages';

/** The capture blocks a submission can come from (see domain/blocks.ts). */
export type CaptureBlockType = 'lead_form' | 'quiz' | 'lead_magnet' | 'chat_capture';

const points = z.int('Use a whole number of points.').min(-1000).max(1000);
/** Quiz outcome ids and form field names, as the block schema allows them. */
const itemName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Use a lower-case letter followed by up to 39 letters, digits or "_".');

const fieldScoreSchema = z.object({
  field: itemName,
  /** Compared trimmed and case-insensitively with the latest answer to `field` in the funnel. */
  equals: z.string().trim().min(1, 'Enter the answer that earns the points.').max(200),
  points,
});

export const scoringConfigSchema = z.strictObject({
  /** Points for each event type seen in the funnel (once per type). */
  events: z.partialRecord(z.enum(EVENT_TYPES), points).default({}),
  /** Points for the lead's latest quiz outcome in the funnel, by outcome id. */
  quizOutcomes: z.record(itemName, points).default({}),
  /** Points for a form answer: the latest value of `field` equals `equals`. */
  fields: z.array(fieldScoreSchema).max(50).default([]),
  /** Points for having used a lead magnet (ebook download) in the funnel, once. */
  leadMagnet: points.default(0),
});

export type ScoringConfig = z.output<typeof scoringConfigSchema>;

/**
 * What a funnel without its own config scores: engagement that shows buying intent. Quiz
 * outcomes and form answers are specific to a funnel's content, so they start empty.
 */
export const DEFAULT_SCORING: ScoringConfig = {
  events: {
    page_view: 1,
    engaged: 2,
    cta_click: 3,
    form_submit: 10,
    quiz_start: 5,
    quiz_complete: 20,
    lead_magnet_download: 15,
    chat_email: 10,
    offer_view: 10,
    checkout_start: 25,
    purchase: 40,
    repeat_purchase: 20,
    refund: -20,
    unsubscribe: -30,
  },
  quizOutcomes: {},
  fields: [],
  leadMagnet: 10,
};

/** The event each capture block's submission is (and is recorded as by the landing route and the quiz island). */
const IMPLIED_EVENTS: Record<CaptureBlockType, EventType[]> = {
  lead_form: ['form_submit'],
  quiz: ['form_submit', 'quiz_complete'],
  lead_magnet: ['lead_magnet_download'],
  chat_capture: ['chat_email'],
};

export const EVENT_BIT: Record<EventType, number> = Object.fromEntries(EVENT_TYPES.map((type, i) => [type, 1 << i])) as Record<
  EventType,
  number
>;

export function maskOf(types: Iterable<EventType>): number {
  let mask = 0;
  for (const type of types) mask |= EVENT_BIT[type];
  return mask;
}

export function typesInMask(mask: number): EventType[] {
  return EVENT_TYPES.filter((type) => (mask & EVENT_BIT[type]) !== 0);
}

export interface SubmissionHistory {
  id: string;
  createdAt: number;
  /** The block it came from, or null when the page version no longer tells. */
  blockType: CaptureBlockType | null;
  /** As stored: `{ email, name?, phone?, company?, fields: {...}, consent }`. */
  data: Record<string, unknown>;
  quizOutcome: string | null;
  quizScore: number | null;
}

/** Everything a lead did in one funnel. */
export interface FunnelHistory {
  funnelId: string;
  /** OR of the lead's visitors' event masks in this funnel. */
  eventMask: number;
  /** Index into FUNNEL_STAGES of the furthest stage any of the lead's visitors reached, -1 for none. */
  furthestStage: number;
  submissions: SubmissionHistory[];
}

/** Event types seen: the visitors' masks plus what the submissions imply. */
export function effectiveMask(history: FunnelHistory): number {
  let mask = history.eventMask;
  for (const s of history.submissions) {
    if (s.blockType) mask |= maskOf(IMPLIED_EVENTS[s.blockType]);
    else if (s.quizScore !== null) mask |= maskOf(IMPLIED_EVENTS.quiz);
  }
  return mask;
}

/** Furthest stage, counting the stages the submissions' events move a visitor to under the funnel's mapping. */
export function effectiveFurthestStage(history: FunnelHistory, overrides?: StageOverrides): number {
  let furthest = history.furthestStage;
  for (const type of typesInMask(effectiveMask(history) & ~history.eventMask)) {
    const stage = stageForEvent(type, null, overrides);
    if (stage !== null && stage > furthest) furthest = stage;
  }
  return furthest;
}

const newestFirst = (a: SubmissionHistory, b: SubmissionHistory) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The latest quiz outcome in the funnel, or null. */
export function latestQuizOutcome(history: FunnelHistory): string | null {
  return [...history.submissions].sort(newestFirst).find((s) => s.quizOutcome !== null)?.quizOutcome ?? null;
}

/** A submitted value by field name: the lead's own columns (email, name, phone, company) or one of the other fields. */
function submittedValue(data: Record<string, unknown>, field: string): string | null {
  const own = data[field];
  const fields = data.fields;
  const value =
    field !== 'fields' && field !== 'consent' && typeof own === 'string'
      ? own
      : fields && typeof fields === 'object'
        ? (fields as Record<string, unknown>)[field]
        : undefined;
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The latest answer to `field` in the funnel (from the newest submission that has it), or null. */
export function latestAnswer(history: FunnelHistory, field: string): string | null {
  for (const s of [...history.submissions].sort(newestFirst)) {
    const value = submittedValue(s.data, field);
    if (value !== null) return value;
  }
  return null;
}

export function usedLeadMagnet(history: FunnelHistory): boolean {
  return (effectiveMask(history) & EVENT_BIT.lead_magnet_download) !== 0;
}

export const sameAnswer = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export interface ScoreItem {
  funnelId: string;
  kind: 'event' | 'quiz_outcome' | 'field' | 'lead_magnet';
  /** The event type, outcome id, or `field=value`. */
  key: string;
  points: number;
}

/** The points one funnel's history earns under its config, item by item (zero-point items left out). */
export function scoreFunnel(config: ScoringConfig, history: FunnelHistory): ScoreItem[] {
  const items: ScoreItem[] = [];
  const add = (kind: ScoreItem['kind'], key: string, value: number | undefined) => {
    if (value) items.push({ funnelId: history.funnelId, kind, key, points: value });
  };
  for (const type of typesInMask(effectiveMask(history))) add('event', type, config.events[type]);
  const outcome = latestQuizOutcome(history);
  if (outcome !== null && Object.hasOwn(config.quizOutcomes, outcome)) add('quiz_outcome', outcome, config.quizOutcomes[outcome]);
  for (const rule of config.fields) {
    const answer = latestAnswer(history, rule.field);
    if (answer !== null && sameAnswer(answer, rule.equals)) add('field', `${rule.field}=${rule.equals}`, rule.points);
  }
  if (usedLeadMagnet(history)) add('lead_magnet', 'lead_magnet', config.leadMagnet);
  return items;
}

export interface LeadScore {
  score: number;
  items: ScoreItem[];
}

/** A lead's score: the sum over its funnels, each scored with its own config (or the default). */
export function scoreLead(histories: FunnelHistory[], configOf: (funnelId: string) => ScoringConfig): LeadScore {
  const items = histories.flatMap((h) => scoreFunnel(configOf(h.funnelId), h));
  return { score: items.reduce((sum, item) => sum + item.points, 0), items };
}

/** A funnel's stored config (`settings.scoring`), or the default when it has none or it no longer validates. */
export function scoringConfigOf(settings: Record<string, unknown> | null | undefined): { config: ScoringConfig; isDefault: boolean } {
  const stored = settings?.scoring;
  if (stored === undefined) return { config: DEFAULT_SCORING, isDefault: true };
  const parsed = scoringConfigSchema.safeParse(stored);
  return parsed.success ? { config: parsed.data, isDefault: false } : { config: DEFAULT_SCORING, isDefault: true };
}
