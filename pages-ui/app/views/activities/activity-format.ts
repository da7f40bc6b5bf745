/**
 * How activities read in the app: their types in words, when they are due (a time of day in the
 * member's zone, or a calendar date stored as midnight UTC), and the browser's time zone that the
 * API counts "today" and "overdue" in.
 */
import type { Activity, ActivityType } from '../../../../workers/contract';

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
  task: 'Task',
  deadline: 'Deadline',
};

/** A small glyph per type, decorative (the type is also said in words). */
export const ACTIVITY_TYPE_ICONS: Record<ActivityType, string> = {
  call: '☎',
  email: '✉',
  meeting: '◎',
  task: '✓',
  deadline: '⚑',
};

/** The member's IANA zone (sent as `tz`), so "today" is their today. */
export const browserTimeZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const dateLocal = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric' });
const dateLocalYear = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
const dateUtc = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateUtcYear = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const timeLocal = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

/** `YYYY-MM-DD` of today in the browser's zone. */
export function localIsoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The calendar date an activity is due, `YYYY-MM-DD`: local for a timed one, the stored UTC date for a date-only one. */
export const dueDate = (a: Pick<Activity, 'dueAt' | 'hasTime'>) =>
  a.hasTime ? localIsoDate(a.dueAt) : new Date(a.dueAt).toISOString().slice(0, 10);

/** "Today, 3:00 PM", "Tomorrow", "Yesterday, 9:30 AM", "Tue, Mar 3", "Mar 3, 2027". */
export function formatDue(a: Pick<Activity, 'dueAt' | 'hasTime'>, now = Date.now()): string {
  const date = dueDate(a);
  const today = localIsoDate(now);
  const dayMs = 86_400_000;
  const offset = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
  const thisYear = date.slice(0, 4) === today.slice(0, 4);
  const day =
    offset === 0
      ? 'Today'
      : offset === 1
        ? 'Tomorrow'
        : offset === -1
          ? 'Yesterday'
          : a.hasTime
            ? (thisYear ? dateLocal : dateLocalYear).format(a.dueAt)
            : (thisYear ? dateUtc : dateUtcYear).format(a.dueAt);
  return a.hasTime ? `${day}, ${timeLocal.format(a.dueAt)}` : day;
}

/** "15 min", "1 h", "1 h 30 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}
