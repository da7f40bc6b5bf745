/**
 * The event sink on Node (the EventSink port, services/ports.ts): an in-process group-commit
 * buffer — many small beacons become one transaction every few milliseconds. On Workers the sink
 * is a Cloudflare Queue (cloudflare.ts).
 *
 * Only for what may be acknowledged before it is stored: page views and the tracker's beacons.
 * A capture's own event and a server event are written in the capture's transaction
 * (services/capture.ts), committed before the request is answered.
 */
import type { WriteTransactions } from '../../db/prepared-writes';
import { ingestBatch, type IngestEvent, type IngestResult } from '../services/ingest';
import type { EventSink } from '../services/ports';
import { log } from '../logger';

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
