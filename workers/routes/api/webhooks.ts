import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** Outbound webhook endpoints and their delivery log (`/api/webhooks`). */
export const webhookRoutes = new Hono<AppEnv>();
