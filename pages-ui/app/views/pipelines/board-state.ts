/**
 * The board as the browser holds it, and the pure changes a drag, a key press or a quick add make
 * to it before the server answers (so they show at once). Counts and totals move with the card;
 * the weighted value is adjusted by the card's own rounded share and made exact again by the next
 * totals refresh (the server rounds once per total, see services/board.ts).
 */
import type { Board, BoardCard, BoardStage, BoardTotal } from '../../../../workers/contract';

/** A card as the board holds it (the server's, or a quick add's stand-in until the server answers). */
export type Card = BoardCard;

export interface ColumnState {
  stage: BoardStage;
  count: number;
  rottingCount: number;
  totals: BoardTotal[];
  deals: Card[];
  /** The API path of the column's next cards; null when all are loaded. */
  next: string | null;
}

/** A place on the board: a column and an index among its loaded cards (the card itself left out). */
export interface Place {
  stageId: string;
  index: number;
}

export function columnsOf(board: Board): ColumnState[] {
  return board.columns.map((c) => ({
    stage: c.stage,
    count: c.count,
    rottingCount: c.rottingCount,
    totals: c.totals,
    deals: c.deals,
    next: c.next,
  }));
}

export function findCard(columns: ColumnState[], dealId: string): { column: number; index: number; card: Card } | null {
  for (let column = 0; column < columns.length; column++) {
    const index = columns[column]!.deals.findIndex((d) => d.id === dealId);
    if (index >= 0) return { column, index, card: columns[column]!.deals[index]! };
  }
  return null;
}

/** The card's share of a weighted total, rounded as one card would be. */
const weightedShare = (valueMinor: number, probability: number) => Math.round((valueMinor * probability) / 100);

/** `totals` with one card added (sign 1) or taken out (sign -1); a currency left with no deals disappears. */
export function adjustTotals(totals: BoardTotal[], card: Pick<Card, 'valueMinor' | 'currency'>, probability: number, sign: 1 | -1) {
  const share = weightedShare(card.valueMinor, probability);
  const found = totals.some((t) => t.currency === card.currency);
  const next = found
    ? totals.map((t) =>
        t.currency === card.currency
          ? {
              ...t,
              count: t.count + sign,
              valueMinor: t.valueMinor + sign * card.valueMinor,
              weightedValueMinor: t.weightedValueMinor + sign * share,
            }
          : t,
      )
    : sign > 0
      ? [...totals, { currency: card.currency, count: 1, valueMinor: card.valueMinor, weightedValueMinor: share }].sort((a, b) =>
          a.currency < b.currency ? -1 : 1,
        )
      : totals;
  return next.filter((t) => t.count > 0);
}

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(max, n));

/**
 * The board with the deal at `to`. A card that changes stage enters it `now` (so it is no longer
 * rotting); `restore` puts back fields of the card as it was (a rollback). Unchanged cards keep
 * their identity, so only the columns that changed re-render.
 */
export function moveCard(columns: ColumnState[], dealId: string, to: Place, now: number, restore?: Card): ColumnState[] {
  const from = findCard(columns, dealId);
  const target = columns.findIndex((c) => c.stage.id === to.stageId);
  if (!from || target < 0) return columns;
  const source = columns[from.column]!;
  const sameColumn = from.column === target;
  const moved: Card = restore ?? (sameColumn ? from.card : { ...from.card, stageEnteredAt: now, rotting: false });
  return columns.map((column, i) => {
    if (i !== from.column && i !== target) return column;
    let deals = column.deals;
    let { count, rottingCount, totals } = column;
    if (i === from.column) {
      deals = deals.filter((d) => d.id !== dealId);
      if (!sameColumn) {
        count -= 1;
        if (from.card.rotting) rottingCount -= 1;
        totals = adjustTotals(totals, from.card, source.stage.winProbability, -1);
      }
    }
    if (i === target) {
      deals = [...deals];
      deals.splice(clamp(to.index, 0, deals.length), 0, moved);
      if (!sameColumn) {
        count += 1;
        if (moved.rotting) rottingCount += 1;
        totals = adjustTotals(totals, moved, column.stage.winProbability, 1);
      }
    }
    return { ...column, deals, count, rottingCount, totals };
  });
}

