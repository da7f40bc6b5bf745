/**
 * What every generated control needs to know: the value being edited, the messages for it, how to
 * change it, and how to name its elements (ids for labels, hints and errors). One context per
 * form (a block, the page settings, the theme), so controls take only their field and path.
 */
import { signal } from '@preact/signals';
import { createContext, type ComponentType, type JSX } from 'preact';
import { useContext } from 'preact/hooks';
import type { FieldNode } from './field-model';
import type { Issues } from './validation';
import { getIn, pathKey, type Path } from './values';

export interface FieldProps {
  node: FieldNode;
  path: Path;
  /** Replaces the field's label (a list item: "Question 2"). */
  label?: string;
  /** Leaves out the field's hint (a row of many small fields, where the label says enough). */
  compact?: boolean;
}

export interface FormCtx {
  /** A block type, `settings` or `theme`: which hints apply and part of every id. */
  scope: string;
  /** The value being edited: the whole block, the settings, the theme. */
  root: unknown;
  issues: Issues;
  set: (path: Path, value: unknown) => void;
  readOnly: boolean;
  /** Builders for parts the generic form does not draw well (a quiz's questions), by field pattern. */
  overrides: Partial<Record<string, (props: FieldProps) => JSX.Element | null>>;
  /** Draws any field (controls.tsx `FieldControl`), for controls that hold other fields. */
  Field: ComponentType<FieldProps>;
}

export const FormContext = createContext<FormCtx | null>(null);

export function useForm(): FormCtx {
  const ctx = useContext(FormContext);
  if (!ctx) throw new Error('A form control outside a form');
  return ctx;
}

/** The DOM id of a field's control: `insp-hero-cta-label`. */
export function controlId(ctx: Pick<FormCtx, 'scope'>, path: Path): string {
  return `insp-${ctx.scope}${path.length ? `-${path.join('-')}` : ''}`.replace(/[^\w-]/g, '_');
}

export function valueAt<T = unknown>(ctx: FormCtx, path: Path): T | undefined {
  return getIn(ctx.root, path) as T | undefined;
}

export function issueAt(ctx: FormCtx, path: Path): string | undefined {
  return ctx.issues[pathKey(path)];
}

/** The latest thing to tell screen-reader users (moved, removed, added, pasted, problems). */
export const announcement = signal('');
let counter = 0;

/** Says `message` in the inspector's polite live region (repeated messages are said again). */
export function announce(message: string): void {
  // A zero-width difference makes a repeated message a change the screen reader notices.
  announcement.value = `${message}${++counter % 2 ? '' : '\u200b'}`;
}

/** One field of the current form, drawn by the form's own control set. */
export function FieldView(props: FieldProps) {
  const { Field } = useForm();
  return <Field {...props} />;
}

/** The fields of an object at `path`, in order (those shown only with a sibling's value, only then). */
export function FieldList(props: { fields: FieldNode[]; path: Path }) {
  const ctx = useForm();
  const object = valueAt<Record<string, unknown>>(ctx, props.path);
  return (
    <>
      {props.fields.map((field) =>
        field.showWhen && object?.[field.showWhen.key] !== field.showWhen.equals ? null : (
          <FieldView key={field.key} node={field} path={[...props.path, field.key]} />
        ),
      )}
    </>
  );
}
