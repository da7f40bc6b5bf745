import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** Deals: CRUD and moves (`/api/deals`). */
export const dealRoutes = new Hono<AppEnv>();
