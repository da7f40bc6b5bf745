/** How import problems are reported: each names its spreadsheet row (the header is row 1) and column. */
import type { FieldIssue } from '../errors';

export type ImportKind = 'deals' | 'leads';

/** One problem: `path` is `row 7.amount` (or `header`, `mapping.<column>`, `csv` for the whole file). */
export interface ImportIssue extends FieldIssue {
  /** Spreadsheet row number, the header being row 1; null for a problem with the whole file. */
  row: number | null;
  /** The column as the file names it. */
  column: string | null;
  field: string | null;
}

/** A problem with the whole file (or its header, or the mapping). */
export function fileIssue(path: string, message: string, column: string | null = null): ImportIssue {
  return { path, message, row: null, column, field: null };
}

export function rowIssue(row: number, field: string, column: string | null, message: string): ImportIssue {
  return { path: `row ${row}.${field}`, message, row, column, field };
}

/** File-level issues first, then by row; a row's own issues keep their order. */
export function byRow(issues: ImportIssue[]): ImportIssue[] {
  return issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}
