import type { ComponentChildren, JSX } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  /** The server's (or the form's) message for this field; marks the input invalid. */
  error?: string | undefined;
  hint?: ComponentChildren;
}

/** A labelled text input with its hint and error wired up for assistive technology. */
export function TextField(props: FieldProps & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  const { id, label, error, hint, ...input } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
