import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, useHmacSha256, verifyToken } from '../../workers/domain/signed-tokens';

describe('signed tokens', () => {
  it('round-trips a payload and refuses tampering', async () => {
    const token = await signToken('s3cret-s3cret-s3cret', { a: 1, b: 'x' });
    expect(await verifyToken('s3cret-s3cret-s3cret', token)).toEqual({ a: 1, b: 'x' });
    expect(await verifyToken('other-secret-value!!', token)).toBeNull();
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ a: 2, b: 'x' })).toString('base64url');
    expect(await verifyToken('s3cret-s3cret-s3cret', `${forged}.${mac}`)).toBeNull();
    expect(await verifyToken('s3cret-s3cret-s3cret', `${body}.`)).toBeNull();
    expect(await verifyToken('s3cret-s3cret-s3cret', 'garbage')).toBeNull();
  });

  it('gives the same tokens with WebCrypto and with node:crypto', async () => {
    const webCrypto = async (secret: string, data: string) =>
      new Uint8Array(
        await crypto.subtle.sign(
          'HMAC',
          await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
          new TextEncoder().encode(data),
        ),
      );
    useHmacSha256(webCrypto);
    const viaWebCrypto = await signToken('k-k-k-k-k-k-k-k-k', { n: 'abc', t: 1 });
    useHmacSha256((secret, data) => createHmac('sha256', secret).update(data).digest());
    const viaNode = await signToken('k-k-k-k-k-k-k-k-k', { n: 'abc', t: 1 });
    expect(viaNode).toBe(viaWebCrypto);
    expect(await verifyToken('k-k-k-k-k-k-k-k-k', viaWebCrypto)).toEqual({ n: 'abc', t: 1 });
  });
});
