/** Activities on deals as services/activities.ts returns them and the deal page and "My activities" render them. */
import type { ActivityType, DueState } from '../domain/activities';

export type { ActivityType, DueState };
export { ACTIVITY_TYPES, DUE_STATES } from '../domain/activities';

export interface Activity {
  id: string;
  dealId: string;
  type: ActivityType;
  subject: string;
  /** The instant when `hasTime`; else midnight UTC of the date it is due (all that day). */
  dueAt: number;
  hasTime: boolean;
  durationMinutes: number | null;
  assigneeId: string | null;
  /** When it was marked done; null while open. */
  doneAt: number | null;
  done: boolean;
  notes: string | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  /** Overdue, today or upcoming in the time zone the request named (UTC otherwise); null once done. */
  due: DueState | null;
  deal: { id: string; name: string; pipelineId: string; stageId: string };
  assignee: { id: string; name: string } | null;
}

export interface ActivityPage {
  activities: Activity[];
  /** Pass as `cursor` (with the same filters) for the next page; null at the end. */
  nextCursor: string | null;
}

/** The earliest open activity of a deal, on board cards, the deal and the deals list. */
export interface NextActivity {
  id: string;
  type: ActivityType;
  subject: string;
  dueAt: number;
  hasTime: boolean;
  /** Past its moment (timed) or past its day (date-only; UTC day on the board unless a zone is given). */
  overdue: boolean;
}
