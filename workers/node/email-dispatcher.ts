/**
 * Email on the local runtime: outbox rows are sent in-process right after the write that queued
 * them (a few at a time), failed attempts are retried by unref'd timers at their next attempt,
 * and `sendDueEmails` (run by the scheduler) picks up whatever a restart interrupted. The row is
 * the record either way; a timer is only a shortcut to it.
 */
import type { EmailDispatcher } from '../services/ports';
import { deliverEmail, type EmailDeps } from '../services/email';
import { log } from '../logger';

export function nodeEmailDispatcher(deps: EmailDeps, { concurrency = 4 }: { concurrency?: number } = {}): EmailDispatcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const waiting: Array<() => void> = [];
  let active = 0;
  let stopped = false;

  const acquire = () => (active < concurrency ? (active++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve)));
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
        void send(id);
      },
      Math.min(Math.max(0, at - deps.clock()), 2 ** 31 - 1),
    );
    timer.unref();
    timers.set(id, timer);
  }

  async function send(id: string): Promise<void> {
    await acquire();
    try {
      const outcome = await deliverEmail(deps, id);
      if (outcome.kind === 'retry') {
        log.warn('Email not sent; will retry', { emailId: id, attempts: outcome.attempts, error: outcome.error });
        schedule(id, outcome.retryAt);
      } else if (outcome.kind === 'failed') {
        log.error('Email failed; giving up', { emailId: id, attempts: outcome.attempts, error: outcome.error });
      } else if (outcome.kind === 'not_due') schedule(id, outcome.at);
    } catch (err) {
      // The database failed us: the row stays queued (its claim lapses) for the next sweep.
      log.error('Email could not be processed', { emailId: id, err });
    } finally {
      release();
    }
  }

  return {
    async dispatch(ids) {
      await Promise.all(ids.map(send));
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
