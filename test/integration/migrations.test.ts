/**
 * Migrations that rebuild a table must carry its rows over: a database migrated up to the
 * previous release, holding visitors and stages, is migrated to the current schema. The rows are
 * written with plain SQL in the older schema's columns: today's services write today's columns,
 * which an older schema does not have.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import Libsql from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { MIGRATIONS_FOLDER } from '../../db/migrate';
import { seedDemo } from '../../db/seed';
import type { Database } from '../../db/types';
import { funnelSections } from '../../workers/services/funnel-report';
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

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

/** A workspace, a funnel with two pages, 150 visitors with stages, and their page views and form posts, in the columns every schema since 0002 has. */
async function seedOldSchema({ client }: Database): Promise<void> {
  const statements = [
    `insert into workspaces (id, name, created_at) values ('ws-1', 'Old Shop', ${T0})`,
    `insert into funnels (id, workspace_id, name, slug, created_at, updated_at) values ('fn-1', 'ws-1', 'Old funnel', 'old-funnel', ${T0}, ${T0})`,
    ...['landing', 'thanks'].map(
      (slug, i) =>
        `insert into funnel_pages (id, workspace_id, funnel_id, slug, name, position, draft, created_at, updated_at) values ('pg-${slug}', 'ws-1', 'fn-1', '${slug}', '${slug}', ${i}, '{}', ${T0}, ${T0})`,
    ),
  ];
  for (let i = 0; i < 150; i++) {
    const at = T0 + (i % 3) * DAY + i * 1000;
    const visitor = `v-${String(i).padStart(4, '0')}`;
    statements.push(
      `insert into visitors (id, workspace_id, first_seen_at, last_seen_at, first_touch) values ('${visitor}', 'ws-1', ${at}, ${at}, '{"source":"s${i % 4}"}')`,
      `insert into visitor_stages (workspace_id, funnel_id, visitor_id, furthest_stage, awareness_at, interest_at, source, touch_at, event_mask)
       values ('ws-1', 'fn-1', '${visitor}', ${i % 3}, ${at}, ${i % 3 ? at + 5000 : 'null'}, 's${i % 4}', ${at}, ${i % 7})`,
      `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at) values ('pv-${i}', 'ws-1', 'fn-1', 'pg-landing', '${visitor}', 'page_view', ${at}, ${at})`,
    );
    if (i % 5 === 0) {
      statements.push(
        `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at) values ('fs-${i}', 'ws-1', 'fn-1', 'pg-landing', '${visitor}', 'form_submit', ${at + 9000}, ${at + 9000})`,
        `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at) values ('pt-${i}', 'ws-1', 'fn-1', 'pg-thanks', '${visitor}', 'page_view', ${at + 9500}, ${at + 9500})`,
      );
    }
    // Beacon events count as neither views nor conversions.
    if (i % 2 === 0) {
      statements.push(
        `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at) values ('en-${i}', 'ws-1', 'fn-1', 'pg-landing', '${visitor}', 'engaged', ${at + 100}, ${at + 100})`,
      );
    }
  }
  await client.batch(statements, 'write');
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
  const path = tempDbPath(`migrate-${tag}`);
  const database = await createDb(`file:${path}`);
  const folder = migrationsBefore(tag);
  await migrate(database.db, { migrationsFolder: folder });
  const older = { database, folder, path, sourcePath: source.path, sourceDir: dirname(source.path) };
  withSourceAttached(older, (both) => {
    for (const table of tables) {
      const columns = (both.prepare(`select name from pragma_table_info('${table}')`).all() as Array<{ name: string }>).map(
        (r) => `"${r.name}"`,
      );
      both.exec(`insert into main."${table}" (${columns.join(', ')}) select ${columns.join(', ')} from source."${table}"`);
    }
  });
  return older;
}

/**
 * Runs `work` on a connection of the test's own with the seeded source attached as `source`: an
 * ATTACH belongs to one connection, and the client spreads single statements over several.
 */
