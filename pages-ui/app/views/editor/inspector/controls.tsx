/**
 * The generated form: one control per field of the field model, chosen by the field's kind and
 * widget. Every control has a label, its hint, counter and error linked by aria-describedby, and
 * reports each change as a whole new value at its path (the editor keeps the history).
 */
import { useEffect, useState } from 'preact/hooks';
import type { EnumField, NumberField, ObjectField, StringField, VariantField } from './field-model';
import { ArrayEditor } from './array-field';
import { ChoiceControl, FieldShell, SwitchControl, fieldMeta } from './field-shell';
import { controlId, FieldList, issueAt, useForm, valueAt, type FieldProps } from './form-context';
import { ImageControl, ImageSrcControl, FileControl } from './image-field';
import { RichTextControl } from './rich-text-field';
import { useFunnelPages } from './funnel-pages';
import { initialValue } from './values';

/** Counters are for text a marketer writes; addresses (2,048 characters) get none until they near the limit. */
const COUNTER_UP_TO = 1000;

/**
 * Any field: the builder registered for its pattern, else the control for its kind. The forms put
 * it in their context (`FormCtx.Field`), so the controls that hold other fields (lists, images,
 * builders) draw them without importing this module back.
 */
export function FieldControl(props: FieldProps) {
  const ctx = useForm();
  const override = ctx.overrides[props.node.pattern];
  if (override) return override(props);
  const { node } = props;
  switch (node.kind) {
    case 'string':
      return <StringControl {...props} node={node} />;
    case 'number':
      return <NumberControl {...props} node={node} />;
    case 'boolean':
      return <SwitchControl {...props} />;
    case 'enum':
      return <EnumControl {...props} node={node} />;
    case 'object':
      return <ObjectControl {...props} node={node} />;
    case 'array':
      return <ArrayEditor {...props} node={node} />;
    case 'variant':
      return <VariantControl {...props} node={node} />;
    case 'unsupported':
      return <p class="muted">{props.label ?? node.label}: this setting is not editable in the inspector.</p>;
  }
}

