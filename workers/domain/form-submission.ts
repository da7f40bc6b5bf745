/**
 * Validation of a posted capture form against the form's own definition. Pure: the route reads
 * the body, calls this, and either stores the lead or re-renders the page with `errors` next to
 * the fields. Messages are written for the visitor, not for a developer.
 */
import type { CaptureBlock, Consent, FormField, FormFieldKind } from './blocks';

/** Name of the consent checkbox in every capture form. */
export const CONSENT_FIELD = 'consent';
/** Name and label of the email field that quiz and chat capture forms add themselves. */
export const EMAIL_FIELD = 'email';
const EMAIL_FIELD_LABEL = 'Email address';

const MAX_FIELD_LENGTH: Record<FormFieldKind, number> = {
  email: 254,
  name: 120,
  phone: 32,
  company: 160,
  text: 500,
  textarea: 5000,
  select: 120,
  hidden_utm: 200,
};

const FORM_MESSAGES = {
  required: 'This field is required.',
  email: 'Enter a valid email address.',
  phone: 'Enter a valid phone number, like +1 555 010 0199.',
  option: 'Choose one of the options.',
  consent: 'Tick this box to continue.',
  tooLong: (max: number) => `Use at most ${max} characters.`,
} as const;

export interface CapturedValues {
  /** Trimmed and lower-cased: leads are unique per workspace and this address. */
  email: string;
  name?: string;
  phone?: string;
  company?: string;
  /** Every other non-empty field (free text, selects, hidden UTM fields) by field name. */
  fields: Record<string, string>;
}

export type FormValidation = { ok: true; values: CapturedValues; consentGiven: boolean } | { ok: false; errors: Record<string, string> };

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

// Deliberately plain: one "@", no spaces, a dotted host name with a letters-only top-level
// label (IDN domains arrive as punycode "xn--…"). The mailbox itself is proven by delivery.
const EMAIL_PATTERN = /^[^\s@"(),:;<>[\]\\]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

export function isValidEmail(email: string): boolean {
  const local = email.slice(0, email.lastIndexOf('@'));
  return email.length <= 254 && EMAIL_PATTERN.test(email) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

/** Digits with the usual separators and an optional leading "+"; 6 to 15 digits (E.164's maximum). */
export function isValidPhone(phone: string): boolean {
  const digits = phone.replace(/\D/g, '').length;
  return /^\+?[0-9(][0-9 ().\-/]*[0-9]$/.test(phone) && digits >= 6 && digits <= 15;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Trims, drops control characters, and keeps line breaks only where a textarea allows them. */
function cleanValue(raw: string, kind: FormFieldKind): string {
  const value = raw.replace(/\r\n?/g, '\n').replace(CONTROL_CHARACTERS, '');
  return (kind === 'textarea' ? value : value.replace(/\s+/g, ' ')).trim();
}

/** Checkbox values browsers and our islands send for "ticked". */
export function isCheckboxTicked(value: string | undefined): boolean {
  return value !== undefined && ['on', 'yes', 'true', '1'].includes(value.trim().toLowerCase());
}

/**
 * Validates posted values against the fields of one form. Unknown posted names are ignored (the
 * route reads its own `_block`/`_token`); a hidden UTM value is cut to length rather than
 * rejected, since the visitor could not fix it.
 * @throws Error when `fields` has no email field (the block schema guarantees one).
 */
export function validateFormValues(fields: FormField[], consent: Consent | undefined, raw: Record<string, string>): FormValidation {
  if (!fields.some((field) => field.kind === 'email')) throw new Error('A capture form needs an email field.');
  const errors: Record<string, string> = {};
  const values: CapturedValues = { email: '', fields: {} };

  for (const field of fields) {
    const max = MAX_FIELD_LENGTH[field.kind];
    let value = cleanValue(raw[field.name] ?? '', field.kind);
    if (field.kind === 'hidden_utm') value = value.slice(0, max);
    if (!value) {
      if (field.required) errors[field.name] = FORM_MESSAGES.required;
      continue;
    }
    if (value.length > max) {
      errors[field.name] = FORM_MESSAGES.tooLong(max);
      continue;
    }
    switch (field.kind) {
      case 'email':
        value = normaliseEmail(value);
        if (isValidEmail(value)) values.email = value;
        else errors[field.name] = FORM_MESSAGES.email;
        break;
      case 'phone':
        if (isValidPhone(value)) values.phone = value;
        else errors[field.name] = FORM_MESSAGES.phone;
        break;
      case 'name':
        values.name = value;
        break;
      case 'company':
        values.company = value;
        break;
      case 'select':
        if (field.options?.includes(value)) values.fields[field.name] = value;
        else errors[field.name] = FORM_MESSAGES.option;
        break;
      default:
        values.fields[field.name] = value;
    }
  }

  const consentGiven = consent ? isCheckboxTicked(raw[CONSENT_FIELD]) : false;
  if (consent?.required && !consentGiven) errors[CONSENT_FIELD] = FORM_MESSAGES.consent;

  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values, consentGiven };
}

/** The email field quiz and chat capture forms ask with (lead forms and gates define their own). */
export const EMAIL_CAPTURE_FIELD: FormField = { name: EMAIL_FIELD, label: EMAIL_FIELD_LABEL, kind: 'email', required: true };

/**
 * The fields and consent a capture block's form posts, or null for a quiz that does not ask for
 * an email (it produces a submission with answers and score, but no lead). Chat steps become
 * optional fields named after the step id: a choice is checked against its options.
 */
export function captureFormOf(block: CaptureBlock): { fields: FormField[]; consent: Consent | undefined } | null {
  switch (block.type) {
    case 'lead_form':
    case 'lead_magnet':
      return { fields: block.fields, consent: block.consent };
    case 'quiz':
      return block.askEmailBeforeOutcome ? { fields: [EMAIL_CAPTURE_FIELD], consent: block.consent } : null;
    case 'chat_capture':
      return {
        fields: [
          ...block.steps.map((step): FormField =>
            step.kind === 'choice'
              ? { name: step.id, label: step.prompt, kind: 'select', required: false, options: step.options ?? [] }
              : { name: step.id, label: step.prompt, kind: 'text', required: false },
          ),
          EMAIL_CAPTURE_FIELD,
        ],
        consent: block.consent,
      };
  }
}

/**
 * A parsed form body (e.g. Hono's `parseBody({ all: true })`) → one string per field. Repeated
 * names (a multi-choice question's checkboxes) are joined with ","; files are ignored.
 */
export function formValuesFromBody(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') values[name] = value;
    else if (Array.isArray(value)) values[name] = value.filter((item): item is string => typeof item === 'string').join(',');
  }
  return values;
}
