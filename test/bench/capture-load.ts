/**
 * Form captures under load: the local runtime (the Node server on an embedded libSQL file, in this
 * process) takes `BENCH_LOAD_RATE` (200) lead-form posts a second, evenly spaced, for
 * `BENCH_LOAD_SECONDS` (60), then the same rate in bursts (each second's posts at once) for
 * `BENCH_LOAD_BURST_SECONDS` (10). The posts come from an open-model client in a child process
 * (`capture-load-client.ts`), so the load generator neither shares the server's event loop nor waits
 * for answers before sending the next post. Every post is a distinct visitor (no cookie, its own
 * client IP) with its own email and a valid submission token past the minimum fill time — the token
 * is minted by the same function the page uses to render it — so each one is a real capture: lead,
 * submission, consent, funnel event, committed before the 303.
 *
 * Budgets (steady rate): 0 errors (non-2xx/3xx answers, socket errors, timeouts), p99 ≤ 100 ms, and
 * every accepted post stored as a lead. The burst figures are informational.
 *
 * `npm run bench` runs it with the rest; `npm run bench:load` alone (BENCH_LOAD_SECONDS=5 for a smoke test). */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { DEMO, seedDemo } from '../../db/seed';
import { createApp } from '../../workers/app';
import { nodeDeps } from '../../workers/node/deps';
import { DEFAULT_CAPTURE_LIMITS, issueSubmissionToken } from '../../workers/services/capture';
import { freshDatabase, TestClient } from '../support/app';
import { publishLeadFormFunnel } from '../support/fixtures';
import { formOf } from '../support/landing';
import { countRows } from '../support/landing';
import { passed, printTable, progress, writeJson, type BenchRow } from './report';
import type { Arrivals, CaptureLoadResult } from './capture-load-client';

const run = promisify(execFile);

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_LOAD_RATE ?? 200);
const BURST_SECONDS = Number(process.env.BENCH_LOAD_BURST_SECONDS ?? 10);
const SOCKETS = 64;
const P99_BUDGET_MS = 100;

/** The n-th visitor's address: distinct for every post, as real visitors are (the per-IP limit then never trips). */
const visitorIp = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

