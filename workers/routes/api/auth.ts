import { Hono } from 'hono';
import * as z from 'zod';
import { emailSchema } from '../../domain/emails';
import type { AppEnv } from '../../deps';
import { readJson } from '../../middleware/validate';
import { clearSessionCookie, writeSessionCookie } from '../../middleware/session-cookie';
import { login, signup } from '../../services/accounts';
import { revokeSession } from '../../services/sessions';
import { serviceCtx } from '../service-context';

export const passwordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');

const signupSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1, 'Enter your name.').max(100),
  workspaceName: z.string().trim().min(1).max(100).optional(),
  inviteToken: z.string().min(10).max(100).optional(),
});

const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
});

export const authRoutes = new Hono<AppEnv>()
  .post('/signup', async (c) => {
    const input = await readJson(c, signupSchema);
    const deps = c.var.deps;
    const result = await signup(serviceCtx(c), input, c.req.header('user-agent'));
    writeSessionCookie(c, result.session.token, result.session.expiresAt, deps.clock());
    return c.json({ user: result.user, workspaceId: result.workspaceId }, 201);
  })
  .post('/login', async (c) => {
    const input = await readJson(c, loginSchema);
    const deps = c.var.deps;
    const result = await login(serviceCtx(c), input.email, input.password, c.req.header('user-agent'));
    writeSessionCookie(c, result.session.token, result.session.expiresAt, deps.clock());
    return c.json({ user: result.user });
  })
  .post('/logout', async (c) => {
    if (c.var.sessionId) await revokeSession(c.var.deps.database.db, c.var.sessionId);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

export { signupSchema, loginSchema };
