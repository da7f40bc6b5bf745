/**
 * Password reset through the real app and its pages: the same answer for known and unknown
 * addresses, a single-use link valid 30 minutes (test clock), only the token's hash stored, every
 * session signed out and a fresh one started, the throttle, and nothing sent inside the request.
 */
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { accountTokens, emailOutbox } from '../../db/schema';
import { RESET_REQUESTS_PER_ACCOUNT } from '../../workers/services/account-email';
import { createTestAppWithBackground, type TestAppWithBackground, type TestClient } from '../support/app';
import { startMailCatcher } from '../support/mail-catcher';
import { linkIn, mailTo } from '../support/outbox';
import { waitFor } from '../support/wait';

const MINUTE = 60_000;
let t: TestAppWithBackground;

afterEach(() => t?.close());

async function app(overrides: Parameters<typeof createTestAppWithBackground>[0] = {}) {
  t = await createTestAppWithBackground(overrides);
  return t;
}

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

async function forgot(client: TestClient, email: string) {
  return client.request('/forgot-password', form({ email }));
}

async function resetLink(email: string): Promise<string> {
  const mails = await waitFor(
    () => mailTo(t.database, email),
    (m) => m.some((x) => x.kind === 'password_reset' && x.status === 'sent'),
  );
  return linkIn(mails.filter((m) => m.kind === 'password_reset').at(-1)!, '/reset-password/');
}

