/**
 * Where accepted events go before ingest. On Workers: a Cloudflare Queue, whose consumer calls
 * `ingestBatch` (cloudflare.ts). Locally: an in-process group-commit buffer — many small beacons
 * become one transaction every few milliseconds.
 */
import type { WriteTransactions } from '../../db/prepared-writes';
import { ingestBatch, type IngestEvent, type IngestResult } from './ingest';
import { log } from '../logger';

export interface EventSink {
  /** Resolves once the events are accepted (queued), not necessarily stored. */
  enqueue(events: IngestEvent[]): Promise<void>;
  /** Writes everything accepted so far (shutdown, tests). */
  flush(): Promise<void>;
}

export interface GroupCommitOptions {
  /** Flush when this many events are waiting. */
  maxBatch?: number;
  /** …or this long after the first one arrived. */
  maxDelayMs?: number;
  /** Memory bound: past this, `enqueue` waits for a flush instead of growing the buffer. */
  maxBuffered?: number;
  clock?: () => number;
  onError?: (err: unknown, events: IngestEvent[]) => void;
  /** Runs after each committed batch (re-qualifying leads); awaited, so `flush()` includes it. */
  afterBatch?: (result: IngestResult) => Promise<void>;
}

export function groupCommitSink(client: WriteTransactions, options: GroupCommitOptions = {}): EventSink & { readonly buffered: number } {
  const maxBatch = options.maxBatch ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 5;
  const maxBuffered = options.maxBuffered ?? 20_000;
  const clock = options.clock ?? Date.now;
  let buffer: IngestEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One flush at a time: libSQL has one writer, and ordering flushes keeps backpressure simple.
  let flushing: Promise<void> = Promise.resolve();

  const flushNow = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    flushing = flushing.then(async () => {
      while (buffer.length > 0) {
        const batch = buffer.slice(0, maxBatch);
        buffer = buffer.slice(batch.length);
        let result: IngestResult;
        try {
          result = await ingestBatch(client, batch, clock());
        } catch (err) {
          (options.onError ?? ((e) => log.error('Event ingest failed; batch dropped', { events: batch.length, err: e })))(err, batch);
          continue;
        }
        await options.afterBatch?.(result).catch((err) => log.error('After-ingest work failed', { err }));
      }
    });
    return flushing;
  };

  return {
    get buffered() {
      return buffer.length;
    },
    async enqueue(events) {
      if (buffer.length + events.length > maxBuffered) await flushNow();
      buffer.push(...events);
      if (buffer.length >= maxBatch) void flushNow();
      else timer ??= setTimeout(() => void flushNow(), maxDelayMs);
    },
    flush: flushNow,
  };
}

/** Events straight into the database, one transaction per call (tests, and the queue consumer's shape). */
export function directSink(client: WriteTransactions, clock: () => number = Date.now): EventSink {
  return {
    enqueue: async (events) => void (await ingestBatch(client, events, clock())),
    flush: async () => {},
  };
}
