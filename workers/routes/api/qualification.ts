import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** Qualification rules per funnel (`/api/funnels/:id/rules`, `/api/rules/:id`). */
export const qualificationRoutes = new Hono<AppEnv>();
