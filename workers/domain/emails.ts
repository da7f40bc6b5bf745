import * as z from 'zod';
// One normal form for addresses, for accounts and for lead de-duplication alike. It lives in
// form-submission.ts, which the browser islands bundle without zod.
import { normaliseEmail } from './form-submission';

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'Email address is too long.')
  .pipe(z.email('Enter a valid email address.'))
  .transform(normaliseEmail);
