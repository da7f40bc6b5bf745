/**
 * Cloudflare Turnstile settings: per funnel (on/off, the public site key) for editors, and the
 * workspace's secret key for owners — written here, never read back (only a hint).
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { requireRole } from '../../middleware/auth';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { idParam } from '../schemas';
import { serviceCtx } from '../service-context';
import {
  deleteTurnstileSecret,
  getTurnstileSettings,
  saveTurnstileSecret,
  saveTurnstileSettings,
  turnstileSecretView,
} from '../../services/turnstile';

/** Turnstile keys: a digit, `x`, then letters, digits, `_` and `-` (e.g. `0x4AAAAAAAB…`, or the test key `1x00000000000000000000AA`). */
const turnstileKey = (what: string) =>
  z
    .string()
    .trim()
    .regex(
      /^[0-9]x[0-9A-Za-z_-]{10,100}$/,
      `Paste the ${what} from the Turnstile page of your Cloudflare dashboard (it starts like 0x4AAA…).`,
    );

const settingsSchema = z
  .object({ enabled: z.boolean(), siteKey: turnstileKey('site key').nullable() })
  .meta({ examples: [{ enabled: true, siteKey: '0x4AAAAAAAC3DHQFLr1GavRN' }] });
const secretSchema = z
  .object({ secretKey: turnstileKey('secret key') })
  .meta({ examples: [{ secretKey: '0x4AAAAAAAC3DHQhMMQ_Rxrg1MmhVvnrNcE' }] });

const SETTINGS_RETURNS = '`{enabled, siteKey, secret: {source: "workspace"|"environment"|null, hint}}` — never the secret key itself.';

/** Mounted at /api/funnels. */
export const funnelTurnstileRoutes = new Hono<AppEnv>()
  .get(
    '/:id/turnstile',
    apiDoc({ summary: 'The funnel’s Cloudflare Turnstile setting', returns: SETTINGS_RETURNS }),
    validate('param', idParam),
    async (c) =>
      c.json(await getTurnstileSettings(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.var.deps.turnstile)),
  )
  .put(
    '/:id/turnstile',
    apiDoc({
      summary: 'Turn Cloudflare Turnstile on or off for the funnel’s forms',
      description:
        'When on, every capture form of the funnel’s published pages (and its embedded forms) shows the Turnstile widget, and posts without a valid, unused token are refused. Turning it on needs a site key and a secret key (the workspace’s or the deployment’s).',
      returns: SETTINGS_RETURNS,
    }),
    validate('param', idParam),
    validate('json', settingsSchema),
    async (c) =>
      c.json(
        await saveTurnstileSettings(
          serviceCtx(c),
          c.var.scope.workspaceId,
          c.req.valid('param').id,
          c.req.valid('json'),
          c.var.deps.turnstile,
        ),
      ),
  );

/** Mounted at /api/workspace. */
export const workspaceTurnstileRoutes = new Hono<AppEnv>()
  .get('/turnstile-secret', apiDoc({ summary: 'Whether a Turnstile secret key is set (never the key)' }), async (c) =>
    c.json(await turnstileSecretView(c.var.deps.database.db, c.var.scope.workspaceId, c.var.deps.turnstile)),
  )
  .put(
    '/turnstile-secret',
    apiDoc({
      summary: 'Store the workspace’s Turnstile secret key',
      description:
        'Used to verify tokens for every funnel of the workspace. It is never sent back; the answer has its last characters only.',
    }),
    requireRole('owner'),
    validate('json', secretSchema),
    async (c) => {
      const { deps } = c.var;
      return c.json(
        await saveTurnstileSecret(deps.database.db, c.var.scope.workspaceId, c.req.valid('json').secretKey, deps.clock(), deps.turnstile),
      );
    },
  )
  .delete(
    '/turnstile-secret',
    apiDoc({
      summary: 'Remove the workspace’s Turnstile secret key',
      description: 'Funnels with the check on fall back to the deployment’s key, if any.',
    }),
    requireRole('owner'),
    async (c) => c.json(await deleteTurnstileSecret(c.var.deps.database.db, c.var.scope.workspaceId, c.var.deps.turnstile)),
  );