/** The board with a new card at `index` of its column (a quick add). */
export function insertCard(columns: ColumnState[], stageId: string, card: Card, index = 0): ColumnState[] {
  return columns.map((column) => {
    if (column.stage.id !== stageId) return column;
    const deals = [...column.deals];
    deals.splice(clamp(index, 0, deals.length), 0, card);
    return {
      ...column,
      deals,
      count: column.count + 1,
      totals: adjustTotals(column.totals, card, column.stage.winProbability, 1),
    };
  });
}

/** The board without a card (a quick add the server refused). */
export function removeCard(columns: ColumnState[], dealId: string): ColumnState[] {
  const found = findCard(columns, dealId);
  if (!found) return columns;
  return columns.map((column, i) =>
    i === found.column
      ? {
          ...column,
          deals: column.deals.filter((d) => d.id !== dealId),
          count: column.count - 1,
          rottingCount: column.rottingCount - (found.card.rotting ? 1 : 0),
          totals: adjustTotals(column.totals, found.card, column.stage.winProbability, -1),
        }
      : column,
  );
}

/** A card replaced (the server's copy of a quick-added deal instead of its stand-in). */
export function replaceCard(columns: ColumnState[], dealId: string, card: Card): ColumnState[] {
  return columns.map((column) =>
    column.deals.some((d) => d.id === dealId) ? { ...column, deals: column.deals.map((d) => (d.id === dealId ? card : d)) } : column,
  );
}

/** The exact counts and totals of a fresh board (read with few cards) laid over the loaded cards. */
export function withTotalsOf(columns: ColumnState[], fresh: Board): ColumnState[] {
  const byStage = new Map(fresh.columns.map((c) => [c.stage.id, c]));
  return columns.map((column) => {
    const f = byStage.get(column.stage.id);
    return f ? { ...column, count: f.count, rottingCount: f.rottingCount, totals: f.totals } : column;
  });
}

/** Board-wide count and totals from the columns (what the header shows). */
export function boardTotals(columns: ColumnState[]): { count: number; totals: BoardTotal[] } {
  const byCurrency = new Map<string, BoardTotal>();
  let count = 0;
  for (const column of columns) {
    count += column.count;
    for (const t of column.totals) {
      const sum = byCurrency.get(t.currency) ?? { currency: t.currency, count: 0, valueMinor: 0, weightedValueMinor: 0 };
      byCurrency.set(t.currency, {
        currency: t.currency,
        count: sum.count + t.count,
        valueMinor: sum.valueMinor + t.valueMinor,
        weightedValueMinor: sum.weightedValueMinor + t.weightedValueMinor,
      });
    }
  }
  return { count, totals: [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)) };
}

/**
 * Where a lifted card goes for an arrow key: up/down within its column, left/right to the
 * neighbouring column (at the same index, or its end). Null at an edge.
 */
export function keyboardStep(
  columns: ColumnState[],
  dealId: string,
  key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight',
): Place | null {
  const at = findCard(columns, dealId);
  if (!at) return null;
  const column = columns[at.column]!;
  if (key === 'ArrowUp') return at.index > 0 ? { stageId: column.stage.id, index: at.index - 1 } : null;
  if (key === 'ArrowDown') return at.index < column.deals.length - 1 ? { stageId: column.stage.id, index: at.index + 1 } : null;
  const next = columns[at.column + (key === 'ArrowLeft' ? -1 : 1)];
  if (!next) return null;
  return { stageId: next.stage.id, index: Math.min(at.index, next.deals.length) };
}

/** The index a card dragged from `from` (in the same column, or -1) lands at, dropped on an edge of the card at `target`. */
export function dropIndex(from: number, target: number, edge: 'top' | 'bottom'): number {
  const insertAt = edge === 'top' ? target : target + 1;
  return from >= 0 && from < insertAt ? insertAt - 1 : insertAt;
}
