/** "Spring Sale 2026!" → "spring-sale-2026": the slug an address will use, until the member edits it. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** The API's rule for slugs (workers/domain/blocks.ts `pageSlugSchema`), checked as the member types. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * What is wrong with a funnel slug before it is sent, in the API's own words for the format; a
 * slug already used by a funnel of this workspace is known to be taken. (Slugs are unique across
 * every workspace, so the server may still answer 409: that message is shown at the field too.)
 */
export function slugProblem(slug: string, takenInWorkspace: readonly string[] = []): string | null {
  if (slug === '') return 'Enter a slug.';
  if (!SLUG.test(slug)) {
    if (/[A-Z]/.test(slug)) return 'Use lower-case letters: capitals are not allowed in addresses.';
    if (/^-|-$/.test(slug)) return 'Start and end with a letter or digit, not “-”.';
    return 'Use lower-case letters, digits and "-", up to 64 characters.';
  }
  if (takenInWorkspace.includes(slug)) return 'Another of your funnels already uses this slug.';
  return null;
}
