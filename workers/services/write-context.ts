/**
 * What a service that changes pipeline data needs: the database, time, ids, and a way to hand the
 * webhook deliveries it wrote to the dispatcher once its batch has committed.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { webhookDeliveries } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AppDeps } from '../deps';
import type { IdGenerator } from '../domain/ids';
import { webhookDeliveryRows, type OutboxEvent, type SubscribedEndpoint } from './webhook-outbox';

/** 14 columns × 1,000 rows = 14,000 parameters, under SQLite's 32,766. */
const DELIVERY_ROWS_PER_INSERT = 1_000;

export interface WriteCtx {
  db: Db;
  clock: () => number;
  newId: IdGenerator;
  /** Called with the ids of committed webhook deliveries; must not throw or block the caller. */
  notify: (deliveryIds: string[]) => void;
}

/**
 * Deliveries go out through `background` once committed: after the response for a request
 * (middleware/request-write-ctx.ts), or, outside a request (the scheduler, the event sink), kept
 * alive for the send.
 */
export function backgroundWriteCtx(deps: AppDeps, background: (work: Promise<unknown>) => void): WriteCtx {
  return {
    db: deps.database.db,
    clock: deps.clock,
    newId: deps.newId,
    notify: (ids) => {
      if (ids.length) background(deps.webhooks.dispatch(ids));
    },
  };
}

/**
 * Runs `statements` and the outbox rows for `events` as one atomic batch, then notifies.
 * `statements` must be non-empty; every write of one user action goes through a single call.
 * `endpoints`: the workspace's enabled endpoints when the caller read them already (one query fewer).
 */
export async function commitWithEvents(
  ctx: WriteCtx,
  workspaceId: string,
  statements: BatchItem<'sqlite'>[],
  events: OutboxEvent[],
  endpoints?: SubscribedEndpoint[],
): Promise<void> {
  const deliveries = await webhookDeliveryRows(ctx.db, workspaceId, events, ctx.clock(), ctx.newId, endpoints);
  const all = [...statements];
  // Chunked so a large change (many events × endpoints) stays under SQLite's bound-parameter limit.
  for (let i = 0; i < deliveries.length; i += DELIVERY_ROWS_PER_INSERT) {
    all.push(ctx.db.insert(webhookDeliveries).values(deliveries.slice(i, i + DELIVERY_ROWS_PER_INSERT)));
  }
  if (all.length === 0) return;
  await ctx.db.batch(all as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  ctx.notify(deliveries.map((d) => d.id));
}
