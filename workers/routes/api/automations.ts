import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** B2C automations of a pipeline (`/api/pipelines/:id/automations`). */
export const automationRoutes = new Hono<AppEnv>();
