/**
 * Activities (calls, emails, meetings, tasks, deadlines) on deals, and when one is due.
 *
 * An activity is due at a moment (`hasTime`: a time of day, `dueAt` the instant) or on a date
 * (`hasTime` false: `dueAt` is midnight UTC of that calendar date, and it is due all that day).
 * "Today" is a calendar day in a time zone: the one the caller names (the browser's), else UTC,
 * the day every report of the app uses. A timed activity is overdue once its moment has passed; a
 * date-only one only once its whole day is over where the member is.
 */
export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'task', 'deadline'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Where an open activity stands against the clock. */
export const DUE_STATES = ['overdue', 'today', 'upcoming'] as const;
export type DueState = (typeof DUE_STATES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface Due {
  dueAt: number;
  hasTime: boolean;
}

/** Today in a time zone, as the due classification needs it. */
export interface DueWindow {
  now: number;
  timeZone: string;
  /** Today's calendar date there, `YYYY-MM-DD`. */
  today: string;
  /** Midnight UTC of that date: how a date-only activity due today stores its `dueAt`. */
  todayDate: number;
  /** The instant today ends there (the next day's midnight in the zone). */
  todayEnd: number;
}

/** Whether `timeZone` is an IANA zone name the runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock parts of `ms` in `timeZone`, as a UTC timestamp (so `wallClock - ms` is the zone's offset then). */
function wallClock(ms: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(ms)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  return Date.UTC(part.year!, part.month! - 1, part.day, part.hour, part.minute, part.second) + (ms % 1000);
}

/** Midnight UTC of the calendar date `ms` falls on in `timeZone`. */
export function dateIn(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * The instant the calendar date `date` (midnight UTC of it) begins in `timeZone`. Offsets change
 * across a day at most by a DST step, so two corrections settle it; where midnight itself is
 * skipped by DST, the day begins at the first instant after the gap.
 */
export function startOfDateIn(date: number, timeZone: string): number {
  let guess = date;
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(guess, timeZone) - guess;
    const next = date - offset;
    if (next === guess) break;
    guess = next;
  }
  // In a gap the guess can land on the day before; step forward to the date itself.
  while (dateIn(guess, timeZone) < date) guess += 60 * 60 * 1000;
  return guess;
}

export const isoDate = (date: number) => new Date(date).toISOString().slice(0, 10);

export function dueWindow(now: number, timeZone = 'UTC'): DueWindow {
  const todayDate = dateIn(now, timeZone);
  return { now, timeZone, today: isoDate(todayDate), todayDate, todayEnd: startOfDateIn(todayDate + DAY_MS, timeZone) };
}

/**
 * Overdue, due today (still ahead today, or a date-only activity of today), or upcoming (after today).
 * Done activities are not due at all; callers check that first.
 */
export function dueState(activity: Due, window: DueWindow): DueState {
  if (activity.hasTime) {
    if (activity.dueAt < window.now) return 'overdue';
    return activity.dueAt < window.todayEnd ? 'today' : 'upcoming';
  }
  if (activity.dueAt < window.todayDate) return 'overdue';
  return activity.dueAt < window.todayDate + DAY_MS ? 'today' : 'upcoming';
}

export const isOverdue = (activity: Due, window: DueWindow) => dueState(activity, window) === 'overdue';

/** A date-only activity's `dueAt` must be midnight UTC of its date. */
export const isMidnightUtc = (ms: number) => ms % DAY_MS === 0;
