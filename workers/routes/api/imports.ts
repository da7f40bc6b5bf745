import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** Spreadsheet imports (`/api/imports`). */
export const importRoutes = new Hono<AppEnv>();
