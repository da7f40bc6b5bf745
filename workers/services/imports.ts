/**
 * Spreadsheet imports of deals and leads, all or nothing: the file is read and every row checked
 * against the workspace first; any problem → a validation error listing every bad row, and nothing
 * is written. A good file is written in ONE batch — leads, deals, their history rows (moved by
 * `import`) and the webhook outbox rows for `lead.created` / `deal.created` / `deal.won` /
 * `deal.lost` — so a failure half-way leaves no trace. A dry run returns the same report and the
 * counts it would write.
 *
 * Decisions where spreadsheets leave room:
 * - deals: a row's email links the deal to that lead; an email that is not a lead yet creates the
 *   lead (once per file, named by the Lead name column), the way CRMs create associated contacts;
 * - leads: an email that is already a lead updates it like a repeated form submission (non-empty
 *   cells win, custom fields merge); an email listed twice in one file is an error;
 * - deals: with `pipelineId` every row goes into that pipeline (the Pipeline column is then only
 *   a warning, so an export re-imports into a copy); otherwise by the Pipeline column's name, or
 *   the workspace's only pipeline. An empty Stage is the pipeline's first open stage;
 * - deals: Created and Closed columns are kept (a migrated sheet keeps its history for the
 *   stats), default now; a won or lost row without Closed closes now; no Owner is unassigned;
 * - columns that feed no field are reported as warnings, never silently dropped;
 * - cells are stored as text, formulas included (exports neutralise them).
 */
import type { InStatement, InValue } from '@libsql/client';
import { and, eq, getTableColumns, getTableName, inArray, is, isNotNull, isNull, max, SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { isUniqueViolation } from '../../db/errors';
import { dealStageHistory, deals, funnels, leads, memberships, pipelineStages, pipelines, users, webhookDeliveries } from '../../db/schema';
import type { Db } from '../../db/types';
import {
  planDealImport,
  planLeadImport,
  readDealFile,
  readLeadFile,
  type ColumnMappingInput,
  type DateOrder,
  type ExistingLead,
  type ImportIssue,
  type ImportPipeline,
} from '../domain/csv-import';
import { conflict, notFound, validationFailed } from '../domain/errors';
import { dealPayload, dealSource, POSITION_STEP, stageChangeEvents, type Deal } from './deals';
import { leadCreatedData, webhookDeliveryRows, type OutboxEvent } from './webhook-outbox';
import { LEAD_MERGE } from './leads';
import type { ServiceCtx } from './context';

export interface ImportRequest {
  csv: string;
  mapping?: ColumnMappingInput;
  /** Deals only: put every row into this pipeline. */
  pipelineId?: string | null;
  dryRun?: boolean;
  dateOrder?: DateOrder;
  /** For rows without a currency (deals only); USD when not given. */
  currency?: string;
}

export interface ImportReport {
  kind: 'deals' | 'leads';
  dryRun: boolean;
  /** True when the file has no problem (a dry run reports problems instead of refusing). */
  valid: boolean;
  /** Data rows read (blank rows are skipped). */
  rows: number;
  /** Rows with at least one problem. */
  badRows: number;
  counts: Record<string, number>;
  issues: ImportIssue[];
  warnings: ImportIssue[];
}

type Stage = typeof pipelineStages.$inferSelect;
type Lead = typeof leads.$inferSelect;

/**
 * Multi-row INSERTs for thousands of rows, built here rather than by drizzle's query builder,
 * which spends ~15 µs per bound value (seconds of CPU for a full file — too much for a Worker).
 * Values go through each column's own driver mapping (JSON, booleans) and defaults, as drizzle's
 * would; each statement stays under SQLite's 32,766 bound values.
 */
function bulkInsert<T extends SQLiteTable>(table: T, rows: Array<T['$inferInsert']>, onConflict = ''): InStatement[] {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table));
  const names = columns.map(([, c]) => `"${c.name}"`).join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const perStatement = Math.min(500, Math.floor(30_000 / columns.length));
  const statements: InStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const args: InValue[] = [];
    for (const row of chunk) {
      for (const [key, column] of columns) {
        let value = (row as Record<string, unknown>)[key];
        if (value === undefined) {
          if (column.default !== undefined && is(column.default, SQL)) throw new Error(`bulkInsert: ${column.name} has an SQL default`);
          value = column.default ?? null;
        }
        args.push(value === null ? null : (column.mapToDriverValue(value) as InValue));
      }
    }
    const sqlText = `insert into "${getTableName(table)}" (${names}) values ${chunk.map(() => tuple).join(', ')}${onConflict}`;
    statements.push({ sql: sqlText, args });
  }
  return statements;
}

