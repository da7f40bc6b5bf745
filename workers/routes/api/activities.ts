import { Hono } from 'hono';
import * as z from 'zod';
import { activities } from '../../../db/schema';
import type { AppEnv } from '../../deps';
import { ACTIVITY_TYPES, DUE_STATES, dueWindow } from '../../domain/activities';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { createActivity, deleteActivity, getActivity, listActivities, updateActivity } from '../../services/activities';
import { columnSchema } from '../column-schemas';
import { serviceCtx } from '../service-context';
import { id, idParam, timeZoneParam } from '../schemas';

/** 9999-12-31T23:59:59.999Z: epoch milliseconds beyond it are a typo, not a date. */
const MAX_EPOCH_MS = 253_402_300_799_999;

const tz = timeZoneParam;

const fields = {
  type: columnSchema(activities.type, () => z.enum(ACTIVITY_TYPES, { message: `Choose one of ${ACTIVITY_TYPES.join(', ')}.` })),
  subject: columnSchema(activities.subject, (s) => s.trim().min(1, 'Say what the activity is.').max(200)),
  /** Epoch milliseconds (UTC); with `hasTime: false`, midnight UTC of the date. */
  dueAt: columnSchema(activities.dueAt, (at) => at.min(0).max(MAX_EPOCH_MS)),
  hasTime: columnSchema(activities.hasTime),
  durationMinutes: columnSchema(activities.durationMinutes, (m) => m.min(1).max(1440)),
  assigneeId: columnSchema(activities.assigneeId, () => id),
  notes: columnSchema(activities.notes, (n) => n.max(10_000)),
  done: z.boolean(),
};

const newActivity = z
  .object({
    dealId: id,
    type: fields.type,
    subject: fields.subject,
    dueAt: fields.dueAt,
    hasTime: fields.hasTime.default(true),
    durationMinutes: fields.durationMinutes.optional(),
    assigneeId: fields.assigneeId.optional(),
    notes: fields.notes.optional(),
    done: fields.done.optional(),
  })
  .meta({
    examples: [
      {
        dealId: '01JDEMODEAL',
        type: 'call',
        subject: 'Call Ava about the travel size',
        dueAt: 1_795_852_800_000,
        hasTime: true,
        durationMinutes: 15,
      },
      { dealId: '01JDEMODEAL', type: 'deadline', subject: 'Quote expires', dueAt: 1_795_824_000_000, hasTime: false },
    ],
  });

const activityPatch = z
  .object({ ...fields })
  .partial()
  .extend({ dealId: z.never({ error: 'An activity stays on its deal; create one on the other deal instead.' }).optional() })
  .meta({ examples: [{ done: true }, { dueAt: 1_795_939_200_000, hasTime: false }, { assigneeId: null, notes: 'Left a voicemail.' }] });

const dueList = z
  .string()
  .max(40)
  .transform((s) => s.split(',').map((p) => p.trim()))
  .pipe(z.array(z.enum(DUE_STATES, { message: 'Use overdue, today and/or upcoming, separated by commas.' })));

const listQuery = z
  .object({
    deal: id.optional().describe('Only this deal’s activities.'),
    assignee: z
      .union([z.literal('me'), id])
      .optional()
      .describe('`me` or a member’s id.'),
    status: z.enum(['open', 'done']).optional(),
    due: dueList.optional().describe('Open activities that are `overdue`, due `today` and/or `upcoming`, e.g. `today,overdue`.'),
    tz,
    cursor: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => !(q.status === 'done' && q.due), { path: ['due'], message: 'Only open activities are due; leave out `status=done`.' });

const mineQuery = z.object({
  tz,
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const ACTIVITY_RETURNS =
  'The activity: its fields, `done`, `due` (`overdue` | `today` | `upcoming` by the UTC day — lists take `tz` for another zone; null once done), its `deal` {id, name, pipelineId, stageId} and `assignee` {id, name}.';

/**
 * Activities on deals (`/api/activities`): calls, emails, meetings, tasks and deadlines with a due
 * date (and time), an assignee, done or not. "My activities" is `/mine`. Viewers read; editors and
 * owners change.
 */
export const activityRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'List activities',
      description:
        'Filters: `deal`, `assignee` (`me` or a member id), `status` (`open` | `done`), `due` (`overdue`, `today`, `upcoming`, comma-separated; open only), counted in `tz`. Soonest due first; `status=done` lists the latest first. Paged by `cursor` (the previous page’s `nextCursor`, with the same filters).',
      returns: '`{activities, nextCursor}`.',
    }),
    validate('query', listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const { workspaceId, user } = c.var.scope;
      return c.json(
        await listActivities(
          c.var.deps.database.db,
          workspaceId,
          {
            dealId: q.deal,
            assigneeId: q.assignee === 'me' ? user.id : q.assignee,
            status: q.status,
            due: q.due,
            cursor: q.cursor,
            limit: q.limit,
          },
          dueWindow(c.var.deps.clock(), q.tz),
        ),
      );
    },
  )
  .get(
    '/mine',
    apiDoc({
      summary: 'My activities: overdue and due today',
      description:
        'The signed-in member’s open activities that are overdue or due today (in `tz`), soonest first. A date-only activity is overdue once its day has ended.',
      returns: '`{activities, nextCursor}`.',
    }),
    validate('query', mineQuery),
    async (c) => {
      const q = c.req.valid('query');
      const { workspaceId, user } = c.var.scope;
      return c.json(
        await listActivities(
          c.var.deps.database.db,
          workspaceId,
          { assigneeId: user.id, due: ['overdue', 'today'], cursor: q.cursor, limit: q.limit },
          dueWindow(c.var.deps.clock(), q.tz),
        ),
      );
    },
  )
  .post(
    '/',
    apiDoc({
      summary: 'Create an activity on a deal',
      status: 201,
      description:
        'The assignee defaults to the member creating it (`null`: nobody). Without a time of day (`hasTime: false`), `dueAt` is midnight UTC of the date. `done: true` logs one that already happened.',
      returns: ACTIVITY_RETURNS,
    }),
    validate('json', newActivity),
    async (c) => {
      const { workspaceId, user } = c.var.scope;
      const activityId = await createActivity(serviceCtx(c), workspaceId, user.id, c.req.valid('json'));
      return c.json(await getActivity(c.var.deps.database.db, workspaceId, activityId, dueWindow(c.var.deps.clock())), 201);
    },
  )
  .get('/:id', apiDoc({ summary: 'Get an activity', returns: ACTIVITY_RETURNS }), validate('param', idParam), async (c) =>
    c.json(await getActivity(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, dueWindow(c.var.deps.clock()))),
  )
  .patch(
    '/:id',
    apiDoc({
      summary: 'Edit an activity, mark it done or reopen it',
      description: '`done: true` marks it done (keeping the first time it was), `done: false` reopens it.',
      returns: ACTIVITY_RETURNS,
    }),
    validate('param', idParam),
    validate('json', activityPatch),
    async (c) => {
      const { workspaceId } = c.var.scope;
      const { id: activityId } = c.req.valid('param');
      const { dealId: _deal, ...patch } = c.req.valid('json');
      await updateActivity(serviceCtx(c), workspaceId, activityId, patch);
      return c.json(await getActivity(c.var.deps.database.db, workspaceId, activityId, dueWindow(c.var.deps.clock())));
    },
  )
  .delete('/:id', apiDoc({ summary: 'Delete an activity', status: 204 }), validate('param', idParam), async (c) => {
    await deleteActivity(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id);
    return c.body(null, 204);
  });
