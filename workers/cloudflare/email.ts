/**
 * Email on Workers: a Cloudflare Queue between the write that queued a mail and its send (the
 * EmailDispatcher port), and its consumer. Sending is services/email.ts, the same on both
 * runtimes; the outbox row is the record, so a lost message is swept up by the Cron Trigger.
 */
import type { EmailDispatcher } from '../services/ports';
import { deliverEmail, type EmailDeps } from '../services/email';
import { log } from '../logger';

interface EmailQueueMessageBody {
  emailId: string;
}

/** The parts of a Queue producer and consumer message used here (structural, so Node type-checks it too). */
export interface EmailQueueProducer {
  sendBatch(messages: Iterable<{ body: EmailQueueMessageBody; contentType?: 'json' }>): Promise<unknown>;
}
export interface EmailQueueMessage {
  readonly body: unknown;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** Cloudflare Queues take at most 100 messages per sendBatch and delays of at most 12 h. */
const QUEUE_BATCH_LIMIT = 100;
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

export function queueEmailDispatcher(queue: EmailQueueProducer): EmailDispatcher {
  return {
    async dispatch(ids) {
      for (let i = 0; i < ids.length; i += QUEUE_BATCH_LIMIT) {
        await queue.sendBatch(ids.slice(i, i + QUEUE_BATCH_LIMIT).map((emailId) => ({ body: { emailId }, contentType: 'json' as const })));
      }
    },
  };
}

const delaySecondsUntil = (at: number, now: number) => Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil((at - now) / 1000)));

/**
 * The email queue's consumer: one attempt per message. Sent and permanently failed rows are
 * acked; a failed attempt with attempts left is retried by the queue after the backoff; a row
 * someone else is sending, or not due yet, waits until it is.
 */
export async function consumeEmailBatch(deps: EmailDeps, messages: readonly EmailQueueMessage[]): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      const emailId = (message.body as Partial<EmailQueueMessageBody> | null)?.emailId;
      if (typeof emailId !== 'string') return message.ack();
      try {
        const outcome = await deliverEmail(deps, emailId);
        if (outcome.kind === 'retry') message.retry({ delaySeconds: delaySecondsUntil(outcome.retryAt, deps.clock()) });
        else if (outcome.kind === 'not_due') message.retry({ delaySeconds: delaySecondsUntil(outcome.at, deps.clock()) });
        else {
          if (outcome.kind === 'failed')
            log.error('Email failed; giving up', { emailId, attempts: outcome.attempts, error: outcome.error });
          message.ack();
        }
      } catch (err) {
        log.error('Email could not be processed', { emailId, err });
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
