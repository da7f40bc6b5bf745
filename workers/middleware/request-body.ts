import type { Context } from 'hono';
import { AppError, badRequest } from '../domain/errors';

/**
 * The one place request bodies are read. A body the client sent broken (malformed JSON, a
 * multipart body with a missing boundary or cut short, JSON labelled as a form) is the client's
 * fault: it becomes a 400 `malformed_body` / `invalid_json`, never a parser's 500. JSON routes let
 * the error handler answer it; HTML form routes catch it with `isMalformedBody` and re-render the
 * form with its message.
 */

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const FORM_TYPES = new Set(['multipart/form-data', 'application/x-www-form-urlencoded']);

export const mediaType = (c: Context): string => (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

export const isJsonRequest = (c: Context): boolean => JSON_TYPE.test(mediaType(c));
export const isFormRequest = (c: Context): boolean => FORM_TYPES.has(mediaType(c));

export async function readJsonBody(c: Context): Promise<unknown> {
  if (!isJsonRequest(c)) throw badRequest('Send the body as JSON (Content-Type: application/json).', 'unsupported_content_type');
  try {
    return await c.req.json();
  } catch {
    throw badRequest('The request body is not valid JSON.', 'invalid_json');
  }
}

export type FormBody = Record<string, string | File | Array<string | File>>;

const MALFORMED_FORM = 'The form could not be read (the upload was broken or cut short). Please send it again.';

/** A form post's fields; a repeated field becomes an array. */
export async function readFormBody(c: Context): Promise<FormBody> {
  if (!isFormRequest(c))
    throw badRequest('Send the form as multipart/form-data or application/x-www-form-urlencoded.', 'unsupported_content_type');
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    throw badRequest(MALFORMED_FORM, 'malformed_body');
  }
}

/** For HTML form routes: true when the body could not be read at all, so the page is shown again with the error's message. */
export const isMalformedBody = (e: unknown): e is AppError =>
  e instanceof AppError && e.status === 400 && (e.code === 'malformed_body' || e.code === 'unsupported_content_type');
