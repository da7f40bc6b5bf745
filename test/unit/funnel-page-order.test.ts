import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dropIndex, edgeAt, moveAnnouncement, moveItem } from '../../pages-ui/app/views/funnels/reorder';

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

  it('keeps every item exactly once, whatever the moves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 20 }), (n, moves) => {
        let items = Array.from({ length: n }, (_, i) => i);
        for (const [from, to] of moves) items = moveItem(items, from % n, to % n);
        expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('says where the page went, counting from one', () => {
    expect(moveAnnouncement('Offer', 1, 4)).toBe('Offer moved to position 2 of 4.');
  });
});
