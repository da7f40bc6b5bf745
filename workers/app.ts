import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './domain/errors';
import type { AppDeps, AppEnv } from './deps';
import { loadUser, requireUser, workspaceScope } from './middleware/auth';
import { crossOriginProtection } from './middleware/cross-origin';
import { errorResponse, handleError } from './middleware/errors';
import { securityHeaders } from './middleware/security-headers';
import { authRoutes } from './routes/api/auth';
import { invitationRoutes } from './routes/api/invitations';
import { meRoutes } from './routes/api/me';
import { pipelineRoutes } from './routes/api/pipelines';
import { workspaceRoutes } from './routes/api/workspace';
import { funnelRoutes, pageRoutes } from './routes/api/funnels';
import { blockRoutes } from './routes/api/blocks';
import { leadRoutes, submissionRoutes } from './routes/api/leads';
import { exportRoutes } from './routes/api/exports';
import { reportRoutes } from './routes/api/reports';
import { automationRoutes } from './routes/api/automations';
import { dealRoutes } from './routes/api/deals';
import { activityRoutes } from './routes/api/activities';
import { handoffRoutes } from './routes/api/handoff';
import { importRoutes } from './routes/api/imports';
import { qualificationRoutes } from './routes/api/qualification';
import { webhookRoutes } from './routes/api/webhooks';
import { serverEventRoutes } from './routes/api/server-events';
import { accountPageRoutes } from './routes/public/account-pages';
import { appShellRoutes } from './routes/public/app-shell';
import { templateRoutes } from './routes/api/templates';
import { embedRoutes } from './routes/public/embed';
import { pagePreviewRoutes } from './routes/public/page-preview';
import { customDomains, landingRoutes } from './routes/public/landing';
import { trackRoutes } from './routes/public/track';
import { healthRoutes } from './routes/public/health';
import { apiDocsRoutes } from './routes/api/docs';
import { requestLog } from './middleware/request-log';
import { mediaRoutes } from './routes/api/media';
import { mediaFileRoutes } from './routes/public/media';
import { leadPrivacyRoutes, workspaceExportRoutes } from './routes/api/privacy';
import { funnelTurnstileRoutes, workspaceTurnstileRoutes } from './routes/api/turnstile';
import { outboxRoutes } from './routes/api/outbox';
import { notificationRoutes } from './routes/api/notifications';
import { unsubscribeRoutes } from './routes/public/unsubscribe';
import { auditRoutes } from './routes/api/audit';
import { auditTrail } from './middleware/audit-trail';
import { accountEmailPageRoutes } from './routes/public/account-email-pages';
import { verificationRoutes } from './routes/api/verification';

const API_BODY_LIMIT_BYTES = 256 * 1024;

/** Admin resources act on one workspace, resolved once from the session by `workspaceScope`. */
const SCOPED_PREFIXES = [
  '/workspace',
  '/pipelines',
  '/deals',
  '/activities',
  '/funnels',
  '/handoff',
  '/imports',
  '/webhooks',
  '/pages',
  '/leads',
  '/submissions',
  '/exports',
  '/templates',
  '/media',
  '/outbox',
  '/audit',
];

/** Uploads to the media library carry files of up to 20 MB; that route sets its own limit. */
const hasOwnBodyLimit = (method: string, path: string) => method === 'POST' && (path === '/api/media' || path === '/api/media/');

/**
 * The only place routes are mounted. It reads no environment: everything comes in through `deps`.
 * Routes are chained so `AppType` carries every route's input and output for the typed client.
 */
export function createApp(deps: AppDeps) {
  const apiBodyLimit = bodyLimit({
    maxSize: API_BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `Request bodies are limited to ${API_BODY_LIMIT_BYTES / 1024} KB.`);
    },
  });
  const api = new Hono<AppEnv>()
    .use('*', (c, next) => (hasOwnBodyLimit(c.req.method, c.req.path) ? next() : apiBodyLimit(c, next)))
    .use('*', loadUser);
  for (const prefix of SCOPED_PREFIXES) api.use(prefix, workspaceScope).use(`${prefix}/*`, workspaceScope);

  const routes = api
    .route('/auth', authRoutes)
    .route('/me/verification', verificationRoutes)
    .route('/me', meRoutes)
    .route('/invitations', invitationRoutes)
    .route('/v1', serverEventRoutes)
    .route('/workspace', workspaceRoutes)
    .route('/workspace', workspaceExportRoutes)
    .route('/workspace', workspaceTurnstileRoutes)
    .route('/pipelines', pipelineRoutes)
    .route('/pipelines', automationRoutes)
    .route('/deals', dealRoutes)
    .route('/activities', activityRoutes)
    // Reports first: their `/funnels/stats` would otherwise be read as the funnel id "stats".
    .route('/funnels', reportRoutes)
    .route('/funnels', funnelRoutes)
    .route('/funnels', qualificationRoutes)
    .route('/funnels', funnelTurnstileRoutes)
    .route('/handoff', handoffRoutes)
    .route('/imports', importRoutes)
    .route('/webhooks', webhookRoutes)
    .route('/pages', pageRoutes)
    .route('/blocks', blockRoutes)
    .route('/leads', leadRoutes)
    .route('/leads', leadPrivacyRoutes)
    .route('/submissions', submissionRoutes)
    .route('/exports', exportRoutes)
    .route('/templates', templateRoutes)
    .route('/media', mediaRoutes)
    .route('/outbox', outboxRoutes)
    .route('/me/notifications', notificationRoutes)
    .route('/audit', auditRoutes);

  const app = new Hono<AppEnv>();
  app.onError(handleError);
  const mounted = app
    .use('*', requestLog())
    .use('*', async (c, next) => {
      c.set('deps', deps);
      await next();
    })
    .use('*', securityHeaders)
    // Outside the cross-origin check and auth, so it sees their outcome; it records only successes.
    .use('*', auditTrail)
    // The embedded form posts cross-origin on purpose; its route checks the workspace's allowed origins.
    // The unsubscribe link takes mail clients' one-click POST (RFC 8058); its signed token is the credential.
    .use('*', crossOriginProtection({ exempt: (path) => path.startsWith('/embed/forms/') || path.startsWith('/u/') }))
    .use('*', customDomains())
    .route('/', healthRoutes)
    // Before the landing routes: /assets/app/* are the app's hashed files, not landing assets.
    .route('/', appShellRoutes)
    .route('/', landingRoutes)
    .route('/', pagePreviewRoutes)
    .route('/', embedRoutes)
    .route('/', trackRoutes)
    .route('/', mediaFileRoutes)
    .route('/', unsubscribeRoutes)
    .route('/api', routes)
    // The reference documents the app's own routes, read when it is first asked for.
    .route(
      '/api',
      apiDocsRoutes(() => app.routes, { requireUser, workspaceScope }),
    )
    .all('/api/*', (c) => errorResponse(c, 404, 'not_found', `No API route for ${c.req.method} ${c.req.path}.`))
    .route('/', accountEmailPageRoutes)
    .route('/', accountPageRoutes);
  return mounted;
}

export type App = ReturnType<typeof createApp>;
/** Every route's inputs and outputs: `hc<AppType>(origin)` is the typed client of the app and tests. */
export type AppType = App;
