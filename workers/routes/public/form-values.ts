import type { Context } from 'hono';
import { isMalformedBody, readFormBody, type FormBody } from '../../middleware/request-body';

/** The posted text fields, or (`problem`) why the body could not be read, to show on the form again. */
export async function formValues(c: Context): Promise<{ values: Record<string, string>; problem?: string }> {
  let body: FormBody;
  try {
    body = await readFormBody(c);
  } catch (err) {
    if (isMalformedBody(err)) return { values: {}, problem: err.message };
    throw err;
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') values[k] = v;
  return { values };
}
