/**
 * A lead's rights over their data: an export of everything held about them, and an erasure.
 *
 * The erasure keeps every row and replaces what identifies the person — in the lead, its
 * submissions, consents (the wording's hash and the time stay as proof), its visitors' events and
 * touches, the deals made from it and their activities, and webhook deliveries that carried it —
 * so counts, stages, rollups and deal values (everything the reports add up) are unchanged.
 *
 * Each table is one `Scrubber` in `LEAD_SCRUBBERS`: it reads the rows it owns and returns the
 * updates. All updates, and the erasure record, are written in one batch (all or nothing). A new
 * table that can hold a lead's data adds one scrubber to the list.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import {
  activities,
  consentRecords,
  dealStageHistory,
  deals,
  emailOutbox,
  events,
  formSubmissions,
  leadErasures,
  leads,
  visitorStages,
  visitors,
  webhookDeliveries,
  webhookEndpoints,
  workspaces,
} from '../../db/schema';
import type { Db } from '../../db/types';
import type { LeadErasure, LeadExport } from '../contract/privacy';
import { sha256Hex } from '../domain/crypto';
import { badRequest, notFound } from '../domain/errors';
import { ERASED, erasedEmail, mentions, personalDataPatterns, scrubJson, scrubJsonText, scrubText } from '../domain/privacy';
import type { ServiceCtx } from './context';
import { chunks } from './scoring';

type LeadRow = typeof leads.$inferSelect;

async function requireLead(db: Db, workspaceId: string, leadId: string): Promise<LeadRow> {
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) throw notFound('Lead');
  return lead;
}

async function visitorIdsOf(db: Db, workspaceId: string, leadId: string): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    sql`select id from visitors indexed by visitors_lead_idx where lead_id = ${leadId} and workspace_id = ${workspaceId}`,
  );
  return rows.map((r) => r.id);
}

async function dealIdsOf(db: Db, workspaceId: string, leadId: string): Promise<string[]> {
  const rows = await db
    .select({ id: deals.id })
    .from(deals)
    .where(and(eq(deals.workspaceId, workspaceId), eq(deals.leadId, leadId)));
  return rows.map((r) => r.id);
}

/** The lead's events, oldest first, in chunks of visitors (a lead has a handful; an import none). */
async function eventsOf(db: Db, workspaceId: string, visitorIds: string[]) {
  const rows: Array<typeof events.$inferSelect> = [];
  for (const part of chunks(visitorIds)) {
    rows.push(
      ...(await db
        .select()
        .from(events)
        .where(and(eq(events.workspaceId, workspaceId), inArray(events.visitorId, part)))
        .orderBy(asc(events.occurredAt), asc(events.id))),
    );
  }
  return rows.sort((a, b) => a.occurredAt - b.occurredAt || a.id.localeCompare(b.id));
}

/**
 * Deliveries whose payload names the lead, one of its deals or its email. Payloads are JSON text
 * with no index into them, so this reads the workspace's deliveries through the endpoint index;
 * erasures and exports are rare, and the delivery log of a workspace is bounded by its endpoints' traffic.
 */
async function deliveriesMentioning(db: Db, workspaceId: string, lead: LeadRow, dealIds: string[]) {
  const needles: SQL[] = [lead.id, ...dealIds].map((id) => sql`instr(${webhookDeliveries.payload}, ${id}) > 0`);
  needles.push(sql`instr(lower(${webhookDeliveries.payload}), ${lead.email.toLowerCase()}) > 0`);
  const endpoints = db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId));
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(inArray(webhookDeliveries.endpointId, endpoints), sql`(${sql.join(needles, sql` or `)})`))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id));
}

// ── Export ───────────────────────────────────────────────────────────────────

