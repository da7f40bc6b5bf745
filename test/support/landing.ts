/**
 * Helpers for tests of published pages and lead capture: reading the form a page rendered,
 * posting it the way a browser without JavaScript does, and counting database round trips.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '../../db/schema';
import type { Database } from '../../db/types';
import { DEMO } from '../../db/seed';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import type { TestApp, TestClient } from './app';

export const FUNNEL = `/p/${DEMO.funnel.slug}`;

export interface RenderedForm {
  block: string;
  token: string;
}

/** Every capture form on a page: its `_block` and the `_token` the server put in it. */
export function formsOf(html: string): RenderedForm[] {
  const forms: RenderedForm[] = [];
  for (const match of html.matchAll(/name="_block" value="([^"]+)"\/><input type="hidden" name="_token" value="([^"]*)"/g)) {
    forms.push({ block: match[1]!, token: match[2]! });
  }
  return forms;
}

export function formOf(html: string, block: string): RenderedForm {
  const form = formsOf(html).find((f) => f.block === block);
  if (!form) throw new Error(`No form for block "${block}" on the page`);
  return form;
}

/** The page as a visitor gets it, with the token of one of its forms. */
export async function openForm(client: TestClient, path: string, block: string) {
  const res = await client.get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  const html = await res.text();
  return { html, ...formOf(html, block) };
}

export type FormValues = Record<string, string | string[]>;

/** `application/x-www-form-urlencoded`, repeated names for multi-valued fields, as browsers send. */
export function formBody(values: FormValues): RequestInit {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
}

export function postForm(client: TestClient, path: string, values: FormValues) {
  return client.request(path, formBody(values));
}

/**
 * Opens the page, waits like a person filling in the form (past the minimum fill time, on the
 * test clock) and posts `values` with the rendered block id and token.
 */
export async function fillAndPost(t: TestApp, client: TestClient, path: string, block: string, values: FormValues, action = path) {
  const form = await openForm(client, path, block);
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
  const res = await postForm(client, action, { _block: form.block, _token: form.token, website: '', ...values });
  return { res, form };
}

export async function signInDemo(client: TestClient) {
  const res = await client.rpc.api.auth.login.$post({ json: { email: DEMO.email, password: DEMO.password } });
  if (res.status !== 200) throw new Error(`demo login failed: ${res.status}`);
  return client;
}

export async function countRows(database: Database, table: string, where = '1 = 1'): Promise<number> {
  const rows = await database.db.all<{ n: number }>(sql.raw(`select count(*) as n from ${table} where ${where}`));
  return Number(rows[0]!.n);
}

const ROUND_TRIPS = new Set(['execute', 'batch', 'executeMultiple', 'transaction', 'migrate']);

export interface CountingDatabase extends Database {
  roundTrips(): number;
  reset(): void;
  /** Runs `hook` once, right after the next statement matching `pattern` has read its rows (to interleave work). */
  afterNextRead(pattern: RegExp, hook: () => Promise<void>): void;
}

function statementText(stmt: unknown): string {
  return typeof stmt === 'string' ? stmt : String((stmt as { sql?: unknown }).sql ?? '');
}

/**
 * The same database behind a client that counts every round trip (statement, batch or
 * transaction), so a test can state how many reads a request costs.
 */
export function countingDatabase(database: Database): CountingDatabase {
  let calls = 0;
  let pending: { pattern: RegExp; hook: () => Promise<void> } | undefined;
  const client = new Proxy(database.client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (!ROUND_TRIPS.has(String(prop))) return value.bind(target);
      return async (...args: unknown[]) => {
        calls++;
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (prop === 'execute' && pending?.pattern.test(statementText(args[0]))) {
          const { hook } = pending;
          pending = undefined;
          await hook();
        }
        return result;
      };
    },
  });
  return {
    client,
    db: drizzle(client, { schema }),
    roundTrips: () => calls,
    reset: () => void (calls = 0),
    afterNextRead: (pattern, hook) => void (pending = { pattern, hook }),
  };
}

/** A CSV document (RFC 4180) → rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The opening tag of the element with this id, whatever the order of its attributes. */
export function tagWithId(html: string, id: string): string {
  const match = new RegExp(`<[a-z]+\\s[^>]*\\bid="${escapeRegExp(id)}"[^>]*>`).exec(html);
  if (!match) throw new Error(`No element with id "${id}" on the page`);
  return match[0];
}

/** The text of the error message shown for a field (`<blockId>.<field>.err`), or null. */
export function fieldError(html: string, fieldId: string): string | null {
  const match = new RegExp(`<[a-z]+\\s[^>]*\\bid="${escapeRegExp(fieldId)}\\.err"[^>]*>([^<]*)<`).exec(html);
  return match ? match[1]! : null;
}
