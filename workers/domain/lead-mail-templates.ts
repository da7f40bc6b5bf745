/**
 * The mail Leadflare sends about leads, as plain text and HTML built from the same parts: to a
 * lead (the lead-magnet link, a block's follow-up) and to a member (the new-lead notification).
 * Pure: values in, `{subject, text, html}` out. Everything interpolated into HTML is escaped, so a
 * lead named `<script>` arrives as text; the HTML is one column with inline styles (mail clients
 * drop <style>), readable with images off. Mail to a lead always ends with its unsubscribe link
 * (the `List-Unsubscribe` headers are set by services/lead-mail.ts).
 */

import { renderEmail, type RenderedEmail } from './email-templates';

export type RenderedMail = RenderedEmail;

/** Plain text split into paragraphs at blank lines. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "4 December 2026" (UTC): the day a link stops working, said plainly. */
export function formatDay(ms: number): string {
  return dayFormat.format(ms);
}

// ── To leads ─────────────────────────────────────────────────────────────────

const leadOptOut = (workspace: string, url: string) => ({
  text: `Don’t want emails from ${workspace}?`,
  label: 'Unsubscribe',
  url,
});

export interface LeadMagnetMailInput {
  /** Who sends it, as the lead knows them: the workspace's name. */
  workspace: string;
  funnel: string;
  /** The block's title and what the lead gets, e.g. "The 5-minute skincare routine (PDF, 4 pages)". */
  title: string;
  assetName: string;
  downloadUrl: string;
  /** When the link stops working, epoch ms. */
  expiresAt: number;
  validDays: number;
  /** The page with the form, where a fresh link can be asked for. */
  pageUrl: string;
  unsubscribeUrl: string;
}

export function leadMagnetMail(input: LeadMagnetMailInput): RenderedMail {
  return renderEmail({
    subject: `Your download: ${input.assetName}`,
    preview: `Your link to ${input.assetName} works for ${input.validDays} days.`,
    heading: input.title,
    intro: [`Thank you for asking for ${input.assetName}. Here is your personal download link:`],
    action: { label: `Download ${input.assetName}`, url: input.downloadUrl },
    outro: [
      `The link works for ${input.validDays} days, until ${formatDay(input.expiresAt)}, and only for you: please do not forward it.`,
      `If it has expired, ask for the download again on ${input.pageUrl} and you will get a fresh link.`,
    ],
    footer: [`You get this email from ${input.workspace} because you asked for it on “${input.funnel}”.`],
    optOut: leadOptOut(input.workspace, input.unsubscribeUrl),
  });
}

export interface FollowUpMailInput {
  workspace: string;
  funnel: string;
  /** The marketer's own subject and plain-text body (the block's `followUpEmail`). */
  subject: string;
  body: string;
  unsubscribeUrl: string;
}

export function followUpMail(input: FollowUpMailInput): RenderedMail {
  const paragraphs = paragraphsOf(input.body);
  return renderEmail({
    subject: input.subject,
    preview: paragraphs[0]?.slice(0, 140),
    intro: paragraphs,
    footer: [`You get this email from ${input.workspace} because you left your email address on “${input.funnel}”.`],
    optOut: leadOptOut(input.workspace, input.unsubscribeUrl),
  });
}

// ── To members ───────────────────────────────────────────────────────────────

export interface NewLeadNotificationInput {
  workspace: string;
  lead: { name: string | null; email: string };
  /** Where the lead came from: the funnel, or how (a store's server event). */
  funnel: string | null;
  source: string;
  leadUrl: string;
  settingsUrl: string;
}

export function newLeadNotificationMail(input: NewLeadNotificationInput): RenderedMail {
  const who = input.lead.name ? `${input.lead.name} (${input.lead.email})` : input.lead.email;
  const where = input.funnel ? ` through “${input.funnel}”` : '';
  return renderEmail({
    subject: `New lead${input.funnel ? ` from ${input.funnel}` : ''}: ${input.lead.name ?? input.lead.email}`,
    preview: `${who} arrived${where}.`,
    heading: 'A new lead arrived',
    intro: [`${who} just became a lead in ${input.workspace}${where}.`, ...(input.source ? [`Source: ${input.source}`] : [])],
    action: { label: 'Open the lead', url: input.leadUrl },
    footer: [`Leadflare sends you this because you asked to be emailed about new leads in ${input.workspace}.`],
    optOut: { text: 'Too many?', label: 'Change your notifications', url: input.settingsUrl },
  });
}
