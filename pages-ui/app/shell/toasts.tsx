import { signal } from '@preact/signals';

export interface Toast {
  id: number;
  message: string;
  kind: 'success' | 'error';
}

const TOAST_MS = 6000;
let nextId = 1;
export const toasts = signal<Toast[]>([]);

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((t) => t.id !== id);
}

/** Says a completed action happened ("Funnel created"). Errors belong next to what failed; `error` is for actions with no place of their own. */
export function toast(message: string, kind: Toast['kind'] = 'success'): void {
  const id = nextId++;
  toasts.value = [...toasts.value, { id, message, kind }];
  setTimeout(() => dismissToast(id), TOAST_MS);
}

/** The live region the toasts appear in: announced politely, each dismissable. */
export function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite" aria-relevant="additions">
      {toasts.value.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`}>
          <span>{t.message}</span>
          <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
