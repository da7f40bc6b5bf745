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
import { freshDatabase, tempDbPath } from '../support/app';

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

/**
 * A database migrated up to (not including) `tag`, holding the demo's rows of `tables` — seeded on
 * the current schema (today's seed writes today's columns) and copied over column by column.
 */
async function olderDatabaseWithDemo(tag: string, tables: string[], options: { leads?: boolean } = {}) {
  const source = await freshDatabase('migrate-source');
  await seedDemo(source, { clock: () => Date.UTC(2026, 10, 1), leads: options.leads });
  source.client.close();
  const database = await createDb(`file:${tempDbPath(`migrate-${tag}`)}`);
  const folder = migrationsBefore(tag);
  await migrate(database.db, { migrationsFolder: folder });
  await database.client.execute(`attach database '${source.path}' as source`);
  for (const table of tables) {
    const columns = (await database.client.execute(`select name from pragma_table_info('${table}')`)).rows.map(
      (r) => `"${String(r.name)}"`,
    );
    await database.client.execute(
      `insert into main."${table}" (${columns.join(', ')}) select ${columns.join(', ')} from source."${table}"`,
    );
  }
  await database.client.execute('detach database source');
  return { database, folder, sourceDir: dirname(source.path) };
}

describe('migration 0010: visitors and visitor stages without rowid', () => {
  let database: Database | undefined;
  const folders: string[] = [];
  afterEach(() => {
    database?.client.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('keeps every visitor and stage row, and the tables answer as before', async () => {
    const older = await olderDatabaseWithDemo('0010_without_rowid_visitors', ['workspaces', 'funnels', 'visitors', 'visitor_stages']);
    database = older.database;
    folders.push(dirname(older.folder), older.sourceDir);
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

describe('migration 0011: the leads table’s stage and last activity', () => {
  let database: Database | undefined;
  const folders: string[] = [];
  afterEach(() => {
    database?.client.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('fills in each existing lead’s furthest stage and latest activity from its visitors', async () => {
    const older = await olderDatabaseWithDemo(
      '0011_media_library_and_leads_table',
      ['workspaces', 'funnels', 'visitors', 'visitor_stages', 'leads'],
      {
        leads: true,
      },
    );
    database = older.database;
    folders.push(dirname(older.folder), older.sourceDir);
    // An imported lead: no visitor, so no stage and no activity of its own.
    const [{ workspace_id: workspaceId }] = (await database.client.execute('select workspace_id from leads limit 1')).rows as unknown as [
      { workspace_id: string },
    ];
    await database.client.execute({
      sql: `insert into leads (id, workspace_id, email, created_at, updated_at) values ('imported', ?, 'imported@example.com', 1, 1)`,
      args: [workspaceId],
    });
    const expected = await database.client.execute(`
      select l.id,
        (select max(vs.furthest_stage) from visitors v join visitor_stages vs on vs.visitor_id = v.id where v.lead_id = l.id) as stage,
        (select max(v.last_seen_at) from visitors v where v.lead_id = l.id) as activity
      from leads l order by l.id`);
    expect(expected.rows.filter((r) => r.stage !== null).length).toBeGreaterThan(50);

    await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });

    const after = await database.client.execute('select id, furthest_stage as stage, last_activity_at as activity from leads order by id');
    expect(after.rows.map((r) => ({ ...r }))).toEqual(expected.rows.map((r) => ({ ...r })));
    expect(after.rows.find((r) => r.id === 'imported')).toMatchObject({ stage: null, activity: null });
    // The sort by latest activity reads its expression index.
    const plan = await database.client.execute({
      sql: 'explain query plan select id from leads where workspace_id = ? order by coalesce(last_activity_at, created_at) desc, id desc limit 50',
      args: [workspaceId],
    });
    expect(plan.rows.map((r) => String(r.detail)).join('\n')).toMatch(/leads_ws_activity_idx/);
  });
});
