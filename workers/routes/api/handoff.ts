import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** The funnel-to-pipeline handoff report (`/api/handoff`). */
export const handoffRoutes = new Hono<AppEnv>();
