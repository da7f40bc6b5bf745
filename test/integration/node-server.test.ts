/**
 * `npm start`'s entry as a real process: it migrates, seeds the demo on a fresh file only, serves,
 * and on SIGTERM or SIGINT answers the requests in flight before it closes the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/app';
import { waitFor } from '../support/wait';

interface Server {
  child: ChildProcess;
  output: () => string;
  base: string;
  exited: Promise<number | null>;
}

/** Starts the entry as `npm start` does (tsx), and resolves once it prints its sign-in URL. */
async function start(dbPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/node.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${dbPath}`, SEED_DEMO: 'auto' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await Promise.race([
    waitFor(
      () => /Sign in:\s+(http:\/\/localhost:\d+)\/login/.exec(out)?.[1],
      (url) => url !== undefined,
      { timeoutMs: 25_000, what: 'the sign-in URL' },
    ),
    exited.then((code) => Promise.reject(new Error(`server exited early (${code}):\n${out}`))),
  ]);
  return { child, output: () => out, base, exited };
}

describe('npm start (local runtime)', () => {
  it('migrates, seeds on first run only, serves, and shuts down cleanly on SIGTERM and SIGINT', async () => {
    const dbPath = tempDbPath('node-start');
    const first = await start(dbPath);
    expect(first.output()).toContain('Seeded demo data');
    expect(first.output()).toContain('demo@leadflare.test / leadflare-demo');
    expect((await fetch(`${first.base}/healthz`)).status).toBe(200);

    // A request in flight when SIGTERM arrives still gets its answer. `Expect: 100-continue` makes
    // the server confirm it has the request before the body is sent; the body follows only once the
    // server says it is stopping, so it is certainly mid-request then.
    const body = JSON.stringify({ email: 'demo@leadflare.test', password: 'leadflare-demo' });
    const url = new URL(`${first.base}/api/auth/login`);
    const req = request({
      host: '127.0.0.1',
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
    });
    const received = new Promise<void>((resolve) => req.on('continue', resolve));
    req.flushHeaders();
    await received;
    first.child.kill('SIGTERM');
    await waitFor(() => first.output().includes('SIGTERM received'));
    req.end(body);
    const login = await answered;
    expect(login.status).toBe(200);
    expect(login.text).toContain('demo@leadflare.test');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped cleanly.');

    const second = await start(dbPath);
    expect(second.output()).not.toContain('Seeded demo data');
    expect((await fetch(`${second.base}/healthz`)).status).toBe(200);
    second.child.kill('SIGINT'); // Ctrl-C
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('SIGINT received');
    expect(second.output()).toContain('Stopped cleanly.');
  });
});
