import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, TooManyAttempts, type FieldIssue } from '../domain/errors';
import { log } from '../logger';

export interface ErrorBody {
  error: { code: string; message: string; status: number; fields?: FieldIssue[] };
}

function errorBody(status: number, code: string, message: string, fields?: FieldIssue[]): ErrorBody {
  return { error: { code, message, status, ...(fields ? { fields } : {}) } };
}

export function errorResponse(c: Context, status: number, code: string, message: string, fields?: FieldIssue[]) {
  return c.json(errorBody(status, code, message, fields), status as ContentfulStatusCode);
}

/** The one place an exception becomes a response: typed errors keep their status; anything else is a 500 that hides its details. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof TooManyAttempts) c.header('retry-after', String(err.retryAfterSeconds));
  if (err instanceof AppError) return errorResponse(c, err.status, err.code, err.message, err.fields);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'http_error';
    return errorResponse(c, status, code, err.message || 'Request failed.');
  }
  (c.get('log') ?? log).error('Unhandled error', { method: c.req.method, path: c.req.path, err });
  return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side.');
}
