/**
 * Email in workerd, from the built bundle: a sign-up's verification mail becomes a message on the
 * EMAILS queue, and the Worker's own consumer sends it to the configured provider through fetch.
 * The harness's outbound service stands in for the provider (mail.example.com); no real one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { emailOutbox } from '../../db/schema';
import { signUpOnWorker, startWorker, type WorkerHarness } from '../support/worker';
import { waitFor } from '../support/wait';

let w: WorkerHarness;
let cookie = '';
const sent: Array<{ url: string; headers: Record<string, string>; body: string }> = [];

beforeAll(async () => {
  w = await startWorker({
    bindings: {
      EMAIL_PROVIDER_URL: 'https://mail.example.com',
      EMAIL_API_KEY: 'worker-key',
      EMAIL_FROM: 'Leadflare <no-reply@example.com>',
    },
    respond: async (request) => {
      const url = new URL(request.url);
      if (url.hostname !== 'mail.example.com') return new Response('no network in tests', { status: 502 });
      sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
      return Response.json({ id: `provider-${sent.length}` });
    },
  });
});
afterAll(() => w?.close());

describe('email on Workers', () => {
  it('sends the sign-up verification mail through the queue to the provider, after the response', async () => {
    const signup = await w.fetch('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ email: 'edge@example.com', password: 'correct horse battery', name: 'Edge', workspaceName: 'Edge Shop' }),
    });
    expect(signup.status).toBe(201);
    cookie = signup.headers.getSetCookie()[0]!.split(';')[0]!;
    const [row] = await waitFor(
      () => w.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, 'edge@example.com')),
      (rows) => rows[0]?.status === 'sent',
      { what: 'the verification mail to be sent by the queue consumer' },
    );
    expect(row).toMatchObject({ kind: 'email_verification', attempts: 1, providerId: 'provider-1' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://mail.example.com/emails');
    expect(sent[0]!.headers.authorization).toBe('Bearer worker-key');
    const body = JSON.parse(sent[0]!.body) as { from: string; to: string[]; subject: string; text: string };
    expect(body).toMatchObject({
      from: 'Leadflare <no-reply@example.com>',
      to: ['edge@example.com'],
      subject: 'Confirm your email address for Leadflare',
    });
    expect(body.text).toMatch(/\/verify-email\/[A-Za-z0-9_-]{20,}/);
  });

  it('keeps the dev outbox off in production (DEV_OUTBOX is "0")', async () => {
    const res = await w.fetch('/api/outbox', { cookie, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(404);
  });
});

describe('email on Workers with no provider configured', () => {
  let bare: WorkerHarness;
  beforeAll(async () => {
    bare = await startWorker({ respond: async () => new Response('no network in tests', { status: 502 }) });
  });
  afterAll(() => bare?.close());

  it('keeps the mail in the outbox and says so in the logs, once per message, without the address', async () => {
    await signUpOnWorker(bare, { email: 'quiet@example.com', name: 'Quiet', workspaceName: 'Quiet Shop' });
    await waitFor(
      () => bare.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, 'quiet@example.com')),
      (rows) => rows[0]?.status === 'sent',
      { what: 'the verification mail to be handled by the queue consumer' },
    );
    const warnings = await waitFor(
      async () => bare.logs.filter((line) => line.includes('EMAIL_PROVIDER_URL is not set')),
      (lines) => lines.length > 0,
      { what: 'the warning in the Worker log' },
    );
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!.slice(warnings[0]!.indexOf('{')))).toMatchObject({ level: 'warn', devOutbox: 'off' });
    expect(warnings[0]).not.toContain('quiet@example.com');
  });
});
