/**
 * Webhook signatures, Stripe style: every delivery carries
 * `Leadflare-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is inside the MAC, so a captured delivery cannot be replayed later with a new time;
 * receivers reject signatures older than a tolerance (5 minutes by default). WebCrypto only, so the
 * same code signs on Node and Workers and verifies in a receiver.
 */
import { timingSafeEqual } from './crypto';

const DEFAULT_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacSha256(secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The `v1` value: hex HMAC-SHA256 of `<timestamp>.<body>` under the endpoint's secret (the whole `whsec_…` string). */
async function webhookSignatureV1(secret: string, timestampSeconds: number, body: string): Promise<string> {
  return toHex(await hmacSha256(secret, `${timestampSeconds}.${body}`));
}

/**
 * The `Leadflare-Signature` header value for `body` sent at `timestampSeconds`: one `v1` per secret
 * (the current one, and the previous one while a rotation's overlap lasts).
 */
export async function signWebhookPayload(secrets: string | readonly string[], body: string, timestampSeconds: number): Promise<string> {
  const signatures = await Promise.all([secrets].flat().map((secret) => webhookSignatureV1(secret, timestampSeconds, body)));
  return [`t=${timestampSeconds}`, ...signatures.map((s) => `v1=${s}`)].join(',');
}

/** `t` and every `v1` of a signature header; null when malformed. Unknown schemes (`v0=`, `v2=`) are ignored. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === 'v1') signatures.push(value);
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * True when `header` is a valid signature of `body` (the raw request body, byte for byte — verify
 * before parsing JSON) under `secret`, made within `toleranceSec` of `now` (epoch ms). Any `v1`
 * entry may match; the comparison takes the same time however much of a signature matched.
 */
export async function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  now: number,
  toleranceSec = DEFAULT_TOLERANCE_SECONDS,
): Promise<boolean> {
  if (!header || header.length > 1000) return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(Math.floor(now / 1000) - parsed.timestamp) > toleranceSec) return false;
  const expected = await hmacSha256(secret, `${parsed.timestamp}.${body}`);
  let valid = false;
  for (const candidate of parsed.signatures) {
    const bytes = fromHex(candidate);
    if (bytes && timingSafeEqual(expected, bytes)) valid = true;
  }
  return valid;
}
