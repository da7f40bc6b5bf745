/** Shapes of the privacy endpoints: a lead's data export, an erasure, the workspace archive. */

/** Everything Leadflare holds about one lead, as rows of its tables (times are epoch ms). */
export interface LeadExport {
  format: 'leadflare.lead-export';
  version: 1;
  exportedAt: number;
  workspace: { id: string; name: string };
  lead: Record<string, unknown>;
  visitors: Array<Record<string, unknown>>;
  submissions: Array<Record<string, unknown>>;
  consents: Array<Record<string, unknown>>;
  /** Every event of the lead's visitors (its journey), oldest first. */
  events: Array<Record<string, unknown>>;
  /** Progress per funnel of each of the lead's visitors. */
  funnelStages: Array<Record<string, unknown>>;
  /** Deals made from the lead, each with its notes, activities and stage history. */
  deals: Array<Record<string, unknown> & { activities: Array<Record<string, unknown>>; stageHistory: Array<Record<string, unknown>> }>;
  /** Webhook deliveries whose payload mentions the lead or one of its deals. */
  webhookDeliveries: Array<Record<string, unknown>>;
  /** Mail sent (or queued) to the lead: lead magnets, follow-ups. */
  emails: Array<Record<string, unknown>>;
  erasures: LeadErasure[];
}

/** The record of an erasure: who and when, and how many rows of each table changed — no personal data. */
export interface LeadErasure {
  id: string;
  leadId: string;
  erasedBy: string | null;
  erasedAt: number;
  counts: Record<string, number>;
}
