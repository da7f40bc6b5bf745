/**
 * Activities through the real app: create, list (filters, paging, "mine", time zones), edit, done /
 * reopen, delete; each deal's next activity on the deal, the deals list and the board; workspace
 * scoping and roles; and the `activity.due` webhook the scheduler fires once per activity.
 */
import { eq, inArray } from 'drizzle-orm';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, webhookDeliveries, webhookEndpoints } from '../../db/schema';
import { runScheduledWork } from '../../workers/services/scheduler';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { createDeal, createPipeline, json, member, stageNamed, type PipelineBody } from '../support/pipeline';

type Api = TestClient['rpc']['api'];
type NewActivity = InferRequestType<Api['activities']['$post']>['json'];
type ActivityBody = InferResponseType<Api['activities'][':id']['$get'], 200>;
type ListQuery = InferRequestType<Api['activities']['$get']>['query'];

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
// The test clock starts at Friday 2026-11-27 12:00 UTC.
const TODAY = Date.UTC(2026, 10, 27);

let t: TestApp;
let owner: TestClient;
let ownerId: string;
let editor: TestClient;
let editorId: string;
let viewer: TestClient;
let stranger: TestClient;
let strangerId: string;
let shop: PipelineBody;
let dealId: string;
let quietDealId: string;
const dispatched: string[] = [];
const background: Promise<unknown>[] = [];

async function create(client: TestClient, body: Partial<NewActivity>) {
  return json(
    await client.rpc.api.activities.$post({ json: { dealId, type: 'call', subject: 'Call', dueAt: TODAY + 2 * DAY, ...body } }),
    201,
  );
}

async function list(client: TestClient, query: ListQuery) {
  return json(await client.rpc.api.activities.$get({ query }), 200);
}

const subjects = (page: { activities: ActivityBody[] }) => page.activities.map((a) => a.subject);

beforeAll(async () => {
  t = await createTestApp({ webhooks: { dispatch: async (ids) => void dispatched.push(...ids) } });
  owner = t.client();
  ({
    user: { id: ownerId },
  } = await owner.signup('owner@activities.test', 'correct horse battery', 'Olivia', { workspaceName: 'Sales' }));
  ({ client: editor, userId: editorId } = await member(t, owner, 'editor', 'editor@activities.test'));
  ({ client: viewer } = await member(t, owner, 'viewer', 'viewer@activities.test'));
  stranger = t.client();
  ({
    user: { id: strangerId },
  } = await stranger.signup('stranger@elsewhere.test', 'correct horse battery', 'Sam', { workspaceName: 'Elsewhere' }));
  shop = await createPipeline(owner, 'Shop', 'b2c');
  dealId = (await createDeal(owner, { name: 'Cosmetics set - Ava Smith', valueMinor: 25_000, pipelineId: shop.id })).id;
  quietDealId = (await createDeal(owner, { name: 'Quiet deal', pipelineId: shop.id })).id;
});
afterAll(async () => {
  await Promise.allSettled(background);
  t.close();
});

