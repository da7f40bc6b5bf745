/**
 * Where a dragged block lands: which edge of the row under the pointer is closer (the hitbox
 * "closest edge" idea of pragmatic-drag-and-drop's hitbox package, for a vertical list), and the
 * index the block moves to. Pure, so the arithmetic is unit-tested apart from the DOM.
 */

export type Edge = 'top' | 'bottom';

/** The row's edge nearer to the pointer. */
export function closestEdge(clientY: number, rect: { top: number; height: number }): Edge {
  return clientY < rect.top + rect.height / 2 ? 'top' : 'bottom';
}

/**
 * The index (in the list after the dragged block is taken out) that a block dragged from `from`
 * and dropped on the `edge` of the row at `target` moves to.
 */
export function destinationIndex(from: number, target: number, edge: Edge): number {
  const insertAt = edge === 'top' ? target : target + 1;
  return from < insertAt ? insertAt - 1 : insertAt;
}
