/**
 * Local runtime: the same app on Node with an embedded libSQL file. `npm start` runs this.
 * Migrates, seeds the demo on a fresh database, serves, and on Ctrl-C / SIGTERM lets in-flight
 * requests finish before closing the database.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createDb } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { DEMO, seedDemo } from '../db/seed';
import { createApp } from './app';
import { log } from './logger';
import { parseNodeConfig } from './env';
import { nodeDeps } from './node/deps';
import { fileMediaStore } from './node/media-store';
import { loadOrCreateSecret } from './node/secret';
import { devOutboxMailer, httpProviderMailer } from './services/mailers';
import { describeScheduledRun, runScheduledWork, startIntervalScheduler } from './services/scheduler';

const config = parseNodeConfig(process.env);
const isLocalFile = config.DATABASE_URL.startsWith('file:');

log.info(`Leadflare: opening ${isLocalFile ? config.DATABASE_URL : 'remote libSQL database'} …`);
const database = await createDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await applyMigrations(database);

const [{ count }] = (await database.db.all<{ count: number }>(sql`select count(*) as count from users`)) as [{ count: number }];
const shouldSeed = config.SEED_DEMO === '1' || (config.SEED_DEMO === 'auto' && isLocalFile && Number(count) === 0);
if (shouldSeed) {
  const { created } = await seedDemo(database, { clock: Date.now, leads: true });
  if (created.length) log.info(`Seeded demo data: ${created.join(', ')}`);
}

const pending = new Set<Promise<unknown>>();
const secret = loadOrCreateSecret(config.APP_SECRET, config.DATABASE_URL);
const mailer = config.EMAIL_PROVIDER_URL
  ? httpProviderMailer({ baseUrl: config.EMAIL_PROVIDER_URL, apiKey: config.EMAIL_API_KEY!, from: config.EMAIL_FROM! })
  : devOutboxMailer(config.EMAIL_FROM, (m) => log.info(`Dev outbox: "${m.subject}" to ${m.to} (open /app/outbox to read it)`));
const devOutbox = config.DEV_OUTBOX === '1' || (config.DEV_OUTBOX === 'auto' && mailer.kind === 'dev-outbox');
const deps = nodeDeps(database, secret, {
  mailer,
  devOutbox,
  appHosts: config.APP_HOSTS,
  media: fileMediaStore(config.MEDIA_DIR),
  turnstile: { secretKey: config.TURNSTILE_SECRET_KEY, verifyUrl: config.TURNSTILE_VERIFY_URL },
  waitUntil: (work) => {
    const tracked = work.catch((err: unknown) => log.error('Background task failed', { err })).finally(() => pending.delete(tracked));
    pending.add(tracked);
  },
  demoLogin: shouldSeed || config.SEED_DEMO !== '0' ? { email: DEMO.email, password: DEMO.password } : undefined,
});
const app = createApp(deps);

// Scheduled work (B2C automations, webhook retries), as the Cron Trigger runs it on Workers. Quiet
// unless a tick did something.
const scheduler =
  config.SCHEDULER_INTERVAL_SECONDS > 0
    ? startIntervalScheduler(async () => {
        const report = await runScheduledWork(deps, (work) => deps.waitUntil?.(work));
        const line = describeScheduledRun(report);
        if (line) log[report.errors.length ? 'error' : 'info'](line);
      }, config.SCHEDULER_INTERVAL_SECONDS * 1000)
    : null;

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info: AddressInfo) => {
  const base = `http://localhost:${info.port}`;
  // For the person who ran `npm start`: plain text, not a log line.
  console.log(`
Leadflare is running.
  Sign in:      ${base}/login
  Dashboard:    ${base}/app
  Health:       ${base}/healthz${devOutbox ? `\n  Dev outbox:   ${base}/app/outbox   (mail the app sends, kept here: no email provider configured)` : ''}
  Demo login:   ${DEMO.email} / ${DEMO.password}
Press Ctrl-C to stop.`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received: finishing in-flight requests …`);
  const force = setTimeout(() => {
    log.error('Requests did not finish within 10 s; exiting.');
    process.exit(1);
  }, 10_000);
  force.unref();
  await new Promise<void>((resolve) => {
    // Keep-alive sockets would otherwise hold close() open until they time out (5 s): the idle
    // ones close now, the busy ones once their request is answered.
    const closeIdle = () => 'closeIdleConnections' in server && server.closeIdleConnections();
    const sweep = setInterval(closeIdle, 25);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    closeIdle();
  });
  await scheduler?.stop(); // a tick in progress finishes before the database closes
  await Promise.allSettled([...pending]);
  deps.emails.stop?.(); // queued mail stays queued for the next start's sweep
  await deps.events.flush(); // buffered tracking events are written, not dropped
  database.client.close();
  log.info('Stopped cleanly.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
