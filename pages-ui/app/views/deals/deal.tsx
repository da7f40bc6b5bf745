import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call, asApiError } from '../../api';
import { formatMoney } from '../../format';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { formatDateTime } from '../leads/labels';
import {
  closingStage,
  formatCalendarDate,
  loadDealPage,
  memberName,
  reopenStage,
  timeInStages,
  type Deal,
  type DealPageData,
  type Stage,
} from './deal-data';
import { DealActivities } from './deal-activities';
import { DealForm } from './deal-form';
import { LeadPanels } from './lead-panels';
import { LostDialog } from './lost-dialog';
import { StageBar } from './stage-bar';
import { StageHistory } from './stage-history';
import './deals.css';

const STATUS_LABEL = { open: 'Open', won: 'Won', lost: 'Lost' } as const;

/**
 * One deal, as a salesperson works it: the stage bar (click to move), won / lost / reopen, its
 * fields edited in place, its activities, the stage history, and the lead's journey and submissions.
 */
export default function DealView(props: { id: string }) {
  const page = useResource(() => loadDealPage(props.id), [props.id]);

  if (page.error?.status === 404) {
    return (
      <View title="Deal not found" crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }]}>
        <EmptyState title="There is no such deal in this workspace" action={<a href="/app/pipelines">See the pipelines</a>}>
          It may have been deleted, or it belongs to another of your workspaces: switch workspace in the menu.
        </EmptyState>
      </View>
    );
  }
  const data = page.data;
  return (
    <View
      title={data?.deal.name ?? 'Deal'}
      crumbs={[
        { href: '/app/pipelines', label: 'Pipelines' },
        ...(data ? [{ href: `/app/pipelines/${data.pipeline.id}`, label: data.pipeline.name }] : []),
      ]}
    >
      {page.error ? <InlineError error={page.error} onRetry={page.reload} title="The deal did not load." /> : null}
      {!data && page.loading ? <Skeleton rows={8} label="Loading the deal…" /> : null}
      {data ? <DealBody data={data} onChange={(deal) => page.mutate((d) => ({ ...d, deal }))} onReload={page.reload} /> : null}
    </View>
  );
}

function DealBody(props: { data: DealPageData; onChange: (deal: Deal) => void; onReload: () => void }) {
  const { deal, pipeline, members } = props.data;
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<Stage | null>(null);
  const [moveError, setMoveError] = useState<ApiError | null>(null);
  const now = Date.now();
  const spent = timeInStages(deal, now);
  const stage = pipeline.stages.find((s) => s.id === deal.stageId);
  const won = closingStage(pipeline, 'won');
  const lost = closingStage(pipeline, 'lost');
  const reopen = reopenStage(deal, pipeline.stages);
  const edit = editable();

  /** Moves the deal, then reads it again: the history and the times in stages change with it. */
  const moveTo = async (to: Stage, lostReason?: string) => {
    setBusy(true);
    setMoveError(null);
    try {
      await call(api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: to.id, ...(lostReason ? { lostReason } : {}) } }));
      const fresh = await call(api.deals[':id'].$get({ param: { id: deal.id } }));
      props.onChange(fresh);
      toast(
        to.kind === 'won' && deal.status !== 'won'
          ? `Won: “${deal.name}”`
          : to.kind === 'lost'
            ? `Marked lost: “${deal.name}”`
            : deal.status !== 'open'
              ? `Reopened in ${to.name}`
              : `Moved to ${to.name}`,
      );
    } finally {
      setBusy(false);
    }
  };

  const move = (to: Stage) => {
    if (to.kind === 'lost') return setAsking(to);
    moveTo(to).catch((err: unknown) => setMoveError(asApiError(err, 'The deal did not move.')));
  };

  const remove = async () => {
    const ok = await confirm({
      title: 'Delete this deal?',
      message: `“${deal.name}” and its activities and stage history are deleted for everyone. This cannot be undone.`,
      confirmLabel: 'Delete deal',
      danger: true,
    });
    if (!ok) return;
    try {
      await call(api.deals[':id'].$delete({ param: { id: deal.id } }));
      toast(`Deleted “${deal.name}”`);
      route(`/app/pipelines/${pipeline.id}`);
    } catch (err) {
      setMoveError(asApiError(err, 'The deal was not deleted.'));
    }
  };

  return (
    <>
      <div class="deal-header">
        <p class="deal-status-line">
          <span class={`status status-${deal.status}`}>{STATUS_LABEL[deal.status]}</span>
          <strong class="deal-value">{formatMoney(deal.valueMinor, deal.currency)}</strong>
          <span class="muted">
            {stage?.name ?? 'No stage'} · {deal.ownerId ? `owner ${memberName(deal.ownerId, members)}` : 'no owner'}
            {deal.expectedCloseAt !== null ? <> · expected to close {formatCalendarDate(deal.expectedCloseAt)}</> : null}
            {deal.closedAt !== null ? <> · closed {formatDateTime(deal.closedAt)}</> : null}
          </span>
        </p>
        <div class="deal-actions">
          {deal.status === 'open' ? (
            <>
              {won ? (
                <button type="button" class="button won-button" onClick={() => move(won)} {...edit} disabled={edit.disabled || busy}>
                  Won
                </button>
              ) : null}
              {lost ? (
                <button type="button" class="button danger" onClick={() => move(lost)} {...edit} disabled={edit.disabled || busy}>
                  Lost
                </button>
              ) : null}
            </>
          ) : reopen ? (
            <button type="button" class="button secondary" onClick={() => move(reopen)} {...edit} disabled={edit.disabled || busy}>
              Reopen
            </button>
          ) : null}
          <button type="button" class="button danger-outline" onClick={() => void remove()} {...edit}>
            Delete…
          </button>
        </div>
      </div>
      {deal.status === 'lost' && deal.lostReason ? (
        <p class="lost-reason">
          <strong>Lost because:</strong> {deal.lostReason}
        </p>
      ) : null}
      {moveError ? <InlineError error={moveError} onRetry={props.onReload} title="Not done." /> : null}
      <StageBar deal={deal} stages={pipeline.stages} spent={spent} busy={busy} onMove={move} />
      <div class="deal-columns">
        <div class="deal-side">
          <DealForm deal={deal} members={members} onSaved={props.onChange} />
          <StageHistory deal={deal} stages={pipeline.stages} members={members} now={now} />
        </div>
        <div class="deal-main">
          <DealActivities deal={deal} members={members} />
          <LeadPanels leadId={deal.leadId} />
        </div>
      </div>
      {asking ? (
        <LostDialog
          dealName={deal.name}
          stageName={asking.name}
          onClose={() => setAsking(null)}
          onSubmit={async (reason) => {
            await moveTo(asking, reason);
            setAsking(null);
          }}
        />
      ) : null}
    </>
  );
}
