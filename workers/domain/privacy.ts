/**
 * Rules of the privacy features (services/lead-privacy.ts, services/housekeeping.ts): what an
 * erasure looks for in text the team or the visitor wrote, and how long raw events are kept.
 * Pure functions, no I/O.
 */

/** What an erased value is replaced by, so a reader sees something was there. */
export const ERASED = '[erased]';

/** The address an erased lead keeps: unique per lead (the table's one-lead-per-address index), reserved TLD, no PII. */
export const erasedEmail = (leadId: string) => `erased-${leadId.toLowerCase()}@erased.invalid`;

export const RETENTION_DEFAULT_MONTHS = 13;
export const RETENTION_MIN_MONTHS = 1;
export const RETENTION_MAX_MONTHS = 120;

/** The instant before which a workspace's raw events are deleted: `months` calendar months before `now` (UTC). */
export function retentionCutoff(now: number, months: number | undefined): number {
  const keep = months ?? RETENTION_DEFAULT_MONTHS;
  const date = new Date(now);
  const cutoff = new Date(date);
  cutoff.setUTCMonth(date.getUTCMonth() - keep);
  // 31 March minus one month is 3 March in JS; clamp to the last day of the target month instead.
  if (cutoff.getUTCDate() !== date.getUTCDate()) cutoff.setUTCDate(0);
  return cutoff.getTime();
}

export interface PersonalData {
  email: string;
  name: string | null;
  phone: string | null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Letters or digits on either side mean a name part is inside another word ("Ann" in "Annual"). */
const wordBounded = (pattern: string) => `(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`;
const PHONE_SEPARATOR = '[\\s().\\-/]*';

/**
 * Patterns of the lead's personal data as it may appear in free text: the email (also
 * percent-encoded, as in a referrer's query string), the full name and each part of it of three
 * letters or more as a whole word, and the phone's digits with any separators between them.
 * All case-insensitive.
 */
export function personalDataPatterns(person: PersonalData): RegExp[] {
  // In this order: the whole name goes before its parts, so "Ann Lee" becomes one [erased], not two.
  const sources = new Set<string>();
  const email = person.email.trim();
  if (email) {
    sources.add(escapeRegExp(email));
    const encoded = encodeURIComponent(email);
    if (encoded !== email) sources.add(escapeRegExp(encoded));
  }
  const digits = person.phone?.replace(/\D/g, '') ?? '';
  if (digits.length >= 6) sources.add(`\\+?${[...digits].join(PHONE_SEPARATOR)}`);
  const name = person.name?.trim().replace(/\s+/g, ' ');
  if (name) {
    sources.add(name.split(' ').map(escapeRegExp).join('\\s+'));
    for (const part of name.split(/[\s,]+/)) if ([...part].length >= 3) sources.add(wordBounded(escapeRegExp(part)));
  }
  return [...sources].map((source) => new RegExp(source, 'giu'));
}

export function scrubText(text: string, patterns: RegExp[]): string {
  let out = text;
  for (const pattern of patterns) out = out.replace(pattern, ERASED);
  return out;
}

/** Every string (keys too) of a JSON value with the patterns replaced. */
export function scrubJson(value: unknown, patterns: RegExp[]): unknown {
  if (typeof value === 'string') return scrubText(value, patterns);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, patterns));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrubText(k, patterns)] = scrubJson(v, patterns);
    return out;
  }
  return value;
}

/** Text that may hold JSON (a webhook payload): scrubbed as JSON when it parses, as text otherwise. */
export function scrubJsonText(text: string, patterns: RegExp[]): string {
  try {
    return JSON.stringify(scrubJson(JSON.parse(text), patterns));
  } catch {
    return scrubText(text, patterns);
  }
}

export const mentions = (text: string | null | undefined, patterns: RegExp[]) =>
  !!text &&
  patterns.some((p) => {
    p.lastIndex = 0;
    return p.test(text);
  });
