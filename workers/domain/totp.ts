import { timingSafeEqual } from './crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with WebCrypto, so the same code runs
 * on Node and Workers: HMAC-SHA-1, 6 digits, 30-second steps, one step of clock drift either way —
 * what every authenticator app (Google Authenticator, 1Password, Authy) produces by default.
 */
export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;
/** Steps accepted either side of now: a phone a little fast or slow, or a code typed as it rolled over. */
export const TOTP_DRIFT_STEPS = 1;
/** 160 bits, the HMAC-SHA-1 block-friendly size RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 as people type it: any case, spaces and dashes ignored, padding optional. Null if not base32. */
export function base32Decode(text: string): Uint8Array<ArrayBuffer> | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/=+$/, '');
  if (!/^[A-Z2-7]*$/.test(clean)) return null;
  const out = new Uint8Array(Math.floor((clean.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let i = 0;
  for (const ch of clean) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out[i++] = (value >>> (bits - 8)) & 255;
      bits -= 8;
    }
  }
  return out;
}

export function newTotpSecret(): string {
  return base32Encode(crypto.getRandomValues(new Uint8Array(TOTP_SECRET_BYTES)));
}

/** The time step a moment falls in. */
export function totpStep(nowMs: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(nowMs / 1000 / stepSeconds);
}

function hmacKey(secret: Uint8Array<ArrayBuffer>, hash: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['sign']);
}

/** RFC 4226 HOTP: the dynamically truncated HMAC of the 8-byte big-endian counter, as `digits` decimal digits. */
export async function hotp(
  secret: Uint8Array<ArrayBuffer>,
  counter: number,
  options: { digits?: number; hash?: 'SHA-1' | 'SHA-256' | 'SHA-512' } = {},
): Promise<string> {
  const digits = options.digits ?? TOTP_DIGITS;
  const hash = options.hash ?? 'SHA-1';
  const message = new Uint8Array(8);
  // Counters stay far below 2^53; split into the high and low 32 bits explicitly.
  const view = new DataView(message.buffer);
  view.setUint32(0, Math.floor(counter / 2 ** 32));
  view.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret, hash), message));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator shows at `nowMs` for a base32 secret. */
export async function totpCode(secretBase32: string, nowMs: number): Promise<string> {
  const secret = base32Decode(secretBase32);
  if (!secret || secret.length === 0) throw new Error('Not a base32 secret.');
  return hotp(secret, totpStep(nowMs));
}

/** Six digits, spaces allowed ("123 456" as some apps show it). */
export function normaliseTotpInput(input: string): string | null {
  const digits = input.replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The step the code belongs to if it is valid now (within the drift) and newer than `lastUsedStep`,
 * else null. Refusing steps at or before the last one used makes every code single-use: someone who
 * watched it being typed cannot sign in with it too, even within its 30 seconds.
 */
export async function verifyTotp(
  secretBase32: string,
  input: string,
  nowMs: number,
  lastUsedStep: number | null = null,
): Promise<number | null> {
  const code = normaliseTotpInput(input);
  const secret = base32Decode(secretBase32);
  if (!code || !secret || secret.length === 0) return null;
  const current = totpStep(nowMs);
  const wanted = new TextEncoder().encode(code);
  let matched: number | null = null;
  // Every candidate is computed and compared, so timing does not tell which step matched.
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    const candidate = new TextEncoder().encode(await hotp(secret, step));
    if (timingSafeEqual(candidate, wanted) && (lastUsedStep === null || step > lastUsedStep) && matched === null) matched = step;
  }
  return matched;
}

/** The `otpauth://` URI authenticator apps read from the QR code (Key Uri Format). */
export function otpauthUri(secretBase32: string, account: string, issuer = 'Leadflare'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}

// ── Recovery codes ───────────────────────────────────────────────────────────

export const RECOVERY_CODE_COUNT = 10;
/** Without 0/O, 1/I/L: codes are read off paper and typed by hand. */
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** `XXXXX-XXXXX`: 10 characters from a 31-letter alphabet, about 49 bits each. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  while (codes.length < count) {
    const bytes = crypto.getRandomValues(new Uint8Array(10));
    // Rejection sampling keeps the letters uniform: 248 is the largest multiple of 31 below 256.
    if (bytes.some((b) => b >= 248)) continue;
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % 31]).join('');
    const code = `${chars.slice(0, 5)}-${chars.slice(5)}`;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** A recovery code as typed (any case, with or without the dash or spaces), or null if it cannot be one. */
export function normaliseRecoveryCode(input: string): string | null {
  const clean = input.toUpperCase().replace(/[\s-]/g, '');
  if (clean.length !== 10 || [...clean].some((c) => !RECOVERY_ALPHABET.includes(c))) return null;
  return `${clean.slice(0, 5)}-${clean.slice(5)}`;
}
