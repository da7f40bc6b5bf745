import * as z from 'zod';

/** One normal form for addresses, used for accounts and for lead de-duplication. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'Email address is too long.')
  .pipe(z.email('Enter a valid email address.'))
  .transform(normaliseEmail);
