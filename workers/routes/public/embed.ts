/**
 * The embeddable form's server side: the script, each form's definition (with a fresh submission
 * token), and the cross-origin capture endpoint, open only to the workspace's allowed origins.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { AppError, TooManyAttempts, forbidden, notFound } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { validate } from '../../middleware/validate';
import { EMBED_JS } from '../../../pages-ui/embed/generated';
import { BLOCK_FIELD, HONEYPOT_FIELD, TOKEN_FIELD } from '../../../pages-ui/landing/form-constants';
import { captureSubmission, hashIp, issueSubmissionToken } from '../../services/capture';
import { edgeLimit, humanCheckFor, requestCaptureContext } from './capture-context';
import { findEmbeddedForm, type EmbeddedForm } from '../../services/embed-forms';
import { resolveVisitor, shouldTrack } from '../../middleware/visitor-identity';

const submitSchema = z.object({
  token: z.string().min(1).max(2000),
  /** The Turnstile widget's token, when the funnel has the check on (`turnstile.siteKey` in the form's definition). */
  turnstileToken: z.string().max(2048).optional(),
  values: z.record(z.string().max(100), z.string().max(10_000)),
});

const DEFAULT_SUCCESS = 'Thank you! Check your inbox.';

async function formFor(c: Context<AppEnv>): Promise<EmbeddedForm> {
  const form = await findEmbeddedForm(c.var.deps.database.db, c.req.param('id') ?? '');
  if (!form) throw notFound('Form');
  return form;
}

/** CORS for an allowed origin only; anything else gets no CORS headers (the browser then blocks it). */
function allowOrigin(c: Context<AppEnv>, form: EmbeddedForm): boolean {
  const origin = c.req.header('origin');
  if (!origin || !form.allowedOrigins.includes(origin)) return false;
  c.header('access-control-allow-origin', origin);
  c.header('vary', 'Origin');
  return true;
}

function refuseOrigin(): AppError {
  return forbidden('This site may not embed this form. Add it to the workspace’s allowed origins.', 'origin_not_allowed');
}

/** The form of a post from an allowed origin, found once by `allowedOrigin` before the body is read. */
const formOfRequest = new WeakMap<Request, EmbeddedForm>();

const allowedOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const form = await formFor(c);
  if (!allowOrigin(c, form)) throw refuseOrigin();
  formOfRequest.set(c.req.raw, form);
  await next();
};

export const embedRoutes = new Hono<AppEnv>()
  .get('/embed.js', (c) =>
    c.body(EMBED_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'access-control-allow-origin': '*',
    }),
  )
  .options('/embed/forms/:id', async (c) => {
    const form = await formFor(c);
    if (!allowOrigin(c, form)) throw refuseOrigin();
    return c.body(null, 204, {
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
  })
  .get('/embed/forms/:id', async (c) => {
    const form = await formFor(c);
    allowOrigin(c, form);
    const { block } = form;
    return c.json(
      {
        title: block.title,
        fields: block.fields,
        consent: block.consent,
        submitLabel: block.submitLabel,
        successMessage: DEFAULT_SUCCESS,
        /** Set when the funnel asks for Cloudflare Turnstile: the embed renders the widget and posts its token as `turnstileToken`. */
        turnstile: form.turnstileSiteKey ? { siteKey: form.turnstileSiteKey } : null,
        token: await issueSubmissionToken(c.var.deps.secret, form.pageVersionId, c.var.deps.clock()),
      },
      200,
      { 'cache-control': 'no-store' },
    );
  })
  .post('/embed/forms/:id', allowedOrigin, validate('json', submitSchema), async (c) => {
    const form = formOfRequest.get(c.req.raw)!;
    const input = c.req.valid('json');
    const { deps } = c.var;
    const ipHash = await hashIp(deps.secret, deps.clientIp(c));
    const burst = await edgeLimit(c, 'capture', `${ipHash}:${form.funnelId}`);
    if (!burst.ok) {
      throw new TooManyAttempts(
        burst.retryAfterSeconds,
        'Too many submissions from your network just now. Please wait and try again.',
        'rate_limited',
      );
    }
    // The embed posts without cookies: a cookieless-mode visitor is known from the request; in cookie
    // mode (id null) the capture links the lead's own visitor.
    const visitor = shouldTrack(c, form.settings).track
      ? { tracked: true as const, id: (await resolveVisitor(c, form.workspaceId, form.settings, false))?.id ?? null }
      : { tracked: false as const };
    const result = await captureSubmission(
      requestCaptureContext(c),
      form,
      { ...input.values, [BLOCK_FIELD]: form.block.id, [TOKEN_FIELD]: input.token },
      {
        ipHash,
        honeypot: input.values[HONEYPOT_FIELD],
        visitor,
        humanCheck: humanCheckFor(c, form.workspaceId, form.turnstileSiteKey, input.turnstileToken),
      },
    );
    switch (result.kind) {
      case 'stored':
      case 'dropped': // bots see success and learn nothing
        return c.json({ ok: true }, 201);
      case 'rate_limited':
        // The error handler sets Retry-After from it (a header set here would be lost with the thrown error).
        throw new TooManyAttempts(result.retryAfterSeconds, 'Too many attempts. Please wait a few minutes and try again.', 'rate_limited');
      case 'human_check_failed':
        if (result.reason === 'unavailable') throw new AppError(503, 'human_check_unavailable', result.message);
        throw new AppError(400, 'human_check_failed', result.message);
      case 'bad_request':
        throw new AppError(400, 'bad_request', result.message);
      case 'invalid':
        throw new AppError(
          400,
          'validation_failed',
          result.message ?? 'Please correct the highlighted fields.',
          Object.entries(result.errors).map(([path, message]) => ({ path, message })),
        );
    }
  });
