/** `npm run db:seed`: adds the demo data to DATABASE_URL (explicitly asked for, so remote databases are allowed). */
import { createDb, DEFAULT_DATABASE_URL } from './client';
import { applyMigrations } from './migrate';
import { seedDemo } from './seed';

const database = await createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, process.env.DATABASE_AUTH_TOKEN);
try {
  await applyMigrations(database);
  const { created } = await seedDemo(database, { clock: Date.now, leads: true });
  console.log(created.length ? `Seeded: ${created.join(', ')}` : 'Demo data already present; nothing added.');
} finally {
  database.client.close();
}
