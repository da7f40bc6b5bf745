/** The audit log as `GET /api/audit` sends it and Settings › Audit log shows it. */

export type AuditActorKind = 'member' | 'api_key' | 'system';

export interface AuditActor {
  kind: AuditActorKind;
  /** The member who acted (or, for `system`, the account the event was about). */
  userId: string | null;
  /** Their name now; null once they have no account. */
  name: string | null;
  apiKeyId: string | null;
  /** The key's name and prefix, e.g. "Shopify (lf_key_ab12cd)". */
  apiKeyName: string | null;
}

export interface AuditEntry {
  id: string;
  createdAt: number;
  /** `<object>.<verb>`, e.g. `funnel.update`, `deal.move`, `member.invite`, `auth.sign_in`. */
  action: string;
  objectType: string | null;
  objectId: string | null;
  /** Changed field names or a short non-personal note; never the values. */
  summary: string | null;
  actor: AuditActor;
  /** Keyed hash of the IP address (the same key as the sign-in throttle), never the address. */
  ipHash: string | null;
  /** Browser family and system, e.g. "Chrome on Linux". */
  device: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}
