/** How the app writes numbers, shares and dates (money comes from pages-ui/format.ts, shared with the published pages). */
export { formatMoney, formatTotals } from '../format';

const integer = new Intl.NumberFormat('en-US');

export const formatCount = (n: number) => integer.format(n);

/** 0.1234 → "12.3%"; null (nothing to divide by) → "—". */
export const formatShare = (ratio: number | null) => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);

const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
export const formatDate = (ms: number) => dateFormat.format(ms);

/** A duration in the unit that reads best: "< 1 min", "42 min", "3.5 h", "2.0 days"; null → "—". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = ms / 60_000;
  if (minutes < 1) return '< 1 min';
  if (minutes < 120) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/** Digits after the decimal point in `currency` (2 for USD, 0 for JPY). */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * What a person types as an amount ("250", "$1,250.50", "1 250,5" is not accepted) → integer
 * minor units; an error message when it is not an amount in `currency`.
 */
export function parseAmount(text: string, currency: string): { minor: number } | { error: string } {
  const cleaned = text.replace(/[\s,$€£¥]/g, '');
  if (cleaned === '') return { minor: 0 };
  const digits = fractionDigits(currency);
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(cleaned))
    return { error: digits > 0 ? `Enter an amount like 250 or ${(1250.5).toFixed(digits)}.` : 'Enter a whole amount like 250.' };
  const [whole, fraction = ''] = cleaned.split('.');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { error: 'That amount is too large.' };
  return { minor };
}
