import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { requireUser } from '../../middleware/auth';
import { clearSessionCookie } from '../../middleware/session-cookie';
import { validate } from '../../middleware/validate';
import { listUserWorkspaces } from '../../services/accounts';
import { listUserSessions, revokeOtherSessions, revokeUserSession } from '../../services/sessions';
import {
  beginTwoFactorSetup,
  confirmTwoFactorSetup,
  disableTwoFactor,
  regenerateRecoveryCodes,
  twoFactorStatus,
} from '../../services/two-factor';
import { attemptSource } from '../attempt-source';
import { serviceCtx } from '../service-context';

/** Session ids are the SHA-256 of the cookie token (hex): knowing one does not sign anybody in. */
const sessionParam = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'Not a session id.') });

const codeField = z.string().trim().min(1, 'Enter the code from your authenticator app.').max(40);
const confirmSchema = z.object({ code: codeField }).meta({ examples: [{ code: '123456' }] });
/** A change to 2FA is proven with a current code (or a recovery code), or with the password. */
const proofSchema = z
  .union([z.object({ code: codeField }).strict(), z.object({ password: z.string().min(1, 'Enter your password.').max(200) }).strict()], {
    error: 'Send either `code` (from your authenticator app, or a recovery code) or `password`.',
  })
  .meta({ examples: [{ code: '123456' }, { password: 'correct horse battery' }] });

export const meRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'The signed-in member and their workspaces' }), requireUser, async (c) => {
    const user = c.var.user!;
    const workspaces = await listUserWorkspaces(c.var.deps.database.db, user.id);
    return c.json({ user, workspaces });
  })
  .get(
    '/sessions',
    apiDoc({
      summary: 'The signed-in member’s sessions (devices), most recently used first',
      returns:
        '`{ sessions: [{ id, device: "Chrome on Linux", userAgent, createdAt, lastUsedAt, current }] }`; `current` marks this one; `lastUsedAt` is accurate to the minute.',
    }),
    requireUser,
    async (c) => {
      const { database, clock } = c.var.deps;
      return c.json({ sessions: await listUserSessions(database.db, c.var.user!.id, c.var.sessionId!, clock()) });
    },
  )
  .delete(
    '/sessions',
    apiDoc({
      summary: 'Sign out every other session of the member (this one stays signed in)',
      returns: '`{ signedOut: 2 }`: how many sessions ended.',
    }),
    requireUser,
    async (c) => {
      const signedOut = await revokeOtherSessions(c.var.deps.database.db, c.var.user!.id, c.var.sessionId!);
      return c.json({ signedOut });
    },
  )
  .delete(
    '/sessions/:id',
    apiDoc({
      summary: 'Sign out one of the member’s sessions (this one too, which clears the cookie)',
      status: 204,
      description: 'Another member’s session id answers 404, like an unknown one.',
    }),
    requireUser,
    validate('param', sessionParam),
    async (c) => {
      const { id } = c.req.valid('param');
      await revokeUserSession(c.var.deps.database.db, c.var.user!.id, id);
      if (id === c.var.sessionId) clearSessionCookie(c);
      return c.body(null, 204);
    },
  )
  .get(
    '/two-factor',
    apiDoc({
      summary: 'Whether two-factor authentication is on for the signed-in member',
      returns:
        '`{ enabled, enabledAt, recoveryCodesLeft, requiredBy: [{ id, name }] }`; `requiredBy` lists the workspaces that require it.',
    }),
    requireUser,
    async (c) => c.json(await twoFactorStatus(c.var.deps.database.db, c.var.user!.id)),
  )
  .post(
    '/two-factor/setup',
    apiDoc({
      summary: 'Start setting up two-factor authentication: a new secret to scan',
      returns:
        '`{ secret, otpauthUri }`: show `otpauthUri` as a QR code and `secret` for typing in. Shown in this response only; 2FA is on after `POST /api/me/two-factor/confirm`.',
      errors: { two_factor_enabled: { status: 409, when: 'two-factor authentication is already on.' } },
    }),
    requireUser,
    async (c) => c.json(await beginTwoFactorSetup(serviceCtx(c), c.var.deps.secret, c.var.user!)),
  )
  .post(
    '/two-factor/confirm',
    apiDoc({
      summary: 'Finish setting up two-factor authentication with a code from the app',
      returns:
        '`{ enabled: true, enabledAt, recoveryCodes: ["ABCDE-FGHJK", …] }`: ten single-use recovery codes, shown in this response only.',
      errors: {
        invalid_code: { status: 400, when: 'the code is wrong.' },
        two_factor_not_started: { status: 409, when: 'setup was not started.' },
        too_many_attempts: { status: 429, when: 'too many wrong codes; wait `Retry-After` seconds.' },
      },
    }),
    requireUser,
    validate('json', confirmSchema),
    async (c) => {
      const result = await confirmTwoFactorSetup(serviceCtx(c), await attemptSource(c), c.var.user!.id, c.req.valid('json').code);
      return c.json(result);
    },
  )
  .delete(
    '/two-factor',
    apiDoc({
      summary: 'Turn off two-factor authentication (with a current code or the password)',
      status: 204,
      errors: {
        invalid_code: { status: 400, when: 'the code is wrong.' },
        invalid_password: { status: 400, when: 'the password is wrong.' },
        two_factor_required: { status: 409, when: 'a workspace of the member requires two-factor authentication.' },
        too_many_attempts: { status: 429, when: 'too many wrong codes or passwords; wait `Retry-After` seconds.' },
      },
    }),
    requireUser,
    validate('json', proofSchema),
    async (c) => {
      await disableTwoFactor(serviceCtx(c), await attemptSource(c), c.var.user!.id, c.req.valid('json'));
      return c.body(null, 204);
    },
  )
  .post(
    '/two-factor/recovery-codes',
    apiDoc({
      summary: 'Replace the recovery codes (with a current code or the password); the old ones stop working',
      returns: '`{ recoveryCodes: ["ABCDE-FGHJK", …] }`, shown in this response only.',
      errors: {
        invalid_code: { status: 400, when: 'the code is wrong.' },
        two_factor_not_enabled: { status: 409, when: 'two-factor authentication is not on.' },
        too_many_attempts: { status: 429, when: 'too many wrong codes or passwords; wait `Retry-After` seconds.' },
      },
    }),
    requireUser,
    validate('json', proofSchema),
    async (c) => c.json(await regenerateRecoveryCodes(serviceCtx(c), await attemptSource(c), c.var.user!.id, c.req.valid('json'))),
  );
