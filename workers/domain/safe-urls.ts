/**
 * URL predicates for everything a marketer can put into a page. Landing pages are rendered from
 * untrusted content, so a URL is accepted only in a shape we know the browser treats as harmless
 * for that attribute; anything else is rejected by the block schema and dropped by the renderer.
 */

export const MAX_URL_LENGTH = 2048;

// Browsers strip tabs/newlines inside URLs ("java\nscript:") and treat "\" like "/" in paths, so
// a URL containing either is never accepted, whatever the rest of it looks like.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f\\]/;

function parseAbsolute(value: string): URL | null {
  if (value.length > MAX_URL_LENGTH || UNSAFE_CHARACTERS.test(value)) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** `https://host/...` or `http://host/...`, without credentials. */
export function isHttpUrl(value: string): boolean {
  const url = parseAbsolute(value);
  return !!url && (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && url.hostname !== '';
}

/** `https://host/...` only: assets embedded into a page must not downgrade it to mixed content. */
export function isHttpsUrl(value: string): boolean {
  return isHttpUrl(value) && value.slice(0, 8).toLowerCase() === 'https://';
}

/**
 * A path on this site: `/...` but never `//host` (protocol-relative, i.e. another site).
 * `#fragment` and `?query` stay on the current page.
 */
export function isSiteRelativeUrl(value: string): boolean {
  if (value.length === 0 || value.length > MAX_URL_LENGTH || UNSAFE_CHARACTERS.test(value)) return false;
  if (value[0] === '#' || value[0] === '?') return true;
  return value[0] === '/' && value[1] !== '/';
}

/** Images, avatars, logos, downloadable assets: `https://` or a path on this site. */
export function isImageSource(value: string): boolean {
  return isHttpsUrl(value) || isSiteRelativeUrl(value);
}

/** `mailto:someone@example.com` — no headers smuggled in through extra `:` tricks. */
function isMailtoUrl(value: string): boolean {
  return value.length <= MAX_URL_LENGTH && !UNSAFE_CHARACTERS.test(value) && /^mailto:[^\s:/]+@[^\s:/]+$/i.test(value.split('?')[0] ?? '');
}

/** Links inside rich text: http(s), mailto or a path on this site. */
export function isSafeLinkHref(value: string): boolean {
  return isHttpUrl(value) || isMailtoUrl(value) || isSiteRelativeUrl(value);
}
