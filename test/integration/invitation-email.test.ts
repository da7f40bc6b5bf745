/**
 * Invitations by email through the real app: an invitation with an address is mailed (text and
 * escaped HTML, the same link the owner sees), the invitee joins through the mailed link, and the
 * owner can send it again — a fresh link, the old one dead. Roles and tenancy hold.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emailOutbox } from '../../db/schema';
import { createTestAppWithBackground, errorOf, type TestAppWithBackground } from '../support/app';
import { linkIn, mailTo } from '../support/outbox';
import { waitFor } from '../support/wait';

let t: TestAppWithBackground;

afterEach(() => t?.close());

async function app() {
  t = await createTestAppWithBackground();
  return t;
}

const sentInvitations = (email: string) =>
  waitFor(
    () => mailTo(t.database, email),
    (m) => m.length > 0 && m.every((x) => x.status === 'sent'),
  );

describe('invitations by email', () => {
  it('mails the link to the address, and the invitee joins through it', async () => {
    await app();
    const owner = t.client();
    const { workspaceId } = await owner.signup('owner@invite.test', 'correct horse battery', 'Olive <Owner>', {
      workspaceName: 'Acme & <Sons>',
    });
    const res = await owner.rpc.api.workspace.invitations.$post({ json: { role: 'editor', email: 'Sam@Example.com' } });
    expect(res.status).toBe(201);
    const invitation = await res.json();
    expect(invitation).toMatchObject({ email: 'sam@example.com', role: 'editor', emailed: true });

    const [mail] = await sentInvitations('sam@example.com');
    expect(mail).toMatchObject({
      kind: 'invitation',
      workspaceId,
      userId: null,
      subject: 'Olive <Owner> invited you to Acme & <Sons> on Leadflare',
    });
    expect(linkIn(mail!, '/invite/')).toBe(invitation.url);
    expect(mail!.text).toContain('Olive <Owner> invited you to the workspace “Acme & <Sons>” as an editor.');
    expect(mail!.html).toContain('Acme &amp; &lt;Sons&gt;');
    expect(mail!.html).not.toContain('<Sons>');
    expect(mail!.html).not.toContain('<Owner>');

    // The invitee follows the link, signs up, and is a member.
    const sam = t.client();
    const path = new URL(linkIn(mail!, '/invite/')).pathname;
    expect(await (await sam.get(path)).text()).toContain('Acme &amp; &lt;Sons');
    const token = path.split('/').pop()!;
    await sam.signup('sam@example.com', 'correct horse battery', 'Sam', { inviteToken: token });
    const members = await (await owner.rpc.api.workspace.members.$get()).json();
    expect(members.members.map((m) => m.email)).toContain('sam@example.com');
  });

  it('sends nothing for a link without an address', async () => {
    await app();
    const owner = t.client();
    await owner.signup('linkonly@invite.test');
    const invitation = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } })).json();
    expect(invitation).toMatchObject({ email: null, emailed: false });
    await Promise.all(t.background);
    const kinds = (await t.database.db.select({ kind: emailOutbox.kind }).from(emailOutbox)).map((r) => r.kind);
    expect(kinds).toEqual(['email_verification']);
    const resend = await owner.rpc.api.workspace.invitations[':id'].resend.$post({ param: { id: invitation.id } });
    expect(resend.status).toBe(400);
    expect((await errorOf(resend)).code).toBe('no_email');
  });

  it('resends with a fresh link and a fresh week; the old link stops working', async () => {
    await app();
    const owner = t.client();
    await owner.signup('resender@invite.test');
    const first = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer', email: 'late@example.com' } })).json();
    await sentInvitations('late@example.com');
    t.clock.advance(3 * 24 * 60 * 60 * 1000);

    const res = await owner.rpc.api.workspace.invitations[':id'].resend.$post({ param: { id: first.id } });
    expect(res.status).toBe(200);
    const again = await res.json();
    expect(again.id).toBe(first.id);
    expect(again.url).not.toBe(first.url);
    expect(again.expiresAt).toBe(t.clock.now() + 7 * 24 * 60 * 60 * 1000);

    const mails = await waitFor(
      () => mailTo(t.database, 'late@example.com'),
      (m) => m.length === 2 && m.every((x) => x.status === 'sent'),
    );
    expect(linkIn(mails[1]!, '/invite/')).toBe(again.url);
    expect((await t.client().get(new URL(first.url).pathname)).status).toBe(404);
    expect((await t.client().get(new URL(again.url).pathname)).status).toBe(200);
    const listed = await (await owner.rpc.api.workspace.invitations.$get()).json();
    expect(listed.invitations).toEqual([expect.objectContaining({ id: first.id, expiresAt: again.expiresAt })]);
  });

  it('lets only owners of the workspace resend', async () => {
    await app();
    const owner = t.client();
    await owner.signup('boss@invite.test');
    const inv = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'editor', email: 'ed@invite.test' } })).json();
    const ed = t.client();
    await ed.signup('ed@invite.test', 'correct horse battery', 'Ed', { inviteToken: new URL(inv.url).pathname.split('/').pop() });
    const open = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer', email: 'vi@invite.test' } })).json();
    const asEditor = await ed.rpc.api.workspace.invitations[':id'].resend.$post({ param: { id: open.id } });
    expect(asEditor.status).toBe(403);

    const stranger = t.client();
    await stranger.signup('other@invite.test');
    const foreign = await stranger.rpc.api.workspace.invitations[':id'].resend.$post({ param: { id: open.id } });
    expect(foreign.status).toBe(404);
    // An accepted invitation is no longer open.
    expect((await owner.rpc.api.workspace.invitations[':id'].resend.$post({ param: { id: inv.id } })).status).toBe(404);
  });
});
