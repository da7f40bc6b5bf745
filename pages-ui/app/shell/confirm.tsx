import { signal } from '@preact/signals';
import { Dialog } from './dialog';

interface ConfirmRequest {
  title: string;
  message: string;
  /** The confirming button's label: say what happens, e.g. "Delete funnel". */
  confirmLabel: string;
  danger?: boolean;
  resolve: (confirmed: boolean) => void;
}

const pending = signal<ConfirmRequest | null>(null);

/**
 * Asks before anything destructive; resolves true only when the member confirms. Escape, Cancel
 * and a click outside all cancel, and Cancel has the focus, so Enter destroys nothing by accident.
 *
 *   if (await confirm({ title: 'Delete this funnel?', message: '…', confirmLabel: 'Delete funnel', danger: true })) …
 */
export function confirm(request: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
  pending.value?.resolve(false);
  return new Promise((resolve) => (pending.value = { ...request, resolve }));
}

function settle(answer: boolean) {
  const request = pending.value;
  pending.value = null;
  request?.resolve(answer);
}

/** The app's one confirm dialog, rendered by the layout. */
export function ConfirmHost() {
  const request = pending.value;
  if (!request) return null;
  return (
    <Dialog title={request.title} onClose={() => settle(false)} initialFocus=".confirm-cancel">
      <p>{request.message}</p>
      <div class="dialog-actions">
        <button type="button" class="button secondary confirm-cancel" onClick={() => settle(false)}>
          Cancel
        </button>
        <button type="button" class={request.danger ? 'button danger' : 'button'} onClick={() => settle(true)}>
          {request.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
