/**
 * An owner resets a member's two-factor authentication from Settings › Members, in real Chromium
 * over real HTTP: the 2FA column, the dialog that explains what happens, a wrong code refused at
 * the field, the right one resetting it (toast, the row says Off, the action is gone). At 390 px
 * the same dialog, used with the keyboard alone. axe at both sizes; screenshots in test-artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCode } from '../../workers/domain/totp';
import { testClock, type TestClient, type TestClock } from '../support/app';
import { DESKTOP, PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';

const PASSWORD = 'correct horse battery';
const OWNER = 'olga@reset-e2e.test';

describe.skipIf(!chromiumAvailable)('resetting a member’s two-factor authentication in Chromium', { timeout: 180_000 }, () => {
  // The app's clock is the test's: each code is computed for a step the test moves to, never waited for.
  const clock: TestClock = testClock(Date.now());
  // The wrong code (400) is provoked on purpose.
  const b = useBrowserApp({ app: { clock: clock.now }, expectedStatuses: [400] });
  const nextStep = () => clock.advance(30_000);

  async function enrol(client: TestClient) {
    const { secret } = await (await client.rpc.api.me['two-factor'].setup.$post()).json();
    const res = await client.rpc.api.me['two-factor'].confirm.$post({ json: { code: await totpCode(secret, clock.now()) } });
    expect(res.status).toBe(200);
    nextStep();
    return secret;
  }

  async function invitedMember(owner: TestClient, email: string, name: string) {
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'editor' })).json()) as { token: string };
    const client = b.t.client();
    await client.signup(email, PASSWORD, name, { inviteToken: token });
    await enrol(client);
  }

  const row = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(name) });

  it('resets a member’s 2FA from the Members page at 1280 px, and the dialog works by keyboard at 390 px', async () => {
    const owner = b.t.client();
    await owner.signup(OWNER, PASSWORD, 'Olga Owner', { workspaceName: 'Reset Co' });
    await invitedMember(owner, 'mia@reset-e2e.test', 'Mia Member');
    await invitedMember(owner, 'pat@reset-e2e.test', 'Pat Phone');
    // Both browsers sign in with the password before the owner's own 2FA is on.
    const desktop = await b.newPage({ viewport: DESKTOP });
    await b.signIn(desktop, OWNER, PASSWORD);
    const phone = await b.newPage({ viewport: PHONE });
    await b.signIn(phone, OWNER, PASSWORD);
    const secret = await enrol(owner);

    await b.open(desktop, '/app/settings/members', 'Members');
    const mia = row(desktop, 'Mia Member');
    await expect(mia.getByText('On', { exact: true }).isVisible()).resolves.toBe(true);
    // The owner's own row has no reset: they use their recovery codes.
    await expect(
      row(desktop, 'Olga Owner')
        .getByRole('button', { name: /Reset two-factor/ })
        .count(),
    ).resolves.toBe(0);

    await mia.getByRole('button', { name: 'Reset two-factor authentication of Mia Member…' }).click();
    const dialog = desktop.getByRole('dialog', { name: 'Reset two-factor authentication of Mia Member?' });
    await dialog.waitFor();
    await expect(dialog.getByText('They are signed out on every device.').isVisible()).resolves.toBe(true);
    const code = dialog.getByLabel('Your code, to confirm it is you');
    await code.fill('000000');
    await dialog.getByRole('button', { name: 'Reset two-factor' }).click();
    await dialog.getByText('That code is not right').waitFor();
    await expect(code.getAttribute('aria-invalid')).resolves.toBe('true');
    await b.expectAccessible(desktop, 'members: reset dialog with a wrong code');
    await desktop.screenshot({ path: `${b.artifacts}/members-reset-two-factor-dialog.png`, fullPage: true });

    await code.fill(await totpCode(secret, clock.now()));
    await dialog.getByRole('button', { name: 'Reset two-factor' }).click();
    await desktop.locator('.toast').filter({ hasText: 'Two-factor authentication of Mia Member reset' }).waitFor();
    await expect(dialog.count()).resolves.toBe(0);
    await expect(mia.getByText('Off', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(mia.getByRole('button', { name: /Reset two-factor/ }).count()).resolves.toBe(0);
    await b.expectAccessible(desktop, 'members after a reset');
    await desktop.screenshot({ path: `${b.artifacts}/members-two-factor-reset-done.png`, fullPage: true });
    // It happened on the server too: Mia signs in with her password alone.
    const back = await b.t.client().rpc.api.auth.login.$post({ json: { email: 'mia@reset-e2e.test', password: PASSWORD } });
    expect((await back.json()).status).toBe('signed_in');

    // 390 px, keyboard only: focus the action, open the dialog, type the code, Enter.
    nextStep();
    await b.open(phone, '/app/settings/members', 'Members');
    expect(await b.overflow(phone)).toBe(0);
    const patButton = row(phone, 'Pat Phone').getByRole('button', { name: 'Reset two-factor authentication of Pat Phone…' });
    await patButton.focus();
    await phone.keyboard.press('Enter');
    const phoneDialog = phone.getByRole('dialog', { name: 'Reset two-factor authentication of Pat Phone?' });
    await phoneDialog.waitFor();
    // The dialog puts the focus in the code field.
    await expect.poll(() => phone.evaluate(() => document.activeElement?.id)).toBe('reset-two-factor-code');
    expect(await b.overflow(phone)).toBe(0);
    await b.expectAccessible(phone, 'members: reset dialog at 390 px');
    await phone.screenshot({ path: `${b.artifacts}/members-reset-two-factor-dialog-phone.png`, fullPage: true });
    // Escape cancels and gives the focus back to the action.
    await phone.keyboard.press('Escape');
    await expect.poll(() => phoneDialog.count()).toBe(0);
    await expect
      .poll(() => phone.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Reset two-factor authentication of Pat Phone…');
    await phone.keyboard.press('Enter');
    await phoneDialog.waitFor();
    await phone.keyboard.type(await totpCode(secret, clock.now()));
    await phone.keyboard.press('Enter');
    await phone.locator('.toast').filter({ hasText: 'Two-factor authentication of Pat Phone reset' }).waitFor();
    await expect(row(phone, 'Pat Phone').getByText('Off', { exact: true }).isVisible()).resolves.toBe(true);
    await b.expectAccessible(phone, 'members after a reset at 390 px');
    await phone.screenshot({ path: `${b.artifacts}/members-two-factor-reset-done-phone.png`, fullPage: true });
  });
});
