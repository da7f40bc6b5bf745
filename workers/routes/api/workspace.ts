import { Hono } from 'hono';
import * as z from 'zod';
import { ROLES } from '../../domain/roles';
import { emailSchema } from '../../domain/emails';
import { RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS } from '../../domain/privacy';
import type { AppEnv } from '../../deps';
import { requireRole } from '../../middleware/auth';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { changeMemberRole, listInvitations, listMembers, removeMember, revokeInvitation } from '../../services/accounts';
import { inviteMember, resendInvitation } from '../../services/invitation-email';
import { appOrigin } from '../app-origin';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys';
import { assertCanRequireTwoFactor } from '../../services/two-factor';
import { resetMemberTwoFactor } from '../../services/two-factor-reset';
import { attemptSource } from '../attempt-source';
import { getWorkspace, renameWorkspace, updateWorkspaceSettings } from '../../services/workspace-settings';
import { id, idParam } from '../schemas';
import { serviceCtx } from '../service-context';

const userParam = z.object({ userId: id });
const renameSchema = z
  .object({ name: z.string().trim().min(1, 'Enter a workspace name.').max(100) })
  .meta({ examples: [{ name: 'Demo Shop' }] });
const inviteSchema = z
  .object({ role: z.enum(ROLES), email: emailSchema.optional() })
  .meta({ examples: [{ role: 'editor', email: 'sam@example.com' }] });
const roleSchema = z.object({ role: z.enum(ROLES) }).meta({ examples: [{ role: 'viewer' }] });
/** The owner's own proof for a member's 2FA reset: a code, never the password (which a thief may have too). */
const resetTwoFactorSchema = z
  .object({
    code: z
      .string()
      .trim()
      .min(1, 'Enter the code from your authenticator app, or one of your recovery codes.')
      .max(40)
      .describe('The owner’s own current authenticator code, or one of their recovery codes.'),
  })
  .strict()
  .meta({ examples: [{ code: '123456' }] });
const apiKeySchema = z
  .object({ name: z.string().trim().min(1, 'Name the key, e.g. "Shopify".').max(80) })
  .meta({ examples: [{ name: 'Shopify' }] });
const originSchema = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      // Plain http only for a developer's own machine.
      const local = url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
      return (url.protocol === 'https:' || local) && url.origin === value;
    } catch {
      return false;
    }
  }, 'Use an https origin like https://shop.example.com (no path).');
const settingsSchema = z
  .object({
    cookieless: z.boolean(),
    honorPrivacySignals: z.boolean(),
    allowedOrigins: z.array(originSchema).max(50),
    requireTwoFactor: z.boolean(),
    rawEventRetentionMonths: z
      .number()
      .int('Use a whole number of months.')
      .min(RETENTION_MIN_MONTHS, `Keep raw events for at least ${RETENTION_MIN_MONTHS} month.`)
      .max(RETENTION_MAX_MONTHS, `Keep raw events for at most ${RETENTION_MAX_MONTHS} months.`)
      .describe('Months raw events are kept before the scheduled job deletes them (rollups stay); 13 when unset.'),
  })
  .partial()
  .meta({ examples: [{ cookieless: true, allowedOrigins: ['https://shop.example.com'] }, { rawEventRetentionMonths: 13 }] });

