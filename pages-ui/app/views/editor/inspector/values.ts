/**
 * Reading and writing a block's value by path without mutating it (the editor keeps every value
 * for undo), and the starting value of something new: an added list item, a switched-on optional
 * part. New values are valid where the schema allows it, so adding a FAQ question does not light
 * the form up with errors the marketer did not make.
 */
import type { FieldNode } from './field-model';

export type Path = ReadonlyArray<string | number>;
type Json = unknown;

export function pathKey(path: Path): string {
  return path.join('.');
}

export function getIn(value: Json, path: Path): Json {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[key];
  }
  return current;
}

/** A copy of `value` with `next` at `path`; `undefined` removes an object's property (an optional field left empty). */
export function setIn<T>(value: T, path: Path, next: Json): T {
  if (path.length === 0) return next as T;
  const [key, ...rest] = path as [string | number, ...Array<string | number>];
  const child = setIn(value !== null && typeof value === 'object' ? (value as Record<string | number, Json>)[key] : undefined, rest, next);
  if (Array.isArray(value)) {
    const copy = value.slice();
    copy[key as number] = child;
    return copy as T;
  }
  const copy: Record<string | number, Json> = { ...(value as Record<string | number, Json> | undefined) };
  if (child === undefined) delete copy[key];
  else copy[key] = child;
  return copy as T;
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = list.slice();
  if (to < 0 || to >= copy.length || from === to) return copy;
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

export function removeItem<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** A lower-case id starting with `prefix` that none of `taken` uses: `q1`, `q2`, … */
export function uniqueId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = prefix.replace(/[^a-z0-9_]/g, '') || 'x';
  for (let n = 1; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

/** `"Your company name!"` → `your_company_name`: a form field name (a lower-case letter first, up to 40). */
export function fieldNameFrom(label: string, taken: Iterable<string>): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 36);
  const used = new Set(taken);
  const base = slug && !['website', 'consent'].includes(slug) ? slug : 'field';
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

function clamp(n: number, min: number | undefined, max: number | undefined): number {
  return Math.min(max ?? n, Math.max(min ?? n, n));
}

export interface DefaultContext {
  /** Ids already used by the siblings of the new item (so its own `id` differs). */
  siblingIds?: string[];
}

/**
 * The value a new `node` starts with. Optional parts stay absent; required text starts as the
 * field's own name (valid, and plainly a placeholder to overwrite); ids are made unique among the
 * siblings; lists start with as many items as they need.
 */
export function initialValue(node: FieldNode, ctx: DefaultContext = {}): Json {
  if (node.initial !== undefined) return structuredClone(node.initial);
  switch (node.kind) {
    case 'string': {
      if (node.pattern_ && node.key === 'id') return uniqueId(node.pattern.split('.').at(-3)?.[0] ?? 'x', ctx.siblingIds ?? []);
      if (node.widget === 'colour') return '#000000';
      if (!node.minLength) return '';
      return node.label.slice(0, node.maxLength ?? node.label.length);
    }
    case 'number':
      if (node.widget === 'datetime') return Date.now() + 7 * 24 * 3600_000;
      return clamp(node.widget === 'rating' ? 5 : 0, node.minimum, node.maximum);
    case 'boolean':
      return false;
    case 'enum':
      return node.options[0]?.value ?? '';
    case 'object': {
      const out: Record<string, Json> = {};
      for (const field of node.fields) if (field.required) out[field.key] = initialValue(field, ctx);
      return out;
    }
    case 'array': {
      const items: Json[] = [];
      while (items.length < node.minItems) items.push(newItem(node, items));
      return items;
    }
    case 'variant': {
      const variant = node.variants[0]!;
      const out: Record<string, Json> = { [node.discriminator]: variant.value };
      for (const field of variant.fields) if (field.required) out[field.key] = initialValue(field, ctx);
      return out;
    }
    case 'unsupported':
      return undefined;
  }
}

/** A new item for a list: its initial value with an id no sibling has. */
export function newItem(array: FieldNode & { kind: 'array' }, siblings: readonly Json[]): Json {
  const siblingIds = siblings
    .map((s) => (s && typeof s === 'object' ? (s as Record<string, Json>).id : undefined))
    .filter((id): id is string => typeof id === 'string');
  return initialValue(array.item, { siblingIds });
}
