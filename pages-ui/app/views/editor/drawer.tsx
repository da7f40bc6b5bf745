import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A side sheet on the native modal <dialog> (like the shell's Dialog: the page behind is inert,
 * Escape closes, focus goes back to the opener), sliding in from the right edge.
 */
export function Drawer(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const el = dialog.current!;
    el.showModal();
    el.querySelector<HTMLElement>('.drawer-body button, .drawer-body a')?.focus();
    return () => {
      if (el.open) el.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="drawer"
      aria-labelledby="drawer-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose.current();
      }}
      onClick={(e) => e.target === dialog.current && onClose.current()}
    >
      <div class="dialog-head">
        <h2 id="drawer-title">{props.title}</h2>
        <button type="button" class="dialog-close" aria-label="Close" onClick={() => onClose.current()}>
          ×
        </button>
      </div>
      <div class="drawer-body">{props.children}</div>
    </dialog>
  );
}
