import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../deps';
import { AppError } from '../../domain/errors';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { getOutboxMessage, listOutbox, type OutboxReader } from '../../services/dev-outbox';
import { idParam, pageQuery } from '../schemas';

/** Where no dev outbox is configured (production), the routes do not exist. */
const devOutboxOn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.deps.devOutbox) throw new AppError(404, 'not_found', `No API route for ${c.req.method} ${c.req.path}.`);
  await next();
};

/** Mail HTML uses inline styles and remote images; it gets those and nothing else, in an opaque-origin sandbox. */
const MAIL_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox; frame-ancestors 'self'";

const reader = (scope: AppEnv['Variables']['scope']): OutboxReader => ({
  workspaceId: scope.workspaceId,
  userId: scope.user.id,
  email: scope.user.email,
});

/** The dev outbox (services/dev-outbox.ts): mail the app queued, readable by the members it concerns. */
export const outboxRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'Dev outbox: mail of this workspace and account mail to you, newest first',
      description: 'Only where no email provider is configured (locally) or DEV_OUTBOX=1; 404 otherwise.',
      returns: '`{ messages: [{ id, kind, to, from, subject, status, attempts, lastError, createdAt, sentAt }], nextCursor }`.',
    }),
    devOutboxOn,
    validate('query', pageQuery.pick({ cursor: true, limit: true })),
    async (c) => c.json(await listOutbox(c.var.deps.database.db, reader(c.var.scope), c.req.valid('query'))),
  )
  .get(
    '/:id',
    apiDoc({
      summary: 'Dev outbox: one message with its text and HTML bodies and headers',
      description: 'Only where the dev outbox is on; 404 otherwise, and for mail you may not see.',
    }),
    devOutboxOn,
    validate('param', idParam),
    async (c) => c.json(await getOutboxMessage(c.var.deps.database.db, reader(c.var.scope), c.req.valid('param').id)),
  )
  .get(
    '/:id/html',
    apiDoc({
      summary: 'Dev outbox: the HTML body alone, to show in a frame',
      description:
        'Served with a CSP that runs no script, loads nothing but inline styles and https/data images, and sandboxes the document, so a hostile body can do nothing even opened directly.',
      produces: 'text/html',
    }),
    devOutboxOn,
    validate('param', idParam),
    async (c) => {
      const message = await getOutboxMessage(c.var.deps.database.db, reader(c.var.scope), c.req.valid('param').id);
      c.header('content-security-policy', MAIL_HTML_POLICY);
      c.header('cache-control', 'no-store');
      return c.html(message.html);
    },
  );