export async function exportLead(db: Db, workspaceId: string, leadId: string, now: number): Promise<LeadExport> {
  const lead = await requireLead(db, workspaceId, leadId);
  const [[workspace], visitorIds, dealIds] = await Promise.all([
    db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId)),
    visitorIdsOf(db, workspaceId, leadId),
    dealIdsOf(db, workspaceId, leadId),
  ]);
  const inVisitors = (column: typeof visitors.id | typeof visitorStages.visitorId) =>
    visitorIds.length ? inArray(column, visitorIds) : sql`0`;
  const inDeals = (column: typeof activities.dealId | typeof dealStageHistory.dealId) =>
    dealIds.length ? inArray(column, dealIds) : sql`0`;
  const [visitorRows, stageRows, submissions, consents, journey, dealRows, activityRows, historyRows, deliveries, emails, erasures] =
    await Promise.all([
      db
        .select()
        .from(visitors)
        .where(and(eq(visitors.workspaceId, workspaceId), inVisitors(visitors.id))),
      db
        .select()
        .from(visitorStages)
        .where(and(eq(visitorStages.workspaceId, workspaceId), inVisitors(visitorStages.visitorId))),
      db
        .select()
        .from(formSubmissions)
        .where(and(eq(formSubmissions.workspaceId, workspaceId), eq(formSubmissions.leadId, leadId)))
        .orderBy(asc(formSubmissions.createdAt)),
      db
        .select()
        .from(consentRecords)
        .where(and(eq(consentRecords.workspaceId, workspaceId), eq(consentRecords.leadId, leadId)))
        .orderBy(asc(consentRecords.grantedAt)),
      eventsOf(db, workspaceId, visitorIds),
      db
        .select()
        .from(deals)
        .where(and(eq(deals.workspaceId, workspaceId), eq(deals.leadId, leadId)))
        .orderBy(asc(deals.createdAt)),
      db
        .select()
        .from(activities)
        .where(and(eq(activities.workspaceId, workspaceId), inDeals(activities.dealId)))
        .orderBy(asc(activities.dueAt)),
      db
        .select()
        .from(dealStageHistory)
        .where(and(eq(dealStageHistory.workspaceId, workspaceId), inDeals(dealStageHistory.dealId)))
        .orderBy(asc(dealStageHistory.movedAt)),
      deliveriesMentioning(db, workspaceId, lead, dealIds),
      db
        .select()
        .from(emailOutbox)
        .where(and(eq(emailOutbox.workspaceId, workspaceId), sql`lower(${emailOutbox.toAddress}) = ${lead.email.toLowerCase()}`))
        .orderBy(asc(emailOutbox.createdAt)),
      erasuresOf(db, workspaceId, leadId),
    ]);
  return {
    format: 'leadflare.lead-export',
    version: 1,
    exportedAt: now,
    workspace: workspace!,
    lead,
    visitors: visitorRows,
    submissions,
    consents,
    events: journey,
    funnelStages: stageRows,
    deals: dealRows.map((deal) => ({
      ...deal,
      activities: activityRows.filter((a) => a.dealId === deal.id),
      stageHistory: historyRows.filter((h) => h.dealId === deal.id),
    })),
    // The payload is JSON text: exported as the JSON it is, not as a string of it.
    webhookDeliveries: deliveries.map((d) => ({ ...d, payload: parsePayload(d.payload) })),
    emails: emails.map(({ workspaceId: _ws, ...m }) => m),
    erasures,
  };
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function erasuresOf(db: Db, workspaceId: string, leadId: string): Promise<LeadErasure[]> {
  const rows = await db
    .select()
    .from(leadErasures)
    .where(and(eq(leadErasures.workspaceId, workspaceId), eq(leadErasures.leadId, leadId)))
    .orderBy(asc(leadErasures.erasedAt));
  return rows.map(({ workspaceId: _ws, ...r }) => r);
}

// ── Erasure ──────────────────────────────────────────────────────────────────

/** What every scrubber gets: the lead as it was, what it is linked to, and the patterns of its personal data. */
export interface ErasureTarget {
  workspaceId: string;
  lead: LeadRow;
  visitorIds: string[];
  dealIds: string[];
  patterns: RegExp[];
  now: number;
}

export interface Scrubber {
  /** The table it changes; the erasure record counts its updates under this name. */
  table: string;
  /** Reads the rows it owns and returns their updates (nothing is written until every scrubber has read). */
  scrub(db: Db, target: ErasureTarget): Promise<BatchItem<'sqlite'>[]>;
}

/** Every string value erased (true/false/numbers such as a consent flag or a quiz score stay). */
function eraseStrings(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? '' : ERASED;
  if (Array.isArray(value)) return value.map(eraseStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, eraseStrings(v)]));
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const leadScrubber: Scrubber = {
  table: 'leads',
  async scrub(db, { lead, patterns, now }) {
    return [
      db
        .update(leads)
        .set({
          email: erasedEmail(lead.id),
          name: null,
          phone: null,
          company: null,
          fields: {},
          firstTouch: scrubJson(lead.firstTouch, patterns) as Record<string, string>,
          lastTouch: scrubJson(lead.lastTouch, patterns) as Record<string, string>,
          erasedAt: now,
          updatedAt: now,
        })
        .where(eq(leads.id, lead.id)),
    ];
  },
};

