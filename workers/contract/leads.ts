/**
 * The leads table and a lead's page as the API sends them (services/leads.ts, lead-detail.ts):
 * `GET /api/leads`, `/api/leads/facets`, `/api/leads/:id`, `/api/leads/:id/journey`.
 */
import type { EventType, FunnelStage } from '../domain/stages';

export type { EventType, FunnelStage };
export { FUNNEL_STAGES, EVENT_TYPES } from '../domain/stages';

/** How the table can be sorted: by creation, by the latest activity, by score, by email. */
export const LEAD_SORTS = ['created', 'activity', 'score', 'email'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/** One row of the leads table. */
export interface LeadListItem {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  score: number;
  quizOutcome: string | null;
  /** The funnel the lead came from (first capture). */
  funnel: { id: string; name: string } | null;
  /** Furthest stage reached in any funnel; null for a lead never seen on a funnel page (an import). */
  furthestStage: FunnelStage | null;
  qualifiedAt: number | null;
  /** First-touch UTM source ('' for direct / none), medium and campaign. */
  source: string;
  medium: string | null;
  campaign: string | null;
  createdAt: number;
  updatedAt: number;
  /** The latest event of any of the lead's visitors, else when the lead was created. */
  lastActivityAt: number;
}

export interface LeadListPage {
  leads: LeadListItem[];
  /** Pass as `cursor` (with the same filters and sort) for the next page; null on the last page. */
  nextCursor: string | null;
  /** Leads matching the filters, counted on the first page (no `cursor`) only; null on later pages. */
  total: number | null;
  /** True when a search matched more than 10,000 leads: `total` is then 10,000 and means "10,000 or more". */
  totalIsAtLeast: boolean;
}

/** What the filters can be set to, with how many leads each value has (for the filter menus). */
export interface LeadFacets {
  total: number;
  funnels: Array<{ id: string | null; name: string | null; leads: number }>;
  stages: Array<{ stage: FunnelStage | null; leads: number }>;
  sources: Array<{ source: string; leads: number }>;
  qualified: { yes: number; no: number };
}

/** A visit's attribution as stored on the lead (first and last touch). */
export interface LeadTouch {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
  referrer?: string;
  landingPage?: string;
  /** When the touch happened (epoch ms), when known. */
  at?: number;
}

export interface ScoreLine {
  funnelId: string;
  funnelName: string;
  kind: 'event' | 'quiz_outcome' | 'field' | 'lead_magnet';
  /** The event type, quiz outcome id, or `field=value`. */
  key: string;
  points: number;
}

export interface LeadFunnelProgress {
  funnelId: string;
  funnelName: string;
  furthestStage: FunnelStage | null;
  /** When each stage was first reached in this funnel (null: not reached). */
  reachedAt: Record<FunnelStage, number | null>;
}

export interface JourneyEvent {
  id: string;
  type: EventType;
  occurredAt: number;
  visitorId: string;
  funnel: { id: string; name: string } | null;
  page: { id: string; slug: string; name: string } | null;
  /** The stage this event counts for under its funnel's mapping (null: it moves no stage). */
  stage: FunnelStage | null;
  /** UTM and referrer of a page view that carried them. */
  touch: LeadTouch | null;
  /** What else the event recorded (an order's amount, a CTA's target…). */
  props: Record<string, unknown>;
}

export interface JourneyPage {
  /** Oldest first (newest last). */
  events: JourneyEvent[];
  /** Pass as `before` for the page of older events; null when these are the first. */
  olderCursor: string | null;
}

export interface QuizAnswerView {
  questionId: string;
  /** The question's text in the page version the lead answered (null if that version no longer says). */
  question: string | null;
  answers: Array<{ id: string; label: string | null; points: number | null }>;
}

export interface LeadSubmission {
  id: string;
  funnel: { id: string; name: string } | null;
  page: { id: string; slug: string; name: string } | null;
  pageVersionId: string | null;
  /** The form, quiz, gate or chat block's id. */
  formId: string;
  /** Everything submitted, as stored: email, name…, `fields`, `consent`. */
  data: Record<string, unknown>;
  quiz: {
    score: number | null;
    outcome: { id: string; title: string | null } | null;
    answers: QuizAnswerView[];
    /** The tags of the answers given ("dry-skin"), as stored with the submission. */
    tags: string[];
  } | null;
  createdAt: number;
}

export interface LeadConsent {
  id: string;
  /** Exactly the wording the lead agreed to. */
  wording: string;
  pageVersionId: string | null;
  /** A keyed hash of the IP address (never the address). */
  ipHash: string | null;
  grantedAt: number;
  /** Hex SHA-256 of the wording: after an erasure the wording is cleared and this stays as proof. */
  wordingSha256: string | null;
}

export interface LeadDeal {
  id: string;
  name: string;
  pipeline: { id: string; name: string };
  stage: { id: string; name: string; kind: 'open' | 'won' | 'lost' };
  status: 'open' | 'won' | 'lost';
  valueMinor: number;
  currency: string;
  lostReason: string | null;
  createdAt: number;
  closedAt: number | null;
}

export interface LeadDetail {
  id: string;
  /** When the lead's personal data was erased; its contact fields are then empty. */
  erasedAt: number | null;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  /** Latest value of every other captured field. */
  fields: Record<string, unknown>;
  quizOutcome: string | null;
  source: string;
  funnel: { id: string; name: string } | null;
  furthestStage: FunnelStage | null;
  qualifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
  /** The stored score and why: points per event type, quiz outcome, answer and lead magnet, per funnel. */
  score: { total: number; lines: ScoreLine[] };
  firstTouch: LeadTouch;
  lastTouch: LeadTouch;
  funnels: LeadFunnelProgress[];
  /** The latest events (up to 100), oldest first; `journey.olderCursor` pages back through `/api/leads/:id/journey`. */
  journey: JourneyPage;
  submissions: LeadSubmission[];
  consents: LeadConsent[];
  deals: LeadDeal[];
}
