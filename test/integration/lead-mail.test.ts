/**
 * Mail to leads and about leads, through the real app and the email outbox, sent to a local
 * catcher standing in for the provider: the lead-magnet link (once per lead and file), the chat's
 * follow-up (the demo's tips and 10% code), the unsubscribe link and one-click headers on all of
 * it (the unsubscribe recorded as the `unsubscribe` server event, and stopping further mail), and
 * the members' opt-in new-lead notification.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { sendDueEmails } from '../../workers/services/email';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { FUNNEL, fillAndPost, signInDemo } from '../support/landing';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../support/mail-catcher';
import { linkIn, mailTo, type OutboxRow } from '../support/outbox';
import { waitFor } from '../support/wait';

const GUIDE = `${FUNNEL}/guide`;
const DAY = 24 * 60 * 60 * 1000;

let catcher: MailCatcher;
let t: TestApp;
let workspaceId: string;
let owner: TestClient;
let background: Promise<unknown>[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher();
  t = await createTestApp({ mailer: catcher.mailer(), waitUntil: (work) => void background.push(work) });
  ({ workspaceId } = await seedDemo(t.database, { clock: t.clock.now }));
  owner = await signInDemo(t.client());
});
afterAll(async () => {
  await Promise.allSettled(background);
  t.deps.emails.stop?.();
  t.close();
  await catcher.close();
});
// Posts come from one IP: a fresh rate-limit window per test keeps them independent.
beforeEach(() => t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs));
afterEach(async () => {
  await settle();
});

async function settle() {
  while (background.length) {
    const pending = background;
    background = [];
    await Promise.all(pending);
  }
}

function askForGuide(email: string, name = 'Guide Reader') {
  return fillAndPost(t, t.client(), GUIDE, 'ebook', { email, name, consent: 'yes' });
}

function chat(email: string) {
  return fillAndPost(t, t.client(), FUNNEL, 'chat', {
    concern: 'Dryness',
    routine: '1 or 2',
    question: 'Which serum first?',
    email,
    consent: 'yes',
  });
}

/** What the catcher received for `to`, in order. */
const caughtFor = (to: string): CaughtMail[] => catcher.received.filter((m) => m.body.to.includes(to));

async function leadId(email: string): Promise<string> {
  const [row] = await t.database.db.all<{ id: string }>(sql`select id from leads where email = ${email}`);
  return row!.id;
}

