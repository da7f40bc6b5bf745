/**
 * Request schemas shared by several routes, written once. A route's own body schema lives beside
 * the route; anything two routes need lives here.
 */
import * as z from 'zod';
import { badRequest } from '../domain/errors';
import { isTimeZone } from '../domain/activities';
import { last30Days } from '../services/funnel-report';

/** A resource id (ULID-like); the same rule everywhere an id comes in. */
export const id = z.string().min(1).max(64);
export const idParam = z.object({ id });

/** Keyset paging: `cursor` is the previous page's `nextCursor`. */
export const pageQuery = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The member's IANA time zone, for what "today" and "overdue" mean; UTC (the app's day everywhere else) without one. */
export const timeZoneParam = z
  .string()
  .max(64)
  .refine(isTimeZone, 'Use an IANA time zone such as Europe/Berlin.')
  .optional()
  .describe('IANA time zone that "today" is counted in (the browser’s); UTC when absent.');

/** A calendar day in UTC, as the reports take their periods. */
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Not a date.');

/** `from`/`to` days of a report; both optional (the last 30 days by default). */
export const periodQuery = z.object({ from: day.optional(), to: day.optional() });

/** ISO 4217, upper-cased on the way in. */
export const currencyCode = z
  .string()
  .trim()
  .transform((c) => c.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code such as USD.'));

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The days a report covers: `to` defaults to today (UTC), `from` to 29 days before `to`; at most
 * `maxDays`, and `from` not after `to` (400 `invalid_period` otherwise).
 */
export function reportPeriod(query: { from?: string; to?: string }, now: number, maxDays: number): { from: string; to: string } {
  const to = query.to ?? last30Days(now).to;
  const from = query.from ?? last30Days(Date.parse(`${to}T00:00:00Z`)).from;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw badRequest('`from` must not be after `to`.', 'invalid_period');
  if (days > maxDays) throw badRequest(`A report covers at most ${maxDays} days.`, 'invalid_period');
  return { from, to };
}
