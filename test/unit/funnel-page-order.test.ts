import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dropIndex, edgeAt, moveAnnouncement, moveItem, positionFor } from '../../pages-ui/app/views/funnels/reorder';

/**
 * What the server does with `PATCH /api/pages/:id {position}` (services/funnels.ts, makeRoom): the
 * page takes the position, the pages between its old and new position shift by one.
 */
function serverMove(pages: Array<{ id: string; position: number }>, id: string, to: number) {
  const from = pages.find((p) => p.id === id)!.position;
  return pages
    .map((p) => {
      if (p.id === id) return { ...p, position: to };
      if (to < from && p.position >= to && p.position < from) return { ...p, position: p.position + 1 };
      if (to > from && p.position > from && p.position <= to) return { ...p, position: p.position - 1 };
      return p;
    })
    .sort((a, b) => a.position - b.position);
}

/** Pages in order with positions that have gaps, as deletes leave them. */
const pagesWithGaps = fc
  .uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 10 })
  .map((positions) => positions.sort((a, b) => a - b).map((position, i) => ({ id: `p${i}`, position })));

describe('page order', () => {
  it('moves one item and keeps the others in order', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(['a', 'b'], 1, 1)).toEqual(['a', 'b']);
    expect(moveItem(['a', 'b'], 0, 9)).toEqual(['b', 'a']);
  });

  it('turns a drop on the top or bottom half of a row into the index the row lands at', () => {
    // Dragging a (0) onto the bottom of c (2) → after c → index 2 once a has left.
    expect(dropIndex(0, 2, 'bottom')).toBe(2);
    expect(dropIndex(0, 2, 'top')).toBe(1);
    expect(dropIndex(3, 0, 'top')).toBe(0);
    expect(dropIndex(3, 0, 'bottom')).toBe(1);
    expect(dropIndex(1, 1, 'top')).toBe(1);
    expect(edgeAt(105, { top: 100, height: 40 })).toBe('top');
    expect(edgeAt(125, { top: 100, height: 40 })).toBe('bottom');
  });

  it('a drop lands where the indicator showed it: right above or right below the target row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(n - 1), fc.boolean())),
        ([n, from, over, top]) => {
          fc.pre(from !== over);
          const items = Array.from({ length: n }, (_, i) => i);
          const after = moveItem(items, from, dropIndex(from, over, top ? 'top' : 'bottom'));
          const at = after.indexOf(from);
          expect(after[top ? at + 1 : at - 1]).toBe(over);
        },
      ),
    );
  });

  it('sends the position that puts the page at the target index on the server, gaps and all', () => {
    fc.assert(
      fc.property(
        pagesWithGaps.chain((pages) => fc.tuple(fc.constant(pages), fc.nat(pages.length - 1), fc.nat(pages.length - 1))),
        ([pages, from, to]) => {
          const position = positionFor(
            pages.map((p) => p.position),
            from,
            to,
          );
          const after = serverMove(pages, pages[from]!.id, position).map((p) => p.id);
          expect(after).toEqual(moveItem(pages, from, to).map((p) => p.id));
        },
      ),
    );
  });

  it('says where the page went, counting from one', () => {
    expect(moveAnnouncement('Offer', 1, 4)).toBe('Offer moved to position 2 of 4.');
  });
});
