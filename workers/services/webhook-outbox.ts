/**
 * The webhook outbox: a change that should notify subscribers writes its delivery rows in the same
 * batch as the change itself, so an event is never sent for a write that rolled back, nor lost
 * for one that committed. Sending happens after commit (services/webhook-delivery.ts).
 */
import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { type leads, type webhookDeliveries, webhookEndpoints, type WebhookEvent } from '../../db/schema';
import type { Db } from '../../db/types';
import type { IdGenerator } from '../domain/ids';

export interface OutboxEvent {
  type: WebhookEvent;
  data: Record<string, unknown>;
}

export type DeliveryRow = typeof webhookDeliveries.$inferInsert;

type LeadFields = Pick<
  typeof leads.$inferSelect,
  'id' | 'email' | 'name' | 'phone' | 'company' | 'fields' | 'source' | 'sourceFunnelId' | 'createdAt'
>;

/** The `lead.created` payload, whichever way the lead arrived (a capture, an import). */
export function leadCreatedData(lead: LeadFields) {
  const { id, email, name, phone, company, fields, source, sourceFunnelId, createdAt } = lead;
  return { lead: { id, email, name, phone, company, fields, source, sourceFunnelId, createdAt } };
}

/** An enabled endpoint of the workspace and the events it subscribes to. */
export interface SubscribedEndpoint {
  id: string;
  events: WebhookEvent[];
}

/**
 * The workspace's enabled endpoints as one SQL expression (a JSON array of {id, events}), for a
 * service that reads them in the same statement as the rest of what a write needs instead of
 * in a query of their own; parse the result with `parseSubscribedEndpoints`.
 */
export function subscribedEndpointsSql(workspaceId: SQLWrapper | string): SQL<string> {
  return sql<string>`(select json_group_array(json_object('id', ${webhookEndpoints.id}, 'events', json(${webhookEndpoints.events})))
    from ${webhookEndpoints} where ${webhookEndpoints.workspaceId} = ${workspaceId} and ${webhookEndpoints.enabled} = 1)`;
}

export function parseSubscribedEndpoints(json: string | null | undefined): SubscribedEndpoint[] {
  return json ? (JSON.parse(json) as SubscribedEndpoint[]) : [];
}

/**
 * One row per (event, subscribed endpoint); the payload is what the receiver gets, byte for byte.
 * `endpoints`, when the caller has already read them (see `subscribedEndpointsSql`), saves the lookup.
 */
export async function webhookDeliveryRows(
  db: Db,
  workspaceId: string,
  events: OutboxEvent[],
  now: number,
  newId: IdGenerator,
  endpoints?: SubscribedEndpoint[],
): Promise<DeliveryRow[]> {
  if (events.length === 0) return [];
  endpoints ??= await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.enabled, true)));
  if (endpoints.length === 0) return [];
  const rows: DeliveryRow[] = [];
  for (const event of events) {
    const eventId = newId();
    const payload = JSON.stringify({
      id: eventId,
      type: event.type,
      createdAt: new Date(now).toISOString(),
      workspaceId,
      data: event.data,
    });
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
