import { Dialog } from '../../shell/dialog';
import { BLOCK_TYPES, type BlockType } from './block-defaults';
import { BlockIcon } from './block-icon';
import { BLOCK_INFO } from './block-meta';

/** Every block type, each a button: choosing one adds it (after the selected block) and closes. */
export function Palette(props: { after: string | null; onChoose: (type: BlockType) => void; onClose: () => void }) {
  return (
    <Dialog title="Add a block" onClose={props.onClose} initialFocus=".palette-item">
      <p class="muted palette-where">{props.after ? `It goes after ${props.after}.` : 'It goes at the end of the page.'}</p>
      <ul class="palette">
        {BLOCK_TYPES.map((type) => (
          <li key={type}>
            <button type="button" class="palette-item" onClick={() => props.onChoose(type)}>
              <BlockIcon type={type} />
              <span>
                <span class="palette-label">{BLOCK_INFO[type].label}</span>
                <span class="palette-hint">{BLOCK_INFO[type].hint}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
