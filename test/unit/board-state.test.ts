import { describe, expect, it } from 'vitest';
import type { Board, BoardStage } from '../../workers/contract';
import {
  adjustTotals,
  boardTotals,
  columnsOf,
  dropIndex,
  insertCard,
  keyboardStep,
  moveCard,
  removeCard,
  replaceCard,
  withTotalsOf,
  type Card,
} from '../../pages-ui/app/views/pipelines/board-state';

const stage = (id: string, winProbability: number, kind: BoardStage['kind'] = 'open'): BoardStage => ({
  id,
  name: id.toUpperCase(),
  kind,
  position: 0,
  winProbability,
  rottingDays: 14,
});
const card = (id: string, valueMinor: number, extra: Partial<Card> = {}): Card => ({
  id,
  name: id,
  valueMinor,
  currency: 'USD',
  leadId: null,
  ownerId: null,
  expectedCloseAt: null,
  stageEnteredAt: 0,
  rotting: false,
  nextActivity: null,
  ...extra,
});
const total = (valueMinor: number, weightedValueMinor: number, count: number, currency = 'USD') => ({
  currency,
  count,
  valueMinor,
  weightedValueMinor,
});

function board(): Board {
  return {
    pipeline: { id: 'p', name: 'P', wonStageId: null, lostStageId: null },
    generatedAt: 1_000,
    count: 3,
    totals: [],
    columns: [
      {
        stage: stage('a', 10),
        count: 2,
        rottingCount: 1,
        totals: [total(3_000, 300, 2)],
        deals: [card('x', 1_000, { rotting: true }), card('y', 2_000)],
        truncated: false,
        next: null,
      },
      {
        stage: stage('b', 25),
        count: 1,
        rottingCount: 0,
        totals: [total(500, 50, 1, 'EUR')],
        deals: [card('z', 500, { currency: 'EUR' })],
        truncated: false,
        next: null,
      },
      { stage: stage('c', 0, 'lost'), count: 0, rottingCount: 0, totals: [], deals: [], truncated: false, next: null },
    ],
  };
}

describe('board state', () => {
  it('moves a card between columns with its count, totals, weighted value and rotting flag', () => {
    const before = columnsOf(board());
    const after = moveCard(before, 'x', { stageId: 'b', index: 1 }, 5_000);
    expect(after[0]!.deals.map((d) => d.id)).toEqual(['y']);
    expect(after[0]!).toMatchObject({ count: 1, rottingCount: 0, totals: [total(2_000, 200, 1)] });
    expect(after[1]!.deals.map((d) => d.id)).toEqual(['z', 'x']);
    expect(after[1]!.totals).toEqual([total(500, 50, 1, 'EUR'), total(1_000, 250, 1)]);
    // It entered the stage now: no longer rotting.
    expect(after[1]!.deals[1]).toMatchObject({ stageEnteredAt: 5_000, rotting: false });
    expect(after[2]).toBe(before[2]);
    expect(after[0]!.deals[0]).toBe(before[0]!.deals[1]);
    // A rollback restores the card as it was.
    const back = moveCard(after, 'x', { stageId: 'a', index: 0 }, 5_000, before[0]!.deals[0]);
    expect(back[0]).toMatchObject({ count: 2, rottingCount: 1, totals: [total(3_000, 300, 2)] });
    expect(back[0]!.deals[0]).toBe(before[0]!.deals[0]);
    expect(back[1]!.totals).toEqual([total(500, 50, 1, 'EUR')]);
  });

  it('reorders within a column without touching its totals', () => {
    const after = moveCard(columnsOf(board()), 'x', { stageId: 'a', index: 1 }, 9);
    expect(after[0]!.deals.map((d) => d.id)).toEqual(['y', 'x']);
    expect(after[0]!).toMatchObject({ count: 2, rottingCount: 1, totals: [total(3_000, 300, 2)] });
    expect(after[0]!.deals[1]!.stageEnteredAt).toBe(0);
  });

  it('steps a lifted card with the arrow keys, and stops at the edges', () => {
    const cols = columnsOf(board());
    expect(keyboardStep(cols, 'x', 'ArrowUp')).toBeNull();
    expect(keyboardStep(cols, 'x', 'ArrowDown')).toEqual({ stageId: 'a', index: 1 });
    expect(keyboardStep(cols, 'y', 'ArrowDown')).toBeNull();
    expect(keyboardStep(cols, 'y', 'ArrowRight')).toEqual({ stageId: 'b', index: 1 });
    expect(keyboardStep(cols, 'x', 'ArrowLeft')).toBeNull();
    expect(keyboardStep(cols, 'z', 'ArrowRight')).toEqual({ stageId: 'c', index: 0 });
  });

  it('computes the drop index from the target card and edge', () => {
    expect(dropIndex(-1, 0, 'top')).toBe(0);
    expect(dropIndex(-1, 2, 'bottom')).toBe(3);
    // Same column: the dragged card is taken out first.
    expect(dropIndex(0, 2, 'bottom')).toBe(2);
    expect(dropIndex(3, 1, 'top')).toBe(1);
  });

  it('adds, replaces and removes quick-added cards, and takes exact totals from a refresh', () => {
    let cols = insertCard(columnsOf(board()), 'c', card('new-1', 700));
    expect(cols[2]).toMatchObject({ count: 1, totals: [total(700, 0, 1)] });
    cols = replaceCard(cols, 'new-1', card('d1', 700));
    expect(cols[2]!.deals.map((d) => d.id)).toEqual(['d1']);
    cols = removeCard(cols, 'd1');
    expect(cols[2]).toMatchObject({ count: 0, totals: [], deals: [] });
    const fresh = board();
    fresh.columns[0]!.totals = [total(3_000, 301, 2)];
    expect(withTotalsOf(cols, fresh)[0]!.totals).toEqual([total(3_000, 301, 2)]);
    expect(boardTotals(cols)).toEqual({ count: 3, totals: [total(500, 50, 1, 'EUR'), total(3_000, 300, 2)] });
    expect(adjustTotals([total(100, 10, 1)], card('q', 100), 10, -1)).toEqual([]);
  });
});
