/**
 * Email on the local runtime: outbox rows are sent in-process right after the write that queued
 * them, failed attempts retried by timers (node/retrying-dispatcher.ts), and `sendDueEmails` (run
 * by the scheduler) picks up whatever a restart interrupted.
 */
import type { EmailDispatcher } from '../services/ports';
import { deliverEmail, type EmailDeps } from '../services/email';
import { log } from '../logger';
import { retryingDispatcher, tryAgainAt } from './retrying-dispatcher';

export function nodeEmailDispatcher(deps: EmailDeps, { concurrency = 4 }: { concurrency?: number } = {}): EmailDispatcher {
  return retryingDispatcher({
    clock: deps.clock,
    concurrency,
    attempt: async (id) => {
      const outcome = await deliverEmail(deps, id);
      if (outcome.kind === 'retry') {
        log.warn('Email not sent; will retry', { emailId: id, attempts: outcome.attempts, error: outcome.error });
      } else if (outcome.kind === 'failed') {
        log.error('Email failed; giving up', { emailId: id, attempts: outcome.attempts, error: outcome.error });
      }
      return tryAgainAt(outcome);
    },
    // The database failed us: the row stays queued (its claim lapses) for the next sweep.
    onError: (id, err) => log.error('Email could not be processed', { emailId: id, err }),
  });
}
