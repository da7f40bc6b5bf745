/** Minor units → a localised amount, e.g. 25000 USD → "$250.00". */
export function formatMoney(valueMinor: number, currency: string, locale = 'en-US'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(valueMinor / 10 ** digits);
}

/** Amounts in several currencies, never added across them: "$250.00 + €90.00"; "$0.00" for none. */
export function formatTotals(totals: Array<{ currency: string; valueMinor: number }>): string {
  if (totals.length === 0) return formatMoney(0, 'USD');
  return totals.map((t) => formatMoney(t.valueMinor, t.currency)).join(' + ');
}