const submissionScrubber: Scrubber = {
  table: 'form_submissions',
  async scrub(db, { workspaceId, lead, patterns }) {
    const rows = await db
      .select({ id: formSubmissions.id, data: formSubmissions.data, quizAnswers: formSubmissions.quizAnswers })
      .from(formSubmissions)
      .where(and(eq(formSubmissions.workspaceId, workspaceId), eq(formSubmissions.leadId, lead.id)));
    // What the person typed is theirs (answers may say more than a name); the quiz's choices are the page's options.
    return rows.map((r) =>
      db
        .update(formSubmissions)
        .set({ data: eraseStrings(r.data) as Record<string, unknown>, quizAnswers: scrubJson(r.quizAnswers, patterns) })
        .where(eq(formSubmissions.id, r.id)),
    );
  },
};

const consentScrubber: Scrubber = {
  table: 'consent_records',
  async scrub(db, { workspaceId, lead }) {
    const rows = await db
      .select({ id: consentRecords.id, wording: consentRecords.wording, wordingSha256: consentRecords.wordingSha256 })
      .from(consentRecords)
      .where(and(eq(consentRecords.workspaceId, workspaceId), eq(consentRecords.leadId, lead.id)));
    // The time, the page version and the wording's hash stay: proof that consent was given, and to what.
    const hashes = await Promise.all(rows.map(async (r) => r.wordingSha256 ?? (await sha256Hex(r.wording))));
    return rows.map((r, i) =>
      db.update(consentRecords).set({ wording: '', wordingSha256: hashes[i]!, ipHash: null }).where(eq(consentRecords.id, r.id)),
    );
  },
};

const visitorScrubber: Scrubber = {
  table: 'visitors',
  async scrub(db, { workspaceId, visitorIds, patterns }) {
    if (!visitorIds.length) return [];
    const rows = await db
      .select({ id: visitors.id, firstTouch: visitors.firstTouch, lastTouch: visitors.lastTouch })
      .from(visitors)
      .where(and(eq(visitors.workspaceId, workspaceId), inArray(visitors.id, visitorIds)));
    return rows.flatMap((r) => {
      const firstTouch = scrubJson(r.firstTouch, patterns) as Record<string, string>;
      const lastTouch = scrubJson(r.lastTouch, patterns) as Record<string, string>;
      if (same(firstTouch, r.firstTouch) && same(lastTouch, r.lastTouch)) return [];
      return [db.update(visitors).set({ firstTouch, lastTouch }).where(eq(visitors.id, r.id))];
    });
  },
};

const eventScrubber: Scrubber = {
  table: 'events',
  async scrub(db, { workspaceId, visitorIds, patterns }) {
    const rows = await eventsOf(db, workspaceId, visitorIds);
    return rows.flatMap((r) => {
      const props = scrubJson(r.props, patterns) as Record<string, unknown>;
      return same(props, r.props) ? [] : [db.update(events).set({ props }).where(eq(events.id, r.id))];
    });
  },
};

const dealScrubber: Scrubber = {
  table: 'deals',
  async scrub(db, { workspaceId, lead, patterns }) {
    const rows = await db
      .select({ id: deals.id, name: deals.name, notes: deals.notes, lostReason: deals.lostReason, attribution: deals.attribution })
      .from(deals)
      .where(and(eq(deals.workspaceId, workspaceId), eq(deals.leadId, lead.id)));
    return rows.flatMap((r) => {
      const changes = {
        name: scrubText(r.name, patterns),
        notes: r.notes === null ? null : scrubText(r.notes, patterns),
        lostReason: r.lostReason === null ? null : scrubText(r.lostReason, patterns),
        attribution: scrubJson(r.attribution, patterns) as Record<string, string>,
      };
      return same(changes, { name: r.name, notes: r.notes, lostReason: r.lostReason, attribution: r.attribution })
        ? []
        : [db.update(deals).set(changes).where(eq(deals.id, r.id))];
    });
  },
};

const activityScrubber: Scrubber = {
  table: 'activities',
  async scrub(db, { workspaceId, dealIds, patterns }) {
    if (!dealIds.length) return [];
    const rows = await db
      .select({ id: activities.id, subject: activities.subject, notes: activities.notes })
      .from(activities)
      .where(and(eq(activities.workspaceId, workspaceId), inArray(activities.dealId, dealIds)));
    return rows.flatMap((r) =>
      mentions(r.subject, patterns) || mentions(r.notes, patterns)
        ? [
            db
              .update(activities)
              .set({ subject: scrubText(r.subject, patterns), notes: r.notes === null ? null : scrubText(r.notes, patterns) })
              .where(eq(activities.id, r.id)),
          ]
        : [],
    );
  },
};

const webhookDeliveryScrubber: Scrubber = {
  table: 'webhook_deliveries',
  async scrub(db, { workspaceId, lead, dealIds, patterns }) {
    const rows = await deliveriesMentioning(db, workspaceId, lead, dealIds);
    return rows.flatMap((r) => {
      const payload = scrubJsonText(r.payload, patterns);
      // A receiver's error snippet may echo the payload back.
      const lastError = r.lastError === null ? null : scrubText(r.lastError, patterns);
      return payload === r.payload && lastError === r.lastError
        ? []
        : [db.update(webhookDeliveries).set({ payload, lastError }).where(eq(webhookDeliveries.id, r.id))];
    });
  },
};

