/**
 * zod schemas derived from `db/schema.ts` columns, so a request field that mirrors a column moves
 * with it (type, enum values, nullability). Written here rather than taken from drizzle-zod, which
 * holds on to the whole zod namespace (every locale and the JSON Schema parser) and grew the Worker
 * bundle by ~70 KB gzip; this builds only what the routes use.
 */
import type { Column } from 'drizzle-orm';
import * as z from 'zod';

type EnumOf<C extends Column> = C['_']['enumValues'] extends [string, ...string[]]
  ? string extends C['_']['enumValues'][number]
    ? never
    : C['_']['enumValues']
  : never;

/** The column's own type: its enum, else string, number (integer columns: whole numbers) or boolean. */
export type ColumnBase<C extends Column> = [EnumOf<C>] extends [never]
  ? C['_']['data'] extends string
    ? z.ZodString
    : C['_']['data'] extends number
      ? z.ZodNumber
      : C['_']['data'] extends boolean
        ? z.ZodBoolean
        : never
  : z.ZodEnum<{ [K in EnumOf<C>[number]]: K }>;

type Nullable<C extends Column, S extends z.core.SomeType> = C['_']['notNull'] extends true ? S : z.ZodNullable<S>;

function baseOf(column: Column): z.ZodType {
  const values = column.enumValues;
  if (values?.length) return z.enum(values as [string, ...string[]]);
  switch (column.dataType) {
    case 'string':
      return z.string();
    case 'number':
      return column.columnType.includes('Integer') ? z.number().int() : z.number();
    case 'boolean':
      return z.boolean();
    default:
      throw new Error(`No request schema for column ${column.name} (${column.dataType}): give one explicitly.`);
  }
}

/**
 * The request schema of one column, narrowed by `refine` (limits, trimming), and nullable when the
 * column is: `columnSchema(deals.notes, (s) => s.max(10_000))` accepts a string up to 10,000
 * characters or null.
 */
export function columnSchema<C extends Column>(column: C): Nullable<C, ColumnBase<C>>;
export function columnSchema<C extends Column, S extends z.ZodType>(column: C, refine: (base: ColumnBase<C>) => S): Nullable<C, S>;
export function columnSchema(column: Column, refine?: (base: never) => z.ZodType): z.ZodType {
  const refined = refine ? refine(baseOf(column) as never) : baseOf(column);
  return column.notNull ? refined : refined.nullable();
}
