/**
 * Activities on deals: list (by deal, assignee, status, due state; keyset paged by due), create,
 * read, edit (incl. done / reopen), delete; each deal's next activity as one SQL expression for the
 * board, the deal and the deals list; and the scheduler's `activity.due` webhook sweep.
 *
 * Every query names the workspace. An activity belongs to a deal of its workspace and is assigned
 * to a member (or nobody); a deal of another workspace is "not found", like any of its rows.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { activities, deals, memberships, users } from '../../db/schema';
import type { Db } from '../../db/types';
import type { Activity, ActivityPage, NextActivity } from '../contract/activities';
import { DAY_MS, dueState, isMidnightUtc, type ActivityType, type DueState, type DueWindow } from '../domain/activities';
import { notFound, validationFailed, type FieldIssue } from '../domain/errors';
import type { OutboxEvent } from './webhook-outbox';
import { commitWithEvents, type WriteCtx } from './write-context';

type ActivityRow = typeof activities.$inferSelect;

export interface NewActivity {
  dealId: string;
  type: ActivityType;
  subject: string;
  dueAt: number;
  hasTime: boolean;
  durationMinutes?: number | null;
  /** Undefined: the member creating it; null: nobody. */
  assigneeId?: string | null;
  notes?: string | null;
  /** Logged as already done (a call that just happened). */
  done?: boolean;
}

export interface ActivityPatch {
  type?: ActivityType;
  subject?: string;
  dueAt?: number;
  hasTime?: boolean;
  durationMinutes?: number | null;
  assigneeId?: string | null;
  notes?: string | null;
  /** true: mark done (keeps the first done time); false: reopen. */
  done?: boolean;
}

export interface ActivityQuery {
  dealId?: string;
  assigneeId?: string;
  status?: 'open' | 'done';
  /** Open activities in any of these states (implies open). */
  due?: DueState[];
  cursor?: string;
  limit: number;
}

// ── Reading ──────────────────────────────────────────────────────────────────

const activityColumns = {
  activity: activities,
  dealName: deals.name,
  pipelineId: deals.pipelineId,
  stageId: deals.stageId,
  assigneeName: users.name,
};

type JoinedRow = { activity: ActivityRow; dealName: string; pipelineId: string; stageId: string; assigneeName: string | null };

function view(row: JoinedRow, window: DueWindow): Activity {
  const a = row.activity;
  return {
    id: a.id,
    dealId: a.dealId,
    type: a.type,
    subject: a.subject,
    dueAt: a.dueAt,
    hasTime: a.hasTime,
    durationMinutes: a.durationMinutes,
    assigneeId: a.assigneeId,
    doneAt: a.doneAt,
    done: a.doneAt !== null,
    notes: a.notes,
    createdBy: a.createdBy,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    due: a.doneAt === null ? dueState(a, window) : null,
    deal: { id: a.dealId, name: row.dealName, pipelineId: row.pipelineId, stageId: row.stageId },
    assignee: a.assigneeId && row.assigneeName !== null ? { id: a.assigneeId, name: row.assigneeName } : null,
  };
}

function joinedSelect(db: Db) {
  return db
    .select(activityColumns)
    .from(activities)
    .innerJoin(deals, eq(deals.id, activities.dealId))
    .leftJoin(users, eq(users.id, activities.assigneeId));
}

/**
 * The SQL twin of `dueState`: open activities in `state` at `window`, plus a plain range on due_at
 * that lets the by-due indexes skip what cannot match.
 */
