/**
 * A small "Hrana over HTTP" server (the remote protocol of sqld / Turso) backed by a local libSQL
 * file, so `@libsql/client/web` (e.g. in a Worker under miniflare) can be tested against a
 * database that Node-side code opens directly: the Worker tests and `npm run dev:edge` (a
 * development stand-in for Turso, never part of a deployed runtime).
 *
 * `@libsql/client/web` 0.18 pins Hrana 2: it probes nothing and only POSTs JSON to `v2/pipeline`.
 * (On Hrana 3 it would probe `GET v3-protobuf` and fall back to v2 on a non-2xx, which is what
 * our 404 there gives.) `v3/pipeline` is served for `is_autocommit`/`get_autocommit`; cursors
 * are not, since the TS client only uses them over Protobuf.
 *
 * Connections: a stream is one SQL connection whose state (transaction, PRAGMAs such as the
 * `foreign_keys=off` of `migrate()`, temp tables) lives across requests chained by a rotating
 * baton, so each stream gets its own single-connection file client. That client rolls back what
 * a call leaves open, so a statement opening a transaction (`BEGIN ...`, an outermost
 * `SAVEPOINT`) becomes `client.transaction(mode)`, which holds the connection until the
 * transaction ends (COMMIT/ROLLBACK as SQL, SQLite aborting it, `close`, or idle expiry).
 *
 * Locking: libSQL calls are synchronous and all streams share this thread, so a blocking busy
 * timeout would freeze the lock holder too. Worse, libsql-js leaves a statement that failed with
 * SQLITE_BUSY "in progress" until it is garbage-collected, and COMMIT then fails on that
 * connection. Hence streams take an async write gate before anything that may write and never
 * collide with each other, and the file is in WAL mode so readers proceed alongside the writer
 * with snapshot isolation. BUSY from other processes is retried asynchronously, and a connection
 * that saw it is replaced once its stream is back in autocommit.
 *
 * Deviations from sqld: statements returning rows report `affected_row_count` 0 and no
 * `last_insert_rowid` (as in @libsql/client `file:`); missing arguments bind NULL; `sequence` is
 * not retried on BUSY and cannot leave a transaction open; `describe` is derived from EXPLAIN;
 * a replaced connection loses its PRAGMAs; writers are serialised by the gate.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createClient, LibsqlError } from '@libsql/client';
import type { Client, InArgs, InValue, ResultSet, Transaction, TransactionMode } from '@libsql/client';

export interface HranaServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HranaHandlerOptions {
  dbPath: string;
  authToken?: string;
  /** Close streams idle for this long (sqld uses 10 s). */
  streamIdleMs?: number;
  /** How long a statement may wait for a lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Called when an idle stream has expired (and its transaction, if any, was rolled back). */
  onStreamExpired?: (stream: { inTransaction: boolean }) => void;
}

// ---- Wire format (JSON flavour of Hrana 2/3) ---------------------------------------------

type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
interface ProtoStmt {
  sql?: string | null;
  sql_id?: number | null;
  want_rows?: boolean;
  args?: ProtoValue[];
  named_args?: { name: string; value: ProtoValue }[];
}
type ProtoCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: ProtoCond }
  | { type: 'and' | 'or'; conds: ProtoCond[] }
  | { type: 'is_autocommit' };
interface ProtoBatch {
  steps: { condition?: ProtoCond | null; stmt: ProtoStmt }[];
}
type StreamRequest =
  | { type: 'close' | 'get_autocommit' }
  | { type: 'execute'; stmt: ProtoStmt }
  | { type: 'batch'; batch: ProtoBatch }
  | { type: 'sequence' | 'describe'; sql?: string | null; sql_id?: number | null }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number };
interface ProtoError {
  message: string;
  code: string;
}
interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}
interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (ProtoError | null)[];
}

