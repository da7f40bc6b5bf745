/** The account pages behind mailed links: forgot password, choose a new one, confirm an address. No script, like sign-in. */
import { Page, TextField, type FormState } from './layout';

function Alert(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="alert" role="alert">
      {props.message}
    </p>
  ) : null;
}

export function ForgotPasswordPage(props: { state?: FormState }) {
  return (
    <Page title="Reset your password">
      <div class="card narrow">
        <h1>Reset your password</h1>
        <p class="muted">Enter the email address of your account. We will mail you a link to choose a new password.</p>
        <Alert message={props.state?.message} />
        <form method="post" action="/forgot-password" noValidate>
          <TextField name="email" label="Email" type="email" autocomplete="email" state={props.state} />
          <button type="submit">Send the reset link</button>
        </form>
        <p>
          Remembered it? <a href="/login">Sign in</a>
        </p>
      </div>
    </Page>
  );
}

/** The one answer to every well-formed request, whether or not the address has an account. */
export function ResetLinkSentPage(props: { email: string; validMinutes: number; devOutbox?: boolean }) {
  return (
    <Page title="Check your inbox">
      <div class="card narrow">
        <h1>Check your inbox</h1>
        <p role="status">
          If <strong>{props.email}</strong> belongs to a Leadflare account, a link to choose a new password is on its way. It works once,
          for {props.validMinutes} minutes.
        </p>
        <p class="muted">
          Nothing arrived after a few minutes? Check your spam folder, or make sure you typed the address you signed up with.
        </p>
        {props.devOutbox ? (
          <p class="muted">
            Running locally without an email provider: the mail is in the <a href="/app/outbox">dev outbox</a> (sign in on another device or
            as the member to read it), and in the server’s log.
          </p>
        ) : null}
        <p>
          <a href="/forgot-password">Send another link</a> · <a href="/login">Back to sign in</a>
        </p>
      </div>
    </Page>
  );
}

export function ResetPasswordPage(props: { token: string; state?: FormState }) {
  return (
    <Page title="Choose a new password">
      <div class="card narrow">
        <h1>Choose a new password</h1>
        <p class="muted">Saving it signs you out on every device and signs you in here.</p>
        <Alert message={props.state?.message} />
        <form method="post" action={`/reset-password/${props.token}`} noValidate>
          <TextField
            name="password"
            label="New password (10+ characters)"
            type="password"
            autocomplete="new-password"
            state={props.state}
          />
          <TextField name="confirm" label="The new password again" type="password" autocomplete="new-password" state={props.state} />
          <button type="submit">Save the new password</button>
        </form>
      </div>
    </Page>
  );
}

/** A used, expired or unknown link: say which, and offer the way forward. */
export function AccountLinkProblemPage(props: { title: string; message: string; again: { href: string; label: string } }) {
  return (
    <Page title={props.title}>
      <div class="card narrow">
        <h1>{props.title}</h1>
        <p class="alert" role="alert">
          {props.message}
        </p>
        <p>
          <a class="button" href={props.again.href}>
            {props.again.label}
          </a>
        </p>
      </div>
    </Page>
  );
}

export function EmailVerifiedPage(props: { signedIn: boolean }) {
  return (
    <Page title="Email address confirmed">
      <div class="card narrow">
        <h1>Email address confirmed</h1>
        <p role="status">Thank you: your email address is confirmed.</p>
        <p>
          <a class="button" href={props.signedIn ? '/app' : '/login'}>
            {props.signedIn ? 'Open Leadflare' : 'Sign in'}
          </a>
        </p>
      </div>
    </Page>
  );
}
