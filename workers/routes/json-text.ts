import type { Context, TypedResponse } from 'hono';

/**
 * Sends JSON that a service already serialised (the board splices SQLite's JSON of the cards into
 * its bytes instead of parsing and re-encoding them), typed as `T` for the typed client.
 */
export function jsonText<T>(c: Context, body: Uint8Array<ArrayBuffer> | string): Response & TypedResponse<T, 200, 'json'> {
  return c.body(body, 200, { 'content-type': 'application/json; charset=UTF-8' }) as unknown as Response & TypedResponse<T, 200, 'json'>;
}
