/**
 * The real app on a fresh libSQL *file* (not `:memory:`, which loses data across transactions),
 * migrated in-process, with a clock the test controls.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import type { Database } from '../../db/types';
import { hc } from 'hono/client';
import { createApp, type App, type AppType } from '../../workers/app';
import type { AppDeps } from '../../workers/deps';
import { nodeDeps } from '../../workers/node/deps';
import { fileMediaStore } from '../../workers/node/media-store';

export const TEST_SECRET = 'test-secret-not-for-production';

export interface TestClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 10, 27, 12, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

export function tempDbPath(name = 'test'): string {
  const base = process.env.LEADFLARE_TEST_DIR ?? tmpdir();
  return join(mkdtempSync(join(base, `${name}-`)), 'leadflare.db');
}

export async function freshDatabase(name?: string): Promise<Database & { path: string }> {
  const path = tempDbPath(name);
  const database = await createDb(`file:${path}`);
  await applyMigrations(database);
  return { ...database, path };
}

export interface TestApp {
  app: App;
  database: Database & { path: string };
  clock: TestClock;
  deps: AppDeps;
  /** The media library's folder, beside the test's database file. */
  mediaDir: string;
  client(origin?: string): TestClient;
  close(): void;
}

export async function createTestApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const clock = testClock();
  const mediaDir = join(dirname(database.path), 'media');
  const deps: AppDeps = nodeDeps(database, TEST_SECRET, { clock: clock.now, media: fileMediaStore(mediaDir), ...overrides });
  const app = createApp(deps);
  return {
    app,
    database,
    clock,
    deps,
    mediaDir,
    client: (origin = 'http://localhost') => new TestClient(app, origin),
    close: () => database.client.close(),
  };
}

/** A test app whose after-response work (mail, webhook sends) is kept in `background`. */
export interface TestAppWithBackground extends Omit<TestApp, 'close'> {
  background: Array<Promise<unknown>>;
  /** Lets the background work settle, stops the mail dispatcher's timers, closes the database. */
  close(): Promise<void>;
}

/** `createTestApp` whose `waitUntil` collects the work, so a test can await what a request started. */
export async function createTestAppWithBackground(overrides: Partial<AppDeps> = {}): Promise<TestAppWithBackground> {
  const background: Array<Promise<unknown>> = [];
  const t = await createTestApp({ waitUntil: (work) => void background.push(work), ...overrides });
  return {
    ...t,
    background,
    close: async () => {
      await Promise.allSettled(background);
      t.deps.emails.stop?.();
      t.close();
    },
  };
}

/** A browser-ish client: keeps cookies, sends same-origin headers unless told otherwise. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  lastSetCookie: string[] = [];
  #rpc: ReturnType<typeof hc<AppType>> | undefined;

  /**
   * The app's typed client (`hc<AppType>`) over this client's cookies: inputs and response bodies
   * are typed from the route definitions, e.g. `await (await c.rpc.api.deals.$get({ query: {} })).json()`.
   */
  get rpc() {
    return (this.#rpc ??= hc<AppType>(this.origin, {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => this.request(input instanceof Request ? input.url : String(input), init),
    }));
  }

  constructor(
    private readonly app: App,
    readonly origin: string,
  ) {}

  async request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has('cookie')) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const res = await this.app.request(new URL(path, this.origin).toString(), { ...init, headers, body });
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers?: HeadersInit) {
    return this.request(path, { method: 'GET', headers });
  }

  post(path: string, json?: unknown, headers?: HeadersInit) {
    return this.request(path, { method: 'POST', json, headers });
  }

  async signup(email: string, password = 'correct horse battery', name = 'Test User', extra: Record<string, unknown> = {}) {
    const res = await this.post('/api/auth/signup', { email, password, name, ...extra });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { user: { id: string; email: string }; workspaceId: string };
  }
}

export async function errorOf(res: Response) {
  const body = (await res.json()) as {
    error: { code: string; message: string; status: number; fields?: Array<{ path: string; message: string }> };
  };
  expectErrorShape(body, res.status);
  return body.error;
}

function expectErrorShape(body: { error?: { code?: unknown; message?: unknown; status?: unknown } }, status: number) {
  if (!body.error || typeof body.error.code !== 'string' || typeof body.error.message !== 'string' || body.error.status !== status) {
    throw new Error(`Not the error shape for status ${status}: ${JSON.stringify(body)}`);
  }
}