export async function benchCaptureLoad(): Promise<BenchRow[]> {
  const database = await freshDatabase('bench-capture-load');
  await seedDemo(database, { clock: Date.now });
  const secret = 'bench-secret-0123456789';
  const pending = new Set<Promise<unknown>>();
  const deps = nodeDeps(database, secret, {
    // Behind a proxy the runtime would read the client address from it; here the load tool plays every visitor.
    clientIp: (c) => c.req.header('x-forwarded-for') ?? '127.0.0.1',
    waitUntil: (work) => {
      const tracked = work.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
  });
  const app = createApp(deps);
  const owner = new TestClient(app, 'http://localhost');
  const login = await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  if (login.status !== 200) throw new Error(`bench login: ${login.status}`);
  await publishLeadFormFunnel(owner, 'load');
  const page = await owner.get('/p/load/join');
  const form = formOf(await page.text(), 'signup');
  const version = (JSON.parse(Buffer.from(form.token.split('.')[0]!, 'base64url').toString()) as { v: string }).v;

  const total = RATE * (SECONDS + BURST_SECONDS);
  progress(`Capture load: minting ${total} submission tokens (the page's own issueSubmissionToken) …`);
  const renderedAt = Date.now() - DEFAULT_CAPTURE_LIMITS.minFillMs - 1000;
  const bodies: Array<{ body: string; ip: string }> = [];
  for (let i = 0; i < total; i++) {
    const token = await issueSubmissionToken(secret, version, renderedAt);
    const body = new URLSearchParams({
      _block: 'signup',
      _token: token,
      website: '',
      email: `load-${i}@example.com`,
      name: `Load Visitor ${i}`,
      consent: 'yes',
    });
    bodies.push({ body: body.toString(), ip: visitorIp(i + 1) });
  }
  const bodiesFile = join(mkdtempSync(join(tmpdir(), 'capture-load-')), 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(bodies));
  const leadsBefore = await countRows(database, 'leads');

  // Requests still in the server when the load tool stops are let finish before the database closes.
  let inFlight = 0;
  const server = serve({
    fetch: async (request: Request) => {
      inFlight++;
      try {
        return await app.fetch(request);
      } finally {
        inFlight--;
      }
    },
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const drive = async (arrivals: Arrivals, first: number, seconds: number) => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/bench/capture-load-client.ts',
        `http://127.0.0.1:${port}/p/load/join`,
        bodiesFile,
        String(first),
        String(RATE),
        String(seconds),
        String(SOCKETS),
        arrivals,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as CaptureLoadResult;
  };
  let steady: CaptureLoadResult;
  let burst: CaptureLoadResult;
  try {
    progress(`Capture load: ${RATE} posts/s evenly spaced for ${SECONDS} s (client in a child process, up to ${SOCKETS} sockets) …`);
    steady = await drive('steady', 0, SECONDS);
    progress(`Capture load: ${RATE} posts at the top of each second for ${BURST_SECONDS} s …`);
    burst = await drive('burst', RATE * SECONDS, BURST_SECONDS);
  } finally {
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([...pending]);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as HttpServer).closeAllConnections();
    });
  }
  const stored = (await countRows(database, 'leads')) - leadsBefore;
  database.client.close();

  const what = `POST /p/load/join (lead form: email, name, UTM, consent) to the Node server on an embedded libSQL file; every post a distinct visitor, email and token; open-model client in a child process (up to ${SOCKETS} keep-alive sockets), latency from each post's due time to the end of its answer`;
  const how = `${RATE} posts/s evenly spaced (one every ${(1000 / RATE).toFixed(1)} ms) for ${SECONDS} s, ${what}`;
  const statusesOf = (r: CaptureLoadResult) =>
    Object.entries(r.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(', ');
  const errors = steady.errors + burst.errors;
  return [
    {
      figure: 'Capture load: throughput',
      value: steady.throughput,
      unit: 'posts/s',
      budget: { op: '>=', limit: RATE * 0.95 },
      how: `${how}. ${steady.requests} posts answered (${statusesOf(steady)}).`,
    },
    { figure: 'Capture load: p50 latency', value: steady.p50, unit: 'ms', how },
    { figure: 'Capture load: p95 latency', value: steady.p95, unit: 'ms', how },
    { figure: 'Capture load: p99 latency', value: steady.p99, unit: 'ms', budget: { op: '<=', limit: P99_BUDGET_MS }, how },
    {
      figure: 'Capture load: p99 latency, bursts',
      value: burst.p99,
      unit: 'ms',
      how: `${RATE} posts due at once at the top of each second for ${BURST_SECONDS} s (as autocannon's overallRate releases them, or an email blast), ${what}; p50 ${burst.p50} ms, max ${burst.max} ms; ${burst.requests} posts answered (${statusesOf(burst)}). Informational: the budget is for the steady rate.`,
    },
    {
      figure: 'Capture load: errors',
      value: errors,
      unit: '',
      budget: { op: '<=', limit: 0 },
      how: `Both runs: answers other than 2xx/3xx (${steady.badStatuses + burst.badStatuses}), socket errors (${steady.socketErrors + burst.socketErrors}) and timeouts after 10 s (${steady.timeouts + burst.timeouts}).`,
    },
    {
      figure: 'Capture load: accepted posts not stored',
      value: Math.max(0, steady.ok + burst.ok - stored),
      unit: '',
      budget: { op: '<=', limit: 0 },
      how: `Both runs: answered 303 (${steady.ok + burst.ok}) minus new lead rows in the database afterwards (${stored}).`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchCaptureLoad();
  printTable(rows);
  writeJson(rows, '.bench/capture-load.json');
  process.exitCode = rows.some((r) => passed(r) === false) ? 1 : 0;
}
