import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, TooManyAttempts } from '../../domain/errors';
import { isSitePath } from '../../domain/safe-urls';
import type { AppEnv } from '../../deps';
import { loadUser } from '../../middleware/auth';
import { clearSessionCookie } from '../../middleware/session-cookie';
import { zodIssues } from '../../middleware/validate';
import { acceptInvitation, login, previewInvitation, signup } from '../../services/accounts';
import { revokeSession } from '../../services/sessions';
import { completeTwoFactorLogin } from '../../services/two-factor';
import { PAGE_CSS, renderPage, type FormState } from '../../../pages-ui/admin/layout';
import { InvitationPage, LoginPage, SignupPage, TwoFactorPage } from '../../../pages-ui/admin/auth-pages';
import { loginSchema, signupSchema, twoFactorLoginSchema } from '../api/auth';
import { formValues } from './form-values';
import { serviceCtx } from '../service-context';
import { attemptSource, signedIn } from '../attempt-source';
import { auditOrigin, recordSignOut } from '../audit-origin';
import { sendSignupVerification } from '../../services/account-email';
import { appOrigin } from '../app-origin';

/**
 * Only paths on this site: `next=//evil.example` must not become an open redirect, nor
 * `/\t/evil.example`, which the browser reads as `//evil.example` once it drops the tab.
 */
function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && isSitePath(value) ? value : undefined;
}

/** A form post validated by the same zod schema as the JSON API; failures become per-field messages. */
export function validateForm<T extends z.ZodType>(schema: T, values: Record<string, string>): { data?: z.output<T>; state?: FormState } {
  const cleaned = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return { data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of zodIssues(result.error)) errors[issue.path] ??= issue.message;
  return { state: { values, errors, message: 'Please correct the fields below.' } };
}

let styleHash: Promise<string> | undefined;
function pageStyleHash(): Promise<string> {
  return (styleHash ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(PAGE_CSS))
    .then((digest) => btoa(String.fromCharCode(...new Uint8Array(digest)))));
}

/**
 * The account pages run no script at all, so none is allowed; their one inline stylesheet is
 * allowed by its hash, forms post only to this site, and no other site may frame them (a framed
 * sign-in form is how clickjacking steals passwords).
 */
