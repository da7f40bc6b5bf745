/** Reading API responses in tests: bodies typed by the routes through the typed client (`client.rpc`). */
import type { ClientResponse } from 'hono/client';
import { expect } from 'vitest';

type BodyOf<R> = R extends ClientResponse<infer T, number, 'json'> ? T : never;
/** The response variant for `status`; all of them when no variant names that status literally (`c.json(body)` without one). */
type WithStatus<R, S> = [Extract<R, { status: S }>] extends [never] ? R : Extract<R, { status: S }>;

/**
 * The body of a typed-client response (`client.rpc…`) once its status is `status`; else the body is
 * the failure message. A route that answers several statuses (200 or 409) gives the body of that one.
 */
export async function json<R extends ClientResponse<unknown, number, 'json'>, S extends R['status']>(
  res: R,
  status: S,
): Promise<BodyOf<WithStatus<R, S>>>;
/**
 * The body of a plain response, for requests the typed client does not make (a `next` link the API
 * handed out, a raw upload): name the route's own type as `T` (`InferResponseType`), never a hand-written one.
 */
export async function json<T = unknown>(res: Response, status: number): Promise<T>;
export async function json(res: Response | ClientResponse<unknown>, status: number): Promise<unknown> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
}
