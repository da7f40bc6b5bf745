import { useState } from 'preact/hooks';
import type { Activity } from '../../../../workers/contract';
import { api, type ApiError, call, asApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { session } from '../../state';
import { ActivityDialog } from '../activities/activity-form';
import { ActivityItem } from '../activities/activity-item';
import { browserTimeZone } from '../activities/activity-format';
import type { Deal, Member } from './deal-data';

/** Every activity of the deal: the open ones (overdue and due counted in the browser's zone) and the done ones. */
async function loadActivities(dealId: string): Promise<Activity[]> {
  const tz = browserTimeZone();
  const [open, done] = await Promise.all([
    call(api.activities.$get({ query: { deal: dealId, status: 'open', tz, limit: '200' } })),
    call(api.activities.$get({ query: { deal: dealId, status: 'done', tz, limit: '200' } })),
  ]);
  return [...open.activities, ...done.activities];
}

const byDue = (a: Activity, b: Activity) => a.dueAt - b.dueAt || a.id.localeCompare(b.id);
const byDoneLatest = (a: Activity, b: Activity) => (b.doneAt ?? 0) - (a.doneAt ?? 0) || b.id.localeCompare(a.id);

/**
 * The deal's activities, the heart of working it: what is next (open ones soonest first, overdue in
 * red), a flag when an open deal has nothing scheduled with the quick way to schedule one, done with
 * one click (and undone), edit and delete; the done ones below, latest first.
 */
export function DealActivities(props: { deal: Deal; members: Member[] }) {
  const { deal } = props;
  const list = useResource(() => loadActivities(deal.id), [deal.id]);
  const [dialog, setDialog] = useState<{ activity?: Activity } | null>(null);
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const edit = editable();
  const items = list.data ?? [];
  const open = items.filter((a) => !a.done).sort(byDue);
  const done = items.filter((a) => a.done).sort(byDoneLatest);

  const replace = (activity: Activity) => list.mutate((all) => [...all.filter((x) => x.id !== activity.id), activity]);

  const toggle = async (activity: Activity, isDone: boolean) => {
    setActionError(null);
    setPending((p) => new Set(p).add(activity.id));
    // Shown at once; the server's answer (with its `due`) replaces it, a refusal puts it back.
    replace({ ...activity, done: isDone, doneAt: isDone ? Date.now() : null, due: isDone ? null : activity.due });
    try {
      const saved = await call(api.activities[':id'].$patch({ param: { id: activity.id }, json: { done: isDone } }));
      replace(saved);
      // A single activity's `due` is counted by the UTC day; the list says it in the member's zone.
      if (!isDone) list.reload();
      toast(isDone ? `Done: ${activity.subject}` : `Not done: ${activity.subject}`);
    } catch (err) {
      replace(activity);
      setActionError(asApiError(err, 'The activity did not change.'));
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(activity.id);
        return next;
      });
    }
  };

  const remove = async (activity: Activity) => {
    const ok = await confirm({
      title: 'Delete this activity?',
      message: `“${activity.subject}” is deleted for everyone on the team.`,
      confirmLabel: 'Delete activity',
      danger: true,
    });
    if (!ok) return;
    setActionError(null);
    try {
      await call(api.activities[':id'].$delete({ param: { id: activity.id } }));
      list.mutate((all) => all.filter((x) => x.id !== activity.id));
      toast(`Deleted: ${activity.subject}`);
    } catch (err) {
      setActionError(asApiError(err, 'The activity was not deleted.'));
    }
  };

  const item = (a: Activity) => (
    <ActivityItem
      key={a.id}
      activity={a}
      busy={pending.has(a.id)}
      onToggle={(isDone) => void toggle(a, isDone)}
      onEdit={() => setDialog({ activity: a })}
      onDelete={() => void remove(a)}
    />
  );

  return (
    <section class="panel deal-activities" aria-labelledby="activities-heading">
      <div class="panel-head">
        <h2 id="activities-heading">Activities</h2>
        <button type="button" class="button small" onClick={() => setDialog({})} {...edit}>
          Add activity
        </button>
      </div>
      {list.error ? <InlineError error={list.error} onRetry={list.reload} title="The activities did not load." /> : null}
      {actionError ? <InlineError error={actionError} /> : null}
      {!list.data && list.loading ? <Skeleton rows={2} label="Loading the activities…" /> : null}
      {list.data && deal.status === 'open' && open.length === 0 ? (
        <div class="no-next-activity" role="note">
          <p>
            <strong>No next activity.</strong> Nothing is scheduled on this deal: plan the next step so it does not go cold.
          </p>
          <button type="button" class="button secondary small" onClick={() => setDialog({})} {...edit}>
            Schedule one
          </button>
        </div>
      ) : null}
      {open.length ? (
        <>
          <h3 class="sub-heading">To do</h3>
          <ul class="activity-list" aria-label="To do">
            {open.map(item)}
          </ul>
        </>
      ) : null}
      {done.length ? (
        <>
          <h3 class="sub-heading">Done</h3>
          <ul class="activity-list" aria-label="Done">
            {done.map(item)}
          </ul>
        </>
      ) : null}
      {list.data && items.length === 0 && deal.status !== 'open' ? <p class="muted">No activities were logged on this deal.</p> : null}
      {dialog ? (
        <ActivityDialog
          dealId={deal.id}
          dealName={deal.name}
          activity={dialog.activity}
          members={props.members}
          defaultAssignee={session.value.user.id}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            replace(saved);
            list.reload();
            setDialog(null);
            toast(dialog.activity ? 'Activity saved' : `Activity added: ${saved.subject}`);
          }}
        />
      ) : null}
    </section>
  );
}