function dueCondition(state: DueState, w: DueWindow): { match: SQL; from?: number; before?: number } {
  const timed = sql`${activities.hasTime} = 1`;
  const dated = sql`${activities.hasTime} = 0`;
  const tomorrowDate = w.todayDate + DAY_MS;
  switch (state) {
    case 'overdue':
      return {
        match: sql`((${timed} and ${activities.dueAt} < ${w.now}) or (${dated} and ${activities.dueAt} < ${w.todayDate}))`,
        before: Math.max(w.now, w.todayDate),
      };
    case 'today':
      return {
        match: sql`((${timed} and ${activities.dueAt} >= ${w.now} and ${activities.dueAt} < ${w.todayEnd})
          or (${dated} and ${activities.dueAt} >= ${w.todayDate} and ${activities.dueAt} < ${tomorrowDate}))`,
        from: Math.min(w.now, w.todayDate),
        before: Math.max(w.todayEnd, tomorrowDate),
      };
    case 'upcoming':
      return {
        match: sql`((${timed} and ${activities.dueAt} >= ${w.todayEnd}) or (${dated} and ${activities.dueAt} >= ${tomorrowDate}))`,
        from: Math.min(w.todayEnd, tomorrowDate),
      };
  }
}

function dueConditions(states: DueState[], w: DueWindow): Array<SQL | undefined> {
  const parts = [...new Set(states)].map((s) => dueCondition(s, w));
  const froms = parts.map((p) => p.from ?? -Infinity);
  const befores = parts.map((p) => p.before ?? Infinity);
  const from = Math.min(...froms);
  const before = Math.max(...befores);
  return [
    or(...parts.map((p) => p.match)),
    Number.isFinite(from) ? gte(activities.dueAt, from) : undefined,
    Number.isFinite(before) ? lt(activities.dueAt, before) : undefined,
  ];
}

/** `<dueAt>.<id>` of the last activity of a page. */
function decodeDueCursor(cursor: string | undefined): { at: number; id: string } | null {
  const m = cursor ? /^(-?\d{1,16})\.([^.\s]{1,64})$/.exec(cursor) : null;
  return m ? { at: Number(m[1]), id: m[2]! } : null;
}

/**
 * Activities of the workspace by due date: soonest first, except `status=done`, which lists the
 * latest first (what was done lately). Keyset paged on (due_at, id).
 */
export async function listActivities(db: Db, workspaceId: string, query: ActivityQuery, window: DueWindow): Promise<ActivityPage> {
  const latestFirst = query.status === 'done' && !query.due?.length;
  const open = query.status === 'open' || Boolean(query.due?.length);
  const cursor = decodeDueCursor(query.cursor);
  const after = cursor
    ? latestFirst
      ? or(lt(activities.dueAt, cursor.at), and(eq(activities.dueAt, cursor.at), lt(activities.id, cursor.id)))
      : or(gt(activities.dueAt, cursor.at), and(eq(activities.dueAt, cursor.at), gt(activities.id, cursor.id)))
    : undefined;
  const rows = await joinedSelect(db)
    .where(
      and(
        eq(activities.workspaceId, workspaceId),
        query.dealId ? eq(activities.dealId, query.dealId) : undefined,
        query.assigneeId ? eq(activities.assigneeId, query.assigneeId) : undefined,
        open ? isNull(activities.doneAt) : undefined,
        query.status === 'done' ? isNotNull(activities.doneAt) : undefined,
        ...(query.due?.length ? dueConditions(query.due, window) : []),
        after,
      ),
    )
    .orderBy(...(latestFirst ? [desc(activities.dueAt), desc(activities.id)] : [asc(activities.dueAt), asc(activities.id)]))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1)?.activity;
  return {
    activities: page.map((r) => view(r, window)),
    nextCursor: rows.length > query.limit && last ? `${last.dueAt}.${last.id}` : null,
  };
}

export async function getActivity(db: Db, workspaceId: string, activityId: string, window: DueWindow): Promise<Activity> {
  const [row] = await joinedSelect(db).where(and(eq(activities.id, activityId), eq(activities.workspaceId, workspaceId)));
  if (!row) throw notFound('Activity');
  return view(row, window);
}

// ── Writing ──────────────────────────────────────────────────────────────────

const DATE_ONLY_MESSAGE = 'A date without a time is sent as midnight UTC of that date, e.g. 2026-11-27T00:00:00Z.';

