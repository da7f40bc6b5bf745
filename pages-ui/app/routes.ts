/**
 * Every URL of the app and the view it shows, in one table (app.tsx renders it with preact-iso's
 * Router). Views load lazily: each `import()` is its own chunk, fetched on first visit.
 *
 * To add a view: create `views/<name>/<view>.tsx` with a default-exported component that renders
 * `<View title=…>`, then add a line here. Path parameters arrive as props (`/app/leads/:id` → `id`).
 */
import type { AnyComponent } from 'preact';
import { lazyView } from './shell/lazy-view';

export interface AppRoute {
  path: string;
  view: AnyComponent<object>;
}

export const ROUTES: AppRoute[] = [
  { path: '/app/funnels', view: lazyView(() => import('./views/funnels/list')) },
  // Before `/app/funnels/:id`: the first route that matches wins, and "new" is no funnel id.
  { path: '/app/funnels/new', view: lazyView(() => import('./views/funnels/new')) },
  { path: '/app/funnels/:id', view: lazyView(() => import('./views/funnels/detail')) },
  { path: '/app/funnels/:id/pages/:pageId', view: lazyView(() => import('./views/editor/editor')) },
  { path: '/app/media', view: lazyView(() => import('./views/media/library')) },
  { path: '/app/leads', view: lazyView(() => import('./views/leads/list')) },
  { path: '/app/leads/:id', view: lazyView(() => import('./views/leads/detail')) },
  { path: '/app/pipelines', view: lazyView(() => import('./views/pipelines/list')) },
  { path: '/app/pipelines/:id', view: lazyView(() => import('./views/pipelines/board')) },
  { path: '/app/pipelines/:id/settings', view: lazyView(() => import('./views/pipelines/editor')) },
  { path: '/app/deals/:id', view: lazyView(() => import('./views/deals/deal')) },
  { path: '/app/activities', view: lazyView(() => import('./views/activities/my-activities')) },
  { path: '/app/dashboard', view: lazyView(() => import('./views/dashboard/dashboard')) },
  { path: '/app/settings', view: lazyView(() => import('./views/settings/settings')) },
  { path: '/app/settings/members', view: lazyView(() => import('./views/settings/members')) },
  { path: '/app/settings/api-keys', view: lazyView(() => import('./views/settings/api-keys')) },
  { path: '/app/settings/webhooks', view: lazyView(() => import('./views/settings/webhooks')) },
  { path: '/app/settings/webhooks/:id', view: lazyView(() => import('./views/settings/webhook')) },
  { path: '/app/settings/scoring', view: lazyView(() => import('./views/settings/scoring')) },
  { path: '/app/settings/scoring/:funnelId', view: lazyView(() => import('./views/settings/scoring')) },
  { path: '/app/settings/embedding', view: lazyView(() => import('./views/settings/embedding')) },
  { path: '/app/settings/privacy', view: lazyView(() => import('./views/settings/privacy')) },
  { path: '/app/settings/sessions', view: lazyView(() => import('./views/settings/sessions')) },
  { path: '/app/settings/security', view: lazyView(() => import('./views/settings/security')) },
  { path: '/app/settings/notifications', view: lazyView(() => import('./views/settings/notifications')) },
  { path: '/app/settings/audit-log', view: lazyView(() => import('./views/settings/audit-log')) },
  { path: '/app/outbox', view: lazyView(() => import('./views/outbox/outbox')) },
  { path: '/app/outbox/:id', view: lazyView(() => import('./views/outbox/message')) },
];

/** The view for any other /app URL. */
export const NOT_FOUND = lazyView(() => import('./views/not-found/not-found'));

/** `/app` itself opens the funnel list. */
export const HOME = '/app/funnels';

/**
 * The main navigation, in order. A view belongs to the item whose `href` (or one of its `owns`
 * prefixes) its path starts with.
 */
export const NAV: Array<{ href: string; label: string; owns?: string[] }> = [
  { href: '/app/funnels', label: 'Funnels' },
  { href: '/app/media', label: 'Media' },
  { href: '/app/leads', label: 'Leads' },
  // A deal is opened from its board.
  { href: '/app/pipelines', label: 'Pipelines', owns: ['/app/deals'] },
  { href: '/app/activities', label: 'Activities' },
  { href: '/app/dashboard', label: 'Dashboard' },
  { href: '/app/settings', label: 'Settings' },
];
