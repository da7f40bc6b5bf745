import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { actionSchema, conditionsSchema } from '../../domain/qualification';
import { scoringConfigSchema } from '../../domain/scoring';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { testRule } from '../../services/qualification';
import { createRule, deleteRule, getRule, listRules, reorderRules, updateRule } from '../../services/qualification-rules';
import { getScoring, saveScoring } from '../../services/scoring';
import { serviceCtx } from '../service-context';
import { id } from '../schemas';

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
const newRuleSchema = z
  .strictObject({
    ...ruleFields,
    enabled: ruleFields.enabled.default(true),
    conditions: ruleFields.conditions.default([]),
    position: ruleFields.position.optional(),
  })
  .meta({
    examples: [
      {
        name: 'Quiz takers with a high score',
        conditions: [{ kind: 'score_at_least', score: 60 }],
        action: {
          pipelineId: '01JDEMOPIPELINE',
          stageId: '01JDEMOSTAGE',
          value: { kind: 'offer_price', offerPriceMinor: 25_000 },
          currency: 'USD',
          campaign: 'Cosmetics set',
          owner: { kind: 'round_robin' },
        },
      },
    ],
  });
const rulePatchSchema = z
  .strictObject(ruleFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.')
  .meta({ examples: [{ enabled: false }] });
const reorderSchema = z.strictObject({ ruleIds: z.array(id).max(1000) }).meta({ examples: [{ ruleIds: ['01JRULEB', '01JRULEA'] }] });
/** The dry run takes an optional body: no body at all tries the rule on the funnel's recent leads. */
const testSchema = z.strictObject({ leadId: id.optional() }).meta({ examples: [{ leadId: '01JLEAD' }] });
const scoringSchema = scoringConfigSchema.meta({
  examples: [{ events: { quiz_complete: 20 }, fields: [{ field: 'skin_type', equals: 'dry', points: 10 }] }],
});

/**
 * Lead scoring and qualification rules of a funnel, under `/api/funnels/:id`:
 * `GET|PUT|DELETE /scoring`, `GET|POST /rules`, `POST /rules/reorder`,
 * `GET|PATCH|DELETE /rules/:ruleId`, `POST /rules/:ruleId/test` (dry run).
 */
export const qualificationRoutes = new Hono<AppEnv>()
  .get('/:id/scoring', apiDoc({ summary: 'A funnel’s lead scoring (stored or default)' }), validate('param', funnelParams), async (c) =>
    c.json(await getScoring(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .put(
    '/:id/scoring',
    apiDoc({ summary: 'Save a funnel’s lead scoring (leads are re-scored after the response)' }),
    validate('param', funnelParams),
    validate('json', scoringSchema),
    async (c) => c.json(await saveScoring(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete('/:id/scoring', apiDoc({ summary: 'Go back to the default scoring' }), validate('param', funnelParams), async (c) =>
    c.json(await saveScoring(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, null)),
  )
  .get(
    '/:id/rules',
    apiDoc({ summary: 'List a funnel’s qualification rules, in evaluation order' }),
    validate('param', funnelParams),
    async (c) => c.json({ rules: await listRules(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id) }),
  )
  .post(
    '/:id/rules',
    apiDoc({ summary: 'Add a qualification rule', status: 201 }),
    validate('param', funnelParams),
    validate('json', newRuleSchema),
    async (c) => c.json(await createRule(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json')), 201),
  )
  .post(
    '/:id/rules/reorder',
    apiDoc({ summary: 'Reorder a funnel’s rules' }),
    validate('param', funnelParams),
    validate('json', reorderSchema),
    async (c) =>
      c.json({ rules: await reorderRules(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json').ruleIds) }),
  )
  .get('/:id/rules/:ruleId', apiDoc({ summary: 'Get a rule' }), validate('param', ruleParams), async (c) => {
    const { id, ruleId } = c.req.valid('param');
    return c.json(await getRule(c.var.deps.database.db, c.var.scope.workspaceId, id, ruleId));
  })
  .patch(
    '/:id/rules/:ruleId',
    apiDoc({ summary: 'Edit a rule' }),
    validate('param', ruleParams),
    validate('json', rulePatchSchema),
    async (c) => {
      const { id, ruleId } = c.req.valid('param');
      return c.json(await updateRule(serviceCtx(c), c.var.scope.workspaceId, id, ruleId, c.req.valid('json')));
    },
  )
  .delete('/:id/rules/:ruleId', apiDoc({ summary: 'Delete a rule', status: 204 }), validate('param', ruleParams), async (c) => {
    const { id, ruleId } = c.req.valid('param');
    await deleteRule(serviceCtx(c), c.var.scope.workspaceId, id, ruleId);
    return c.body(null, 204);
  })
  .post(
    '/:id/rules/:ruleId/test',
    apiDoc({
      summary: 'Dry-run a rule',
      description: 'On one lead (`leadId`), or without a body on the funnel’s recent leads. Writes nothing.',
    }),
    validate('param', ruleParams),
    validate('json', testSchema, { optionalBody: true }),
    async (c) => {
      const { id, ruleId } = c.req.valid('param');
      return c.json(await testRule(c.var.deps.database.db, c.var.scope.workspaceId, id, ruleId, c.req.valid('json').leadId));
    },
  );
