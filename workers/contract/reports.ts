/**
 * What the report services return and the pages and API send: the funnel report
 * (services/funnel-report.ts) and the funnel-to-pipeline handoff (services/handoff.ts).
 */
import type { DealOrigin } from '../domain/deal-origins';
import type { FunnelSection, FunnelStage } from '../domain/stages';

// ── Funnel report ────────────────────────────────────────────────────────────

export interface ReportPeriod {
  from: string;
  to: string;
}

export interface StageRow {
  stage: FunnelStage;
  visitors: number;
  /** Share of the previous stage's visitors (null for the first stage or an empty previous stage). */
  conversionFromPrevious: number | null;
  conversionFromTop: number | null;
  /** Visitors of the previous stage who did not reach this one (in this period's counts). */
  dropOff: number | null;
  /**
   * Approximate median time from the previous stage (null for the first stage or without data):
   * read from log-scale buckets, so within ±9 % — the true median lies in `medianRangeMs`. 0 with
   * `medianRangeMs` {0, 1000} means "under a second", not zero.
   */
  medianMsFromPrevious: number | null;
  /** The bounds of the median's bucket: lowMs ≤ true median < highMs. */
  medianRangeMs: { lowMs: number; highMs: number } | null;
  previousPeriodVisitors: number;
}

export interface FunnelReport {
  funnel: { id: string; name: string };
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  /** The source filter applied (`''` = direct / unknown), or null for every source. */
  source: string | null;
  stages: StageRow[];
  bySource: Array<{ source: string; medium: string; campaign: string; stages: Record<FunnelStage, number> }>;
}

/**
 * TOFU / MOFU / BOFU as people: of the visitors who first arrived (reached awareness) in the
 * period, how many reached each section by now (furthest stage ≥ the section's first stage) and
 * how many are in it now (furthest stage inside it). Each visitor is counted once per figure, so
 * MOFU.reached ≤ TOFU.reached and the three `current` figures add up to TOFU.reached.
 */
export interface SectionPeople {
  section: FunnelSection;
  /** The section's stages, in order. */
  stages: FunnelStage[];
  reached: number;
  current: number;
  /** reached ÷ TOFU.reached; null without visitors. */
  shareOfVisitors: number | null;
  previous: { reached: number; current: number };
}

export interface FunnelSections {
  funnel: { id: string; name: string };
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  source: string | null;
  sections: SectionPeople[];
}

/** The funnel list's numbers: per funnel, visitors → leads in the period (`GET /api/funnels/stats`). */
export interface FunnelListStats {
  period: ReportPeriod;
  funnels: Array<{
    funnelId: string;
    /** Visitors who reached awareness (viewed a page) in the period. */
    visitors: number;
    /** Leads created in the period with this funnel as their source. */
    leads: number;
    /** leads ÷ visitors; null without visitors. */
    conversion: number | null;
  }>;
}

// ── Handoff report ───────────────────────────────────────────────────────────

export const HANDOFF_STEPS = ['visitors', 'leads', 'qualified', 'deals', 'won'] as const;
export type HandoffStep = (typeof HANDOFF_STEPS)[number];

export interface HandoffPeriod {
  /** UTC days, inclusive. */
  from: string;
  to: string;
}

export interface MoneyTotal {
  currency: string;
  valueMinor: number;
}

export interface StepRow {
  step: HandoffStep;
  count: number;
  /** Deals and won only: the sum of deal values, per currency. */
  values?: MoneyTotal[];
  /** count ÷ the previous step's count; null for the first step or when the previous is 0. */
  conversionFromPrevious: number | null;
  /**
   * Deals step of the totals only: the deals created in the period by where they came from — a
   * qualification rule (these follow from "qualified"), a B2C automation (abandoned checkouts,
   * purchases: deals without a qualified lead), a person in the app, an import, the API. The
   * counts add up to `count`; every origin is listed, zeros included.
   */
  byOrigin?: Array<{ origin: DealOrigin; count: number; values: MoneyTotal[] }>;
}

export interface HandoffBreakdown {
  steps: StepRow[];
}

export interface HandoffReport {
  period: HandoffPeriod;
  funnel: { id: string; name: string } | null;
  /** The source filter applied (`''` = direct / unknown), or null for every source. */
  source: string | null;
  totals: HandoffBreakdown;
  /** With `compare=previous`: the totals of the previous period of equal length; otherwise null. */
  previous: { period: HandoffPeriod; totals: HandoffBreakdown } | null;
  /** `funnel: null` collects leads and deals from no funnel (imported or added by hand). */
  byFunnel: Array<HandoffBreakdown & { funnel: { id: string; name: string | null } | null }>;
  /** `source: ''` is direct / unknown. */
  bySource: Array<HandoffBreakdown & { source: string }>;
}

/** One UTC day of the handoff: visitors who arrived, leads created, deals created. */
export interface DailyPoint {
  day: string;
  visitors: number;
  leads: number;
  deals: number;
}

/** Visitors, leads and deals per day for the period and the previous one of equal length (`GET /api/handoff/daily`). */
export interface HandoffDaily {
  period: HandoffPeriod;
  previousPeriod: HandoffPeriod;
  funnel: { id: string; name: string } | null;
  source: string | null;
  /** Every day of the period in order, zeros included. */
  days: DailyPoint[];
  /** Every day of the previous period in order, zeros included. */
  previous: DailyPoint[];
}