/** A write context with the raw libSQL client, for the bulk statements. */
export type ImportCtx = Pick<ServiceCtx, 'db' | 'client' | 'clock' | 'newId' | 'notify'>;

/** Like `commitWithEvents`: the writes and their webhook outbox rows in one atomic batch, then the dispatcher. */
async function commitImport(ctx: ImportCtx, workspaceId: string, statements: InStatement[], events: OutboxEvent[]): Promise<void> {
  const deliveries = await webhookDeliveryRows(ctx.db, workspaceId, events, ctx.clock(), ctx.newId);
  const all = [...statements, ...bulkInsert(webhookDeliveries, deliveries)];
  if (all.length === 0) return;
  await ctx.client.batch(all, 'write');
  ctx.notify(deliveries.map((d) => d.id));
}

function countBadRows(issues: ImportIssue[]): number {
  return new Set(issues.map((i) => i.row ?? 'file')).size;
}

/** Dry run: the report. Otherwise: refuse the whole file when any row is bad. */
function settle(report: ImportReport): ImportReport {
  if (report.valid || report.dryRun) return report;
  const bad = report.badRows;
  throw validationFailed(
    report.issues,
    `${bad} of ${report.rows} row${report.rows === 1 ? '' : 's'} ${bad === 1 ? 'has a problem' : 'have problems'}; nothing was imported.`,
  );
}

function newLeadRow(workspaceId: string, now: number, l: Pick<Lead, 'id' | 'email' | 'name'> & Partial<Lead>): Lead {
  return {
    workspaceId,
    phone: null,
    company: null,
    fields: {},
    score: 0,
    quizOutcome: null,
    firstTouch: {},
    lastTouch: {},
    sourceFunnelId: null,
    source: '',
    qualifiedAt: null,
    furthestStage: null,
    lastActivityAt: null,
    erasedAt: null,
    unsubscribedAt: null,
    createdAt: now,
    updatedAt: now,
    ...l,
  };
}

function rethrowConflict(err: unknown): never {
  if (isUniqueViolation(err)) {
    const text = `${String(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`;
    if (text.includes('deals_open_lead_uq') || text.includes('deals.pipeline_id, deals.lead_id')) {
      throw conflict(
        'A lead in the file got an open deal in that pipeline while the file was importing; nothing was imported. Import it again.',
        'open_deal_exists',
      );
    }
    throw conflict('Leads were added while the file was importing; nothing was imported. Import it again.', 'import_conflict');
  }
  throw err;
}

async function loadPipelines(db: Db, workspaceId: string): Promise<{ list: ImportPipeline[]; stages: Map<string, Stage> }> {
  const [pipelineRows, stageRows] = await Promise.all([
    db
      .select({ id: pipelines.id, name: pipelines.name })
      .from(pipelines)
      .where(eq(pipelines.workspaceId, workspaceId))
      .orderBy(pipelines.createdAt),
    db.select().from(pipelineStages).where(eq(pipelineStages.workspaceId, workspaceId)).orderBy(pipelineStages.position),
  ]);
  return {
    list: pipelineRows.map((p) => ({ ...p, stages: stageRows.filter((s) => s.pipelineId === p.id) })),
    stages: new Map(stageRows.map((s) => [s.id, s])),
  };
}

