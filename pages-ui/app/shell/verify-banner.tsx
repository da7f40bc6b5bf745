import { useEffect, useState } from 'preact/hooks';
import { api, asApiError, call } from '../api';
import { session } from '../state';
import { toast } from './toasts';

/**
 * A gentle reminder while the member has not confirmed their address, with a way to get the mail
 * again. Nothing in the app waits on it. It asks once per load; following the link from the mail
 * and coming back hides it.
 */
export function VerifyBanner() {
  const [verified, setVerified] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    call(api.me.verification.$get()).then(
      (v) => setVerified(v.verified),
      () => setVerified(true), // No banner rather than a broken one.
    );
  }, []);
  if (verified) return null;
  const email = session.value.user.email;
  const resend = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await call(api.me.verification.$post());
      if (result.verified) setVerified(true);
      else toast(`Confirmation email sent again to ${email}`);
    } catch (err) {
      setProblem(asApiError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="verify-banner" aria-label="Confirm your email address">
      <p>
        Please confirm your email address: we sent a link to <strong>{email}</strong>.
      </p>
      <button type="button" class="button small secondary" disabled={busy} onClick={() => void resend()}>
        {busy ? 'Sending…' : 'Resend the email'}
      </button>
      {problem ? (
        <p class="row-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