function checkDue(dueAt: number, hasTime: boolean, issues: FieldIssue[]): void {
  if (!hasTime && !isMidnightUtc(dueAt)) issues.push({ path: 'dueAt', message: DATE_ONLY_MESSAGE });
}

async function checkAssignee(db: Db, workspaceId: string, assigneeId: string | null | undefined, issues: FieldIssue[]): Promise<void> {
  if (!assigneeId) return;
  const [member] = await db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, assigneeId)));
  if (!member) issues.push({ path: 'assigneeId', message: 'Assign the activity to a member of this workspace.' });
}

export async function createActivity(ctx: WriteCtx, workspaceId: string, actorId: string, input: NewActivity): Promise<string> {
  const [deal] = await ctx.db
    .select({ id: deals.id })
    .from(deals)
    .where(and(eq(deals.id, input.dealId), eq(deals.workspaceId, workspaceId)));
  if (!deal) throw notFound('Deal');
  const assigneeId = input.assigneeId === undefined ? actorId : input.assigneeId;
  const issues: FieldIssue[] = [];
  checkDue(input.dueAt, input.hasTime, issues);
  await checkAssignee(ctx.db, workspaceId, assigneeId, issues);
  if (issues.length) throw validationFailed(issues);
  const now = ctx.clock();
  const id = ctx.newId();
  await ctx.db.insert(activities).values({
    id,
    workspaceId,
    dealId: deal.id,
    type: input.type,
    subject: input.subject,
    dueAt: input.dueAt,
    hasTime: input.hasTime,
    durationMinutes: input.durationMinutes ?? null,
    assigneeId,
    doneAt: input.done ? now : null,
    notes: input.notes ?? null,
    createdBy: actorId,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

async function loadActivity(db: Db, workspaceId: string, activityId: string): Promise<ActivityRow> {
  const [row] = await db
    .select()
    .from(activities)
    .where(and(eq(activities.id, activityId), eq(activities.workspaceId, workspaceId)));
  if (!row) throw notFound('Activity');
  return row;
}

/**
 * Edits an activity. Marking it done keeps the time it was first done; reopening clears it. A new
 * due time in the future re-arms the `activity.due` webhook (it fires again when that time comes).
 */
export async function updateActivity(ctx: WriteCtx, workspaceId: string, activityId: string, patch: ActivityPatch): Promise<void> {
  const current = await loadActivity(ctx.db, workspaceId, activityId);
  const now = ctx.clock();
  const dueAt = patch.dueAt ?? current.dueAt;
  const hasTime = patch.hasTime ?? current.hasTime;
  const issues: FieldIssue[] = [];
  checkDue(dueAt, hasTime, issues);
  if (patch.assigneeId !== undefined) await checkAssignee(ctx.db, workspaceId, patch.assigneeId, issues);
  if (issues.length) throw validationFailed(issues);
  const rescheduled = dueAt !== current.dueAt || hasTime !== current.hasTime;
  const { done, ...fields } = patch;
  await ctx.db
    .update(activities)
    .set({
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      ...(done === undefined ? {} : { doneAt: done ? (current.doneAt ?? now) : null }),
      ...(rescheduled && dueAt > now ? { dueNotifiedAt: null } : {}),
      updatedAt: now,
    })
    .where(and(eq(activities.id, activityId), eq(activities.workspaceId, workspaceId)));
}

export async function deleteActivity(db: Db, workspaceId: string, activityId: string): Promise<void> {
  const deleted = await db
    .delete(activities)
    .where(and(eq(activities.id, activityId), eq(activities.workspaceId, workspaceId)))
    .returning({ id: activities.id });
  if (deleted.length === 0) throw notFound('Activity');
}

// ── A deal's next activity ───────────────────────────────────────────────────

/**
 * The earliest open activity of the outer query's `deals` row as a JSON object (`NextActivity`), or
 * null: one seek on activities_ws_deal_open_idx per deal, evaluated inside the statement that reads
 * the deals — so a page of cards or deals costs one query, not one per deal. The outer query must
 * read `deals` under its own name (not an alias).
 */
export function nextActivitySql(window: DueWindow): SQL<string | null> {
  return sql<string | null>`(select json_object('id', a.id, 'type', a.type, 'subject', a.subject, 'dueAt', a.due_at,
      'hasTime', json(iif(a.has_time, 'true', 'false')),
      'overdue', json(iif(iif(a.has_time, a.due_at < ${window.now}, a.due_at < ${window.todayDate}), 'true', 'false')))
    from ${activities} a where a.workspace_id = "deals"."workspace_id" and a.deal_id = "deals"."id" and a.done_at is null
    order by a.due_at, a.id limit 1)`;
}

export const parseNextActivity = (json: string | null): NextActivity | null => (json ? (JSON.parse(json) as NextActivity) : null);

// ── The `activity.due` webhook ───────────────────────────────────────────────

/** Activities one sweep notifies at most; the next tick takes the rest. */
export const DUE_SWEEP_LIMIT = 500;

/**
 * Fires `activity.due` once for every open activity whose due time has come (a date-only one as its
 * UTC day begins: the workspace has no time zone of its own) and that has not been announced. Per
 * workspace one atomic batch stamps `due_notified_at` (only where it is still null and the activity
 * still open) and writes the outbox rows; a guard right after the stamp fails the batch unless it
 * stamped every activity it announces — so an overlapping sweep, or a member marking one done in
 * between, rolls the batch back instead of announcing twice, and the next tick takes what is left.
 * Returns how many activities were announced.
 */
export async function notifyDueActivities(ctx: WriteCtx): Promise<{ notified: number; errors: string[] }> {
  const now = ctx.clock();
  const due = await ctx.db
    .select({ activity: activities, dealName: deals.name, pipelineId: deals.pipelineId, stageId: deals.stageId })
    .from(activities)
    .innerJoin(deals, eq(deals.id, activities.dealId))
    .where(and(isNull(activities.doneAt), isNull(activities.dueNotifiedAt), lte(activities.dueAt, now)))
    .orderBy(asc(activities.dueAt))
    .limit(DUE_SWEEP_LIMIT);
  const byWorkspace = new Map<string, typeof due>();
  for (const row of due) byWorkspace.set(row.activity.workspaceId, [...(byWorkspace.get(row.activity.workspaceId) ?? []), row]);
  const result = { notified: 0, errors: [] as string[] };
  for (const [workspaceId, rows] of byWorkspace) {
    const ids = rows.map((r) => r.activity.id);
    const events: OutboxEvent[] = rows.map(({ activity: a, dealName, pipelineId, stageId }) => ({
      type: 'activity.due',
      data: {
        activity: {
          id: a.id,
          type: a.type,
          subject: a.subject,
          dueAt: a.dueAt,
          hasTime: a.hasTime,
          durationMinutes: a.durationMinutes,
          assigneeId: a.assigneeId,
          notes: a.notes,
          createdAt: a.createdAt,
        },
        deal: { id: a.dealId, name: dealName, pipelineId, stageId },
      },
    }));
    try {
      await commitWithEvents(
        ctx,
        workspaceId,
        [
          ctx.db
            .update(activities)
            .set({ dueNotifiedAt: now })
            .where(and(inArray(activities.id, ids), isNull(activities.dueNotifiedAt), isNull(activities.doneAt))),
          // changes() is the stamp's row count; json() of text that is not JSON is SQLite's way to fail a statement here.
          ctx.db.run(sql`select iif(changes() = ${ids.length}, 1, json('activity.due: claimed elsewhere, rolled back'))`),
        ],
        events,
      );
      result.notified += ids.length;
    } catch (err) {
      if (!String((err as { message?: unknown })?.message ?? '').includes('malformed JSON') && !String(err).includes('malformed JSON'))
        result.errors.push(`activity.due in workspace ${workspaceId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return result;
}