function expectLeadMailShape(mail: OutboxRow) {
  expect(mail.text.length).toBeGreaterThan(50);
  expect(mail.html).toMatch(/^<!doctype html>/);
  const unsubscribe = linkIn(mail, '/u/');
  expect(mail.headers).toEqual({ 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  expect(mail.html).toContain(`href="${unsubscribe}"`);
  return unsubscribe;
}

describe('the lead-magnet link by email', () => {
  it('is queued with the capture and sent after the answer: text and HTML, a 7-day link that downloads, unsubscribe headers', async () => {
    const release = catcher.hold();
    const { res } = await askForGuide('reader@example.com', 'Rea <b>Der</b>');
    // The visitor has the thank-you redirect; the provider has not answered yet (the send is held).
    expect(res.status).toBe(303);
    const [queued] = await mailTo(t.database, 'reader@example.com');
    expect(queued).toMatchObject({ kind: 'lead_magnet', workspaceId, status: 'queued' });
    release();
    await settle();

    const [mail] = await mailTo(t.database, 'reader@example.com');
    expect(mail).toMatchObject({ status: 'sent', attempts: 1 });
    expect(mail!.subject).toBe('Your download: The 5-minute skincare routine (PDF)');
    expect(mail!.text).toContain('Demo Shop');
    expect(mail!.text).toContain('“Cosmetics set”');
    expect(mail!.text).toMatch(/works for 7 days, until \d{1,2} \w+ 2026/);
    expect(mail!.text).toContain(`If it has expired, ask for the download again on http://localhost${GUIDE}`);
    expectLeadMailShape(mail!);

    const caught = caughtFor('reader@example.com');
    expect(caught).toHaveLength(1);
    expect(caught[0]!.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(caught[0]!.body.html).toBe(mail!.html);

    const download = linkIn(mail!, '/d/');
    const file = await t.client().get(download);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    t.clock.advance(7 * DAY + 1);
    expect((await t.client().get(download)).status).toBe(410);
  });

  it('is sent once per lead and file: asking again (or a double post) queues nothing more', async () => {
    await askForGuide('twice@example.com');
    await settle();
    await askForGuide('twice@example.com');
    await askForGuide('TWICE@example.com');
    await settle();
    const mails = await mailTo(t.database, 'twice@example.com');
    expect(mails.map((m) => m.kind)).toEqual(['lead_magnet']);
    const [claims] = await t.database.db.all<{ n: number }>(
      sql`select count(*) as n from lead_mails where lead_id = ${await leadId('twice@example.com')}`,
    );
    expect(Number(claims!.n)).toBe(1);
  });
});

describe('the chat follow-up', () => {
  it('sends the tips and the 10% code the chat promises, and keeps the code off the published page', async () => {
    const page = await (await t.client().get(FUNNEL)).text();
    expect(page).not.toContain('WELCOME10');

    const { res } = await chat('chatter@example.com');
    expect(res.status).toBe(303);
    expect((await t.client().get(res.headers.get('location')!)).status).toBe(200);
    await settle();
    const [mail] = await mailTo(t.database, 'chatter@example.com');
    expect(mail).toMatchObject({ kind: 'lead_follow_up', status: 'sent', subject: 'Your skincare tips and 10% off your first set' });
    expect(mail!.text).toContain('WELCOME10');
    expect(mail!.html).toContain('WELCOME10');
    expect(mail!.html).toContain('<br>');
    expectLeadMailShape(mail!);

    await chat('chatter@example.com');
    await settle();
    expect(await mailTo(t.database, 'chatter@example.com')).toHaveLength(1);
  });

  it('is a block setting the inspector offers (generated from the block schema) and the API validates', async () => {
    const res = await owner.get('/api/blocks/schema');
    const doc = (await res.json()) as { blocks: Array<{ type: string; schema: { properties: Record<string, { title?: string }> } }> };
    for (const type of ['chat_capture', 'lead_form']) {
      const props = doc.blocks.find((b) => b.type === type)!.schema.properties;
      expect(props.followUpEmail?.title).toBe('Follow-up email');
    }
  });
});

describe('unsubscribe', () => {
  it('GET shows a confirmation page (no script); POST records it once as the unsubscribe server event and stops lead mail', async () => {
    await askForGuide('leaver@example.com');
    await settle();
    const [mail] = await mailTo(t.database, 'leaver@example.com');
    const url = expectLeadMailShape(mail!);
    const id = await leadId('leaver@example.com');

    const page = await t.client().get(url);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    const html = await page.text();
    expect(html).not.toContain('<script');
    expect(html).toContain('Unsubscribe from Demo Shop?');
    expect(html).toContain('<form method="post"><button type="submit">Unsubscribe</button></form>');
    // Looking is not unsubscribing (link scanners, prefetch).
    const [before] = await t.database.db.all<{ unsubscribed_at: number | null }>(sql`select unsubscribed_at from leads where id = ${id}`);
    expect(before!.unsubscribed_at).toBeNull();

    // The confirmation button: a same-origin browser post.
    const done = await t.client().request(url, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('leaver@example.com will get no more emails from Demo Shop.');
    const [after] = await t.database.db.all<{ unsubscribed_at: number | null }>(sql`select unsubscribed_at from leads where id = ${id}`);
    expect(after!.unsubscribed_at).toBe(t.clock.now());

    // The mail client's one-click POST (RFC 8058): no browser headers, the fixed body. Idempotent.
    t.clock.advance(60_000);
    const oneClick = await t.client().request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');

    const events = await t.database.db.all<{ type: string; props: string }>(
      sql`select e.type, e.props from events e join visitors v on v.id = e.visitor_id where v.lead_id = ${id} and e.type = 'unsubscribe'`,
    );
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.props)).toMatchObject({ leadId: id });
    // In the lead's journey like the store's unsubscribe event.
    const detail = (await (await owner.get(`/api/leads/${id}`)).json()) as { journey: { events: Array<{ type: string }> } };
    expect(detail.journey.events.map((e) => e.type)).toContain('unsubscribe');

    // No more lead mail: another magnet request and the chat queue nothing for them.
    await askForGuide('leaver@example.com');
    await chat('leaver@example.com');
    await settle();
    expect((await mailTo(t.database, 'leaver@example.com')).map((m) => m.kind)).toEqual(['lead_magnet']);
    expect(caughtFor('leaver@example.com')).toHaveLength(1);
  });

  it('a store’s unsubscribe server event marks the lead too, and withdraws lead mail waiting for a retry', async () => {
    catcher.script.push({ status: 500 });
    await chat('store-leaver@example.com');
    await settle();
    const [waiting] = await mailTo(t.database, 'store-leaver@example.com');
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });

    const keyRes = await owner.post('/api/workspace/api-keys', { name: 'Store' });
    const { key } = (await keyRes.json()) as { key: string };
    const res = await t.client().request('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'unsubscribe', email: 'store-leaver@example.com' }),
    });
    expect(res.status).toBe(202);
    const [lead] = await t.database.db.all<{ unsubscribed_at: number | null }>(
      sql`select unsubscribed_at from leads where email = 'store-leaver@example.com'`,
    );
    expect(lead!.unsubscribed_at).not.toBeNull();
    const [withdrawn] = await mailTo(t.database, 'store-leaver@example.com');
    expect(withdrawn).toMatchObject({ status: 'failed', lastError: 'Not sent: the lead unsubscribed.', nextAttemptAt: null });

    // The retry never happens, and nothing new is queued for them.
    t.clock.advance(DAY);
    expect(await sendDueEmails(t.deps)).toBe(0);
    await askForGuide('store-leaver@example.com');
    await settle();
    expect(await mailTo(t.database, 'store-leaver@example.com')).toHaveLength(1);
    expect(caughtFor('store-leaver@example.com').map((m) => m.status)).toEqual([500]);
  });

  it('answers a tampered or foreign token with a 400 page, and changes nothing', async () => {
    await askForGuide('tamper@example.com');
    await settle();
    const [mail] = await mailTo(t.database, 'tamper@example.com');
    const url = new URL(linkIn(mail!, '/u/'));
    const token = url.pathname.slice('/u/'.length);
    const [body, mac] = token.split('.');
    const forged = `${body!.slice(0, -2)}${body!.slice(-2) === 'AA' ? 'AB' : 'AA'}.${mac}`;
    const download = new URL(linkIn(mail!, '/d/')).pathname.slice('/d/'.length);
    for (const bad of [forged, `${token}x`, 'nonsense', download]) {
      const get = await t.client().get(`/u/${bad}`);
      expect(get.status, bad).toBe(400);
      expect(await get.text()).toContain('This unsubscribe link does not work');
      expect((await t.client().request(`/u/${bad}`, { method: 'POST' })).status).toBe(400);
    }
    const [lead] = await t.database.db.all<{ unsubscribed_at: number | null }>(
      sql`select unsubscribed_at from leads where email = 'tamper@example.com'`,
    );
    expect(lead!.unsubscribed_at).toBeNull();
  });
});

