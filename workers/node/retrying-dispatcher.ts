/**
 * In-process sending of outbox rows (webhook deliveries, email) on the local runtime: each id is
 * attempted right after the write that queued it, at most `concurrency` at once, and an attempt
 * that says "again later" is retried by an unref'd timer at that time. Timers never keep the
 * process alive and are only a shortcut: the row is the record, and the scheduler's sweep picks up
 * whatever a restart interrupted.
 */

/** When an attempt's outcome (webhook-delivery.ts, email.ts) says to try again, or null for never. */
export function tryAgainAt(outcome: { kind: string; retryAt?: number; at?: number }): number | null {
  if (outcome.kind === 'retry') return outcome.retryAt ?? null;
  if (outcome.kind === 'not_due') return outcome.at ?? null;
  return null;
}

export interface RetryingDispatcher {
  /** Resolves once each id's attempt is recorded (a request's background work waits for it). */
  dispatch(ids: string[]): Promise<void>;
  /** Cancels the retry timers; the rows stay for the next sweep. */
  stop(): void;
}

export function retryingDispatcher(options: {
  clock: () => number;
  concurrency: number;
  /** One attempt; resolves with when to try again (`tryAgainAt`), or null. */
  attempt: (id: string) => Promise<number | null>;
  /** The attempt itself failed (the database, most likely): the row stays for the next sweep. */
  onError: (id: string, err: unknown) => void;
}): RetryingDispatcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const waiting: Array<() => void> = [];
  let active = 0;
  let stopped = false;

  const acquire = () =>
    active < options.concurrency ? (active++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  function schedule(id: string, at: number) {
    if (stopped) return;
    clearTimeout(timers.get(id));
    const timer = setTimeout(
      () => {
        timers.delete(id);
        void run(id);
      },
      // setTimeout's longest delay; a later retry is the sweep's.
      Math.min(Math.max(0, at - options.clock()), 2 ** 31 - 1),
    );
    timer.unref();
    timers.set(id, timer);
  }

  async function run(id: string): Promise<void> {
    await acquire();
    try {
      const again = await options.attempt(id);
      if (again !== null) schedule(id, again);
    } catch (err) {
      options.onError(id, err);
    } finally {
      release();
    }
  }

  return {
    async dispatch(ids) {
      await Promise.all(ids.map(run));
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