function StringControl(props: FieldProps & { node: StringField }) {
  const ctx = useForm();
  const { node, path } = props;
  if (node.widget === 'rich-text') return <RichTextControl {...props} />;
  if (node.widget === 'image')
    return <ImageControl node={node} objectPath={path.slice(0, -1)} optional={false} label={props.label ?? node.label} />;
  if (node.widget === 'image-src') return <ImageSrcControl {...props} />;
  if (node.widget === 'file') return <FileControl {...props} />;
  if (node.widget === 'colour') return <ColourControl {...props} />;
  if (node.widget === 'page-slug') return <PageSlugControl {...props} />;

  const value = valueAt<string>(ctx, path) ?? '';
  const id = controlId(ctx, path);
  const max = node.maxLength;
  const showCounter = max !== undefined && (max <= COUNTER_UP_TO || value.length > max * 0.8);
  const hint = props.compact ? undefined : node.description;
  const meta = fieldMeta(id, issueAt(ctx, path), { hint: !!hint, counter: showCounter });
  const onInput = (raw: string) => {
    const next = node.widget === 'currency' ? raw.toUpperCase() : raw;
    ctx.set(path, !node.required && next === '' ? undefined : next);
  };
  const common = {
    id,
    value,
    placeholder: node.placeholder,
    'aria-invalid': meta.error ? true : undefined,
    'aria-describedby': meta.describedBy,
    'aria-required': node.required && node.minLength ? true : undefined,
  } as const;
  return (
    <FieldShell
      meta={meta}
      label={props.label ?? node.label}
      optional={!node.required}
      hint={hint}
      counter={showCounter ? { length: value.length, max: max } : undefined}
    >
      {node.multiline ? (
        <textarea {...common} rows={max && max > 600 ? 6 : 3} onInput={(e) => onInput(e.currentTarget.value)} />
      ) : (
        <input
          {...common}
          type={node.key === 'url' ? 'url' : 'text'}
          class={node.widget === 'currency' ? 'short' : undefined}
          spellcheck={node.pattern_ ? false : undefined}
          autocapitalize={node.pattern_ ? 'off' : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </FieldShell>
  );
}

/** Another page of the funnel, by name; a slug that names no page is shown as such, to be changed. */
function PageSlugControl(props: FieldProps & { node: StringField }) {
  const ctx = useForm();
  const { pages, loading } = useFunnelPages();
  const value = valueAt<string>(ctx, props.path) ?? '';
  const id = controlId(ctx, props.path);
  const error = issueAt(ctx, props.path);
  if (loading && !pages) {
    return (
      <FieldShell meta={fieldMeta(id, error, {})} label={props.label ?? props.node.label}>
        <select id={id} disabled>
          <option>Loading the funnel’s pages…</option>
        </select>
      </FieldShell>
    );
  }
  // Without the list (outside the editor, or it failed to load) the address is typed.
  if (!pages)
    return (
      <StringControl
        {...props}
        node={{ ...props.node, widget: undefined, description: 'The page’s address within the funnel, e.g. “thank-you”.' }}
      />
    );
  const known = pages.some((p) => p.slug === value);
  const meta = fieldMeta(
    id,
    error ?? (value && !known ? 'This funnel has no page with this address any more: choose one.' : undefined),
    {},
  );
  return (
    <FieldShell meta={meta} label={props.label ?? props.node.label}>
      <select
        id={id}
        value={value}
        aria-invalid={meta.error ? true : undefined}
        aria-describedby={meta.describedBy}
        onChange={(e) => ctx.set(props.path, e.currentTarget.value)}
      >
        {known ? null : <option value={value}>{value ? `/${value} (no such page)` : 'Choose a page…'}</option>}
        {pages.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name} (/{p.slug})
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

function ColourControl(props: FieldProps & { node: StringField }) {
  const ctx = useForm();
  const value = valueAt<string>(ctx, props.path) ?? '';
  const id = controlId(ctx, props.path);
  const meta = fieldMeta(id, issueAt(ctx, props.path), { hint: !!props.node.description });
  const valid = /^#[0-9a-fA-F]{6}$/.test(value);
  const label = props.label ?? props.node.label;
  return (
    <FieldShell meta={meta} label={label} hint={props.node.description} optional={!props.node.required}>
      <div class="colour-row">
        <input
          type="color"
          class="colour-swatch"
          aria-label={`${label}: colour picker`}
          value={valid ? value.toLowerCase() : '#000000'}
          onInput={(e) => ctx.set(props.path, e.currentTarget.value)}
        />
        <input
          id={id}
          class="colour-hex"
          value={value}
          spellcheck={false}
          maxLength={7}
          aria-invalid={meta.error ? true : undefined}
          aria-describedby={meta.describedBy}
          onInput={(e) => ctx.set(props.path, e.currentTarget.value.trim())}
        />
      </div>
    </FieldShell>
  );
}

/** Minor units per major unit of a currency (100 for USD, 1 for JPY). */
function minorFactor(currency: unknown): number {
  try {
    const digits =
      new Intl.NumberFormat('en', { style: 'currency', currency: String(currency) }).resolvedOptions().maximumFractionDigits ?? 2;
    return 10 ** digits;
  } catch {
    return 100;
  }
}

function NumberControl(props: FieldProps & { node: NumberField }) {
  if (props.node.widget === 'rating') return <RatingControl {...props} />;
  if (props.node.widget === 'datetime') return <DateTimeControl {...props} />;
  return <AmountControl {...props} />;
}

/** A number typed as text (money as a decimal amount of its currency). */
function AmountControl(props: FieldProps & { node: NumberField }) {
  const ctx = useForm();
  const { node, path } = props;
  const value = valueAt<number>(ctx, path);
  const id = controlId(ctx, path);
  const meta = fieldMeta(id, issueAt(ctx, path), { hint: true });
  const label = props.label ?? node.label;

  const money = node.widget === 'money';
  const currency = money ? valueAt<string>(ctx, [...path.slice(0, -1), 'currency']) : undefined;
  const factor = money ? minorFactor(currency) : 1;
  const shown = value === undefined ? '' : money ? (value / factor).toFixed(Math.log10(factor)) : String(value);
  // The typed text is kept while it means the same number, so "12." is not rewritten to "12" mid-typing.
  const [text, setText] = useState(shown);
  const typed = text.trim() === '' ? undefined : Number(text);
  const typedValue = typed === undefined || Number.isNaN(typed) ? typed : money ? Math.round(typed * factor) : typed;
  useEffect(() => {
    if (typedValue !== value) setText(shown);
  }, [value, factor]);

  const range = [
    node.minimum !== undefined ? `from ${money ? (node.minimum / factor).toLocaleString() : node.minimum.toLocaleString()}` : '',
    node.maximum !== undefined ? `to ${money ? (node.maximum / factor).toLocaleString() : node.maximum.toLocaleString()}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const hint = props.compact
    ? ''
    : [node.description, money ? `In ${currency || 'the currency'}, e.g. 49.00.` : range ? `A whole number ${range}.` : '']
        .filter(Boolean)
        .join(' ');
  return (
    <FieldShell meta={meta} label={label} hint={hint || undefined} optional={!node.required}>
      <input
        id={id}
        type="text"
        inputMode={money ? 'decimal' : 'numeric'}
        class="short"
        value={text}
        aria-invalid={meta.error ? true : undefined}
        aria-describedby={hint ? meta.describedBy : meta.error ? meta.errorId : undefined}
        onInput={(e) => {
          const raw = e.currentTarget.value;
          setText(raw);
          const trimmed = raw.trim().replace(',', '.');
          if (trimmed === '') return ctx.set(path, undefined);
          const n = Number(trimmed);
          // Not a number yet ("-"): keep what is typed; the schema reports a non-number that stays.
          if (Number.isNaN(n)) return;
          ctx.set(path, money ? Math.round(n * factor) : n);
        }}
      />
    </FieldShell>
  );
}

function toLocalInput(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function DateTimeControl(props: FieldProps & { node: NumberField }) {
  const ctx = useForm();
  const value = valueAt<number>(ctx, props.path);
  const id = controlId(ctx, props.path);
  const meta = fieldMeta(id, issueAt(ctx, props.path), { hint: true });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <FieldShell
      meta={meta}
      label={props.label ?? props.node.label}
      hint={`${props.node.description ?? ''} Time zone: ${zone}.`.trim()}
      optional={!props.node.required}
    >
      <input
        id={id}
        type="datetime-local"
        value={toLocalInput(value)}
        aria-invalid={meta.error ? true : undefined}
        aria-describedby={meta.describedBy}
        onInput={(e) => {
          const ms = new Date(e.currentTarget.value).getTime();
          ctx.set(props.path, Number.isFinite(ms) ? ms : undefined);
        }}
      />
    </FieldShell>
  );
}

function RatingControl(props: FieldProps & { node: NumberField }) {
  const ctx = useForm();
  const value = valueAt<number>(ctx, props.path);
  const id = controlId(ctx, props.path);
  const error = issueAt(ctx, props.path);
  const min = props.node.minimum ?? 1;
  const max = props.node.maximum ?? 5;
  const stars = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <fieldset class={`insp-field choice${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{props.label ?? props.node.label}</legend>
      <div class="segmented stars">
        {props.node.required ? null : (
          <label>
            <input type="radio" name={id} checked={value === undefined} onChange={() => ctx.set(props.path, undefined)} />
            <span>None</span>
          </label>
        )}
        {stars.map((n) => (
          <label key={n}>
            <input type="radio" name={id} checked={value === n} onChange={() => ctx.set(props.path, n)} />
            <span aria-hidden="true">{'★'.repeat(n)}</span>
            <span class="visually-hidden">
              {n} {n === 1 ? 'star' : 'stars'}
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The value an optional choice has when it is not set. */
const ABSENT = '';

function EnumControl(props: FieldProps & { node: EnumField }) {
  const ctx = useForm();
  const { node, path } = props;
  const value = valueAt<string>(ctx, path);
  // "None" only where not setting the value means something other than one of the options.
  const offersNone = !node.required && node.defaultValue === undefined;
  const options = offersNone ? [{ value: ABSENT, label: 'None' }, ...node.options] : node.options;
  return (
    <ChoiceControl
      id={controlId(ctx, path)}
      label={props.label ?? node.label}
      options={options}
      value={value ?? node.defaultValue ?? ABSENT}
      display={offersNone ? 'select' : node.display}
      error={issueAt(ctx, path)}
      hint={node.description}
      onChange={(next) => {
        const value = next === ABSENT ? undefined : next;
        const companions = node.companions?.[next];
        if (!companions) return ctx.set(path, value);
        // The choice and what it implies for its siblings, as one change (one undo step).
        const parentPath = path.slice(0, -1);
        const parent: Record<string, unknown> = { ...valueAt<Record<string, unknown>>(ctx, parentPath), [node.key]: value };
        for (const [key, implied] of Object.entries(companions)) {
          if (implied === undefined) delete parent[key];
          else if (parent[key] === undefined) parent[key] = structuredClone(implied);
        }
        ctx.set(parentPath, parent);
      }}
    />
  );
}

function ObjectControl(props: FieldProps & { node: ObjectField }) {
  const ctx = useForm();
  const { node, path } = props;
  const label = props.label ?? node.label;
  if (node.widget === 'image') return <ImageControl node={node} objectPath={path} optional={!node.required} label={label} />;
  const value = valueAt(ctx, path);
  const error = issueAt(ctx, path);
  const present = value !== undefined;
  return (
    <fieldset class="insp-group" aria-describedby={error ? `${controlId(ctx, path)}-error` : undefined}>
      <legend>{label}</legend>
      {node.description ? <p class="field-hint">{node.description}</p> : null}
      {node.required ? null : (
        <SwitchControl
          node={node}
          path={path}
          label={node.toggleLabel ?? `Add ${label.toLowerCase()}`}
          checked={present}
          onToggle={(on) => ctx.set(path, on ? initialValue(node) : undefined)}
        />
      )}
      {error ? (
        <p class="field-error" id={`${controlId(ctx, path)}-error`}>
          {error}
        </p>
      ) : null}
      {present ? <FieldList fields={node.fields} path={path} /> : null}
    </fieldset>
  );
}

function VariantControl(props: FieldProps & { node: VariantField }) {
  const ctx = useForm();
  const { node, path } = props;
  const value = valueAt<Record<string, unknown>>(ctx, path);
  const current = value?.[node.discriminator];
  const variant = node.variants.find((v) => v.value === current);
  const same = (v: unknown) => typeof v === 'string' && (node.sameAsAbsent ?? []).includes(v);
  const options = node.variants.filter((v) => !same(v.value)).map((v) => ({ value: v.value, label: v.label }));
  if (!node.required) options.unshift({ value: ABSENT, label: node.absentLabel ?? 'Not set' });
  const choose = (next: string) => {
    if (next === ABSENT) return ctx.set(path, undefined);
    const chosen = node.variants.find((v) => v.value === next)!;
    const fresh: Record<string, unknown> = { [node.discriminator]: next };
    for (const field of chosen.fields) {
      // Keep what the marketer typed in a field both variants share.
      const kept = value?.[field.key];
      if (kept !== undefined) fresh[field.key] = kept;
      else if (field.required) fresh[field.key] = initialValue(field);
    }
    ctx.set(path, fresh);
  };
  return (
    <div class="insp-variant">
      <ChoiceControl
        id={controlId(ctx, path)}
        label={props.label ?? node.label}
        options={options}
        value={typeof current === 'string' && !same(current) ? current : ABSENT}
        display={node.display}
        error={issueAt(ctx, path) ?? issueAt(ctx, [...path, node.discriminator])}
        hint={node.description}
        onChange={choose}
      />
      {variant && variant.fields.length ? (
        <div class="insp-variant-fields">
          <FieldList fields={variant.fields} path={path} />
        </div>
      ) : null}
    </div>
  );
}