/** The current workspace (chosen by the scope middleware): its settings, members and invitations. */
export const workspaceRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'The current workspace, its settings and your role' }), async (c) => {
    const { workspaceId, role } = c.var.scope;
    return c.json({ ...(await getWorkspace(c.var.deps.database.db, workspaceId)), role });
  })
  .patch('/', apiDoc({ summary: 'Rename the workspace' }), requireRole('owner'), validate('json', renameSchema), async (c) =>
    c.json(await renameWorkspace(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('json').name)),
  )
  .patch(
    '/settings',
    apiDoc({
      summary: 'Change tracking, privacy, embedding and security settings',
      description:
        'Cookieless mode, privacy signals, how many months raw events are kept (`rawEventRetentionMonths`, 1–120, default 13), the origins allowed to embed forms, and whether members need two-factor authentication (`requireTwoFactor`: only an owner who has it on can require it).',
      errors: {
        two_factor_not_enabled: { status: 409, when: '`requireTwoFactor: true` from an owner without two-factor authentication.' },
      },
    }),
    requireRole('owner'),
    validate('json', settingsSchema),
    async (c) => {
      if (c.req.valid('json').requireTwoFactor === true) await assertCanRequireTwoFactor(c.var.deps.database.db, c.var.scope.user.id);
      return c.json(await updateWorkspaceSettings(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('json')));
    },
  )
  .get('/api-keys', apiDoc({ summary: 'List API keys (prefixes only)' }), requireRole('owner'), async (c) =>
    c.json({ apiKeys: await listApiKeys(c.var.deps.database.db, c.var.scope.workspaceId) }),
  )
  .post(
    '/api-keys',
    apiDoc({ summary: 'Create an API key for /api/v1', status: 201, returns: 'The key, shown in this response only.' }),
    requireRole('owner'),
    validate('json', apiKeySchema),
    async (c) => {
      // The key is in this response only; afterwards just its prefix is shown.
      return c.json(await createApiKey(serviceCtx(c), c.var.scope.workspaceId, c.var.scope.user.id, c.req.valid('json').name), 201);
    },
  )
  .delete(
    '/api-keys/:id',
    apiDoc({ summary: 'Revoke an API key', status: 204 }),
    requireRole('owner'),
    validate('param', idParam),
    async (c) => {
      await revokeApiKey(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.var.deps.clock());
      return c.body(null, 204);
    },
  )
  .get(
    '/members',
    apiDoc({
      summary: 'List members and their roles',
      returns:
        '`{ members: [{ userId, email, name, role, joinedAt, twoFactor }] }`; `twoFactor` (whether two-factor authentication is on) is shown to owners only, `null` for everyone else.',
    }),
    async (c) => {
      const { workspaceId, role } = c.var.scope;
      return c.json({ members: await listMembers(c.var.deps.database.db, workspaceId, { withTwoFactor: role === 'owner' }) });
    },
  )
  .patch(
    '/members/:userId',
    apiDoc({ summary: 'Change a member’s role' }),
    requireRole('owner'),
    validate('param', userParam),
    validate('json', roleSchema),
    async (c) => {
      const { userId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      await changeMemberRole(c.var.deps.database.db, c.var.scope.workspaceId, userId, role);
      return c.json({ userId, role });
    },
  )
  .delete(
    '/members/:userId',
    apiDoc({ summary: 'Remove a member', status: 204 }),
    requireRole('owner'),
    validate('param', userParam),
    async (c) => {
      await removeMember(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').userId);
      return c.body(null, 204);
    },
  )
  .post(
    '/members/:userId/two-factor/reset',
    apiDoc({
      summary: 'Reset a member’s two-factor authentication (owners, confirmed with their own code)',
      description:
        'For a member who lost both their authenticator and their recovery codes. Removes their authenticator secret and recovery codes and signs out all their sessions, in one transaction, then emails them who reset it and when. They sign in with their password alone, and are sent to set it up again if the workspace requires it. The owner must have two-factor authentication on and confirms with their own current code or a recovery code (throttled like other code checks). Refused for the owner themselves, and for a member who also belongs to another workspace (their account guards that workspace too).',
      returns: '`{ userId, twoFactor: false, sessionsEnded, emailed: true }`.',
      errors: {
        invalid_code: { status: 400, when: 'the owner’s code is wrong (on the `code` field).' },
        two_factor_reset_self: { status: 409, when: 'the owner names themselves: they use their recovery codes and Settings › Security.' },
        two_factor_not_enabled: { status: 409, when: 'the owner does not have two-factor authentication on.' },
        member_two_factor_not_enabled: { status: 409, when: 'the member does not have two-factor authentication on.' },
        member_in_other_workspaces: { status: 409, when: 'the member also belongs to another workspace.' },
        member_changed: {
          status: 409,
          when: 'the member changed (joined a workspace, turned 2FA off) while the reset was being confirmed.',
        },
        too_many_attempts: { status: 429, when: 'too many wrong codes; wait `Retry-After` seconds.' },
      },
    }),
    requireRole('owner'),
    validate('param', userParam),
    validate('json', resetTwoFactorSchema),
    async (c) => {
      const { workspaceId, user } = c.var.scope;
      const result = await resetMemberTwoFactor(serviceCtx(c), await attemptSource(c), {
        workspaceId,
        ownerId: user.id,
        memberId: c.req.valid('param').userId,
        code: c.req.valid('json').code,
        signInUrl: `${appOrigin(c)}/login`,
      });
      return c.json(result);
    },
  )
  .get('/invitations', apiDoc({ summary: 'List open invitations' }), requireRole('owner'), async (c) =>
    c.json({ invitations: await listInvitations(c.var.deps.database.db, c.var.scope.workspaceId, c.var.deps.clock()) }),
  )
  .post(
    '/invitations',
    apiDoc({
      summary: 'Invite someone: a link to send them, mailed to them when an email is given',
      status: 201,
      returns: 'The invitation with its link (shown once) and `emailed`: whether it was mailed.',
    }),
    requireRole('owner'),
    validate('json', inviteSchema),
    async (c) => {
      const { role, email } = c.req.valid('json');
      const scope = c.var.scope;
      // The link is also shown to the owner once, to copy; only its hash is stored.
      return c.json(await inviteMember(serviceCtx(c), scope.workspaceId, scope.user.id, role, email, appOrigin(c)), 201);
    },
  )
  .post(
    '/invitations/:id/resend',
    apiDoc({
      summary: 'Mail an open invitation again, with a fresh link valid for another week (the previous link stops working)',
      returns: 'The invitation with its new link.',
      errors: { no_email: { status: 400, when: 'the invitation names no email address.' } },
    }),
    requireRole('owner'),
    validate('param', idParam),
    async (c) => {
      const scope = c.var.scope;
      return c.json(await resendInvitation(serviceCtx(c), scope.workspaceId, c.req.valid('param').id, scope.user.id, appOrigin(c)));
    },
  )
  .delete(
    '/invitations/:id',
    apiDoc({ summary: 'Revoke an invitation', status: 204 }),
    requireRole('owner'),
    validate('param', idParam),
    async (c) => {
      await revokeInvitation(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.var.deps.clock());
      return c.body(null, 204);
    },
  );
