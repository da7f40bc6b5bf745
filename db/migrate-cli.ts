/**
 * `npm run db:migrate`: applies the committed migrations to whatever DATABASE_URL names —
 * the local file by default, or a Turso database (`libsql://…` with DATABASE_AUTH_TOKEN).
 */
import { createDb, DEFAULT_DATABASE_URL } from './client';
import { applyMigrations } from './migrate';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const database = await createDb(url, process.env.DATABASE_AUTH_TOKEN);
console.log(`Applying migrations to ${redact(url)} …`);
try {
  await applyMigrations(database);
  console.log('Migrations applied.');
} catch (err) {
  console.error('Migration failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  database.client.close();
}

function redact(u: string): string {
  return u.replace(/(authToken=)[^&]+/, '$1***');
}
