/**
 * The frame every inspector control sits in — label, "optional", hint, counter, error, all wired
 * with aria-describedby — and the two controls the builders use directly: a switch and a choice
 * (segmented buttons, radio list or select).
 */
import type { ComponentChildren } from 'preact';
import { controlId, issueAt, useForm, valueAt, type FieldProps } from './form-context';

export interface FieldMeta {
  id: string;
  error: string | undefined;
  describedBy: string | undefined;
  hintId: string;
  errorId: string;
  counterId: string;
}

/** Ids of a field's parts and its aria-describedby, given which parts it shows. */
export function fieldMeta(id: string, error: string | undefined, parts: { hint?: boolean; counter?: boolean }): FieldMeta {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const counterId = `${id}-count`;
  const describedBy = [parts.hint ? hintId : '', parts.counter ? counterId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return { id, error, describedBy: describedBy || undefined, hintId, errorId, counterId };
}

/** Label, "optional" tag, hint, the control, counter and error of one field. */
export function FieldShell(props: {
  meta: FieldMeta;
  label: string;
  optional?: boolean;
  hint?: ComponentChildren;
  counter?: { length: number; max: number } | undefined;
  children: ComponentChildren;
  class?: string;
  /** For controls that label themselves (a switch): the label element is left out. */
  bare?: boolean;
}) {
  const { meta } = props;
  const over = props.counter && props.counter.length > props.counter.max;
  return (
    <div class={`insp-field${props.class ? ` ${props.class}` : ''}${meta.error ? ' has-error' : ''}`}>
      {props.bare ? null : (
        <div class="insp-label-row">
          <label for={meta.id}>
            {props.label}
            {props.optional ? <span class="optional"> (optional)</span> : null}
          </label>
          {props.counter ? (
            <span class={over ? 'counter over' : 'counter'} id={meta.counterId} aria-live={over ? 'polite' : undefined}>
              <span class="visually-hidden">Characters used: </span>
              {props.counter.length}/{props.counter.max}
            </span>
          ) : null}
        </div>
      )}
      {props.hint ? (
        <p class="field-hint" id={meta.hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {meta.error ? (
        <p class="field-error" id={meta.errorId}>
          {meta.error}
        </p>
      ) : null}
    </div>
  );
}

export function SwitchControl(props: FieldProps & { onToggle?: (on: boolean) => void; checked?: boolean; disabled?: boolean }) {
  const ctx = useForm();
  const id = controlId(ctx, props.path);
  const meta = fieldMeta(id, issueAt(ctx, props.path), { hint: !!props.node.description });
  const checked = props.checked ?? valueAt<boolean>(ctx, props.path) === true;
  return (
    <FieldShell meta={meta} label="" bare class="switch-field">
      <label class="switch" for={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={checked}
          disabled={props.disabled}
          aria-invalid={meta.error ? true : undefined}
          aria-describedby={meta.describedBy}
          onChange={(e) => (props.onToggle ? props.onToggle(e.currentTarget.checked) : ctx.set(props.path, e.currentTarget.checked))}
        />
        <span class="switch-track" aria-hidden="true" />
        <span>{props.label ?? props.node.label}</span>
      </label>
      {props.node.description ? (
        <p class="field-hint" id={meta.hintId}>
          {props.node.description}
        </p>
      ) : null}
    </FieldShell>
  );
}

/** Radio buttons as a segmented control or a vertical list, or a select, for a few named choices. */
export function ChoiceControl(props: {
  id: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  value: string;
  display: 'select' | 'segmented' | 'radio';
  error?: string | undefined;
  hint?: string | undefined;
  onChange: (value: string) => void;
}) {
  const meta = fieldMeta(props.id, props.error, { hint: !!props.hint });
  if (props.display === 'select') {
    return (
      <FieldShell meta={meta} label={props.label} hint={props.hint}>
        <select
          id={props.id}
          value={props.value}
          aria-invalid={meta.error ? true : undefined}
          aria-describedby={meta.describedBy}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </FieldShell>
    );
  }
  return (
    <fieldset
      class={`insp-field choice${meta.error ? ' has-error' : ''}`}
      id={props.id}
      aria-describedby={meta.describedBy}
      aria-invalid={meta.error ? true : undefined}
    >
      <legend>{props.label}</legend>
      {props.hint ? (
        <p class="field-hint" id={meta.hintId}>
          {props.hint}
        </p>
      ) : null}
      <div class={props.display === 'segmented' ? 'segmented' : 'radio-list'}>
        {props.options.map((o) => (
          <label key={o.value}>
            <input
              type="radio"
              name={props.id}
              value={o.value}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {meta.error ? (
        <p class="field-error" id={meta.errorId}>
          {meta.error}
        </p>
      ) : null}
    </fieldset>
  );
}