/** An error reported to the client as `{message, code}` (protocol misuse, unknown baton, ...). */
class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function toProtoError(e: unknown): ProtoError {
  if (e instanceof LibsqlError || e instanceof HranaError) return { message: e.message, code: e.code };
  return { message: e instanceof Error ? e.message : String(e), code: 'UNKNOWN' };
}

function decodeValue(v: ProtoValue): InValue {
  switch (v?.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(v.value);
    case 'float':
      return Number(v.value);
    case 'text':
      return String(v.value);
    case 'blob':
      return new Uint8Array(Buffer.from(v.base64, 'base64'));
    default:
      throw new HranaError(`Invalid value: ${JSON.stringify(v)}`, 'ARGS_INVALID');
  }
}

function encodeValue(v: unknown): ProtoValue {
  if (v === null || v === undefined) return { type: 'null' };
  if (typeof v === 'bigint') return { type: 'integer', value: v.toString() };
  if (typeof v === 'number') return { type: 'float', value: v };
  if (typeof v === 'string') return { type: 'text', value: v };
  if (v instanceof ArrayBuffer) return { type: 'blob', base64: Buffer.from(v).toString('base64') };
  throw new HranaError(`Cannot encode value of type ${typeof v}`, 'UNKNOWN');
}

function encodeResult(rs: ResultSet | undefined, wantRows: boolean): StmtResult {
  if (rs === undefined) return { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null };
  return {
    cols: rs.columns.map((name, i) => ({ name, decltype: rs.columnTypes[i] || null })),
    // Clients use intMode "bigint", so INTEGER and REAL stay distinguishable here.
    rows: wantRows ? rs.rows.map((row) => Array.from({ length: row.length }, (_, i) => encodeValue(row[i]))) : [],
    affected_row_count: rs.rowsAffected,
    last_insert_rowid: rs.lastInsertRowid === undefined ? null : rs.lastInsertRowid.toString(),
  };
}

function decodeArgs(stmt: ProtoStmt): InArgs {
  const positional = stmt.args ?? [];
  const named = stmt.named_args ?? [];
  if (positional.length > 0 && named.length > 0) {
    throw new HranaError('Specifying both positional and named arguments is not supported', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
  }
  if (named.length === 0) return positional.map(decodeValue);
  // The file client strips the `:`/`@`/`$` prefix itself and libSQL matches any prefix.
  return Object.fromEntries(named.map((a) => [a.name, decodeValue(a.value)]));
}

// ---- SQL inspection (just enough to route transaction control and writes) ------------------

/** Drops leading whitespace and comments so keyword checks see the first real token. */
function stripLeadingComments(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

/** The transaction a statement would open if run in autocommit state, if any. */
function transactionOpener(sql: string): { mode: TransactionMode; savepoint?: string } | undefined {
  const s = stripLeadingComments(sql);
  const begin = /^BEGIN(?:\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(?:\s+TRANSACTION)?(\s+READONLY)?\s*;?\s*$/i.exec(s);
  if (begin) {
    // EXCLUSIVE behaves like IMMEDIATE in WAL mode; READONLY is libSQL's extension.
    if (begin[2]) return { mode: 'read' };
    return { mode: begin[1] && !/^DEFERRED$/i.test(begin[1]) ? 'write' : 'deferred' };
  }
  const savepoint = /^SAVEPOINT\s+(\S+?)\s*;?\s*$/i.exec(s);
  return savepoint?.[1] ? { mode: 'deferred', savepoint: unquote(savepoint[1]) } : undefined;
}

function releasedSavepoint(sql: string): string | undefined {
  const m = /^RELEASE\s+(?:SAVEPOINT\s+)?(\S+?)\s*;?\s*$/i.exec(stripLeadingComments(sql));
  return m?.[1] ? unquote(m[1]) : undefined;
}

function unquote(name: string): string {
  return name.replace(/^["'`[](.*)["'`\]]$/, '$1').toLowerCase();
}

/**
 * Conservative: anything but queries and transaction control may need the write lock.
 * COMMIT/ROLLBACK never need it *newly* (a transaction that wrote already holds the gate), and
 * gating them would let a reader's COMMIT wait on a writer that waits on the reader.
 */
function mayWrite(sql: string): boolean {
  return !/^(SELECT|VALUES|EXPLAIN|BEGIN|COMMIT|END|ROLLBACK|RELEASE|SAVEPOINT)\b/i.test(stripLeadingComments(sql));
}

const isBusy = (e: unknown): e is LibsqlError => e instanceof LibsqlError && e.code === 'SQLITE_BUSY';

function isRetryableBusy(e: unknown): boolean {
  // A stale snapshot (BUSY_SNAPSHOT) or a dangling statement blocking COMMIT never clears by waiting.
  return isBusy(e) && e.extendedCode !== 'SQLITE_BUSY_SNAPSHOT' && !/statements in progress/.test(e.message);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries SQLITE_BUSY with backoff, without blocking the event loop. */
async function retryBusy<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 25)) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetryableBusy(e) || Date.now() + delay > deadline) throw e;
      await sleep(delay);
    }
  }
}

