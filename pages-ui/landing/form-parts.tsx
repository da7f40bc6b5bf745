/**
 * Form pieces used both by the server renderer and by the islands, so a field looks and is
 * labelled the same whether or not JavaScript runs. Ids are `<blockId>.<fieldName>`: block ids
 * never contain ".", so a field id cannot collide with a block's own id.
 */
import type { Consent, FormField } from '../../workers/domain/blocks';
import { CONSENT_FIELD } from '../../workers/domain/form-submission';
import { BLOCK_FIELD, HONEYPOT_FIELD, TOKEN_FIELD } from './form-constants';

export function fieldDomId(blockId: string, name: string): string {
  return `${blockId}.${name}`;
}

/**
 * The element a block shows once its form is done (the quiz outcome, the download, the thank-you
 * line): the success redirect points its fragment here, so the visitor lands on it rather than at
 * the top of the page. It never collides with a field id: the form is gone when it is shown.
 */
export function resultDomId(blockId: string): string {
  return `${blockId}.result`;
}

function errorDomId(fieldId: string): string {
  return `${fieldId}.err`;
}

/** Attributes tying a control to its error message. */
export function invalidAttributes(fieldId: string, error: string | undefined) {
  return error ? { 'aria-invalid': 'true' as const, 'aria-describedby': errorDomId(fieldId) } : {};
}

export function FieldError(props: { fieldId: string; message: string | undefined }) {
  if (!props.message) return null;
  return (
    <p class="err" id={errorDomId(props.fieldId)}>
      {props.message}
    </p>
  );
}

/** The block id, the submission token and the honeypot every capture form posts. */
export function FormMeta(props: { blockId: string; token: string }) {
  const honeypotId = fieldDomId(props.blockId, HONEYPOT_FIELD);
  return (
    <>
      <input type="hidden" name={BLOCK_FIELD} value={props.blockId} />
      <input type="hidden" name={TOKEN_FIELD} value={props.token} />
      <div class="hp" aria-hidden="true">
        <label for={honeypotId}>Website</label>
        <input id={honeypotId} name={HONEYPOT_FIELD} tabindex={-1} autocomplete="off" />
      </div>
    </>
  );
}

const INPUT_TYPE: Partial<Record<FormField['kind'], string>> = { email: 'email', phone: 'tel' };
const AUTOCOMPLETE: Partial<Record<FormField['kind'], string>> = { email: 'email', name: 'name', phone: 'tel', company: 'organization' };

export interface FieldProps {
  blockId: string;
  field: FormField;
  value: string;
  error: string | undefined;
  onInput?: (value: string) => void;
}

export function FieldLabel(props: { fieldId: string; field: FormField }) {
  return (
    <label for={props.fieldId}>
      {props.field.label}
      {!props.field.required && <span class="opt-l"> (optional)</span>}
    </label>
  );
}

/** A labelled single-line input (email, name, phone, company, text) with its error message. */
export function InputField({ blockId, field, value, error, onInput }: FieldProps) {
  const id = fieldDomId(blockId, field.name);
  return (
    <div class="fld">
      <FieldLabel fieldId={id} field={field} />
      <input
        id={id}
        name={field.name}
        type={INPUT_TYPE[field.kind] ?? 'text'}
        required={field.required}
        autocomplete={AUTOCOMPLETE[field.kind]}
        placeholder={field.placeholder}
        value={value}
        {...invalidAttributes(id, error)}
        onInput={onInput && ((event) => onInput(event.currentTarget.value))}
      />
      <FieldError fieldId={id} message={error} />
    </div>
  );
}

/** The consent checkbox; its label is the exact wording stored with the lead. */
export function ConsentField(props: {
  blockId: string;
  consent: Consent;
  checked: boolean;
  error: string | undefined;
  onChange?: (checked: boolean) => void;
}) {
  const id = fieldDomId(props.blockId, CONSENT_FIELD);
  const onChange = props.onChange;
  return (
    <div class="fld">
      <label class="chk" for={id}>
        <input
          type="checkbox"
          id={id}
          name={CONSENT_FIELD}
          value="yes"
          checked={props.checked}
          required={props.consent.required}
          {...invalidAttributes(id, props.error)}
          onChange={onChange && ((event: Event) => onChange((event.currentTarget as HTMLInputElement).checked))}
        />
        <span>{props.consent.text}</span>
      </label>
      <FieldError fieldId={id} message={props.error} />
    </div>
  );
}
