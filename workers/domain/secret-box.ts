import { base64url, fromBase64url } from './crypto';

/**
 * Encrypts small secrets kept in the database (a member's TOTP seed) with AES-256-GCM under a key
 * derived from the app secret by HKDF, so a copy of the database alone (a backup, a leaked
 * replica) cannot mint codes. `context` is bound in as additional data: a ciphertext moved to
 * another row (another member) does not decrypt there.
 *
 * Stored format: `v1.<iv b64url>.<ciphertext+tag b64url>`.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function boxKey(appSecret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${appSecret}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(appSecret), 'HKDF', false, ['deriveKey']).then((base) =>
      crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: new TextEncoder().encode('leadflare secret-box v1'),
          info: new TextEncoder().encode(purpose),
        },
        base,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      ),
    );
    keys.set(id, key);
  }
  return key;
}

export async function sealSecret(appSecret: string, purpose: string, context: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
    await boxKey(appSecret, purpose),
    new TextEncoder().encode(plaintext),
  );
  return `v1.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the box was sealed under another key or context, or was altered. */
export async function openSecret(appSecret: string, purpose: string, context: string, sealed: string): Promise<string | null> {
  const [version, iv, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !body) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: new TextEncoder().encode(context) },
      await boxKey(appSecret, purpose),
      fromBase64url(body),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
