/**
 * Deals from a spreadsheet: the row schema, then the plan — pipeline, stage, lead, owner and
 * source funnel resolved by name against the workspace, with the checks the deals service makes.
 */
import * as z from 'zod';
import { emailSchema } from '../emails';
import { validationFailed } from '../errors';
import type { IdGenerator } from '../ids';
import type { StageKind } from '../stage-kinds';
import { byRow, fileIssue, rowIssue, type ImportIssue } from './issues';
import type { DateOrder } from './dates';
import { parseMoneyText, toMinorUnits } from './money';
import {
  columnOf,
  currencyField,
  dateField,
  dateOrderFor,
  optionalText,
  readImportFile,
  validateRows,
  type CheckedRow,
  type ImportOptions,
  type ReadFile,
} from './rows';

export interface DealRowInput {
  name: string;
  valueMinor: number;
  currency: string;
  pipeline?: string;
  stage?: string;
  email?: string;
  leadName?: string;
  ownerEmail?: string;
  expectedCloseAt?: number;
  createdAt?: number;
  closedAt?: number;
  lostReason?: string;
  sourceFunnel?: string;
  attribution: Record<string, string>;
  notes?: string;
}

function dealRowFields(order: DateOrder | null) {
  return z.object({
    name: z.string({ error: 'Give the deal a name.' }).max(200, 'Keep the deal name under 200 characters.'),
    pipeline: optionalText(200),
    stage: optionalText(200),
    amount: z
      .string()
      .transform((cell, ctx) => {
        const money = parseMoneyText(cell);
        if ('error' in money) {
          ctx.addIssue({ code: 'custom', message: money.error });
          return z.NEVER;
        }
        return money;
      })
      .optional(),
    currency: currencyField(),
    email: emailSchema.optional(),
    leadName: optionalText(200),
    ownerEmail: emailSchema.optional(),
    expectedClose: dateField(order),
    createdAt: dateField(order),
    closedAt: dateField(order),
    lostReason: optionalText(500),
    sourceFunnel: optionalText(200),
    source: optionalText(200),
    medium: optionalText(200),
    campaign: optionalText(200),
    notes: optionalText(10_000),
  });
}

type DealRowFields = z.output<ReturnType<typeof dealRowFields>>;

function toDealInput(row: Partial<DealRowFields>, defaultCurrency: string, problem?: (message: string) => void): Partial<DealRowInput> {
  const currency = row.currency ?? row.amount?.currency ?? defaultCurrency;
  let valueMinor = 0;
  if (row.amount) {
    if (row.currency && row.amount.currency && row.amount.currency !== row.currency) {
      problem?.(`The amount is in ${row.amount.currency} but the currency column says ${row.currency}.`);
    }
    const minor = toMinorUnits(row.amount, currency);
    if (typeof minor === 'number') valueMinor = minor;
    else problem?.(minor.error);
  }
  const attribution: Record<string, string> = {};
  if (row.source) attribution.source = row.source;
  if (row.medium) attribution.medium = row.medium;
  if (row.campaign) attribution.campaign = row.campaign;
  return {
    name: row.name,
    valueMinor,
    currency,
    pipeline: row.pipeline,
    stage: row.stage,
    email: row.email,
    leadName: row.leadName,
    ownerEmail: row.ownerEmail,
    expectedCloseAt: row.expectedClose,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    lostReason: row.lostReason,
    sourceFunnel: row.sourceFunnel,
    attribution,
    notes: row.notes,
  };
}

function dealRowSchema(order: DateOrder | null, defaultCurrency: string): z.ZodType<DealRowInput> {
  return dealRowFields(order).transform(
    (row, ctx) =>
      toDealInput(row, defaultCurrency, (message) => ctx.addIssue({ code: 'custom', path: ['amount'], message })) as DealRowInput,
  );
}

export function readDealFile(csv: string, options: ImportOptions = {}) {
  const file = readImportFile('deals', csv, options.mapping);
  const order = dateOrderFor(file, ['expectedClose', 'createdAt', 'closedAt'], options.dateOrder);
  const currency = options.defaultCurrency ?? 'USD';
  const rows = validateRows(file, dealRowFields(order), dealRowSchema(order, currency), (fields) => toDealInput(fields, currency));
  return { file, rows };
}

interface ImportStage {
  id: string;
  name: string;
  kind: StageKind;
  position: number;
}

export interface ImportPipeline {
  id: string;
  name: string;
  stages: ImportStage[];
}

