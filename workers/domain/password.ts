import { base64url, fromBase64url, timingSafeEqual } from './crypto';

/**
 * Password hashing with PBKDF2-HMAC-SHA256 through WebCrypto, the one KDF that runs natively on
 * both Node and Workers. 100,000 iterations is the most Workers' WebCrypto accepts (it rejects
 * higher counts), with a 16-byte random salt and a 32-byte derived key.
 *
 * Stored format: `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>` — the parameters travel
 * with the hash, so they can be raised later and old hashes still verify.
 */
const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, KEY_BYTES * 8);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  const iterations = Number(iter);
  if (scheme !== 'pbkdf2-sha256' || !salt || !hash || !Number.isInteger(iterations) || iterations < 1) {
    return false;
  }
  const actual = await derive(password, fromBase64url(salt), iterations);
  return timingSafeEqual(actual, fromBase64url(hash));
}

/** A hash of a random password: verifying against it costs as much as a real one (no user enumeration by timing). */
export const DUMMY_PASSWORD_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
