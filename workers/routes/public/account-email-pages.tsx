import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { AppError, TooManyAttempts } from '../../domain/errors';
import { emailSchema } from '../../domain/emails';
import type { AppEnv } from '../../deps';
import { loadUser } from '../../middleware/auth';
import {
  AccountLinkError,
  checkPasswordResetToken,
  PASSWORD_RESET_TTL_MS,
  requestPasswordReset,
  resetPassword,
  verifyEmail,
} from '../../services/account-email';
import { renderPage } from '../../../pages-ui/admin/layout';
import {
  AccountLinkProblemPage,
  EmailVerifiedPage,
  ForgotPasswordPage,
  ResetLinkSentPage,
  ResetPasswordPage,
} from '../../../pages-ui/admin/account-email-pages';
import { passwordSchema } from '../api/auth';
import { appOrigin } from '../app-origin';
import { attemptSource, signedIn } from '../attempt-source';
import { serviceCtx } from '../service-context';
import { accountPagesPolicy, validateForm } from './account-pages';
import { formValues } from './form-values';

const forgotSchema = z.object({ email: emailSchema });
const resetSchema = z
  .object({ password: passwordSchema, confirm: z.string().max(200).optional() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' });

function html(c: Context, body: string, status = 200) {
  return c.html(body, status as 200);
}

function linkProblem(c: Context, err: AccountLinkError) {
  return html(
    c,
    renderPage(
      <AccountLinkProblemPage
        title="This reset link cannot be used"
        message={err.message}
        again={{ href: '/forgot-password', label: 'Ask for a new link' }}
      />,
    ),
    err.status,
  );
}

/**
 * Forgot password → mailed link → new password. The pages run no script (the account pages' CSP);
 * the token is in the path, so these pages tell the browser to send no Referer anywhere.
 */
export const accountEmailPageRoutes = new Hono<AppEnv>()
  // Only on these paths: mounted at '/', a '*' here would also run for every page after it.
  .use('/forgot-password', accountPagesPolicy, loadUser)
  .use('/reset-password/*', accountPagesPolicy, loadUser)
  .use('/verify-email/*', accountPagesPolicy, loadUser)
  .use('/reset-password/*', async (c, next) => {
    await next();
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
  })
  .get('/forgot-password', (c) => html(c, renderPage(<ForgotPasswordPage />)))
  .post('/forgot-password', async (c) => {
    const { values, problem } = await formValues(c);
    if (problem) return html(c, renderPage(<ForgotPasswordPage state={{ values, errors: {}, message: problem }} />), 400);
    const { data, state } = validateForm(forgotSchema, values);
    if (!data) return html(c, renderPage(<ForgotPasswordPage state={state} />), 400);
    try {
      await requestPasswordReset(serviceCtx(c), data.email, await attemptSource(c), appOrigin(c));
    } catch (err) {
      if (!(err instanceof TooManyAttempts)) throw err;
      c.header('retry-after', String(err.retryAfterSeconds));
      return html(c, renderPage(<ForgotPasswordPage state={{ values, errors: {}, message: err.message }} />), 429);
    }
    return html(
      c,
      renderPage(<ResetLinkSentPage email={data.email} validMinutes={PASSWORD_RESET_TTL_MS / 60_000} devOutbox={c.var.deps.devOutbox} />),
    );
  })
  .get('/reset-password/:token', async (c) => {
    const token = c.req.param('token');
    try {
      await checkPasswordResetToken(c.var.deps.database.db, token, c.var.deps.clock());
    } catch (err) {
      if (err instanceof AccountLinkError) return linkProblem(c, err);
      throw err;
    }
    return html(c, renderPage(<ResetPasswordPage token={token} />));
  })
  .post('/reset-password/:token', async (c) => {
    const token = c.req.param('token');
    const deps = c.var.deps;
    const { values, problem } = await formValues(c);
    if (problem) return html(c, renderPage(<ResetPasswordPage token={token} state={{ values, errors: {}, message: problem }} />), 400);
    const { data, state } = validateForm(resetSchema, values);
    if (!data) {
      // A used or expired link says so before any complaint about the password.
      try {
        await checkPasswordResetToken(deps.database.db, token, deps.clock());
      } catch (err) {
        if (err instanceof AccountLinkError) return linkProblem(c, err);
        throw err;
      }
      return html(c, renderPage(<ResetPasswordPage token={token} state={state} />), 400);
    }
    try {
      const { session, user } = await resetPassword(serviceCtx(c), token, data.password, c.req.header('user-agent'));
      await signedIn(c, session, user.email);
      return c.redirect('/app?password-reset=1', 303);
    } catch (err) {
      if (err instanceof AccountLinkError) return linkProblem(c, err);
      if (err instanceof AppError)
        return html(c, renderPage(<ResetPasswordPage token={token} state={{ values, errors: {}, message: err.message }} />), err.status);
      throw err;
    }
  })
  .get('/verify-email/:token', async (c) => {
    c.header('referrer-policy', 'no-referrer');
    try {
      await verifyEmail(serviceCtx(c), c.req.param('token'));
    } catch (err) {
      if (!(err instanceof AccountLinkError)) throw err;
      // A signed-in member can ask for another link from the app's banner.
      const again = c.var.user
        ? { href: '/app', label: 'Open Leadflare to send a new one' }
        : { href: '/login', label: 'Sign in to send a new one' };
      return html(
        c,
        renderPage(<AccountLinkProblemPage title="This confirmation link cannot be used" message={err.message} again={again} />),
        err.status,
      );
    }
    return html(c, renderPage(<EmailVerifiedPage signedIn={Boolean(c.var.user)} />));
  });