describe('creating and reading activities', () => {
  it('creates an activity assigned to its creator by default, with its deal, assignee and due state', async () => {
    const call = await create(editor, {
      type: 'call',
      subject: '  Call Ava about the travel size ',
      dueAt: TODAY + DAY + 10 * HOUR,
      durationMinutes: 15,
      notes: 'She asked twice.',
    });
    expect(call).toMatchObject({
      dealId,
      type: 'call',
      subject: 'Call Ava about the travel size',
      dueAt: TODAY + DAY + 10 * HOUR,
      hasTime: true,
      durationMinutes: 15,
      assigneeId: editorId,
      assignee: { id: editorId, name: 'editor' },
      done: false,
      doneAt: null,
      due: 'upcoming',
      notes: 'She asked twice.',
      createdBy: editorId,
      createdAt: t.clock.now(),
      deal: { id: dealId, name: 'Cosmetics set - Ava Smith', pipelineId: shop.id },
    });
    expect(await json(await owner.rpc.api.activities[':id'].$get({ param: { id: call.id } }), 200)).toEqual(call);
    const unassigned = await create(owner, { type: 'task', subject: 'Send samples', assigneeId: null, dealId: quietDealId });
    expect(unassigned).toMatchObject({ assigneeId: null, assignee: null, createdBy: ownerId });
    const logged = await create(owner, { type: 'email', subject: 'Sent the quote', dueAt: TODAY + 9 * HOUR, done: true });
    expect(logged).toMatchObject({ done: true, doneAt: t.clock.now(), due: null });
  });

  it('classifies due: a timed activity is overdue once its moment passed, a date-only one only after its day', async () => {
    const cases: Array<[Partial<NewActivity>, string]> = [
      [{ dueAt: TODAY + 11 * HOUR }, 'overdue'],
      [{ dueAt: TODAY + 15 * HOUR }, 'today'],
      [{ dueAt: TODAY, hasTime: false }, 'today'],
      [{ dueAt: TODAY - DAY, hasTime: false }, 'overdue'],
      [{ dueAt: TODAY + DAY, hasTime: false }, 'upcoming'],
      [{ dueAt: TODAY + DAY + HOUR }, 'upcoming'],
    ];
    const made = [];
    for (const [body, due] of cases) {
      const a = await create(owner, { ...body, subject: `classify ${due} ${body.dueAt}`, dealId: quietDealId, assigneeId: null });
      expect(a.due, JSON.stringify(body)).toBe(due);
      made.push(a.id);
    }
    // Noon passes into the evening: the date-only one of today is still not overdue at 23:59 UTC.
    t.clock.set(TODAY + DAY - 60_000);
    const dateOnlyToday = await json(await owner.rpc.api.activities[':id'].$get({ param: { id: made[2]! } }), 200);
    expect(dateOnlyToday.due).toBe('today');
    t.clock.set(TODAY + DAY);
    expect((await json(await owner.rpc.api.activities[':id'].$get({ param: { id: made[2]! } }), 200)).due).toBe('overdue');
    t.clock.set(TODAY + 12 * HOUR);
    // Tidy: these were only about classification.
    await t.database.db.delete(activities).where(inArray(activities.id, made));
  });

  it('rejects bad input in the one error shape, with the field that is wrong', async () => {
    const cases: Array<[Partial<NewActivity>, string]> = [
      [{ subject: '   ' }, 'subject'],
      [{ type: 'lunch' as never }, 'type'],
      [{ dueAt: TODAY + 9 * HOUR, hasTime: false }, 'dueAt'],
      [{ durationMinutes: 0 }, 'durationMinutes'],
      [{ assigneeId: strangerId }, 'assigneeId'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.rpc.api.activities.$post({ json: { dealId, type: 'call', subject: 'x', dueAt: TODAY + DAY, ...body } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('validation_failed');
      expect(error.fields?.map((f) => f.path)).toContain(field);
    }
    const noDeal = await owner.rpc.api.activities.$post({ json: { dealId: 'nope', type: 'call', subject: 'x', dueAt: TODAY } });
    expect(noDeal.status).toBe(404);
    const badQuery = await owner.request('/api/activities?due=later&tz=Mars/Olympus');
    expect(badQuery.status).toBe(400);
    expect((await errorOf(badQuery)).fields?.map((f) => f.path).sort()).toEqual(['due.0', 'tz']);
    const both = await owner.request('/api/activities?status=done&due=today');
    expect((await errorOf(both)).fields?.map((f) => f.path)).toEqual(['due']);
  });
});

describe('listing', () => {
  it('filters by deal, assignee, status and due, soonest first, and pages with the cursor', async () => {
    const all = await list(owner, { deal: dealId });
    expect(subjects(all)).toEqual(['Sent the quote', 'Call Ava about the travel size']);
    expect(subjects(await list(owner, { deal: dealId, status: 'open' }))).toEqual(['Call Ava about the travel size']);
    expect(subjects(await list(owner, { deal: dealId, status: 'done' }))).toEqual(['Sent the quote']);
    expect(subjects(await list(editor, { assignee: 'me' }))).toEqual(['Call Ava about the travel size']);
    expect(subjects(await list(owner, { assignee: editorId }))).toEqual(['Call Ava about the travel size']);

    const mine = ['Overdue call', 'Today at five', 'All of today', 'Next week'];
    await create(owner, { subject: mine[0], dueAt: TODAY + 8 * HOUR });
    await create(owner, { subject: mine[1], dueAt: TODAY + 17 * HOUR, type: 'meeting' });
    await create(owner, { subject: mine[2], dueAt: TODAY, hasTime: false, type: 'deadline' });
    await create(owner, { subject: mine[3], dueAt: TODAY + 7 * DAY });
    const first = await list(owner, { assignee: 'me', due: 'today,overdue', limit: '2' });
    expect(subjects(first)).toEqual(['All of today', 'Overdue call']);
    expect(first.activities.map((a) => a.due)).toEqual(['today', 'overdue']);
    const second = await list(owner, { assignee: 'me', due: 'today,overdue', limit: '2', cursor: first.nextCursor! });
    expect(subjects(second)).toEqual(['Today at five']);
    expect(second.nextCursor).toBeNull();
    expect(subjects(await list(owner, { assignee: 'me', due: 'upcoming' }))).toEqual(['Next week']);

    const myDay = await json(await owner.rpc.api.activities.mine.$get({ query: {} }), 200);
    expect(subjects(myDay)).toEqual(['All of today', 'Overdue call', 'Today at five']);
    expect(myDay.activities.every((a) => a.assigneeId === ownerId && !a.done)).toBe(true);
    // The editor's only activity is tomorrow's call.
    expect(subjects(await json(await editor.rpc.api.activities.mine.$get({ query: {} }), 200))).toEqual([]);
  });

  it('counts "today" in the time zone it is given: a date-only activity is overdue only once its day ended there', async () => {
    // 12:00 UTC on the 27th is 02:00 on the 28th at UTC+14 and 04:00 on the 27th in Los Angeles.
    const kiritimati = await list(owner, { assignee: 'me', due: 'today,overdue', tz: 'Pacific/Kiritimati' });
    expect(kiritimati.activities.find((a) => a.subject === 'All of today')?.due).toBe('overdue');
    const la = await json(await owner.rpc.api.activities.mine.$get({ query: { tz: 'America/Los_Angeles' } }), 200);
    expect(la.activities.find((a) => a.subject === 'All of today')?.due).toBe('today');
    // 06:00 UTC on the 28th is 22:00 on the 27th in Los Angeles: today there, tomorrow in UTC.
    const late = await create(owner, { subject: 'Late call', dueAt: TODAY + DAY + 6 * HOUR });
    expect(late.due).toBe('upcoming');
    expect(subjects(la)).not.toContain('Late call');
    const laAgain = await json(await owner.rpc.api.activities.mine.$get({ query: { tz: 'America/Los_Angeles' } }), 200);
    expect(laAgain.activities.find((a) => a.id === late.id)?.due).toBe('today');
    expect((await owner.rpc.api.activities[':id'].$delete({ param: { id: late.id } })).status).toBe(204);
  });
});

describe('editing, completing, deleting', () => {
  it('edits fields, marks done (keeping the first time) and reopens', async () => {
    const a = await create(owner, { subject: 'Follow up', dueAt: TODAY + 3 * DAY + 9 * HOUR });
    const patch = (body: Record<string, unknown>) =>
      owner.rpc.api.activities[':id'].$patch({
        param: { id: a.id },
        json: body as InferRequestType<Api['activities'][':id']['$patch']>['json'],
      });
    const edited = await json(await patch({ subject: 'Follow up by email', type: 'email', assigneeId: editorId, notes: null }), 200);
    expect(edited).toMatchObject({ subject: 'Follow up by email', type: 'email', assigneeId: editorId, assignee: { id: editorId } });
    const doneAt = t.clock.now();
    expect(await json(await patch({ done: true }), 200)).toMatchObject({ done: true, doneAt, due: null });
    t.clock.advance(HOUR);
    expect((await json(await patch({ done: true }), 200)).doneAt).toBe(doneAt);
    expect(await json(await patch({ done: false }), 200)).toMatchObject({ done: false, doneAt: null, due: 'upcoming' });
    t.clock.advance(-HOUR);

    const dateOnly = await patch({ hasTime: false });
    expect((await errorOf(dateOnly)).fields).toEqual([{ path: 'dueAt', message: expect.stringMatching(/midnight UTC/) }]);
    expect(await json(await patch({ hasTime: false, dueAt: TODAY + 3 * DAY }), 200)).toMatchObject({ hasTime: false, due: 'upcoming' });
    expect((await errorOf(await patch({ assigneeId: strangerId }))).fields?.[0]?.path).toBe('assigneeId');
    expect((await errorOf(await patch({ dealId: quietDealId }))).fields?.[0]?.path).toBe('dealId');

    expect((await owner.rpc.api.activities[':id'].$delete({ param: { id: a.id } })).status).toBe(204);
    expect((await owner.rpc.api.activities[':id'].$get({ param: { id: a.id } })).status).toBe(404);
    expect((await owner.rpc.api.activities[':id'].$delete({ param: { id: a.id } })).status).toBe(404);
  });

  it('goes with its deal when the deal is deleted', async () => {
    const doomed = await createDeal(owner, { name: 'Doomed', pipelineId: shop.id });
    const a = await create(owner, { dealId: doomed.id, subject: 'Never mind' });
    expect((await owner.rpc.api.deals[':id'].$delete({ param: { id: doomed.id } })).status).toBe(204);
    expect((await owner.rpc.api.activities[':id'].$get({ param: { id: a.id } })).status).toBe(404);
  });
});

describe('next activity on deals and the board', () => {
  it('is the earliest open activity, null for a deal with none, and moves on when that one is done', async () => {
    const deal = await createDeal(owner, { name: 'Next steps', pipelineId: shop.id, stageId: stageNamed(shop, 'Lead qualification').id });
    expect(deal.origin).toBe('manual');
    expect(deal.nextActivity).toBeNull();
    const later = await create(owner, { dealId: deal.id, subject: 'Demo', type: 'meeting', dueAt: TODAY + 2 * DAY + 9 * HOUR });
    const sooner = await create(owner, { dealId: deal.id, subject: 'Confirm the demo', dueAt: TODAY - DAY, hasTime: false, type: 'task' });
    const expected = { id: sooner.id, type: 'task', subject: 'Confirm the demo', dueAt: TODAY - DAY, hasTime: false, overdue: true };

    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } }), 200)).nextActivity).toEqual(expected);
    const listed = await json(await owner.rpc.api.deals.$get({ query: { pipeline: shop.id } }), 200);
    expect(listed.deals.find((d) => d.id === deal.id)?.nextActivity).toEqual(expected);
    expect(listed.deals.find((d) => d.name === 'Quiet deal')?.nextActivity).toMatchObject({ subject: 'Send samples' });
    expect(listed.deals.every((d) => ['manual', 'api'].includes(d.origin))).toBe(true);

    const board = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: shop.id }, query: {} }), 200);
    const cards = board.columns.flatMap((c) => c.deals);
    expect(cards.find((c) => c.id === deal.id)?.nextActivity).toEqual(expected);
    // A date-only activity of today comes before today's timed ones, and is not overdue before its day ends.
    expect(cards.find((c) => c.id === dealId)?.nextActivity).toMatchObject({ subject: 'All of today', overdue: false, hasTime: false });

    await json(await owner.rpc.api.activities[':id'].$patch({ param: { id: sooner.id }, json: { done: true } }), 200);
    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } }), 200)).nextActivity).toEqual({
      id: later.id,
      type: 'meeting',
      subject: 'Demo',
      dueAt: TODAY + 2 * DAY + 9 * HOUR,
      hasTime: true,
      overdue: false,
    });
    await json(await owner.rpc.api.activities[':id'].$patch({ param: { id: later.id }, json: { done: true } }), 200);
    const column = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: shop.id }, query: {} }), 200);
    expect(column.columns.flatMap((c) => c.deals).find((c) => c.id === deal.id)?.nextActivity).toBeNull();
  });

  it('records how a deal was made: a person in the app, or a script that says it is one', async () => {
    const scripted = await createDeal(owner, { name: 'From the CRM sync', pipelineId: shop.id, origin: 'api' });
    expect(scripted.origin).toBe('api');
    const bad = await owner.rpc.api.deals.$post({ json: { name: 'x', pipelineId: shop.id, origin: 'import' as never } });
    expect((await errorOf(bad)).fields?.[0]?.path).toBe('origin');
  });
});

