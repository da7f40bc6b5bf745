import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';

const run = promisify(execFile);

export interface LoadResult {
  rps: number;
  requests: number;
  errors: number;
}

export const LOAD = { connections: 32, seconds: 3 };

/** Serves `app` on a loopback port in this process and loads it from a separate process. */
export async function loadTest(app: Pick<Hono, 'fetch'>, path: string): Promise<LoadResult> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/load.ts', `http://127.0.0.1:${port}${path}`, String(LOAD.connections), String(LOAD.seconds)]);
    return JSON.parse(stdout) as LoadResult;
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as import('node:http').Server).closeAllConnections();
    });
  }
}
