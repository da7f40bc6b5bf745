/**
 * Every mail Leadflare sends, as plain text and HTML from the same parts. Templates take plain
 * values; everything interpolated into HTML goes through `escapeHtml`, so a name like
 * `<script>` arrives as text. The HTML is a single table-free column with inline styles (mail
 * clients drop <style> and external CSS), readable with images off.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface EmailParts {
  subject: string;
  /** Shown by inbox previews before the body. */
  preview?: string;
  heading?: string;
  /** Paragraphs of plain text before the button (line breaks kept, web addresses become links). */
  intro: string[];
  action?: { label: string; url: string };
  /** Paragraphs after the button (expiry, "ignore this if…"). */
  outro?: string[];
  /** Small print at the bottom: who sent it and why. */
  footer?: string[];
  /** The way out, last in the small print: the unsubscribe page (leads) or the setting (members). */
  optOut?: { text: string; label: string; url: string };
}

const LINK_COLOUR = '#4338ca';
const P_STYLE = 'margin:0 0 16px;font-size:16px;line-height:1.5;color:#1f2933';
const SMALL_STYLE = 'margin:0 0 8px;font-size:12px;line-height:1.5;color:#616e7c';

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

/** Subjects are one line, whatever a marketer or a lead typed. */
const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

/** Builds both bodies of one mail from its parts: account mail, mail to leads and to members. */
export function renderEmail(parts: EmailParts): RenderedEmail {
  const subject = oneLine(parts.subject);
  const outro = parts.outro ?? [];
  const footer = parts.footer ?? [];
  const optOut = parts.optOut ? [`${parts.optOut.text} ${parts.optOut.label}: ${parts.optOut.url}`] : [];
  const text = [
    ...(parts.heading ? [parts.heading, ''] : []),
    ...parts.intro.flatMap((p) => [p, '']),
    ...(parts.action ? [`${parts.action.label}: ${parts.action.url}`, ''] : []),
    ...outro.flatMap((p) => [p, '']),
    ...(footer.length || optOut.length ? ['--', ...footer, ...optOut] : []),
  ]
    .join('\n')
    .trimEnd();
  const action = parts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:${LINK_COLOUR};color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(parts.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#52606d">Or paste this link into your browser: <a href="${escapeHtml(parts.action.url)}" style="color:${LINK_COLOUR};word-break:break-all">${escapeHtml(parts.action.url)}</a></p>`
    : '';
  const small = [
    ...footer.map((line) => `<p style="${SMALL_STYLE}">${escapeHtml(line)}</p>`),
    ...(parts.optOut
      ? [
          `<p style="${SMALL_STYLE}">${escapeHtml(parts.optOut.text)} <a href="${escapeHtml(parts.optOut.url)}" style="color:#616e7c">${escapeHtml(parts.optOut.label)}</a></p>`,
        ]
      : []),
  ];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
${parts.preview ? `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(parts.preview)}</div>` : ''}
<div style="max-width:560px;margin:0 auto;padding:32px 24px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;background:#ffffff">
${parts.heading ? `<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3;color:#111827">${escapeHtml(parts.heading)}</h1>` : ''}
${parts.intro.map(paragraphHtml).join('\n')}
${action}
${outro.map(paragraphHtml).join('\n')}
${small.length ? `<hr style="border:0;border-top:1px solid #e4e7eb;margin:24px 0">\n${small.join('\n')}` : ''}
</div>
</body></html>`;
  return { subject, text, html };
}

// ── Account mail ─────────────────────────────────────────────────────────────

const SIGNATURE = 'Leadflare — landing pages and a sales pipeline in one place.';

export function passwordResetEmail(input: { name: string; url: string; validMinutes: number }): RenderedEmail {
  return renderEmail({
    subject: 'Reset your Leadflare password',
    preview: `This link works once, for ${input.validMinutes} minutes.`,
    heading: 'Reset your password',
    intro: [`Hi ${input.name},`, 'Someone (hopefully you) asked to reset the password of your Leadflare account. Choose a new one here:'],
    action: { label: 'Choose a new password', url: input.url },
    outro: [
      `The link works once, for ${input.validMinutes} minutes. Resetting signs you out everywhere else.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
    footer: [SIGNATURE],
  });
}

export function verificationEmail(input: { name: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: 'Confirm your email address for Leadflare',
    preview: 'One click to confirm this address.',
    heading: 'Confirm your email address',
    intro: [
      `Hi ${input.name},`,
      'Welcome to Leadflare. Please confirm that this is your email address, so we can reach you about your account:',
    ],
    action: { label: 'Confirm my address', url: input.url },
    outro: ['If you did not sign up for Leadflare, ignore this mail.'],
    footer: [SIGNATURE],
  });
}

export function invitationEmail(input: {
  inviter: string;
  workspace: string;
  role: string;
  url: string;
  expiresOn: string;
}): RenderedEmail {
  return renderEmail({
    subject: `${input.inviter} invited you to ${input.workspace} on Leadflare`,
    preview: `Join ${input.workspace} as ${input.role}.`,
    heading: `Join ${input.workspace} on Leadflare`,
    intro: [`${input.inviter} invited you to the workspace “${input.workspace}” as ${input.role}.`],
    action: { label: 'Accept the invitation', url: input.url },
    outro: [`The invitation is valid until ${input.expiresOn}. If you were not expecting it, ignore this mail.`],
    footer: [SIGNATURE],
  });
}

export function twoFactorResetEmail(input: {
  name: string;
  resetBy: string;
  workspace: string;
  /** When, already formatted (with its time zone). */
  at: string;
  /** Whether the workspace requires two-factor authentication, so sign-in will lead to setting it up again. */
  required: boolean;
  signInUrl: string;
}): RenderedEmail {
  return renderEmail({
    subject: 'Your two-factor authentication was reset',
    preview: `${input.resetBy} reset it in ${input.workspace}.`,
    heading: 'Your two-factor authentication was reset',
    intro: [
      `Hi ${input.name},`,
      `${input.resetBy}, an owner of the workspace “${input.workspace}”, reset the two-factor authentication of your Leadflare account on ${input.at}. Your authenticator app and your recovery codes no longer work, and you were signed out everywhere.`,
      input.required
        ? `${input.workspace} requires two-factor authentication: sign in with your password and you will be asked to set it up again, with a new QR code and new recovery codes.`
        : 'Sign in with your password alone. We recommend setting two-factor authentication up again in Settings › Security.',
    ],
    action: { label: 'Sign in', url: input.signInUrl },
    outro: [`If you did not ask for this, tell ${input.resetBy} or another owner of ${input.workspace} at once, and change your password.`],
    footer: [SIGNATURE],
  });
}
