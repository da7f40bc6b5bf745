/** Minor units → a localised amount, e.g. 25000 USD → "$250.00". */
export function formatMoney(valueMinor: number, currency: string, locale = 'en-US'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(valueMinor / 10 ** digits);
}
