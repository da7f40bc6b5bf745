/**
 * Password reset in real Chromium over real HTTP, read through the dev outbox in the app: a member
 * still signed in on their laptop forgot the password on their phone; the phone asks for a reset,
 * the laptop finds the mail at /app/outbox and hands over the link, the phone sets a new password
 * and is signed in — and the laptop is signed out. axe at 1280 and 390 px on the outbox, the
 * message and the reset pages; screenshots in test-artifacts/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';

const DESKTOP = { width: 1280, height: 900 };
const EMAIL = 'forgetful@reset.test';
const OLD_PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';

describe.skipIf(!chromiumAvailable)('password reset in Chromium', { timeout: 120_000 }, () => {
  // Expected answers: a form with a mistake (400), a signed-out device's first request (401), a used link (410).
  const b = useBrowserApp({ expectedStatuses: [400, 401, 410] });
  const url = b.url;
  const newPage = (viewport: { width: number; height: number }) => b.newPage({ viewport });
  const expectAccessible = (page: Page) => b.expectAccessible(page, page.url());

  beforeAll(async () => {
    const client = b.t.client();
    await client.signup(EMAIL, OLD_PASSWORD, 'Fran <Forgetful>', { workspaceName: 'Forgetful & Co' });
    await client.post('/api/auth/logout');
  });

  it('resets a forgotten password through the dev outbox and signs out the other device', async () => {
    const laptop = await newPage(DESKTOP);
    await laptop.goto(url('/login'));
    await laptop.getByLabel('Email').fill(EMAIL);
    await laptop.getByLabel('Password').fill(OLD_PASSWORD);
    await laptop.getByRole('button', { name: 'Sign in' }).click();
    await laptop.waitForURL(url('/app/funnels'));

    // The phone: Forgot password? → the address → the same answer any address gets.
    const phone = await newPage(PHONE);
    await phone.goto(url('/login'));
    await phone.getByRole('link', { name: 'Forgot password?' }).click();
    await phone.waitForURL(url('/forgot-password'));
    await expectAccessible(phone);
    await phone.getByLabel('Email').fill(EMAIL);
    await phone.getByRole('button', { name: 'Send the reset link' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    await phone.getByText(`If ${EMAIL} belongs to a Leadflare account`).waitFor();
    await expectAccessible(phone);
    await phone.screenshot({ path: `${b.artifacts}/password-reset-sent-390.png`, fullPage: true });

    // The laptop reads the mail in the dev outbox.
    await laptop.goto(url('/app/outbox'));
    await laptop.getByRole('heading', { level: 1, name: 'Dev outbox' }).waitFor();
    const subject = laptop.getByRole('link', { name: 'Reset your Leadflare password' });
    // Sent after the response: it may take a moment to show as sent. (Sign-up's verification mail is listed too.)
    const sent = laptop.getByRole('row').filter({ has: subject }).getByText('Sent', { exact: true });
    for (let i = 0; i < 50 && !(await sent.count()); i++) {
      await laptop.getByRole('button', { name: 'Refresh' }).click();
      await laptop.waitForFunction(() => !document.querySelector('.skeleton'));
    }
    await sent.waitFor();
    await expectAccessible(laptop);
    await laptop.screenshot({ path: `${b.artifacts}/dev-outbox.png`, fullPage: true });
    await subject.click();
    await laptop.waitForURL(/\/app\/outbox\/[^/]+$/);
    await laptop.getByRole('heading', { level: 1, name: 'Reset your Leadflare password' }).waitFor();
    // The HTML version renders in its sandboxed frame, the name escaped.
    const frame = laptop.frameLocator('iframe.outbox-html');
    await frame.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await frame.getByText('Hi Fran <Forgetful>,').waitFor();
    await expect(laptop.locator('iframe.outbox-html').getAttribute('sandbox')).resolves.toBe('');
    await laptop.getByText('Hi Fran <Forgetful>,').first().waitFor();
    await expectAccessible(laptop);
    await laptop.screenshot({ path: `${b.artifacts}/dev-outbox-message.png`, fullPage: true });
    const link = await laptop.getByRole('region', { name: 'Links in this message' }).getByRole('link').first().getAttribute('href');
    expect(link).toMatch(/\/reset-password\/[A-Za-z0-9_-]{20,}$/);

    // The phone follows the link and chooses a new password.
    await phone.goto(link!);
    await phone.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await expectAccessible(phone);
    await phone.getByLabel('New password (10+ characters)').fill(NEW_PASSWORD);
    await phone.getByLabel('The new password again').fill(`${NEW_PASSWORD}!`);
    await phone.getByRole('button', { name: 'Save the new password' }).click();
    await phone.getByText('The two passwords differ.').waitFor();
    await phone.getByLabel('New password (10+ characters)').fill(NEW_PASSWORD);
    await phone.getByLabel('The new password again').fill(NEW_PASSWORD);
    await phone.getByRole('button', { name: 'Save the new password' }).click();
    await phone.waitForURL(/\/app(\/|\?|$)/);
    await phone.getByRole('heading', { level: 1 }).waitFor();
    expect(new URL(phone.url()).pathname.startsWith('/app')).toBe(true);

    // The laptop was signed out by the reset.
    await laptop.goto(url('/app/leads'));
    await laptop.waitForURL(/\/login\?next=/);

    // The link worked once.
    await phone.goto(link!);
    await phone.getByRole('heading', { level: 1, name: 'This reset link cannot be used' }).waitFor();
    await phone.getByText('This link has already been used.').waitFor();
    await expectAccessible(phone);
    await phone.getByRole('link', { name: 'Ask for a new link' }).click();
    await phone.waitForURL(url('/forgot-password'));
  });
});
