/**
 * The outline: the page's blocks in order. Click (or Enter) selects a block; drag a row to move it
 * (pragmatic-drag-and-drop, with a line showing where it lands); Alt+↑/↓ moves the selected block
 * by keyboard, and each row's menu has Move up/down, Duplicate and Delete. Every move is announced
 * by the editor's live region; Delete is undone from the toast or with Ctrl+Z.
 */
import { combine } from '@atlaskit/pragmatic-drag-and-drop/combine';
import { draggable, dropTargetForElements, monitorForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { blockDraggingToIFrames } from '@atlaskit/pragmatic-drag-and-drop/element/block-dragging-to-iframes';
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Block } from '../../../../workers/domain/blocks';
import { BlockIcon } from './block-icon';
import { BLOCK_INFO, blockName, blockSummary } from './block-meta';
import { MenuButton } from './menu';
import { closestEdge, destinationIndex, type Edge } from './reorder';
import type { EditorState } from './state';

const DRAG_KIND = 'leadflare-outline-block';

interface OutlineProps {
  editor: EditorState;
  onAdd: () => void;
  onDeleted: (block: Block, index: number) => void;
  /** A block was chosen with a click or tap (on a phone, the editor then shows the inspector). */
  onOpen: () => void;
  /** Below the list (the checks). */
  footer?: ComponentChildren;
}

/** Moves focus to a row's select button once it has rendered in its new place. */
function focusRow(id: string | null) {
  requestAnimationFrame(() => {
    const target = id ? document.querySelector<HTMLElement>(`[data-outline-id="${CSS.escape(id)}"] .outline-select`) : null;
    (target ?? document.querySelector<HTMLElement>('.outline-add'))?.focus();
  });
}

export function Outline(props: OutlineProps) {
  const { editor } = props;
  const blocks = editor.content.value.blocks;
  const selectedId = editor.selectedId.value;
  const readOnly = editor.readOnly;
  const withErrors = editor.blocksWithErrors.value;
  const list = useRef<HTMLOListElement>(null);

  // One monitor for the list: a drop anywhere on a row becomes one move.
  useEffect(() => {
    if (readOnly) return;
    return combine(
      blockDraggingToIFrames({ element: document.body }),
      monitorForElements({
        canMonitor: ({ source }) => source.data.kind === DRAG_KIND,
        onDrop: ({ source, location }) => {
          const target = location.current.dropTargets[0];
          if (!target) return;
          const from = editor.content.value.blocks.findIndex((b) => b.id === source.data.id);
          const to = editor.content.value.blocks.findIndex((b) => b.id === target.data.id);
          const edge = target.data.edge as Edge | undefined;
          if (from < 0 || to < 0 || !edge) return;
          editor.moveBlock(from, destinationIndex(from, to, edge));
        },
      }),
    );
  }, [editor, readOnly]);

  const move = (index: number, delta: number) => {
    const block = blocks[index];
    if (!block) return;
    editor.moveBlock(index, index + delta);
    focusRow(block.id);
  };
  const remove = (index: number) => {
    const removed = editor.removeBlock(index);
    if (!removed) return;
    props.onDeleted(removed, index);
    focusRow(editor.selectedId.value);
  };
  const duplicate = (index: number) => {
    const copy = editor.duplicateBlock(index);
    if (copy) focusRow(copy.id);
  };

  return (
    <section class="pane pane-outline" aria-labelledby="outline-title">
      <div class="pane-head">
        <h2 id="outline-title">Blocks</h2>
        <button
          type="button"
          class="button small outline-add"
          onClick={props.onAdd}
          disabled={readOnly}
          aria-describedby={readOnly ? 'read-only-note' : undefined}
        >
          + Add block
        </button>
      </div>
      <p id="outline-help" class="pane-hint">
        {readOnly ? 'Blocks in page order.' : 'Drag to reorder, or select a block and press Alt+↑ / Alt+↓.'}
      </p>
      <button
        type="button"
        class={selectedId === null ? 'outline-page selected' : 'outline-page'}
        aria-current={selectedId === null ? true : undefined}
        onClick={() => {
          editor.select(null);
          props.onOpen();
        }}
      >
        Page settings, theme and SEO
      </button>
      {blocks.length === 0 ? (
        <div class="outline-empty">
          <p>This page has no blocks yet. Start with a hero: a headline and a button.</p>
          <button type="button" class="button" onClick={props.onAdd} disabled={readOnly}>
            Add the first block
          </button>
        </div>
      ) : (
        <ol class="outline-list" ref={list} aria-describedby="outline-help">
          {blocks.map((block, index) => (
            <OutlineRow
              key={block.id}
              block={block}
              index={index}
              count={blocks.length}
              selected={block.id === selectedId}
              hasError={withErrors.has(block.id)}
              readOnly={readOnly}
              onSelect={() => editor.select(block.id)}
              onOpen={props.onOpen}
              onMove={(delta) => move(index, delta)}
              onDuplicate={() => duplicate(index)}
              onDelete={() => remove(index)}
            />
          ))}
        </ol>
      )}
      {props.footer}
    </section>
  );
}

