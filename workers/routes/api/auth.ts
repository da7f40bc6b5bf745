import { Hono } from 'hono';
import * as z from 'zod';
import { emailSchema } from '../../domain/emails';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { clearSessionCookie } from '../../middleware/session-cookie';
import { login, signup } from '../../services/accounts';
import { sendSignupVerification } from '../../services/account-email';
import { appOrigin } from '../app-origin';
import { revokeSession } from '../../services/sessions';
import { completeTwoFactorLogin } from '../../services/two-factor';
import { serviceCtx } from '../service-context';
import { attemptSource, signedIn } from '../attempt-source';
import { recordSignOut } from '../audit-origin';

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

const twoFactorLoginSchema = z
  .object({
    pendingToken: z.string().min(10).max(2000),
    code: z.string().trim().min(1, 'Enter the code from your authenticator app, or a recovery code.').max(40),
  })
  .meta({ examples: [{ pendingToken: 'eyJraW5kIjoicGVuZGluZy1sb2dpbiJ9.c2lnbmF0dXJl', code: '123456' }] });

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
      const ctx = serviceCtx(c);
      const result = await signup(ctx, input, await attemptSource(c));
      await sendSignupVerification(ctx, result.user, appOrigin(c));
      await signedIn(c, result.session, result.user.email);
      return c.json({ user: result.user, workspaceId: result.workspaceId }, 201);
    },
  )
  .post(
    '/login',
    apiDoc({
      summary: 'Sign in (sets the session cookie)',
      returns:
        '`{ status: "signed_in", user }` with the session cookie; for a member with two-factor authentication `{ status: "two_factor_required", pendingToken, expiresAt }` and no cookie: send the token with a code to `POST /api/auth/login/two-factor` within 5 minutes.',
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
      const result = await login(serviceCtx(c), input.email, input.password, await attemptSource(c));
      if (result.twoFactor) return c.json({ status: 'two_factor_required' as const, ...result.twoFactor });
      await signedIn(c, result.session, result.user.email);
      return c.json({ status: 'signed_in' as const, user: result.user });
    },
  )
  .post(
    '/login/two-factor',
    apiDoc({
      summary: 'Sign in, second step: a code from the authenticator app or a recovery code (sets the session cookie)',
      returns: '`{ status: "signed_in", user, method: "totp" | "recovery_code" }`; a used recovery code stops working.',
      errors: {
        invalid_code: { status: 400, when: 'the code is wrong, already used, or a recovery code that was used.' },
        login_expired: { status: 401, when: 'the pending token is not valid or older than 5 minutes: sign in again.' },
        too_many_attempts: { status: 429, when: 'too many wrong codes for this account or from this address; wait `Retry-After` seconds.' },
      },
    }),
    validate('json', twoFactorLoginSchema),
    async (c) => {
      const { pendingToken, code } = c.req.valid('json');
      const result = await completeTwoFactorLogin(serviceCtx(c), await attemptSource(c), pendingToken, code);
      await signedIn(c, result.session, result.user.email);
      return c.json({ status: 'signed_in' as const, user: result.user, method: result.method });
    },
  )
  .post('/logout', apiDoc({ summary: 'Sign out (ends the session)', status: 204 }), async (c) => {
    if (c.var.sessionId) {
      await revokeSession(c.var.deps.database.db, c.var.sessionId);
      await recordSignOut(c);
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  });

export { signupSchema, loginSchema, twoFactorLoginSchema };
