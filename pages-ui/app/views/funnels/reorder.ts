/**
 * The order of a funnel's pages as the list edits it, pure so the drag, the keyboard and the
 * server's answer all agree on what "move here" means.
 */

/** Where a dragged row lands relative to the row under the pointer. */
export type Edge = 'top' | 'bottom';

/** `items` with the one at `from` taken out and put back at `to` (indexes in the list before and after the move). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || from >= items.length) return [...items];
  const target = Math.max(0, Math.min(items.length - 1, to));
  const next = [...items];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved!);
  return next;
}

/**
 * The index a row dragged from `from` ends up at when dropped on the `edge` of the row at `over`:
 * above that row for `top`, below it for `bottom`, counted after the row has left its old place.
 */
export function dropIndex(from: number, over: number, edge: Edge): number {
  const before = edge === 'top' ? over : over + 1;
  return before > from ? before - 1 : before;
}

/** Which half of a row the pointer is over: the top half drops above it, the bottom half below. */
export function edgeAt(clientY: number, rect: { top: number; height: number }): Edge {
  return clientY < rect.top + rect.height / 2 ? 'top' : 'bottom';
}

/** What a screen reader hears after a move: "Offer moved to position 2 of 4." */
export function moveAnnouncement(name: string, to: number, count: number): string {
  return `${name} moved to position ${to + 1} of ${count}.`;
}
