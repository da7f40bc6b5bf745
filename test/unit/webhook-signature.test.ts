import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signWebhookPayload, verifyWebhookSignature } from '../../workers/domain/webhook-signature';

const SECRET = 'whsec_test_0123456789abcdefghijklmnopqrstuv';
const BODY = JSON.stringify({
  id: 'evt_1',
  type: 'deal.created',
  createdAt: '2026-11-27T12:00:00.000Z',
  workspaceId: 'ws_1',
  data: { deal: { name: 'Cosmetics set - Ava Smith', valueMinor: 25000 } },
});
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const T = Math.floor(NOW / 1000);

describe('webhook signatures', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>, the same bytes node:crypto computes', async () => {
    const header = await signWebhookPayload(SECRET, BODY, T);
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(header).toBe(`t=${T},v1=${expected}`);
  });

  it('carries one v1 per secret during a rotation, and each secret verifies it', async () => {
    const next = 'whsec_next_9876543210zyxwvutsrqponmlkjihgf';
    const header = await signWebhookPayload([next, SECRET], BODY, T);
    expect(header).toBe(
      `t=${T},v1=${createHmac('sha256', next).update(`${T}.${BODY}`).digest('hex')},v1=${createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex')}`,
    );
    expect(await verifyWebhookSignature(next, header, BODY, NOW)).toBe(true);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW)).toBe(true);
    expect(await verifyWebhookSignature('whsec_other', header, BODY, NOW)).toBe(false);
  });

  it('verifies its own signature (round trip), within the tolerance either way', async () => {
    const header = await signWebhookPayload(SECRET, BODY, T);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW)).toBe(true);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW + 299_000)).toBe(true);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW - 299_000)).toBe(true);
  });

  it('rejects a tampered body, a tampered timestamp, a tampered MAC and the wrong secret', async () => {
    const header = await signWebhookPayload(SECRET, BODY, T);
    expect(await verifyWebhookSignature(SECRET, header, BODY.replace('25000', '2500'), NOW)).toBe(false);
    expect(await verifyWebhookSignature(SECRET, header, `${BODY} `, NOW)).toBe(false);
    expect(await verifyWebhookSignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, NOW)).toBe(false);
    const mac = header.split('v1=')[1]!;
    const flipped = mac.slice(0, -1) + (mac.endsWith('0') ? '1' : '0');
    expect(await verifyWebhookSignature(SECRET, `t=${T},v1=${flipped}`, BODY, NOW)).toBe(false);
    expect(await verifyWebhookSignature(SECRET, `t=${T},v1=${mac.slice(0, 32)}`, BODY, NOW)).toBe(false);
    expect(await verifyWebhookSignature('whsec_other', header, BODY, NOW)).toBe(false);
  });

  it('rejects a stale or future timestamp even with a valid MAC (replay)', async () => {
    const header = await signWebhookPayload(SECRET, BODY, T);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW + 301_000)).toBe(false);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW - 301_000)).toBe(false);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW + 3_600_000, 7200)).toBe(true); // a wider tolerance if the receiver wants one
  });

  it('accepts the header if any v1 entry matches (secret rotation) and ignores other schemes', async () => {
    const good = (await signWebhookPayload(SECRET, BODY, T)).split('v1=')[1]!;
    expect(await verifyWebhookSignature(SECRET, `t=${T},v1=${'0'.repeat(64)},v1=${good}`, BODY, NOW)).toBe(true);
    expect(await verifyWebhookSignature(SECRET, `t=${T},v0=abc,v1=${good}`, BODY, NOW)).toBe(true);
  });

  it.each([
    null,
    undefined,
    '',
    'garbage',
    `v1=${'a'.repeat(64)}`,
    `t=${T}`,
    `t=abc,v1=${'a'.repeat(64)}`,
    `t=${T},t=${T},v1=aa`,
    `t=${T},v1=zz`,
    'x'.repeat(2000),
  ])('rejects malformed header %j', async (header) => {
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW)).toBe(false);
  });

  it('parses the header', () => {
    expect(parseSignatureHeader('t=1700000000, v1=ab,v1=cd')).toEqual({ timestamp: 1700000000, signatures: ['ab', 'cd'] });
  });
});