/** The page text without the markup, for comparing answers. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('asking for a reset', () => {
  it('answers the same for an address with and without an account, and mails only the real one', async () => {
    await app();
    await t.client().signup('known@reset.test', 'old password 123', 'Kim Known');
    const known = await forgot(t.client(), 'known@reset.test');
    const unknown = await forgot(t.client(), 'nobody@reset.test');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const [a, b] = [textOf(await known.text()), textOf(await unknown.text())];
    expect(a.replace('known@reset.test', 'X')).toBe(b.replace('nobody@reset.test', 'X'));
    expect(a).toContain('If known@reset.test belongs to a Leadflare account, a link to choose a new password is on its way');
    expect(known.headers.get('content-security-policy')).toContain("script-src 'none'");

    await Promise.all(t.background);
    const mails = await mailTo(t.database, 'known@reset.test');
    const reset = mails.filter((m) => m.kind === 'password_reset');
    expect(reset).toHaveLength(1);
    expect(reset[0]).toMatchObject({ status: 'sent', subject: 'Reset your Leadflare password', workspaceId: null });
    expect(reset[0]!.text).toContain('Hi Kim Known,');
    expect(reset[0]!.text).toContain('for 30 minutes');
    expect(reset[0]!.html).toContain('Choose a new password');
    expect(await mailTo(t.database, 'nobody@reset.test')).toEqual([]);

    // Only the hash of the token is stored.
    const token = new URL(linkIn(reset[0]!, '/reset-password/')).pathname.split('/').pop()!;
    // (Sign-up's verification link is an account token too.)
    const stored = await t.database.db.select().from(accountTokens).where(eq(accountTokens.purpose, 'password_reset'));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);
    expect(stored[0]!.expiresAt - stored[0]!.createdAt).toBe(30 * MINUTE);
  });

  it('refuses a malformed address with a field error (which says nothing about accounts)', async () => {
    await app();
    const res = await forgot(t.client(), 'not-an-email');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Enter a valid email address.');
  });

  it('is throttled per address (known or not) with Retry-After, and per IP', async () => {
    await app({ authLimits: { windowMs: 10 * MINUTE } });
    await t.client().signup('flood@reset.test');
    for (const email of ['flood@reset.test', 'ghost@reset.test']) {
      for (let i = 0; i < RESET_REQUESTS_PER_ACCOUNT; i++) expect((await forgot(t.client(), email)).status).toBe(200);
      const limited = await forgot(t.client(), email);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.text()).toContain('Too many reset requests');
    }
    await Promise.all(t.background);
    expect((await mailTo(t.database, 'flood@reset.test')).filter((m) => m.kind === 'password_reset')).toHaveLength(
      RESET_REQUESTS_PER_ACCOUNT,
    );

    // The window passes: allowed again.
    t.clock.advance(10 * MINUTE);
    expect((await forgot(t.client(), 'flood@reset.test')).status).toBe(200);

    // Many addresses from one IP: the IP's limit (20) stops them.
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await forgot(t.client(), `spray${i}@reset.test`)).status);
    expect(statuses.slice(0, 19).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers before the mail is sent: the provider is reached only after the response', async () => {
    const catcher = await startMailCatcher();
    try {
      await app({ mailer: catcher.mailer() });
      await t.client().signup('slow@reset.test');
      const release = catcher.hold();
      const res = await forgot(t.client(), 'slow@reset.test');
      expect(res.status).toBe(200);
      // Answered while the provider holds the send: the request did not wait for it.
      const [row] = await t.database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, 'password_reset'));
      expect(row).toMatchObject({ kind: 'password_reset', status: 'queued' });
      release();
      await Promise.all(t.background);
      // Sign-up's verification mail, and the reset once released.
      expect(catcher.received.map((r) => r.body.subject).sort()).toEqual([
        'Confirm your email address for Leadflare',
        'Reset your Leadflare password',
      ]);
    } finally {
      await catcher.close();
    }
  });
});

describe('using the link', () => {
  it('sets the new password, signs out every session, signs in fresh, and works only once', async () => {
    await app();
    const laptop = t.client();
    await laptop.signup('reset@reset.test', 'old password 123');
    const phone = t.client();
    await phone.post('/api/auth/login', { email: 'reset@reset.test', password: 'old password 123' });
    expect((await phone.get('/api/me')).status).toBe(200);

    const browser = t.client();
    await forgot(browser, 'reset@reset.test');
    const link = new URL(await resetLink('reset@reset.test'));
    const page = await browser.get(link.pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('Choose a new password');

    // Same rules as sign-up, and the two must match.
    const short = await browser.request(link.pathname, form({ password: 'short', confirm: 'short' }));
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Use at least 10 characters.');
    const differ = await browser.request(link.pathname, form({ password: 'new password 456', confirm: 'new password 457' }));
    expect(differ.status).toBe(400);
    expect(await differ.text()).toContain('The two passwords differ.');

    const done = await browser.request(link.pathname, form({ password: 'new password 456', confirm: 'new password 456' }));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/app?password-reset=1');
    expect((await browser.get('/api/me')).status).toBe(200);
    // Every earlier session is gone.
    expect((await laptop.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(401);
    // The old password no longer works, the new one does.
    expect((await t.client().post('/api/auth/login', { email: 'reset@reset.test', password: 'old password 123' })).status).toBe(401);
    expect((await t.client().post('/api/auth/login', { email: 'reset@reset.test', password: 'new password 456' })).status).toBe(200);

    // Single use: the link now says so, with a way to ask again.
    for (const res of [
      await t.client().get(link.pathname),
      await t.client().request(link.pathname, form({ password: 'third password 789', confirm: 'third password 789' })),
    ]) {
      expect(res.status).toBe(410);
      const html = await res.text();
      expect(html).toContain('This link has already been used.');
      expect(html).toContain('href="/forgot-password"');
    }
    expect((await t.client().post('/api/auth/login', { email: 'reset@reset.test', password: 'new password 456' })).status).toBe(200);
  });

  it('expires after 30 minutes (test clock), and a used link ends the other open ones', async () => {
    await app();
    await t.client().signup('late@reset.test', 'old password 123');
    await forgot(t.client(), 'late@reset.test');
    const first = new URL(await resetLink('late@reset.test')).pathname;
    t.clock.advance(29 * MINUTE);
    expect((await t.client().get(first)).status).toBe(200);
    t.clock.advance(MINUTE);
    const expired = await t.client().request(first, form({ password: 'new password 456', confirm: 'new password 456' }));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired. Ask for a new one.');
    expect((await t.client().post('/api/auth/login', { email: 'late@reset.test', password: 'old password 123' })).status).toBe(200);

    await forgot(t.client(), 'late@reset.test');
    await waitFor(
      () => mailTo(t.database, 'late@reset.test'),
      (m) => m.filter((x) => x.kind === 'password_reset' && x.status === 'sent').length === 2,
    );
    await forgot(t.client(), 'late@reset.test');
    await waitFor(
      () => mailTo(t.database, 'late@reset.test'),
      (m) => m.filter((x) => x.kind === 'password_reset' && x.status === 'sent').length === 3,
    );
    const [, second, third] = (await mailTo(t.database, 'late@reset.test')).filter((m) => m.kind === 'password_reset');
    const used = await t
      .client()
      .request(new URL(linkIn(third!, '/reset-password/')).pathname, form({ password: 'new password 456', confirm: 'new password 456' }));
    expect(used.status).toBe(303);
    expect((await t.client().get(new URL(linkIn(second!, '/reset-password/')).pathname)).status).toBe(410);
  });

  it('says a made-up link is not valid', async () => {
    await app();
    const res = await t.client().get('/reset-password/not-a-real-token-at-all');
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This link is not valid.');
  });
});
