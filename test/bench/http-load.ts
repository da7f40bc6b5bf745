import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import type { Server as HttpServer } from 'node:http';

const run = promisify(execFile);

export interface LoadResult {
  rps: number;
  requests: number;
  errors: number;
}

export const LOAD = { connections: 32, seconds: 3 };

/**
 * wrk (C, epoll) when installed — `apt-get install wrk` — otherwise our Node load process. With two
 * cores a Node client saturates before the server does, so wrk gives the truer server figure.
 */
export const LOAD_TOOL: 'wrk' | 'node' = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return 'wrk';
  } catch (err) {
    // wrk prints its version and exits 1; a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'node' : 'wrk';
  }
})();

/** Serves `app` on a loopback port in this process and loads it from a separate process. */
export async function loadTest(app: Pick<Hono, 'fetch'>, path: string): Promise<LoadResult> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${path}`;
  try {
    if (LOAD_TOOL === 'wrk') {
      const { stdout } = await run('wrk', ['-t1', `-c${LOAD.connections}`, `-d${LOAD.seconds}s`, url]);
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      const socketErrors =
        /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
          .exec(stdout)
          ?.slice(1)
          .reduce((a, b) => a + Number(b), 0) ?? 0;
      return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0), requests, errors: non2xx + socketErrors };
    }
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      'test/bench/load.ts',
      url,
      String(LOAD.connections),
      String(LOAD.seconds),
    ]);
    return JSON.parse(stdout) as LoadResult;
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as HttpServer).closeAllConnections();
    });
  }
}

/**
 * Loads two targets alternately for `rounds` rounds and reports the median of each and the
 * median of the per-round ratios — interleaving keeps a noisy neighbour from favouring one side.
 */
export async function compareLoad(
  subject: { app: Pick<Hono, 'fetch'>; path: string },
  baseline: { app: Pick<Hono, 'fetch'>; path: string },
  rounds = 3,
): Promise<{ subject: LoadResult; baseline: LoadResult; ratio: number }> {
  const pairs: Array<[LoadResult, LoadResult]> = [];
  for (let i = 0; i < rounds; i++) {
    const b = await loadTest(baseline.app, baseline.path);
    const s = await loadTest(subject.app, subject.path);
    pairs.push([s, b]);
  }
  const mid = <T>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[xs.length >> 1]!;
  const byRatio = mid(pairs, ([s, b]) => s.rps / b.rps);
  return { subject: byRatio[0], baseline: byRatio[1], ratio: byRatio[0].rps / byRatio[1].rps };
}
