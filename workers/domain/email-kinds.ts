/**
 * What the outbox sends, by kind. Account mail goes to a member (no workspace or the inviting
 * workspace); lead mail goes to a lead of one workspace and always carries an unsubscribe link and
 * `List-Unsubscribe` headers. Add a kind here when a new mail is built; the dev outbox and the
 * retention of the outbox read it.
 */
export const EMAIL_KINDS = [
  'password_reset',
  'email_verification',
  'invitation',
  'two_factor_reset',
  'lead_magnet',
  'lead_follow_up',
  'new_lead_notification',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** `queued`: waiting for (another) attempt; `sent`: the provider (or the dev outbox) took it; `failed`: given up. */
export const EMAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];
