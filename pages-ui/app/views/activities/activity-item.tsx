import type { Activity } from '../../../../workers/contract';
import { editable } from '../../shell/can-edit';
import { ACTIVITY_TYPE_ICONS, ACTIVITY_TYPE_LABELS, formatDue, formatMinutes } from './activity-format';
import './activities.css';

/**
 * One activity as a line: a checkbox that marks it done (or not) in one click, its type and subject,
 * when it is due (red and said "overdue" when it is), who does it, its deal (on My activities), and
 * edit / delete when the page offers them.
 */
export function ActivityItem(props: {
  activity: Activity;
  /** Shows the deal it belongs to, linked (My activities). */
  showDeal?: boolean;
  busy?: boolean;
  onToggle: (done: boolean) => void;
  onEdit?: () => void;
  onDelete?: () => void;
}) {
  const a = props.activity;
  const edit = editable();
  const overdue = !a.done && a.due === 'overdue';
  const checkId = `activity-done-${a.id}`;
  return (
    <li class={`activity${a.done ? ' is-done' : ''}${overdue ? ' is-overdue' : ''}`}>
      <input
        type="checkbox"
        id={checkId}
        class="activity-check"
        checked={a.done}
        onChange={(e) => props.onToggle(e.currentTarget.checked)}
        {...edit}
        disabled={edit.disabled || props.busy}
      />
      <div class="activity-body">
        <p class="activity-title">
          <span class="activity-icon" aria-hidden="true">
            {ACTIVITY_TYPE_ICONS[a.type]}
          </span>
          <label for={checkId} class="activity-subject">
            <span class="visually-hidden">{a.done ? 'Done: ' : 'Mark done: '}</span>
            {a.subject}
          </label>
        </p>
        <p class="activity-meta">
          <span class="activity-type-name">{ACTIVITY_TYPE_LABELS[a.type]}</span>
          <span class={overdue ? 'activity-due overdue' : 'activity-due'}>
            {overdue ? 'Overdue · ' : ''}
            <time dateTime={new Date(a.dueAt).toISOString()}>{formatDue(a)}</time>
          </span>
          {a.durationMinutes ? <span>{formatMinutes(a.durationMinutes)}</span> : null}
          <span>{a.assignee ? a.assignee.name : 'Unassigned'}</span>
          {props.showDeal ? (
            <span>
              <a href={`/app/deals/${a.deal.id}`}>{a.deal.name}</a>
            </span>
          ) : null}
        </p>
        {a.notes ? <p class="activity-notes">{a.notes}</p> : null}
      </div>
      {props.onEdit || props.onDelete ? (
        <div class="activity-actions">
          {props.onEdit ? (
            <button type="button" class="button secondary small" onClick={props.onEdit} {...edit}>
              Edit<span class="visually-hidden"> {a.subject}</span>
            </button>
          ) : null}
          {props.onDelete ? (
            <button type="button" class="button danger-outline small" onClick={props.onDelete} {...edit}>
              Delete<span class="visually-hidden"> {a.subject}</span>
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
