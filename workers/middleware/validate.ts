import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest, validationFailed, type FieldIssue } from '../domain/errors';

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodIssues(result.error));
  return result.data;
}

/**
 * Reads and validates a JSON body. Non-JSON content types and malformed JSON are 400s with the
 * usual error shape, never a parser's stack trace.
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw badRequest('Send the body as JSON (Content-Type: application/json).', 'unsupported_content_type');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('The request body is not valid JSON.', 'invalid_json');
  }
  return parseWith(schema, body);
}

export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return parseWith(schema, c.req.query());
}

export function readParams<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return parseWith(schema, c.req.param());
}
