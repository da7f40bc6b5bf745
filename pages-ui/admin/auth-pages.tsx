import { FieldError, Page, TextField, type FormState } from './layout';

export function LoginPage(props: { state?: FormState; next?: string; demo?: { email: string; password: string } }) {
  return (
    <Page title="Sign in">
      <div class="card narrow">
        <h1>Sign in</h1>
        {props.state?.message ? (
          <p class="alert" role="alert">
            {props.state.message}
          </p>
        ) : null}
        <form method="post" action="/login" noValidate>
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <TextField name="email" label="Email" type="email" autocomplete="email" state={props.state} />
          <TextField name="password" label="Password" type="password" autocomplete="current-password" state={props.state} />
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/forgot-password">Forgot password?</a>
        </p>
        {props.demo ? (
          <p class="muted">
            Demo login: <code>{props.demo.email}</code> / <code>{props.demo.password}</code>
          </p>
        ) : null}
        <p>
          New here? <a href={props.next ? `/signup?next=${encodeURIComponent(props.next)}` : '/signup'}>Create an account</a>
        </p>
      </div>
    </Page>
  );
}

export function SignupPage(props: { state?: FormState; next?: string; invitation?: { workspace: string; role: string } }) {
  return (
    <Page title="Create an account">
      <div class="card narrow">
        <h1>Create an account</h1>
        {props.invitation ? (
          <p>
            You were invited to <strong>{props.invitation.workspace}</strong> as {props.invitation.role}.
          </p>
        ) : (
          <p class="muted">You get your own workspace; invite your team from it later.</p>
        )}
        {props.state?.message ? (
          <p class="alert" role="alert">
            {props.state.message}
          </p>
        ) : null}
        <form method="post" action="/signup" noValidate>
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <TextField name="name" label="Your name" autocomplete="name" state={props.state} />
          <TextField name="email" label="Email" type="email" autocomplete="email" state={props.state} />
          <TextField name="password" label="Password (10+ characters)" type="password" autocomplete="new-password" state={props.state} />
          {props.invitation ? null : (
            <TextField name="workspaceName" label="Company or workspace name" autocomplete="organization" state={props.state} />
          )}
          <button type="submit">Create account</button>
        </form>
        <p>
          Have an account? <a href={props.next ? `/login?next=${encodeURIComponent(props.next)}` : '/login'}>Sign in</a>
        </p>
      </div>
    </Page>
  );
}

export function InvitationPage(props: {
  user?: { name: string } | undefined;
  token: string;
  invitation?: { workspace: { name: string }; role: string };
  problem?: string;
}) {
  return (
    <Page title="Invitation" user={props.user}>
      <div class="card narrow">
        <h1>Invitation</h1>
        {props.problem || !props.invitation ? (
          <p class="alert" role="alert">
            {props.problem ?? 'This invitation is not valid.'}
          </p>
        ) : props.user ? (
          <form method="post" action={`/invite/${props.token}`}>
            <p>
              Join <strong>{props.invitation.workspace.name}</strong> as {props.invitation.role}?
            </p>
            <button type="submit">Accept invitation</button>
          </form>
        ) : (
          <>
            <p>
              You were invited to <strong>{props.invitation.workspace.name}</strong> as {props.invitation.role}.
            </p>
            <a class="button" href={`/signup?invite=${props.token}`}>
              Create an account
            </a>{' '}
            <a href={`/login?next=${encodeURIComponent(`/invite/${props.token}`)}`}>or sign in</a>
          </>
        )}
      </div>
    </Page>
  );
}

/**
 * Sign-in's second step for a member with two-factor authentication. The password was right; the
 * pending token (signed, 5 minutes) carries that to this form, which asks for the code.
 */
export function TwoFactorPage(props: { pendingToken: string; next?: string; message?: string; codeError?: string }) {
  const error = props.codeError;
  return (
    <Page title="Two-factor authentication">
      <div class="card narrow">
        <h1>Enter your code</h1>
        <p class="muted">Open your authenticator app and enter the 6-digit code it shows for Leadflare.</p>
        {props.message ? (
          <p class="alert" role="alert">
            {props.message}
          </p>
        ) : null}
        <form method="post" action="/login/two-factor" noValidate>
          <input type="hidden" name="pendingToken" value={props.pendingToken} />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <label for="code">Authentication code</label>
          <input
            id="code"
            name="code"
            type="text"
            inputMode="numeric"
            autocomplete="one-time-code"
            autoFocus
            maxLength={40}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'code-hint code-error' : 'code-hint'}
            required
          />
          <p class="muted" id="code-hint">
            No phone at hand? Enter one of your recovery codes (like <code>ABCDE-FGHJK</code>) instead; each works once.
          </p>
          <FieldError id="code-error" message={error} />
          <button type="submit">Verify and sign in</button>
        </form>
        <p>
          <a href={props.next ? `/login?next=${encodeURIComponent(props.next)}` : '/login'}>Start over</a>
        </p>
      </div>
    </Page>
  );
}