function withSourceAttached<T>(older: { path: string; sourcePath: string }, work: (both: Libsql.Database) => T): T {
  const both = new Libsql(older.path);
  try {
    both.exec(`attach database '${older.sourcePath}' as source`);
    return work(both);
  } finally {
    both.close();
  }
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

describe('migration 0011: page revisions, version reasons, per-page rollups', () => {
  let database: Database | undefined;
  let older: string | undefined;
  afterEach(() => {
    database?.client.close();
    if (older) rmSync(dirname(older), { recursive: true, force: true });
  });

  it('starts every page at revision 1 and fills the per-page rollups from the events already stored', async () => {
    database = await createDb(`file:${tempDbPath('migrate-0011')}`);
    older = migrationsBefore('0011_page_revisions_versions_rollups');
    await migrate(database.db, { migrationsFolder: older });
    await seedOldSchema(database);

    await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });

    const pages = await database.client.execute('select slug, revision, draft_updated_by from funnel_pages order by position');
    expect(pages.rows.map((r) => ({ ...r }))).toEqual([
      { slug: 'landing', revision: 1, draft_updated_by: null },
      { slug: 'thanks', revision: 1, draft_updated_by: null },
    ]);
    const rollups = await database.client.execute('select page_id, day, views, conversions from page_daily_rollups order by page_id, day');
    // 150 views of the landing page over three days (50 a day); every fifth visitor posted its form and saw the thank-you page.
    expect(rollups.rows.map((r) => ({ ...r }))).toEqual([
      { page_id: 'pg-landing', day: '2026-11-01', views: 50, conversions: 10 },
      { page_id: 'pg-landing', day: '2026-11-02', views: 50, conversions: 10 },
      { page_id: 'pg-landing', day: '2026-11-03', views: 50, conversions: 10 },
      { page_id: 'pg-thanks', day: '2026-11-01', views: 10, conversions: 0 },
      { page_id: 'pg-thanks', day: '2026-11-02', views: 10, conversions: 0 },
      { page_id: 'pg-thanks', day: '2026-11-03', views: 10, conversions: 0 },
    ]);
    const ddl = await database.client.execute(`select sql from sqlite_schema where type = 'table' and name = 'page_daily_rollups'`);
    expect(String(ddl.rows[0]![0])).toMatch(/WITHOUT ROWID$/);
    expect((await database.client.execute('pragma foreign_key_check')).rows).toEqual([]);
  });
});