describe('new-lead notifications', () => {
  it('are off by default; a member turns them on for this workspace and gets one mail per new lead, none for a returning one', async () => {
    expect(await (await owner.rpc.api.me.notifications.$get()).json()).toEqual({ newLead: false, email: DEMO.email });
    await askForGuide('quiet@example.com');
    await settle();
    expect((await mailTo(t.database, DEMO.email)).filter((m) => m.kind === 'new_lead_notification')).toHaveLength(0);

    const bad = await owner.request('/api/me/notifications', { method: 'PUT', json: { newLead: 'yes' } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.[0]?.path).toBe('newLead');
    const on = await owner.rpc.api.me.notifications.$put({ json: { newLead: true } });
    expect(await on.json()).toEqual({ newLead: true, email: DEMO.email });

    await askForGuide('fresh@example.com', 'Fresh Lead');
    await settle();
    const notes = (await mailTo(t.database, DEMO.email)).filter((m) => m.kind === 'new_lead_notification');
    expect(notes).toHaveLength(1);
    const note = notes[0]!;
    const id = await leadId('fresh@example.com');
    expect(note).toMatchObject({ status: 'sent', workspaceId, subject: 'New lead from Cosmetics set: Fresh Lead' });
    expect(note.text).toContain('Fresh Lead (fresh@example.com) just became a lead in Demo Shop through “Cosmetics set”.');
    expect(linkIn(note, '/app/leads/')).toBe(`http://localhost/app/leads/${id}`);
    expect(linkIn(note, '/app/settings/notifications')).toBe('http://localhost/app/settings/notifications');
    expect(note.html).toContain(`href="http://localhost/app/leads/${id}"`);
    // Not lead mail: no unsubscribe headers, and nothing beyond what the lead list shows.
    expect(note.headers).toEqual({});
    expect(note.text).not.toContain('Which serum');

    // The same person again is no new lead.
    await chat('fresh@example.com');
    await settle();
    expect((await mailTo(t.database, DEMO.email)).filter((m) => m.kind === 'new_lead_notification')).toHaveLength(1);
  });

  it('go to each member who turned them on (any role), for leads from a store event too; turning off stops them', async () => {
    const invite = await owner.post('/api/workspace/invitations', { role: 'viewer' });
    const { token } = (await invite.json()) as { token: string };
    const viewer = t.client();
    await viewer.signup('viewer@shop.test');
    const accepted = await viewer.post(`/api/invitations/${token}/accept`);
    expect(accepted.status).toBe(201);
    const headers = { 'x-workspace-id': workspaceId };
    const on = await viewer.request('/api/me/notifications', { method: 'PUT', json: { newLead: true }, headers });
    expect(on.status).toBe(200);

    const keyRes = await owner.post('/api/workspace/api-keys', { name: 'Shop' });
    const { key } = (await keyRes.json()) as { key: string };
    const res = await t.client().request('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'purchase',
        email: 'buyer@example.com',
        name: 'Bea Buyer',
        orderId: '#9',
        amountMinor: 100,
        currency: 'USD',
      }),
    });
    expect(res.status).toBe(202);
    await settle();
    for (const member of [DEMO.email, 'viewer@shop.test']) {
      const notes = (await mailTo(t.database, member)).filter(
        (m) => m.kind === 'new_lead_notification' && m.text.includes('buyer@example.com'),
      );
      expect(notes, member).toHaveLength(1);
    }

    await owner.rpc.api.me.notifications.$put({ json: { newLead: false } });
    await askForGuide('after-off@example.com');
    await settle();
    expect((await mailTo(t.database, DEMO.email)).filter((m) => m.text.includes('after-off@example.com'))).toHaveLength(0);
    expect((await mailTo(t.database, 'viewer@shop.test')).filter((m) => m.text.includes('after-off@example.com'))).toHaveLength(1);
  });
});

describe('waiting for the dispatcher', () => {
  it('the outbox drains: nothing lead mail queued is left behind', async () => {
    await settle();
    const rows = await waitFor(
      () => t.database.db.all<{ n: number }>(sql`select count(*) as n from email_outbox where status = 'queued'`),
      (r) => Number(r[0]!.n) === 0,
      { what: 'every queued mail to be sent' },
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
