import { and, asc, eq, sql } from 'drizzle-orm';
import { deals, pipelineStages, pipelines } from '../../db/schema';
import type { Db } from '../../db/types';
import { notFound } from '../domain/errors';
import type { PipelineTemplate } from '../domain/pipeline-templates';
import type { AppDeps } from '../deps';

type Ctx = Pick<AppDeps, 'clock' | 'newId'> & { db: Db };

/** Rows for a pipeline built from a template; the caller writes them in one batch with anything else. */
export function pipelineFromTemplate(ctx: Ctx, workspaceId: string, template: PipelineTemplate, name = template.name) {
  const now = ctx.clock();
  const pipelineId = ctx.newId();
  const stages = template.stages.map((s, i) => ({
    id: ctx.newId(),
    workspaceId,
    pipelineId,
    name: s.name,
    position: i,
    kind: s.kind,
    winProbability: s.winProbability,
    rottingDays: s.rottingDays ?? null,
    createdAt: now,
  }));
  // The first stage of each closing kind is the one the pipeline names as its won / lost stage.
  const wonStageId = stages.find((s) => s.kind === 'won')?.id ?? null;
  const lostStageId = stages.find((s) => s.kind === 'lost')?.id ?? null;
  return {
    pipeline: { id: pipelineId, workspaceId, name, wonStageId, lostStageId, createdAt: now, updatedAt: now },
    stages,
  };
}

export async function listPipelines(db: Db, workspaceId: string) {
  const [rows, stageRows, totals] = await Promise.all([
    db.select().from(pipelines).where(eq(pipelines.workspaceId, workspaceId)).orderBy(asc(pipelines.createdAt)),
    db.select().from(pipelineStages).where(eq(pipelineStages.workspaceId, workspaceId)).orderBy(asc(pipelineStages.position)),
    db
      .select({
        stageId: deals.stageId,
        count: sql<number>`count(*)`,
        valueMinor: sql<number>`coalesce(sum(${deals.valueMinor}), 0)`,
      })
      .from(deals)
      .where(eq(deals.workspaceId, workspaceId))
      .groupBy(deals.stageId),
  ]);
  const byStage = new Map(totals.map((t) => [t.stageId, t]));
  return rows.map((p) => ({
    ...p,
    stages: stageRows
      .filter((s) => s.pipelineId === p.id)
      .map((s) => ({ ...s, dealCount: Number(byStage.get(s.id)?.count ?? 0), valueMinor: Number(byStage.get(s.id)?.valueMinor ?? 0) })),
  }));
}

export async function getPipelineWithDeals(db: Db, workspaceId: string, pipelineId: string) {
  const [pipeline] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.id, pipelineId), eq(pipelines.workspaceId, workspaceId)));
  if (!pipeline) throw notFound('Pipeline');
  const [stageRows, dealRows] = await Promise.all([
    db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipelineId)).orderBy(asc(pipelineStages.position)),
    db
      .select()
      .from(deals)
      .where(and(eq(deals.pipelineId, pipelineId), eq(deals.workspaceId, workspaceId)))
      .orderBy(asc(deals.position), asc(deals.createdAt)),
  ]);
  return { ...pipeline, stages: stageRows.map((s) => ({ ...s, deals: dealRows.filter((d) => d.stageId === s.id) })) };
}