export async function importDeals(ctx: ImportCtx, workspaceId: string, req: ImportRequest): Promise<ImportReport> {
  const { db } = ctx;
  const now = ctx.clock();
  const pipelineData = await loadPipelines(db, workspaceId);
  if (req.pipelineId && !pipelineData.list.some((p) => p.id === req.pipelineId)) throw notFound('Pipeline');
  const { file, rows } = readDealFile(req.csv, { mapping: req.mapping, dateOrder: req.dateOrder, defaultCurrency: req.currency });

  const emails = [...new Set(rows.flatMap((r) => (r.value.email ? [r.value.email] : [])))];
  const pipelineIds = req.pipelineId ? [req.pipelineId] : pipelineData.list.map((p) => p.id);
  const [memberRows, leadRows, funnelRows, openRows, positionRows] = await Promise.all([
    db
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, workspaceId)),
    emails.length
      ? db
          .select({ id: leads.id, email: leads.email })
          .from(leads)
          .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.email, emails)))
      : [],
    rows.some((r) => r.value.sourceFunnel)
      ? db.select({ id: funnels.id, name: funnels.name }).from(funnels).where(eq(funnels.workspaceId, workspaceId))
      : [],
    emails.length && pipelineIds.length
      ? db
          .select({ pipelineId: deals.pipelineId, leadId: deals.leadId })
          .from(deals)
          .innerJoin(leads, eq(leads.id, deals.leadId))
          .where(
            and(
              eq(deals.workspaceId, workspaceId),
              isNull(deals.closedAt),
              isNotNull(deals.leadId),
              inArray(deals.pipelineId, pipelineIds),
              eq(leads.workspaceId, workspaceId),
              inArray(leads.email, emails),
            ),
          )
      : [],
    pipelineIds.length
      ? db
          .select({ stageId: deals.stageId, last: max(deals.position) })
          .from(deals)
          .where(and(eq(deals.workspaceId, workspaceId), inArray(deals.pipelineId, pipelineIds)))
          .groupBy(deals.stageId)
      : [],
  ]);

  const plan = planDealImport(
    file,
    rows,
    {
      now,
      pipelines: pipelineData.list,
      pipelineId: req.pipelineId ?? null,
      members: new Map(memberRows.map((m) => [m.email, m.id])),
      leads: new Map(leadRows.map((l) => [l.email, l.id])),
      funnels: funnelRows,
      openDeals: new Set(openRows.map((o) => `${o.pipelineId} ${o.leadId}`)),
      lastPositions: new Map(positionRows.flatMap((p) => (p.last === null ? [] : [[p.stageId, Number(p.last)] as const]))),
      positionStep: POSITION_STEP,
    },
    ctx.newId,
  );

  const report = settle({
    kind: 'deals',
    dryRun: req.dryRun ?? false,
    valid: plan.issues.length === 0,
    rows: file.rows.length,
    badRows: countBadRows(plan.issues),
    counts: { deals: plan.deals.length, leadsCreated: plan.newLeads.length, leadsLinked: plan.linkedLeads },
    issues: plan.issues,
    warnings: plan.warnings,
  });
  if (report.dryRun || !report.valid) return report;

  const leadValues = plan.newLeads.map((l) => newLeadRow(workspaceId, now, { id: l.id, email: l.email, name: l.name }));
  const linkedIds = [...new Set(plan.deals.flatMap((d) => (d.leadId ? [d.leadId] : [])))];
  const leadSources = new Map<string, string>();
  // ≤ 5,000 ids (the row cap): within SQLite's parameter limit in one query.
  if (linkedIds.length) {
    const rows = await ctx.db
      .select({ id: leads.id, source: leads.source })
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, linkedIds)));
    for (const r of rows) leadSources.set(r.id, r.source);
  }
  const dealValues: Deal[] = plan.deals.map((d) => ({
    id: d.id,
    workspaceId,
    pipelineId: d.pipelineId,
    stageId: d.stage.id,
    position: d.position,
    name: d.name,
    valueMinor: d.valueMinor,
    currency: d.currency,
    leadId: d.leadId,
    ownerId: d.ownerId,
    expectedCloseAt: d.expectedCloseAt,
    sourceFunnelId: d.sourceFunnelId,
    attribution: d.attribution,
    source: dealSource(d.leadId ? leadSources.get(d.leadId) : null, d.attribution),
    notes: d.notes,
    lostReason: d.lostReason,
    origin: 'import',
    stageEnteredAt: d.stageEnteredAt,
    closedAt: d.closedAt,
    createdAt: d.createdAt,
    updatedAt: now,
  }));
  const history = dealValues.map((d) => ({
    id: ctx.newId(),
    workspaceId,
    dealId: d.id,
    pipelineId: d.pipelineId,
    fromStageId: null,
    toStageId: d.stageId,
    msInFromStage: null,
    movedBy: 'import',
    movedAt: d.stageEnteredAt,
  }));
  const events: OutboxEvent[] = leadValues.map((l) => ({ type: 'lead.created', data: leadCreatedData(l) }));
  for (const deal of dealValues) {
    const stage = pipelineData.stages.get(deal.stageId)!;
    events.push({ type: 'deal.created', data: { deal: dealPayload(deal), stage: { id: stage.id, name: stage.name, kind: stage.kind } } });
    events.push(...stageChangeEvents(deal, null, stage));
  }
  await commitImport(
    ctx,
    workspaceId,
    [...bulkInsert(leads, leadValues), ...bulkInsert(deals, dealValues), ...bulkInsert(dealStageHistory, history)],
    events,
  ).catch(rethrowConflict);
  return report;
}