/** FIFO async mutex over the database's single write lock, shared by all streams. */
class WriteGate {
  private holder: object | undefined;
  private readonly waiters: { owner: object; wake: () => void }[] = [];

  async acquire(owner: object, timeoutMs: number): Promise<void> {
    if (this.holder === owner) return;
    if (this.holder === undefined) {
      this.holder = owner;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        owner,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new HranaError('SQLITE_BUSY: database is locked by another stream', 'SQLITE_BUSY'));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  release(owner: object): void {
    if (this.holder !== owner) return;
    const next = this.waiters.shift();
    this.holder = next?.owner;
    next?.wake();
  }
}

// ---- Streams ---------------------------------------------------------------------------

interface StreamEnv {
  url: string;
  busyTimeoutMs: number;
  gate: WriteGate;
}

class Stream {
  private client: Client;
  /** Set while the stream is inside a transaction (which owns the connection). */
  private tx: Transaction | undefined;
  /** Set when the transaction was opened by a SAVEPOINT, whose RELEASE must commit it. */
  private rootSavepoint: string | undefined;
  /** The connection saw SQLITE_BUSY and may hold a dangling statement (see header). */
  private tainted = false;
  /** SQL texts stored with `store_sql`, by id. */
  readonly sqls = new Map<number, string>();
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly env: StreamEnv) {
    this.client = this.connect();
  }

  private connect(): Client {
    return createClient({ url: this.env.url, intMode: 'bigint', concurrency: 1 });
  }

  get isAutocommit(): boolean {
    return this.tx === undefined;
  }

  resolveSql(sql: string | null | undefined, sqlId: number | null | undefined): string {
    if (typeof sql === 'string') return sql;
    const stored = typeof sqlId === 'number' ? this.sqls.get(sqlId) : undefined;
    if (stored !== undefined) return stored;
    throw new HranaError(
      sqlId == null ? 'Expected `sql` or `sql_id`' : `SQL text ${sqlId} not found`,
      sqlId == null ? 'SQL_INVALID' : 'SQL_NOT_FOUND',
    );
  }

  async execute(stmt: ProtoStmt): Promise<StmtResult> {
    const sql = this.resolveSql(stmt.sql, stmt.sql_id);
    return encodeResult(await this.run(sql, decodeArgs(stmt)), stmt.want_rows ?? true);
  }

  async batch(batch: ProtoBatch): Promise<BatchResult> {
    const result: BatchResult = { step_results: [], step_errors: [] };
    for (const [i, step] of batch.steps.entries()) {
      result.step_results.push(null);
      result.step_errors.push(null);
      if (step.condition && !this.evalCond(step.condition, result)) continue;
      try {
        result.step_results[i] = await this.execute(step.stmt);
      } catch (e) {
        result.step_errors[i] = toProtoError(e);
      }
    }
    return result;
  }

