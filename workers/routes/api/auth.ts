import { Hono } from 'hono';
import * as z from 'zod';
import { emailSchema } from '../../domain/emails';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { clearSessionCookie, writeSessionCookie } from '../../middleware/session-cookie';
import { login, signup } from '../../services/accounts';
import { sendSignupVerification } from '../../services/account-email';
import { appOrigin } from '../app-origin';
import { revokeSession } from '../../services/sessions';
import { serviceCtx } from '../service-context';
import { attemptSource } from '../attempt-source';

export const passwordSchema = z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.');

const signupSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    name: z.string().trim().min(1, 'Enter your name.').max(100),
    workspaceName: z.string().trim().min(1).max(100).optional(),
    inviteToken: z.string().min(10).max(100).optional(),
  })
  .meta({ examples: [{ email: 'ava@example.com', password: 'correct horse battery', name: 'Ava Smith', workspaceName: 'Ava’s shop' }] });

const loginSchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1, 'Enter your password.').max(200),
  })
  .meta({ examples: [{ email: 'demo@leadflare.test', password: 'leadflare-demo' }] });

export const authRoutes = new Hono<AppEnv>()
  .post(
    '/signup',
    apiDoc({
      summary: 'Create an account (and its first workspace) and sign in',
      status: 201,
      errors: {
        email_taken: { status: 409, when: 'an account with this email exists.' },
        too_many_attempts: { status: 429, when: 'too many sign-ups from this address or for this email; wait `Retry-After` seconds.' },
      },
    }),
    validate('json', signupSchema),
    async (c) => {
      const input = c.req.valid('json');
      const deps = c.var.deps;
      const ctx = serviceCtx(c);
      const result = await signup(ctx, input, await attemptSource(c));
      await sendSignupVerification(ctx, result.user, appOrigin(c));
      writeSessionCookie(c, result.session.token, result.session.expiresAt, deps.clock());
      return c.json({ user: result.user, workspaceId: result.workspaceId }, 201);
    },
  )
  .post(
    '/login',
    apiDoc({
      summary: 'Sign in (sets the session cookie)',
      errors: {
        unauthorized: { status: 401, when: 'the email or password is wrong (the same answer for an unknown email).' },
        too_many_attempts: {
          status: 429,
          when: 'too many failed sign-ins for this account or from this address; wait `Retry-After` seconds.',
        },
      },
    }),
    validate('json', loginSchema),
    async (c) => {
      const input = c.req.valid('json');
      const deps = c.var.deps;
      const result = await login(serviceCtx(c), input.email, input.password, await attemptSource(c));
      writeSessionCookie(c, result.session.token, result.session.expiresAt, deps.clock());
      return c.json({ user: result.user });
    },
  )
  .post('/logout', apiDoc({ summary: 'Sign out (ends the session)', status: 204 }), async (c) => {
    if (c.var.sessionId) await revokeSession(c.var.deps.database.db, c.var.sessionId);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

export { signupSchema, loginSchema };
