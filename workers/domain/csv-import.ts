/**
 * Importing deals and leads from a spreadsheet (the small team's pipeline template), as pure
 * functions: map the header to fields (by name, case- and space-insensitive, with the aliases
 * HubSpot, Pipedrive and hand-made sheets use), validate every row with zod, then resolve names
 * (pipeline, stage, owner, lead, funnel) against lookups the service loaded. Every problem is
 * reported with its spreadsheet row number (the header is row 1) and column; the service writes
 * nothing unless there are none.
 */
import * as z from 'zod';
import type { StageKind } from './stage-kinds';
import { CsvSyntaxError, isBlankRecord, parseCsv, unneutraliseCell } from './csv';
import { emailSchema } from './emails';
import { validationFailed, type FieldIssue } from './errors';
import { isValidPhone } from './form-submission';
import type { IdGenerator } from './ids';

export const MAX_IMPORT_ROWS = 5_000;

export type ImportKind = 'deals' | 'leads';

/** One problem: `path` is `row 7.amount` (or `header`, `mapping.<column>`, `csv` for the whole file). */
export interface ImportIssue extends FieldIssue {
  /** Spreadsheet row number, the header being row 1; null for a problem with the whole file. */
  row: number | null;
  /** The column as the file names it. */
  column: string | null;
  field: string | null;
}

// ── Money ────────────────────────────────────────────────────────────────────

/** ISO 4217 minor-unit exponents that are not 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
}; // prettier-ignore

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

let knownCurrencies: Set<string> | null | undefined;

/** A three-letter ISO 4217 code the runtime knows (any three letters where it cannot say). */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  if (knownCurrencies === undefined) {
    const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
    knownCurrencies = typeof supported === 'function' ? new Set(supported('currency')) : null;
  }
  return knownCurrencies === null || knownCurrencies.has(code) || code in EXPONENTS;
}

/** Minor units as a spreadsheet shows the amount: `125050` USD → `1250.50`, `250` JPY → `250`. */
export function formatMinor(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/** Symbols that name one currency; `$` and `¥` are shared by several, so they name none. */
const SYMBOL_CURRENCY: Record<string, string | null> = { $: null, '¥': null, '€': 'EUR', '£': 'GBP', '₹': 'INR', '₩': 'KRW' };

export interface MoneyText {
  whole: string;
  fraction: string;
  /** The currency the cell itself names (`€250`, `250 EUR`), if any. */
  currency: string | null;
}

/** `$250`, `250.00`, `1,250.50`, `250`, `EUR 99.90`, `1 250,00`? — the last is refused (ambiguous comma). */
export function parseMoneyText(cell: string): MoneyText | { error: string } {
  let s = cell.replace(/[\s\u00a0\u202f]/g, '');
  if (/^-|^\(.*\)$|^[^\d]*-/.test(s)) return { error: 'A deal value cannot be negative.' };
  let currency: string | null = null;
  const prefix = /^([A-Za-z]{3}|[$€£¥₹₩]|US\$)/.exec(s);
  if (prefix) {
    const p = prefix[1]!;
    currency = p.length === 3 && p !== 'US$' ? p.toUpperCase() : p === 'US$' ? 'USD' : (SYMBOL_CURRENCY[p] ?? null);
    s = s.slice(p.length);
  }
  const suffix = /([A-Za-z]{3}|[$€£¥₹₩])$/.exec(s);
  if (suffix) {
    const p = suffix[1]!;
    const named = p.length === 3 ? p.toUpperCase() : (SYMBOL_CURRENCY[p] ?? null);
    if (currency && named && named !== currency) return { error: `"${cell}" names two currencies.` };
    currency = currency ?? named;
    s = s.slice(0, -p.length);
  }
  const m = /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?$/.exec(s);
  if (!m || (m[1] === '' && m[2] === undefined)) {
    if (/^\d+,\d{1,2}$/.test(s) || /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) {
      return { error: `"${cell}" uses a decimal comma; write it with a decimal point, e.g. 1250.50.` };
    }
    return { error: `"${cell}" is not an amount; write it like 1250.50, 1,250.50 or $250.` };
  }
  if (currency !== null && !isCurrencyCode(currency)) return { error: `"${cell}": ${currency} is not a currency code.` };
  const whole = m[1]!.replace(/,/g, '').replace(/^0+(?=\d)/, '') || '0';
  if (whole.length > 13) return { error: `"${cell}" is too large.` };
  return { whole, fraction: m[2] ?? '', currency };
}

/** Minor units of `money` in `currency`, or why it does not fit (too many decimals). */
export function toMinorUnits(money: MoneyText, currency: string): number | { error: string } {
  const exp = currencyExponent(currency);
  const kept = money.fraction.slice(0, exp);
  if (/[^0]/.test(money.fraction.slice(exp))) {
    return {
      error:
        exp === 0
          ? `${currency} has no minor unit: the amount must be whole.`
          : `${currency} has ${exp} decimal places; ${money.whole}.${money.fraction} has ${money.fraction.length}.`,
    };
  }
  return Number(money.whole) * 10 ** exp + Number(kept.padEnd(exp, '0') || '0');
}

/** A one-call amount parser: minor units in the cell's currency, else `currency`. */
export function parseAmount(cell: string, currency = 'USD'): { minor: number; currency: string } | { error: string } {
  const money = parseMoneyText(cell);
  if ('error' in money) return money;
  const cur = money.currency ?? currency;
  const minor = toMinorUnits(money, cur);
  return typeof minor === 'number' ? { minor, currency: cur } : minor;
}

// ── Dates ────────────────────────────────────────────────────────────────────

/** Order of day, month and year in numeric dates such as 03/04/2026; ISO dates are always year first. */
export type DateOrder = 'MDY' | 'DMY';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*([AaPp][Mm])?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?`;
const ISO_DATE = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
const NUMERIC_DATE = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})${TIME}$`);
const DAY_MONTH_NAME = new RegExp(String.raw`^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})${TIME}$`);
const MONTH_NAME_DAY = new RegExp(String.raw`^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`);

