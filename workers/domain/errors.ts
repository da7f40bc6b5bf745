/**
 * Typed errors carry their HTTP status; the one `onError` handler turns them into
 * `{ "error": { "code", "message", "status" } }` (plus `fields` for validation failures).
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new AppError(400, code, message);
export const validationFailed = (fields: FieldIssue[], message = 'The request is not valid.') =>
  new AppError(400, 'validation_failed', message, fields);
export const unauthorized = (message = 'Sign in to continue.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have permission to do that.', code = 'forbidden') => new AppError(403, code, message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);

/** Over a rate limit: the one error shape with status 429, and a `Retry-After` header of `retryAfterSeconds`. */
export class TooManyAttempts extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many attempts. Please wait a few minutes and try again.',
    code = 'too_many_attempts',
  ) {
    super(429, code, message);
  }
}
