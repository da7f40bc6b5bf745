import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { requireUser } from '../../middleware/auth';
import { readParams } from '../../middleware/validate';
import { acceptInvitation, previewInvitation } from '../../services/accounts';
import { serviceCtx } from '../service-context';

const tokenParam = z.object({ token: z.string().min(10).max(100) });

/** The invitee's side of an invitation link: see what it is for, then accept it while signed in. */
export const invitationRoutes = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    const { token } = readParams(c, tokenParam);
    return c.json(await previewInvitation(c.var.deps.database.db, token, c.var.deps.clock()));
  })
  .post('/:token/accept', requireUser, async (c) => {
    const { token } = readParams(c, tokenParam);
    const result = await acceptInvitation(serviceCtx(c), token, c.var.user!.id);
    return c.json(result, 201);
  });
