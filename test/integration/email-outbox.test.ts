/**
 * The email outbox against a local catcher standing in for the provider (never a real one):
 * queued mail is sent after the caller returns, retried with backoff on 5xx/429 and network
 * errors, given up on a 4xx or after MAX_EMAIL_ATTEMPTS, swept by the scheduled job, consumed
 * from the Workers queue; with no provider, the dev outbox keeps it and shows it to the right
 * members only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { emailOutbox } from '../../db/schema';
import { consumeEmailBatch, type EmailQueueMessage } from '../../workers/cloudflare/email';
import { serviceContext } from '../../workers/services/context';
import { MAX_EMAIL_ATTEMPTS, queueEmail, sendDueEmails, type EmailMessage } from '../../workers/services/email';
import { runScheduledWork } from '../../workers/services/scheduler';
import { createTestApp, errorOf, type TestApp } from '../support/app';
import { startMailCatcher, type MailCatcher } from '../support/mail-catcher';
import { mailTo } from '../support/outbox';
import { nextTurn, waitFor } from '../support/wait';

const HOUR = 60 * 60 * 1000;

let catcher: MailCatcher;
let t: TestApp;
let background: Promise<unknown>[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(async () => {
  await catcher.close();
});
afterEach(async () => {
  await Promise.allSettled(background);
  t?.deps.emails.stop?.();
  t?.close();
  catcher.received.length = 0;
  catcher.script.length = 0;
});

async function appWithCatcher() {
  background = [];
  t = await createTestApp({ mailer: catcher.mailer(), waitUntil: (work) => void background.push(work) });
  return t;
}

function ctx() {
  return serviceContext(t.deps, (work) => void background.push(work));
}

const message = (to: string, extra: Partial<EmailMessage> = {}): EmailMessage => ({
  kind: 'lead_magnet',
  to,
  subject: 'Your guide',
  text: 'Here is your guide: https://example.com/d/abc',
  html: '<p>Here is your guide: <a href="https://example.com/d/abc">download</a></p>',
  ...extra,
});

async function row(id: string) {
  const [r] = await t.database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return r!;
}

async function settle() {
  const pending = background;
  background = [];
  await Promise.all(pending);
}

describe('sending through the provider', () => {
  it('sends the queued message after the caller returned: both bodies, headers, bearer key, idempotency key', async () => {
    await appWithCatcher();
    const release = catcher.hold();
    const id = await queueEmail(
      ctx(),
      message('lead@example.com', {
        headers: { 'List-Unsubscribe': '<https://app.example.com/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      }),
    );
    // The caller has its answer; the provider has not answered yet (the send is held).
    expect((await row(id)).status).toBe('queued');
    await waitFor(() => catcher.received.length === 0 && background.length === 1, Boolean, { what: 'the send to be in flight' });
    release();
    await settle();

    const sent = await row(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null, providerId: 'caught-1' });
    expect(sent.sentAt).toBe(t.clock.now());
    expect(catcher.received).toHaveLength(1);
    const [mail] = catcher.received;
    expect(mail!.path).toBe('/emails');
    expect(mail!.headers.authorization).toBe('Bearer test-key');
    expect(mail!.headers['idempotency-key']).toBe(id);
    expect(mail!.body).toEqual({
      from: 'Leadflare <no-reply@leadflare.test>',
      to: ['lead@example.com'],
      subject: 'Your guide',
      text: 'Here is your guide: https://example.com/d/abc',
      html: '<p>Here is your guide: <a href="https://example.com/d/abc">download</a></p>',
      headers: { 'List-Unsubscribe': '<https://app.example.com/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
  });

  it('retries a 500 with backoff and sends once: 500, 500, 200 → sent after 3 attempts', async () => {
    await appWithCatcher();
    catcher.script.push({ status: 500 }, { status: 500 });
    const id = await queueEmail(ctx(), message('retry@example.com'));
    await settle();
    const first = await row(id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first.lastError).toContain('HTTP 500');
    // 30 s ± 20 % later: not before.
    expect(first.nextAttemptAt! - t.clock.now()).toBeGreaterThanOrEqual(24_000);
    expect(first.nextAttemptAt! - t.clock.now()).toBeLessThanOrEqual(36_000);
    expect(await sendDueEmails(t.deps)).toBe(0);

    t.clock.advance(40_000);
    expect(await sendDueEmails(t.deps)).toBe(1);
    const second = await row(id);
    expect(second).toMatchObject({ status: 'queued', attempts: 2 });
    // The second wait is longer (2 min ± 20 %).
    expect(second.nextAttemptAt! - t.clock.now()).toBeGreaterThanOrEqual(96_000);

    t.clock.advance(3 * 60_000);
    // The scheduled job runs the same sweep.
    const report = await runScheduledWork(t.deps, (work) => void background.push(work));
    expect(report.emails).toBe(1);
    await settle();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null, providerId: 'caught-3' });
    expect(catcher.received.map((r) => r.status)).toEqual([500, 500, 200]);
    // Every attempt carried the same idempotency key, so a provider that saw one of them twice can drop it.
    expect(new Set(catcher.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([id]));

    t.clock.advance(HOUR);
    expect(await sendDueEmails(t.deps)).toBe(0);
    expect(catcher.received).toHaveLength(3);
  });

  it('gives up at once on a 4xx refusal (no retry), but retries 429', async () => {
    await appWithCatcher();
    catcher.script.push({ status: 422, body: '{"message":"Invalid `to` field"}' });
    const refused = await queueEmail(ctx(), message('not-an-inbox@example.com'));
    await settle();
    const failed = await row(refused);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null, sentAt: null });
    expect(failed.lastError).toContain('HTTP 422: {"message":"Invalid `to` field"}');
    t.clock.advance(24 * HOUR);
    expect(await sendDueEmails(t.deps)).toBe(0);
    expect(catcher.received).toHaveLength(1);

    catcher.script.push({ status: 429 });
    const limited = await queueEmail(ctx(), message('busy@example.com'));
    await settle();
    expect(await row(limited)).toMatchObject({ status: 'queued', attempts: 1 });
  });

  it(`gives up after ${MAX_EMAIL_ATTEMPTS} failed attempts, and treats an unreachable provider as transient`, async () => {
    await appWithCatcher();
    for (let i = 0; i < MAX_EMAIL_ATTEMPTS; i++) catcher.script.push({ status: 503 });
    const id = await queueEmail(ctx(), message('down@example.com'));
    await settle();
    for (let i = 1; i < MAX_EMAIL_ATTEMPTS; i++) {
      t.clock.advance(12 * HOUR);
      expect(await sendDueEmails(t.deps)).toBe(1);
    }
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_EMAIL_ATTEMPTS, nextAttemptAt: null });
    t.clock.advance(24 * HOUR);
    expect(await sendDueEmails(t.deps)).toBe(0);
    expect(catcher.received).toHaveLength(MAX_EMAIL_ATTEMPTS);

    // Nothing listening: a network error, retried later.
    const closed = await startMailCatcher();
    await closed.close();
    t.deps.emails.stop?.();
    background = [];
    t.close();
    t = await createTestApp({ mailer: closed.mailer(), waitUntil: (work) => void background.push(work) });
    const unreachable = await queueEmail(ctx(), message('later@example.com'));
    await settle();
    const r = await row(unreachable);
    expect(r).toMatchObject({ status: 'queued', attempts: 1 });
    expect(r.lastError).toMatch(/^Could not reach the email provider/);
  });

  it('two senders of the same row send it once (the claim)', async () => {
    await appWithCatcher();
    const release = catcher.hold();
    const id = await queueEmail(ctx(), message('once@example.com'));
    await waitFor(() => background.length === 1, Boolean);
    // The sweep runs while the first send is in flight: the row is claimed, so it is not due.
    expect(await sendDueEmails(t.deps)).toBe(0);
    release();
    await settle();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(catcher.received).toHaveLength(1);
  });
});

describe('the Workers queue consumer', () => {
  it('retries a failed attempt after the backoff and acks a sent one', async () => {
    await appWithCatcher();
    // Rows written without the in-process dispatcher, as a Worker's request would.
    const queued: string[] = [];
    const workerCtx = { ...ctx(), notifyEmails: (ids: string[]) => void queued.push(...ids) };
    const id = await queueEmail(workerCtx, message('queue@example.com'));
    expect(queued).toEqual([id]);

    const outcomes: string[] = [];
    const msg = (body: unknown): EmailQueueMessage => ({
      body,
      ack: () => void outcomes.push('ack'),
      retry: (o) => void outcomes.push(`retry ${o?.delaySeconds}`),
    });
    catcher.script.push({ status: 500 });
    await consumeEmailBatch(t.deps, [msg({ emailId: id }), msg({ nonsense: true })]);
    expect(outcomes).toHaveLength(2);
    expect(outcomes).toContain('ack');
    const delay = Number(outcomes.find((o) => o.startsWith('retry'))!.split(' ')[1]);
    expect(delay).toBeGreaterThanOrEqual(24);
    expect(delay).toBeLessThanOrEqual(36);

    t.clock.advance(delay * 1000);
    outcomes.length = 0;
    await consumeEmailBatch(t.deps, [msg({ emailId: id })]);
    expect(outcomes).toEqual(['ack']);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    // A redelivered message for a sent row is acked without sending.
    outcomes.length = 0;
    await consumeEmailBatch(t.deps, [msg({ emailId: id })]);
    expect(outcomes).toEqual(['ack']);
    expect(catcher.received).toHaveLength(2);
  });
});

describe('the dev outbox', () => {
  it('keeps mail as sent without a provider, and shows each member only their workspace mail and their own account mail', async () => {
    background = [];
    t = await createTestApp({ waitUntil: (work) => void background.push(work) });
    expect(t.deps.mailer.kind).toBe('dev-outbox');
    const owner = t.client();
    const { user: ownerUser, workspaceId } = await owner.signup('owner@outbox.test');
    const stranger = t.client();
    await stranger.signup('stranger@outbox.test');

    const leadMail = await queueEmail(ctx(), message('lead@example.com', { workspaceId, html: '<p onclick="x()">Hi <b>there</b></p>' }));
    const ownMail = await queueEmail(
      ctx(),
      message('owner@outbox.test', { kind: 'password_reset', userId: ownerUser.id, subject: 'Reset' }),
    );
    await settle();
    await nextTurn();
    expect(await mailTo(t.database, 'lead@example.com')).toMatchObject([{ status: 'sent', providerId: 'dev-outbox', attempts: 1 }]);

    // Sign-up mailed each member their own verification link: account mail they see too.
    const verification = (await mailTo(t.database, 'owner@outbox.test')).find((m) => m.kind === 'email_verification')!.id;
    const list = await (await owner.rpc.api.outbox.$get({ query: {} })).json();
    expect(list.messages.map((m) => m.id).sort()).toEqual([leadMail, ownMail, verification].sort());
    const one = await (await owner.rpc.api.outbox[':id'].$get({ param: { id: leadMail } })).json();
    expect(one).toMatchObject({ to: 'lead@example.com', html: '<p onclick="x()">Hi <b>there</b></p>', status: 'sent' });

    const strangers = (await (await stranger.rpc.api.outbox.$get({ query: {} })).json()).messages;
    expect(strangers.map((m) => [m.kind, m.to])).toEqual([['email_verification', 'stranger@outbox.test']]);
    for (const id of [leadMail, ownMail]) {
      const res = await stranger.rpc.api.outbox[':id'].$get({ param: { id } });
      expect((await errorOf(res)).code).toBe('not_found');
    }
    expect((await owner.rpc.api.outbox.$get({ query: {} })).status).toBe(200);
    expect((await t.client().get('/api/outbox')).status).toBe(401);
  });

  it('is off (404) where it is not configured, as in production', async () => {
    background = [];
    t = await createTestApp({ devOutbox: false, waitUntil: (work) => void background.push(work) });
    const owner = t.client();
    await owner.signup('prod@outbox.test');
    const res = await owner.get('/api/outbox');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });
});
