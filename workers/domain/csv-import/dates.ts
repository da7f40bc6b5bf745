/**
 * Date cells: ISO, numeric (day or month first, inferred per file), and month names, with an
 * optional time and zone; read into UTC epoch milliseconds and written back for spreadsheets.
 */
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
  let hh = Number(time[4] ?? 0);
  const [mm, ss, ms] = [Number(time[5] ?? 0), Number(time[6] ?? 0), Number((time[7] ?? '').padEnd(3, '0'))];
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
