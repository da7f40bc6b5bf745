/**
 * An acknowledgement means it is stored: the local server (`npm start`'s entry, a real process on
 * a real file) is killed with SIGKILL in the middle of a stream of server events, and after a
 * restart every event it had answered 202 to is in the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { tempDbPath } from '../support/app';

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Starts the local server on a free port; resolves once /healthz answers 200. */
async function start(dbPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/node.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${dbPath}`,
      APP_SECRET: 'durability-test-secret-0123456789',
      SEED_DEMO: '0',
      SCHEDULER_INTERVAL_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Health:\s+(http:\/\/localhost:\d+)\/healthz/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    void exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
  // Listening is announced from the listen callback; poll until a request is actually served.
  for (;;) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.status === 200) break;
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
    await new Promise((r) => setImmediate(r));
  }
  return { child, base, exited };
}

async function apiKey(base: string): Promise<string> {
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@durable.test', password: 'correct horse battery', name: 'Owner' }),
  });
  expect(signup.status).toBe(201);
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const created = await fetch(`${base}/api/workspace/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'Store' }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { key: string }).key;
}

describe('local server killed mid-stream', () => {
  it('has stored every server event it acknowledged', async () => {
    const dbPath = tempDbPath('node-kill');
    const first = await start(dbPath);
    const key = await apiKey(first.base);

    const acknowledged = new Map<string, string>(); // order id → customer
    const KILL_AFTER = 120;
    let sent = 0;
    let killed = false;
    // Sixteen stores at once, each sending its orders one after another (some customers buy twice):
    // enough in flight that the kill lands among events just acknowledged. (Acknowledged from the
    // group-commit buffer, as before this test, a few of them were lost in nearly every run.)
    const stream = async (store: number) => {
      while (!killed) {
        const n = sent++;
        const body = {
          type: 'purchase',
          email: `buyer${n % 50}@store${store}.test`,
          orderId: `${store}-${n}`,
          amountMinor: 1_000 + n,
          currency: 'USD',
        };
        const res = await fetch(`${first.base}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => null); // the connection died with the server: not acknowledged
        if (!res) return;
        expect(res.status).toBe(202);
        acknowledged.set(body.orderId, body.email);
        await res.arrayBuffer().catch(() => null);
        if (acknowledged.size >= KILL_AFTER && !killed) {
          killed = true;
          first.child.kill('SIGKILL'); // no shutdown hook runs: nothing is flushed
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, i) => stream(i + 1)));
    expect(await first.exited).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);

    const second = await start(dbPath);
    const database = await createDb(`file:${dbPath}`);
    try {
      // Every acknowledged purchase, stored as an event of its customer's lead.
      const rows = await database.client.execute(`
        select e.props->>'orderId' as order_id, l.email from events e
        join visitors v on v.id = e.visitor_id join leads l on l.id = v.lead_id
        where e.type = 'purchase'`);
      const stored = new Map(rows.rows.map((r) => [String(r.order_id), String(r.email)]));
      const lost = [...acknowledged].filter(([orderId, email]) => stored.get(orderId) !== email);
      expect(lost).toEqual([]);
    } finally {
      database.client.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