  private evalCond(cond: ProtoCond, r: BatchResult): boolean {
    switch (cond.type) {
      case 'ok':
        return r.step_results[cond.step] != null;
      case 'error':
        return r.step_errors[cond.step] != null;
      case 'not':
        return !this.evalCond(cond.cond, r);
      case 'and':
        return cond.conds.every((c) => this.evalCond(c, r));
      case 'or':
        return cond.conds.some((c) => this.evalCond(c, r));
      case 'is_autocommit':
        return this.isAutocommit;
      default:
        throw new HranaError(`Unknown condition ${JSON.stringify(cond)}`, 'PROTO_ERROR');
    }
  }

  async sequence(sql: string): Promise<void> {
    // Not retried on BUSY: the statements before the failing one have already taken effect.
    await this.env.gate.acquire(this, this.env.busyTimeoutMs);
    try {
      if (this.tx) await this.inTransaction((tx) => tx.executeMultiple(sql), false);
      else await this.guard(() => this.client.executeMultiple(sql));
    } finally {
      if (!this.tx) this.env.gate.release(this);
    }
  }

  /** Approximates sqlite3 statement metadata from the EXPLAIN program (no prepare() access). */
  async describe(sql: string) {
    const isExplain = /^EXPLAIN\b/i.test(stripLeadingComments(sql));
    const program = isExplain ? undefined : await this.run(`EXPLAIN ${sql}`, []);
    const ops = (program?.rows ?? []).map((r) => ({ op: r[1], p1: Number(r[2]), p2: Number(r[3]), p4: r[5] }));
    const params: { name: string | null }[] = [];
    for (const { op, p1, p4 } of ops) {
      if (op !== 'Variable') continue;
      while (params.length < p1) params.push({ name: null });
      if (typeof p4 === 'string') params[p1 - 1] = { name: p4 }; // like sqlite3_bind_parameter_name
    }
    let cols: StmtResult['cols'] = [];
    if (isExplain || ops.some((o) => o.op === 'ResultRow')) {
      // Wrapping a query as a subquery with LIMIT 0 yields its columns without running it
      // (RETURNING and PRAGMA can't be wrapped, so they report none). EXPLAIN is harmless.
      const probe = isExplain ? sql : `SELECT * FROM (${sql.replace(/;\s*$/, '')}) LIMIT 0`;
      cols = encodeResult(await this.run(probe, []).catch(() => undefined), false).cols;
    }
    const writes = ops.some((o) => o.op === 'Transaction' && o.p2 !== 0);
    return { params, cols, is_explain: isExplain, is_readonly: isExplain || !writes };
  }

  /** Runs one statement on this stream's connection; `undefined` means "no result set". */
  private async run(sql: string, args: InArgs): Promise<ResultSet | undefined> {
    const { gate, busyTimeoutMs } = this.env;
    if (this.tx) {
      if (mayWrite(sql)) await gate.acquire(this, busyTimeoutMs);
      const rs = await this.inTransaction((tx) => tx.execute({ sql, args }));
      // Releasing the savepoint that opened the transaction commits it, as in SQLite.
      const root = this.rootSavepoint;
      if (this.tx && root !== undefined && releasedSavepoint(sql) === root) {
        await this.inTransaction((tx) => tx.commit());
      }
      return rs;
    }
    const opener = transactionOpener(sql);
    const writer = opener ? opener.mode === 'write' : mayWrite(sql);
    if (writer) await gate.acquire(this, busyTimeoutMs);
    try {
      if (!opener) return await retryBusy(busyTimeoutMs, () => this.guard(() => this.client.execute({ sql, args })));
      this.tx = await retryBusy(busyTimeoutMs, () => this.guard(() => this.client.transaction(opener.mode)));
    } finally {
      if (!this.tx) gate.release(this); // a write transaction keeps the gate until it ends
    }
    this.rootSavepoint = opener.savepoint;
    if (opener.savepoint === undefined) return undefined; // the BEGIN itself
    return this.inTransaction((tx) => tx.execute({ sql, args }));
  }

