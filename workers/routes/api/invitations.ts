import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { requireUser } from '../../middleware/auth';
import { validate } from '../../middleware/validate';
import { acceptInvitation, previewInvitation } from '../../services/accounts';
import { serviceCtx } from '../service-context';
import { auditOrigin } from '../audit-origin';

const tokenParam = z.object({ token: z.string().min(10).max(100) });

/** The invitee's side of an invitation link: see what it is for, then accept it while signed in. */
export const invitationRoutes = new Hono<AppEnv>()
  .get(
    '/:token',
    apiDoc({ summary: 'What an invitation link is for', description: 'Needs no sign-in.' }),
    validate('param', tokenParam),
    async (c) => c.json(await previewInvitation(c.var.deps.database.db, c.req.valid('param').token, c.var.deps.clock())),
  )
  .post(
    '/:token/accept',
    apiDoc({ summary: 'Accept an invitation as the signed-in member', status: 201 }),
    requireUser,
    validate('param', tokenParam),
    async (c) => {
      const result = await acceptInvitation(serviceCtx(c), c.req.valid('param').token, c.var.user!.id, await auditOrigin(c));
      return c.json(result, 201);
    },
  );
