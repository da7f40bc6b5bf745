import { formatDuration } from '../../format';
import { formatDateTime } from '../leads/labels';
import { actorName, type Deal, type Member, type Stage } from './deal-data';

/**
 * Every stage the deal entered, newest first: when, who moved it (a member, an automation, a rule)
 * and how long it stayed (the current stage: so far).
 */
export function StageHistory(props: { deal: Deal; stages: Stage[]; members: Member[]; now: number }) {
  const { deal } = props;
  const stageName = (id: string | null) => (id ? (props.stages.find((s) => s.id === id)?.name ?? 'A deleted stage') : null);
  return (
    <section class="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">Stage history</h2>
      {deal.history.length === 0 ? (
        <p class="muted">No moves recorded.</p>
      ) : (
        <ol class="stage-history">
          {deal.history.map((row, i) => {
            // Rows are newest first: the stay in this row's stage ended with the row before it.
            const stay = i === 0 ? Math.max(0, props.now - row.movedAt) : deal.history[i - 1]!.msInFromStage;
            const from = stageName(row.fromStageId);
            return (
              <li key={row.id}>
                <p class="stage-history-what">
                  <strong>{stageName(row.toStageId)}</strong>
                  <span class="muted">{from ? ` from ${from}` : ' (created here)'}</span>
                </p>
                <p class="stage-history-meta muted">
                  {actorName(row.movedBy, props.members)} ·{' '}
                  <time dateTime={new Date(row.movedAt).toISOString()}>{formatDateTime(row.movedAt)}</time> ·{' '}
                  {i === 0 ? `${formatDuration(stay)} so far` : `${formatDuration(stay)} there`}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
