/**
 * The form builder of capture blocks (lead form, lead magnet): the fields in order with their
 * type, label, required switch, placeholder, dropdown options or UTM parameter, and the consent
 * wording that is stored word for word with every lead. The kinds a block allows and the rules
 * the schema enforces (one email field, always required; hidden fields never required; at most
 * one name, phone and company) shape the controls, so a marketer cannot build a form the server
 * would refuse — and when the schema still finds something, its message sits on the field.
 */
import { useState } from 'preact/hooks';
import type { FormField, FormFieldKind } from '../../../../../workers/domain/blocks';
import { ItemActions, ItemCard, useListOps } from './array-field';
import { ChoiceControl, FieldShell, SwitchControl, fieldMeta } from './field-shell';
import type { ArrayField, BooleanField, EnumField, FieldNode, ObjectField, StringField } from './field-model';
import { controlId, FieldView, issueAt, useForm, valueAt, type FieldProps } from './form-context';
import { FORM_FIELD_KIND_LABELS } from './ui-hints';
import { fieldNameFrom } from './values';

/** Kinds a block's form may use; lead magnets ask only for the email and a name (domain/blocks.ts). */
const ALLOWED_KINDS: Record<string, FormFieldKind[]> = {
  lead_magnet: ['email', 'name'],
};
/** Kinds that fill one of the lead's own columns, so a form has at most one of each. */
const SINGLE_USE: FormFieldKind[] = ['email', 'name', 'phone', 'company'];
const DEFAULT_LABELS: Record<FormFieldKind, string> = {
  email: 'Email',
  name: 'Name',
  phone: 'Phone',
  company: 'Company',
  text: 'Your answer',
  textarea: 'Message',
  select: 'Choose one',
  hidden_utm: 'Source',
};
const UTM_LABELS: Record<string, string> = {
  utm_source: 'utm_source (where from, e.g. newsletter)',
  utm_medium: 'utm_medium (e.g. email, cpc)',
  utm_campaign: 'utm_campaign',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
};

function child<T extends FieldNode>(node: ObjectField, key: string): T {
  const found = node.fields.find((f) => f.key === key);
  if (!found) throw new Error(`The form field schema has no ${key}`);
  return found as T;
}

/** A field changed to `kind`, with what that kind needs and nothing it forbids. */
export function withKind(field: FormField, kind: FormFieldKind, siblings: FormField[]): FormField {
  const { options: _options, utmParam: _utm, placeholder, ...rest } = field;
  const relabel = field.label === DEFAULT_LABELS[field.kind] ? DEFAULT_LABELS[kind] : field.label;
  const next: FormField = { ...rest, kind, label: relabel };
  if (kind !== 'hidden_utm' && placeholder !== undefined) next.placeholder = placeholder;
  if (kind === 'select') next.options = field.options ?? ['Option 1', 'Option 2'];
  if (kind === 'hidden_utm') {
    const used = new Set(siblings.map((f) => f.utmParam));
    next.utmParam = (Object.keys(UTM_LABELS).find((p) => !used.has(p as FormField['utmParam'])) ?? 'utm_source') as FormField['utmParam'];
    next.required = false;
  }
  if (kind === 'email') next.required = true;
  return next;
}

export function newFormField(kind: FormFieldKind, siblings: FormField[]): FormField {
  const label = DEFAULT_LABELS[kind];
  const base: FormField = {
    name: fieldNameFrom(
      kind === 'hidden_utm' ? 'utm' : label,
      siblings.map((f) => f.name),
    ),
    label,
    kind: 'text',
    required: false,
  };
  return withKind(base, kind, siblings);
}

