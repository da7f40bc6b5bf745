/**
 * Asked when a deal is dropped on a lost stage: why it was lost (the API requires it, and the
 * stats group lost deals by it). Cancel leaves the deal where it was.
 */
import { useState } from 'preact/hooks';
import { Dialog } from '../../shell/dialog';

const COMMON_REASONS = ['Too expensive', 'Chose a competitor', 'No response', 'Not a fit', 'Unsubscribed'];

export function LostReasonDialog(props: {
  dealName: string;
  stageName: string;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const text = reason.trim();
    if (!text) return setError('Say why the deal was lost.');
    if (text.length > 500) return setError('Keep the reason under 500 characters.');
    props.onConfirm(text);
  };
  return (
    <Dialog title={`Why was “${props.dealName}” lost?`} onClose={props.onCancel} initialFocus="#lost-reason">
      <form onSubmit={submit} noValidate>
        <p>
          It moves to <strong>{props.stageName}</strong>. The reason is kept with the deal and counted in the pipeline stats.
        </p>
        <div class="field">
          <label for="lost-reason">Lost reason</label>
          <input
            id="lost-reason"
            value={reason}
            maxLength={500}
            autocomplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'lost-reason-error' : undefined}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <div class="lost-reasons" role="group" aria-label="Common reasons">
            {COMMON_REASONS.map((r) => (
              <button key={r} type="button" class="chip" aria-pressed={reason === r} onClick={() => setReason(r)}>
                {r}
              </button>
            ))}
          </div>
          {error ? (
            <p class="field-error" id="lost-reason-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" class="button danger">
            Mark as lost
          </button>
        </div>
      </form>
    </Dialog>
  );
}
