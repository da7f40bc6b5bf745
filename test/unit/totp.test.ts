import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../workers/domain/secret-box';
import {
  base32Decode,
  base32Encode,
  hotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from '../../workers/domain/totp';

const ascii = (s: string) => new TextEncoder().encode(s);
const SHA1_SECRET = ascii('12345678901234567890');
const SHA1_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('HOTP (RFC 4226 appendix D)', () => {
  it('gives the published 6-digit values for counters 0–9', async () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    const got = await Promise.all(expected.map((_, counter) => hotp(SHA1_SECRET, counter)));
    expect(got).toEqual(expected);
  });
});

describe('TOTP (RFC 6238 appendix B, 8 digits)', () => {
  const vectors: Array<[number, string, string, string]> = [
    // [unix seconds, SHA-1, SHA-256, SHA-512]
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  const sha256Secret = ascii('12345678901234567890123456789012');
  const sha512Secret = ascii('1234567890123456789012345678901234567890123456789012345678901234');

  it.each(vectors)('at T=%i', async (seconds, sha1, sha256, sha512) => {
    const step = totpStep(seconds * 1000);
    expect(await hotp(SHA1_SECRET, step, { digits: 8 })).toBe(sha1);
    expect(await hotp(sha256Secret, step, { digits: 8, hash: 'SHA-256' })).toBe(sha256);
    expect(await hotp(sha512Secret, step, { digits: 8, hash: 'SHA-512' })).toBe(sha512);
  });

  it('the 6-digit code apps show is the last six digits of the SHA-1 vector', async () => {
    expect(await totpCode(SHA1_BASE32, 59_000)).toBe('287082');
    expect(await totpCode(SHA1_BASE32, 1111111109_000)).toBe('081804');
    expect(await totpCode(SHA1_BASE32, 20000000000_000)).toBe('353130');
  });
});

describe('base32', () => {
  it('round-trips and reads the RFC secret', () => {
    expect(base32Encode(SHA1_SECRET)).toBe(SHA1_BASE32);
    expect(base32Decode(SHA1_BASE32)).toEqual(SHA1_SECRET);
    expect(base32Decode('gezd gnbv-gy3tqojqgezdgnbvgy3tqojq')).toEqual(SHA1_SECRET);
    expect(base32Decode('not base32!')).toBeNull();
  });

  it('new secrets are 160 bits of base32 and differ', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });
});

describe('verifyTotp', () => {
  const now = 1_800_000_000_000 + 10_000; // 10 s into a step
  const step = totpStep(now);

  it('accepts the current code, and one step either side, and nothing further', async () => {
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now), now)).toBe(step);
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now - 30_000), now)).toBe(step - 1);
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now + 30_000), now)).toBe(step + 1);
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now - 60_000), now)).toBeNull();
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now + 60_000), now)).toBeNull();
  });

  it('takes spaces, refuses anything that is not six digits', async () => {
    const code = await totpCode(SHA1_BASE32, now);
    expect(await verifyTotp(SHA1_BASE32, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(step);
    expect(await verifyTotp(SHA1_BASE32, code.slice(1), now)).toBeNull();
    expect(await verifyTotp(SHA1_BASE32, `${code}0`, now)).toBeNull();
    expect(await verifyTotp(SHA1_BASE32, 'abcdef', now)).toBeNull();
  });

  it('refuses a code whose step was already used (replay), and older ones, but takes a newer one', async () => {
    const code = await totpCode(SHA1_BASE32, now);
    expect(await verifyTotp(SHA1_BASE32, code, now, step)).toBeNull();
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now - 30_000), now, step)).toBeNull();
    expect(await verifyTotp(SHA1_BASE32, await totpCode(SHA1_BASE32, now + 30_000), now, step)).toBe(step + 1);
    // The same code 29 s later, still inside its window, is still refused.
    expect(await verifyTotp(SHA1_BASE32, code, now + 19_000, step)).toBeNull();
  });
});

describe('otpauth URI', () => {
  it('names the issuer and account and carries the parameters apps read', () => {
    const uri = otpauthUri(SHA1_BASE32, 'ava@example.com');
    expect(uri).toBe(`otpauth://totp/Leadflare:ava%40example.com?secret=${SHA1_BASE32}&issuer=Leadflare&algorithm=SHA1&digits=6&period=30`);
  });
});

describe('recovery codes', () => {
  it('are ten distinct XXXXX-XXXXX codes without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  });

  it('are read back however they are typed', () => {
    const [code] = newRecoveryCodes(1);
    expect(normaliseRecoveryCode(code!.toLowerCase())).toBe(code);
    expect(normaliseRecoveryCode(code!.replace('-', ' '))).toBe(code);
    expect(normaliseRecoveryCode('123456')).toBeNull();
    expect(normaliseRecoveryCode('OOOOO-IIIII')).toBeNull();
  });
});

describe('secret box', () => {
  it('opens only with the same app secret and context, and detects tampering', async () => {
    const sealed = await sealSecret('app-secret', 'totp', 'user-1', SHA1_BASE32);
    expect(sealed).not.toContain(SHA1_BASE32);
    expect(await openSecret('app-secret', 'totp', 'user-1', sealed)).toBe(SHA1_BASE32);
    expect(await openSecret('other-secret', 'totp', 'user-1', sealed)).toBeNull();
    expect(await openSecret('app-secret', 'totp', 'user-2', sealed)).toBeNull();
    expect(await openSecret('app-secret', 'totp', 'user-1', `${sealed.slice(0, -2)}AA`)).toBeNull();
    expect(await sealSecret('app-secret', 'totp', 'user-1', SHA1_BASE32)).not.toBe(sealed);
  });
});