export function FormFieldsEditor(props: FieldProps) {
  const ctx = useForm();
  const node = props.node as ArrayField;
  const item = node.item as ObjectField;
  const kindNode = child<EnumField>(item, 'kind');
  const allowed = ALLOWED_KINDS[ctx.scope] ?? (kindNode.options.map((o) => o.value) as FormFieldKind[]);
  const ops = useListOps(props.path, 'field', () => null);
  const fields = ops.items as FormField[];
  const [adding, setAdding] = useState<FormFieldKind | ''>('');
  const error = issueAt(ctx, props.path);
  const used = new Set(fields.map((f) => f.kind));
  const addable = allowed.filter((k) => !(SINGLE_USE.includes(k) && used.has(k)));
  const full = node.maxItems !== undefined && fields.length >= node.maxItems;
  const addId = `${ops.baseId}-new-kind`;

  return (
    <fieldset class="insp-group form-builder" aria-describedby={error ? `${ops.baseId}-error` : undefined}>
      <legend>
        {props.label ?? node.label} <span class="count">({fields.length})</span>
      </legend>
      {node.description ? <p class="field-hint">{node.description}</p> : null}
      {error ? (
        <p class="field-error" id={`${ops.baseId}-error`}>
          {error}
        </p>
      ) : null}
      <ol class="insp-items">
        {fields.map((field, i) => {
          const path = [...props.path, i];
          const kindLabel = FORM_FIELD_KIND_LABELS[field.kind] ?? field.kind;
          const isEmail = field.kind === 'email';
          const hidden = field.kind === 'hidden_utm';
          const kindOptions = kindNode.options
            .filter((o) => allowed.includes(o.value as FormFieldKind))
            .map((o) => ({
              value: o.value,
              label: FORM_FIELD_KIND_LABELS[o.value] ?? o.label,
              taken: o.value !== field.kind && SINGLE_USE.includes(o.value as FormFieldKind) && used.has(o.value as FormFieldKind),
            }));
          const kindId = controlId(ctx, [...path, 'kind']);
          const kindMeta = fieldMeta(kindId, issueAt(ctx, [...path, 'kind']), {});
          return (
            <ItemCard
              key={i}
              titleId={`${ops.itemId(i)}-title`}
              title={`${kindLabel} field`}
              summary={field.label}
              actions={
                <ItemActions
                  baseId={ops.itemId(i)}
                  index={i}
                  count={fields.length}
                  itemName={`field ${i + 1} (${field.label})`}
                  canRemove={!isEmail && fields.length > node.minItems}
                  removeHint={isEmail ? 'The email field makes the lead: it cannot be removed' : undefined}
                  onMove={(to) => ops.move(i, to)}
                  onRemove={() => ops.remove(i)}
                />
              }
            >
              <FieldShell meta={kindMeta} label="Type">
                <select
                  id={kindId}
                  value={field.kind}
                  aria-invalid={kindMeta.error ? true : undefined}
                  aria-describedby={kindMeta.describedBy}
                  onChange={(e) =>
                    ctx.set(
                      path,
                      withKind(
                        field,
                        e.currentTarget.value as FormFieldKind,
                        fields.filter((_, j) => j !== i),
                      ),
                    )
                  }
                >
                  {kindOptions.map((o) => (
                    <option key={o.value} value={o.value} disabled={o.taken}>
                      {o.label}
                      {o.taken ? ' (already on this form)' : ''}
                    </option>
                  ))}
                </select>
              </FieldShell>
              <FieldView
                node={child<StringField>(item, 'label')}
                path={[...path, 'label']}
                label={hidden ? 'Label (for your records)' : 'Label'}
              />
              {hidden ? null : (
                <SwitchControl
                  node={{
                    ...child<BooleanField>(item, 'required'),
                    description: isEmail ? 'The email is always required: it is what makes a submission a lead.' : undefined,
                  }}
                  path={[...path, 'required']}
                  label="Required"
                  disabled={isEmail}
                />
              )}
              {field.kind === 'select' ? (
                <FieldView node={child<ArrayField>(item, 'options')} path={[...path, 'options']} label="Options" />
              ) : null}
              {hidden ? (
                <>
                  <ChoiceControl
                    id={controlId(ctx, [...path, 'utmParam'])}
                    label="Keeps this parameter of the page address"
                    options={Object.entries(UTM_LABELS).map(([value, label]) => ({ value, label }))}
                    value={field.utmParam ?? ''}
                    display="select"
                    error={issueAt(ctx, [...path, 'utmParam'])}
                    hint="Visitors do not see this field; it records where they came from with their lead."
                    onChange={(value) => ctx.set([...path, 'utmParam'], value)}
                  />
                </>
              ) : (
                <FieldView node={child<StringField>(item, 'placeholder')} path={[...path, 'placeholder']} />
              )}
              <details class="insp-advanced" open={!!issueAt(ctx, [...path, 'name']) || undefined}>
                <summary>Field name</summary>
                <FieldView
                  node={{
                    ...child<StringField>(item, 'name'),
                    description: 'The key of this answer in lead data, exports and webhooks. Change it before leads arrive.',
                  }}
                  path={[...path, 'name']}
                  label="Field name"
                />
              </details>
            </ItemCard>
          );
        })}
      </ol>
      <div class="add-row">
        <div class="field">
          <label for={addId}>New field</label>
          <select
            id={addId}
            value={adding}
            disabled={full || !addable.length}
            onChange={(e) => setAdding(e.currentTarget.value as FormFieldKind)}
          >
            <option value="">Choose a type…</option>
            {addable.map((k) => (
              <option key={k} value={k}>
                {FORM_FIELD_KIND_LABELS[k] ?? k}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          class="button secondary small"
          id={`${ops.baseId}-add`}
          disabled={!adding || full}
          onClick={() => {
            if (!adding) return;
            ops.add(newFormField(adding, fields));
            setAdding('');
          }}
        >
          Add field
        </button>
      </div>
      {full ? <p class="field-hint">This form has the most fields it can have ({node.maxItems}).</p> : null}
    </fieldset>
  );
}

/** The consent checkbox's wording, stored verbatim with each lead. */
export function ConsentEditor(props: FieldProps) {
  const ctx = useForm();
  const node = props.node as ObjectField;
  const consent = valueAt<{ text: string; required: boolean }>(ctx, props.path);
  const error = issueAt(ctx, props.path);
  const id = controlId(ctx, props.path);
  // A quiz asks for consent only together with the email (domain/blocks.ts).
  const quizWithoutEmail = ctx.scope === 'quiz' && valueAt<boolean>(ctx, ['askEmailBeforeOutcome']) !== true;
  const textNode: StringField = {
    ...child<StringField>(node, 'text'),
    label: 'Consent wording',
    description: 'Next to the checkbox, e.g. “I agree to receive emails about … and can unsubscribe at any time.”',
  };
  return (
    <fieldset class="insp-group consent" aria-describedby={`${id}-note${error ? ` ${id}-error` : ''}`}>
      <legend>Consent</legend>
      <p class="consent-note" id={`${id}-note`}>
        <strong>Stored word for word with each lead</strong> as the record of what they agreed to. Editing it applies to new leads only;
        earlier leads keep the wording they saw.
      </p>
      {node.required ? null : (
        <SwitchControl
          // The note above already says what the wording is for.
          node={{ ...node, description: undefined }}
          path={props.path}
          label="Ask for consent"
          checked={consent !== undefined}
          disabled={quizWithoutEmail && consent === undefined}
          onToggle={(on) => ctx.set(props.path, on ? structuredClone(node.initial ?? { text: '', required: true }) : undefined)}
        />
      )}
      {quizWithoutEmail && consent === undefined ? (
        <p class="field-hint">Consent is asked together with the email: turn on asking for the email first.</p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {consent !== undefined ? (
        <>
          <FieldView node={textNode} path={[...props.path, 'text']} />
          <SwitchControl
            node={{
              ...child<BooleanField>(node, 'required'),
              description: 'Off: the box is optional; the wording is recorded only for visitors who tick it.',
            }}
            path={[...props.path, 'required']}
            label="Visitors must tick it to submit"
          />
        </>
      ) : null}
    </fieldset>
  );
}
