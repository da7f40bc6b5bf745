/**
 * Email verification at sign-up through the real app: the mail goes out (JSON and form sign-up),
 * its link marks the member verified, the app can ask for the state and for the mail again
 * (throttled), an expired link says so, and nothing else waits on it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import { VERIFICATION_RESENDS_PER_ACCOUNT } from '../../workers/services/account-email';
import { createTestAppWithBackground, errorOf, type TestAppWithBackground } from '../support/app';
import { linkIn, mailTo } from '../support/outbox';
import { waitFor } from '../support/wait';

const DAY = 24 * 60 * 60 * 1000;
let t: TestAppWithBackground;

afterEach(() => t?.close());

async function app() {
  t = await createTestAppWithBackground();
  return t;
}

const verificationMails = (email: string, count = 1) =>
  waitFor(
    () => mailTo(t.database, email),
    (m) => m.filter((x) => x.kind === 'email_verification' && x.status === 'sent').length === count,
  );

describe('email verification', () => {
  it('mails a link at sign-up that marks the member verified; nothing was blocked before', async () => {
    await app();
    const member = t.client();
    const { user } = await member.signup('new@verify.test', 'correct horse battery', 'Nia <New>');
    expect(await (await member.rpc.api.me.verification.$get()).json()).toEqual({ verified: false });
    // Unverified members use the app as usual.
    expect((await member.get('/api/funnels')).status).toBe(200);

    const [mail] = await verificationMails('new@verify.test');
    expect(mail).toMatchObject({ userId: user.id, workspaceId: null, subject: 'Confirm your email address for Leadflare' });
    expect(mail!.text).toContain('Hi Nia <New>,');
    expect(mail!.html).toContain('Hi Nia &lt;New&gt;,');
    const link = new URL(linkIn(mail!, '/verify-email/'));

    const page = await t.client().get(link.pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await page.text()).toContain('Email address confirmed');
    expect(await (await member.rpc.api.me.verification.$get()).json()).toEqual({ verified: true });
    const [row] = await t.database.db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
    expect(row!.at).toBe(t.clock.now());

    // Verified: asking again sends nothing.
    expect(await (await member.rpc.api.me.verification.$post()).json()).toEqual({ sent: false, verified: true });
    const again = await t.client().get(link.pathname);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link has already been used.');
  });

  it('mails the link after a sign-up through the form too', async () => {
    await app();
    const res = await t.client().request('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Form Filler', email: 'form@verify.test', password: 'correct horse battery' }).toString(),
    });
    expect(res.status).toBe(303);
    await verificationMails('form@verify.test');
  });

  it('sends the mail again on request, throttled, with each link working until it expires', async () => {
    await app();
    const member = t.client();
    await member.signup('again@verify.test');
    await verificationMails('again@verify.test');
    for (let i = 0; i < VERIFICATION_RESENDS_PER_ACCOUNT; i++) {
      expect(await (await member.rpc.api.me.verification.$post()).json()).toEqual({ sent: true, verified: false });
    }
    const limited = await member.rpc.api.me.verification.$post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).code).toBe('too_many_attempts');
    const mails = await verificationMails('again@verify.test', 1 + VERIFICATION_RESENDS_PER_ACCOUNT);

    // Seven days later the first link has expired; the newest still works a moment before its own expiry.
    t.clock.advance(7 * DAY);
    const expired = await t.client().get(new URL(linkIn(mails[0]!, '/verify-email/')).pathname);
    expect(expired.status).toBe(410);
    const html = await expired.text();
    expect(html).toContain('This link has expired.');
    expect(html).toContain('href="/login"');
    expect((await member.rpc.api.me.verification.$get()).status).toBe(200);
    expect(await (await member.rpc.api.me.verification.$get()).json()).toEqual({ verified: false });
  });

  it('needs a signed-in member for the state and the resend', async () => {
    await app();
    expect((await t.client().rpc.api.me.verification.$get()).status).toBe(401);
    expect((await t.client().rpc.api.me.verification.$post()).status).toBe(401);
  });
});
