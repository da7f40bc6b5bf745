import { useState } from 'preact/hooks';
import { type ApiError, asApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';

/** Asks why a deal was lost before it moves to `stageName`; the server's message shows under the reason. */
export function LostDialog(props: {
  dealName: string;
  stageName: string;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) return setError('Say why the deal was lost: it helps the team see patterns.');
    setBusy(true);
    setError(null);
    setFailure(null);
    try {
      await props.onSubmit(reason.trim());
    } catch (err) {
      const apiError = asApiError(err, 'The deal was not marked lost.');
      if (apiError.fields.lostReason) setError(apiError.fields.lostReason);
      else setFailure(apiError);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Mark “${props.dealName}” as lost`} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {failure ? <InlineError error={failure} /> : null}
        <div class="field">
          <label for="lost-reason">Why was it lost?</label>
          <p class="field-hint" id="lost-reason-hint">
            The deal moves to {props.stageName}. Reopen it any time.
          </p>
          <textarea
            id="lost-reason"
            rows={3}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'lost-reason-hint lost-reason-error' : 'lost-reason-hint'}
          />
          {error ? (
            <p class="field-error" id="lost-reason-error">
              {error}
            </p>
          ) : null}
        </div>
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={busy}>
            {busy ? 'Saving…' : 'Mark as lost'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
