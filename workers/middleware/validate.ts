import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { validationFailed, type FieldIssue } from '../domain/errors';
import { readFormBody, readJsonBody, type FormBody } from './request-body';

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

export type ValidatedTarget = 'json' | 'query' | 'param' | 'form';

/** What the typed client sends for each target: JSON as the schema's input; the rest as strings. */
type ClientInput<T extends ValidatedTarget, In> = T extends 'json'
  ? In
  : {
      [K in keyof In]: T extends 'query'
        ? string | string[] | (undefined extends In[K] ? undefined : never)
        : T extends 'form'
          ? string | File | (undefined extends In[K] ? undefined : never)
          : string;
    };

/** Marks a validator so the OpenAPI generator can find each route's schemas (workers/routes/api/openapi.ts). */
export const VALIDATES = Symbol('validates');

export interface ValidatorMeta {
  target: ValidatedTarget;
  schema: z.ZodType;
}

/** No body at all: a POST whose body is optional (a dry run, a rotation with defaults). */
const hasNoBody = (c: Context) => c.req.header('content-type') === undefined && Number(c.req.header('content-length') ?? 0) === 0;

async function readTarget(c: Context, target: ValidatedTarget, optionalBody: boolean): Promise<unknown> {
  switch (target) {
    case 'json':
      return optionalBody && hasNoBody(c) ? {} : readJsonBody(c);
    case 'form':
      return readFormBody(c);
    case 'query':
      return c.req.query();
    case 'param':
      return c.req.param();
  }
}

/**
 * Validates one part of the request in the route definition; the handler reads
 * `c.req.valid(target)`. Failures are the one error shape: 400 `validation_failed` with `fields`,
 * `unsupported_content_type`, `invalid_json` or `malformed_body`. With `optionalBody`, a request
 * without any body is validated as `{}`.
 *
 * @example
 * app.post('/deals', validate('json', newDeal), (c) => createDeal(c.req.valid('json')))
 */
export function validate<T extends ValidatedTarget, S extends z.ZodType>(
  target: T,
  schema: S,
  options: {
    optionalBody?: boolean;
    /** Reads the raw value instead (a body that may come in several formats, e.g. a CSV upload). */
    read?: (c: Context) => Promise<unknown>;
  } = {},
): MiddlewareHandler<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Env: the validator reads nothing from it
  any,
  string,
  { in: { [K in T]: ClientInput<T, z.input<S>> }; out: { [K in T]: z.output<S> } }
> {
  const middleware: MiddlewareHandler = async (c, next) => {
    const value = options.read ? await options.read(c) : await readTarget(c, target, options.optionalBody ?? false);
    c.req.addValidatedData(target, parseWith(schema, value) as never);
    await next();
  };
  return Object.assign(middleware, { [VALIDATES]: { target, schema } satisfies ValidatorMeta });
}

export type { FormBody };
