/**
 * Amounts as spreadsheets and people write them (`$1,250.50`, `EUR 99.90`), read into integer
 * minor units with a currency code, and written back the way a spreadsheet shows them.
 */
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
