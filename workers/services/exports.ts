/**
 * Spreadsheet exports of deals and of a pipeline board. The deals file has the columns of a
 * small team's pipeline template — the same ones the deals import reads — so an export imports
 * back cleanly (into the same pipeline template, with `pipelineId`).
 */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { deals, funnels, leads, pipelineStages, pipelines, users } from '../../db/schema';
import type { StageKind } from '../domain/stage-kinds';
import type { Db } from '../../db/types';
import { DEAL_FIELDS, formatDateCell, formatMinor } from '../domain/csv-import';
import { loadPipelineStages } from './deals';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deal name, Pipeline, Stage, Value, Currency, Lead email, Lead name, Owner email, Expected close, Created, Closed, Lost reason, Source funnel, Attribution source / medium / campaign, Notes. */
const DEAL_CSV_HEADER = Object.values(DEAL_FIELDS).map((f) => f.label);

export interface DealExportFilter {
  pipelineId?: string;
  /** By the kind of the deal's stage. */
  status?: StageKind;
}

function isoTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

const owners = alias(users, 'owners');

function dealRows(db: Db, where: SQL | undefined) {
  return db
    .select({
      deal: deals,
      pipelineName: pipelines.name,
      stageName: pipelineStages.name,
      stageKind: pipelineStages.kind,
      winProbability: pipelineStages.winProbability,
      rottingDays: pipelineStages.rottingDays,
      leadEmail: leads.email,
      leadName: leads.name,
      ownerEmail: owners.email,
      funnelName: funnels.name,
    })
    .from(deals)
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .leftJoin(leads, and(eq(leads.id, deals.leadId), eq(leads.workspaceId, deals.workspaceId)))
    .leftJoin(owners, eq(owners.id, deals.ownerId))
    .leftJoin(funnels, and(eq(funnels.id, deals.sourceFunnelId), eq(funnels.workspaceId, deals.workspaceId)))
    .where(where)
    .orderBy(asc(pipelines.createdAt), asc(pipelines.id), asc(pipelineStages.position), asc(deals.position), asc(deals.id));
}

/** Every deal (of one pipeline, of one status) in board order: pipeline, stage, position in the column. */
export async function dealsForExport(db: Db, workspaceId: string, filter: DealExportFilter) {
  const pipeline = filter.pipelineId ? (await loadPipelineStages(db, workspaceId, filter.pipelineId)).pipeline : null;
  const rows = await dealRows(
    db,
    and(
      eq(deals.workspaceId, workspaceId),
      filter.pipelineId ? eq(deals.pipelineId, filter.pipelineId) : undefined,
      filter.status ? eq(pipelineStages.kind, filter.status) : undefined,
    ),
  );
  return {
    pipeline,
    header: DEAL_CSV_HEADER,
    rows: rows.map((r): unknown[] => [
      r.deal.name,
      r.pipelineName,
      r.stageName,
      formatMinor(r.deal.valueMinor, r.deal.currency),
      r.deal.currency,
      r.leadEmail,
      r.leadName,
      r.ownerEmail,
      formatDateCell(r.deal.expectedCloseAt),
      isoTime(r.deal.createdAt),
      isoTime(r.deal.closedAt),
      r.deal.lostReason,
      r.funnelName,
      r.deal.attribution.source,
      r.deal.attribution.medium,
      r.deal.attribution.campaign,
      r.deal.notes,
    ]),
  };
}

/**
 * The board as a spreadsheet: one row per deal, columns in stage order and each column's deals
 * top to bottom, with the stage's win probability and the deal's weighted value. One row per deal
 * (rather than one spreadsheet column per stage) keeps it a table a spreadsheet can sort, filter,
 * SUMIF and pivot back into the board; side-by-side stage columns would put unrelated deals on
 * one row and break all of that.
 */
const BOARD_CSV_HEADER = [
  'Stage',
  'Win probability %',
  'Deal name',
  'Value',
  'Currency',
  'Weighted value',
  'Lead email',
  'Owner email',
  'Expected close',
  'In stage since',
  'Days in stage',
  'Rotting',
];

export async function boardForExport(db: Db, workspaceId: string, pipelineId: string, now: number) {
  const { pipeline } = await loadPipelineStages(db, workspaceId, pipelineId);
  const rows = await dealRows(db, and(eq(deals.workspaceId, workspaceId), eq(deals.pipelineId, pipelineId)));
  return {
    pipeline,
    header: BOARD_CSV_HEADER,
    rows: rows.map((r) => {
      const rotting = r.stageKind === 'open' && r.rottingDays !== null && now - r.deal.stageEnteredAt > r.rottingDays * DAY_MS;
      return [
        r.stageName,
        r.winProbability,
        r.deal.name,
        formatMinor(r.deal.valueMinor, r.deal.currency),
        r.deal.currency,
        formatMinor(Math.round((r.deal.valueMinor * r.winProbability) / 100), r.deal.currency),
        r.leadEmail,
        r.ownerEmail,
        formatDateCell(r.deal.expectedCloseAt),
        isoTime(r.deal.stageEnteredAt),
        Math.max(0, Math.floor((now - r.deal.stageEnteredAt) / DAY_MS)),
        r.stageKind === 'open' && r.rottingDays !== null ? (rotting ? 'yes' : 'no') : '',
      ];
    }),
  };
}
