import type { StageKind } from './stage-kinds';

export interface StageTemplate {
  name: string;
  kind: StageKind;
  /** Chance (0–100) that a deal in this stage closes won; the weighted forecast multiplies by it. */
  winProbability: number;
  rottingDays?: number;
}

export interface PipelineTemplate {
  key: 'b2b' | 'b2c';
  name: string;
  stages: StageTemplate[];
}

/**
 * The two pipelines of the source article. B2C has no sales calls: abandonment stages replace
 * demo/proposal. Post-purchase follows the close (the article moves it to the last position):
 * the lead is a customer by then, so it counts as won.
 */
export const PIPELINE_TEMPLATES: Record<PipelineTemplate['key'], PipelineTemplate> = {
  b2c: {
    key: 'b2c',
    name: 'B2C e-commerce pipeline',
    stages: [
      { name: 'Lead generation', kind: 'open', winProbability: 10, rottingDays: 14 },
      { name: 'Lead qualification', kind: 'open', winProbability: 25, rottingDays: 14 },
      { name: 'Browse abandonment', kind: 'open', winProbability: 35, rottingDays: 7 },
      { name: 'Checkout abandonment', kind: 'open', winProbability: 60, rottingDays: 3 },
      { name: 'Closed won', kind: 'won', winProbability: 100 },
      { name: 'Closed lost', kind: 'lost', winProbability: 0 },
      { name: 'Post-purchase', kind: 'won', winProbability: 100 },
    ],
  },
  b2b: {
    key: 'b2b',
    name: 'B2B sales pipeline',
    stages: [
      { name: 'Prospecting', kind: 'open', winProbability: 5, rottingDays: 30 },
      { name: 'Lead qualification', kind: 'open', winProbability: 15, rottingDays: 21 },
      { name: 'Demo or meeting', kind: 'open', winProbability: 30, rottingDays: 14 },
      { name: 'Proposal', kind: 'open', winProbability: 50, rottingDays: 14 },
      { name: 'Negotiation', kind: 'open', winProbability: 75, rottingDays: 10 },
      { name: 'Closed won', kind: 'won', winProbability: 100 },
      { name: 'Closed lost', kind: 'lost', winProbability: 0 },
      { name: 'Post-purchase', kind: 'won', winProbability: 100 },
    ],
  },
};
