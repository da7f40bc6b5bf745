/**
 * CSV for spreadsheets (RFC 4180 quoting), safe to open in Excel, Sheets or LibreOffice: a cell
 * starting with `=`, `+`, `-`, `@`, tab or carriage return would be run as a formula, so such a
 * cell gets a leading apostrophe (shown as text, not executed). So does a cell of apostrophes
 * followed by such a character, which keeps `unneutraliseCell` exact.
 */
const APOSTROPHES_THEN_FORMULA = /^'*[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (APOSTROPHES_THEN_FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Undoes `csvCell`'s neutralising apostrophe, so an exported file imports back to the same text. */
export function unneutraliseCell(text: string): string {
  return text[0] === "'" && APOSTROPHES_THEN_FORMULA.test(text) ? text.slice(1) : text;
}

export type CsvDelimiter = ',' | ';' | '\t';

export class CsvSyntaxError extends Error {
  constructor(
    /** 1-based record number, counted like a spreadsheet's rows (a quoted line break does not start a row). */
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface ParsedCsv {
  /** Every record, blank ones included (as `['']`), so index + 1 is the spreadsheet row number. */
  records: string[][];
  delimiter: CsvDelimiter;
}

/**
 * The delimiter of the first record: Excel in many European locales saves `;`, and a range
 * pasted from a spreadsheet is tab-separated. Whichever occurs most outside quotes wins; `,` on a tie.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: CsvDelimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * RFC 4180 parsing as spreadsheets write it: quoted fields with `""` for a quote and line breaks
 * inside; CRLF, LF or lone CR between records; a UTF-8 byte-order mark ignored; no record for the
 * final line break. Lenient where spreadsheets are (a quote in the middle of an unquoted field is
 * kept as text; spaces after a closing quote are skipped); strict where data would be guessed at
 * (an unterminated quote, or text after a closing quote, is a `CsvSyntaxError` naming the row).
 */
export function parseCsv(input: string, delimiter?: CsvDelimiter): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = delimiter ?? sniffDelimiter(text);
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return { records, delimiter: sep };
  for (;;) {
    // At the start of a field.
    let value: string;
    if (text[i] === '"') {
      const startRow = records.length + 1;
      let out = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1)
          throw new CsvSyntaxError(startRow, `A quoted cell that starts on row ${startRow} never ends: a closing " is missing.`);
        out += text.slice(from, q);
        if (text[q + 1] === '"') {
          out += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (i < n && text[i] === ' ') i++;
      if (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvSyntaxError(startRow, `Row ${startRow} has text after a closing quote; write a quote inside a quoted cell as "".`);
      }
      value = out;
    } else {
      let j = i;
      while (j < n) {
        const ch = text[j];
        if (ch === sep || ch === '\n' || ch === '\r') break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    record.push(value);
    if (i >= n) {
      records.push(record);
      break;
    }
    const ch = text[i];
    if (ch === sep) {
      i++;
      if (i >= n) {
        record.push('');
        records.push(record);
        break;
      }
      continue;
    }
    // A record separator: CRLF, LF or CR.
    i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    records.push(record);
    record = [];
    if (i >= n) break;
  }
  return { records, delimiter: sep };
}

/** True for a record with nothing but empty or blank cells (a spreadsheet's empty row). */
export function isBlankRecord(record: string[]): boolean {
  return record.every((cell) => cell.trim() === '');
}
