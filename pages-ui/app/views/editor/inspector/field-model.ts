/**
 * JSON Schema (what `z.toJSONSchema` makes of a block's zod schema) → a tree of form fields the
 * inspector renders. Pure and independent of zod and Preact, so a schema change in
 * workers/domain/blocks.ts reaches the form without touching this file: a new property becomes a
 * new field, a new enum value a new option, a changed limit a changed counter.
 *
 * The schema says *what* a value is; `FieldHints` (ui-hints.ts) say what a marketer calls it and
 * which control suits it where the schema cannot tell (rich text, money in minor units, a date
 * stored as epoch milliseconds).
 */

/** The subset of JSON Schema (draft 2020-12) that zod writes for the block schemas. */
export interface JsonSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  const?: unknown;
  enum?: unknown[];
  title?: string;
  description?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
  /** The block schema document's hint for the control (workers/domain/block-schema.ts). */
  'x-widget'?: string;
}

/** Controls the schema alone cannot ask for. */
export type Widget =
  /** The markdown subset of workers/domain/rich-text.ts, with a formatting toolbar. */
  | 'rich-text'
  /** An object `{ src, alt, width?, height? }` (or a block holding those keys): the media picker. */
  | 'image'
  /** A string that is an image's address (an avatar, a social image): the media picker, address only. */
  | 'image-src'
  /** A lead-magnet file: a PDF from the media library or an https address. */
  | 'file'
  | 'colour'
  /** An integer amount in minor units (cents), shown and typed as a decimal amount. */
  | 'money'
  /** An integer of UTC epoch milliseconds, typed as a local date and time. */
  | 'datetime'
  /** A 1–5 integer shown as stars. */
  | 'rating'
  /** An upper-case currency code. */
  | 'currency'
  /** The slug of another page of the funnel. */
  | 'page-slug';

export interface FieldHint {
  label?: string;
  /** Replaces the schema's help text; `''` drops it (when it describes another control than the inspector's). */
  description?: string;
  widget?: Widget;
  /** Not shown (set by the inspector itself, e.g. the block's type). */
  hidden?: boolean;
  /** Shown under "Advanced" (ids, intrinsic sizes). */
  advanced?: boolean;
  /** Labels of enum values or of variants (by their discriminating value). */
  optionLabels?: Record<string, string>;
  display?: 'select' | 'segmented' | 'radio';
  /** What one item of an array is called ("question"), for "Add question" and "Question 2". */
  itemLabel?: string;
  placeholder?: string;
  multiline?: boolean;
  /** The value a new item or a newly switched-on optional field starts with. */
  initial?: unknown;
  /** Label of the switch that adds or removes an optional object ("Add a button"). */
  toggleLabel?: string;
  /** For variants: the label of "not set" when the whole variant is optional (e.g. "Next page (default)"). */
  absentLabel?: string;
  /** For optional variants: choices that mean the same as "not set", shown as it. */
  sameAsAbsent?: string[];
  /** Shown only while a sibling field has this value (a chat step's choices, for choice steps). */
  showWhen?: { key: string; equals: string };
  /** For enums: what choosing a value does to sibling fields (`undefined` removes one; a value fills it when empty). */
  companions?: Record<string, Record<string, unknown>>;
}

/**
 * Hints by path pattern, most specific first:
 *   `<scope>.<path>` (scope: a block type, `settings` or `theme`; `*` stands for an array index),
 *   `*.<path>` (that path in any block), `**.<key>` (that property anywhere).
 */
export type FieldHints = Record<string, FieldHint>;

export interface EnumOption {
  value: string;
  label: string;
}

interface FieldBase {
  /** The property name (`''` for an array's item). */
  key: string;
  /** Path pattern from the scope's root, `*` for array indices: `questions.*.answers`. */
  pattern: string;
  label: string;
  description?: string;
  /** Whether the property must be present (an absent optional string, number or object is `undefined`). */
  required: boolean;
  advanced: boolean;
  widget?: Widget;
  placeholder?: string;
  initial?: unknown;
  showWhen?: { key: string; equals: string };
}

export interface StringField extends FieldBase {
  kind: 'string';
  minLength?: number;
  maxLength?: number;
  pattern_?: string;
  multiline: boolean;
  /** Constant choices offered beside free text (a `anyOf` of a pattern and literals). */
  suggestions?: string[];
}

export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  minimum?: number;
  maximum?: number;
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
}

export interface EnumField extends FieldBase {
  kind: 'enum';
  options: EnumOption[];
  /**
   * What an optional choice means when it is not set (the schema's `default`, e.g. a theme's
   * button corners): shown as chosen instead of offering "None", which would not say what visitors get.
   */
  defaultValue?: string;
  display: 'select' | 'segmented' | 'radio';
  companions?: Record<string, Record<string, unknown>>;
}

export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: FieldNode[];
  toggleLabel?: string;
}

export interface ArrayField extends FieldBase {
  kind: 'array';
  item: FieldNode;
  minItems: number;
  maxItems?: number;
  itemLabel: string;
}

