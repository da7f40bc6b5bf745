import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoLogin: { email: DEMO.email, password: DEMO.password } });
  await seedDemo(t.database, { clock: t.clock.now });
});
afterAll(() => t.close());

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

    const app = await (await client.get('/app')).text();
    expect(app).toContain('Demo Shop');
    expect(app).toContain('Demo B2C e-commerce pipeline - 1');
    expect(app).toContain('$250.00');
    expect(app).toContain('Funnel to pipeline handoff');
    const board = app.match(/href="(\/app\/pipelines\/[^"]+)">\s*Open the Demo B2C e-commerce pipeline - 1 board/);
    expect(board).not.toBeNull();
    expect(await (await client.get(board![1]!)).text()).toContain('Cosmetics set - Ava Smith');
    // The funnel at a glance, from the seeded journeys.
    expect(app).toContain('Funnel: Cosmetics set');
    expect(app).toMatch(/<th scope="row">awareness<\/th><td><span class="bar" style="width:100%" aria-hidden="true"><\/span>400<\/td>/);
    expect(app).toContain('instagram / social / cosmetics-set-launch');
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
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).not.toContain('<img src=x');
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
    const app = await (await invitee.get('/app')).text();
    expect(app).toContain('Demo Shop');
    expect(app).toContain('your role: editor');
  });

  it('signs out with a form post and drops the session', async () => {
    const client = t.client();
    await client.request('/login', form({ email: DEMO.email, password: DEMO.password }));
    const res = await client.request('/logout', { method: 'POST' });
    expect(res.status).toBe(303);
    expect((await client.get('/app')).headers.get('location')).toBe('/login?next=/app');
  });
});
