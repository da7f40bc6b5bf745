import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import type { AppBootstrap } from '../../workers/contract';
import { createTestApp, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoLogin: { email: DEMO.email, password: DEMO.password } });
  await seedDemo(t.database, { clock: t.clock.now });
});
afterAll(() => t.close());

/** The session the /app shell carries inline for the app. */
async function bootstrapOf(client: TestClient): Promise<AppBootstrap> {
  const res = await client.get('/app');
  expect(res.status).toBe(200);
  const json = /<script type="application\/json" id="lf-bootstrap"[^>]*>([^<]*)<\/script>/.exec(await res.text())?.[1];
  return JSON.parse(json!) as AppBootstrap;
}

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

describe('sign-in pages (no JavaScript)', () => {
  it('shows the demo login hint and signs in with a plain form post', async () => {
    const client = t.client();
    const page = await (await client.get('/login')).text();
    expect(page).toContain('<label for="email">Email</label>');
    expect(page).toContain(DEMO.email);

    const res = await client.request('/login', form({ email: DEMO.email, password: DEMO.password }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app');

    // The app opens in the demo workspace; what it shows is checked in Chromium (test/e2e/app-shell.test.ts).
    expect(await bootstrapOf(client)).toMatchObject({ user: { email: DEMO.email }, workspaces: [{ name: 'Demo Shop', role: 'owner' }] });
  });

  it('re-renders the form with the email kept and a message per field', async () => {
    const res = await t.client().request('/login', form({ email: 'not-an-email', password: '' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('Enter a valid email address.');
    expect(html).toContain('role="alert"');
  });

  it('says so when the password is wrong', async () => {
    const res = await t.client().request('/login', form({ email: DEMO.email, password: 'wrong password' }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Email or password is incorrect.');
  });

  it('escapes user-provided names on every page', async () => {
    const client = t.client();
    const res = await client.request(
      '/signup',
      form({
        name: '<script>alert(1)</script>',
        email: 'xss@example.com',
        password: 'correct horse battery',
        workspaceName: '<img src=x onerror=alert(1)>',
      }),
    );
    expect(res.status).toBe(303);
    const html = await (await client.get('/app')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    // The names travel as JSON in the shell, with every "<" escaped, and come out as typed.
    expect(html).toContain('\\u003cscript>alert(1)\\u003c/script>');
    expect(await bootstrapOf(client)).toMatchObject({
      user: { name: '<script>alert(1)</script>' },
      workspaces: [{ name: '<img src=x onerror=alert(1)>' }],
    });
  });

  it('does not redirect off-site after sign-in', async () => {
    const res = await t.client().request('/login', form({ email: DEMO.email, password: DEMO.password, next: '//evil.example/steal' }));
    expect(res.headers.get('location')).toBe('/app');
  });

  it('walks an invitee from the link to the workspace', async () => {
    const owner = t.client();
    await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'editor' })).json()) as { token: string };

    const invitee = t.client();
    expect(await (await invitee.get(`/invite/${token}`)).text()).toContain('Demo Shop');
    const signup = await invitee.request(
      '/signup',
      form({ name: 'Eve Editor', email: 'eve@example.com', password: 'correct horse battery', next: `/invite/${token}` }),
    );
    expect(signup.status).toBe(303);
    expect(await bootstrapOf(invitee)).toMatchObject({ workspaces: [{ name: 'Demo Shop', role: 'editor' }] });
  });

  it('signs out with a form post and drops the session', async () => {
    const client = t.client();
    await client.request('/login', form({ email: DEMO.email, password: DEMO.password }));
    const res = await client.request('/logout', { method: 'POST' });
    expect(res.status).toBe(303);
    expect((await client.get('/app')).headers.get('location')).toBe('/login?next=/app');
  });
});