  /** Runs on the autocommit connection, first replacing it if an earlier BUSY tainted it. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tainted) {
      this.client.close();
      this.client = this.connect();
      this.tainted = false;
    }
    try {
      return await fn();
    } catch (e) {
      if (isBusy(e)) this.tainted = true;
      throw e;
    }
  }

  /** Runs `fn` on the transaction's connection and releases everything once it has ended. */
  private async inTransaction<T>(fn: (tx: Transaction) => Promise<T>, retry = true): Promise<T> {
    const tx = this.tx!;
    const attempt = async () => {
      try {
        return await fn(tx);
      } catch (e) {
        if (isBusy(e)) this.tainted = true; // can't swap connections mid-transaction
        throw e;
      }
    };
    try {
      return await (retry ? retryBusy(this.env.busyTimeoutMs, attempt) : attempt());
    } finally {
      // Covers COMMIT/ROLLBACK sent as SQL as well as SQLite aborting the transaction itself.
      if (tx.closed) this.endTransaction();
    }
  }

  private endTransaction(): void {
    this.tx?.close(); // rolls back if still open and hands the connection back to `client`
    this.tx = undefined;
    this.rootSavepoint = undefined;
    this.env.gate.release(this);
  }

  close(): void {
    clearTimeout(this.timer);
    this.endTransaction();
    this.sqls.clear();
    this.client.close();
  }
}

// ---- HTTP handling ---------------------------------------------------------------------

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain' } });

