import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface DialogProps {
  title: string;
  /** Called on Escape, Cancel and a click on the backdrop. */
  onClose: () => void;
  children: ComponentChildren;
  /** The element to focus first (defaults to the first field or button inside). */
  initialFocus?: string;
}

/**
 * A modal dialog on the native <dialog>: `showModal()` makes the page behind inert, so Tab stays
 * inside and screen readers see only the dialog; Escape closes; focus returns to whatever opened
 * it. Render it while open, unmount it to close.
 */
export function Dialog(props: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const el = dialog.current!;
    el.showModal();
    const first = props.initialFocus
      ? el.querySelector<HTMLElement>(props.initialFocus)
      : el.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog-close)');
    first?.focus();
    return () => {
      if (el.open) el.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose.current();
      }}
      onClick={(e) => e.target === dialog.current && onClose.current()}
    >
      <div class="dialog-head">
        <h2 id="dialog-title">{props.title}</h2>
        <button type="button" class="dialog-close" aria-label="Close" onClick={() => onClose.current()}>
          ×
        </button>
      </div>
      {props.children}
    </dialog>
  );
}
