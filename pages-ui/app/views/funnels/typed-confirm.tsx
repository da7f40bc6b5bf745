import { render, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Dialog } from '../../shell/dialog';
import { TextField } from '../../shell/fields';

interface TypedConfirmProps {
  title: string;
  children: ComponentChildren;
  /** What must be typed to enable the button: the name of the thing that goes. */
  name: string;
  confirmLabel: string;
  onAnswer: (confirmed: boolean) => void;
}

/** Typed text matches the name, ignoring the case and the spaces around it (people paste with spaces). */
export function nameMatches(typed: string, name: string): boolean {
  return typed.trim().toLowerCase() === name.trim().toLowerCase();
}

function TypedConfirm(props: TypedConfirmProps) {
  const [typed, setTyped] = useState('');
  const ok = nameMatches(typed, props.name);
  return (
    <Dialog title={props.title} onClose={() => props.onAnswer(false)}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) props.onAnswer(true);
        }}
      >
        <div class="typed-confirm-body">{props.children}</div>
        <TextField
          id="typed-confirm-name"
          label={`Type “${props.name}” to confirm`}
          value={typed}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={() => props.onAnswer(false)}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={!ok}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Asks for the name of what is about to be destroyed (a funnel, a published page) before going on:
 * for actions that cannot be undone and take live pages down, a click is too easy. Resolves true
 * only when the name was typed and confirmed.
 */
export function confirmByName(request: Omit<TypedConfirmProps, 'onAnswer'>): Promise<boolean> {
  const host = document.createElement('div');
  document.body.append(host);
  return new Promise((resolve) => {
    const onAnswer = (confirmed: boolean) => {
      render(null, host);
      host.remove();
      resolve(confirmed);
    };
    render(<TypedConfirm {...request} onAnswer={onAnswer} />, host);
  });
}