function monthOf(name: string): number | null {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i === -1 ? null : i + 1;
}

/** For every numeric date in a file: the order the file uses, `null` when none says, `conflict` when they disagree. */
export function inferDateOrder(cells: Iterable<string>): DateOrder | null | 'conflict' {
  let dmy = false;
  let mdy = false;
  for (const cell of cells) {
    const m = NUMERIC_DATE.exec(cell.trim());
    if (!m) continue;
    if (Number(m[1]) > 12) dmy = true;
    if (Number(m[2]) > 12) mdy = true;
  }
  if (dmy && mdy) return 'conflict';
  return dmy ? 'DMY' : mdy ? 'MDY' : null;
}

/**
 * A date cell as UTC epoch ms: `2026-12-31` (midnight UTC), `2026-12-31T15:30:00Z` and other ISO
 * forms, `2026-12-31 15:30`, `31 Dec 2026`, `Dec 31, 2026`, and `12/31/2026` or `31/12/2026` when
 * `order` (or the day being over 12) says which. A time without a zone is UTC.
 */
export function parseDateCell(cell: string, order: DateOrder | null): number | { error: string } {
  const text = cell.trim();
  let y: number;
  let mo: number | null;
  let d: number;
  let time: RegExpExecArray;
  let m: RegExpExecArray | null;
  if ((m = ISO_DATE.exec(text))) [y, mo, d, time] = [Number(m[1]), Number(m[2]), Number(m[3]), m];
  else if ((m = NUMERIC_DATE.exec(text))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const o: DateOrder | null = order ?? (a > 12 ? 'DMY' : b > 12 ? 'MDY' : a === b ? 'MDY' : null);
    if (!o)
      return {
        error: `"${cell}" could be either day or month first; write it as YYYY-MM-DD or choose dateFormat MM/DD/YYYY or DD/MM/YYYY.`,
      };
    [y, mo, d, time] = [Number(m[3]), o === 'MDY' ? a : b, o === 'MDY' ? b : a, m];
  } else if ((m = DAY_MONTH_NAME.exec(text))) [y, mo, d, time] = [Number(m[3]), monthOf(m[2]!), Number(m[1]), m];
  else if ((m = MONTH_NAME_DAY.exec(text))) [y, mo, d, time] = [Number(m[3]), monthOf(m[1]!), Number(m[2]), m];
  else return { error: `"${cell}" is not a date; write it as YYYY-MM-DD.` };
  if (mo === null || mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 2999) return { error: `"${cell}" is not a real date.` };
  let [hh, mm, ss, ms] = [Number(time[4] ?? 0), Number(time[5] ?? 0), Number(time[6] ?? 0), Number((time[7] ?? '').padEnd(3, '0'))];
  const meridiem = time[8]?.toLowerCase();
  if (meridiem) {
    if (hh < 1 || hh > 12) return { error: `"${cell}" is not a real time.` };
    hh = (hh % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hh > 23 || mm > 59 || ss > 59) return { error: `"${cell}" is not a real time.` };
  const at = Date.UTC(y, mo - 1, d, hh, mm, ss, ms);
  if (new Date(at).getUTCDate() !== d) return { error: `"${cell}" is not a real date.` };
  const zone = time[9]?.toUpperCase();
  if (!zone || zone === 'Z' || zone === 'UTC' || zone === 'GMT') return at;
  const tz = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (Number(tz[2]) * 60 + Number(tz[3])) * 60_000 * (tz[1] === '-' ? -1 : 1);
  return at - offset;
}

/** A date the way a spreadsheet user reads it back: `2026-12-31` at midnight UTC, the full ISO time otherwise. */
export function formatDateCell(ms: number | null): string {
  if (ms === null) return '';
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

// ── Columns ──────────────────────────────────────────────────────────────────

interface FieldSpec {
  /** The column name our own export writes. */
  label: string;
  aliases: string[];
}

export const DEAL_FIELDS = {
  name: { label: 'Deal name', aliases: ['name', 'deal', 'title', 'deal title', 'opportunity', 'opportunity name'] },
  pipeline: { label: 'Pipeline', aliases: ['pipeline name'] },
  stage: { label: 'Stage', aliases: ['deal stage', 'pipeline stage', 'stage name'] },
  amount: { label: 'Value', aliases: ['amount', 'deal size', 'deal value', 'deal amount', 'expected revenue', 'revenue', 'price'] },
  currency: { label: 'Currency', aliases: ['currency code', 'deal currency'] },
  email: { label: 'Lead email', aliases: ['email', 'e-mail', 'email address', 'contact email', 'customer email', 'person email'] },
  leadName: { label: 'Lead name', aliases: ['contact name', 'customer name', 'person name', 'contact', 'customer', 'person'] },
  ownerEmail: { label: 'Owner email', aliases: ['owner', 'deal owner', 'owner e-mail', 'sales rep', 'assigned to', 'assignee'] },
  expectedClose: { label: 'Expected close', aliases: ['close date', 'expected close date', 'expected closing date', 'closing date'] },
  createdAt: { label: 'Created', aliases: ['created at', 'create date', 'created date', 'date created', 'deal created', 'created on'] },
  closedAt: { label: 'Closed', aliases: ['closed at', 'closed date', 'date closed', 'closed on', 'close time'] },
  lostReason: { label: 'Lost reason', aliases: ['reason lost', 'closed lost reason', 'loss reason', 'lost because'] },
  sourceFunnel: { label: 'Source funnel', aliases: ['funnel', 'funnel name'] },
  source: { label: 'Attribution source', aliases: ['source', 'utm source', 'utm_source'] },
  medium: { label: 'Attribution medium', aliases: ['medium', 'utm medium', 'utm_medium'] },
  campaign: { label: 'Attribution campaign', aliases: ['campaign', 'utm campaign', 'utm_campaign'] },
  notes: { label: 'Notes', aliases: ['note', 'description', 'comments', 'comment'] },
} satisfies Record<string, FieldSpec>;

export type DealField = keyof typeof DEAL_FIELDS;

export const LEAD_FIELDS = {
  email: { label: 'Email', aliases: ['e-mail', 'email address', 'lead email', 'contact email'] },
  name: { label: 'Name', aliases: ['full name', 'lead name', 'contact name', 'contact'] },
  firstName: { label: 'First name', aliases: ['given name', 'forename'] },
  lastName: { label: 'Last name', aliases: ['surname', 'family name'] },
  phone: { label: 'Phone', aliases: ['phone number', 'mobile', 'mobile phone', 'telephone', 'tel'] },
  company: { label: 'Company', aliases: ['company name', 'organization', 'organisation', 'organization name', 'account'] },
  source: { label: 'Source', aliases: ['lead source', 'utm source', 'utm_source'] },
  fields: { label: 'Fields', aliases: ['custom fields'] },
} satisfies Record<string, FieldSpec>;

export type LeadField = keyof typeof LEAD_FIELDS;

/** Columns our own exports write that hold computed values: ignored on import, said so once. */
const COMPUTED_COLUMNS: Record<ImportKind, Record<string, string>> = {
  deals: {
    id: 'Ids are assigned by Leadflare.',
    winprobability: 'Probability comes from the stage.',
    weightedvalue: 'The weighted value is computed from the stage.',
    daysinstage: 'Time in stage is computed.',
    instagesince: 'Time in stage is computed.',
    rotting: 'Rotting is computed from the stage.',
  },
  leads: {
    id: 'Ids are assigned by Leadflare.',
    score: 'The score is computed from the lead’s activity.',
    quizoutcome: 'Quiz outcomes come from quiz submissions.',
    createdat: 'Leadflare records when a lead was created.',
    updatedat: 'Leadflare records when a lead was updated.',
  },
};

/** Header comparison: case, spaces, punctuation and accents-as-composed do not matter. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function fieldSpecs(kind: ImportKind): Record<string, FieldSpec> {
  return kind === 'deals' ? DEAL_FIELDS : LEAD_FIELDS;
}

const aliasIndex = new Map<ImportKind, Map<string, string>>();

/** The field a header (or a mapping target) names, by key, label or alias; `fields.<key>` for a lead's custom field. */
export function fieldForName(kind: ImportKind, name: string): string | null {
  if (kind === 'leads' && /^fields\.[^\s].{0,63}$/.test(name.trim())) return name.trim();
  let index = aliasIndex.get(kind);
  if (!index) {
    index = new Map();
    for (const [key, spec] of Object.entries(fieldSpecs(kind))) {
      for (const n of [key, spec.label, ...spec.aliases]) index.set(normaliseHeader(n), key);
    }
    aliasIndex.set(kind, index);
  }
  return index.get(normaliseHeader(name)) ?? null;
}

export interface MappedColumn {
  index: number;
  header: string;
  field: string | null;
}

/** `{column: field}`: a field key, label or alias, `fields.<key>` (leads), or null / "" / "ignore" to leave the column out. */
export type ColumnMappingInput = Record<string, string | null>;

const REQUIRED: Record<ImportKind, string> = { deals: 'name', leads: 'email' };

function fileIssue(path: string, message: string, column: string | null = null): ImportIssue {
  return { path, message, row: null, column, field: null };
}

/**
 * Which column feeds which field. Explicit `mapping` entries win; other columns map by name.
 * Throws a validation error for a mapping that names no column or no field, two columns feeding
 * one field, or a missing required column; columns that feed nothing are returned as warnings.
 */
export function mapColumns(
  kind: ImportKind,
  header: string[],
  mapping: ColumnMappingInput = {},
): { columns: MappedColumn[]; warnings: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const explicit = new Map<number, string | null>();
  for (const [column, target] of Object.entries(mapping)) {
    const indexes = header.flatMap((h, i) => (normaliseHeader(h) === normaliseHeader(column) ? [i] : []));
    if (indexes.length === 0) {
      issues.push(fileIssue(`mapping.${column}`, `The file has no column named "${column}".`, column));
      continue;
    }
    const ignore = target === null || target.trim() === '' || target.trim().toLowerCase() === 'ignore';
    const field = ignore ? null : fieldForName(kind, target);
    if (!ignore && !field) {
      const known = Object.keys(fieldSpecs(kind)).join(', ');
      issues.push(
        fileIssue(
          `mapping.${column}`,
          `"${target}" is not a field of ${kind}; use one of ${known}${kind === 'leads' ? ', fields.<name>' : ''} or null.`,
          column,
        ),
      );
      continue;
    }
    for (const i of indexes) explicit.set(i, field);
  }
  const claimed = new Set([...explicit.values()].filter((f): f is string => f !== null));
  const columns: MappedColumn[] = header.map((raw, index) => {
    const h = raw.trim();
    if (explicit.has(index)) return { index, header: h, field: explicit.get(index)! };
    const field = h ? fieldForName(kind, h) : null;
    if (field && claimed.has(field)) {
      warnings.push(fileIssue(`header.${h}`, `Column "${h}" is not imported: the mapping takes ${field} from another column.`, h));
      return { index, header: h, field: null };
    }
    if (!field && h) {
      const computed = COMPUTED_COLUMNS[kind][normaliseHeader(h)];
      warnings.push(
        fileIssue(
          `header.${h}`,
          computed
            ? `Column "${h}" is not imported: ${computed}`
            : `Column "${h}" is not imported: no field has that name.${kind === 'leads' ? ` Map it to fields.${h} to keep it with the lead.` : ''}`,
          h,
        ),
      );
    }
    return { index, header: h, field };
  });
  const byField = new Map<string, MappedColumn[]>();
  for (const c of columns) if (c.field) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  for (const [field, cols] of byField) {
    if (cols.length > 1) {
      issues.push(
        fileIssue(
          'header',
          `Columns ${cols.map((c) => `"${c.header}"`).join(' and ')} all hold ${field}; map all but one of them to null.`,
          cols[1]!.header,
        ),
      );
    }
  }
  const required = REQUIRED[kind];
  if (!byField.has(required)) {
    const spec = fieldSpecs(kind)[required]!;
    issues.push(
      fileIssue('header', `The file needs a column named "${spec.label}" (or "${spec.aliases[0]}"), or a mapping to ${required}.`),
    );
  }
  if (issues.length) throw validationFailed(issues, 'The columns of the file could not be matched; nothing was imported.');
  return { columns, warnings };
}

// ── Reading rows ─────────────────────────────────────────────────────────────

export interface RawRow {
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

export function rowIssue(row: number, field: string, column: string | null, message: string): ImportIssue {
  return { path: `row ${row}.${field}`, message, row, column, field };
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
function validateRows<T>(
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

/** File-level issues first, then by row; a row's own issues keep their order. */
function byRow(issues: ImportIssue[]): ImportIssue[] {
  return issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

const text = (max: number) => z.string().max(max, `Keep it under ${max} characters.`);
const optionalText = (max: number) => text(max).optional();

function dateField(order: DateOrder | null) {
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

function currencyField() {
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

function dateOrderFor(file: ReadFile, fields: string[], given: DateOrder | undefined): DateOrder | null {
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

// ── Deals ────────────────────────────────────────────────────────────────────

export interface DealRowInput {
  name: string;
  valueMinor: number;
  currency: string;
  pipeline?: string;
  stage?: string;
  email?: string;
  leadName?: string;
  ownerEmail?: string;
  expectedCloseAt?: number;
  createdAt?: number;
  closedAt?: number;
  lostReason?: string;
  sourceFunnel?: string;
  attribution: Record<string, string>;
  notes?: string;
}

function dealRowFields(order: DateOrder | null) {
  return z.object({
    name: z.string({ error: 'Give the deal a name.' }).max(200, 'Keep the deal name under 200 characters.'),
    pipeline: optionalText(200),
    stage: optionalText(200),
    amount: z
      .string()
      .transform((cell, ctx) => {
        const money = parseMoneyText(cell);
        if ('error' in money) {
          ctx.addIssue({ code: 'custom', message: money.error });
          return z.NEVER;
        }
        return money;
      })
      .optional(),
    currency: currencyField(),
    email: emailSchema.optional(),
    leadName: optionalText(200),
    ownerEmail: emailSchema.optional(),
    expectedClose: dateField(order),
    createdAt: dateField(order),
    closedAt: dateField(order),
    lostReason: optionalText(500),
    sourceFunnel: optionalText(200),
    source: optionalText(200),
    medium: optionalText(200),
    campaign: optionalText(200),
    notes: optionalText(10_000),
  });
}

type DealRowFields = z.output<ReturnType<typeof dealRowFields>>;

function toDealInput(row: Partial<DealRowFields>, defaultCurrency: string, problem?: (message: string) => void): Partial<DealRowInput> {
  const currency = row.currency ?? row.amount?.currency ?? defaultCurrency;
  let valueMinor = 0;
  if (row.amount) {
    if (row.currency && row.amount.currency && row.amount.currency !== row.currency) {
      problem?.(`The amount is in ${row.amount.currency} but the currency column says ${row.currency}.`);
    }
    const minor = toMinorUnits(row.amount, currency);
    if (typeof minor === 'number') valueMinor = minor;
    else problem?.(minor.error);
  }
  const attribution: Record<string, string> = {};
  if (row.source) attribution.source = row.source;
  if (row.medium) attribution.medium = row.medium;
  if (row.campaign) attribution.campaign = row.campaign;
  return {
    name: row.name,
    valueMinor,
    currency,
    pipeline: row.pipeline,
    stage: row.stage,
    email: row.email,
    leadName: row.leadName,
    ownerEmail: row.ownerEmail,
    expectedCloseAt: row.expectedClose,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    lostReason: row.lostReason,
    sourceFunnel: row.sourceFunnel,
    attribution,
    notes: row.notes,
  };
}

export function dealRowSchema(order: DateOrder | null, defaultCurrency: string): z.ZodType<DealRowInput> {
  return dealRowFields(order).transform(
    (row, ctx) =>
      toDealInput(row, defaultCurrency, (message) => ctx.addIssue({ code: 'custom', path: ['amount'], message })) as DealRowInput,
  );
}

export function readDealFile(csv: string, options: ImportOptions = {}) {
  const file = readImportFile('deals', csv, options.mapping);
  const order = dateOrderFor(file, ['expectedClose', 'createdAt', 'closedAt'], options.dateOrder);
  const currency = options.defaultCurrency ?? 'USD';
  const rows = validateRows(file, dealRowFields(order), dealRowSchema(order, currency), (fields) => toDealInput(fields, currency));
  return { file, rows };
}

export interface ImportStage {
  id: string;
  name: string;
  kind: StageKind;
  position: number;
}

export interface ImportPipeline {
  id: string;
  name: string;
  stages: ImportStage[];
}

export interface DealImportLookups {
  now: number;
  /** Every pipeline of the workspace. */
  pipelines: ImportPipeline[];
  /** When set, every row goes into this pipeline and the Pipeline column is not read. */
  pipelineId: string | null;
  /** Member user id by normalised email. */
  members: Map<string, string>;
  /** Existing lead id by normalised email (for the emails in the file). */
  leads: Map<string, string>;
  funnels: Array<{ id: string; name: string }>;
  /** `<pipelineId> <leadId>` for every lead that has an open deal in that pipeline already. */
  openDeals: Set<string>;
  /** The highest position in each stage column now. */
  lastPositions: Map<string, number>;
  positionStep: number;
}

export interface PlannedDeal {
  row: number;
  id: string;
  pipelineId: string;
  stage: ImportStage;
  position: number;
  name: string;
  valueMinor: number;
  currency: string;
  leadId: string | null;
  ownerId: string | null;
  expectedCloseAt: number | null;
  sourceFunnelId: string | null;
  attribution: Record<string, string>;
  notes: string | null;
  lostReason: string | null;
  stageEnteredAt: number;
  closedAt: number | null;
  createdAt: number;
}

export interface PlannedLead {
  id: string;
  email: string;
  name: string | null;
  row: number;
}

export interface DealImportPlan {
  deals: PlannedDeal[];
  newLeads: PlannedLead[];
  /** Deals linked to leads that already existed. */
  linkedLeads: number;
  issues: ImportIssue[];
  warnings: ImportIssue[];
}

/** Names compare trimmed, case-insensitively, with runs of spaces as one. */
export function sameName(a: string, b: string): boolean {
  return a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`);
  return shown.join(', ') + (names.length > 8 ? `, …` : '');
}

/**
 * Resolves validated deal rows against the workspace: pipeline and stage by name, lead by email
 * (a lead that does not exist yet is created, once per email), owner by member email, source
 * funnel by name. Checks what the deals service checks (lost reason, one open deal per lead and
 * pipeline, within the file too) and places each deal at the bottom of its column, in file order.
 */
export function planDealImport(
  file: Pick<ReadFile, 'columns' | 'issues' | 'warnings'>,
  rows: CheckedRow<DealRowInput>[],
  lookups: DealImportLookups,
  newId: IdGenerator,
): DealImportPlan {
  const issues = file.issues;
  const warnings = [...file.warnings];
  const col = (field: string) => columnOf(file.columns, field);
  const fixed = lookups.pipelineId ? lookups.pipelines.find((p) => p.id === lookups.pipelineId) : undefined;
  if (lookups.pipelineId && !fixed) throw new Error('planDealImport: pipelineId is not among the lookups');
  const hasPipelineColumn = col('pipeline') !== null;
  if (fixed && hasPipelineColumn) {
    warnings.push(
      fileIssue(
        `header.${col('pipeline')}`,
        `Column "${col('pipeline')}" is not read: every deal goes into "${fixed.name}".`,
        col('pipeline'),
      ),
    );
  }
  if (!fixed && lookups.pipelines.length === 0) {
    throw validationFailed([fileIssue('pipelineId', 'This workspace has no pipeline yet; create one first.')], 'Nothing was imported.');
  }
  if (!fixed && !hasPipelineColumn && lookups.pipelines.length > 1) {
    throw validationFailed(
      [
        fileIssue(
          'pipelineId',
          `This workspace has ${lookups.pipelines.length} pipelines: add a Pipeline column or choose one with pipelineId.`,
        ),
      ],
      'Nothing was imported.',
    );
  }
  const lastPositions = new Map(lookups.lastPositions);
  const openInFile = new Map<string, number>();
  const newLeads = new Map<string, PlannedLead>();
  const deals: PlannedDeal[] = [];
  let linkedLeads = 0;

  for (const { row, valid, value: d } of rows) {
    const before = issues.length;
    const problem = (field: string, message: string) => issues.push(rowIssue(row, field, col(field), message));

    let pipeline: ImportPipeline | undefined = fixed;
    if (!pipeline) {
      if (!d.pipeline) {
        if (lookups.pipelines.length === 1) pipeline = lookups.pipelines[0];
        else problem('pipeline', 'Name the pipeline for this deal.');
      } else {
        const named = lookups.pipelines.filter((p) => sameName(p.name, d.pipeline!));
        if (named.length === 1) pipeline = named[0];
        else if (named.length === 0)
          problem('pipeline', `No pipeline is named "${d.pipeline}"; there are ${listNames(lookups.pipelines.map((p) => p.name))}.`);
        else problem('pipeline', `${named.length} pipelines are named "${d.pipeline}"; import into one of them with pipelineId.`);
      }
    }

    let stage: ImportStage | undefined;
    if (pipeline) {
      if (d.stage) {
        stage = pipeline.stages.find((s) => sameName(s.name, d.stage!));
        if (!stage)
          problem(
            'stage',
            `"${pipeline.name}" has no stage "${d.stage}"; its stages are ${listNames(pipeline.stages.map((s) => s.name))}.`,
          );
      } else {
        stage = pipeline.stages.find((s) => s.kind === 'open');
        if (!stage) problem('stage', `"${pipeline.name}" has no open stage; name the stage for this deal.`);
      }
    }

    let lostReason: string | null = null;
    if (stage?.kind === 'lost') {
      if (d.lostReason) lostReason = d.lostReason;
      else problem('lostReason', `"${stage.name}" is a lost stage: say why the deal was lost.`);
    } else if (stage && d.lostReason) {
      warnings.push(rowIssue(row, 'lostReason', col('lostReason'), `The lost reason is not kept: "${stage.name}" is not a lost stage.`));
    }

    const createdAt = d.createdAt ?? lookups.now;
    if (d.createdAt !== undefined && d.createdAt > lookups.now) problem('createdAt', 'The deal cannot be created in the future.');
    let closedAt: number | null = null;
    if (stage && stage.kind !== 'open') {
      closedAt = d.closedAt ?? lookups.now;
      if (d.closedAt !== undefined && d.closedAt > lookups.now) problem('closedAt', 'The deal cannot close in the future.');
      else if (d.closedAt !== undefined && d.closedAt < createdAt) problem('closedAt', 'The deal closes before it was created.');
    } else if (stage && d.closedAt !== undefined) {
      problem('closedAt', `"${stage.name}" is an open stage: leave the close time empty, or choose a won or lost stage.`);
    }

    let ownerId: string | null = null;
    if (d.ownerEmail) {
      ownerId = lookups.members.get(d.ownerEmail) ?? null;
      if (!ownerId) problem('ownerEmail', `No member of this workspace has the email ${d.ownerEmail}.`);
    }

    let sourceFunnelId: string | null = null;
    if (d.sourceFunnel) {
      const named = lookups.funnels.filter((f) => sameName(f.name, d.sourceFunnel!));
      if (named.length === 1) sourceFunnelId = named[0]!.id;
      else if (named.length === 0) problem('sourceFunnel', `No funnel is named "${d.sourceFunnel}".`);
      else problem('sourceFunnel', `${named.length} funnels are named "${d.sourceFunnel}"; rename one to tell them apart.`);
    }

    let leadId: string | null = null;
    if (d.email) {
      leadId = lookups.leads.get(d.email) ?? newLeads.get(d.email)?.id ?? null;
      if (pipeline && stage?.kind === 'open') {
        const key = `${pipeline.id} ${d.email}`;
        const earlier = openInFile.get(key);
        if (leadId && lookups.openDeals.has(`${pipeline.id} ${leadId}`)) {
          problem('email', `${d.email} already has an open deal in "${pipeline.name}"; a lead has one open deal per pipeline.`);
        } else if (earlier !== undefined) {
          problem(
            'email',
            `Row ${earlier} already opens a deal for ${d.email} in "${pipeline.name}"; a lead has one open deal per pipeline.`,
          );
        } else if (valid) openInFile.set(key, row);
      }
    }

    if (!valid || issues.length > before || !pipeline || !stage) continue;
    if (d.email && lookups.leads.has(d.email)) linkedLeads++;
    else if (d.email) {
      const pending = newLeads.get(d.email);
      if (pending) pending.name ??= d.leadName ?? null;
      else {
        const lead: PlannedLead = { id: newId(), email: d.email, name: d.leadName ?? null, row };
        newLeads.set(d.email, lead);
        leadId = lead.id;
      }
    }
    const last = lastPositions.get(stage.id);
    const position = last === undefined ? 0 : last + lookups.positionStep;
    lastPositions.set(stage.id, position);
    deals.push({
      row,
      id: newId(),
      pipelineId: pipeline.id,
      stage,
      position,
      name: d.name!,
      valueMinor: d.valueMinor!,
      currency: d.currency!,
      leadId,
      ownerId,
      expectedCloseAt: d.expectedCloseAt ?? null,
      sourceFunnelId,
      attribution: d.attribution!,
      notes: d.notes ?? null,
      lostReason,
      stageEnteredAt: closedAt ?? createdAt,
      closedAt,
      createdAt,
    });
  }
  return { deals, newLeads: [...newLeads.values()], linkedLeads, issues: byRow(issues), warnings: byRow(warnings) };
}

// ── Leads ────────────────────────────────────────────────────────────────────

export interface LeadRowInput {
  email: string;
  name?: string;
  phone?: string;
  company?: string;
  source?: string;
  fields: Record<string, unknown>;
}

const jsonObject = z.string().transform((cell, ctx) => {
  try {
    const value: unknown = JSON.parse(cell);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'Not a JSON object such as {"plan": "pro"}.' });
  return z.NEVER;
});

const leadRowFields = z
  .object({
    email: z.string({ error: 'Every lead needs an email address.' }).pipe(emailSchema),
    name: optionalText(200),
    firstName: optionalText(100),
    lastName: optionalText(100),
    phone: z.string().refine(isValidPhone, 'Not a phone number; write it like +1 555 010 0199.').optional(),
    company: optionalText(200),
    source: optionalText(100),
    fields: jsonObject.optional(),
  })
  .catchall(text(2_000));

function toLeadInput(row: Partial<z.output<typeof leadRowFields>>): Partial<LeadRowInput> {
  const fields: Record<string, unknown> = { ...row.fields };
  for (const [key, value] of Object.entries(row)) if (key.startsWith('fields.')) fields[key.slice(7)] = value;
  const name = row.name ?? ([row.firstName, row.lastName].filter(Boolean).join(' ') || undefined);
  return { email: row.email, name, phone: row.phone, company: row.company, source: row.source, fields };
}

export const leadRowSchema: z.ZodType<LeadRowInput> = leadRowFields.transform((row) => toLeadInput(row) as LeadRowInput);

export function readLeadFile(csv: string, options: ImportOptions = {}) {
  const file = readImportFile('leads', csv, options.mapping);
  const rows = validateRows(file, leadRowFields, leadRowSchema, (fields) => toLeadInput(fields as Partial<z.output<typeof leadRowFields>>));
  return { file, rows };
}

export interface ExistingLead {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  fields: Record<string, unknown>;
}

export interface LeadImportPlan {
  creates: Array<ExistingLead & { row: number }>;
  /** Existing leads with the values the file changes (non-empty cells win, custom fields merge). */
  updates: Array<ExistingLead & { row: number }>;
  unchanged: number;
  issues: ImportIssue[];
  warnings: ImportIssue[];
}

/**
 * New emails become leads; an email that is already a lead updates it the way a repeated form
 * submission does: a non-empty cell replaces the stored value, an empty one keeps it, custom
 * fields merge, and the source (first touch) is only filled in when it was empty. An email that
 * appears twice in the file is an error on the later row.
 */
export function planLeadImport(
  file: Pick<ReadFile, 'columns' | 'issues' | 'warnings'>,
  rows: CheckedRow<LeadRowInput>[],
  existing: Map<string, ExistingLead>,
  newId: IdGenerator,
): LeadImportPlan {
  const issues = file.issues;
  const seen = new Map<string, number>();
  const plan: LeadImportPlan = { creates: [], updates: [], unchanged: 0, issues, warnings: [...file.warnings] };
  for (const checked of rows) {
    const { row } = checked;
    const email = checked.value.email;
    const earlier = email === undefined ? undefined : seen.get(email);
    if (earlier !== undefined) {
      issues.push(rowIssue(row, 'email', columnOf(file.columns, 'email'), `${email} is already on row ${earlier}; list each lead once.`));
      continue;
    }
    if (email !== undefined) seen.set(email, row);
    if (!checked.valid) continue;
    const value = checked.value;
    const stored = existing.get(value.email);
    if (!stored) {
      plan.creates.push({
        row,
        id: newId(),
        email: value.email,
        name: value.name ?? null,
        phone: value.phone ?? null,
        company: value.company ?? null,
        source: value.source ?? '',
        fields: value.fields,
      });
      continue;
    }
    const next: ExistingLead & { row: number } = {
      ...stored,
      row,
      name: value.name ?? stored.name,
      phone: value.phone ?? stored.phone,
      company: value.company ?? stored.company,
      source: stored.source || (value.source ?? ''),
      fields: { ...stored.fields, ...value.fields },
    };
    const changed =
      next.name !== stored.name ||
      next.phone !== stored.phone ||
      next.company !== stored.company ||
      next.source !== stored.source ||
      JSON.stringify(next.fields) !== JSON.stringify(stored.fields);
    if (changed) plan.updates.push(next);
    else plan.unchanged++;
  }
  byRow(plan.issues);
  return plan;
}