export async function importLeads(ctx: ImportCtx, workspaceId: string, req: ImportRequest): Promise<ImportReport> {
  const { db } = ctx;
  const now = ctx.clock();
  if (req.pipelineId)
    throw validationFailed([{ path: 'pipelineId', message: 'Leads are not imported into a pipeline; leave pipelineId out.' }]);
  const { file, rows } = readLeadFile(req.csv, { mapping: req.mapping });
  const emails = [...new Set(rows.flatMap((r) => (r.value.email ? [r.value.email] : [])))];
  const stored = emails.length
    ? await db
        .select({
          id: leads.id,
          email: leads.email,
          name: leads.name,
          phone: leads.phone,
          company: leads.company,
          source: leads.source,
          fields: leads.fields,
        })
        .from(leads)
        .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.email, emails)))
    : [];
  const plan = planLeadImport(file, rows, new Map<string, ExistingLead>(stored.map((l) => [l.email, l])), ctx.newId);

  const report = settle({
    kind: 'leads',
    dryRun: req.dryRun ?? false,
    valid: plan.issues.length === 0,
    rows: file.rows.length,
    badRows: countBadRows(plan.issues),
    counts: { leadsCreated: plan.creates.length, leadsUpdated: plan.updates.length, leadsUnchanged: plan.unchanged },
    issues: plan.issues,
    warnings: plan.warnings,
  });
  if (report.dryRun || !report.valid) return report;
  if (plan.creates.length + plan.updates.length === 0) return report;

  const created = plan.creates.map(({ row: _row, ...l }) => newLeadRow(workspaceId, now, l));
  // Updates go through the same upsert as creates, with a fresh id that is never stored: a lead
  // someone else created in the meantime is then merged into rather than failing the import.
  const upserts = [...created, ...plan.updates.map(({ row: _row, ...l }) => newLeadRow(workspaceId, now, { ...l, id: ctx.newId() }))];
  await commitImport(
    ctx,
    workspaceId,
    bulkInsert(leads, upserts, ` on conflict (workspace_id, email) do update set ${LEAD_MERGE}`),
    created.map((l) => ({ type: 'lead.created', data: leadCreatedData(l) })),
  ).catch(rethrowConflict);
  return report;
}
