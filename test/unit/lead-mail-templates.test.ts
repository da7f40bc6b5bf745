import { describe, expect, it } from 'vitest';
import { followUpMail, leadMagnetMail, newLeadNotificationMail, paragraphsOf } from '../../workers/domain/lead-mail-templates';

const UNSUBSCRIBE = 'https://app.example.com/u/abc.def';

describe('lead mail templates', () => {
  it('escape whatever a marketer or a lead typed, in the HTML and the subject line', () => {
    const mail = followUpMail({
      workspace: 'Shop <img src=x onerror=alert(1)>',
      funnel: '"Spring" & co',
      subject: 'Tips\r\nBcc: victim@example.com',
      body: 'Hi <script>alert(1)</script>,\n\nSee https://shop.example.com/tips?a=1&b=2. Or javascript:alert(1)',
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(mail.subject).toBe('Tips Bcc: victim@example.com');
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
    // Web addresses become links, without the sentence's full stop; other schemes stay text.
    expect(mail.html).toContain(
      '<a href="https://shop.example.com/tips?a=1&amp;b=2" style="color:#4338ca">https://shop.example.com/tips?a=1&amp;b=2</a>.',
    );
    expect(mail.html).not.toContain('href="javascript');
    expect(mail.text).toContain('See https://shop.example.com/tips?a=1&b=2.');
    expect(mail.text.endsWith(`Don’t want emails from Shop <img src=x onerror=alert(1)>? Unsubscribe: ${UNSUBSCRIBE}`)).toBe(true);
    expect(mail.html).toContain(`<a href="${UNSUBSCRIBE}"`);
  });

  it('say how long a download link works and what to do once it expired', () => {
    const mail = leadMagnetMail({
      workspace: 'Ledgerline',
      funnel: 'Bookkeeping guide',
      title: 'The bookkeeping checklist',
      assetName: 'The checklist (PDF)',
      downloadUrl: 'https://app.example.com/d/t.k',
      expiresAt: Date.UTC(2026, 11, 4, 12),
      validDays: 7,
      pageUrl: 'https://app.example.com/p/guide/download',
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(mail.text).toContain('Download The checklist (PDF): https://app.example.com/d/t.k');
    expect(mail.text).toContain('The link works for 7 days, until 4 December 2026');
    expect(mail.text).toContain('If it has expired, ask for the download again on https://app.example.com/p/guide/download');
  });

  it('tell a member who arrived without more than the lead list shows', () => {
    const mail = newLeadNotificationMail({
      workspace: 'Demo Shop',
      lead: { name: '<b>Ava</b>', email: 'ava@example.com' },
      funnel: 'Cosmetics set',
      source: 'newsletter',
      leadUrl: 'https://app.example.com/app/leads/01J',
      settingsUrl: 'https://app.example.com/app/settings/notifications',
    });
    expect(mail.subject).toBe('New lead from Cosmetics set: <b>Ava</b>');
    expect(mail.html).toContain('&lt;b&gt;Ava&lt;/b&gt; (ava@example.com)');
    expect(mail.text).toContain('Source: newsletter');
  });

  it('split plain text into paragraphs at blank lines', () => {
    expect(paragraphsOf('One\r\nline two\r\n\r\n\n  Two  \n\n')).toEqual(['One\nline two', 'Two']);
  });
});
