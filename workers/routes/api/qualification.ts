import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { actionSchema, conditionsSchema } from '../../domain/qualification';
import { scoringConfigSchema } from '../../domain/scoring';
import { parseWith, readJson, readParams } from '../../middleware/validate';
import { testRule } from '../../services/qualification';
import { createRule, deleteRule, getRule, listRules, reorderRules, updateRule } from '../../services/qualification-rules';
import { getScoring, saveScoring } from '../../services/scoring';
import { serviceCtx } from '../service-context';

const id = z.string().min(1).max(64);
const funnelParams = z.object({ id });
const ruleParams = z.object({ id, ruleId: id });

const ruleFields = {
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  enabled: z.boolean(),
  /** All must hold; none = every lead with history in the funnel. */
  conditions: conditionsSchema,
  action: actionSchema,
  /** 0-based place among the funnel's rules (evaluated in this order). */
  position: z.int().min(0).max(1000),
};
const newRuleSchema = z.strictObject({
  ...ruleFields,
  enabled: ruleFields.enabled.default(true),
  conditions: ruleFields.conditions.default([]),
  position: ruleFields.position.optional(),
});
const rulePatchSchema = z
  .strictObject(ruleFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.');
const reorderSchema = z.strictObject({ ruleIds: z.array(id).max(1000) });
const testSchema = z.strictObject({ leadId: id.optional() });

/** The dry run takes an optional body: no body at all tries the rule on the funnel's recent leads. */
async function readOptionalJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  const hasBody = c.req.header('content-type') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
  return hasBody ? readJson(c, schema) : parseWith(schema, {});
}

/**
 * Lead scoring and qualification rules of a funnel, under `/api/funnels/:id`:
 * `GET|PUT|DELETE /scoring`, `GET|POST /rules`, `POST /rules/reorder`,
 * `GET|PATCH|DELETE /rules/:ruleId`, `POST /rules/:ruleId/test` (dry run).
 */
export const qualificationRoutes = new Hono<AppEnv>()
  .get('/:id/scoring', async (c) =>
    c.json(await getScoring(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, funnelParams).id)),
  )
  .put('/:id/scoring', async (c) => {
    const { id } = readParams(c, funnelParams);
    const config = await readJson(c, scoringConfigSchema);
    return c.json(await saveScoring(serviceCtx(c), c.var.scope.workspaceId, id, config));
  })
  .delete('/:id/scoring', async (c) => {
    const { id } = readParams(c, funnelParams);
    return c.json(await saveScoring(serviceCtx(c), c.var.scope.workspaceId, id, null));
  })
  .get('/:id/rules', async (c) => {
    const { id } = readParams(c, funnelParams);
    return c.json({ rules: await listRules(c.var.deps.database.db, c.var.scope.workspaceId, id) });
  })
  .post('/:id/rules', async (c) => {
    const { id } = readParams(c, funnelParams);
    return c.json(await createRule(serviceCtx(c), c.var.scope.workspaceId, id, await readJson(c, newRuleSchema)), 201);
  })
  .post('/:id/rules/reorder', async (c) => {
    const { id } = readParams(c, funnelParams);
    const { ruleIds } = await readJson(c, reorderSchema);
    return c.json({ rules: await reorderRules(serviceCtx(c), c.var.scope.workspaceId, id, ruleIds) });
  })
  .get('/:id/rules/:ruleId', async (c) => {
    const { id, ruleId } = readParams(c, ruleParams);
    return c.json(await getRule(c.var.deps.database.db, c.var.scope.workspaceId, id, ruleId));
  })
  .patch('/:id/rules/:ruleId', async (c) => {
    const { id, ruleId } = readParams(c, ruleParams);
    return c.json(await updateRule(serviceCtx(c), c.var.scope.workspaceId, id, ruleId, await readJson(c, rulePatchSchema)));
  })
  .delete('/:id/rules/:ruleId', async (c) => {
    const { id, ruleId } = readParams(c, ruleParams);
    await deleteRule(serviceCtx(c), c.var.scope.workspaceId, id, ruleId);
    return c.body(null, 204);
  })
  .post('/:id/rules/:ruleId/test', async (c) => {
    const { id, ruleId } = readParams(c, ruleParams);
    const { leadId } = await readOptionalJson(c, testSchema);
    return c.json(await testRule(c.var.deps.database.db, c.var.scope.workspaceId, id, ruleId, leadId));
  });
