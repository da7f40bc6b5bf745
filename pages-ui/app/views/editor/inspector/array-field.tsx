/**
 * A repeatable list (features, FAQ questions, offer bullets): add, remove, and move up/down with
 * buttons, so the keyboard does everything. Focus follows the item that moved, lands on the next
 * item after a removal and in the new item after an add; each change is announced.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ArrayField, FieldNode } from './field-model';
import { announce, controlId, FieldList, FieldView, issueAt, useForm, valueAt, type FieldProps } from './form-context';
import { moveItem, newItem, removeItem, type Path } from './values';

const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** The words an item shows in its header: its first non-empty text, e.g. the FAQ question. */
export function itemSummary(node: FieldNode, value: unknown): string {
  if (typeof value === 'string') return value;
  if (node.kind !== 'object' || !value || typeof value !== 'object') return '';
  for (const field of node.fields) {
    const v = (value as Record<string, unknown>)[field.key];
    if (field.kind === 'string' && typeof v === 'string' && v.trim() && field.key !== 'id') return v.trim();
  }
  return '';
}

/**
 * Moves focus after the next render (the list re-renders first): to the element with `id`, or
 * with `firstControl`, to the first field inside that element's item.
 */
export function useFocusAfterRender(): (id: string, firstControl?: boolean) => void {
  const pending = useRef<{ id: string; firstControl: boolean } | null>(null);
  useEffect(() => {
    if (!pending.current) return;
    const { id, firstControl } = pending.current;
    pending.current = null;
    const el = document.getElementById(id);
    const control = firstControl ? el?.closest('li')?.querySelector<HTMLElement>('input:not([type=color]), textarea, select') : null;
    (control ?? el)?.focus();
  });
  return (id, firstControl = false) => void (pending.current = { id, firstControl });
}

export interface ItemActionsProps {
  baseId: string;
  index: number;
  count: number;
  itemName: string;
  canRemove: boolean;
  onMove: (to: number) => void;
  onRemove: () => void;
  removeHint?: string;
}

/** Up, down and remove for one item, each named for screen readers ("Move question 2 up"). */
export function ItemActions(props: ItemActionsProps) {
  const { index, count, itemName, baseId } = props;
  return (
    <div class="item-actions">
      <button
        type="button"
        class="icon-button"
        id={`${baseId}-up`}
        aria-label={`Move ${itemName} up`}
        title="Move up"
        disabled={index === 0}
        onClick={() => props.onMove(index - 1)}
      >
        <span aria-hidden="true">↑</span>
      </button>
      <button
        type="button"
        class="icon-button"
        id={`${baseId}-down`}
        aria-label={`Move ${itemName} down`}
        title="Move down"
        disabled={index === count - 1}
        onClick={() => props.onMove(index + 1)}
      >
        <span aria-hidden="true">↓</span>
      </button>
      <button
        type="button"
        class="icon-button danger"
        id={`${baseId}-remove`}
        aria-label={`Remove ${itemName}`}
        title={props.canRemove ? 'Remove' : props.removeHint}
        disabled={!props.canRemove}
        onClick={props.onRemove}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/**
 * The list operations with focus and announcements, for the generic list and the builders
 * (quiz questions, form fields) alike.
 */
export function useListOps(path: Path, itemLabel: string, make: (items: unknown[]) => unknown) {
  const ctx = useForm();
  const focusLater = useFocusAfterRender();
  const items = valueAt<unknown[]>(ctx, path) ?? [];
  const baseId = controlId(ctx, path);
  const name = (i: number) => `${itemLabel} ${i + 1}`;
  return {
    items,
    baseId,
    itemId: (i: number) => `${baseId}-item-${i}`,
    move(from: number, to: number) {
      ctx.set(path, moveItem(items, from, to));
      announce(`${capitalise(name(from))} moved to position ${to + 1} of ${items.length}.`);
      // The same button of the item's new place, or the other one when that end is reached.
      const edge = (to === 0 && to < from) || (to === items.length - 1 && to > from);
      focusLater(`${baseId}-item-${to}-${edge ? (to < from ? 'down' : 'up') : to < from ? 'up' : 'down'}`);
    },
    remove(index: number, replaced?: unknown[]) {
      const next = replaced ?? removeItem(items, index);
      ctx.set(path, next);
      announce(`${capitalise(name(index))} removed.`);
      focusLater(next.length ? `${baseId}-item-${Math.min(index, next.length - 1)}-title` : `${baseId}-add`);
    },
    add(value?: unknown) {
      const item = value ?? make(items);
      ctx.set(path, [...items, item]);
      announce(`${capitalise(itemLabel)} ${items.length + 1} added.`);
      focusLater(`${baseId}-item-${items.length}-title`, true);
    },
  };
}

export function ArrayEditor(props: FieldProps & { node: ArrayField }) {
  const ctx = useForm();
  const { node, path } = props;
  const ops = useListOps(path, node.itemLabel, (items) => newItem(node, items));
  const { items } = ops;
  const error = issueAt(ctx, path);
  const full = node.maxItems !== undefined && items.length >= node.maxItems;
  const leaf = node.item.kind !== 'object';
  return (
    <fieldset class="insp-group insp-list" aria-describedby={error ? `${ops.baseId}-error` : undefined}>
      <legend>
        {props.label ?? node.label} <span class="count">({items.length})</span>
      </legend>
      {error ? (
        <p class="field-error" id={`${ops.baseId}-error`}>
          {error}
        </p>
      ) : null}
      <ol class="insp-items">
        {items.map((item, i) => {
          const itemName = `${node.itemLabel} ${i + 1}`;
          const actions = (
            <ItemActions
              baseId={ops.itemId(i)}
              index={i}
              count={items.length}
              itemName={itemName}
              canRemove={items.length > node.minItems}
              removeHint={`Keep at least ${node.minItems}`}
              onMove={(to) => ops.move(i, to)}
              onRemove={() => ops.remove(i)}
            />
          );
          if (leaf) {
            return (
              <li key={i} class="insp-item leaf">
                <span id={`${ops.itemId(i)}-title`} tabIndex={-1} class="visually-hidden">
                  {capitalise(itemName)}
                </span>
                <FieldView node={node.item} path={[...path, i]} label={capitalise(itemName)} />
                {actions}
              </li>
            );
          }
          return (
            <ItemCard
              key={i}
              titleId={`${ops.itemId(i)}-title`}
              title={capitalise(itemName)}
              summary={itemSummary(node.item, item)}
              actions={actions}
            >
              <FieldList fields={node.item.kind === 'object' ? node.item.fields : []} path={[...path, i]} />
            </ItemCard>
          );
        })}
      </ol>
      <button type="button" class="button secondary small" id={`${ops.baseId}-add`} disabled={full} onClick={() => ops.add()}>
        Add {node.itemLabel}
      </button>
      {full ? <p class="field-hint">Up to {node.maxItems} — remove one to add another.</p> : null}
    </fieldset>
  );
}

/** One item of a list: a header (title, summary, actions) over its fields. */
export function ItemCard(props: {
  titleId: string;
  title: string;
  summary?: string;
  actions: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <li class="insp-item">
      <div class="item-head">
        <h4 id={props.titleId} tabIndex={-1} class="item-title">
          {props.title}
          {props.summary ? <span class="item-summary">{props.summary}</span> : null}
        </h4>
        {props.actions}
      </div>
      {props.children}
    </li>
  );
}