export async function accountPagesContentSecurityPolicy(): Promise<string> {
  return [
    "default-src 'none'",
    "script-src 'none'",
    `style-src 'sha256-${await pageStyleHash()}'`,
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Set before the handler runs (see middleware/security-headers.ts): every page and answer of this group carries it. */
export const accountPagesPolicy: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header('content-security-policy', await accountPagesContentSecurityPolicy());
  await next();
};

function html(c: Context, body: string, status = 200) {
  return c.html(body, status as 200);
}

/** A refused sign-in or sign-up, re-rendered with its message; over the throttle it also says when to come back. */
function refused(c: Context, err: AppError, body: string) {
  if (err instanceof TooManyAttempts) c.header('retry-after', String(err.retryAfterSeconds));
  return html(c, body, err.status);
}

/**
 * The server-rendered account pages: sign in, sign up, sign out, accept an invitation. They work
 * without JavaScript and land in the team's app (/app, routes/public/app-shell.ts).
 */
export const accountPageRoutes = new Hono<AppEnv>()
  .use('*', accountPagesPolicy)
  .use('*', loadUser)
  .get('/', (c) => c.redirect(c.var.user ? '/app' : '/login'))
  .get('/login', (c) => {
    if (c.var.user) return c.redirect('/app');
    return html(c, renderPage(<LoginPage next={safeNext(c.req.query('next'))} demo={c.var.deps.demoLogin} />));
  })
  .post('/login', async (c) => {
    const { values, problem } = await formValues(c);
    const next = safeNext(values.next);
    const deps = c.var.deps;
    if (problem)
      return html(c, renderPage(<LoginPage state={{ values, errors: {}, message: problem }} next={next} demo={deps.demoLogin} />), 400);
    const { data, state } = validateForm(loginSchema, values);
    if (!data) return html(c, renderPage(<LoginPage state={state} next={next} demo={deps.demoLogin} />), 400);
    try {
      const result = await login(serviceCtx(c), data.email, data.password, await attemptSource(c));
      if (result.twoFactor) return html(c, renderPage(<TwoFactorPage pendingToken={result.twoFactor.pendingToken} next={next} />));
      await signedIn(c, result.session, result.user.email);
      return c.redirect(next ?? '/app', 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return refused(
        c,
        err,
        renderPage(<LoginPage state={{ values, errors: {}, message: err.message }} next={next} demo={deps.demoLogin} />),
      );
    }
  })
  .post('/login/two-factor', async (c) => {
    const { values, problem } = await formValues(c);
    const next = safeNext(values.next);
    const pendingToken = values.pendingToken ?? '';
    const page = (message?: string, codeError?: string) =>
      renderPage(<TwoFactorPage pendingToken={pendingToken} next={next} message={message} codeError={codeError} />);
    if (problem) return html(c, page(problem), 400);
    const { data } = validateForm(twoFactorLoginSchema, values);
    if (!data) return html(c, page(undefined, 'Enter the code from your authenticator app, or a recovery code.'), 400);
    try {
      const { session, user } = await completeTwoFactorLogin(serviceCtx(c), await attemptSource(c), data.pendingToken, data.code);
      await signedIn(c, session, user.email);
      return c.redirect(next ?? '/app', 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // An expired or forged token cannot be retried with another code: back to the password.
      if (err.code === 'login_expired') {
        return html(
          c,
          renderPage(<LoginPage state={{ values: {}, errors: {}, message: err.message }} next={next} demo={c.var.deps.demoLogin} />),
          err.status,
        );
      }
      return refused(c, err, err.code === 'invalid_code' ? page(undefined, err.message) : page(err.message));
    }
  })
  .get('/signup', async (c) => {
    const invite = c.req.query('invite');
    const invitation = invite
      ? await previewInvitation(c.var.deps.database.db, invite, c.var.deps.clock()).catch(() => undefined)
      : undefined;
    const next = invite ? `/invite/${invite}` : safeNext(c.req.query('next'));
    return html(
      c,
      renderPage(
        <SignupPage
          next={next}
          state={invite ? { values: { inviteToken: invite }, errors: {} } : undefined}
          invitation={invitation ? { workspace: invitation.workspace.name, role: invitation.role } : undefined}
        />,
      ),
    );
  })
  .post('/signup', async (c) => {
    const { values, problem } = await formValues(c);
    const next = safeNext(values.next);
    if (problem) return html(c, renderPage(<SignupPage state={{ values, errors: {}, message: problem }} next={next} />), 400);
    const inviteToken = next?.startsWith('/invite/') ? next.slice('/invite/'.length) : undefined;
    const { data, state } = validateForm(signupSchema, { ...values, ...(inviteToken ? { inviteToken } : {}) });
    if (!data) return html(c, renderPage(<SignupPage state={state} next={next} />), 400);
    try {
      const ctx = serviceCtx(c);
      const { session, user } = await signup(ctx, data, await attemptSource(c));
      await sendSignupVerification(ctx, user, appOrigin(c));
      await signedIn(c, session, user.email);
      return c.redirect(inviteToken ? '/app' : (next ?? '/app'), 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return refused(c, err, renderPage(<SignupPage state={{ values, errors: {}, message: err.message }} next={next} />));
    }
  })
  .post('/logout', async (c) => {
    if (c.var.sessionId) {
      await revokeSession(c.var.deps.database.db, c.var.sessionId);
      await recordSignOut(c);
    }
    clearSessionCookie(c);
    return c.redirect('/login', 303);
  })
  .get('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const deps = c.var.deps;
    try {
      const invitation = await previewInvitation(deps.database.db, token, deps.clock());
      return html(c, renderPage(<InvitationPage user={c.var.user} token={token} invitation={invitation} />));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return html(c, renderPage(<InvitationPage user={c.var.user} token={token} problem={err.message} />), err.status);
    }
  })
  .post('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const user = c.var.user;
    if (!user) return c.redirect(`/login?next=${encodeURIComponent(`/invite/${token}`)}`, 303);
    try {
      const { workspaceId } = await acceptInvitation(serviceCtx(c), token, user.id, await auditOrigin(c));
      return c.redirect(`/app?workspace=${workspaceId}`, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return html(c, renderPage(<InvitationPage user={user} token={token} problem={err.message} />), err.status);
    }
  });
