/**
 * The mail Leadflare sends about leads, as plain text and HTML built from the same parts: to a
 * lead (the lead-magnet link, a block's follow-up) and to a member (the new-lead notification).
 * Pure: values in, `{subject, text, html}` out. Everything interpolated into HTML is escaped, so a
 * lead named `<script>` arrives as text; the HTML is one column with inline styles (mail clients
 * drop <style>), readable with images off. Mail to a lead always ends with its unsubscribe link
 * (the `List-Unsubscribe` headers are set by services/lead-mail.ts).
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Subjects are one line, whatever a marketer or a lead typed. */
const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

const LINK_COLOUR = '#4338ca';
const P_STYLE = 'margin:0 0 16px;font-size:16px;line-height:1.5;color:#1f2933';

/** http(s) addresses in plain text, up to the first space or closing bracket; a trailing full stop or comma stays text. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

/** One paragraph of plain text as HTML: escaped, line breaks kept, web addresses as links. */
function paragraphHtml(paragraph: string): string {
  let html = '';
  let last = 0;
  for (const match of paragraph.matchAll(URL_IN_TEXT)) {
    html += escapeHtml(paragraph.slice(last, match.index));
    const url = escapeHtml(match[0]);
    html += `<a href="${url}" style="color:${LINK_COLOUR}">${url}</a>`;
    last = match.index + match[0].length;
  }
  html += escapeHtml(paragraph.slice(last));
  return `<p style="${P_STYLE}">${html.replace(/\r?\n/g, '<br>')}</p>`;
}

/** Plain text split into paragraphs at blank lines. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

interface MailParts {
  subject: string;
  /** Shown by inbox previews before the body. */
  preview?: string;
  heading?: string;
  /** Paragraphs of plain text before the button. */
  intro: string[];
  action?: { label: string; url: string };
  /** Paragraphs after the button. */
  outro?: string[];
  /** Small print: who sent it and why. */
  footer: string[];
  /** The way out, last in the small print: `{url}` of the unsubscribe page (leads) or of the setting (members). */
  optOut: { text: string; label: string; url: string };
}

function render(parts: MailParts): RenderedMail {
  const subject = oneLine(parts.subject);
  const outro = parts.outro ?? [];
  const text = [
    ...(parts.heading ? [parts.heading, ''] : []),
    ...parts.intro.flatMap((p) => [p, '']),
    ...(parts.action ? [`${parts.action.label}: ${parts.action.url}`, ''] : []),
    ...outro.flatMap((p) => [p, '']),
    '--',
    ...parts.footer,
    `${parts.optOut.text} ${parts.optOut.label}: ${parts.optOut.url}`,
  ].join('\n');
  const action = parts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:${LINK_COLOUR};color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(parts.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#52606d">Or paste this address into your browser: <a href="${escapeHtml(parts.action.url)}" style="color:${LINK_COLOUR};word-break:break-all">${escapeHtml(parts.action.url)}</a></p>`
    : '';
  const small = 'margin:0 0 8px;font-size:12px;line-height:1.5;color:#616e7c';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
${parts.preview ? `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(parts.preview)}</div>` : ''}
<div style="max-width:560px;margin:0 auto;padding:32px 24px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;background:#ffffff">
${parts.heading ? `<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3;color:#111827">${escapeHtml(parts.heading)}</h1>` : ''}
${parts.intro.map(paragraphHtml).join('\n')}
${action}
${outro.map(paragraphHtml).join('\n')}
<hr style="border:0;border-top:1px solid #e4e7eb;margin:24px 0">
${parts.footer.map((line) => `<p style="${small}">${escapeHtml(line)}</p>`).join('\n')}
<p style="${small}">${escapeHtml(parts.optOut.text)} <a href="${escapeHtml(parts.optOut.url)}" style="color:#616e7c">${escapeHtml(parts.optOut.label)}</a></p>
</div>
</body></html>`;
  return { subject, text, html };
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
  return render({
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
  return render({
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
  return render({
    subject: `New lead${input.funnel ? ` from ${input.funnel}` : ''}: ${input.lead.name ?? input.lead.email}`,
    preview: `${who} arrived${where}.`,
    heading: 'A new lead arrived',
    intro: [`${who} just became a lead in ${input.workspace}${where}.`, ...(input.source ? [`Source: ${input.source}`] : [])],
    action: { label: 'Open the lead', url: input.leadUrl },
    footer: [`Leadflare sends you this because you asked to be emailed about new leads in ${input.workspace}.`],
    optOut: { text: 'Too many?', label: 'Change your notifications', url: input.settingsUrl },
  });
}
