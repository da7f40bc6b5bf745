/**
 * Migrations that rebuild a table must carry its rows over: a database migrated up to the
 * previous release, holding the demo's visitors and stages, is migrated to the current schema.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { MIGRATIONS_FOLDER } from '../../db/migrate';
import { seedDemo } from '../../db/seed';
import type { Database } from '../../db/types';
import { tempDbPath } from '../support/app';

/** The committed migrations up to (not including) `tag`, as their own folder. */
function migrationsBefore(tag: string): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'migrations-')), 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`No migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

const snapshot = async ({ client }: Database) => ({
  visitors: (await client.execute('select * from visitors order by id')).rows.map((r) => ({ ...r })),
  stages: (await client.execute('select * from visitor_stages order by funnel_id, visitor_id')).rows.map((r) => ({ ...r })),
});

describe('migration 0010: visitors and visitor stages without rowid', () => {
  let database: Database | undefined;
  let older: string | undefined;
  afterEach(() => {
    database?.client.close();
    if (older) rmSync(dirname(older), { recursive: true, force: true });
  });

  it('keeps every visitor and stage row, and the tables answer as before', async () => {
    database = await createDb(`file:${tempDbPath('migrate-0010')}`);
    older = migrationsBefore('0010_without_rowid_visitors');
    await migrate(database.db, { migrationsFolder: older });
    await seedDemo(database, { clock: () => Date.UTC(2026, 10, 1) });
    const before = await snapshot(database);
    expect(before.visitors.length).toBeGreaterThan(100);
    expect(before.stages.length).toBeGreaterThan(100);
    await database.client.execute(`update visitors set lead_id = 'lead-1' where id = '${String(before.visitors[0]!.id)}'`);
    before.visitors[0]!.lead_id = 'lead-1';

    await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });

    expect(await snapshot(database)).toEqual(before);
    for (const table of ['visitors', 'visitor_stages']) {
      const ddl = await database.client.execute({ sql: `select sql from sqlite_schema where type = 'table' and name = ?`, args: [table] });
      expect(String(ddl.rows[0]![0])).toMatch(/WITHOUT ROWID$/);
    }
    const indexes = await database.client.execute(
      `select name from sqlite_schema where type = 'index' and tbl_name in ('visitors', 'visitor_stages') and sql is not null order by name`,
    );
    expect(indexes.rows.map((r) => r.name)).toEqual(['visitor_stages_awareness_idx', 'visitors_lead_idx', 'visitors_ws_idx']);
    // The partial lead index still serves the lead lookups that name it.
    const linked = await database.client.execute(`select id from visitors indexed by visitors_lead_idx where lead_id = 'lead-1'`);
    expect(linked.rows.map((r) => r.id)).toEqual([before.visitors[0]!.id]);
    expect((await database.client.execute('pragma foreign_key_check')).rows).toEqual([]);
  });
});