export interface DealImportLookups {
  now: number;
  /** Every pipeline of the workspace. */
  pipelines: ImportPipeline[];
  /** When set, every row goes into this pipeline and the Pipeline column is not read. */
  pipelineId: string | null;
  /** Member user id by normalised email. */
  members: Map<string, string>;
  /** Existing lead id by normalised email (for the emails in the file). */
  leads: Map<string, string>;
  funnels: Array<{ id: string; name: string }>;
  /** `<pipelineId> <leadId>` for every lead that has an open deal in that pipeline already. */
  openDeals: Set<string>;
  /** The highest position in each stage column now. */
  lastPositions: Map<string, number>;
  positionStep: number;
}

interface PlannedDeal {
  row: number;
  id: string;
  pipelineId: string;
  stage: ImportStage;
  position: number;
  name: string;
  valueMinor: number;
  currency: string;
  leadId: string | null;
  ownerId: string | null;
  expectedCloseAt: number | null;
  sourceFunnelId: string | null;
  attribution: Record<string, string>;
  notes: string | null;
  lostReason: string | null;
  stageEnteredAt: number;
  closedAt: number | null;
  createdAt: number;
}

interface PlannedLead {
  id: string;
  email: string;
  name: string | null;
  row: number;
}

export interface DealImportPlan {
  deals: PlannedDeal[];
  newLeads: PlannedLead[];
  /** Deals linked to leads that already existed. */
  linkedLeads: number;
  issues: ImportIssue[];
  warnings: ImportIssue[];
}

