/**
 * Funnels from templates: the whole funnel — its pages (drafts, or published), the stage each
 * page counts for, lead scoring and the qualification rule, and the pipeline the rule feeds when
 * the workspace has none that fits — written in one atomic batch, so a failure (a taken slug, a
 * lost connection) leaves nothing half-made.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { and, asc, eq } from 'drizzle-orm';
import { funnelPages, funnels, pageVersions, pipelineStages, pipelines, qualificationRules } from '../../db/schema';
import { isUniqueViolation } from '../../db/errors';
import type { Db } from '../../db/types';
import { AppError, notFound, validationFailed } from '../domain/errors';
import { PIPELINE_TEMPLATES } from '../domain/pipeline-templates';
import { isCaptureBlock } from '../domain/blocks';
import { actionSchema } from '../domain/qualification';
import { instantiateTemplate, qualificationSummary, templateStageOverrides } from '../domain/templates/steps';
import { TEMPLATE_GOAL_LABELS, type FunnelTemplate } from '../domain/templates/types';
import type { TemplateDetail, TemplatePageSummary, TemplateSummary } from '../contract/templates';
import type { ServiceCtx } from './context';
import type { TemplateCatalog } from './ports';
import { getFunnel } from './funnels';
import { funnelCacheKeys } from './page-cache';
import { pipelineFromTemplate } from './pipelines';
import { ruleView, type RuleRow } from './qualification-rules';

type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'pageCache' | 'renderPublishedPage' | 'templates'>;

export interface FunnelFromTemplateInput {
  name: string;
  slug: string;
  /** The pipeline the rule's deals go to; by default one of the workspace's that fits, or a new one. */
  pipelineId?: string | undefined;
  /** Publish every page at once (the seed does); by default the pages are drafts to edit first. */
  publish?: boolean | undefined;
}

export async function requireTemplate(catalog: TemplateCatalog, templateId: string): Promise<FunnelTemplate> {
  const template = (await catalog.all()).find((t) => t.id === templateId);
  if (!template) throw notFound('Template');
  return template;
}

/** Where a template page is rendered for previews and thumbnails (routes/api/templates.ts). */
export function templatePreviewUrl(templateId: string, pageSlug?: string): string {
  const base = `/api/templates/${templateId}/preview`;
  return pageSlug ? `${base}?page=${pageSlug}` : base;
}

function pageSummaries(template: FunnelTemplate): TemplatePageSummary[] {
  return template.pages.map((page, i) => ({
    slug: page.slug,
    name: page.name,
    kind: page.kind,
    stage: page.stage,
    title: page.content.settings.title,
    blockTypes: page.content.blocks.map((block) => block.type),
    capturesLeads: page.content.blocks.some(isCaptureBlock),
    previewUrl: templatePreviewUrl(template.id, i === 0 ? undefined : page.slug),
  }));
}

function summaryOf(template: FunnelTemplate): TemplateSummary {
  return {
    id: template.id,
    name: template.name,
    goal: template.goal,
    goalLabel: TEMPLATE_GOAL_LABELS[template.goal],
    description: template.description,
    suggestedName: template.suggestedName,
    suggestedSlug: template.suggestedSlug,
    theme: template.theme,
    thumbnailUrl: templatePreviewUrl(template.id),
    pages: pageSummaries(template),
    qualification: { name: template.qualification.name, summary: qualificationSummary(template) },
  };
}

/** The gallery, in its order. */
export async function listTemplates(catalog: TemplateCatalog): Promise<TemplateSummary[]> {
  return (await catalog.all()).map(summaryOf);
}

/** One template in full, as a funnel created from it at `now` would get it (countdowns still ahead). */
export async function getTemplate(catalog: TemplateCatalog, templateId: string, now: number): Promise<TemplateDetail> {
  const template = instantiateTemplate(await requireTemplate(catalog, templateId), now);
  const summary = summaryOf(template);
  return {
    ...summary,
    pages: summary.pages.map((page, i) => ({ ...page, content: template.pages[i]!.content })),
    scoring: template.scoring,
    qualification: { ...template.qualification, summary: summary.qualification.summary },
  };
}

interface PipelineChoice {
  id: string;
  name: string;
  stageId: string;
  stageName: string;
  /** Rows to insert when the workspace had no pipeline that fits. */
  rows?: ReturnType<typeof pipelineFromTemplate>;
}

async function workspacePipelines(db: Db, workspaceId: string, pipelineId?: string) {
  const rows = await db
    .select({
      id: pipelines.id,
      name: pipelines.name,
      stageId: pipelineStages.id,
      stageName: pipelineStages.name,
      kind: pipelineStages.kind,
    })
    .from(pipelines)
    .innerJoin(pipelineStages, eq(pipelineStages.pipelineId, pipelines.id))
    .where(and(eq(pipelines.workspaceId, workspaceId), pipelineId ? eq(pipelines.id, pipelineId) : undefined))
    .orderBy(asc(pipelines.createdAt), asc(pipelines.id), asc(pipelineStages.position));
  const byId = new Map<string, { id: string; name: string; stages: Array<{ id: string; name: string; kind: string }> }>();
  for (const row of rows) {
    const pipeline = byId.get(row.id) ?? { id: row.id, name: row.name, stages: [] };
    pipeline.stages.push({ id: row.stageId, name: row.stageName, kind: row.kind });
    byId.set(row.id, pipeline);
  }
  return [...byId.values()];
}

/**
 * Where the template's deals go. A chosen pipeline: its open stage of the rule's name, else its
 * first open stage. Otherwise the workspace's first pipeline that has every stage of the rule's
 * pipeline template (it was made from it), then any with an open stage of that name, then a new
 * pipeline from the template.
 */
