/**
 * Names and slugs for duplicates: "Offer" → "Offer (copy)", `offer` → `offer-copy`, then
 * `offer-copy-2`, … — always a valid slug (≤ 64 characters, no trailing hyphen) that is not taken.
 */

const MAX_SLUG = 64;
const MAX_NAME = 120;

export function copyName(name: string): string {
  const suffix = ' (copy)';
  return name.length + suffix.length <= MAX_NAME ? `${name}${suffix}` : `${name.slice(0, MAX_NAME - suffix.length).trimEnd()}${suffix}`;
}

/** The first free `<slug>-copy[-n]`; `taken` holds the slugs already in use. */
export function copySlug(slug: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    const base = slug.slice(0, MAX_SLUG - suffix.length).replace(/-+$/, '');
    const candidate = `${base}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
