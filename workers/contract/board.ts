/** The pipeline board as services/board.ts builds it and the board page renders it. */
import type { StageKind } from '../domain/stage-kinds';
import type { NextActivity } from './activities';

/** One card on the board; its weighted value is valueMinor × the column's winProbability / 100. */
export interface BoardCard {
  id: string;
  name: string;
  valueMinor: number;
  currency: string;
  leadId: string | null;
  ownerId: string | null;
  expectedCloseAt: number | null;
  stageEnteredAt: number;
  rotting: boolean;
  /** The deal's earliest open activity; null when it has none (an open deal without one is flagged). */
  nextActivity: NextActivity | null;
}

export interface BoardTotal {
  currency: string;
  count: number;
  valueMinor: number;
  weightedValueMinor: number;
}

export interface BoardStage {
  id: string;
  name: string;
  kind: StageKind;
  position: number;
  winProbability: number;
  rottingDays: number | null;
}

export interface BoardColumn {
  stage: BoardStage;
  count: number;
  rottingCount: number;
  totals: BoardTotal[];
  deals: BoardCard[];
  /** True when `limit` left some of the column's deals out of `deals`. */
  truncated: boolean;
  /** The column's next cards (`GET` it: `{stageId, deals, next}`); null when `deals` holds the whole column. */
  next: string | null;
}

export interface Board {
  pipeline: { id: string; name: string; wonStageId: string | null; lostStageId: string | null };
  generatedAt: number;
  count: number;
  totals: BoardTotal[];
  columns: BoardColumn[];
}

/** One page of a column's cards, as services/board.ts's `boardColumnJson` writes it. */
export interface BoardColumnPage {
  stageId: string;
  next: string | null;
  deals: BoardCard[];
}
