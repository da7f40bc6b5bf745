/** Reading a file: CSV to mapped rows, then every row through its zod schema, with the shared cell parsers. */
import * as z from 'zod';
import { CsvSyntaxError, isBlankRecord, parseCsv, unneutraliseCell } from '../csv';
import { validationFailed } from '../errors';
import { mapColumns, type ColumnMappingInput, type MappedColumn } from './columns';
import { inferDateOrder, parseDateCell, type DateOrder } from './dates';
import { fileIssue, rowIssue, type ImportIssue, type ImportKind } from './issues';
import { isCurrencyCode } from './money';

export const MAX_IMPORT_ROWS = 5_000;

interface RawRow {
  /** Spreadsheet row number (header = 1). */
  row: number;
  /** Non-empty cells by field, trimmed, with an export's neutralising apostrophe removed. */
  values: Record<string, string>;
}

export interface ReadFile {
  columns: MappedColumn[];
  rows: RawRow[];
  issues: ImportIssue[];
  warnings: ImportIssue[];
}

/** Parses and maps a whole file; throws (validation_failed) for problems with the file itself. */
export function readImportFile(kind: ImportKind, csv: string, mapping?: ColumnMappingInput): ReadFile {
  let records: string[][];
  try {
    records = parseCsv(csv).records;
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      const issue: ImportIssue = { ...fileIssue('csv', err.message), row: err.row };
      throw validationFailed([issue], 'The file is not valid CSV; nothing was imported.');
    }
    throw err;
  }
  const headerAt = records.findIndex((r) => !isBlankRecord(r));
  if (headerAt === -1) throw validationFailed([fileIssue('csv', 'The file is empty: it needs a header row and at least one row of data.')]);
  const header = records[headerAt]!;
  const data = records.slice(headerAt + 1).map((cells, i) => ({ row: headerAt + i + 2, cells }));
  const nonBlank = data.filter((r) => !isBlankRecord(r.cells));
  if (nonBlank.length === 0) throw validationFailed([fileIssue('csv', 'The file has a header but no rows to import.')]);
  if (nonBlank.length > MAX_IMPORT_ROWS) {
    throw validationFailed(
      [
        fileIssue(
          'csv',
          `The file has ${nonBlank.length.toLocaleString('en-US')} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} at a time (split the file).`,
        ),
      ],
      'The file is too large; nothing was imported.',
    );
  }
  const { columns, warnings } = mapColumns(kind, header, mapping);
  const issues: ImportIssue[] = [];
  const rows = nonBlank.map(({ row, cells }) => {
    if (cells.length > header.length && !isBlankRecord(cells.slice(header.length))) {
      issues.push({
        path: `row ${row}`,
        message: `The row has ${cells.length} cells but the header has ${header.length}.`,
        row,
        column: null,
        field: null,
      });
    }
    const values: Record<string, string> = {};
    for (const c of columns) {
      const cell = unneutraliseCell((cells[c.index] ?? '').trim()).trim();
      if (c.field && cell !== '') values[c.field] = cell;
    }
    return { row, values };
  });
  return { columns, rows, issues, warnings };
}

export function columnOf(columns: MappedColumn[], field: string): string | null {
  return columns.find((c) => c.field === field)?.header ?? null;
}

/** A checked row: valid, or what could be read of it (so its names can still be checked against the workspace). */
export type CheckedRow<T> = { row: number; valid: true; value: T } | { row: number; valid: false; value: Partial<T> };

/**
 * Runs a zod row schema over the rows; issues name the row and the column each field came from.
 * Of an invalid row, the fields that do parse on their own are kept for `partial`.
 */
export function validateRows<T>(
  file: ReadFile,
  fields: z.ZodObject,
  schema: z.ZodType<T>,
  partial: (fields: Record<string, unknown>) => Partial<T>,
): CheckedRow<T>[] {
  const shape = fields.shape as Record<string, z.ZodType>;
  return file.rows.map((raw): CheckedRow<T> => {
    const result = schema.safeParse(raw.values);
    if (result.success) return { row: raw.row, valid: true, value: result.data };
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? 'row');
      file.issues.push(rowIssue(raw.row, field, columnOf(file.columns, field), issue.message));
    }
    const readable: Record<string, unknown> = {};
    for (const [key, cell] of Object.entries(raw.values)) {
      const parsed = shape[key]?.safeParse(cell);
      if (parsed?.success) readable[key] = parsed.data;
    }
    return { row: raw.row, valid: false, value: partial(readable) };
  });
}

export const text = (max: number) => z.string().max(max, `Keep it under ${max} characters.`);
export const optionalText = (max: number) => text(max).optional();

export function dateField(order: DateOrder | null) {
  return z
    .string()
    .transform((cell, ctx) => {
      const at = parseDateCell(cell, order);
      if (typeof at === 'number') return at;
      ctx.addIssue({ code: 'custom', message: at.error });
      return z.NEVER;
    })
    .optional();
}

export function currencyField() {
  return z
    .string()
    .transform((v) => v.toUpperCase())
    .refine(isCurrencyCode, 'Not a currency code; use three letters such as USD, EUR or JPY.')
    .optional();
}

export interface ImportOptions {
  mapping?: ColumnMappingInput;
  /** Numeric dates (03/04/2026): which comes first. Default: inferred from the file, else refused as ambiguous. */
  dateOrder?: DateOrder;
  /** For rows with no currency. */
  defaultCurrency?: string;
}

export function dateOrderFor(file: ReadFile, fields: string[], given: DateOrder | undefined): DateOrder | null {
  if (given) return given;
  const cells = file.rows.flatMap((r) => fields.map((f) => r.values[f] ?? ''));
  const inferred = inferDateOrder(cells);
  if (inferred === 'conflict') {
    throw validationFailed(
      [fileIssue('csv', 'Some dates put the day first (31/12/2026) and others the month (12/31/2026); use one order, or YYYY-MM-DD.')],
      'The dates in the file are inconsistent; nothing was imported.',
    );
  }
  return inferred;
}
