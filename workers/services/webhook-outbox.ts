/**
 * The webhook outbox: a change that should notify subscribers writes its delivery rows in the same
 * batch as the change itself, so an event is never sent for a write that rolled back, nor lost
 * for one that committed. Sending happens after commit (services/webhooks.ts).
 */
import { and, eq } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints, type WebhookEvent } from '../../db/schema';
import type { Db } from '../../db/types';
import type { IdGenerator } from '../domain/ids';

export interface OutboxEvent {
  type: WebhookEvent;
  data: Record<string, unknown>;
}

export type DeliveryRow = typeof webhookDeliveries.$inferInsert;

/** One row per (event, subscribed endpoint); the payload is what the receiver gets, byte for byte. */
export async function webhookDeliveryRows(
  db: Db,
  workspaceId: string,
  events: OutboxEvent[],
  now: number,
  newId: IdGenerator,
): Promise<DeliveryRow[]> {
  if (events.length === 0) return [];
  const endpoints = await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.enabled, true)));
  if (endpoints.length === 0) return [];
  const rows: DeliveryRow[] = [];
  for (const event of events) {
    const eventId = newId();
    const payload = JSON.stringify({ id: eventId, type: event.type, createdAt: new Date(now).toISOString(), workspaceId, data: event.data });
    for (const endpoint of endpoints) {
      if (!endpoint.events.includes(event.type)) continue;
      rows.push({
        id: newId(),
        workspaceId,
        endpointId: endpoint.id,
        eventId,
        eventType: event.type,
        payload,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  return rows;
}
