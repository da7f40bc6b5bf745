/**
 * Recognising database errors across drivers: the libSQL client and drizzle wrap SQLite's
 * message (drizzle in `cause`), and over HTTP it arrives as text, so matching the text is the
 * one check that works on both runtimes.
 */
export function isUniqueViolation(err: unknown): boolean {
  const text = `${String(err)} ${String((err as { cause?: unknown } | null)?.cause ?? '')}`;
  return /UNIQUE constraint failed/i.test(text);
}
