/**
 * CSV for spreadsheets (RFC 4180 quoting), safe to open in Excel, Sheets or LibreOffice: a cell
 * starting with `=`, `+`, `-`, `@`, tab or carriage return would be run as a formula, so such a
 * cell gets a leading apostrophe (shown as text, not executed).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