export function createHranaHandler(opts: HranaHandlerOptions): {
  handle(req: Request): Promise<Response>;
  close(): Promise<void>;
} {
  const streamIdleMs = opts.streamIdleMs ?? 10_000;
  const env: StreamEnv = {
    url: pathToFileURL(opts.dbPath).href,
    busyTimeoutMs: opts.busyTimeoutMs ?? 5_000,
    gate: new WriteGate(),
  };
  // WAL is a property of the file: one connection sets it for good.
  const setup = createClient({ url: env.url });
  const ready = retryBusy(env.busyTimeoutMs, () => setup.execute('PRAGMA journal_mode=WAL'))
    .then(() => undefined)
    .finally(() => setup.close());
  ready.catch(() => undefined); // surfaced by handle(); avoid an unhandled rejection meanwhile
  const streams = new Map<string, Stream>(); // keyed by the baton the client must send next
  const expired = new Set<string>(); // recent batons of expired streams, for a clearer error
  let closed = false;

  function park(stream: Stream): string {
    const baton = randomBytes(18).toString('base64url'); // unguessable, new on every response
    streams.set(baton, stream);
    stream.timer = setTimeout(() => {
      streams.delete(baton);
      const inTransaction = !stream.isAutocommit;
      stream.close();
      opts.onStreamExpired?.({ inTransaction });
      expired.add(baton);
      if (expired.size > 1000) expired.delete(expired.values().next().value!);
    }, streamIdleMs);
    stream.timer.unref?.();
    return baton;
  }

  function takeStream(baton: unknown): Stream {
    if (baton === null || baton === undefined) return new Stream(env);
    const stream = typeof baton === 'string' ? streams.get(baton) : undefined;
    if (!stream) {
      if (expired.has(baton as string)) throw new HranaError('The stream has expired due to inactivity', 'STREAM_EXPIRED');
      throw new HranaError('Invalid baton (the stream is closed or the baton was already used)', 'BATON_INVALID');
    }
    // Consuming the baton serialises the stream: a concurrent reuse of it is rejected.
    streams.delete(baton as string);
    clearTimeout(stream.timer);
    return stream;
  }

  async function runRequest(stream: Stream, req: StreamRequest): Promise<{ type: string } & Record<string, unknown>> {
    switch (req.type) {
      case 'close':
        stream.close();
        return { type: 'close' };
      case 'execute':
        return { type: 'execute', result: await stream.execute(req.stmt) };
      case 'batch':
        return { type: 'batch', result: await stream.batch(req.batch) };
      case 'sequence':
        await stream.sequence(stream.resolveSql(req.sql, req.sql_id));
        return { type: 'sequence' };
      case 'describe':
        return { type: 'describe', result: await stream.describe(stream.resolveSql(req.sql, req.sql_id)) };
      case 'store_sql':
        stream.sqls.set(req.sql_id, stream.resolveSql(req.sql, null));
        return { type: 'store_sql' };
      case 'close_sql':
        stream.sqls.delete(req.sql_id);
        return { type: 'close_sql' };
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: stream.isAutocommit };
      default:
        throw new HranaError(`Unknown request type ${JSON.stringify((req as { type: unknown }).type)}`, 'PROTO_ERROR');
    }
  }

  async function pipeline(body: { baton?: unknown; requests?: unknown }): Promise<Response> {
    if (!Array.isArray(body.requests)) return text(400, '`requests` must be an array');
    const stream = takeStream(body.baton);
    const results = [];
    let open = true;
    // Requests run in order and each fails on its own, as the spec requires.
    for (const req of body.requests as StreamRequest[]) {
      try {
        if (!open) throw new HranaError('The stream was closed earlier in this pipeline', 'STREAM_CLOSED');
        results.push({ type: 'ok', response: await runRequest(stream, req) });
        if (req.type === 'close') open = false;
      } catch (e) {
        results.push({ type: 'error', error: toProtoError(e) });
      }
    }
    const baton = open && !closed ? park(stream) : null;
    if (baton === null) stream.close();
    return json(200, { baton, base_url: null, results });
  }

  async function handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'GET' || req.method === 'HEAD') {
      // Version probes carry no credentials in @libsql/hrana-client, so they are not checked.
      if (['/', '/health', '/v2', '/v3'].includes(path)) return text(200, '');
      return text(404, 'Not found'); // includes /v3-protobuf: the client then falls back to v2
    }
    if (req.method !== 'POST' || (path !== '/v2/pipeline' && path !== '/v3/pipeline')) return text(404, 'Not found');
    // Like sqld: 401 with `{"error": ...}`, which the client reports as SERVER_ERROR.
    if (opts.authToken !== undefined && req.headers.get('authorization') !== `Bearer ${opts.authToken}`) {
      return json(401, { error: 'Unauthorized: missing or invalid auth token' });
    }
    if (closed) return text(503, 'Server is shutting down');
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return text(400, 'Request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null) return text(400, 'Request body must be a JSON object');
    try {
      await ready;
      return await pipeline(body);
    } catch (e) {
      if (e instanceof HranaError) return json(400, toProtoError(e)); // bad or expired baton
      return text(500, e instanceof Error ? e.message : String(e));
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true; // streams mid-request are closed when their pipeline finishes
    for (const stream of streams.values()) stream.close();
    streams.clear();
    await ready.catch(() => undefined);
  }

  return { handle, close };
}

/** Adapts a Node request to the Fetch-style handler (bodies are small; buffering is fine). */
async function serveNode(handle: (req: Request) => Promise<Response>, req: IncomingMessage, res: ServerResponse) {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    }
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(Buffer.concat(chunks));
    const response = await handle(new Request(new URL(req.url ?? '/', 'http://localhost'), { method, headers, body }));
    const payload = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(payload);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(e instanceof Error ? e.message : String(e));
  }
}

export async function startHranaServer(opts: HranaHandlerOptions & { port?: number; host?: string }): Promise<HranaServer> {
  const handler = createHranaHandler(opts);
  const server = createServer((req, res) => void serveNode((request) => handler.handle(request), req, res));
  const host = opts.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await handler.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // drop idle keep-alive sockets so close() can finish
      await stopped;
      await handler.close();
    },
  };
}
