/**
 * The whole workspace as one ZIP archive: for each resource a JSON file (an array of rows, as the
 * API names their fields) and a CSV file (the same rows, cells neutralised like every CSV export),
 * read a page at a time in primary-key order and streamed into the archive as they are read.
 * Every query is scoped to the workspace; secrets (webhook signing secrets, API key hashes,
 * invitation tokens) are left out.
 */
import { and, asc, eq, getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  activities,
  apiKeys,
  automationRuns,
  consentRecords,
  dailyRollups,
  dealStageHistory,
  deals,
  events,
  formSubmissions,
  funnelPages,
  funnels,
  leadErasures,
  leads,
  media,
  pageDailyRollups,
  peopleRollups,
  pipelineStages,
  pipelines,
  qualificationRules,
  stageDurationRollups,
  visitorStages,
  visitors,
  webhookDeliveries,
  webhookEndpoints,
  workspaces,
} from '../../db/schema';
import type { Db } from '../../db/types';
import { csvCell } from '../domain/csv';
import { zipStream, type ZipEntry } from '../domain/zip';

const PAGE = 1_000;

interface Resource {
  /** File name without extension. */
  name: string;
  table: SQLiteTable;
  /** Primary key columns (property names), the keyset the rows are paged by. */
  keys: string[];
  /** Properties left out of the export (secrets). */
  omit?: string[];
}

export const EXPORT_RESOURCES: Resource[] = [
  { name: 'funnels', table: funnels, keys: ['id'] },
  { name: 'pages', table: funnelPages, keys: ['id'] },
  { name: 'media', table: media, keys: ['id'] },
  { name: 'leads', table: leads, keys: ['id'] },
  { name: 'submissions', table: formSubmissions, keys: ['id'] },
  { name: 'consents', table: consentRecords, keys: ['id'] },
  { name: 'lead-erasures', table: leadErasures, keys: ['id'] },
  { name: 'pipelines', table: pipelines, keys: ['id'] },
  { name: 'pipeline-stages', table: pipelineStages, keys: ['id'] },
  { name: 'deals', table: deals, keys: ['id'] },
  { name: 'deal-stage-history', table: dealStageHistory, keys: ['id'] },
  { name: 'activities', table: activities, keys: ['id'] },
  { name: 'qualification-rules', table: qualificationRules, keys: ['id'] },
  { name: 'automation-runs', table: automationRuns, keys: ['key'] },
  { name: 'visitors', table: visitors, keys: ['id'] },
  { name: 'visitor-stages', table: visitorStages, keys: ['funnelId', 'visitorId'] },
  { name: 'events', table: events, keys: ['id'] },
  { name: 'daily-rollups', table: dailyRollups, keys: ['funnelId', 'day', 'stage', 'source', 'medium', 'campaign'] },
  { name: 'page-daily-rollups', table: pageDailyRollups, keys: ['funnelId', 'day', 'pageId'] },
  { name: 'people-rollups', table: peopleRollups, keys: ['funnelId', 'day', 'furthestStage', 'source'] },
  { name: 'stage-duration-rollups', table: stageDurationRollups, keys: ['funnelId', 'day', 'stage', 'bucket'] },
  { name: 'webhook-endpoints', table: webhookEndpoints, keys: ['id'], omit: ['secret', 'previousSecret'] },
  { name: 'webhook-deliveries', table: webhookDeliveries, keys: ['id'] },
  { name: 'api-keys', table: apiKeys, keys: ['id'], omit: ['keyHash'] },
];

type Row = Record<string, unknown>;

/** Every row of the resource in the workspace, a page at a time (keyset: no page re-reads the ones before). */
async function* rowsOf(db: Db, workspaceId: string, resource: Resource): AsyncGenerator<Row[]> {
  const columns = getTableColumns(resource.table) as Record<string, Column>;
  const keys = resource.keys.map((k) => columns[k]!);
  const selected = Object.fromEntries(Object.entries(columns).filter(([name]) => !resource.omit?.includes(name))) as Record<
    string,
    SQLiteColumn
  >;
  let after: unknown[] | null = null;
  for (;;) {
    const keyset: SQL | undefined = after
      ? sql`(${sql.join(keys, sql`, `)}) > (${sql.join(
          after.map((v) => sql`${v}`),
          sql`, `,
        )})`
      : undefined;
    const page = (await db
      .select(selected)
      .from(resource.table)
      .where(and(eq(columns.workspaceId!, workspaceId), keyset))
      .orderBy(...keys.map((k) => asc(k)))
      .limit(PAGE)) as Row[];
    if (page.length) yield page;
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    // Keys were selected under their property names; the keyset compares the stored values.
    after = resource.keys.map((k) => last[k]);
  }
}

const encoder = new TextEncoder();

async function* jsonFile(db: Db, workspaceId: string, resource: Resource): AsyncGenerator<Uint8Array> {
  let first = true;
  yield encoder.encode('[');
  for await (const page of rowsOf(db, workspaceId, resource)) {
    const text = page
      .map((row) => {
        const line = `${first ? '' : ','}\n${JSON.stringify(row)}`;
        first = false;
        return line;
      })
      .join('');
    yield encoder.encode(text);
  }
  yield encoder.encode(first ? ']\n' : '\n]\n');
}

async function* csvFile(db: Db, workspaceId: string, resource: Resource): AsyncGenerator<Uint8Array> {
  const header = Object.keys(getTableColumns(resource.table)).filter((name) => !resource.omit?.includes(name));
  yield encoder.encode(`${header.map(csvCell).join(',')}\r\n`);
  for await (const page of rowsOf(db, workspaceId, resource)) {
    yield encoder.encode(page.map((row) => `${header.map((h) => csvCell(row[h])).join(',')}\r\n`).join(''));
  }
}

async function* entries(db: Db, workspaceId: string, now: number): AsyncGenerator<ZipEntry> {
  const [workspace] = await db
    .select({ id: workspaces.id, name: workspaces.name, settings: workspaces.settings, createdAt: workspaces.createdAt })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const manifest = {
    format: 'leadflare.workspace-export',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    workspace,
    files: EXPORT_RESOURCES.flatMap((r) => [`json/${r.name}.json`, `csv/${r.name}.csv`]),
    notes:
      'Times are UTC epoch milliseconds; money is in minor units with its currency. Webhook signing secrets and API key hashes are left out. CSV cells that start like a formula carry a leading apostrophe.',
  };
  yield { name: 'manifest.json', data: once(encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`)) };
  for (const resource of EXPORT_RESOURCES) {
    yield { name: `json/${resource.name}.json`, data: jsonFile(db, workspaceId, resource) };
    yield { name: `csv/${resource.name}.csv`, data: csvFile(db, workspaceId, resource) };
  }
}

async function* once(bytes: Uint8Array) {
  yield bytes;
}

export function workspaceArchive(db: Db, workspaceId: string, now: number): ReadableStream<Uint8Array> {
  return zipStream(entries(db, workspaceId, now), now);
}
