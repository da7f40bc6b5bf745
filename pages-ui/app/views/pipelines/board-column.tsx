/**
 * One stage column: its head (name, probability, count, value and weighted value per currency,
 * rotting count, quick add) and its cards in a list that scrolls on its own and loads the next
 * page when its end comes near (an IntersectionObserver on a sentinel after the last card).
 */
import { dropTargetForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatCount, formatTotals, parseAmount } from '../../format';
import type { Card, ColumnState } from './board-state';
import { CARD_DRAG, DealCard, type Owner } from './deal-card';

export interface BoardColumnProps {
  column: ColumnState;
  now: number;
  owners: Map<string, Owner>;
  liftedId: string | null;
  canEdit: boolean;
  /** The phone layout shows one column: this one. */
  current: boolean;
  currency: string;
  loadingMore: boolean;
  loadError: string | null;
  onLoadMore: (stageId: string) => void;
  onCardKeyDown: (e: KeyboardEvent, card: Card) => void;
  onQuickAdd: (stageId: string, name: string, valueMinor: number, currency: string) => Promise<string | null>;
}

const weighted = (totals: ColumnState['totals']) =>
  formatTotals(totals.map((t) => ({ currency: t.currency, valueMinor: t.weightedValueMinor })));

export function BoardColumn(props: BoardColumnProps) {
  const { column } = props;
  const { stage } = column;
  const list = useRef<HTMLOListElement>(null);
  const sentinel = useRef<HTMLLIElement>(null);
  const [over, setOver] = useState(false);
  const [adding, setAdding] = useState(false);
  const headingId = `column-${stage.id}`;
  const loadMore = useRef(() => props.onLoadMore(stage.id));
  loadMore.current = () => props.onLoadMore(stage.id);

  // The list itself takes drops below the last card and into an empty column.
  useEffect(() => {
    const el = list.current;
    if (!el || !props.canEdit) return;
    return dropTargetForElements({
      element: el,
      canDrop: ({ source }) => source.data.kind === CARD_DRAG,
      getData: () => ({ kind: 'column', stageId: stage.id }),
      onDragEnter: () => setOver(true),
      onDragLeave: () => setOver(false),
      onDrop: () => setOver(false),
    });
  }, [stage.id, props.canEdit]);

  const hasMore = column.next !== null;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore.current(), {
      root: list.current,
      rootMargin: '0px 0px 600px 0px',
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, column.deals.length]);

  const kind = stage.kind === 'open' ? `${stage.winProbability}%` : stage.kind === 'won' ? 'Won' : 'Lost';
  return (
    <section
      class={['board-col', `is-${stage.kind}`, props.current ? 'is-current' : '', over ? 'is-over' : ''].join(' ')}
      aria-labelledby={headingId}
      data-stage-id={stage.id}
    >
      <header class="board-col-head">
        <div class="board-col-title">
          <h2 id={headingId}>{stage.name}</h2>
          <span class="board-col-kind" title={stage.kind === 'open' ? 'Win probability' : undefined}>
            {kind}
          </span>
          {/* A lost deal needs its reason: deals reach the lost stage by a move, which asks for it. */}
          {props.canEdit && stage.kind !== 'lost' ? (
            <button
              type="button"
              class="board-col-add"
              aria-label={`Add a deal to ${stage.name}`}
              aria-expanded={adding}
              onClick={() => setAdding((a) => !a)}
            >
              +
            </button>
          ) : null}
        </div>
        <p class="board-col-meta">
          <span class="board-col-count">
            {formatCount(column.count)} {column.count === 1 ? 'deal' : 'deals'}
          </span>{' '}
          · {formatTotals(column.totals)}
          {stage.kind === 'open' && column.totals.length ? (
            <span class="board-col-weighted"> · weighted {weighted(column.totals)}</span>
          ) : null}
          {column.rottingCount ? <span class="board-col-rotting"> · {formatCount(column.rottingCount)} rotting</span> : null}
        </p>
        {adding ? (
          <QuickAdd
            stageName={stage.name}
            currency={props.currency}
            onClose={() => setAdding(false)}
            onAdd={(name, valueMinor, currency) => props.onQuickAdd(stage.id, name, valueMinor, currency)}
          />
        ) : null}
      </header>
      <ol class="board-cards" ref={list} aria-labelledby={headingId}>
        {column.deals.map((card) => (
          <li key={card.id}>
            <DealCard
              card={card}
              stageId={stage.id}
              now={props.now}
              owner={card.ownerId ? props.owners.get(card.ownerId) : undefined}
              lifted={props.liftedId === card.id}
              draggable={props.canEdit}
              open={stage.kind === 'open'}
              onKeyDown={props.onCardKeyDown}
            />
          </li>
        ))}
        {column.count === 0 && column.deals.length === 0 ? (
          <li class="board-col-empty">{props.canEdit ? 'No deals. Drop one here or press + to add.' : 'No deals.'}</li>
        ) : null}
        {hasMore ? (
          <li ref={sentinel} class="board-col-more" aria-live="polite">
            {props.loadError ? (
              <span class="field-error">
                {props.loadError}{' '}
                <button type="button" class="button secondary small" onClick={() => props.onLoadMore(stage.id)}>
                  Retry
                </button>
              </span>
            ) : props.loadingMore ? (
              'Loading more deals…'
            ) : (
              `${formatCount(column.count - column.deals.length)} more`
            )}
          </li>
        ) : null}
      </ol>
    </section>
  );
}

/** The quick add at the column head: a name and a value; Enter adds, Escape closes. */
function QuickAdd(props: {
  stageName: string;
  currency: string;
  onClose: () => void;
  onAdd: (name: string, valueMinor: number, currency: string) => Promise<string | null>;
}) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);
  const id = `quick-add-${props.stageName.replace(/\W+/g, '-')}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the deal a name.');
    const amount = value.trim() ? parseAmount(value, props.currency) : { minor: 0 };
    if ('error' in amount) return setError(amount.error);
    setError(null);
    // Cleared at once, with the card: the next deal can be typed while this one is saved.
    setName('');
    setValue('');
    nameInput.current?.focus();
    const refused = await props.onAdd(name.trim(), amount.minor, props.currency);
    if (!refused) return;
    // Refused: the card is gone again, so give the typed values back with the reason.
    setName(name);
    setValue(value);
    setError(refused);
  };

  return (
    <form
      class="quick-add"
      onSubmit={submit}
      noValidate
      aria-label={`New deal in ${props.stageName}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <label class="visually-hidden" for={`${id}-name`}>
        Deal name
      </label>
      <input
        ref={nameInput}
        id={`${id}-name`}
        value={name}
        maxLength={200}
        placeholder="Deal name"
        autocomplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label class="visually-hidden" for={`${id}-value`}>
        Value ({props.currency})
      </label>
      <input
        id={`${id}-value`}
        value={value}
        inputMode="decimal"
        placeholder={`Value (${props.currency})`}
        autocomplete="off"
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button type="submit" class="button small">
        Add
      </button>
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