/** Names compare trimmed, case-insensitively, with runs of spaces as one. */
function sameName(a: string, b: string): boolean {
  return a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`);
  return shown.join(', ') + (names.length > 8 ? `, …` : '');
}

/**
 * Resolves validated deal rows against the workspace: pipeline and stage by name, lead by email
 * (a lead that does not exist yet is created, once per email), owner by member email, source
 * funnel by name. Checks what the deals service checks (lost reason, one open deal per lead and
 * pipeline, within the file too) and places each deal at the bottom of its column, in file order.
 */
export function planDealImport(
  file: Pick<ReadFile, 'columns' | 'issues' | 'warnings'>,
  rows: CheckedRow<DealRowInput>[],
  lookups: DealImportLookups,
  newId: IdGenerator,
): DealImportPlan {
  const issues = file.issues;
  const warnings = [...file.warnings];
  const col = (field: string) => columnOf(file.columns, field);
  const fixed = lookups.pipelineId ? lookups.pipelines.find((p) => p.id === lookups.pipelineId) : undefined;
  if (lookups.pipelineId && !fixed) throw new Error('planDealImport: pipelineId is not among the lookups');
  const hasPipelineColumn = col('pipeline') !== null;
  if (fixed && hasPipelineColumn) {
    warnings.push(
      fileIssue(
        `header.${col('pipeline')}`,
        `Column "${col('pipeline')}" is not read: every deal goes into "${fixed.name}".`,
        col('pipeline'),
      ),
    );
  }
  if (!fixed && lookups.pipelines.length === 0) {
    throw validationFailed([fileIssue('pipelineId', 'This workspace has no pipeline yet; create one first.')], 'Nothing was imported.');
  }
  if (!fixed && !hasPipelineColumn && lookups.pipelines.length > 1) {
    throw validationFailed(
      [
        fileIssue(
          'pipelineId',
          `This workspace has ${lookups.pipelines.length} pipelines: add a Pipeline column or choose one with pipelineId.`,
        ),
      ],
      'Nothing was imported.',
    );
  }
  const lastPositions = new Map(lookups.lastPositions);
  const openInFile = new Map<string, number>();
  const newLeads = new Map<string, PlannedLead>();
  const deals: PlannedDeal[] = [];
  let linkedLeads = 0;

  for (const { row, valid, value: d } of rows) {
    const before = issues.length;
    const problem = (field: string, message: string) => issues.push(rowIssue(row, field, col(field), message));

    let pipeline: ImportPipeline | undefined = fixed;
    if (!pipeline) {
      if (!d.pipeline) {
        if (lookups.pipelines.length === 1) pipeline = lookups.pipelines[0];
        else problem('pipeline', 'Name the pipeline for this deal.');
      } else {
        const named = lookups.pipelines.filter((p) => sameName(p.name, d.pipeline!));
        if (named.length === 1) pipeline = named[0];
        else if (named.length === 0)
          problem('pipeline', `No pipeline is named "${d.pipeline}"; there are ${listNames(lookups.pipelines.map((p) => p.name))}.`);
        else problem('pipeline', `${named.length} pipelines are named "${d.pipeline}"; import into one of them with pipelineId.`);
      }
    }

    let stage: ImportStage | undefined;
    if (pipeline) {
      if (d.stage) {
        stage = pipeline.stages.find((s) => sameName(s.name, d.stage!));
        if (!stage)
          problem(
            'stage',
            `"${pipeline.name}" has no stage "${d.stage}"; its stages are ${listNames(pipeline.stages.map((s) => s.name))}.`,
          );
      } else {
        stage = pipeline.stages.find((s) => s.kind === 'open');
        if (!stage) problem('stage', `"${pipeline.name}" has no open stage; name the stage for this deal.`);
      }
    }

    let lostReason: string | null = null;
    if (stage?.kind === 'lost') {
      if (d.lostReason) lostReason = d.lostReason;
      else problem('lostReason', `"${stage.name}" is a lost stage: say why the deal was lost.`);
    } else if (stage && d.lostReason) {
      warnings.push(rowIssue(row, 'lostReason', col('lostReason'), `The lost reason is not kept: "${stage.name}" is not a lost stage.`));
    }

    const createdAt = d.createdAt ?? lookups.now;
    if (d.createdAt !== undefined && d.createdAt > lookups.now) problem('createdAt', 'The deal cannot be created in the future.');
    let closedAt: number | null = null;
    if (stage && stage.kind !== 'open') {
      closedAt = d.closedAt ?? lookups.now;
      if (d.closedAt !== undefined && d.closedAt > lookups.now) problem('closedAt', 'The deal cannot close in the future.');
      else if (d.closedAt !== undefined && d.closedAt < createdAt) problem('closedAt', 'The deal closes before it was created.');
    } else if (stage && d.closedAt !== undefined) {
      problem('closedAt', `"${stage.name}" is an open stage: leave the close time empty, or choose a won or lost stage.`);
    }

    let ownerId: string | null = null;
    if (d.ownerEmail) {
      ownerId = lookups.members.get(d.ownerEmail) ?? null;
      if (!ownerId) problem('ownerEmail', `No member of this workspace has the email ${d.ownerEmail}.`);
    }

    let sourceFunnelId: string | null = null;
    if (d.sourceFunnel) {
      const named = lookups.funnels.filter((f) => sameName(f.name, d.sourceFunnel!));
      if (named.length === 1) sourceFunnelId = named[0]!.id;
      else if (named.length === 0) problem('sourceFunnel', `No funnel is named "${d.sourceFunnel}".`);
      else problem('sourceFunnel', `${named.length} funnels are named "${d.sourceFunnel}"; rename one to tell them apart.`);
    }

    let leadId: string | null = null;
    if (d.email) {
      leadId = lookups.leads.get(d.email) ?? newLeads.get(d.email)?.id ?? null;
      if (pipeline && stage?.kind === 'open') {
        const key = `${pipeline.id} ${d.email}`;
        const earlier = openInFile.get(key);
        if (leadId && lookups.openDeals.has(`${pipeline.id} ${leadId}`)) {
          problem('email', `${d.email} already has an open deal in "${pipeline.name}"; a lead has one open deal per pipeline.`);
        } else if (earlier !== undefined) {
          problem(
            'email',
            `Row ${earlier} already opens a deal for ${d.email} in "${pipeline.name}"; a lead has one open deal per pipeline.`,
          );
        } else if (valid) openInFile.set(key, row);
      }
    }

    if (!valid || issues.length > before || !pipeline || !stage) continue;
    if (d.email && lookups.leads.has(d.email)) linkedLeads++;
    else if (d.email) {
      const pending = newLeads.get(d.email);
      if (pending) pending.name ??= d.leadName ?? null;
      else {
        const lead: PlannedLead = { id: newId(), email: d.email, name: d.leadName ?? null, row };
        newLeads.set(d.email, lead);
        leadId = lead.id;
      }
    }
    const last = lastPositions.get(stage.id);
    const position = last === undefined ? 0 : last + lookups.positionStep;
    lastPositions.set(stage.id, position);
    deals.push({
      row,
      id: newId(),
      pipelineId: pipeline.id,
      stage,
      position,
      name: d.name,
      valueMinor: d.valueMinor,
      currency: d.currency,
      leadId,
      ownerId,
      expectedCloseAt: d.expectedCloseAt ?? null,
      sourceFunnelId,
      attribution: d.attribution,
      notes: d.notes ?? null,
      lostReason,
      stageEnteredAt: closedAt ?? createdAt,
      closedAt,
      createdAt,
    });
  }
  return { deals, newLeads: [...newLeads.values()], linkedLeads, issues: byRow(issues), warnings: byRow(warnings) };
}
