import * as z from 'zod';

/** Configuration of the local (Node) runtime, read once from process.env and validated. */
const nodeConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|libsql:|wss?:|https?:)/, 'DATABASE_URL must be a file:, libsql:, ws(s): or http(s): URL')
      .default('file:./.data/leadflare.db'),
    DATABASE_AUTH_TOKEN: z.string().optional(),
    /** Signs form tokens and download links; generated into .data/ for a local file when unset. */
    APP_SECRET: z.string().min(16, 'APP_SECRET must be at least 16 characters').optional(),
    /** Comma-separated host names of the app itself; any other Host is looked up as a funnel's custom domain. */
    APP_HOSTS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((h) => h.trim().toLowerCase())
              .filter(Boolean)
          : [],
      ),
    /** Folder of the media library (uploaded images and lead-magnet files). */
    MEDIA_DIR: z.string().min(1).default('.data/media'),
    /** Seed the demo workspace: "auto" = only on a fresh local file; "1" = always (idempotent); "0" = never. */
    SEED_DEMO: z.enum(['auto', '1', '0']).default('auto'),
    /** Email provider (Resend-compatible JSON API): base URL, e.g. https://api.resend.com. Unset: the dev outbox. */
    EMAIL_PROVIDER_URL: z.url({ protocol: /^https?$/, error: 'EMAIL_PROVIDER_URL must be an http(s) URL' }).optional(),
    EMAIL_API_KEY: z.string().min(1).optional(),
    /** The sender of every mail, e.g. "Leadflare <no-reply@example.com>" (a domain verified with the provider). */
    EMAIL_FROM: z.string().min(3).max(200).optional(),
    /** Show the dev outbox (/app/outbox): "auto" = when no provider is configured; "1" = always; "0" = never. */
    DEV_OUTBOX: z.enum(['auto', '1', '0']).default('auto'),
    /** Deployment-wide Turnstile secret key, used for workspaces that have not stored their own. */
    TURNSTILE_SECRET_KEY: z.string().min(1).optional(),
    /** Where Turnstile tokens are verified (Cloudflare's siteverify unless set; tests point it at a stand-in). */
    TURNSTILE_VERIFY_URL: z.url().optional(),
    /** Seconds between runs of the scheduled work (B2C automations, webhook retries); 0 turns the timer off. */
    SCHEDULER_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  })
  .superRefine((config, ctx) => {
    if (!config.EMAIL_PROVIDER_URL) return;
    for (const key of ['EMAIL_API_KEY', 'EMAIL_FROM'] as const) {
      if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required with EMAIL_PROVIDER_URL` });
    }
  });

export type NodeConfig = z.output<typeof nodeConfigSchema>;

export function parseNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  const result = nodeConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