describe('scoping and roles', () => {
  it('keeps another workspace out: its members cannot see, change or attach to this workspace’s activities and deals', async () => {
    const mineNow = await list(owner, { deal: dealId });
    const target = mineNow.activities[0]!;
    expect((await stranger.rpc.api.activities[':id'].$get({ param: { id: target.id } })).status).toBe(404);
    expect((await stranger.rpc.api.activities[':id'].$patch({ param: { id: target.id }, json: { done: true } })).status).toBe(404);
    expect((await stranger.rpc.api.activities[':id'].$delete({ param: { id: target.id } })).status).toBe(404);
    const attach = await stranger.rpc.api.activities.$post({ json: { dealId, type: 'call', subject: 'Steal', dueAt: TODAY } });
    expect(attach.status).toBe(404);
    expect((await errorOf(attach)).code).toBe('not_found');
    for (const query of [{}, { deal: dealId }, { assignee: ownerId }, { due: 'today,overdue,upcoming' }] as ListQuery[]) {
      expect((await list(stranger, query)).activities, JSON.stringify(query)).toEqual([]);
    }
    expect((await json(await stranger.rpc.api.activities.mine.$get({ query: {} }), 200)).activities).toEqual([]);
    // Unchanged for the owner.
    expect(await json(await owner.rpc.api.activities[':id'].$get({ param: { id: target.id } }), 200)).toEqual(target);
  });

  it('lets viewers read but not change anything', async () => {
    const target = (await list(owner, { deal: dealId, status: 'open' })).activities[0]!;
    expect((await json(await viewer.rpc.api.activities[':id'].$get({ param: { id: target.id } }), 200)).id).toBe(target.id);
    expect((await list(viewer, { deal: dealId })).activities.length).toBeGreaterThan(0);
    const attempts = [
      await viewer.rpc.api.activities.$post({ json: { dealId, type: 'call', subject: 'x', dueAt: TODAY } }),
      await viewer.rpc.api.activities[':id'].$patch({ param: { id: target.id }, json: { done: true } }),
      await viewer.rpc.api.activities[':id'].$delete({ param: { id: target.id } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    expect((await json(await owner.rpc.api.activities[':id'].$get({ param: { id: target.id } }), 200)).done).toBe(false);
  });
});

describe('the activity.due webhook', () => {
  async function tick() {
    const report = await runScheduledWork(t.deps, (work) => void background.push(work));
    expect(report.errors).toEqual([]);
    return report;
  }

  it('fires once per activity when it becomes due, through the outbox, to subscribed endpoints only', async () => {
    // Everything created so far that is already due is announced by the first tick; start from there.
    await tick();
    const [ws] = await t.database.db.select({ id: activities.workspaceId }).from(activities).where(eq(activities.dealId, dealId)).limit(1);
    const todayAtFive = (await list(owner, { deal: dealId })).activities.find((a) => a.subject === 'Today at five')!;
    const now = t.clock.now();
    await t.database.db.insert(webhookEndpoints).values(
      [
        ['ep-due', ['activity.due']],
        ['ep-deals', ['deal.created']],
      ].map(([id, events]) => ({
        id: id as string,
        workspaceId: ws!.id,
        url: `https://hooks.example.com/${id}`,
        secret: 'whsec_test',
        events: events as never,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const soon = await create(owner, { subject: 'Call at one', dueAt: now + HOUR, assigneeId: editorId });
    const dateOnly = await create(owner, { subject: 'Due tomorrow', dueAt: TODAY + DAY, hasTime: false });
    const finished = await create(owner, { subject: 'Done early', dueAt: now + 30 * 60_000 });
    await json(await owner.rpc.api.activities[':id'].$patch({ param: { id: finished.id }, json: { done: true } }), 200);
    const dueDeliveries = async () =>
      (await t.database.db.select().from(webhookDeliveries))
        .filter((d) => d.eventType === 'activity.due')
        .map((d) => JSON.parse(d.payload));

    expect((await tick()).activitiesDue).toBe(0);
    expect(await dueDeliveries()).toEqual([]);

    t.clock.advance(HOUR);
    dispatched.length = 0;
    const report = await tick();
    expect(report.activitiesDue).toBe(1);
    const [event, ...others] = await dueDeliveries();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      type: 'activity.due',
      workspaceId: ws!.id,
      data: {
        activity: { id: soon.id, type: 'call', subject: 'Call at one', dueAt: now + HOUR, hasTime: true, assigneeId: editorId },
        deal: { id: dealId, name: 'Cosmetics set - Ava Smith', pipelineId: shop.id },
      },
    });
    const rows = await t.database.db.select().from(webhookDeliveries);
    expect(rows.filter((r) => r.eventType === 'activity.due').map((r) => r.endpointId)).toEqual(['ep-due']);
    await Promise.resolve();
    expect(dispatched).toContain(rows.find((r) => r.eventType === 'activity.due')!.id);

    // Once: later ticks do not announce it again.
    t.clock.advance(HOUR);
    expect((await tick()).activitiesDue).toBe(0);

    // By the next (UTC) day: today's five o'clock meeting, and the date-only activity as its day begins.
    t.clock.set(TODAY + DAY);
    expect((await tick()).activitiesDue).toBe(2);
    expect((await dueDeliveries()).map((e) => e.data.activity.id)).toEqual([soon.id, todayAtFive.id, dateOnly.id]);

    // Rescheduled into the future, it fires again when that time comes; the done one never does.
    await json(await owner.rpc.api.activities[':id'].$patch({ param: { id: soon.id }, json: { dueAt: TODAY + DAY + 2 * HOUR } }), 200);
    expect((await tick()).activitiesDue).toBe(0);
    t.clock.set(TODAY + DAY + 2 * HOUR);
    expect((await tick()).activitiesDue).toBe(1);
    const ids = (await dueDeliveries()).map((e) => e.data.activity.id);
    expect(ids).toEqual([soon.id, todayAtFive.id, dateOnly.id, soon.id]);
    expect(ids).not.toContain(finished.id);
    t.clock.set(TODAY + 12 * HOUR);
  });

  it('is an event webhooks can subscribe to', async () => {
    const res = await owner.rpc.api.webhooks.$post({ json: { url: 'http://not-https.example.com', events: ['activity.due'] } });
    const error = await errorOf(res);
    expect(error.fields?.map((f) => f.path)).toEqual(['url']);
  });
});