export interface Variant {
  value: string;
  label: string;
  /** The variant's own fields, without the discriminator. */
  fields: FieldNode[];
}

/** A discriminated union of objects (`oneOf` whose members share a `const` property), e.g. a button's target. */
export interface VariantField extends FieldBase {
  kind: 'variant';
  discriminator: string;
  variants: Variant[];
  display: 'select' | 'segmented' | 'radio';
  absentLabel?: string;
  sameAsAbsent?: string[];
}

/** Something the generator has no control for; shown as a note rather than silently dropped. */
export interface UnsupportedField extends FieldBase {
  kind: 'unsupported';
}

export type FieldNode = StringField | NumberField | BooleanField | EnumField | ObjectField | ArrayField | VariantField | UnsupportedField;

/** `submitLabel` → "Submit label", `utm_source` → "Utm source", `minScore` → "Min score". */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** The singular of an array's property name, for its items: `questions` → "question", `items` → "item". */
export function singular(name: string): string {
  const word = humanise(name).toLowerCase();
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ses')) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

function hintFor(hints: FieldHints, scope: string, pattern: string, key: string): FieldHint {
  const found = [hints[`${scope}.${pattern}`], hints[`*.${pattern}`], key ? hints[`**.${key}`] : undefined];
  // Later (less specific) hints fill in what earlier ones leave open.
  return Object.assign({}, ...found.filter(Boolean).reverse()) as FieldHint;
}

const COLOUR_PATTERN = /^\^#\[0-9a-fA-F\]\{6\}\$$|^\^#\[0-9A-Fa-f\]\{6\}\$$/;
/** Segmented buttons read well for a few short choices; longer lists get a select. */
const SEGMENTED_MAX_OPTIONS = 3;
const SEGMENTED_MAX_LABEL = 14;
/** Strings allowed more than this many characters get a multi-line box. */
const MULTILINE_FROM = 200;

function constOf(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (typeof schema.const === 'string') return schema.const;
  if (schema.enum?.length === 1 && typeof schema.enum[0] === 'string') return schema.enum[0];
  return undefined;
}

/** The property every member of a `oneOf` fixes to a different constant, if there is one. */
function discriminatorOf(members: JsonSchema[]): string | undefined {
  const first = members[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((key) => {
    const values = members.map((member) => constOf(member.properties?.[key]));
    return values.every((v) => v !== undefined) && new Set(values).size === members.length;
  });
}

function choiceDisplay(labels: string[], hint: FieldHint): 'select' | 'segmented' | 'radio' {
  if (hint.display) return hint.display;
  return labels.length <= SEGMENTED_MAX_OPTIONS && labels.every((l) => l.length <= SEGMENTED_MAX_LABEL) ? 'segmented' : 'select';
}

interface Context {
  hints: FieldHints;
  scope: string;
}

function childPattern(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function objectFields(schema: JsonSchema, parentPattern: string, ctx: Context, skip: readonly string[] = []): FieldNode[] {
  const required = new Set(schema.required ?? []);
  const fields: FieldNode[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (skip.includes(key)) continue;
    const node = fieldFor(property, key, childPattern(parentPattern, key), required.has(key), ctx);
    if (node) fields.push(node);
  }
  // Advanced fields last, in their own order; the rest in the schema's order.
  return [...fields.filter((f) => !f.advanced), ...fields.filter((f) => f.advanced)];
}

/** The schema document's `x-widget` in the inspector's terms. */
function schemaWidget(schema: JsonSchema, key: string): { widget?: Widget; multiline?: boolean; hidden?: boolean } {
  switch (schema['x-widget']) {
    case 'richtext':
      return { widget: 'rich-text' };
    case 'color':
      return { widget: 'colour' };
    case 'money-minor':
      return { widget: 'money' };
    case 'datetime-ms':
      return { widget: 'datetime' };
    case 'asset':
      return { widget: 'file' };
    case 'currency':
      return { widget: 'currency' };
    case 'textarea':
      return { multiline: true };
    case 'hidden':
      return { hidden: true };
    case 'image':
      // An object's `src` is edited by the image control of the object; any other string is an image address.
      return schema.type === 'string' ? { widget: key === 'src' ? 'image' : 'image-src' } : { widget: 'image' };
    default:
      return {};
  }
}

/**
 * One property's field, or null when it is hidden or a constant (a block's `type`, which the
 * inspector never changes).
 */
export function fieldFor(schema: JsonSchema, key: string, pattern: string, required: boolean, ctx: Context): FieldNode | null {
  const fromSchema = schemaWidget(schema, key);
  const hint = { ...fromSchema, ...hintFor(ctx.hints, ctx.scope, pattern, key) };
  if (hint.hidden || schema.const !== undefined) return null;
  const base: FieldBase = {
    key,
    pattern,
    label: hint.label ?? schema.title ?? humanise(key),
    required,
    advanced: hint.advanced ?? false,
    ...((hint.description ?? schema.description) ? { description: hint.description ?? schema.description } : {}),
    ...(hint.widget ? { widget: hint.widget } : {}),
    ...(hint.placeholder ? { placeholder: hint.placeholder } : {}),
    ...(hint.initial !== undefined ? { initial: hint.initial } : {}),
    ...(hint.showWhen ? { showWhen: hint.showWhen } : {}),
  };

  const members = schema.oneOf ?? schema.anyOf;
  if (members) {
    const discriminator = discriminatorOf(members);
    if (discriminator) {
      const variants = members.map((member) => {
        const value = constOf(member.properties?.[discriminator])!;
        return {
          value,
          label: hint.optionLabels?.[value] ?? member.title ?? humanise(value),
          fields: objectFields(member, pattern, ctx, [discriminator]),
        };
      });
      return {
        ...base,
        kind: 'variant',
        discriminator,
        variants,
        display: choiceDisplay(
          variants.map((v) => v.label),
          hint,
        ),
        ...(hint.absentLabel ? { absentLabel: hint.absentLabel } : {}),
        ...(hint.sameAsAbsent && !required ? { sameAsAbsent: hint.sameAsAbsent } : {}),
      };
    }
    // A string of a pattern or one of a few literals (a quiz answer's `next`: a question id or "end").
    const literals = members.map(constOf).filter((v): v is string => v !== undefined);
    const free = members.find((member) => member.type === 'string' && member.const === undefined);
    if (free) {
      const field = fieldFor(free, key, pattern, required, ctx) as StringField | null;
      return field && { ...field, suggestions: literals };
    }
    if (literals.length === members.length) return enumField(base, literals, hint);
    return { ...base, kind: 'unsupported' };
  }

  if (schema.enum) {
    const field = enumField(base, schema.enum.map(String), hint);
    return !required && typeof schema.default === 'string' && schema.enum.includes(schema.default)
      ? { ...field, defaultValue: schema.default }
      : field;
  }

  switch (schema.type) {
    case 'string': {
      const widget = base.widget ?? (schema.pattern && COLOUR_PATTERN.test(schema.pattern) ? 'colour' : undefined);
      return {
        ...base,
        ...(widget ? { widget } : {}),
        kind: 'string',
        ...(schema.minLength !== undefined ? { minLength: schema.minLength } : {}),
        ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
        ...(schema.pattern !== undefined ? { pattern_: schema.pattern } : {}),
        multiline: hint.multiline ?? (widget === 'rich-text' || (schema.maxLength ?? 0) > MULTILINE_FROM),
      };
    }
    case 'number':
    case 'integer': {
      const minimum = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
      const maximum = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : undefined);
      return {
        ...base,
        kind: 'number',
        integer: schema.type === 'integer',
        ...(minimum !== undefined ? { minimum } : {}),
        ...(maximum !== undefined ? { maximum } : {}),
      };
    }
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'object': {
      const props = schema.properties ?? {};
      const widget = base.widget ?? ('src' in props && 'alt' in props ? 'image' : undefined);
      return {
        ...base,
        ...(widget ? { widget } : {}),
        kind: 'object',
        fields: objectFields(schema, pattern, ctx),
        ...(hint.toggleLabel ? { toggleLabel: hint.toggleLabel } : {}),
      };
    }
    case 'array': {
      const itemPattern = childPattern(pattern, '*');
      const itemHint = hintFor(ctx.hints, ctx.scope, itemPattern, '');
      const itemLabel = hint.itemLabel ?? itemHint.label ?? singular(key);
      const item = schema.items ? fieldFor(schema.items, '', itemPattern, true, ctx) : null;
      return {
        ...base,
        kind: 'array',
        item: item ?? { key: '', pattern: itemPattern, label: humanise(itemLabel), required: true, advanced: false, kind: 'unsupported' },
        minItems: schema.minItems ?? 0,
        ...(schema.maxItems !== undefined ? { maxItems: schema.maxItems } : {}),
        itemLabel,
      };
    }
    default:
      return { ...base, kind: 'unsupported' };
  }
}

function enumField(base: FieldBase, values: string[], hint: FieldHint): EnumField {
  const options = values.map((value) => ({ value, label: hint.optionLabels?.[value] ?? humanise(value) }));
  return {
    ...base,
    kind: 'enum',
    ...(hint.companions ? { companions: hint.companions } : {}),
    options,
    display: choiceDisplay(
      options.map((o) => o.label),
      hint,
    ),
  };
}

/**
 * The fields of one scope's root object: a block type's form (`scope` = the type) or a page
 * panel's (`settings`, `theme`).
 */
export function buildFieldModel(schema: JsonSchema, scope: string, hints: FieldHints = {}): FieldNode[] {
  return objectFields(schema, '', { hints, scope });
}

/** The fields' own paths, for tests and the error summary: `['headline', 'cta', 'cta.label', …]`. */
export function fieldPatterns(fields: FieldNode[]): string[] {
  const out: string[] = [];
  const visit = (node: FieldNode) => {
    out.push(node.pattern);
    if (node.kind === 'object') node.fields.forEach(visit);
    if (node.kind === 'array') visit(node.item);
    if (node.kind === 'variant') node.variants.forEach((v) => v.fields.forEach(visit));
  };
  fields.forEach(visit);
  return out;
}