describe('migration 0012: the leads table’s stage and last activity', () => {
  let database: Database | undefined;
  const folders: string[] = [];
  afterEach(() => {
    database?.client.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('fills in each existing lead’s furthest stage and latest activity from its visitors', async () => {
    const older = await olderDatabaseWithDemo(
      '0012_media_library_and_leads_table',
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

describe('migration 0013: activities and where each deal came from', () => {
  let database: Database | undefined;
  const folders: string[] = [];
  afterEach(() => {
    database?.client.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('back-fills each existing deal’s origin with what the code that made it sets today', async () => {
    const older = await olderDatabaseWithDemo(
      '0013_activities_and_deal_origin',
      ['workspaces', 'users', 'funnels', 'leads', 'pipelines', 'pipeline_stages', 'deals', 'deal_stage_history'],
      { leads: true },
    );
    database = older.database;
    folders.push(dirname(older.folder), older.sourceDir);
    // An imported deal; and two whose creation row is missing: one from a funnel's lead, one without a lead.
    const [deal] = (await database.client.execute('select * from deals where lead_id is not null limit 1')).rows;
    const insert = (id: string, leadId: unknown, funnelId: string | null) => ({
      sql: `insert into deals (id, workspace_id, pipeline_id, stage_id, name, lead_id, source_funnel_id, stage_entered_at, closed_at, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, 1, 1, 1, 1)`,
      args: [id, deal!.workspace_id, deal!.pipeline_id, deal!.stage_id, id, leadId, funnelId] as Array<string | number | null>,
    });
    await database.client.batch(
      [
        insert('imported', null, null),
        {
          sql: `insert into deal_stage_history (id, workspace_id, deal_id, pipeline_id, to_stage_id, moved_by, moved_at) values ('h-imp', ?, 'imported', ?, ?, 'import', 1)`,
          args: [deal!.workspace_id, deal!.pipeline_id, deal!.stage_id] as string[],
        },
        insert('no-history-lead', deal!.lead_id, String(deal!.source_funnel_id ?? 'fn')),
        insert('no-history', null, null),
      ],
      'write',
    );

    await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });

    const compared = withSourceAttached(
      older,
      (both) =>
        both
          .prepare(`select d.id, d.origin, s.origin as set_by_code from main.deals d join source.deals s on s.id = d.id order by d.id`)
          .all() as Array<{ id: string; origin: string; set_by_code: string }>,
    );
    const origins = new Set(compared.map((r) => r.set_by_code));
    expect(compared.length).toBeGreaterThan(10);
    expect([...origins].sort()).toEqual(expect.arrayContaining(['automation', 'manual', 'qualification']));
    for (const row of compared) expect(row.origin, row.id).toBe(row.set_by_code);
    const extra = await database.client.execute(
      `select id, origin from main.deals where id in ('imported', 'no-history-lead', 'no-history') order by id`,
    );
    expect(extra.rows.map((r) => ({ ...r }))).toEqual([
      { id: 'imported', origin: 'import' },
      { id: 'no-history', origin: 'manual' },
      { id: 'no-history-lead', origin: 'qualification' },
    ]);
    const activityTable = await database.client.execute(`select count(*) as n from activities`);
    expect(Number(activityTable.rows[0]!.n)).toBe(0);
  });
});

describe('migration 0014: the people rollup behind the funnel sections', () => {
  let database: Database | undefined;
  const folders: string[] = [];
  afterEach(() => {
    database?.client.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('back-fills from the tracked visitors exactly what ingest keeps, so the sections answer as the visitor scan did', async () => {
    const older = await olderDatabaseWithDemo('0014_people_rollups', ['workspaces', 'funnels', 'visitors', 'visitor_stages']);
    database = older.database;
    folders.push(dirname(older.folder), older.sourceDir);
    // A visitor who reached a later stage without a page view: no arrival, so in no section.
    await database.client.execute(
      `insert into visitor_stages (workspace_id, funnel_id, visitor_id, furthest_stage, interest_at, source)
       select workspace_id, funnel_id, 'v-no-arrival', 1, ${Date.UTC(2026, 9, 30)}, 'google' from visitor_stages limit 1`,
    );
    const [funnel] = (await database.client.execute('select id, workspace_id from funnels order by created_at limit 1')).rows;
    const period = { from: '2026-10-03', to: '2026-11-01' };
    // The sections' query before 0014: a scan of the visitors who arrived in the two periods.
    const scan = async (source?: string) =>
      (
        await database!.client.execute({
          sql: `select awareness_at >= ? as current, furthest_stage as furthest, count(*) as n from visitor_stages
                where funnel_id = ? and awareness_at >= ? and awareness_at < ? ${source === undefined ? '' : 'and source = ?'}
                group by 1, 2 order by 1, 2`,
          args: [
            Date.parse(`${period.from}T00:00:00Z`),
            String(funnel!.id),
            Date.parse('2026-09-03T00:00:00Z'),
            Date.parse('2026-11-02T00:00:00Z'),
            ...(source === undefined ? [] : [source]),
          ],
        })
      ).rows.map((r) => ({ current: Number(r.current), furthest: Number(r.furthest), n: Number(r.n) }));
    const sources = (await database.client.execute('select distinct source from visitor_stages order by 1')).rows.map((r) =>
      String(r.source),
    );
    expect(sources.length).toBeGreaterThan(2);
    const before = new Map<string | undefined, Awaited<ReturnType<typeof scan>>>();
    for (const source of [undefined, ...sources]) before.set(source, await scan(source));
    expect(before.get(undefined)!.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(100);

    await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });

    // Cell by cell what the seed's ingest kept on the current schema.
    const cells = `select funnel_id, day, furthest_stage, source, visitors from %s.people_rollups where visitors <> 0 order by 1, 2, 3, 4`;
    const [backfilled, kept] = withSourceAttached(older, (both) =>
      ['main', 'source'].map((db) => both.prepare(cells.replace('%s', db)).all()),
    );
    expect(backfilled!.length).toBeGreaterThan(10);
    expect(backfilled).toEqual(kept);
    for (const [source, rows] of before) {
      const sections = await funnelSections(database.db, String(funnel!.workspace_id), String(funnel!.id), period, source);
      const count = (current: number, test: (f: number) => boolean) =>
        rows.filter((r) => r.current === current && test(r.furthest)).reduce((n, r) => n + r.n, 0);
      expect(sections.sections.map((s) => [s.section, s.reached, s.current, s.previous.reached, s.previous.current])).toEqual([
        ['TOFU', count(1, (f) => f >= 0), count(1, (f) => f === 0), count(0, (f) => f >= 0), count(0, (f) => f === 0)],
        [
          'MOFU',
          count(1, (f) => f >= 1),
          count(1, (f) => f === 1 || f === 2),
          count(0, (f) => f >= 1),
          count(0, (f) => f === 1 || f === 2),
        ],
        ['BOFU', count(1, (f) => f >= 3), count(1, (f) => f >= 3), count(0, (f) => f >= 3), count(0, (f) => f >= 3)],
      ]);
    }
  });
});
