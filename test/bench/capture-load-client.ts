/**
 * The load side of the capture bench, run as its own process: autocannon posts one prepared form
 * body after another at a fixed overall rate, each with its own client address, and the per-response
 * times are kept so the percentiles are exact (autocannon's own summary has no p95).
 * Usage: tsx test/bench/capture-load-client.ts <url> <bodies.json> <rate> <seconds> <connections>
 * → prints one JSON line (CaptureLoadResult).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

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

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

async function main() {
  const [url, bodiesFile, rateArg, secondsArg, connectionsArg] = process.argv.slice(2);
  if (!url || !bodiesFile) throw new Error('usage: capture-load-client.ts <url> <bodies.json> <rate> <seconds> <connections>');
  const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as Array<{ body: string; ip: string }>;
  const rate = Number(rateArg);
  const seconds = Number(secondsArg);
  let next = 0;
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let socketErrors = 0;

  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: Number(connectionsArg),
        overallRate: rate,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const { body, ip } = bodies[next++ % bodies.length]!;
              return {
                ...req,
                body,
                headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
              };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err as Error) : resolve(result)),
    );
  });
  instance!.on('response', (_client, statusCode, _bytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    times.push(responseTime);
  });
  instance!.on('reqError', () => void socketErrors++);
  const result = await finished;
  times.sort((a, b) => a - b);
  const ok = Object.entries(statuses)
    .filter(([s]) => Number(s) >= 200 && Number(s) < 400)
    .reduce((n, [, c]) => n + c, 0);
  const badStatuses = times.length - ok;
  const out: CaptureLoadResult = {
    requests: times.length,
    ok,
    throughput: ok / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.at(-1) ?? 0,
    badStatuses,
    socketErrors: Math.max(socketErrors, result.errors - result.timeouts),
    timeouts: result.timeouts,
    errors: badStatuses + Math.max(socketErrors, result.errors - result.timeouts) + result.timeouts,
    statuses,
  };
  console.log(JSON.stringify(out));
}

await main();
