import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/app';

/** Starts `npm start`'s entry as a real process and waits for its banner. */
async function start(dbPath: string): Promise<{ child: ChildProcess; output: () => string; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/node.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${dbPath}`, SEED_DEMO: 'auto' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = out.match(/Sign in:\s+(http:\/\/localhost:\d+)\/login/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`server exited early:\n${out}`)));
  });
  return { child, output: () => out, base };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start (local runtime)', () => {
  it('migrates, seeds on first run only, serves, and shuts down cleanly', async () => {
    const dbPath = tempDbPath('node-start');
    const first = await start(dbPath);
    expect(first.output()).toContain('Seeded demo data');
    expect(first.output()).toContain('demo@leadflare.test / leadflare-demo');

    const health = await fetch(`${first.base}/healthz`);
    expect(health.status).toBe(200);
    // A request in flight when SIGTERM arrives still gets its answer: its headers are sent, the
    // body only after the signal, so the server is certainly mid-request when it starts stopping.
    const body = JSON.stringify({ email: 'demo@leadflare.test', password: 'leadflare-demo' });
    const url = new URL(`${first.base}/api/auth/login`);
    const req = request({ host: '127.0.0.1', port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));
    const exit = stop(first.child);
    await new Promise((r) => setTimeout(r, 300));
    req.end(body.slice(10));
    const login = await answered;
    expect(login.status).toBe(200);
    expect(login.text).toContain('demo@leadflare.test');
    expect(await exit).toBe(0);
    expect(first.output()).toContain('Stopped cleanly.');

    const second = await start(dbPath);
    expect(second.output()).not.toContain('Seeded demo data');
    expect((await fetch(`${second.base}/healthz`)).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
  });
});