/**
 * Mail to the lead (lead magnet, follow-ups) and about them (members' new-lead notifications). Mail
 * not sent yet is withdrawn as well as scrubbed: an erased person is never written to again.
 */
const outboxScrubber: Scrubber = {
  table: 'email_outbox',
  async scrub(db, { workspaceId, lead, patterns }) {
    const email = lead.email.toLowerCase();
    const rows = await db
      .select()
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.workspaceId, workspaceId),
          sql`(lower(${emailOutbox.toAddress}) = ${email} or instr(lower(${emailOutbox.text}), ${email}) > 0)`,
        ),
      );
    return rows.map((r) => {
      const toLead = r.toAddress.toLowerCase() === email;
      return db
        .update(emailOutbox)
        .set({
          toAddress: toLead ? erasedEmail(lead.id) : r.toAddress,
          subject: scrubText(r.subject, patterns),
          text: scrubText(r.text, patterns),
          html: scrubText(r.html, patterns),
          headers: scrubJson(r.headers, patterns) as Record<string, string>,
          lastError: r.lastError === null ? null : scrubText(r.lastError, patterns),
          ...(r.status === 'queued'
            ? { status: 'failed' as const, nextAttemptAt: null, lastError: 'Withdrawn: the lead was erased.' }
            : {}),
        })
        .where(eq(emailOutbox.id, r.id));
    });
  },
};

/** Every table that can hold a lead's personal data. Add a scrubber here with each new such table. */
export const LEAD_SCRUBBERS: Scrubber[] = [
  leadScrubber,
  submissionScrubber,
  consentScrubber,
  visitorScrubber,
  eventScrubber,
  dealScrubber,
  activityScrubber,
  webhookDeliveryScrubber,
  outboxScrubber,
];

/** `confirm` must be the word ERASE or the lead's email (any case), so an erasure is never a slip. */
export function confirmsErasure(lead: { email: string }, confirm: string): boolean {
  const typed = confirm.trim();
  return typed === 'ERASE' || typed.toLowerCase() === lead.email.toLowerCase();
}

export function recordErasure(
  db: Db,
  record: { id: string; workspaceId: string; leadId: string; erasedBy: string | null; erasedAt: number; counts: Record<string, number> },
) {
  return db.insert(leadErasures).values(record);
}

/**
 * Erases the lead's personal data everywhere `scrubbers` look, in one batch with its erasure
 * record. Erasing an erased lead again changes nothing and returns the first erasure.
 */
export async function eraseLead(
  ctx: Pick<ServiceCtx, 'db' | 'clock' | 'newId'>,
  workspaceId: string,
  leadId: string,
  by: { userId: string; confirm: string },
  scrubbers: Scrubber[] = LEAD_SCRUBBERS,
): Promise<LeadErasure & { alreadyErased: boolean }> {
  const { db } = ctx;
  const lead = await requireLead(db, workspaceId, leadId);
  if (lead.erasedAt !== null) {
    const [first] = await erasuresOf(db, workspaceId, leadId);
    if (first) return { ...first, alreadyErased: true };
  } else if (!confirmsErasure(lead, by.confirm)) {
    throw badRequest('Type the lead’s email address or the word ERASE to confirm.', 'confirmation_mismatch');
  }
  const now = ctx.clock();
  const [visitorIds, dealIds] = await Promise.all([visitorIdsOf(db, workspaceId, leadId), dealIdsOf(db, workspaceId, leadId)]);
  const target: ErasureTarget = { workspaceId, lead, visitorIds, dealIds, patterns: personalDataPatterns(lead), now };
  const counts: Record<string, number> = {};
  const writes: BatchItem<'sqlite'>[] = [];
  for (const scrubber of scrubbers) {
    const updates = await scrubber.scrub(db, target);
    counts[scrubber.table] = (counts[scrubber.table] ?? 0) + updates.length;
    writes.push(...updates);
  }
  const erasure = { id: ctx.newId(), workspaceId, leadId, erasedBy: by.userId, erasedAt: now, counts };
  await db.batch([
    recordErasure(db, erasure),
    ...writes,
    // The search index keeps deleted terms in its segments until they are merged; merge now, so
    // the erased address and name are gone from the file, not just unreachable.
    db.run(sql`insert into leads_search (leads_search) values ('optimize')`),
  ]);
  return { id: erasure.id, leadId, erasedBy: by.userId, erasedAt: now, counts, alreadyErased: false };
}
