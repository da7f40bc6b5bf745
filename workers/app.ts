import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './domain/errors';
import type { AppDeps, AppEnv } from './deps';
import { loadUser, workspaceScope } from './middleware/auth';
import { crossOriginProtection } from './middleware/cross-origin';
import { errorResponse, handleError } from './middleware/errors';
import { requestLog } from './middleware/request-log';
import { securityHeaders } from './middleware/security-headers';
import { authRoutes } from './routes/api/auth';
import { invitationRoutes } from './routes/api/invitations';
import { meRoutes } from './routes/api/me';
import { pipelineRoutes } from './routes/api/pipelines';
import { workspaceRoutes } from './routes/api/workspace';
import { funnelRoutes, pageRoutes } from './routes/api/funnels';
import { leadRoutes, submissionRoutes } from './routes/api/leads';
import { exportRoutes } from './routes/api/exports';
import { reportRoutes } from './routes/api/reports';
import { automationRoutes } from './routes/api/automations';
import { dealRoutes } from './routes/api/deals';
import { handoffRoutes } from './routes/api/handoff';
import { importRoutes } from './routes/api/imports';
import { qualificationRoutes } from './routes/api/qualification';
import { webhookRoutes } from './routes/api/webhooks';
import { serverEventRoutes } from './routes/api/server-events';
import { adminPageRoutes } from './routes/public/admin-pages';
import { pipelinePageRoutes } from './routes/public/pipeline-pages';
import { embedRoutes } from './routes/public/embed';
import { customDomains, landingRoutes } from './routes/public/landing';
import { trackRoutes } from './routes/public/track';
import { healthRoutes } from './routes/public/health';

const API_BODY_LIMIT_BYTES = 256 * 1024;

/** The only place routes are mounted. It reads no environment: everything comes in through `deps`. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.onError(handleError);
  app.use('*', requestLog());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders);
  // The embedded form posts cross-origin on purpose; its route checks the workspace's allowed origins.
  app.use('*', crossOriginProtection({ exempt: (path) => path.startsWith('/embed/forms/') }));
  app.use('*', customDomains());

  app.route('/', healthRoutes);
  app.route('/', landingRoutes);
  app.route('/', embedRoutes);
  app.route('/', trackRoutes);

  const api = new Hono<AppEnv>();
  api.use(
    '*',
    bodyLimit({
      maxSize: API_BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError(413, 'payload_too_large', `Request bodies are limited to ${API_BODY_LIMIT_BYTES / 1024} KB.`);
      },
    }),
  );
  api.use('*', loadUser);
  api.route('/auth', authRoutes);
  api.route('/me', meRoutes);
  api.route('/invitations', invitationRoutes);
  api.route('/v1', serverEventRoutes);
  // Admin resources act on one workspace, resolved once from the session by `workspaceScope`.
  const scoped: Array<[string, Hono<AppEnv>]> = [
    ['/workspace', workspaceRoutes],
    ['/pipelines', pipelineRoutes],
    ['/pipelines', automationRoutes],
    ['/deals', dealRoutes],
    ['/funnels', funnelRoutes],
    ['/funnels', reportRoutes],
    ['/funnels', qualificationRoutes],
    ['/handoff', handoffRoutes],
    ['/imports', importRoutes],
    ['/webhooks', webhookRoutes],
    ['/pages', pageRoutes],
    ['/leads', leadRoutes],
    ['/submissions', submissionRoutes],
    ['/exports', exportRoutes],
  ];
  for (const path of new Set(scoped.map(([p]) => p))) {
    api.use(path, workspaceScope);
    api.use(`${path}/*`, workspaceScope);
  }
  for (const [path, routes] of scoped) api.route(path, routes);
  api.all('*', (c) => errorResponse(c, 404, 'not_found', `No API route for ${c.req.method} ${c.req.path}.`));
  app.route('/api', api);

  app.route('/', adminPageRoutes);
  app.route('/', pipelinePageRoutes);
  return app;
}

export type App = ReturnType<typeof createApp>;