interface RowProps {
  block: Block;
  index: number;
  count: number;
  selected: boolean;
  hasError: boolean;
  readOnly: boolean;
  onSelect: () => void;
  onOpen: () => void;
  onMove: (delta: number) => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

/** A row re-renders only when its own block, place, selection or error mark changes (not on every keystroke elsewhere). */
class OutlineRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const now = this.props;
    return (
      now.block !== next.block ||
      now.index !== next.index ||
      now.count !== next.count ||
      now.selected !== next.selected ||
      now.hasError !== next.hasError ||
      now.readOnly !== next.readOnly
    );
  }

  override render() {
    return <OutlineRowView {...this.props} />;
  }
}

function OutlineRowView(props: RowProps) {
  const { block, index, count, readOnly } = props;
  const row = useRef<HTMLLIElement>(null);
  const [dragging, setDragging] = useState(false);
  const [edge, setEdge] = useState<Edge | null>(null);

  useEffect(() => {
    const element = row.current;
    if (!element || readOnly) return;
    return combine(
      draggable({
        element,
        getInitialData: () => ({ kind: DRAG_KIND, id: block.id }),
        onDragStart: () => setDragging(true),
        onDrop: () => setDragging(false),
      }),
      dropTargetForElements({
        element,
        canDrop: ({ source }) => source.data.kind === DRAG_KIND,
        getData: ({ input }) => ({ id: block.id, edge: closestEdge(input.clientY, element.getBoundingClientRect()) }),
        onDrag: ({ self, source }) => setEdge(source.data.id === block.id ? null : (self.data.edge as Edge)),
        onDragLeave: () => setEdge(null),
        onDrop: () => setEdge(null),
      }),
    );
  }, [block.id, readOnly]);

  const name = blockName(block);
  const classes = ['outline-item'];
  if (props.selected) classes.push('selected');
  if (dragging) classes.push('dragging');
  if (edge) classes.push(`drop-${edge}`);

  return (
    <li ref={row} class={classes.join(' ')} data-outline-id={block.id}>
      <span class="drag-handle" aria-hidden="true">
        ⋮⋮
      </span>
      <button
        type="button"
        class="outline-select"
        aria-current={props.selected ? true : undefined}
        onClick={() => {
          props.onSelect();
          props.onOpen();
        }}
        onKeyDown={(e) => {
          if (readOnly || !e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) {
            if (!readOnly && (e.key === 'Delete' || e.key === 'Backspace') && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              props.onDelete();
            }
            return;
          }
          e.preventDefault();
          props.onSelect();
          if (e.key === 'ArrowUp' && index > 0) props.onMove(-1);
          if (e.key === 'ArrowDown' && index < count - 1) props.onMove(1);
        }}
      >
        <BlockIcon type={block.type} />
        {/* The name is the visible words, with the position and any error added for screen readers. */}
        <span class="outline-text">
          <span class="outline-type">
            <span class="visually-hidden">{index + 1}. </span>
            {BLOCK_INFO[block.type].label}
            <span class="visually-hidden">: </span>
          </span>
          <span class="outline-summary">{blockSummary(block)}</span>
        </span>
        {props.hasError ? (
          <span class="outline-error">
            <span aria-hidden="true">!</span>
            <span class="visually-hidden"> (not saved: has errors)</span>
          </span>
        ) : null}
      </button>
      <MenuButton
        label={`Actions for ${name}`}
        disabled={readOnly}
        items={[
          { label: 'Move up', onSelect: () => props.onMove(-1), disabled: index === 0 },
          { label: 'Move down', onSelect: () => props.onMove(1), disabled: index === count - 1 },
          { label: 'Duplicate', onSelect: props.onDuplicate },
          { label: 'Delete', onSelect: props.onDelete, danger: true },
        ]}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <circle cx="5" cy="12" r="2" />
          <circle cx="12" cy="12" r="2" />
          <circle cx="19" cy="12" r="2" />
        </svg>
      </MenuButton>
    </li>
  );
}
