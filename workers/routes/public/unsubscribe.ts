/**
 * `/u/<token>`: the unsubscribe link in every mail to a lead. GET shows a confirmation page with
 * one button (a link scanner or prefetch must not unsubscribe anybody); POST records it — from
 * that button, or straight from a mail client that honours `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click` (RFC 8058), which posts without cookies or a browser. The signed
 * token is the only credential, so the route is exempt from the cross-origin check (app.ts).
 * Pages are plain HTML under a strict CSP: no script, nothing loaded, forms only to this site.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../deps';
import { unsubscribeByToken, unsubscribeState, type UnsubscribeState } from '../../services/unsubscribe';
import { requestCaptureContext } from './capture-context';

const UNSUBSCRIBE_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const escapeText = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(c: Context<AppEnv>, status: 200 | 400, title: string, body: string) {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeText(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1c1f26}button{font:inherit;padding:.6rem 1.1rem;border-radius:6px;border:0;background:#1f2937;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}</style></head><body><main><h1>${escapeText(title)}</h1>${body}</main></body></html>`,
    status,
    { 'cache-control': 'no-store', 'content-security-policy': UNSUBSCRIBE_PAGE_POLICY, 'referrer-policy': 'no-referrer' },
  );
}

const p = (text: string) => `<p>${escapeText(text)}</p>`;

function answer(c: Context<AppEnv>, state: UnsubscribeState, justAsked: boolean) {
  switch (state.kind) {
    case 'invalid':
      return page(
        c,
        400,
        'This unsubscribe link does not work',
        p('It may have been cut short or changed. Open the link from the email again, or use the unsubscribe link of a newer email.'),
      );
    case 'gone':
      return page(
        c,
        200,
        'You are unsubscribed',
        p('We hold no address for this link any more, so you will get no more emails through it.'),
      );
    case 'lead':
      if (state.unsubscribedAt !== null) {
        return page(
          c,
          200,
          'You are unsubscribed',
          p(`${state.email} will get no more emails from ${state.workspace}.`) +
            (justAsked ? '' : p('You had unsubscribed already; nothing else to do.')),
        );
      }
      return page(
        c,
        200,
        `Unsubscribe from ${state.workspace}?`,
        p(`${state.email} will get no more emails from ${state.workspace}.`) +
          `<form method="post"><button type="submit">Unsubscribe</button></form>`,
      );
  }
}

export const unsubscribeRoutes = new Hono<AppEnv>()
  .get('/u/:token', async (c) => {
    const { deps } = c.var;
    return answer(c, await unsubscribeState(deps.database.db, deps.secret, c.req.param('token')), false);
  })
  .post('/u/:token', async (c) => answer(c, await unsubscribeByToken(requestCaptureContext(c), c.req.param('token')), true));