async function choosePipeline(ctx: Ctx, workspaceId: string, template: FunnelTemplate, pipelineId?: string): Promise<PipelineChoice> {
  const rule = template.qualification;
  const open = (stages: Array<{ id: string; name: string; kind: string }>) => stages.filter((s) => s.kind === 'open');
  if (pipelineId) {
    const [pipeline] = await workspacePipelines(ctx.db, workspaceId, pipelineId);
    if (!pipeline) throw validationFailed([{ path: 'pipelineId', message: 'No such pipeline in this workspace.' }]);
    const stage = open(pipeline.stages).find((s) => s.name === rule.stage) ?? open(pipeline.stages)[0];
    if (!stage) throw validationFailed([{ path: 'pipelineId', message: 'This pipeline has no open stage for new deals.' }]);
    return { id: pipeline.id, name: pipeline.name, stageId: stage.id, stageName: stage.name };
  }
  const kind = PIPELINE_TEMPLATES[rule.pipeline];
  const candidates = (await workspacePipelines(ctx.db, workspaceId)).filter((p) => open(p.stages).some((s) => s.name === rule.stage));
  const fits = candidates.find((p) => kind.stages.every((k) => p.stages.some((s) => s.name === k.name))) ?? candidates[0];
  if (fits) {
    const stage = open(fits.stages).find((s) => s.name === rule.stage)!;
    return { id: fits.id, name: fits.name, stageId: stage.id, stageName: stage.name };
  }
  const rows = pipelineFromTemplate(ctx, workspaceId, kind);
  const stage = rows.stages.find((s) => s.name === rule.stage && s.kind === 'open');
  // Templates are checked against their pipeline templates by the unit tests; this guards a bad edit.
  if (!stage) throw new Error(`Template ${template.id}: "${rule.stage}" is not an open stage of the ${kind.key} pipeline`);
  return { id: rows.pipeline.id, name: rows.pipeline.name, stageId: stage.id, stageName: stage.name, rows };
}

/**
 * Creates the funnel, its pages, scoring, stage mapping and qualification rule from a template,
 * in one batch. A taken slug is a 409 with a field error on `slug`.
 */
export async function createFunnelFromTemplate(
  ctx: Ctx,
  workspaceId: string,
  userId: string | null,
  templateId: string,
  input: FunnelFromTemplateInput,
) {
  const now = ctx.clock();
  const template = instantiateTemplate(await requireTemplate(ctx.templates, templateId), now);
  const pipeline = await choosePipeline(ctx, workspaceId, template, input.pipelineId);

  const funnelId = ctx.newId();
  const funnel = {
    id: funnelId,
    workspaceId,
    name: input.name,
    slug: input.slug,
    customDomain: null,
    settings: { stages: templateStageOverrides(template), scoring: template.scoring },
    createdAt: now,
    updatedAt: now,
  };
  const siblings = template.pages.map((page, position) => ({ slug: page.slug, position, published: !!input.publish }));
  const pages = template.pages.map((page, position) => ({
    id: ctx.newId(),
    workspaceId,
    funnelId,
    slug: page.slug,
    name: page.name,
    kind: page.kind,
    position,
    draft: page.content,
    publishedVersionId: null as string | null,
    createdAt: now,
    updatedAt: now,
  }));
  // Rendered before anything is written: every page's links resolve, as all pages are known.
  const versions = input.publish
    ? pages.map((page, i) => {
        const version = {
          id: ctx.newId(),
          workspaceId,
          pageId: page.id,
          version: 1,
          content: page.draft,
          html: ctx.renderPublishedPage(template.pages[i]!.content, input.slug, page.slug, siblings),
          createdBy: userId,
          createdAt: now,
        };
        page.publishedVersionId = version.id;
        return version;
      })
    : [];
  const rule = template.qualification;
  const ruleRow: RuleRow = {
    id: ctx.newId(),
    workspaceId,
    funnelId,
    name: rule.name,
    position: 0,
    enabled: true,
    conditions: rule.conditions,
    action: actionSchema.parse({
      pipelineId: pipeline.id,
      stageId: pipeline.stageId,
      value: rule.value,
      currency: rule.currency,
      nameTemplate: rule.nameTemplate,
      ...(rule.campaign ? { campaign: rule.campaign } : {}),
      owner: { kind: 'round_robin' },
    }),
    assignCursor: 0,
    createdAt: now,
    updatedAt: now,
  };

  const writes: BatchItem<'sqlite'>[] = [];
  if (pipeline.rows) {
    writes.push(ctx.db.insert(pipelines).values(pipeline.rows.pipeline), ctx.db.insert(pipelineStages).values(pipeline.rows.stages));
  }
  writes.push(ctx.db.insert(funnels).values(funnel), ctx.db.insert(funnelPages).values(pages));
  if (versions.length) writes.push(ctx.db.insert(pageVersions).values(versions));
  writes.push(ctx.db.insert(qualificationRules).values(ruleRow));
  try {
    await ctx.db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(409, 'already_exists', 'That slug is already taken.', [
        { path: 'slug', message: `Another funnel is already at /p/${input.slug}: choose another slug.` },
      ]);
    }
    throw err;
  }
  // Nothing should be cached under a slug that had no funnel, but a funnel deleted moments ago may be.
  if (input.publish)
    await ctx.pageCache.delete(
      funnelCacheKeys(
        input.slug,
        pages.map((p) => p.slug),
      ),
    );

  return {
    funnel: await getFunnel(ctx.db, workspaceId, funnelId),
    pipeline: { id: pipeline.id, name: pipeline.name, stageId: pipeline.stageId, stageName: pipeline.stageName, created: !!pipeline.rows },
    qualificationRule: ruleView(ruleRow),
  };
}
