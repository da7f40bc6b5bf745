/** How the lead views say events, stages, score lines and times in words. */

export const STAGE_LABELS: Record<string, string> = {
  awareness: 'Awareness',
  interest: 'Interest',
  evaluation: 'Evaluation',
  desire: 'Desire',
  sale: 'Sale',
  retention: 'Retention',
};

export const stageLabel = (stage: string | null | undefined) => (stage ? (STAGE_LABELS[stage] ?? stage) : 'Not seen on a page');

const EVENT_LABELS: Record<string, string> = {
  page_view: 'Viewed a page',
  engaged: 'Read on (scrolled or stayed)',
  cta_click: 'Clicked a button',
  form_start: 'Started a form',
  form_submit: 'Sent a form',
  quiz_start: 'Started the quiz',
  quiz_answer: 'Answered a quiz question',
  quiz_complete: 'Finished the quiz',
  lead_magnet_download: 'Downloaded the lead magnet',
  chat_email: 'Gave their email in the chat',
  offer_view: 'Saw the offer',
  checkout_start: 'Started checkout',
  purchase: 'Bought',
  repeat_purchase: 'Bought again',
  refund: 'Was refunded',
  unsubscribe: 'Unsubscribed',
};

export const eventLabel = (type: string) => EVENT_LABELS[type] ?? type.replace(/_/g, ' ');

/** One line of the score's "why": what earned the points, in words. */
export function scoreLineLabel(line: { kind: string; key: string }): string {
  switch (line.kind) {
    case 'event':
      return eventLabel(line.key);
    case 'quiz_outcome':
      return `Quiz outcome “${line.key}”`;
    case 'field': {
      const at = line.key.indexOf('=');
      return at > 0 ? `Answered “${line.key.slice(at + 1)}” to ${line.key.slice(0, at)}` : `Field ${line.key}`;
    }
    case 'lead_magnet':
      return line.key ? `Lead magnet ${line.key}` : 'Took the lead magnet';
    default:
      return line.key;
  }
}

/** "+10", "−5": the sign always shown, with a real minus sign. */
export const formatPoints = (points: number) => (points < 0 ? `−${Math.abs(points)}` : `+${points}`);

const dateTime = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const dayOnly = new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
const timeOnly = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

export const formatDateTime = (ms: number) => dateTime.format(ms);

const monthDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const monthDayYear = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
/** "Dec 7" this year, "Dec 7, 2025" before: short enough for a table column. */
export const formatShortDate = (ms: number, now = Date.now()) =>
  new Date(ms).getFullYear() === new Date(now).getFullYear() ? monthDay.format(ms) : monthDayYear.format(ms);
export const formatDay = (ms: number) => dayOnly.format(ms);
export const formatTime = (ms: number) => timeOnly.format(ms);

/** Events grouped by the local day they happened on, in the order given (for the journey's day headings). */
export function groupByDay<T extends { occurredAt: number }>(events: readonly T[]): Array<{ day: string; events: T[] }> {
  const groups: Array<{ day: string; events: T[] }> = [];
  for (const event of events) {
    const day = formatDay(event.occurredAt);
    const last = groups.at(-1);
    if (last?.day === day) last.events.push(event);
    else groups.push({ day, events: [event] });
  }
  return groups;
}

/** A touch's attribution in one line: "google / cpc · spring-sale", or "direct". */
export function touchSummary(touch: { source?: string; medium?: string; campaign?: string; referrer?: string } | null | undefined): string {
  if (!touch) return 'Direct';
  const parts = [[touch.source, touch.medium].filter(Boolean).join(' / '), touch.campaign].filter(Boolean);
  if (parts.length) return parts.join(' · ');
  if (touch.referrer) {
    try {
      return `Referred by ${new URL(touch.referrer).host}`;
    } catch {
      return `Referred by ${touch.referrer}`;
    }
  }
  return 'Direct';
}
