import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import type { Activity, DueState } from '../../../../workers/contract';
import { api, type ApiError, call, asApiError } from '../../api';
import { formatCount } from '../../format';
import { useCursorPages } from '../../shell/cursor-pages';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { ActivityItem } from './activity-item';
import { browserTimeZone } from './activity-format';

type Who = 'me' | 'all';

const GROUPS: Array<{ due: DueState; title: string }> = [
  { due: 'overdue', title: 'Overdue' },
  { due: 'today', title: 'Today' },
  { due: 'upcoming', title: 'Upcoming' },
];

interface Page {
  activities: Activity[];
  nextCursor: string | null;
}

function loadPage(who: Who, cursor?: string): Promise<Page> {
  return call(
    api.activities.$get({
      query: {
        ...(who === 'me' ? { assignee: 'me' } : {}),
        due: 'overdue,today,upcoming',
        tz: browserTimeZone(),
        limit: '100',
        ...(cursor ? { cursor } : {}),
      },
    }),
  );
}

/**
 * The day's work: the signed-in member's open activities (or everyone's) in three groups, overdue,
 * today and upcoming, soonest first; each done with one click (and undone while still on screen),
 * each linked to its deal.
 */
export default function MyActivities() {
  const { query, route } = useLocation();
  const who: Who = query.who === 'all' ? 'all' : 'me';
  const list = useCursorPages<Activity>(
    async (cursor) => {
      const page = await loadPage(who, cursor);
      return { items: page.activities, nextCursor: page.nextCursor };
    },
    [who],
  );
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<Set<string>>(new Set());
  /** Activities changed here, shown as changed in place until the next load (so "undo" is one click away). */
  const [changed, setChanged] = useState<Record<string, Activity>>({});

  const items = list.items.map((a) => changed[a.id] ?? a);
  const openCount = items.filter((a) => !a.done).length;

  const setWho = (next: Who) => {
    setChanged({});
    route(next === 'all' ? '/app/activities?who=all' : '/app/activities', true);
  };

  const toggle = async (activity: Activity, isDone: boolean) => {
    setActionError(null);
    setPending((p) => new Set(p).add(activity.id));
    setChanged((c) => ({ ...c, [activity.id]: { ...activity, done: isDone, doneAt: isDone ? Date.now() : null } }));
    try {
      const saved = await call(api.activities[':id'].$patch({ param: { id: activity.id }, json: { done: isDone } }));
      // Keep it in its group while on screen, so the member can undo the click.
      setChanged((c) => ({ ...c, [activity.id]: { ...saved, due: activity.due } }));
      toast(isDone ? `Done: ${activity.subject}` : `Not done: ${activity.subject}`);
    } catch (err) {
      setChanged((c) => ({ ...c, [activity.id]: activity }));
      setActionError(asApiError(err, 'The activity did not change.'));
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(activity.id);
        return next;
      });
    }
  };

  return (
    <View
      title="Activities"
      lede={
        list.loaded
          ? `${formatCount(openCount)} open ${openCount === 1 ? 'activity' : 'activities'} ${who === 'me' ? 'assigned to you' : 'for the whole team'}${list.hasMore ? ' so far' : ''}.`
          : undefined
      }
    >
      <div class="who-switch" role="group" aria-label="Whose activities">
        <button type="button" class="button secondary small" aria-pressed={who === 'me'} onClick={() => setWho('me')}>
          Mine
        </button>
        <button type="button" class="button secondary small" aria-pressed={who === 'all'} onClick={() => setWho('all')}>
          Everyone’s
        </button>
      </div>
      {list.error ? <InlineError error={list.error} onRetry={list.reload} title="The activities did not load." /> : null}
      {actionError ? <InlineError error={actionError} /> : null}
      {!list.loaded && list.loading ? <Skeleton rows={5} label="Loading the activities…" /> : null}
      {list.loaded && items.length === 0 ? (
        <EmptyState
          title={who === 'me' ? 'Nothing on your list' : 'Nothing scheduled for the team'}
          action={<a href="/app/pipelines">Open a pipeline</a>}
        >
          {who === 'me'
            ? 'You have no open calls, emails, meetings or tasks. Open a deal and schedule its next step: it shows up here on the day it is due.'
            : 'No one has an open activity. Open a deal and schedule its next step.'}
        </EmptyState>
      ) : null}
      {GROUPS.map((group) => {
        const inGroup = items.filter((a) => a.due === group.due);
        if (!inGroup.length) return null;
        const headingId = `group-${group.due}`;
        return (
          <section key={group.due} class={`panel activity-group group-${group.due}`} aria-labelledby={headingId}>
            <h2 id={headingId}>
              {group.title} <span class="group-count">{formatCount(inGroup.filter((a) => !a.done).length)}</span>
            </h2>
            <ul class="activity-list">
              {inGroup.map((a) => (
                <ActivityItem key={a.id} activity={a} showDeal busy={pending.has(a.id)} onToggle={(isDone) => void toggle(a, isDone)} />
              ))}
            </ul>
          </section>
        );
      })}
      {list.moreError ? <InlineError error={list.moreError} onRetry={list.loadMore} /> : null}
      {list.hasMore ? (
        <button type="button" class="button secondary" onClick={list.loadMore} disabled={list.moreBusy}>
          {list.moreBusy ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </View>
  );
}
