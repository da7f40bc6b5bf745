import type { Client } from '@libsql/client';
import type { AuthLimits } from '../domain/auth-limits';
import { randomToken, sha256Hex } from '../domain/crypto';
import { signToken, verifyToken } from '../domain/signed-tokens';
import { TooManyAttempts } from '../domain/errors';
import { countHits, takeBack, type FixedWindow, type Hit } from './rate-limits';

/** Who is trying: the keyed IP hash, plus what keys the account's counter and how much is allowed. */
export interface AttemptSource {
  /** `hashIp(secret, ip)`: the raw address is never stored. */
  ipHash: string;
  /** Keys the account's counter, so `rate_limit_buckets` holds no email address. */
  secret: string;
  limits: AuthLimits;
  userAgent?: string;
  requestId?: string;
  /** The browser's trusted-device cookie, if it has one (see `trustedDeviceToken`). */
  deviceToken?: string;
}

export interface CountedAttempt {
  /** The attempt turned out fine: it stops counting against the IP, and the account starts afresh. */
  succeeded(): Promise<void>;
}

async function accountKey(kind: 'login' | 'signup', secret: string, email: string) {
  return `${kind}:account:${(await sha256Hex(`${secret}|account|${email}`)).slice(0, 32)}`;
}

/**
 * Counts the attempt *before* the password is checked: parallel guesses then cannot all pass a
 * check made while none of them had counted yet. Unknown emails count exactly like known ones, so
 * the limit reveals no more about which addresses have accounts than the 401 does.
 */
async function countAttempt(
  client: Client,
  now: number,
  keys: Array<{ key: string; window: FixedWindow }>,
  message: string,
  onRefused?: (hits: Hit[]) => Promise<void>,
): Promise<Hit[]> {
  const hits = await countHits(client, keys, now);
  const waits = hits.map((h) => h.retryAfterSeconds).filter((s): s is number => s !== null);
  if (waits.length && onRefused) await onRefused(hits);
  if (waits.length) throw new TooManyAttempts(Math.max(...waits), message.replace('{wait}', describeWait(Math.max(...waits))));
  return hits;
}

function describeWait(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}

/** How long a browser stays trusted for an account after signing in to it. */
export const TRUSTED_DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000;

interface TrustedDevice {
  k: 'trusted_device';
  /** The account's counter key (a keyed hash: no email in the cookie). */
  a: string;
  /** This browser's own counter. */
  n: string;
  e: number;
}

/**
 * "This browser has signed in to this account" (OWASP's device cookies): given to a browser at
 * every successful sign-in. With it, that browser's failed sign-ins count against its own counter
 * instead of the account's, so a stranger who spends the account's 10 failures locks out only
 * browsers that never signed in to it — not its owner.
 */
export async function trustedDeviceToken(secret: string, email: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = now + TRUSTED_DEVICE_TTL_MS;
  const device: TrustedDevice = { k: 'trusted_device', a: await accountKey('login', secret, email), n: randomToken(12), e: expiresAt };
  return { token: await signToken(secret, device), expiresAt };
}

/** The browser's own counter key, when its cookie is ours, unexpired, and for this account. */
async function trustedDeviceKey(source: AttemptSource, account: string, now: number): Promise<string | null> {
  const device = await verifyToken<TrustedDevice>(source.secret, source.deviceToken);
  if (device?.k !== 'trusted_device' || device.a !== account || !(device.e > now) || typeof device.n !== 'string') return null;
  return `login:device:${device.n}`;
}

/**
 * A sign-in attempt: over either limit it throws `TooManyAttempts` (429) without checking the
 * password. `onAccountLocked` runs once per window, on the first attempt the account's limit
 * refuses. A browser trusted for the account (`trustedDeviceToken`) has a counter of its own, with
 * the same limit, in place of the account's.
 */
export async function countLoginAttempt(
  client: Client,
  source: AttemptSource,
  email: string,
  now: number,
  onAccountLocked?: () => Promise<void>,
): Promise<CountedAttempt> {
  const { limits } = source;
  const account = await accountKey('login', source.secret, email);
  const device = await trustedDeviceKey(source, account, now);
  const counter = device ?? account;
  const hits = await countAttempt(
    client,
    now,
    [
      { key: `login:ip:${source.ipHash}`, window: { limit: limits.loginFailuresPerIp, windowMs: limits.windowMs } },
      { key: counter, window: { limit: limits.loginFailuresPerAccount, windowMs: limits.windowMs } },
    ],
    'Too many sign-in attempts. Try again in {wait}.',
    async ([, hit]) => {
      if (!device && onAccountLocked && hit?.count === limits.loginFailuresPerAccount + 1) await onAccountLocked();
    },
  );
  // Success takes back only its own count from the IP (earlier failures from it still stand).
  return { succeeded: () => takeBack(client, { forget: [hits[0]!], reset: [counter] }) };
}

/** A sign-up attempt: every one counts, successful or not (each can create an account). */
export async function countSignupAttempt(client: Client, source: AttemptSource, email: string, now: number): Promise<void> {
  const { limits } = source;
  await countAttempt(
    client,
    now,
    [
      { key: `signup:ip:${source.ipHash}`, window: { limit: limits.signupsPerIp, windowMs: limits.windowMs } },
      { key: await accountKey('signup', source.secret, email), window: { limit: limits.signupsPerAccount, windowMs: limits.windowMs } },
    ],
    'Too many sign-up attempts from here. Try again in {wait}.',
  );
}

/**
 * A two-factor code attempt (sign-in's second step, or confirming a change with a code): counted
 * per account and per IP hash before the code is checked, like a password. Success clears the
 * account's count.
 */
export async function countTwoFactorAttempt(client: Client, source: AttemptSource, userId: string, now: number): Promise<CountedAttempt> {
  const { limits } = source;
  const account = `2fa:account:${userId}`;
  const hits = await countAttempt(
    client,
    now,
    [
      { key: `2fa:ip:${source.ipHash}`, window: { limit: limits.twoFactorFailuresPerIp, windowMs: limits.windowMs } },
      { key: account, window: { limit: limits.twoFactorFailuresPerAccount, windowMs: limits.windowMs } },
    ],
    'Too many wrong codes. Try again in {wait}.',
  );
  return { succeeded: () => takeBack(client, { forget: [hits[0]!], reset: [account] }) };
}
