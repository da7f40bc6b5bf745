/**
 * Waiting for something that happens on its own time (a queue consumer, a beacon, a child
 * process) by polling for it, instead of sleeping a fixed time and hoping it was enough.
 */

export interface WaitOptions {
  /** Give up after this long (default 10 s): the error shows the last value read. */
  timeoutMs?: number;
  /** Pause between reads (default 25 ms). */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

/**
 * Reads `read()` until `done(value)` holds and returns that value. Without `done`, waits for a
 * truthy value.
 *
 * @example
 * const rows = await waitFor(() => rowsOf(endpoint.id), (r) => r[0]?.status === 'succeeded');
 * await waitFor(() => output().includes('Stopped cleanly.'));
 */
export async function waitFor<T, U extends T>(
  read: () => T | Promise<T>,
  done: (value: T) => value is U,
  options?: WaitOptions,
): Promise<U>;
export async function waitFor<T>(read: () => T | Promise<T>, done?: (value: T) => boolean, options?: WaitOptions): Promise<T>;
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean = Boolean, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 25, what = 'the condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Waited ${timeoutMs} ms for ${what}; last value: ${describe(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(value: unknown): string {
  try {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}

/**
 * One turn of the event loop: every promise that could settle now has settled and every I/O
 * callback that was ready has run. For checking that something *waits* (on a lock, say) without
 * sleeping a guessed time.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
