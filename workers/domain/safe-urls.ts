/**
 * URL predicates for everything a marketer can put into a page or a setting. Landing pages are
 * rendered from untrusted content, so a URL is accepted only in a shape we know the browser treats
 * as harmless for that attribute — and only when it still means that once it is read the way a
 * browser, a CSS parser or a careless consumer might read it (`normaliseUrl`): a value that turns
 * into a script, a data document or CSS on the way is refused, not just rendered inert.
 */

export const MAX_URL_LENGTH = 2048;

// Browsers strip tabs/newlines inside URLs ("java\nscript:") and treat "\" like "/" in paths, so
// a URL containing either is never accepted, whatever the rest of it looks like.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f\\]/;

/** The character references that matter for hiding a scheme; numeric ones are decoded in general. */
const NAMED_REFERENCES: Record<string, string> = {
  tab: '\t',
  newline: '\n',
  colon: ':',
  sol: '/',
  lpar: '(',
  rpar: ')',
  period: '.',
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  semi: ';',
  nbsp: ' ',
};

function decodeCharacterReferences(value: string): string {
  return value
    .replace(/&#x([0-9a-f]{1,6});?/gi, (ref, hex: string) => codePoint(parseInt(hex, 16)) ?? ref)
    .replace(/&#([0-9]{1,7});?/g, (ref, dec: string) => codePoint(parseInt(dec, 10)) ?? ref)
    .replace(/&([a-z]+);/gi, (ref, name: string) => NAMED_REFERENCES[name.toLowerCase()] ?? ref);
}

function codePoint(n: number): string | undefined {
  return n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

/** `%XX` as the byte it stands for; an invalid UTF-8 sequence keeps its single bytes (Latin-1). */
function decodePercents(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/**
 * What a URL can turn into on its way to being used: character references and percent-escapes
 * decoded (repeatedly, for double encoding), tabs and newlines removed and leading/trailing
 * control characters and spaces trimmed (as the URL parser does), lower-cased (schemes and CSS are
 * case-insensitive). Only for checking — the stored value is the one the marketer typed.
 */
export function normaliseUrl(value: string): string {
  let current = value;
  for (let round = 0; round < 4; round++) {
    const next = decodePercents(decodeCharacterReferences(current));
    if (next === current) break;
    current = next;
  }
  // The URL parser's own clean-up: tabs and newlines anywhere, control characters and spaces around.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const trimmed = current.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  return trimmed.toLowerCase();
}

/** A script or document scheme where a URL (or a CSS `url(...)` inside it) would start. */
const HIDDEN_SCHEME = /(?:^|[^a-z0-9+.-])(?:javascript|vbscript|livescript|mocha|data):/;
/** CSS that only makes sense if the value is meant to escape into a style. */
const HIDDEN_CSS = /url\(|expression\(|@import|[{};]\s*[a-z-]+\s*:/;
/** Characters that end an attribute or open markup once decoded. */
const HIDDEN_MARKUP = /[<>"`]/;

/**
 * Why the value means something other than a plain address once normalised, or null: a script
 * scheme anywhere in it, CSS, markup. The first of these is what an attacker hides behind
 * `java\tscript:`, `jav&#x09;ascript:` or `%6a%61vascript:`.
 */
export function hiddenUrlMeaning(value: string): string | null {
  const normalised = normaliseUrl(value);
  const scheme = HIDDEN_SCHEME.exec(normalised);
  if (scheme) return `it hides a ${scheme[0].replace(/^[^a-z]/, '')} address`;
  if (HIDDEN_CSS.test(normalised)) return 'it hides CSS';
  if (HIDDEN_MARKUP.test(normalised)) return 'it hides markup';
  return null;
}

/** The raw shape is safe, and decoding does not turn it into something else. */
function plainShape(value: string): boolean {
  return value.length > 0 && value.length <= MAX_URL_LENGTH && !UNSAFE_CHARACTERS.test(value) && hiddenUrlMeaning(value) === null;
}

function parseAbsolute(value: string): URL | null {
  if (!plainShape(value)) return null;
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
 * A path on this site: `/...` but never `//host` (protocol-relative, i.e. another site), not even
 * once decoded (`/%2F%2Fhost`).
 */
export function isSitePath(value: string): boolean {
  if (!plainShape(value) || value[0] !== '/') return false;
  const normalised = normaliseUrl(value);
  return normalised[1] !== '/' && normalised[1] !== '\\';
}

/** `#fragment`: an element id of the current page. */
function isFragment(value: string): boolean {
  return /^#[\w.:-]*$/.test(value) && value.length <= 256;
}

/**
 * A path on this site (`isSitePath`), or a place on the current page: `#fragment`, `?query`.
 */
export function isSiteRelativeUrl(value: string): boolean {
  if (value[0] === '#') return isFragment(value);
  if (value[0] === '?') return plainShape(value);
  return isSitePath(value);
}

/** Images, avatars, logos, downloadable assets: `https://` or a path on this site (a fragment is no image). */
export function isImageSource(value: string): boolean {
  return isHttpsUrl(value) || isSitePath(value);
}

/** `mailto:someone@example.com` — no headers smuggled in through extra `:` tricks. */
function isMailtoUrl(value: string): boolean {
  return plainShape(value) && /^mailto:[^\s:/]+@[^\s:/]+$/i.test(value.split('?')[0] ?? '');
}

/** Links inside rich text: http(s), mailto or a path on this site. */
export function isSafeLinkHref(value: string): boolean {
  return isHttpUrl(value) || isMailtoUrl(value) || isSiteRelativeUrl(value);
}

/** A scheme a link target starts with once tabs and newlines are gone (`java\tscript:` → `javascript`), or null. */
export function schemeOf(value: string): string | null {
  return /^([a-z][a-z0-9+.-]*):/.exec(normaliseUrl(value))?.[1] ?? null;
}
