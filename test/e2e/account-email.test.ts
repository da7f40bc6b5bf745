/**
 * Account mail in real Chromium: a new member sees the "confirm your address" banner, asks for the
 * mail again, invites a colleague by email and sends it again from Settings › Members, reads both
 * in the dev outbox, follows the confirmation link — and the banner is gone. axe at 1280 and
 * 390 px; screenshots in test-artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { mailTo } from '../support/outbox';
import { waitFor } from '../support/wait';

const DESKTOP = { width: 1280, height: 900 };
const EMAIL = 'newbie@account-mail.test';

describe.skipIf(!chromiumAvailable)('account mail in Chromium', { timeout: 120_000 }, () => {
  const b = useBrowserApp();
  const url = b.url;
  const newPage = (viewport: { width: number; height: number }) => b.newPage({ viewport });
  const expectAccessible = (page: Page) => b.expectAccessible(page, page.url());

  it('confirms the address through the banner and the dev outbox, and mails an invitation twice', async () => {
    const page = await newPage(DESKTOP);
    await b.signUp(page, { name: 'Nico Newbie', email: EMAIL, workspace: 'Newbie Goods' });
    await page.waitForURL(url('/app/funnels'));

    const banner = page.getByRole('region', { name: 'Confirm your email address' });
    await banner.getByText(`we sent a link to ${EMAIL}`).waitFor();
    await banner.getByRole('button', { name: 'Resend the email' }).click();
    await page
      .locator('.toast')
      .filter({ hasText: `Confirmation email sent again to ${EMAIL}` })
      .waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: `${b.artifacts}/verify-banner.png` });

    // Invite a colleague by email, then send it again.
    await page.goto(url('/app/settings/members'));
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await page.getByLabel('Their email (optional)').fill('colleague@account-mail.test');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await page.locator('.toast').filter({ hasText: 'Invitation emailed to colleague@account-mail.test' }).waitFor();
    await page.getByRole('button', { name: 'Resend the invitation to colleague@account-mail.test' }).click();
    await page.locator('.toast').filter({ hasText: 'Invitation sent again to colleague@account-mail.test' }).waitFor();
    await waitFor(
      () => mailTo(b.t.database, 'colleague@account-mail.test'),
      (m) => m.length === 2 && m.every((x) => x.status === 'sent'),
    );
    await expectAccessible(page);

    // Both kinds of mail are in the dev outbox; the phone-sized view too.
    await waitFor(
      () => mailTo(b.t.database, EMAIL),
      (m) => m.length === 2 && m.every((x) => x.status === 'sent'),
    );
    await page.setViewportSize(PHONE);
    await b.open(page, '/app/outbox', 'Dev outbox');
    await expect(page.getByRole('link', { name: 'Newbie Goods', exact: false }).count()).resolves.toBe(2);
    await expect(page.getByRole('link', { name: 'Confirm your email address for Leadflare' }).count()).resolves.toBe(2);
    await expectAccessible(page);
    await page.screenshot({ path: `${b.artifacts}/dev-outbox-390.png`, fullPage: true });

    await page.getByRole('link', { name: 'Confirm your email address for Leadflare' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Confirm your email address for Leadflare' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('region', { name: 'Links in this message' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor();
    await page.getByRole('link', { name: 'Open Leadflare' }).click();
    await page.waitForURL(url('/app/funnels'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
    await expect(banner.count()).resolves.toBe(0);
  });
});
