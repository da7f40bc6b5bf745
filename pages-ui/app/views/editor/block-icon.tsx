import { BLOCK_INFO } from './block-meta';
import type { BlockType } from './block-defaults';

/** A block type's symbol (decorative: the type's name is always written next to it). */
export function BlockIcon(props: { type: BlockType }) {
  return (
    <svg class="block-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={BLOCK_INFO[props.type].icon} />
    </svg>
  );
}
