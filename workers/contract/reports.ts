/**
 * What the report services return and the pages and API send: the funnel report
 * (services/funnel-report.ts) and the funnel-to-pipeline handoff (services/handoff.ts).
 */
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
  medianMsFromPrevious: number | null;
  previousPeriodVisitors: number;
}

export interface FunnelReport {
  funnel: { id: string; name: string };
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  stages: StageRow[];
  sections: Record<FunnelSection, number>;
  bySource: Array<{ source: string; medium: string; campaign: string; stages: Record<FunnelStage, number> }>;
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
}

export interface HandoffBreakdown {
  steps: StepRow[];
}

export interface HandoffReport {
  period: HandoffPeriod;
  funnel: { id: string; name: string } | null;
  totals: HandoffBreakdown;
  /** `funnel: null` collects leads and deals from no funnel (imported or added by hand). */
  byFunnel: Array<HandoffBreakdown & { funnel: { id: string; name: string | null } | null }>;
  /** `source: ''` is direct / unknown. */
  bySource: Array<HandoffBreakdown & { source: string }>;
}
