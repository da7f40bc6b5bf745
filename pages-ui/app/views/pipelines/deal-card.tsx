/**
 * One compact card of the board: the deal's name (a link to the deal page), value, owner, age in
 * the stage, the rotting flag and the next activity. The card is the drag source and a drop target
 * (the nearer edge shows where a dragged card lands); by keyboard Space lifts it (see board.tsx).
 */
import { combine } from '@atlaskit/pragmatic-drag-and-drop/combine';
import { draggable, dropTargetForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { Component } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatMoney } from '../../format';
import type { Card } from './board-state';

export const CARD_DRAG = 'leadflare-board-card';
const DAY_MS = 86_400_000;

export interface Owner {
  name: string;
  initials: string;
}

export interface DealCardProps {
  card: Card;
  stageId: string;
  /** The board's clock (server time of the load): ages and overdue activities are measured against it. */
  now: number;
  owner: Owner | undefined;
  lifted: boolean;
  draggable: boolean;
  /** An open stage: a deal there with no next activity is flagged. */
  open: boolean;
  onKeyDown: (e: KeyboardEvent, card: Card) => void;
}

function age(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  return days < 1 ? 'today' : `${days} d`;
}

const dueFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
/** A date-only activity is due all that day (midnight UTC marks the day). */
const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const ACTIVITY_LABEL: Record<string, string> = {
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
  task: 'Task',
  deadline: 'Deadline',
  lunch: 'Lunch',
};

/** Re-renders only when its own card or state changes: a column of 2,000 cards stays cheap to update. */
export class DealCard extends Component<DealCardProps> {
  override shouldComponentUpdate(next: DealCardProps) {
    const p = this.props;
    return (
      next.card !== p.card ||
      next.lifted !== p.lifted ||
      next.owner !== p.owner ||
      next.now !== p.now ||
      next.draggable !== p.draggable ||
      next.stageId !== p.stageId ||
      next.open !== p.open
    );
  }

  override render() {
    return <DealCardView {...this.props} />;
  }
}

function DealCardView(props: DealCardProps) {
  const { card } = props;
  const element = useRef<HTMLAnchorElement>(null);
  const [dragging, setDragging] = useState(false);
  const [edge, setEdge] = useState<'top' | 'bottom' | null>(null);
  const onKeyDown = useRef(props.onKeyDown);
  onKeyDown.current = props.onKeyDown;

  useEffect(() => {
    const el = element.current;
    if (!el || !props.draggable) return;
    return combine(
      draggable({
        element: el,
        getInitialData: () => ({ kind: CARD_DRAG, id: card.id, stageId: props.stageId }),
        onDragStart: () => setDragging(true),
        onDrop: () => setDragging(false),
      }),
      dropTargetForElements({
        element: el,
        canDrop: ({ source }) => source.data.kind === CARD_DRAG,
        getData: ({ input }) => {
          const rect = el.getBoundingClientRect();
          return { kind: 'card', id: card.id, stageId: props.stageId, edge: input.clientY < rect.top + rect.height / 2 ? 'top' : 'bottom' };
        },
        onDrag: ({ self, source }) => setEdge(source.data.id === card.id ? null : (self.data.edge as 'top' | 'bottom')),
        onDragLeave: () => setEdge(null),
        onDrop: () => setEdge(null),
      }),
    );
  }, [card.id, props.stageId, props.draggable]);

  const classes = ['deal-card'];
  if (card.rotting) classes.push('is-rotting');
  if (dragging) classes.push('is-dragging');
  if (props.lifted) classes.push('is-lifted');
  if (edge) classes.push(`drop-${edge}`);
  const inStage = Math.max(0, props.now - card.stageEnteredAt);
  const activity = card.nextActivity;
  const overdue = activity?.overdue ?? false;

  return (
    <a
      ref={element}
      href={`/app/deals/${card.id}`}
      class={classes.join(' ')}
      data-deal-id={card.id}
      aria-describedby="board-help"
      onKeyDown={(e) => onKeyDown.current(e, card)}
    >
      <span class="deal-card-name">{card.name}</span>
      <span class="deal-card-facts">
        <span class="deal-card-value">{formatMoney(card.valueMinor, card.currency)}</span>
        {props.owner ? (
          <span class="deal-card-owner" title={props.owner.name}>
            <span aria-hidden="true">{props.owner.initials}</span>
            <span class="visually-hidden">owner {props.owner.name}</span>
          </span>
        ) : null}
        <span class="deal-card-age" title="Time in this stage">
          <span class="visually-hidden">in stage </span>
          {age(inStage)}
        </span>
        {card.rotting ? <span class="deal-card-rotting">Rotting</span> : null}
        {activity === null && props.open ? <span class="deal-card-noact">No activity</span> : null}
      </span>
      {activity ? (
        <span class={overdue ? 'deal-card-activity is-overdue' : 'deal-card-activity'}>
          {overdue ? 'Overdue ' : ''}
          {ACTIVITY_LABEL[activity.type] ?? activity.type}: {activity.subject} ·{' '}
          {(activity.hasTime ? dueFormat : dayFormat).format(activity.dueAt)}
        </span>
      ) : null}
    </a>
  );
}
