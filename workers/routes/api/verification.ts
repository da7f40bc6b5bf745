import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { DEFAULT_AUTH_LIMITS } from '../../domain/auth-limits';
import { apiDoc } from '../../middleware/api-doc';
import { requireUser } from '../../middleware/auth';
import { resendVerification, verificationStatus } from '../../services/account-email';
import { appOrigin } from '../app-origin';
import { serviceCtx } from '../service-context';

/** The signed-in member's email verification: whether it is done, and the mail again. Nothing else waits on it. */
export const verificationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({ summary: 'Whether the signed-in member confirmed their email address', returns: '`{ verified: boolean }`.' }),
    requireUser,
    async (c) => c.json(await verificationStatus(c.var.deps.database.db, c.var.user!.id)),
  )
  .post(
    '/',
    apiDoc({
      summary: 'Send the verification mail again',
      returns: '`{ sent, verified }`: `sent` false when the address is already verified.',
      errors: { too_many_attempts: { status: 429, when: 'three were sent in the last 15 minutes; wait `Retry-After` seconds.' } },
    }),
    requireUser,
    async (c) => {
      const deps = c.var.deps;
      const windowMs = { ...DEFAULT_AUTH_LIMITS, ...deps.authLimits }.windowMs;
      return c.json(await resendVerification(serviceCtx(c), c.var.user!, deps.secret, windowMs, appOrigin(c)));
    },
  );
