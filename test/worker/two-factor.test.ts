/**
 * Two-factor sign-in in workerd: the TOTP check, the sealed secret (HKDF + AES-GCM) and the signed
 * pending-login token run on Workers' WebCrypto exactly as on Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../workers/domain/totp';
import { startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
});
afterAll(() => w?.close());

const json = (body: unknown, cookie?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  body: JSON.stringify(body),
});
const sessionCookie = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('lf_session='))
    ?.split(';')[0];

describe('two-factor authentication in workerd', () => {
  it('enrols, then signs in with the password and a code, and with a recovery code once', async () => {
    const signup = await w.fetch(
      '/api/auth/signup',
      json({ email: 'edge-2fa@example.com', password: 'correct horse battery', name: 'Edge' }),
    );
    expect(signup.status).toBe(201);
    const cookie = sessionCookie(signup)!;
    const setup = (await (await w.fetch('/api/me/two-factor/setup', json({}, cookie))).json()) as { secret: string };
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    const confirm = await w.fetch('/api/me/two-factor/confirm', json({ code: await totpCode(setup.secret, Date.now()) }, cookie));
    expect(confirm.status).toBe(200);
    const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };

    const passwordStep = async () => {
      const res = await w.fetch('/api/auth/login', json({ email: 'edge-2fa@example.com', password: 'correct horse battery' }));
      expect(sessionCookie(res)).toBeUndefined();
      return ((await res.json()) as { status: string; pendingToken: string }).pendingToken;
    };
    // The enrolment used this step's code; the next step's is within the one-step drift and unused.
    const withCode = await w.fetch(
      '/api/auth/login/two-factor',
      json({ pendingToken: await passwordStep(), code: await totpCode(setup.secret, Date.now() + 30_000) }),
    );
    expect(withCode.status).toBe(200);
    expect(sessionCookie(withCode)).toBeDefined();

    const token = await passwordStep();
    const withRecovery = await w.fetch('/api/auth/login/two-factor', json({ pendingToken: token, code: recoveryCodes[0] }));
    expect(withRecovery.status).toBe(200);
    expect(await withRecovery.json()).toMatchObject({ status: 'signed_in', method: 'recovery_code' });
    const reused = await w.fetch('/api/auth/login/two-factor', json({ pendingToken: token, code: recoveryCodes[0] }));
    expect(reused.status).toBe(400);
  });
});
