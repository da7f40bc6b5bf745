/**
 * The load side of the capture bench, run as its own process so it does not share the server's
 * event loop. It posts prepared form bodies on a fixed schedule (an open model, like wrk2 or k6's
 * constant-arrival-rate): post n is due at a set time whether or not earlier posts have been
 * answered, and its latency counts from that due time. A post the client could not send on time
 * (every socket busy) therefore counts its wait against the server — no coordinated omission.
 *
 * Two schedules:
 * - `steady`: posts evenly spaced (200/s → one every 5 ms), the issue's "200 submissions a second";
 * - `burst`: each second's posts all due at the top of the second, as a closed-loop tool's
 *   per-second quota releases them (autocannon's `overallRate` does this) or an email blast might.
 *
 * Usage: tsx test/bench/capture-load-client.ts <url> <bodies.json> <first> <rate> <seconds> <sockets> <steady|burst>
 * → prints one JSON line (CaptureLoadResult).
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export type Arrivals = 'steady' | 'burst';

export interface CaptureLoadResult {
  requests: number;
  ok: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  badStatuses: number;
  socketErrors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

const TIMEOUT_MS = 10_000;

/** When post n is due, in ms after the start. */
export function dueAt(n: number, rate: number, arrivals: Arrivals): number {
  return arrivals === 'steady' ? (n * 1000) / rate : Math.floor(n / rate) * 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

async function main() {
  const [url, bodiesFile, firstArg, rateArg, secondsArg, socketsArg, arrivalsArg] = process.argv.slice(2);
  if (!url || !bodiesFile || (arrivalsArg !== 'steady' && arrivalsArg !== 'burst')) {
    throw new Error('usage: capture-load-client.ts <url> <bodies.json> <first> <rate> <seconds> <sockets> <steady|burst>');
  }
  const arrivals: Arrivals = arrivalsArg;
  const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as Array<{ body: string; ip: string }>;
  const first = Number(firstArg);
  const rate = Number(rateArg);
  const total = rate * Number(secondsArg);
  if (first + total > bodies.length) throw new Error(`only ${bodies.length} bodies for posts ${first}…${first + total - 1}`);
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: Number(socketsArg) });

  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let socketErrors = 0;
  let timeouts = 0;
  let lastAnswer = 0;
  const start = performance.now();

  const post = (n: number) =>
    new Promise<void>((resolve) => {
      const due = start + dueAt(n, rate, arrivals);
      const { body, ip } = bodies[first + n]!;
      let timedOut = false;
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          timeout: TIMEOUT_MS,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-forwarded-for': ip,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            lastAnswer = performance.now();
            times.push(lastAnswer - due);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timedOut = true;
        timeouts++;
        req.destroy();
      });
      req.on('error', () => {
        if (!timedOut) socketErrors++;
        resolve();
      });
      req.end(body);
    });

  // Releases every post whose time has come; a timer tick is ~1 ms, well under the 5 ms spacing.
  const answered: Array<Promise<void>> = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now() - start;
      while (answered.length < total && dueAt(answered.length, rate, arrivals) <= now) answered.push(post(answered.length));
      if (answered.length < total) setTimeout(tick, Math.max(0, dueAt(answered.length, rate, arrivals) - now - 1));
      else resolve();
    };
    tick();
  });
  await Promise.all(answered);
  agent.destroy();

  times.sort((a, b) => a - b);
  const ok = Object.entries(statuses)
    .filter(([s]) => Number(s) >= 200 && Number(s) < 400)
    .reduce((n, [, c]) => n + c, 0);
  const badStatuses = times.length - ok;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const out: CaptureLoadResult = {
    requests: times.length,
    ok,
    // Over the time the posts actually took, so a server falling behind shows as less than the rate.
    throughput: ok / Math.max(Number(secondsArg), (lastAnswer - start) / 1000),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    max: round(times.at(-1) ?? 0),
    badStatuses,
    socketErrors,
    timeouts,
    errors: badStatuses + socketErrors + timeouts,
    statuses,
  };
  console.log(JSON.stringify(out));
}

await main();
