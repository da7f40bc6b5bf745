/**
 * After a save conflict: put my edits on top of the version someone else saved meanwhile. `base`
 * is the draft both of us started from (what I last saved or loaded), `mine` my unsaved draft,
 * `theirs` what the server has now. Blocks are matched by id, so their edits to blocks I did not
 * touch survive, and mine win only where I changed something:
 *
 * - a block I changed replaces theirs (or comes back if they deleted it);
 * - a block I added is inserted after the block it follows in my draft;
 * - a block I deleted is removed, unless they changed it meanwhile (then their version stays);
 * - if I reordered blocks, my order wins for the blocks we both have; theirs-only blocks keep
 *   their place after the block they follow in their draft;
 * - page settings (title, SEO, theme): mine if I changed them, theirs otherwise.
 */
import type { Block, PageContent } from '../../../../workers/domain/blocks';
import { sameValue } from './history';

export function reapplyEdits(base: PageContent, mine: PageContent, theirs: PageContent): PageContent {
  const baseById = new Map(base.blocks.map((b) => [b.id, b]));
  const mineById = new Map(mine.blocks.map((b) => [b.id, b]));
  const theirsById = new Map(theirs.blocks.map((b) => [b.id, b]));

  const deletedByMe = (id: string) => baseById.has(id) && !mineById.has(id);
  const changedByMe = (b: Block) => {
    const before = baseById.get(b.id);
    return !before || !sameValue(before, b);
  };
  const changedByThem = (id: string) => {
    const before = baseById.get(id);
    const now = theirsById.get(id);
    return !before || (now !== undefined && !sameValue(before, now));
  };

  // Start from their blocks, with my deletions applied and my changed blocks swapped in.
  let result: Block[] = theirs.blocks
    .filter((b) => !(deletedByMe(b.id) && !changedByThem(b.id)))
    .map((b) => {
      const my = mineById.get(b.id);
      return my && changedByMe(my) ? my : b;
    });

  // Blocks of mine that are missing: new ones, and changed ones they deleted.
  mine.blocks.forEach((b, i) => {
    if (result.some((r) => r.id === b.id)) return;
    if (baseById.has(b.id) && !changedByMe(b)) return; // they deleted a block I left alone
    const before = mine.blocks
      .slice(0, i)
      .reverse()
      .find((p) => result.some((r) => r.id === p.id));
    const at = before ? result.findIndex((r) => r.id === before.id) + 1 : 0;
    result.splice(at, 0, b);
  });

  // My order, if I moved blocks, for the blocks we share.
  const shared = (ids: string[]) => ids.filter((id) => baseById.has(id) && mineById.has(id) && result.some((r) => r.id === id));
  const baseOrder = shared(base.blocks.map((b) => b.id));
  const myOrder = shared(mine.blocks.map((b) => b.id));
  if (!sameValue(baseOrder, myOrder))
    result = followOrder(
      result,
      mine.blocks.map((b) => b.id),
    );

  const settings = sameValue(base.settings, mine.settings) ? theirs.settings : mine.settings;
  return { settings, blocks: result };
}

/**
 * Sorts the blocks that appear in `order` into that order; every other block keeps following the
 * block it followed before.
 */
function followOrder(blocks: Block[], order: string[]): Block[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const anchored = blocks.filter((b) => rank.has(b.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  const out: Block[] = [];
  // Blocks not in `order` that come before any anchored block stay at the top.
  let i = 0;
  while (i < blocks.length && !rank.has(blocks[i]!.id)) out.push(blocks[i++]!);
  for (const anchor of anchored) {
    out.push(anchor);
    let j = blocks.findIndex((b) => b.id === anchor.id) + 1;
    while (j < blocks.length && !rank.has(blocks[j]!.id)) out.push(blocks[j++]!);
  }
  return out;
}
