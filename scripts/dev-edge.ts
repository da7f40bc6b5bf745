/**
 * `npm run dev:edge` — DEVELOPMENT ONLY. Runs the Worker in `wrangler dev` (workerd) against the
 * local libSQL file, served over libSQL's HTTP protocol by the development bridge
 * (db/dev/hrana-server.ts) as a stand-in for Turso. Production uses a real Turso database (see README).
 */
import { spawn } from 'node:child_process';
import { createDb, DEFAULT_DATABASE_URL } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { seedDemo } from '../db/seed';
import { startHranaServer } from '../db/dev/hrana-server';

const fileUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
if (!fileUrl.startsWith('file:')) throw new Error('dev:edge serves a local file: set DATABASE_URL to a file: URL or leave it unset.');
const port = Number(process.env.PORT || 8787);

const database = await createDb(fileUrl);
await applyMigrations(database);
await seedDemo(database, { clock: Date.now, leads: true });
database.client.close();

const bridge = await startHranaServer({ dbPath: fileUrl.slice('file:'.length), port: Number(process.env.BRIDGE_PORT || 0) });
console.log(`libSQL bridge for ${fileUrl} at ${bridge.url} (development stand-in for Turso)`);

const wrangler = spawn(
  'npx',
  ['wrangler', 'dev', '--port', String(port), '--var', `DATABASE_URL:${bridge.url}`, '--var', 'DATABASE_AUTH_TOKEN:'],
  { stdio: 'inherit' },
);
const stop = async () => {
  wrangler.kill('SIGTERM');
  await bridge.close();
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
wrangler.on('exit', async (code) => {
  await bridge.close();
  process.exit(code ?? 0);
});
